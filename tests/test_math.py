"""Formulas as MathML Core, and the math font the site serves (no browser needed).

The hook spickzettel/build/mathml.py turns TeX into MathML Core and keeps the TeX as
an annotation; spickzettel/build/math_font.py cuts the font to the glyphs the pages
use. tests/browser/page_checks.py checks what Chromium draws from them.
"""

from __future__ import annotations

import re

import pytest

from spickzettel.build import math_font
from spickzettel.build.mathml import chain_links, mathml
from spickzettel.core.paths import ROOT
from tests import built_site

SITE = ROOT / "site"
HTML_PAGES = sorted(SITE.rglob("*.html"))
FONT = SITE / math_font.WOFF2


@pytest.mark.reads()
def test_german_decimal_comma_is_one_number():
    result = mathml(r"\bar{y} = 2,875", display=False, language="de")
    assert "<mn>2,875</mn>" in result
    # written as in TeX without icomma, the same number
    assert "<mn>0,5</mn>" in mathml("0{,}5", display=False, language="de")


@pytest.mark.reads()
def test_comma_with_a_space_separates_on_german_pages():
    result = mathml(r"y \in \{0, 1\}", display=False, language="de")
    assert "<mn>0</mn><mo>,</mo><mn>1</mn>" in result


@pytest.mark.reads()
def test_english_comma_between_digits_is_not_a_decimal_comma():
    result = mathml("1,000", display=False, language="en")
    assert "<mn>1,000</mn>" not in result


@pytest.mark.reads()
def test_the_tex_is_an_annotation_not_an_aria_label():
    result = mathml(r"\hat{y} = 0,5", display=True, language="de")
    assert "aria-label" not in result
    assert result.startswith('<math display="block"><semantics>')
    # the annotation keeps the TeX as the author wrote it, out of the search index
    assert re.search(
        r'<annotation encoding="application/x-tex" data-search-exclude="tex">'
        r"\\hat\{y\} = 0,5</annotation>",
        result,
    )


@pytest.mark.reads()
def test_display_sums_take_limits_above_and_below():
    result = mathml(r"\sum_{i=1}^{n} x_i", display=True, language="en")
    assert "<munderover><mo" in result
    assert "<mstyle" not in result  # MathML 3, ignored by MathML Core


@pytest.mark.reads()
def test_a_chain_is_cut_before_each_top_level_relation():
    tex = r"\text{MAE} = \frac{a = b}{4} \approx 0.5 \qquad p = \left( x = 1 \right)"
    assert chain_links(tex) == [
        (r"\text{MAE}", False),
        (r"= \frac{a = b}{4}", False),
        (r"\approx 0.5", False),
        ("p", True),
        (r"= \left( x = 1 \right)", False),
    ]


@pytest.mark.reads()
def test_a_formula_without_relation_is_one_link():
    assert chain_links(r"-\ln 0,1") == [(r"-\ln 0,1", False)]


@pytest.mark.reads()
def test_math_italic_letters_for_one_letter_identifiers():
    assert math_font.math_italic("y") == "\U0001d466"
    assert math_font.math_italic("h") == "\u210e"
    assert math_font.math_italic("\u03b5") == "\U0001d700"
    assert math_font.math_italic("1") is None


def formulas(path):
    return built_site.document(path).xpath("//*[local-name()='math']")


@pytest.mark.reads(pages=lambda path: [path])
@pytest.mark.parametrize("path", [p for p in HTML_PAGES if formulas(p)])
def test_every_formula_carries_its_tex_and_no_aria_label(path):
    for formula in formulas(path):
        shown = built_site.words(formula.text_content())[:120]
        assert formula.get("aria-label") is None, shown
        tex = formula.xpath(
            ".//*[local-name()='annotation'][@encoding='application/x-tex']"
        )
        assert len(tex) == 1 and tex[0].text_content(), shown


def test_the_font_is_served_with_its_licence():
    assert FONT.is_file(), f"no {FONT.relative_to(ROOT)}: run `make build`"
    assert FONT.read_bytes()[:4] == b"wOF2"
    assert (FONT.parent / "GUST-FONT-LICENSE.txt").is_file()
    css = (SITE / "assets/stylesheets/math.css").read_text(encoding="utf-8")
    assert 'url("../fonts/spickzettel-math.woff2")' in css
    assert "font-display: swap" in css


def test_the_font_is_a_math_font_with_every_character_the_pages_use():
    from fontTools.ttLib import TTFont

    font = TTFont(FONT)
    assert "MATH" in font, "no OpenType MATH table: sums and fences would not grow"
    assert font["name"].getDebugName(1) == math_font.FAMILY
    cmap = font.getBestCmap()
    used = set()
    for path in HTML_PAGES:
        used |= math_font.characters_in(path.read_text(encoding="utf-8"))
    missing = sorted(c for c in used if ord(c) not in cmap and not c.isspace())
    assert not missing, f"characters in formulas the font lacks: {missing}"
    assert FONT.stat().st_size < 100_000, "the font grew past 100 kB"


@pytest.mark.reads()
def test_an_operator_between_texts_keeps_its_spaces():
    # <mrow><mtext/><mo/><mtext/></mrow> would be an embellished operator
    result = mathml(r"\frac{\text{RP} + \text{RN}}{N}", display=True, language="en")
    assert (
        '<mrow><mi mathvariant="normal">RP</mi><mo>+</mo>'
        '<mi mathvariant="normal">RN</mi></mrow>'
    ) in result
