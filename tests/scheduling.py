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


def unit_of(nodeid: str) -> str:
    """The unit a test goes to a worker with: its module, or `kernels-<backend>`."""
    if nodeid.startswith(KERNEL_RUNS) and nodeid.endswith("]"):
        parameters = nodeid[len(KERNEL_RUNS) : -1]  # "<topic>-<backend>"
        for backend in BACKENDS:
            if parameters.endswith(f"-{backend}"):
                return f"kernels-{backend}"
    return nodeid.split("::", 1)[0]


class ModulesAndKernelRuns(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)


@pytest.hookimpl(tryfirst=True)  # before xdist's own choice of scheduler
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return ModulesAndKernelRuns(config, log)
    return None
