"""The verification record: what the verify run executed, as the build reads it.

`make verify` (spickzettel/verify/pytest_plugin.py) writes it with save(); the
build (spickzettel/build/stamp.py, through overrides/hooks/verified.py) loads it and
refuses to build from snippets it does not vouch for (problems()). Both sides use
this one module and the output layout (spickzettel/core/layout.py), so they cannot
disagree on paths or hashes.
"""

from __future__ import annotations

import json
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from spickzettel.core import backends, layout
from spickzettel.core.pages import snippet_includes
from spickzettel.core.paths import VERIFIED

# Tests point this elsewhere to prove that a missing record stops the build.
# It is the primary backend's record; each other backend's lies beside it
# (record_path()).
RECORD_PATH = Path(os.environ.get("KERAS_SPICKZETTEL_RECORD", VERIFIED / "record.json"))


def record_path(backend: str = backends.PRIMARY) -> Path:
    """record.json for TensorFlow (what the pages show), record.<backend>.json else."""
    if backends.is_primary(backend):
        return RECORD_PATH
    return RECORD_PATH.with_name(f"{RECORD_PATH.stem}.{backend}.json")


FIX = "Run `make verify` (it executes the snippets and writes the record), then build."


# The libraries a page's stamp names; each record entry keeps the versions its run
# used, and the build refuses when the installed ones differ.
STAMPED_LIBRARIES = {
    **backends.DISTRIBUTIONS,
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
    if unit.parent == layout.EXERCISES:
        return [
            p.relative_to(layout.DOCS).as_posix()
            for p in layout.notebook_pages(unit.name).values()
        ]
    return [
        page.relative_to(layout.DOCS).as_posix()
        for language in layout.LANGUAGES
        for page in sorted((layout.DOCS / language).rglob("*.md"))
        if unit.name
        in {f for f, _ in snippet_includes(page.read_text(encoding="utf-8"))}
    ]


def version_problems(record: dict) -> list[str]:
    """Entries verified with other library versions than the installed ones."""
    installed = installed_versions()
    found = []
    units = [
        (layout.SNIPPETS / n, e) for n, e in record.get("snippets", {}).items()
    ] + [(layout.EXERCISES / n, e) for n, e in record.get("notebooks", {}).items()]
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
                f"{unit.relative_to(layout.ROOT)} (shown on {pages}) was verified with "
                f"{', '.join(differ)}."
            )
    return found


def load(backend: str = backends.PRIMARY) -> dict:
    path = record_path(backend)
    if not path.is_file():
        on = f" on {backends.LABELS[backend]}"
        raise FileNotFoundError(
            f"No verification record at {path}: the snippets have not been "
            f"executed{on} on this checkout. {FIX}"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def save(record: dict, backend: str = backends.PRIMARY) -> None:
    path = record_path(backend)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def problems(record: dict, backend: str = backends.PRIMARY) -> list[str]:
    """Everything that keeps the record from vouching for the current snippets.

    Every backend's run draws its own figures (layout.figure_dir); only the primary
    backend's run writes the notebooks and their pages, so another backend's record
    vouches for the same notebook sources having passed there.
    """
    found = _source_problems(record, backend)
    if backends.is_primary(backend):
        return found
    return [f"{backends.LABELS[backend]}: {problem}" for problem in found]


def _source_problems(record: dict, backend: str) -> list[str]:
    found = []
    entries = record.get("snippets", {})
    for path in layout.snippet_files():
        name = path.name
        entry = entries.get(name)
        if entry is None:
            found.append(f"snippets/{name} was never executed by the test run.")
            continue
        if entry["sha256"] != layout.digest(path):
            found.append(f"snippets/{name} changed after it was verified.")
        if entry["failed"]:
            found.append(f"snippets/{name}: {entry['failed']} example(s) failed.")
        if entry["passed"] + entry["skipped"] != entry["examples"]:
            found.append(
                f"snippets/{name}: only {entry['passed']} of {entry['examples']} "
                "examples passed in the recorded run (was it a partial run?)."
            )
        if entry["figures"] != layout.figure_digests(name, backend):
            folder = layout.figure_dir(name, backend).relative_to(layout.ROOT)
            found.append(
                f"snippets/{name}: the figures in {folder.as_posix()}/ are not "
                "the ones its verified run wrote."
            )
    for name in sorted(set(entries) - {p.name for p in layout.snippet_files()}):
        found.append(f"the record names snippets/{name}, which no longer exists.")
    check_outputs = backends.is_primary(backend)
    return found + notebook_problems(record, check_outputs) + version_problems(record)


def _differences(recorded: dict[str, str | None], now: dict[str, str | None]) -> str:
    """Which files differ from the record: missing, changed, or not from that run."""
    missing = [k for k, v in recorded.items() if v and not now.get(k)]
    changed = [k for k, v in recorded.items() if v and now.get(k) and now[k] != v]
    other = [k for k, v in now.items() if v and not recorded.get(k)]
    parts = [
        f"{label}: {', '.join(sorted(paths))}"
        for label, paths in (
            ("missing", missing),
            ("changed", changed),
            ("not from that run", other),
        )
        if paths
    ]
    return "; ".join(parts) or "different files"


def notebook_problems(record: dict, check_outputs: bool = True) -> list[str]:
    """The same promise for the exercise notebooks: pages show what the run wrote."""
    found = []
    entries = record.get("notebooks", {})
    sources = layout.notebook_sources()
    for path in sources:
        name = f"snippets/exercises/{path.name}"
        entry = entries.get(path.name)
        if entry is None:
            found.append(f"{name} was never executed by the test run.")
            continue
        if entry["sha256"] != layout.digest(path):
            found.append(f"{name} changed after it was verified.")
        if entry["failed"] or entry["executed"] != entry["code_cells"]:
            found.append(
                f"{name}: {entry['executed']} of {entry['code_cells']} code cells ran "
                "without error in the recorded run."
            )
        now = layout.notebook_digests(path.name)
        if check_outputs and entry["outputs"] != now:
            found.append(
                f"{name}: the notebooks (solution and task) and pages in "
                f"docs/*/exercises/ or the figures in docs/figures/exercises/"
                f"{path.stem}/ are not the ones its verified run wrote "
                f"({_differences(entry['outputs'], now)})."
            )
    for name in sorted(set(entries) - {p.name for p in sources}):
        found.append(
            f"the record names snippets/exercises/{name}, which no longer exists."
        )
    if not check_outputs:
        return found
    for path in layout.stray_notebook_files():
        found.append(
            f"{path.relative_to(layout.ROOT)} has no source in snippets/exercises/ "
            "(notebooks and their pages are written by the test run, never "
            "by hand)."
        )
    stems = {s.stem for s in sources}
    for folder in sorted((layout.FIGURES / "exercises").glob("*")):
        if folder.name not in stems:
            found.append(
                f"{folder.relative_to(layout.ROOT)} has no source in "
                "snippets/exercises/ "
                "(notebook figures are written by the test run, never by hand)."
            )
    return found
