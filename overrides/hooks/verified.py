"""MkDocs hook: build only from verified snippets, and stamp every page.

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

from mkdocs.exceptions import PluginError

from spickzettel import record as vr

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

_record: dict = {}


def on_config(config):
    try:
        record = vr.load()
    except FileNotFoundError as error:
        raise PluginError(str(error)) from None
    found = vr.problems(record)
    if found:
        listing = "\n  - ".join(found)
        raise PluginError(
            f"Refusing to build from unverified snippets:\n  - {listing}\n{vr.FIX}"
        )
    _record.clear()
    _record.update(record)
    return config


def page_language(page) -> str:
    return page.file.src_uri.split("/", 1)[0]


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


def notebook_stamp(source: Path, language: str) -> str:
    entry = _record["notebooks"][source.name]
    text = NOTEBOOK_STAMP[language].format(
        cells=entry["executed"],
        source=f"snippets/exercises/{source.name}",
        **_versions([entry], language),
    )
    return f'<p class="verified-stamp">✔ {text}</p>'


def stamp(markdown: str, language: str) -> str:
    files = sorted({file for file, _ in vr.snippet_includes(markdown)})
    if not files:
        return f'<p class="verified-stamp">{NO_CODE[language]}</p>'
    entries = [_record["snippets"][name] for name in files]
    skipped = sum(e["skipped"] for e in entries)
    text = STAMP[language].format(
        examples=sum(e["passed"] for e in entries),
        files=", ".join(f"snippets/{name}" for name in files),
        skipped=SKIPPED[language].format(n=skipped) if skipped else "",
        **_versions(entries, language),
    )
    return f'<p class="verified-stamp">✔ {text}</p>'


def notebook_source(page) -> Path | None:
    """snippets/exercises/<name>.py for an exercise page, else None."""
    path = Path(page.file.abs_src_path)
    if not vr.is_notebook_page(path):
        return None
    return vr.EXERCISES / path.with_suffix(".py").name


def on_page_markdown(markdown, page, config, files):
    language = page_language(page)
    source = notebook_source(page)
    if source is None:
        line = stamp(markdown, language)
    else:
        line = notebook_stamp(source, language)
    heading = H1.search(markdown)
    if heading is None:
        return f"{line}\n\n{markdown}"
    end = heading.end()
    return f"{markdown[:end]}\n\n{line}\n{markdown[end:]}"
