"""Which Markdown fences a text holds, and which of them are Python.

The one reader of fences, for every stage: it is Sybil's own fence lexer, the one
the verify run's parser uses (spickzettel/verify/sybil_parsers.py), so a block
listed here is a block Sybil sees, with the same rules for closing fences,
indentation and list or quote prefixes. Sybil executes the fences whose first
word is in EXECUTED_LANGUAGES; the build, the tools and the tests read the same
fences, and the lines outside them, from here.

Code that must differ by Keras backend (a custom train_step, a backend's own tensor
methods) is written as consecutive fences whose info strings name their backends,
each run only by that backend's verify run and shown as one group of content tabs
(spickzettel/build/backend_tabs.py):

    ```python backend=tensorflow
    ...
    ```
    ```python backend=jax,torch
    ...
    ```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sybil import Document
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

from spickzettel.core.backends import BACKENDS

# The fence languages this site executes. pycon: doctest with prompts and output.
EXECUTED_LANGUAGES = ("pycon", "python", "py")
# Anything a reader would take for Python; the guard test holds these to the list above.
PYTHON_LOOKING = re.compile(r"^(i?py(thon)?3?|pycon|py-?repl|pytb)$", re.IGNORECASE)

FENCE_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$"
)

# `backend=jax` or `backend="jax,torch"` among the words of an info string.
BACKEND_OPTION = re.compile(
    r'(?:^|[\s{])backend=(?P<quote>"?)(?P<names>[^"\s}]*)(?P=quote)(?=[\s}]|$)'
)


class UnknownFenceBackend(ValueError):
    pass


def fence_backends(info: str) -> tuple[str, ...]:
    """The backends a fence with this info string runs on, in BACKENDS order; ()
    when it names none (it runs on every backend)."""
    match = BACKEND_OPTION.search(info)
    if match is None:
        return ()
    names = [name.strip() for name in match["names"].split(",")]
    unknown = [name for name in names if name not in BACKENDS]
    if unknown or not names:
        raise UnknownFenceBackend(
            f"```{info.strip()}: {', '.join(map(repr, unknown)) or 'no backend'} "
            f"is not one of {', '.join(BACKENDS)}"
        )
    return tuple(b for b in BACKENDS if b in names)


@dataclass(frozen=True)
class Fence:
    line: int  # 1-based line of the opening fence
    start: int  # character offsets of the whole block
    end: int
    language: str  # first word of the info string ("" when none)
    backends: tuple[str, ...] = ()  # the only backends it runs on; () for all


# The whole info string of a fence: its language and options.
_INFO = re.compile(r"(?P<info>[^\n]*)$\n", re.MULTILINE)
_LEXER = RawFencedCodeBlockLexer(info_pattern=_INFO)


def fences(text: str) -> Iterator[Fence]:
    """Every fenced block of a Markdown text, in order, as Sybil's lexer finds it
    (a fence inside a fenced block is part of that block's text)."""
    for region in _LEXER(Document(text, "<markdown>")):
        info = region.lexemes["info"]
        words = info.split()
        yield Fence(
            text.count("\n", 0, region.start) + 1,
            region.start,
            region.end,
            words[0].lstrip("{.") if words else "",
            fence_backends(info),
        )


def in_fences(text: str) -> list[bool]:
    """Per line of the text (`text.split("\n")`, as the fences' line numbers count),
    whether it belongs to a fenced block, the fence lines included."""
    inside = [False] * len(text.split("\n"))
    for fence in fences(text):
        last = text.count("\n", 0, max(fence.end - 1, fence.start)) + 1
        for number in range(fence.line, last + 1):
            inside[number - 1] = True
    return inside
