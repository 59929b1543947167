"""The build's check of the record, and the stamp on every page.

Called by the MkDocs hook overrides/hooks/verified.py.

The build never runs a snippet. It reads the record that `make verify` wrote and
stops with a clear message when the record is missing or does not match the
snippets (or the figures, or the exercise notebooks) on disk. Each page then gets
a small stamp, in its own language, saying how many examples behind it were
executed, with which versions, on which date, and whether its blocks printed the
same on every backend (blocks that differ show a content tab per backend,
spickzettel/build/backend_tabs.py); a notebook page says the same of its code cells.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from spickzettel.build import backend_tabs, figure_tabs
from spickzettel.core import backends, layout, pages
from spickzettel.core import record as vr

STAMP = {
    "de": (
        "Geprüft: alle {examples} Beispiele dieser Seite ({files}) wurden auf jedem "
        "Keras-Backend ausgeführt und haben bestanden{skipped}: {backends}, mit "
        "Keras {keras} und scikit-learn {sklearn} am {day}."
    ),
    "en": (
        "Verified: all {examples} examples on this page ({files}) were executed on "
        "every Keras backend and passed{skipped}: {backends}, with Keras {keras} "
        "and scikit-learn {sklearn} on {day}."
    ),
}
NOTEBOOK_STAMP = {
    "de": (
        "Geprüft: alle {cells} Codezellen dieses Notebooks ({source}) wurden vom "
        "Testlauf auf jedem Keras-Backend ohne Fehler ausgeführt: {backends}, mit "
        "Keras {keras} und scikit-learn {sklearn} am {day}. Alle Ausgaben und "
        "Abbildungen stammen aus dem Lauf mit {primary}. Das Aufgaben-Notebook lief "
        "danach auf jedem Backend in einem frischen Kernel, ebenfalls ohne Fehler."
    ),
    "en": (
        "Verified: all {cells} code cells of this notebook ({source}) were executed "
        "by the test run on every Keras backend without error: {backends}, with "
        "Keras {keras} and scikit-learn {sklearn} on {day}. Every output and figure "
        "comes from the run on {primary}. Then the task notebook's code (the same in "
        "both languages, apart from its comments) ran on each backend in a fresh "
        "kernel, also without error."
    ),
}
AND = {"de": " und ", "en": " and "}
SKIPPED = {"de": " ({n} übersprungen)", "en": " ({n} skipped)"}
# One sentence more on a page with code: whether every block printed what it shows
# on each backend, or which blocks show a tab per backend (only what is true).
LABELS = " | ".join(backends.LABELS[b] for b in backends.BACKENDS)
SAME_EVERYWHERE = {
    "de": "Jeder {block} hat auf allen drei Backends ausgegeben, was er zeigt.",
    "en": "Every {block} printed what it shows on all three backends.",
}
# {block}: a skipped block printed nothing anywhere; on a page with one, only the
# blocks that ran are vouched for.
BLOCK = {
    "de": {False: "Block", True: "ausgeführte Block"},
    "en": {False: "block", True: "block that ran"},
}
TABBED = {
    "de": (
        "Blöcke mit den Reitern {labels} zeigen {what} jedes Backends, jeweils von "
        "seinem eigenen Lauf geprüft; jeder andere {block} hat auf allen drei "
        "Backends ausgegeben, was er zeigt."
    ),
    "en": (
        "Blocks with the tabs {labels} show each backend's own {what}, each checked "
        "by that backend's run; every other {block} printed what it shows on all "
        "three backends."
    ),
}
WHAT = {  # (code differs, output differs) -> what the tabs show
    "de": {
        (False, True): "die eigene Ausgabe",
        (True, False): "den eigenen Code",
        (True, True): "den eigenen Code oder die eigene Ausgabe",
    },
    "en": {
        (False, True): "output",
        (True, False): "code",
        (True, True): "code or output",
    },
}
# And on a page with a figure that differs by backend (build/figure_tabs.py).
FIGURES_TABBED = {
    "de": (
        "Abbildungen mit den Reitern {labels} zeigen, was der Lauf des jeweiligen "
        "Backends gezeichnet hat."
    ),
    "en": "Figures with the tabs {labels} show what each backend's own run drew.",
}
NO_CODE = {
    "de": "Diese Seite enthält keinen Code.",
    "en": "This page contains no code.",
}


class Refused(Exception):
    """The record is missing or does not vouch for what is on disk."""


def checked_record() -> dict[str, dict]:
    """Every backend's record, if each vouches for every snippet and notebook on
    disk (the primary one also for the figures and notebooks it wrote)."""
    records, found = {}, []
    for backend in backends.BACKENDS:
        try:
            records[backend] = vr.load(backend)
        except FileNotFoundError as error:
            found.append(str(error))
            continue
        found += vr.problems(records[backend], backend)
    if found:
        listing = "\n  - ".join(found)
        raise Refused(
            f"Refusing to build from unverified snippets:\n  - {listing}\n{vr.FIX}"
        )
    return records


def _versions(entries: list[dict], language: str) -> dict[str, str]:
    """The versions and date of the runs behind a page (each entry keeps its own;
    `entries` holds every backend's entries).

    The build has already refused entries whose versions differ from the installed
    ones, so the versions agree; runs of several files may differ in date.
    """
    versions = entries[0]["versions"]
    days = sorted({date.fromisoformat(entry["date"]) for entry in entries})
    german = language == "de"
    shown = [d.strftime("%d.%m.%Y") if german else d.isoformat() for d in days]
    named = [f"{backends.LABELS[b]} {versions[b]}" for b in backends.BACKENDS]
    return {
        "backends": ", ".join(named[:-1]) + AND[language] + named[-1],
        "keras": versions["keras"],
        "sklearn": versions["scikit-learn"],
        "day": AND[language].join(shown),
        "primary": backends.LABELS[backends.PRIMARY],
    }


def notebook_stamp(records: dict[str, dict], source: Path, language: str) -> str:
    entries = [records[b]["notebooks"][source.name] for b in backends.BACKENDS]
    text = NOTEBOOK_STAMP[language].format(
        cells=entries[0]["executed"],
        source=f"snippets/exercises/{source.name}",
        **_versions(entries, language),
    )
    return f'<p class="verified-stamp">✔ {text}</p>'


def stamp(
    records: dict[str, dict], markdown: str, language: str, path: Path | None = None
) -> str:
    files = sorted({file for file, _ in pages.snippet_includes(markdown)})
    if not files:
        return f'<p class="verified-stamp">{NO_CODE[language]}</p>'
    entries = [records[backends.PRIMARY]["snippets"][name] for name in files]
    everywhere = [records[b]["snippets"][n] for b in backends.BACKENDS for n in files]
    skipped = sum(e["skipped"] for e in entries)
    text = STAMP[language].format(
        examples=sum(e["passed"] for e in entries),
        files=", ".join(f"snippets/{name}" for name in files),
        skipped=SKIPPED[language].format(n=skipped) if skipped else "",
        **_versions(everywhere, language),
    )
    skipped_anywhere = any(e["skipped"] for e in everywhere)
    said = [text, by_backend(markdown, language, skipped_anywhere)]
    if path is not None and figure_tabs.differing_figures(markdown, path):
        said.append(FIGURES_TABBED[language].format(labels=LABELS))
    return f'<p class="verified-stamp">✔ {" ".join(said)}</p>'


def by_backend(markdown: str, language: str, skipped: bool = False) -> str:
    """Whether the page's blocks printed the same on every backend, derived from
    the snippet sections it includes (the build has refused a record in which a
    block failed on any backend)."""
    shown = backend_tabs.shown_blocks(pages.snippet_includes(markdown))
    differing = [block for block in shown if backend_tabs.differs(block)]
    vouched = BLOCK[language][skipped]
    if not differing:
        return SAME_EVERYWHERE[language].format(block=vouched)
    code = any(block.backends for block in differing)
    output = any(not block.backends for block in differing)
    what = WHAT[language][(code, output)]
    return TABBED[language].format(labels=LABELS, what=what, block=vouched)


def notebook_source(path: Path) -> Path | None:
    """snippets/exercises/<name>.py for an exercise page, else None."""
    if not layout.is_notebook_page(path):
        return None
    return layout.EXERCISES / path.with_suffix(".py").name


def stamped(records: dict, markdown: str, language: str, path: Path) -> str:
    """The page's Markdown with its stamp under the first heading."""
    source = notebook_source(path)
    if source is None:
        line = stamp(records, markdown, language, path)
    else:
        line = notebook_stamp(records, source, language)
    end = pages.title_end(markdown)
    if end is None:
        return f"{line}\n\n{markdown}"
    return f"{markdown[:end]}\n\n{line}\n{markdown[end:]}"
