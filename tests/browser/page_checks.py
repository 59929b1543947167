"""The checks of one built page in headless Chromium, as a first-time reader.

Each page is visited once (tour.py); the tests below check one aspect each and name
the page when it fails: status and console, requests to other hosts (the one test
of that promise), images, formulas (rendered as math; on the pages with display
formulas: the site's math font, display sums and accents, their width at 390 px),
accessibility (axe-core, light and dark scheme), the copy buttons (one block of
each kind clicked) and sideways overflow at a phone's 390 px.

Not collected here (the name does not start with test_): test_pages_de.py and
test_pages_en.py take everything in __all__ and set LANGUAGE, so that pytest-xdist
(--dist loadfile, tests/scheduling.py) tours the two languages on its two workers at
once.
"""

from __future__ import annotations

import pytest

from tests import built_site
from tests.browser.site import page_params
from tests.browser.tour import ALLOWED, visit

# Each check reads its page (tests/verdicts.py): reused while the page, what it
# loads and this code are unchanged.
pytestmark = [pytest.mark.browser, pytest.mark.reads("visit")]


def pytest_generate_tests(metafunc):
    # Every built page of the importing module's LANGUAGE; the formula layout
    # checks, only the pages with a display formula (the others have none to
    # measure, and would pass without checking).
    pages = page_params(metafunc.module.LANGUAGE)
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", pages)
    if "formula_page" in metafunc.fixturenames:
        with_display = [
            p
            for p in pages
            if p.values[0] is None or built_site.has_display_formula(p.values[0])
        ]
        metafunc.parametrize("formula_page", with_display)


@pytest.fixture(scope="module")
def visits(browser, site_url):
    done = {}

    def visit_once(page):
        assert page is not None, "no built site"
        if page.path not in done:
            display = built_site.has_display_formula(page)
            done[page.path] = visit(browser, site_url, page, display)
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
    # How many formulas the source writes, and that the HTML holds them all, is
    # tests/test_built_pages.py; here: the browser shows each as math.
    assert formulas["mathml"] == built_site.mathml_count(page), (
        f"{page}: the browser finds {formulas['mathml']} formula(s), the HTML "
        f"{built_site.mathml_count(page)}"
    )


def test_accessibility_axe(page, visits):
    violations = visits(page).axe_violations
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
    assert not lines, f"{page}: axe-core violations:\n  " + "\n  ".join(lines)


def test_copy_gives_code_without_prompts_or_output(page, visits):
    seen = visits(page)
    rendered = built_site.rendered_blocks(page)
    assert len(seen.copy_buttons) == len(rendered), (
        f"{page}: the browser shows {len(seen.copy_buttons)} code blocks to copy, "
        f"the built HTML holds {len(rendered)}"
    )
    without = [n for n, has in enumerate(seen.copy_buttons, start=1) if not has]
    assert not without, f"{page}: code block(s) {without} have no copy button"
    for copy in seen.copies:
        number = copy["index"] + 1
        # The HTML's copy text, which tests/test_built_pages.py compares with the
        # code Sybil executed for every block, is what the button really copies.
        expected = rendered[copy["index"]].copied
        assert copy["clipboard"] == expected, (
            f"{page}: code block {number} copies:\n{copy['clipboard']}\n"
            f"--- expected (the executed code, as the HTML's copy text):\n{expected}"
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


def test_nothing_overflows_sideways_at_phone_width(page, visits):
    phone = visits(page).phone
    assert phone["page"] <= phone["window"] and not phone["wider"], (
        f"{page} at 390 px: the page is {phone['page']} px wide in a "
        f"{phone['window']} px window; sticking out: {phone['wider']}"
    )


# ---- the display formulas as drawn (the pages that have one) --------------------


def test_formulas_use_the_sites_math_font(formula_page, visits, site_url):
    seen = visits(formula_page)
    fonts = seen.display["fonts"]
    assert fonts == ["loaded"], f"{formula_page}: the math font did not load: {fonts}"
    assert seen.font_urls, f"{formula_page}: no font was fetched"
    assert all(url.startswith(site_url) for url in seen.font_urls), (
        f"{formula_page}: fonts from elsewhere: {seen.font_urls}"
    )


def test_display_sums_are_large_with_limits_above_and_below(formula_page, visits):
    seen = visits(formula_page).display
    problems = []
    for formula in seen["formulas"]:
        for sum_ in formula["sums"]:
            base, under, over = sum_["base"], sum_["under"], sum_["over"]
            where = f"formula {formula['index'] + 1} ({formula['tex']!r})"
            if base["height"] < 1.3 * seen["textSize"]:
                problems.append(
                    f"{where}: ∑ is {base['height']:.1f} px high, the text "
                    f"{seen['textSize']:.1f} px"
                )
            if under["top"] < base["bottom"] - 2:
                problems.append(f"{where}: the lower limit is not below ∑")
            if over and over["bottom"] > base["top"] + 2:
                problems.append(f"{where}: the upper limit is not above ∑")
            for limit in filter(None, (under, over)):
                if not base["left"] <= limit["centre"] <= base["right"]:
                    problems.append(f"{where}: a limit is beside ∑, not over it")
    assert seen["formulas"], f"{formula_page}: no display formula measured"
    assert not problems, f"{formula_page}:\n  " + "\n  ".join(problems)


def test_accents_sit_on_their_letter(formula_page, visits):
    seen = visits(formula_page).display
    problems = [
        f"formula {formula['index'] + 1} ({formula['tex']!r}): accent {accent}"
        for formula in seen["formulas"]
        for accent in formula["accents"]
        if not (-2 <= accent["gap"] <= 0.25 * seen["textSize"])
        or accent["offset"] > 0.5 * accent["width"]
    ]
    assert seen["formulas"], f"{formula_page}: no display formula measured"
    assert not problems, f"{formula_page}:\n  " + "\n  ".join(problems)


def test_no_display_formula_is_wider_than_a_phone_column(formula_page, visits):
    formulas = visits(formula_page).phone["formulas"]
    too_wide = [
        f"formula {f['index'] + 1} ({f['tex']!r}): {f['width']:.0f} px in a "
        f"{f['column']} px column"
        for f in formulas
        if f["scroll"] > f["column"] + 1
    ]
    assert formulas, f"{formula_page}: no display formula measured"
    assert not too_wide, f"{formula_page} at 390 px:\n  " + "\n  ".join(too_wide)


# What test_pages_de.py and test_pages_en.py take: every check defined above.
__all__ = [
    "pytest_generate_tests",
    "pytestmark",
    "visits",
    *(name for name in list(globals()) if name.startswith("test_")),
]
