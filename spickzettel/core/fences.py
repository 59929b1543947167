"""Which Markdown fences a text holds, and which of them are Python.

Read by every stage: the verify run's Sybil parser executes the fences whose first
word is in EXECUTED_LANGUAGES (spickzettel/verify/sybil_parsers.py), the build and
the tools read the same fences from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The fence languages this site executes. pycon: doctest with prompts and output.
EXECUTED_LANGUAGES = ("pycon", "python", "py")
# Anything a reader would take for Python; the guard test holds these to the list above.
PYTHON_LOOKING = re.compile(r"^(i?py(thon)?3?|pycon|py-?repl|pytb)$", re.IGNORECASE)

FENCE_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$"
)


@dataclass(frozen=True)
class Fence:
    line: int  # 1-based line of the opening fence
    start: int  # character offsets of the whole block
    end: int
    language: str  # first word of the info string ("" when none)


def fences(text: str) -> Iterator[Fence]:
    """All fenced blocks of a Markdown text, nested ones included."""
    open_fence: tuple[re.Match, int, int] | None = None
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        match = FENCE_LINE.match(line.rstrip("\n"))
        if match:
            if open_fence is None:
                open_fence = (match, number, offset)
            else:
                opening, opened_at, start = open_fence
                same_kind = match["fence"][0] == opening["fence"][0]
                long_enough = len(match["fence"]) >= len(opening["fence"])
                if same_kind and long_enough and not match["info"].strip():
                    words = opening["info"].split()
                    language = words[0].lstrip("{.") if words else ""
                    yield Fence(opened_at, start, offset + len(line), language)
                    open_fence = None
        offset += len(line)
