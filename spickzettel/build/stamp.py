"""The build's check of the record, and the stamp on every page.

Called by the MkDocs hook overrides/hooks/verified.py.

The build never runs a snippet. It reads the record that `make verify` wrote and
stops with a clear message when the record is missing or does not match the
snippets (or the figures, or the exercise notebooks) on disk. Each page then gets
a small stamp, in its own language, saying how many examples behind it were
executed, with which versions, on which date; a notebook page says the same of its
code cells.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from spickzettel.core import layout, pages
from spickzettel.core import record as vr

H1 = re.compile(r"^# .*$", re.MULTILINE)

STAMP = {
    "de": (
        "Geprüft: alle {examples} Beispiele dieser Seite ({files}) wurden ausgeführt "
        "und haben bestanden{skipped}, mit TensorFlow {tensorflow}, Keras {keras}, "
        "scikit-learn {sklearn} am {day}."
    ),
    "en": (
        "Verified: all {examples} examples on this page ({files}) were executed "
        "and passed{skipped}, with TensorFlow {tensorflow}, Keras {keras}, "
        "scikit-learn {sklearn} on {day}."
    ),
}
NOTEBOOK_STAMP = {
    "de": (
        "Geprüft: alle {cells} Codezellen dieses Notebooks ({source}) wurden vom "
        "Testlauf ausgeführt, ohne Fehler, mit TensorFlow {tensorflow}, Keras {keras}, "
        "scikit-learn {sklearn} am {day}. Alle Ausgaben und Abbildungen stammen aus "
        "diesem Lauf. Das Aufgaben-Notebook lief danach in einem frischen Kernel, "
        "ebenfalls ohne Fehler."
    ),
    "en": (
        "Verified: all {cells} code cells of this notebook ({source}) were executed "
        "by the test run without error, with TensorFlow {tensorflow}, Keras {keras}, "
        "scikit-learn {sklearn} on {day}. Every output and figure comes from that run. "
        "Then the task notebook's code (the same in both languages, apart from its "
        "comments) ran in a fresh kernel, also without error."
    ),
}
AND = {"de": " und ", "en": " and "}
SKIPPED = {"de": " ({n} übersprungen)", "en": " ({n} skipped)"}
NO_CODE = {
    "de": "Diese Seite enthält keinen Code.",
    "en": "This page contains no code.",
}


class Refused(Exception):
    """The record is missing or does not vouch for what is on disk."""


def checked_record() -> dict:
    """The record, if it vouches for every snippet, notebook and figure on disk."""
    try:
        record = vr.load()
    except FileNotFoundError as error:
        raise Refused(str(error)) from None
    found = vr.problems(record)
    if found:
        listing = "\n  - ".join(found)
        raise Refused(
            f"Refusing to build from unverified snippets:\n  - {listing}\n{vr.FIX}"
        )
    return record


def _versions(entries: list[dict], language: str) -> dict[str, str]:
    """The versions and date of the runs behind a page (each entry keeps its own).

    The build has already refused entries whose versions differ from the installed
    ones, so the versions agree; runs of several files may differ in date.
    """
    versions = entries[0]["versions"]
    days = sorted({date.fromisoformat(entry["date"]) for entry in entries})
    german = language == "de"
    shown = [d.strftime("%d.%m.%Y") if german else d.isoformat() for d in days]
    return {
        "tensorflow": versions["tensorflow"],
        "keras": versions["keras"],
        "sklearn": versions["scikit-learn"],
        "day": AND[language].join(shown),
    }


def notebook_stamp(record: dict, source: Path, language: str) -> str:
    entry = record["notebooks"][source.name]
    text = NOTEBOOK_STAMP[language].format(
        cells=entry["executed"],
        source=f"snippets/exercises/{source.name}",
        **_versions([entry], language),
    )
    return f'<p class="verified-stamp">✔ {text}</p>'


def stamp(record: dict, markdown: str, language: str) -> str:
    files = sorted({file for file, _ in pages.snippet_includes(markdown)})
    if not files:
        return f'<p class="verified-stamp">{NO_CODE[language]}</p>'
    entries = [record["snippets"][name] for name in files]
    skipped = sum(e["skipped"] for e in entries)
    text = STAMP[language].format(
        examples=sum(e["passed"] for e in entries),
        files=", ".join(f"snippets/{name}" for name in files),
        skipped=SKIPPED[language].format(n=skipped) if skipped else "",
        **_versions(entries, language),
    )
    return f'<p class="verified-stamp">✔ {text}</p>'


def notebook_source(path: Path) -> Path | None:
    """snippets/exercises/<name>.py for an exercise page, else None."""
    if not layout.is_notebook_page(path):
        return None
    return layout.EXERCISES / path.with_suffix(".py").name


def stamped(record: dict, markdown: str, language: str, path: Path) -> str:
    """The page's Markdown with its stamp under the first heading."""
    source = notebook_source(path)
    if source is None:
        line = stamp(record, markdown, language)
    else:
        line = notebook_stamp(record, source, language)
    heading = H1.search(markdown)
    if heading is None:
        return f"{line}\n\n{markdown}"
    end = heading.end()
    return f"{markdown[:end]}\n\n{line}\n{markdown[end:]}"
