"""MkDocs hook: render formulas to MathML at build time.

pymdownx.arithmatex (generic mode) leaves `\\( ... \\)` and `\\[ ... \\]` in the HTML;
this hook turns them into MathML, which every current browser renders natively.
No JavaScript, no CDN, no request to another host.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

# German decimal commas are written 0{,}5 in TeX; latex2mathml renders the braced comma
# as an operator with space after it ("0, 5"). Join such numbers into one <mn>.
DECIMAL_COMMA = re.compile(
    r"<mn>(\d+)</mn><mrow><mo>&#x0002C;</mo></mrow><mn>(\d+)</mn>"
)
INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
BLOCK = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>', re.DOTALL)


def _mathml(tex: str, display: str) -> str:
    mathml = convert(html.unescape(tex).strip(), display=display)
    mathml = DECIMAL_COMMA.sub(r"<mn>\1,\2</mn>", mathml)
    # Keep the TeX as annotation-free alt text for screen readers and search.
    label = html.escape(html.unescape(tex).strip(), quote=True)
    return mathml.replace("<math ", f'<math aria-label="{label}" ', 1)


def on_page_content(content, page, config, files):
    content = BLOCK.sub(
        lambda m: f'<div class="formula">{_mathml(m["tex"], "block")}</div>', content
    )
    return INLINE.sub(lambda m: _mathml(m["tex"], "inline"), content)
