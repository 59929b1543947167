"""Expected outputs that differ by backend, declared where they are written.

An example's expected output in a ```pycon block is the TensorFlow run's output
and, unless declared otherwise, every backend's. Where a backend legitimately prints
something else (training numbers: weights are initialised and sums reduced in another
order; an error's wording), the output lists that backend's lines after a marker
line, once per backend or group of backends:

    >>> print(f"loss {history.history['loss'][-1]:.2f}")
    loss 0.41
    [backend: jax]
    loss 0.40
    [backend: torch]
    loss 0.42

The verify run of each backend compares the code's output with that backend's
section (spickzettel/verify/sybil_parsers.py); the build shows each section under
its backend's tab (spickzettel/build/backend_tabs.py). A marker names only known
backends and never the primary one, and no backend twice: anything else is an
error, not a silently ignored line.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass

from spickzettel.core.backends import BACKENDS, PRIMARY

MARKER = re.compile(r"^[ \t]*\[backend: *(?P<names>[a-z, ]+)\][ \t]*$")


class VariantError(ValueError):
    pass


@dataclass(frozen=True)
class Section:
    backends: tuple[str, ...]  # () for the shared output (the primary backend's)
    lines: tuple[str, ...]


def is_marker(line: str) -> bool:
    return MARKER.match(line) is not None


def sections(want: str) -> list[Section]:
    """The expected output split at its marker lines; the first is the shared one."""
    found: list[Section] = []
    names: tuple[str, ...] = ()
    lines: list[str] = []
    seen: set[str] = set()
    for line in want.splitlines():
        match = MARKER.match(line)
        if match is None:
            lines.append(line)
            continue
        found.append(Section(names, tuple(lines)))
        names = tuple(n.strip() for n in match["names"].split(",") if n.strip())
        for name in names:
            if name not in BACKENDS or name == PRIMARY:
                raise VariantError(
                    f"[backend: {match['names']}]: {name!r} is not one of "
                    f"{', '.join(b for b in BACKENDS if b != PRIMARY)} (the "
                    f"unmarked output is {PRIMARY}'s and the default)"
                )
            if name in seen:
                raise VariantError(f"[backend: {name}] is declared twice")
            seen.add(name)
        lines = []
    found.append(Section(names, tuple(lines)))
    return found


def has_variants(want: str) -> bool:
    return any(is_marker(line) for line in want.splitlines())


def select(want: str, backend: str) -> str:
    """The expected output of `backend` (its own section, else the shared one)."""
    if not has_variants(want):
        return want
    chosen = sections(want)[0]
    for section in sections(want)[1:]:
        if backend in section.backends:
            chosen = section
    return "".join(line + "\n" for line in chosen.lines)


def outputs(pycon: str, backend: str) -> list[str]:
    """A doctest block's expected outputs, one per example, as `backend`'s run
    compares them."""
    examples = doctest.DocTestParser().get_examples(pycon)
    return [select(example.want, backend) for example in examples]


def differing(want: str) -> tuple[str, ...]:
    """The backends whose output differs from the shared one, in BACKENDS order."""
    if not has_variants(want):
        return ()
    named = {name for section in sections(want)[1:] for name in section.backends}
    return tuple(b for b in BACKENDS if b in named)


def replaced(want: str, backend: str, new_lines: list[str]) -> list[str]:
    """`want`'s lines with `backend`'s section set to `new_lines` (make refresh).

    The primary backend rewrites the shared section. Another backend gets a section
    of its own when it had none, or when it shared one with other backends.
    """
    parts = sections(want)
    if backend == PRIMARY:
        parts[0] = Section((), tuple(new_lines))
    else:
        own = [i for i, s in enumerate(parts) if backend in s.backends]
        if own and parts[own[0]].backends == (backend,):
            parts[own[0]] = Section((backend,), tuple(new_lines))
        else:
            if own:
                rest = tuple(b for b in parts[own[0]].backends if b != backend)
                parts[own[0]] = Section(rest, parts[own[0]].lines)
            parts.append(Section((backend,), tuple(new_lines)))
    lines: list[str] = list(parts[0].lines)
    for section in parts[1:]:
        lines.append(f"[backend: {', '.join(section.backends)}]")
        lines.extend(section.lines)
    return lines
