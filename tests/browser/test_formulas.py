"""What a reader sees of the display formulas, measured in Chromium.

For every built page with a display formula, in both languages: the site's math
font (spickzettel/build/math_font.py) is the one that drew them, from this host; a
display sum (∑ with limits) is drawn larger than the text around it, with its
limits above and below it, not beside it; accents sit on their letter; and at
phone width (390 px) no display formula is wider than its column.
`make screenshots` writes pictures of the same pages for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.browser.site import SITE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def display_formula_pages() -> list:
    if not (SITE / "index.html").is_file():
        return [pytest.param(None, id="site-not-built")]
    found = []
    for html in sorted(SITE.rglob("index.html")):
        if '<math display="block"' in html.read_text(encoding="utf-8"):
            path = "/" + html.parent.relative_to(SITE).as_posix() + "/"
            path = path.replace("/./", "/")
            found.append(pytest.param(path, id=path))
    return found


MEASURE_JS = """async () => {
  await document.fonts.ready;
  const box = e => e.getBoundingClientRect();
  const article = document.querySelector('article');
  const text = article.querySelector('p');
  const textSize = parseFloat(getComputedStyle(text).fontSize);
  const fonts = [...document.fonts].filter(f => f.family.includes('Spickzettel Math'))
    .map(f => f.status);
  const formulas = [...article.querySelectorAll('.formula')].map((div, index) => {
    const math = div.querySelector('math');
    const sums = [...math.querySelectorAll('munderover, munder')]
      .filter(m => m.firstElementChild.textContent.trim() === '\u2211')
      .filter(m => {  // inside a fraction TeX sets the sum in text style
        for (let e = m.parentElement; e && e !== math; e = e.parentElement)
          if (e.localName === 'mfrac') return false;
        return true;
      })
      .map(m => {
        const [base, under, over] = [...m.children].map(box);
        return {base: {top: base.top, bottom: base.bottom, left: base.left,
                       right: base.right, height: base.height},
                under: {top: under.top, centre: (under.left + under.right) / 2},
                over: over ? {bottom: over.bottom,
                              centre: (over.left + over.right) / 2} : null};
      });
    const accents = [...math.querySelectorAll('mover[accent="true"]')].map(m => {
      const [base, accent] = [...m.children].map(box);
      return {gap: base.top - accent.bottom,
              offset: Math.abs((accent.left + accent.right) / 2
                               - (base.left + base.right) / 2),
              width: base.width};
    });
    return {index, tex: (math.querySelector('annotation') || {}).textContent,
            width: box(math.firstElementChild).width, column: div.clientWidth,
            scroll: div.scrollWidth, sums, accents};
  });
  return {textSize, fonts, formulas};
}"""


@pytest.fixture(scope="module")
def measure(browser, site_url):
    done = {}

    def measure_once(path, viewport):
        key = (path, viewport["width"])
        if key not in done:
            context = browser.new_context(viewport=viewport)
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(site_url)
                    else route.abort()
                ),
            )
            tab = context.new_page()
            font_urls = []
            tab.on(
                "requestfinished",
                lambda r: font_urls.append(r.url) if r.resource_type == "font" else 0,
            )
            tab.goto(site_url + path, wait_until="load")
            done[key] = tab.evaluate(MEASURE_JS) | {"font_urls": font_urls}
            context.close()
        return done[key]

    return measure_once


@pytest.mark.parametrize("path", display_formula_pages())
def test_formulas_use_the_sites_math_font(path, measure, site_url):
    assert path is not None, "no built site with display formulas"
    seen = measure(path, DESKTOP)
    assert seen["fonts"] == ["loaded"], (
        f"{path}: the math font did not load: {seen['fonts']}"
    )
    assert seen["font_urls"], f"{path}: no font was fetched"
    assert all(url.startswith(site_url) for url in seen["font_urls"]), (
        f"{path}: fonts from elsewhere: {seen['font_urls']}"
    )


@pytest.mark.parametrize("path", display_formula_pages())
def test_display_sums_are_large_with_limits_above_and_below(path, measure):
    assert path is not None, "no built site with display formulas"
    seen = measure(path, DESKTOP)
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
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", display_formula_pages())
def test_accents_sit_on_their_letter(path, measure):
    assert path is not None, "no built site with display formulas"
    seen = measure(path, DESKTOP)
    problems = [
        f"formula {formula['index'] + 1} ({formula['tex']!r}): accent {accent}"
        for formula in seen["formulas"]
        for accent in formula["accents"]
        if not (-2 <= accent["gap"] <= 0.25 * seen["textSize"])
        or accent["offset"] > 0.5 * accent["width"]
    ]
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", display_formula_pages())
def test_no_display_formula_is_wider_than_a_phone_column(path, measure):
    assert path is not None, "no built site with display formulas"
    seen = measure(path, PHONE)
    too_wide = [
        f"formula {f['index'] + 1} ({f['tex']!r}): {f['width']:.0f} px in a "
        f"{f['column']} px column"
        for f in seen["formulas"]
        if f["scroll"] > f["column"] + 1
    ]
    assert not too_wide, f"{path} at 390 px:\n  " + "\n  ".join(too_wide)
