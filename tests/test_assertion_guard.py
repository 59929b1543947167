"""The guard of tests/assertion_guard.py fails what asserts nothing, and only that."""

from __future__ import annotations

pytest_plugins = ["pytester"]

CONFTEST = "from tests.assertion_guard import *  # noqa: F403\n"
INI = "[pytest]\nenable_assertion_pass_hook = true\n"


def test_an_item_that_returns_before_asserting_fails(pytester):
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("page", ["home", "topic"])
        def test_page(page):
            if page == "home":
                return  # out of scope: checks nothing
            assert page == "topic"

        def test_raises():
            with pytest.raises(ZeroDivisionError):
                1 / 0
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*test_page?home? passed without asserting*"])
