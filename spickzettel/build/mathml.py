"""Renders formulas to MathML Core at build time.

pymdownx.arithmatex (generic mode) leaves `\\( ... \\)` and `\\[ ... \\]` in the HTML;
this hook turns them into MathML Core with math-core, which Chromium, Firefox and
Safari render natively: display sums with their limits above and below (munderover),
accents on their letters (mover accent), fences that stretch. No JavaScript, no CDN,
no request to another host; spickzettel/build/math_font.py serves the font.

The TeX source stays in the formula as `<annotation encoding="application/x-tex">`
inside `<semantics>`: browsers do not draw it, copying and assistive technology can
use it. Screen readers read the MathML itself, never TeX (no aria-label).

A display formula that is a chain (`A = B = C \\approx D`, or two formulas side by
side with `\\qquad` between them) becomes one <math> per link, `A`, `= B`, `= C`,
in a row that wraps: on a wide screen it reads as one line, on a phone the links
that do not fit move to the next line instead of leaving the column. The first
piece is the formula for counting; the others carry class="continued".

German decimal commas follow the rule of LaTeX's icomma package: on a German page a
comma between two digits (`0,5`) is a decimal comma, a comma followed by a space
(`\\{0, 1\\}`) is punctuation. `0{,}5` means the same. Either way the number becomes
one `<mn>0,5</mn>`, read as one number.
"""

from __future__ import annotations

import html
import re

from math_core import LatexError, LatexToMathML

CONVERTER = LatexToMathML(annotation=True, fancy_error=False)
INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
BLOCK = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>', re.DOTALL)
DECIMAL_COMMA_TEX = re.compile(r"(?<=\d),(?=\d)")
# math-core writes TeX's braced comma {,} as an operator without space after it.
DECIMAL_COMMA_MATHML = re.compile(r'<mn>(\d+)</mn><mo rspace="0">,</mo><mn>(\d+)</mn>')
DECIMAL_COMMA_LANGUAGES = {"de"}
ANNOTATION = '<annotation encoding="application/x-tex">'
TEXT_OPERATOR_TEXT = re.compile(
    r"<mrow><mtext>([^<]*)</mtext>(<mo\b[^>]*>[^<]*</mo>)<mtext>([^<]*)</mtext></mrow>"
)
TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.DOTALL)
RELATIONS = {"=", "<", ">", r"\approx", r"\le", r"\leq", r"\ge", r"\geq", r"\neq"}
OPENING = {"{", r"\left", r"\begin"}
CLOSING = {"}", r"\right", r"\end"}
SEPARATORS = {r"\qquad", r"\quad"}
# A link's first operator would count as a prefix (no space before it).
LEADING_OPERATOR = re.compile(r"^(<math[^>]*><semantics><mrow>)<mo\b[^>]*>")


def chain_links(tex: str) -> list[tuple[str, bool]]:
    """A display formula cut before each top-level relation and at each \\qquad:
    `A = B = C` -> `A`, `= B`, `= C`. The row wraps only where a line is full, so
    `A = B` stays together wherever it fits.

    Returns (TeX, after_separator) per link; a formula without a top-level
    relation or a separator is one link. Relations inside braces, \\left...\\right
    or an environment stay where they are.
    """
    links, current, depth, separated = [], [], 0, False
    for token in TOKEN.findall(tex):
        if token in OPENING:
            depth += 1
        elif token in CLOSING:
            depth -= 1
        elif depth == 0 and token in SEPARATORS:
            links.append(("".join(current), separated))
            current, separated = [], True
            continue
        elif depth == 0 and token in RELATIONS and "".join(current).strip():
            links.append(("".join(current), separated))
            current, separated = [], False
        current.append(token)
    links.append(("".join(current), separated))
    return [(link.strip(), gap) for link, gap in links if link.strip()]


def mathml(tex: str, *, display: bool, language: str, where: str = "") -> str:
    """MathML Core for one formula; `tex` as written in the Markdown source."""
    source = tex.strip()
    converted = source
    if language in DECIMAL_COMMA_LANGUAGES:
        converted = DECIMAL_COMMA_TEX.sub("{,}", source)
    try:
        result = CONVERTER.convert_with_local_state(converted, displaystyle=display)
    except LatexError as error:
        raise ValueError(f"{where}: formula {source!r}: {error}") from None
    result = DECIMAL_COMMA_MATHML.sub(r"<mn>\1,\2</mn>", result)
    # An mrow of two texts and one operator (\text{RP} + \text{RN}) counts as
    # an embellished operator in MathML (texts are "space-like"): the spaces of
    # its + go around the whole group, and a fraction over it. Upright
    # identifiers instead of texts keep it an ordinary row.
    result = TEXT_OPERATOR_TEXT.sub(
        r'<mrow><mi mathvariant="normal">\1</mi>\2<mi mathvariant="normal">\3</mi>'
        r"</mrow>",
        result,
    )
    # Material's search leaves the TeX out of its index and drops the attribute.
    result = result.replace(ANNOTATION, f'{ANNOTATION[:-1]} data-search-exclude="tex">')
    if converted != source:  # the annotation keeps the TeX as the author wrote it
        result = result.replace(
            f">{html.escape(converted, quote=False)}</annotation>",
            f">{html.escape(source, quote=False)}</annotation>",
        )
    return result


def page_language(page) -> str:
    # mkdocs-static-i18n gives every file its locale; the folder says the same.
    return getattr(page.file, "locale", None) or page.file.src_uri.split("/", 1)[0]


def on_page_content(content, page, config, files):
    language = page_language(page)
    where = page.file.src_uri

    def block(match):
        links = chain_links(html.unescape(match["tex"]))
        pieces = []
        for number, (tex, separated) in enumerate(links):
            piece = mathml(tex, display=True, language=language, where=where)
            if number > 0:  # "= B": a relation between links, spaced as one
                piece = LEADING_OPERATOR.sub(r'\1<mo form="infix">', piece, count=1)
            classes = ["continued"] * (number > 0) + ["separated"] * separated
            if classes:
                piece = piece.replace(
                    "<math ", f'<math class="{" ".join(classes)}" ', 1
                )
            pieces.append(piece)
        kind = "formula formula--chain" if len(pieces) > 1 else "formula"
        return f'<div class="{kind}">{"".join(pieces)}</div>'

    def inline(match):
        tex = html.unescape(match["tex"])
        return mathml(tex, display=False, language=language, where=where)

    return INLINE.sub(inline, BLOCK.sub(block, content))
