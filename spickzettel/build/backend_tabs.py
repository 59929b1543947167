"""Blocks whose code or output differs by Keras backend, shown as content tabs.

Two kinds of block differ (both verified on each backend by its own run):

- a ```pycon block whose expected output has per-backend sections
  (`[backend: jax]` lines, spickzettel/core/output_variants.py): the same code, each
  backend's own output;
- consecutive fences whose info strings name their backends (```python backend=jax,
  spickzettel/core/fences.py): code that must differ by backend, each version run
  only on its own backend.

This Python-Markdown preprocessor runs after pymdownx.snippets has put the snippet
sections into the page (priority 32) and before pymdownx.superfences reads the
fences (25). It turns such a block into pymdownx.tabbed content tabs labelled
"TensorFlow | JAX | PyTorch" (core/backends.py LABELS), each holding an ordinary
fence with that backend's code and output, indented as the block was (inside a list
item or an admonition). Material's `content.tabs.link` (mkdocs.yml) links tabs by
their label: choosing JAX in one block chooses it in every block, and on the next
page (localStorage). Every other block is left as it is. No marker line and no
backend option reaches the page: each tab's fence is a plain one, so the copy button
(build/clean_copy.py) copies that tab's runnable code.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass

from markdown import Extension
from markdown.preprocessors import Preprocessor

from spickzettel.core import output_variants
from spickzettel.core.backends import BACKENDS, LABELS, PRIMARY
from spickzettel.core.fences import (
    BACKEND_OPTION,
    EXECUTED_LANGUAGES,
    FENCE_LINE,
    fence_backends,
)
from spickzettel.core.pages import SnippetBlock, included_blocks

# After pymdownx.snippets (32) has included the sections, before superfences (25).
PRIORITY = 30
EXAMPLE = doctest.DocTestParser._EXAMPLE_RE


class BackendTabsError(ValueError):
    """A block whose backends cannot be shown as one tab per backend."""


@dataclass(frozen=True)
class _Fence:
    first: int  # index of the opening line
    last: int  # index of the closing line
    indent: str
    marks: str  # ``` or ~~~~ ...
    info: str
    body: tuple[str, ...]  # the lines between, without the block's indentation

    @property
    def language(self) -> str:
        words = self.info.split()
        return words[0].lstrip("{.") if words else ""

    @property
    def backends(self) -> tuple[str, ...]:
        return fence_backends(self.info)

    @property
    def varies(self) -> bool:
        return self.language == "pycon" and output_variants.has_variants(
            "\n".join(self.body)
        )

    def where(self) -> str:
        return f"```{self.info.strip()} (first line: {self.body[:1]})"


def _fence_at(lines: list[str], first: int) -> _Fence | None:
    opening = FENCE_LINE.match(lines[first])
    if opening is None:
        return None
    indent, marks = opening["indent"], opening["fence"]
    for last in range(first + 1, len(lines)):
        closing = FENCE_LINE.match(lines[last])
        if (
            closing
            and closing["fence"][0] == marks[0]
            and len(closing["fence"]) >= len(marks)
            and not closing["info"].strip()
        ):
            body = tuple(_dedent(line, indent) for line in lines[first + 1 : last])
            return _Fence(first, last, indent, marks, opening["info"], body)
    return None  # unclosed: left to Markdown


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def output_for(body: str, backend: str) -> str:
    """A pycon block's text with each example's expected output as `backend`'s."""
    if not output_variants.has_variants(body):
        return body
    parts, last = [], 0
    for match in EXAMPLE.finditer(body):
        parts.append(body[last : match.start("want")])
        parts.append(output_variants.select(match["want"], backend))
        last = match.end("want")
    parts.append(body[last:])
    shown = "".join(parts)
    stray = [line for line in shown.splitlines() if output_variants.is_marker(line)]
    if stray:
        raise BackendTabsError(
            f"{stray[0].strip()!r} is not inside an example's output (a blank line "
            "ends the output doctest compares, so the verify run never read it):\n"
            + body
        )
    return shown


