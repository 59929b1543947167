"""The verification record: what the test run executed, as the build reads it.

`make verify` (pytest + Sybil, see spickzettel/pytest_plugin.py) writes it; the
MkDocs hook overrides/hooks/verified.py reads it and refuses to build from snippets
it does not vouch for. Both sides use this one module, so they cannot disagree on
paths or hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from spickzettel.paths import (
    DOCS,
    EXERCISES,
    FIGURES,
    LANGUAGES,
    ROOT,
    SNIPPETS,
    VERIFIED,
)

# A page's include of snippet code, on a line of its own (pymdownx.snippets):
# --8<-- "<file>" or --8<-- "<file>:<section>".
SNIPPET_INCLUDE = re.compile(
    r'^[ \t]*--8<--[ \t]+"(?P<file>[^":]+)(?::(?P<section>[^"]+))?"[ \t]*$',
    re.MULTILINE,
)
# Tests point this elsewhere to prove that a missing record stops the build.
RECORD_PATH = Path(os.environ.get("KERAS_SPICKZETTEL_RECORD", VERIFIED / "record.json"))
FIX = "Run `make verify` (it executes the snippets and writes the record), then build."


def snippet_includes(markdown: str) -> list[tuple[str, str | None]]:
    """(file, section) of every snippet include, in page order (None: whole file)."""
    return [(m["file"], m["section"]) for m in SNIPPET_INCLUDE.finditer(markdown)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snippet_files() -> list[Path]:
    return sorted(SNIPPETS.glob("*.md"))


def figure_dir(snippet: str) -> Path:
    """Figures written by snippets/<topic>.md land in docs/figures/<topic>/."""
    return FIGURES / Path(snippet).stem


def figure_digests(snippet: str) -> dict[str, str]:
    folder = figure_dir(snippet)
    return {
        path.relative_to(FIGURES).as_posix(): digest(path)
        for path in sorted(folder.glob("*"))
        if path.is_file()
    }


def notebook_sources() -> list[Path]:
    return sorted(EXERCISES.glob("*.py"))


def notebook_outputs(source: str) -> dict[str, Path]:
    """Where the run writes the executed notebook of snippets/exercises/<source>."""
    stem = Path(source).stem
    return {
        language: DOCS / language / "exercises" / f"{stem}.ipynb"
        for language in LANGUAGES
    }


def notebook_digests(source: str) -> dict[str, str | None]:
    """sha256 of each written notebook, keyed docs/<language>/exercises/<name>.ipynb."""
    return {
        path.relative_to(ROOT).as_posix(): digest(path) if path.is_file() else None
        for path in notebook_outputs(source).values()
    }


def unit_outputs(unit: Path) -> list[Path]:
    """What running a snippet file or an exercise notebook writes to disk."""
    if unit.parent == EXERCISES:
        return list(notebook_outputs(unit.name).values())
    return [figure_dir(unit.name)]


# The libraries a page's stamp names; each record entry keeps the versions its run
# used, and the build refuses when the installed ones differ.
STAMPED_LIBRARIES = {
    "tensorflow": ("tensorflow-cpu", "tensorflow"),
    "keras": ("keras",),
    "scikit-learn": ("scikit-learn",),
}


def installed_versions() -> dict[str, str]:
    found = {}
    for library, distributions in STAMPED_LIBRARIES.items():
        found[library] = "not installed"
        for name in distributions:
            try:
                found[library] = version(name)
                break
            except PackageNotFoundError:
                continue
    return found


def entry_is_clean(entry: dict) -> bool:
    """Did this run of a unit pass completely (what the cache may keep)?"""
    if "code_cells" in entry:  # an exercise notebook
        return not entry["failed"] and entry["executed"] == entry["code_cells"]
    return (
        not entry["failed"] and entry["passed"] + entry["skipped"] == entry["examples"]
    )


def pages_showing(unit: Path) -> list[str]:
    """The pages (docs/<language>/...) that show a snippet file or a notebook."""
    if unit.parent == EXERCISES:
        return [
            p.relative_to(DOCS).as_posix() for p in notebook_outputs(unit.name).values()
        ]
    return [
        page.relative_to(DOCS).as_posix()
        for language in LANGUAGES
        for page in sorted((DOCS / language).rglob("*.md"))
        if unit.name
        in {f for f, _ in snippet_includes(page.read_text(encoding="utf-8"))}
    ]


def version_problems(record: dict) -> list[str]:
    """Entries verified with other library versions than the installed ones."""
    installed = installed_versions()
    found = []
    units = [(SNIPPETS / n, e) for n, e in record.get("snippets", {}).items()] + [
        (EXERCISES / n, e) for n, e in record.get("notebooks", {}).items()
    ]
    for unit, entry in units:
        verified = entry.get("versions", {})
        differ = [
            f"{library} {verified.get(library, 'unknown')} (installed: {now})"
            for library, now in installed.items()
            if verified.get(library) != now
        ]
        if differ and unit.is_file():
            pages = ", ".join(pages_showing(unit)) or "no page"
            found.append(
                f"{unit.relative_to(ROOT)} (shown on {pages}) was verified with "
                f"{', '.join(differ)}."
            )
    return found


def load() -> dict:
    if not RECORD_PATH.is_file():
        raise FileNotFoundError(
            f"No verification record at {RECORD_PATH}: the snippets have not been "
            f"executed on this checkout. {FIX}"
        )
    return json.loads(RECORD_PATH.read_text(encoding="utf-8"))


def save(record: dict) -> None:
    RECORD_PATH.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    RECORD_PATH.write_text(text, encoding="utf-8")


def problems(record: dict) -> list[str]:
    """Everything that keeps the record from vouching for the current snippets."""
    found = []
    entries = record.get("snippets", {})
    for path in snippet_files():
        name = path.name
        entry = entries.get(name)
        if entry is None:
            found.append(f"snippets/{name} was never executed by the test run.")
            continue
        if entry["sha256"] != digest(path):
            found.append(f"snippets/{name} changed after it was verified.")
        if entry["failed"]:
            found.append(f"snippets/{name}: {entry['failed']} example(s) failed.")
        if entry["passed"] + entry["skipped"] != entry["examples"]:
            found.append(
                f"snippets/{name}: only {entry['passed']} of {entry['examples']} "
                "examples passed in the recorded run (was it a partial run?)."
            )
        if entry["figures"] != figure_digests(name):
            found.append(
                f"snippets/{name}: the figures in docs/figures/{path.stem}/ are not "
                "the ones its verified run wrote."
            )
    for name in sorted(set(entries) - {p.name for p in snippet_files()}):
        found.append(f"the record names snippets/{name}, which no longer exists.")
    return found + notebook_problems(record) + version_problems(record)


def notebook_problems(record: dict) -> list[str]:
    """The same promise for the exercise notebooks: pages show what the run wrote."""
    found = []
    entries = record.get("notebooks", {})
    sources = notebook_sources()
    for path in sources:
        name = f"snippets/exercises/{path.name}"
        entry = entries.get(path.name)
        if entry is None:
            found.append(f"{name} was never executed by the test run.")
            continue
        if entry["sha256"] != digest(path):
            found.append(f"{name} changed after it was verified.")
        if entry["failed"] or entry["executed"] != entry["code_cells"]:
            found.append(
                f"{name}: {entry['executed']} of {entry['code_cells']} code cells ran "
                "without error in the recorded run."
            )
        if entry["outputs"] != notebook_digests(path.name):
            found.append(
                f"{name}: the notebooks in docs/*/exercises/ are not the ones its "
                "verified run wrote."
            )
    for name in sorted(set(entries) - {p.name for p in sources}):
        found.append(
            f"the record names snippets/exercises/{name}, which no longer exists."
        )
    expected = {p for s in sources for p in notebook_outputs(s.name).values()}
    for language in LANGUAGES:
        for path in sorted((DOCS / language / "exercises").glob("*.ipynb")):
            if path not in expected:
                found.append(
                    f"{path.relative_to(ROOT)} has no source in snippets/exercises/ "
                    "(notebooks are written by the test run, never by hand)."
                )
    return found
