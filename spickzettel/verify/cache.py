"""The verification cache: a file that has not changed is not executed again.

Unit: one snippet file (snippets/<topic>.md) or one exercise notebook
(snippets/exercises/<name>.py). Its key hashes everything that can change what
running it produces:

- the file's own bytes;
- the engine: every file of the package's folders that the verify run executes
  (EXECUTED: verify/, core/, drawing/);
- the environment: Python's version and implementation, the platform, the name and
  version of every installed distribution, and the environment variables that
  change how Keras runs.

A clean run of a unit (every example passed, nothing skipped that the file does
not skip itself) stores its record entry and what it wrote (figures, executed
notebooks) under .verified/cache/<unit>/. On the next run with the same key the
test run restores those files and the entry instead of executing the unit. The
run is deterministic (tests/test_determinism.py proves it for figures), which is
what makes a restored result the same as a fresh one.

`make verify FRESH=1` (pytest option --fresh) ignores the cache; a clean clone
has none, so CI always executes everything.

A unit whose run fails does not leave its half-written outputs behind: where the
slot holds the outputs of the run the record vouches for (last_good), they are put
back and the record keeps that entry, so the last good figures, notebooks and
record stay as they were (and `make build` stops before touching site/).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
from functools import cache
from importlib.metadata import distributions
from pathlib import Path

from spickzettel.core import backends
from spickzettel.core.paths import ROOT, VERIFIED

CACHE = VERIFIED / "cache"
ENGINE = Path(__file__).resolve().parents[1]  # spickzettel/
# Settings a reader could change that change how the snippets run.
ENVIRONMENT_VARIABLES = (
    "KERAS_SPICKZETTEL_FRESH_KERNELS",
    *backends.ONE_THREAD_EACH,
)
ENTRY = "entry.json"
PROJECT = "keras-spickzettel"
FILES = "files"

fresh = False  # set by the pytest option --fresh (pytest_plugin.py)


def environment_digest(backend: str | None = None) -> str:
    """The environment's digest for `backend` (default: this process's)."""
    return _environment_digest(backend or backends.current())


@cache
def _environment_digest(backend: str) -> str:
    # A set: the same distribution can be found twice on sys.path (the editable
    # install's metadata beside the checkout), and workers' sys.path differ from
    # the controller's. The project itself is covered by engine_digest().
    installed = sorted(
        {
            f"{dist.metadata['Name']}=={dist.version}".lower()
            for dist in distributions()
            if dist.metadata["Name"].lower() != PROJECT
        }
    )
    parts = [
        sys.version,
        platform.python_implementation(),
        platform.system(),
        platform.machine(),
        *installed,
        # The backend as Keras resolves it: unset and "tensorflow" are one backend.
        f"KERAS_BACKEND={backend}",
        *(f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT_VARIABLES),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# The folders of the package the verify run executes: the run itself, the core it
# reads its paths and sources with, and the drawing code the snippets import.
# tests/test_cache.py proves that the run imports nothing of the package outside
# them; build/, downloads/ and tools/ change no result, so they are not hashed.
EXECUTED = ("verify", "core", "drawing")


def engine_files() -> list[Path]:
    """The package's files that the verify run executes (every file of the folders,
    not only Python: a data file read by the run counts too)."""
    found = [ENGINE / "__init__.py"]
    for folder in EXECUTED:
        found += [
            path
            for path in sorted((ENGINE / folder).rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        ]
    return found


@cache
def engine_digest() -> str:
    digest = hashlib.sha256()
    for path in engine_files():
        name = path.relative_to(ENGINE).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(unit: Path, backend: str | None = None) -> str:
    """What the run of `unit` on `backend` (default: this process's) depends on."""
    parts = (
        unit.read_bytes(),
        engine_digest().encode(),
        environment_digest(backend).encode(),
    )
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _slot(unit: Path, backend: str | None = None) -> Path:
    """One slot per unit and backend: each backend's run is cached on its own."""
    name = unit.relative_to(ROOT).as_posix().replace("/", "__")
    return CACHE / (backend or backends.current()) / name


def lookup(unit: Path, backend: str | None = None) -> dict | None:
    """The stored record entry of `unit` on `backend` (default: this process's)
    if its key still holds, else None. Make asks it for every backend before the
    runs start (spickzettel/tools/verify_plan.py)."""
    if fresh:
        return None
    stored = _slot(unit, backend) / ENTRY
    if not stored.is_file():
        return None
    cached = json.loads(stored.read_text(encoding="utf-8"))
    if cached.get("key") != key(unit, backend):
        return None
    return cached["entry"]


def last_good(unit: Path, entry: dict | None) -> bool:
    """Whether the cache holds the outputs of the run `entry` records (the record's
    entry for `unit`), whatever the file holds now: what a failed run puts back."""
    stored = _slot(unit) / ENTRY
    if entry is None or not stored.is_file():
        return False
    return json.loads(stored.read_text(encoding="utf-8")).get("entry") == entry


def restore(unit: Path, outputs: list[Path]) -> None:
    """Put back what the cached run wrote: `outputs` are folders or files under ROOT.

    Folders are emptied first, so that no file of another run survives.
    """
    saved = _slot(unit) / FILES
    for output in outputs:
        source = saved / output.relative_to(ROOT)
        if output.is_dir() or source.is_dir():
            shutil.rmtree(output, ignore_errors=True)
            if source.is_dir():
                shutil.copytree(source, output)
            else:
                output.mkdir(parents=True)
        else:
            output.unlink(missing_ok=True)
            if source.is_file():
                output.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, output)


def store(unit: Path, entry: dict, outputs: list[Path]) -> None:
    """Keep a clean run's entry and outputs; one slot per unit, the newest run."""
    slot = _slot(unit)
    shutil.rmtree(slot, ignore_errors=True)
    saved = slot / FILES
    saved.mkdir(parents=True)
    for output in outputs:
        target = saved / output.relative_to(ROOT)
        if output.is_dir():
            shutil.copytree(output, target)
        elif output.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(output, target)
    text = json.dumps({"key": key(unit), "entry": entry}, indent=2, sort_keys=True)
    (slot / ENTRY).write_text(text + "\n", encoding="utf-8")
