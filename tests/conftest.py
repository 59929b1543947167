"""Hooks for every run of tests/: this conftest is loaded by the xdist controller
too, which per-directory conftests are not."""

import os

import pytest

from spickzettel.core import backends

# Two workers on two cores, as in the verify run: the kernels and subprocesses the
# tests start inherit one thread per library (spickzettel/core/backends.py says why).
backends.use_one_thread_each()

# Before any helper module of tests/ is imported: their asserts are rewritten too,
# so that the assertion guard sees the ones that hold.
# (the package `tests` itself is imported already, as this module's parent).
pytest.register_assert_rewrite("tests.browser", "tests.sandbox")

from spickzettel.downloads import pdf  # noqa: E402
from tests import verdicts  # noqa: E402
from tests.assertion_guard import (  # noqa: E402
    pytest_assertion_pass,
    pytest_runtest_call,
    pytest_runtest_makereport,
    pytest_runtest_protocol,
)
from tests.browser.weights import (  # noqa: E402
    pytest_runtest_logreport,
    pytest_terminal_summary,
)
from tests.scheduling import dealing_order, pytest_xdist_make_scheduler  # noqa: E402

__all__ = [
    "browser",
    "pytest_assertion_pass",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_runtest_call",
    "pytest_runtest_logreport",
    "pytest_runtest_makereport",
    "pytest_runtest_protocol",
    "pytest_terminal_summary",
    "pytest_xdist_make_scheduler",
]

# Tests that prove a maintainer tool end to end (a full strict build in a copy of
# the repository) run where CI=true, as in .ci/run and the GitHub workflow; the
# local `make test` skips them and says so, to stay within its time budget.
CI_ONLY = pytest.mark.skip(reason="proves a maintainer tool end to end: runs in CI")


def pytest_configure(config):
    # The verdict cache (tests/verdicts.py): a check that passed is not run again
    # while everything it read is unchanged; FRESH=1 or CI=true runs all.
    config.pluginmanager.register(verdicts, "verdicts")


def pytest_collection_modifyitems(config, items):
    dealing_order(items)
    if os.environ.get("CI", "").lower() in ("", "0", "false"):
        for item in items:
            if item.get_closest_marker("ci_only"):
                item.add_marker(CI_ONLY)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one per test process (Playwright cannot download its own
    here, and a process can drive only one sync Playwright at a time), for the
    browser tests and the cheat sheet's print tests alike."""
    from playwright.sync_api import sync_playwright

    try:
        pdf.chromium_path()
    except pdf.PdfError as error:
        pytest.fail(str(error), pytrace=False)
    with sync_playwright() as playwright:
        chromium = pdf.launch(playwright)
        yield chromium
        chromium.close()
