"""A test item that passes without asserting anything fails.

A parametrized item that returns early for a page out of its scope, or a test whose
loop never runs, counts as a pass though it checked nothing. pytest's assertion
hook reports every `assert` that held (in the test modules and in tests/'s helper
modules, which tests/conftest.py registers for rewriting); an item whose call
phase saw none, and that does not check by `pytest.raises`, is turned into a
failure naming it. Asserts in fixtures do not count: they check the fixture, not
the item.

The hook has a price: with it, pytest works out the explanation of every assert
that holds, as of one that fails. Where CI is set, that explanation of `==` on
lists and dicts is a full pretty-printed diff (pytest's running_on_ci()), which on
the exercise pages' figures (dicts of PNG bytes) took about 90 s an item. A
comparison that held needs no diff: `explain_failures_only` asks pytest's
explanation only of a comparison that does not hold, so a failure reads as before.
"""

from __future__ import annotations

import inspect
import operator
from collections import Counter

import pytest
from _pytest.assertion import util as assertion_util

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


# The comparisons of pytest's assertion rewriting, by the operator it names them.
HOLDS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "is": operator.is_,
    "is not": operator.is_not,
    "in": lambda left, right: left in right,
    "not in": lambda left, right: left not in right,
}


def explain_failures_only(explain):
    """pytest's comparison explanation, asked only of a comparison that fails."""

    def explanation(op, left, right):
        holds = HOLDS.get(op)
        try:
            if holds is not None and bool(holds(left, right)):
                return None  # held: pytest's plain explanation is enough
        except Exception:  # e.g. arrays: let pytest explain
            pass
        return explain(op, left, right)

    return explanation


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item):
    # Runs inside pytest's own wrapper (tryfirst), which sets _reprcompare.
    explain = assertion_util._reprcompare
    if explain is not None:
        assertion_util._reprcompare = explain_failures_only(explain)
    try:
        return (yield)
    finally:
        assertion_util._reprcompare = explain
