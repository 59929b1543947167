"""Which Markdown fences a text holds, and which of them are Python.

Read by every stage: the verify run's Sybil parser executes the fences whose first
word is in EXECUTED_LANGUAGES (spickzettel/verify/sybil_parsers.py), the build and
the tools read the same fences from here.

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
                    yield Fence(
                        opened_at,
                        start,
                        offset + len(line),
                        language,
                        fence_backends(opening["info"]),
                    )
                    open_fence = None
        offset += len(line)
