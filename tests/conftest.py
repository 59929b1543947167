"""Hooks for every run of tests/: this conftest is loaded by the xdist controller
too, which per-directory conftests are not."""

from tests.browser.weights import pytest_runtest_logreport, pytest_terminal_summary

__all__ = ["pytest_runtest_logreport", "pytest_terminal_summary"]
