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

import json
import os
import sys
from pathlib import Path

from spickzettel.core import backends, layout
from spickzettel.core.record import record_path
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
    saved = os.environ.get("KERAS_BACKEND")
    os.environ["KERAS_BACKEND"] = backend
    cache.environment_digest.cache_clear()
    try:
        return [unit for unit in units() if cache.lookup(unit) is None]
    finally:
        if saved is None:
            os.environ.pop("KERAS_BACKEND", None)
        else:
            os.environ["KERAS_BACKEND"] = saved
        cache.environment_digest.cache_clear()


def recorded_seconds(unit: Path, backend: str) -> float | None:
    """The execution time the last run on `backend` recorded for a snippet file;
    None for a notebook or a file the record does not hold."""
    try:
        record = json.loads(record_path(backend).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    seconds = record.get("snippets", {}).get(unit.name, {}).get("seconds")
    return None if unit.parent != layout.SNIPPETS else seconds


def side_by_side(names: list[str]) -> tuple[bool, str]:
    """Whether the runs on `names` go side by side, and why."""
    counts = []
    for backend in names:
        stale = to_execute(backend)
        seconds = [recorded_seconds(unit, backend) for unit in stale]
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
