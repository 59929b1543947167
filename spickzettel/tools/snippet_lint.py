"""ruff for the code shown on the site: `python -m spickzettel.tools.snippet_lint`.

Every executed block of snippets/*.md (and of docs/, which should have none) is
checked like project code: `ruff check` on each file's code as one module (one
namespace per file, as Sybil runs it), and `ruff format` on each unit (a doctest
example or a plain block; see snippet_code.py). A file with code that differs by
Keras backend (```python backend=jax) is checked once per backend, as each backend's
run executes it, and its blocks must make one tab per backend on the page
(spickzettel/build/backend_tabs.py: every backend has a version, no `[backend: ...]`
line outside an example's output). Messages name the Markdown file and line.
`--fix` rewrites the code of unformatted units in place, prompts re-added, output
lines untouched (`make format`); verify again afterwards.

Exit status 1 when anything is reported.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from spickzettel.build.backend_tabs import BackendTabsError, tabbed
from spickzettel.core.backends import BACKENDS
from spickzettel.core.fences import UnknownFenceBackend
from spickzettel.core.paths import ROOT
from spickzettel.tools.snippet_code import Unit, replace_units, units

# A code block beside Material's two sidebars shows 80 columns (measured in
# Chromium at 1220-1920 px); 76 leaves room for the `>>> ` prompt.
LINE_LENGTH = 76
OPTIONS = [
    "--config",
    f"line-length = {LINE_LENGTH}",
    # On a page code follows the imports of a setup block directly.
    "--config",
    "lint.isort.lines-after-imports = 0",
]
CHECK_IGNORE = [
    "E402",  # a page imports a module where the topic first needs it
]


def ruff() -> str:
    beside_python = Path(sys.executable).with_name("ruff")
    return str(beside_python) if beside_python.exists() else shutil.which("ruff")


def default_files(root: Path = ROOT) -> list[Path]:
    """The snippets and the pages; not the exercise pages, which the test run
    writes from snippets/exercises/*.py (linted there, with its ruff.toml)."""
    exercises = {path.stem for path in root.glob("snippets/exercises/*.py")}
    pages = [
        path
        for path in sorted(root.glob("docs/**/*.md"))
        if not (path.parent.name == "exercises" and path.stem in exercises)
    ]
    return sorted(root.glob("snippets/*.md")) + pages


def shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _run_ruff(args: list[str], root: Path) -> subprocess.CompletedProcess:
    config = ["--config", str(root / "pyproject.toml"), *OPTIONS]
    return subprocess.run(
        [ruff(), *args, "--no-cache", *config],
        capture_output=True,
        text=True,
        check=False,
    )


def modules(file_units: list[Unit]) -> list[list[Unit]]:
    """The file's code as the verify runs execute it: one module, or one per backend
    where some of its code runs on some backends only."""
    if not any(unit.backends for unit in file_units):
        return [file_units]
    return [[u for u in file_units if u.runs_on(backend)] for backend in BACKENDS]


def check(by_file: dict[Path, list[Unit]], root: Path, work: Path) -> list[str]:
    """`ruff check` on each file's code as one module, mapped back to Markdown lines."""
    line_of: dict[str, tuple[Path, list[int]]] = {}
    for number, (path, file_units) in enumerate(by_file.items()):
        for variant, module_units in enumerate(modules(file_units)):
            module, lines = [], []
            for unit in module_units:
                module.append(unit.source)
                lines.extend(range(unit.first_line, unit.first_line + unit.n_lines))
            name = work / f"check_{number:03d}_{variant}.py"
            name.write_text("".join(module), encoding="utf-8")
            line_of[name.name] = (path, lines)
    if not line_of:
        return []
    result = _run_ruff(
        ["check", "--output-format", "json", "--ignore", ",".join(CHECK_IGNORE)]
        + [str(work / name) for name in line_of],
        root,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"ruff check failed:\n{result.stderr}")
    messages = []
    for found in json.loads(result.stdout):
        path, lines = line_of[Path(found["filename"]).name]
        row = found["location"]["row"]
        line = lines[min(row, len(lines)) - 1] if lines else 1
        code = found.get("code") or "syntax"
        message = (
            f"{shown(path, root)}:{line}:{found['location']['column']}: "
            f"{code} {found['message']}"
        )
        if message not in messages:  # code every backend runs: once
            messages.append(message)
    return messages


def tab_problems(path: Path, root: Path) -> list[str]:
    """What keeps the file's blocks from showing as one tab per backend."""
    try:
        tabbed(path.read_text(encoding="utf-8").splitlines())
    except (BackendTabsError, UnknownFenceBackend) as error:
        return [f"{shown(path, root)}: {error}"]
    return []


def formatted(by_file: dict[Path, list[Unit]], root: Path, work: Path) -> dict:
    """What `ruff format` makes of each unit: {unit: new source} where it differs."""
    files = {}
    for number, unit in enumerate(u for units_ in by_file.values() for u in units_):
        name = work / f"unit_{number:05d}.py"
        name.write_text(unit.source, encoding="utf-8")
        files[name] = unit
    if not files:
        return {}
    # Units that do not parse are left as they are; `check` reports them.
    _run_ruff(["format", "--quiet", str(work)], root)
    changed = {}
    for name, unit in files.items():
        source = name.read_text(encoding="utf-8")
        if source != unit.source:
            changed[unit] = source
    return changed


def lint(files: list[Path], root: Path = ROOT, fix: bool = False) -> list[str]:
    structure = [problem for path in files for problem in tab_problems(path, root)]
    if structure:
        return structure
    by_file = {path: units(path) for path in files}
    by_file = {path: found for path, found in by_file.items() if found}
    with tempfile.TemporaryDirectory(prefix="snippet-lint-") as tmp:
        check_dir, format_dir = Path(tmp, "check"), Path(tmp, "format")
        check_dir.mkdir()
        format_dir.mkdir()
        changes = formatted(by_file, root, format_dir)
        if fix and changes:
            for path in by_file:
                mine = {u: s for u, s in changes.items() if u.path == path}
                if mine:
                    replace_units(path, mine)
                    print(f"reformatted: {shown(path, root)} ({len(mine)} units)")
            print("The snippets changed: run `make verify` before building.")
            by_file = {path: units(path) for path in by_file}
            changes = {}
        messages = check(by_file, root, check_dir)
    for unit, source in sorted(changes.items(), key=lambda c: c[0].first_line):
        expected = "".join("    " + line for line in unit.rendered(source))
        messages.append(
            f"{shown(unit.path, root)}:{unit.first_line}: code not formatted like "
            f"`ruff format` (line length {LINE_LENGTH}); `make format` writes:\n"
            f"{expected.rstrip()}"
        )
    return messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="default: snippets, docs")
    parser.add_argument("--fix", action="store_true", help="reformat the code in place")
    args = parser.parse_args(argv)
    files = args.files or default_files()
    messages = lint(files, fix=args.fix)
    for message in messages:
        print(message)
    n_units = sum(len(units(path)) for path in files)
    if messages:
        count = f"{len(messages)} problem{'' if len(messages) == 1 else 's'}"
        print(f"snippet lint: {count} in the code of the snippets.")
        return 1
    print(f"snippet lint: {len(files)} files, {n_units} code units, all clean.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
