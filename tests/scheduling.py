"""How pytest-xdist deals the tests to its two workers (`--dist loadfile`, Makefile).

A test module goes to one worker whole, as `loadfile` does (its module fixtures,
such as the browser tour's visits, are made once), with one exception: the page
notebooks' kernel runs (tests/browser/test_copied_code.py) form one unit per
backend. Together they take longer than all other tests, so as one unit they
would keep one worker busy long after the other had finished. A backend's runs
stay on one worker, in the module's order (its budget counts per process).

Why not `--dist loadgroup` with `xdist_group` marks: pytest-xdist 3.8 names a
group by rewriting `item._nodeid`, which pytest 9 no longer reads (`nodeid` comes
from `item._id`), so every item became a unit of its own, without a word, and each
browser page was visited once per worker instead of once.
"""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadFileScheduling

from spickzettel.core.backends import BACKENDS

KERNEL_RUNS = (
    "tests/browser/test_copied_code.py::"
    "test_copied_code_runs_and_prints_what_the_page_shows["
)


# Units that take half a minute or more where nothing is reused (CI), dealt right
# after the kernel runs. At the end of the collection order they were dealt last:
# a worker that took one of them ran on alone for 31 s (a clean-clone CI run,
# 2026-12-07, the planted defects 62 s and the scaffold's build 29 s).
LONG_UNITS = (
    "tests/test_planted_defects.py",
    "tests/test_scaffold.py",
    "tests/test_verdicts.py",
    "tests/test_cache.py",
)


def unit_of(nodeid: str) -> str:
    """The unit a test goes to a worker with: its module, or `kernels-<backend>`."""
    if nodeid.startswith(KERNEL_RUNS) and nodeid.endswith("]"):
        parameters = nodeid[len(KERNEL_RUNS) : -1]  # "<topic>-<backend>"
        for backend in BACKENDS:
            if parameters.endswith(f"-{backend}"):
                return f"kernels-{backend}"
    return nodeid.split("::", 1)[0]


def dealing_order(items: list) -> None:
    """Sort `items` (stably, so each unit keeps its order) into the order the units
    are dealt in: the kernel runs, then LONG_UNITS, then the rest as collected."""

    def rank(item) -> int:
        unit = unit_of(item.nodeid)
        if unit.startswith("kernels-"):
            return 0
        return 1 if unit in LONG_UNITS else 2

    items.sort(key=rank)


class ModulesAndKernelRuns(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)


@pytest.hookimpl(tryfirst=True)  # before xdist's own choice of scheduler
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return ModulesAndKernelRuns(config, log)
    return None
