"""The Python code a Markdown file shows, piece by piece, with its line numbers.

A piece ("unit") is what a reader copies and what ruff formats as a whole: one
doctest example (`>>>` line and its `...` lines, prompts removed) or one plain
```` ```python ```` block. Fences are found the way the Sybil harness finds them
(spickzettel/core/fences.py), so the linter sees exactly the code that runs; a
unit of a fence that names backends (```python backend=jax) knows them, since only
those backends' runs execute it.
"""

from __future__ import annotations

import doctest
from dataclasses import dataclass
from pathlib import Path

from spickzettel.core.fences import EXECUTED_LANGUAGES, fences


@dataclass(frozen=True)
class Unit:
    path: Path
    first_line: int  # 1-based line of the unit's first code line in the file
    n_lines: int  # lines the code takes in the file
    source: str  # the code without prompts, ending in "\n"
    doctest: bool  # True: shown with >>> / ... prompts
    indent: str  # what precedes the code (or the prompt) on each line
    backends: tuple[str, ...] = ()  # the only backends that run it; () for all

    def runs_on(self, backend: str) -> bool:
        return not self.backends or backend in self.backends

    def rendered(self, source: str) -> list[str]:
        """`source` as it would stand in the file in place of this unit."""
        lines = source.splitlines()
        if not self.doctest:
            return [f"{self.indent}{line}".rstrip() + "\n" for line in lines]
        prompts = [">>> "] + ["... "] * (len(lines) - 1)
        return [
            f"{self.indent}{prompt}{line}".rstrip() + "\n"
            for prompt, line in zip(prompts, lines, strict=True)
        ]


def units(path: Path) -> list[Unit]:
    text = path.read_text(encoding="utf-8")
    found = []
    for fence in fences(text):
        if fence.language not in EXECUTED_LANGUAGES:
            continue
        block = text[fence.start : fence.end].splitlines(keepends=True)
        opening, body = block[0], block[1:-1]
        fence_indent = opening[: len(opening) - len(opening.lstrip())]
        body = [_dedent(line, fence_indent) for line in body]
        code = "".join(body)
        body_line = fence.line + 1
        if code.startswith(">>>"):  # Sybil's rule for a doctest block
            for example in doctest.DocTestParser().get_examples(code):
                found.append(
                    Unit(
                        path=path,
                        first_line=body_line + example.lineno,
                        n_lines=example.source.count("\n"),
                        source=example.source,
                        doctest=True,
                        indent=fence_indent + " " * example.indent,
                        backends=fence.backends,
                    )
                )
        elif code.strip():
            found.append(
                Unit(
                    path=path,
                    first_line=body_line,
                    n_lines=len(body),
                    source=code if code.endswith("\n") else code + "\n",
                    doctest=False,
                    indent=fence_indent,
                    backends=fence.backends,
                )
            )
    return found


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def replace_units(path: Path, replacements: dict[Unit, str]) -> None:
    """Write new code for some units of `path`; every other line stays as it is."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for unit in sorted(replacements, key=lambda u: u.first_line, reverse=True):
        start = unit.first_line - 1
        lines[start : start + unit.n_lines] = unit.rendered(replacements[unit])
    path.write_text("".join(lines), encoding="utf-8")
