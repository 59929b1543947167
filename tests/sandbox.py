"""Throw-away copies of the repository for tests of the maintainer tooling.

Tests that rewrite snippets, add topics or build the site do it in a copy under
pytest's tmp_path, never in the working tree, and run the real commands there in a
subprocess (the harness computes its paths from its own file, so the copy's
harness works on the copy).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from spickzettel.core.paths import ROOT
from spickzettel.verify.datasets import OFFLINE_CALIFORNIA

_IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "site",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
)
# The verify command's pytest: the Sybil plugin is loaded by name, as the Makefile
# does (no other pytest run loads it).
VERIFY = ["pytest", "-p", "spickzettel.verify.pytest_plugin"]
# The copy keeps the verification record (so a build there vouches for what the
# checkout verified), not the cache: a copy's run executes what it runs.
CACHE = ROOT / ".verified" / "cache"


def not_copied(folder: str, names: list[str]) -> set[str]:
    """shutil.copytree's `ignore`: what a copy leaves out of `folder`."""
    ignored = set(_IGNORED(folder, names))
    if Path(folder) == CACHE.parent:
        ignored |= {name for name in names if name == CACHE.name}
    return ignored


def copy_repo(dest: Path, parts: list[str] | None = None) -> Path:
    """Copy the repository (or only `parts` of it) to `dest`; returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts or [p.name for p in ROOT.iterdir()]:
        source = ROOT / part
        if not_copied(str(ROOT), [part]) or not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=not_copied)
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / part)
    return dest


# What harness_only copies: a test that runs only in such a copy reads these and
# nothing else of the checkout (for the verdict cache: `reads(*sandbox.HARNESS)`).
HARNESS = ("pyproject.toml", "mkdocs.yml", "spickzettel", "tests")


def harness_only(dest: Path) -> Path:
    """Just enough of the repository for pytest + Sybil to run snippets/."""
    copy_repo(dest, list(HARNESS))
    (dest / "snippets").mkdir()
    (dest / "docs").mkdir()
    return dest


def environment() -> dict[str, str]:
    """This environment without the outer pytest run's traces (xdist, the record)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTEST_") and key != "KERAS_SPICKZETTEL_RECORD"
    }
    env.update(TF_CPP_MIN_LOG_LEVEL="2", NO_MKDOCS_2_WARNING="1")
    # A copy under tmp_path has no ../shared beside it: it uses the checkout's
    # offline California housing (CI has no internet).
    env.setdefault("KERAS_SPICKZETTEL_CALIFORNIA", str(OFFLINE_CALIFORNIA))
    return env


def run(
    args: list[str], cwd: Path, backend: str | None = None
) -> subprocess.CompletedProcess:
    """Run a module of this Python (`pytest`, `mkdocs`, ...) in the copy, on the
    given Keras backend if one is named."""
    env = environment()
    if backend is not None:
        env["KERAS_BACKEND"] = backend
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
