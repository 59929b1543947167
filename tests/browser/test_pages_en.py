"""The page checks (page_checks.py) for every built English page."""

from tests.browser.page_checks import *  # noqa: F403 - the checks, collected here

LANGUAGE = "en"
