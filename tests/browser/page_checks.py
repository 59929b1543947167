"""The checks of one built page in headless Chromium, as a first-time reader.

Each page is visited once (tour.py); the tests below check one aspect each and name
the page when it fails: status and console, requests to other hosts, images,
formulas, accessibility (axe-core, light and dark scheme), the weight of what the
page transfers, the copy buttons (one block of each kind clicked) and the language
switcher.

Not collected here (the name does not start with test_): test_pages_de.py and
test_pages_en.py take everything in __all__ and set LANGUAGE, so that pytest-xdist
(--dist loadfile) tours the two languages on its two workers at once.
"""

from __future__ import annotations

import pytest

from tests.browser.site import copy_text, formula_count, page_params, rendered_blocks
from tests.browser.tour import ALLOWED, visit

# Each check reads its page (tests/verdicts.py): reused while the page, what it
# loads and this code are unchanged.
pytestmark = [pytest.mark.browser, pytest.mark.reads("page")]


def pytest_generate_tests(metafunc):
    # Every built page of the importing module's LANGUAGE.
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", page_params(metafunc.module.LANGUAGE))


# Per page, without figures: HTML, CSS, JS, fonts, the search index (fetched by
# every first visit) and the rest, as transferred (gzip, as the static host sends).
# Uncompressed, the search index alone reached 400 kB with all topics on the site.
BUDGET_BYTES = 500_000


@pytest.fixture(scope="module")
def visits(browser, site_url):
    done = {}

    def visit_once(page):
        if page.path not in done:
            done[page.path] = visit(browser, site_url, page)
        return done[page.path]

    return visit_once


def test_loads_without_console_errors(page, visits):
    seen = visits(page)
    assert seen.status == 200, f"{page}: status {seen.status}"
    problems = seen.console_errors + [f"response {r}" for r in seen.failed_responses]
    problems = list(dict.fromkeys(problems))
    allowed = "; ".join(rule.reason for rule in ALLOWED)
    assert not problems, (
        f"{page}: console errors or failed requests (allowed: {allowed}):\n  "
        + "\n  ".join(problems)
    )


def test_requests_stay_on_the_local_server(page, visits):
    foreign = list(dict.fromkeys(visits(page).foreign_requests))
    assert not foreign, f"{page} requests other hosts:\n  " + "\n  ".join(foreign)


def test_every_image_loads(page, visits):
    broken = [
        image["src"]
        for image in visits(page).images
        if not image["complete"] or image["width"] == 0
    ]
    assert not broken, f"{page}: images that did not load:\n  " + "\n  ".join(broken)


def test_every_formula_is_rendered_mathml(page, visits):
    formulas = visits(page).formulas
    assert not formulas["raw_tex"], f"{page} shows raw TeX: {formulas['raw_tex']}"
    assert not formulas["arithmatex_left"], (
        f"{page}: {formulas['arithmatex_left']} formula(s) left unconverted"
    )
    assert not formulas["not_rendered"], (
        f"{page}: MathML not rendered as math: {formulas['not_rendered']}"
    )
    written = formula_count(page)
    if written is not None:
        assert formulas["mathml"] == written, (
            f"{page}: the source writes {written} formula(s), "
            f"the page holds {formulas['mathml']} MathML element(s)"
        )


def test_accessibility_axe(page, visits):
    violations = visits(page).axe_violations
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
    assert not lines, f"{page}: axe-core violations:\n  " + "\n  ".join(lines)


@pytest.mark.reads("site/search/search_index.json")  # fetched by every first visit
def test_weight_within_budget(page, visits, record_property):
    weight = visits(page).weight
    record_property("weight", weight)  # the terminal summary prints the table
    without_figures = sum(size for kind, size in weight.items() if kind != "figures")
    assert without_figures <= BUDGET_BYTES, (
        f"{page} transfers {without_figures / 1000:.0f} kB without figures, "
        f"budget {BUDGET_BYTES / 1000:.0f} kB: {weight}"
    )


def test_language_switcher_keeps_the_page(page, visits):
    switched = visits(page).switched_to
    for language in page.other_languages:
        path, lang = switched[language]
        assert (path, lang) == (page.path_in(language), language), (
            f"{page}: the language switcher to {language!r} led to {path} "
            f"(lang={lang!r}), expected {page.path_in(language)}"
        )


def test_copy_gives_code_without_prompts_or_output(page, visits):
    seen = visits(page)
    rendered = rendered_blocks(page)
    assert len(seen.copy_buttons) == len(rendered), (
        f"{page}: the browser shows {len(seen.copy_buttons)} code blocks to copy, "
        f"the built HTML holds {len(rendered)}"
    )
    without = [n for n, has in enumerate(seen.copy_buttons, start=1) if not has]
    assert not without, f"{page}: code block(s) {without} have no copy button"
    for copy in seen.copies:
        number = copy["index"] + 1
        expected = copy_text(copy["shown"])
        assert copy["clipboard"] == expected, (
            f"{page}: code block {number} copies:\n{copy['clipboard']}\n"
            f"--- expected (the code without prompts and output):\n{expected}"
        )
        # The HTML's copy text, which test_copied_code.py compares with the code
        # Sybil executed for every block, is what the button really copies.
        assert copy["clipboard"] == rendered[copy["index"]].copied, (
            f"{page}: code block {number} copies other text than the HTML says"
        )
    assert rendered == [] or seen.copies, f"{page}: no copy button was clicked"


def test_contrast_in_the_dark_scheme(page, visits):
    violations = visits(page).dark_contrast
    targets = [
        " ".join(node["target"]) + ": " + node["any"][0]["message"]
        for violation in violations
        for node in violation["nodes"][:8]
    ]
    assert not targets, f"{page}, dark scheme, contrast:\n  " + "\n  ".join(targets)


# What test_pages_de.py and test_pages_en.py take: every check defined above.
__all__ = [
    "pytest_generate_tests",
    "pytestmark",
    "visits",
    *(name for name in list(globals()) if name.startswith("test_")),
]
