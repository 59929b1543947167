"""The guard of tests/assertion_guard.py fails what asserts nothing, and only that."""

from __future__ import annotations

import pytest

# Each runs pytest on a planted module: it reads only its code (tests/verdicts.py).
pytestmark = pytest.mark.reads()

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


def test_only_a_failing_comparison_is_explained_even_on_ci(pytester, monkeypatch):
    """With the pass hook pytest explains every comparison that holds too, and where
    CI is set as a full pretty-printed diff: about 90 s an item on the exercise
    pages' figures. The guard lets pytest explain only the one that fails."""
    monkeypatch.setenv("CI", "true")
    pytester.makeini(INI)
    pytester.makeconftest(
        CONFTEST
        + "from pathlib import Path\n\n"
        + "def pytest_assertrepr_compare(op, left, right):\n"
        + "    with (Path(__file__).parent / 'explained').open('a') as log:\n"
        + "        log.write(op + '\\n')\n"
    )
    pytester.makepyfile(
        """
        def test_holds():
            assert {"figure": b"png" * 10_000} == {"figure": b"png" * 10_000}

        def test_fails():
            assert [1, 2] == [1, 3]
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*At index 1 diff: 2 != 3*"])
    assert (pytester.path / "explained").read_text().split() == ["=="]