def _plain_info(info: str) -> str:
    """The info string without its backend option (superfences knows none)."""
    plain = BACKEND_OPTION.sub(lambda m: m.group(0)[0] if m.start() else "", info)
    plain = re.sub(r"\{\s*\}", "", plain)
    return " ".join(plain.split())


def _tab(indent: str, backend: str, fence: _Fence, first: bool) -> list[str]:
    body = "\n".join(fence.body)
    if fence.language == "pycon":
        body = output_for(body + "\n", backend).removesuffix("\n")
    inner = indent + "    "
    marker = "===!" if first else "==="  # `!`: a tab set of its own
    return [
        f'{indent}{marker} "{LABELS[backend]}"',
        "",
        f"{inner}{fence.marks}{_plain_info(fence.info)}",
        *(f"{inner}{line}" if line.strip() else "" for line in body.split("\n")),
        f"{inner}{fence.marks}",
        "",
    ]


def _group(lines: list[str], first: _Fence) -> list[_Fence]:
    """The fence and the backend fences right after it (blank lines between)."""
    group = [first]
    index = first.last + 1
    while True:
        while index < len(lines) and not lines[index].strip():
            index += 1
        fence = _fence_at(lines, index) if index < len(lines) else None
        if fence is None or not fence.backends or fence.indent != first.indent:
            return group
        group.append(fence)
        index = fence.last + 1


def _by_backend(group: list[_Fence]) -> dict[str, _Fence]:
    chosen: dict[str, _Fence] = {}
    for fence in group:
        if fence.language not in EXECUTED_LANGUAGES:
            raise BackendTabsError(
                f"{fence.where()}: only executed code ({', '.join(EXECUTED_LANGUAGES)})"
                " can name a backend, the verify run checks nothing else"
            )
        for backend in fence.backends:
            if backend in chosen:
                raise BackendTabsError(f"{fence.where()}: {backend} has two versions")
            chosen[backend] = fence
    missing = [LABELS[b] for b in BACKENDS if b not in chosen]
    if missing:
        raise BackendTabsError(
            f"{group[0].where()}: the code that differs by backend has no version for "
            f"{', '.join(missing)} (consecutive fences with backend=..., one per "
            "backend or group of backends)"
        )
    return chosen


def tabbed(lines: list[str]) -> list[str]:
    """The page's Markdown lines with every block that differs by backend as tabs."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        fence = _fence_at(lines, index)
        if fence is None:
            out.append(lines[index])
            index += 1
            continue
        if fence.backends:
            group = _group(lines, fence)
            chosen = _by_backend(group)
        elif fence.varies:
            group = [fence]
            chosen = dict.fromkeys(BACKENDS, fence)
        else:  # as it is, nested fences included
            out.extend(lines[fence.first : fence.last + 1])
            index = fence.last + 1
            continue
        out.append("")
        for number, backend in enumerate(BACKENDS):
            out.extend(_tab(fence.indent, backend, chosen[backend], number == 0))
        index = group[-1].last + 1
    return out


class BackendTabs(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return tabbed(lines)


class BackendTabsExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(BackendTabs(md), "backend_tabs", PRIORITY)


def makeExtension(**kwargs) -> BackendTabsExtension:
    return BackendTabsExtension(**kwargs)


# ---- what the stamp and the tests read --------------------------------------------


def differs(block: SnippetBlock) -> bool:
    """Whether the page shows this snippet block in backend tabs."""
    if block.backends:
        return True
    return block.language == "pycon" and output_variants.has_variants(block.code)


def shown_blocks(includes: list[tuple[str, str | None]]) -> list[SnippetBlock]:
    """The snippet blocks a page shows, from its includes (file, section)."""
    return [
        block for file, section in includes for block in included_blocks(file, section)
    ]


def primary_version(blocks: list[SnippetBlock]) -> list[SnippetBlock]:
    """The blocks the primary backend ran (one version of code that differs)."""
    return [block for block in blocks if block.runs_on(PRIMARY)]
