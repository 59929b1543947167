"""The verification record: what the test run executed, as the build reads it.

`make verify` (pytest + Sybil, see tests/sybil_docs.py) writes it; the MkDocs hook
verified.py reads it and refuses to build from snippets it does not vouch for.
Both sides use this one module, so they cannot disagree on paths or hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
FIGURES = ROOT / "docs" / "figures"
# Exercise notebooks: one jupytext source per exercise, executed by the test run,
# written out as docs/<language>/exercises/<name>.ipynb (outputs included).
EXERCISES = SNIPPETS / "exercises"
# A page's include of snippet code, on a line of its own (pymdownx.snippets):
# --8<-- "<file>" or --8<-- "<file>:<section>".
SNIPPET_INCLUDE = re.compile(
    r'^[ \t]*--8<--[ \t]+"(?P<file>[^":]+)(?::(?P<section>[^"]+))?"[ \t]*$',
    re.MULTILINE,
)
NOTEBOOK_LANGUAGES = ("de", "en")
# Tests point this elsewhere to prove that a missing record stops the build.
RECORD_PATH = Path(
    os.environ.get("KERAS_SPICKZETTEL_RECORD", ROOT / ".verified" / "record.json")
)
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
        language: ROOT / "docs" / language / "exercises" / f"{stem}.ipynb"
        for language in NOTEBOOK_LANGUAGES
    }


def notebook_digests(source: str) -> dict[str, str | None]:
    """sha256 of each written notebook, keyed docs/<language>/exercises/<name>.ipynb."""
    return {
        path.relative_to(ROOT).as_posix(): digest(path) if path.is_file() else None
        for path in notebook_outputs(source).values()
    }


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
    return found + notebook_problems(record)


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
    for language in NOTEBOOK_LANGUAGES:
        for path in sorted((ROOT / "docs" / language / "exercises").glob("*.ipynb")):
            if path not in expected:
                found.append(
                    f"{path.relative_to(ROOT)} has no source in snippets/exercises/ "
                    "(notebooks are written by the test run, never by hand)."
                )
    return found
