"""Whether the backends' verify runs go side by side or one after another.

`make verify` asks this before it starts them (exit 0: side by side). Each run
alone keeps both cores busy (xdist, two workers) when it has much to execute;
three such runs at once only contend for them: measured cold, 396.5 s side by side
against 351 s one after another. After an edit to one topic each run is mostly
start-up and one file on one core: 19.8 s side by side against 32.1 s. So the
runs go side by side when, on every backend, the files whose cached result no
longer holds (spickzettel/verify/cache.py) are few and their recorded execution
short; an exercise notebook to execute, a file never recorded, or FRESH keep them
one after another.
"""

from __future__ import annotations

import sys
from pathlib import Path

from spickzettel.core import backends, layout, record
from spickzettel.verify import cache, notebooks

# At most this many seconds of recorded execution per backend run side by side,
# and at most this many files each (a run side by side has one worker).
SIDE_BY_SIDE_SECONDS = 30.0
SIDE_BY_SIDE_FILES = 2


def units() -> list[Path]:
    """What the verify run executes or restores: every snippet file and every
    exercise notebook."""
    return [*sorted(layout.SNIPPETS.glob("*.md")), *notebooks.sources()]


def to_execute(backend: str) -> list[Path]:
    """The units whose cached result does not hold on `backend`."""
    return [unit for unit in units() if cache.lookup(unit, backend) is None]


def recorded_seconds(backend: str) -> dict[str, float]:
    """The execution time per snippet file that the last run on `backend`
    recorded ({} without a record)."""
    try:
        snippets = record.load(backend).get("snippets", {})
    except (OSError, ValueError):
        return {}
    return {
        name: entry["seconds"] for name, entry in snippets.items() if "seconds" in entry
    }


def side_by_side(names: list[str]) -> tuple[bool, str]:
    """Whether the runs on `names` go side by side, and why."""
    counts = []
    for backend in names:
        stale = to_execute(backend)
        recorded = recorded_seconds(backend)
        # A notebook has no recorded time, nor has a file the record does not hold.
        seconds = [
            recorded.get(unit.name) if unit.parent == layout.SNIPPETS else None
            for unit in stale
        ]
        if len(stale) > SIDE_BY_SIDE_FILES or None in seconds:
            return False, f"{backend}: {len(stale)} file(s) to execute"
        if sum(seconds) > SIDE_BY_SIDE_SECONDS:
            return False, f"{backend}: {sum(seconds):.0f} s recorded to execute"
        counts.append(f"{backend} {len(stale)} ({sum(seconds):.0f} s recorded)")
    return True, "file(s) to execute: " + ", ".join(counts)


def main(argv: list[str]) -> int:
    names = argv or list(backends.BACKENDS)
    # The thread settings are part of the cache's key: set them as the run does.
    backends.use_one_thread_each()
    together, why = side_by_side(names)
    print(f"verify: {'side by side' if together else 'one after another'} ({why})")
    return 0 if together else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
