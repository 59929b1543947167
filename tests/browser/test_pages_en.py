"""The page checks (page_checks.py) for every built English page."""

import pytest

from tests.browser.page_checks import (  # noqa: F401 - collected here
    test_accessibility_axe,
    test_contrast_in_the_dark_scheme,
    test_copy_gives_code_without_prompts_or_output,
    test_every_formula_is_rendered_mathml,
    test_every_image_loads,
    test_language_switcher_keeps_the_page,
    test_loads_without_console_errors,
    test_requests_stay_on_the_local_server,
    test_weight_within_budget,
    visits,
)
from tests.browser.site import page_params

pytestmark = pytest.mark.browser


def pytest_generate_tests(metafunc):
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", page_params("en"))
