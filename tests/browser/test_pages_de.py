"""The page checks (page_checks.py) for every built German page."""

from tests.browser.page_checks import *  # noqa: F403 - the checks, collected here

LANGUAGE = "de"
