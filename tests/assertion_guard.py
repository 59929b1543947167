"""A test item that passes without asserting anything fails.

A parametrized item that returns early for a page out of its scope, or a test whose
loop never runs, counts as a pass though it checked nothing. pytest's assertion
hook reports every `assert` that held (in the test modules and in tests/'s helper
modules, which tests/conftest.py registers for rewriting); an item whose call
phase saw none, and that does not check by `pytest.raises`, is turned into a
failure naming it. Asserts in fixtures do not count: they check the fixture, not
the item.
"""

from __future__ import annotations

import inspect
from collections import Counter

import pytest

_passed: Counter[str] = Counter()
_calling: set[str] = set()


def pytest_assertion_pass(item, lineno, orig, expl):
    if item.nodeid in _calling:
        _passed[item.nodeid] += 1


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    _calling.add(item.nodeid)
    try:
        return (yield)
    finally:
        _calling.discard(item.nodeid)


def _checks_by_raising(item) -> bool:
    function = getattr(item, "function", None)
    try:
        return function is not None and "pytest.raises" in inspect.getsource(function)
    except (OSError, TypeError):
        return False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if (
        report.when == "call"
        and report.passed
        and not _passed[item.nodeid]
        and not _checks_by_raising(item)
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} passed without asserting anything: a test item must "
            "check something that can fail (do not parametrize items that are out "
            "of the test's scope; skip them with the reason shown instead)"
        )
    return report
