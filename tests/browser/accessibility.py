"""Accessibility checks of one loaded page: axe-core, and the contrast of code tokens.

axe-core's colour-contrast rule costs about 3 s per run on a page with many code
blocks, because it measures every highlighted token (thousands of spans) one by
one; run in both colour schemes on every page of both languages, that alone would
take the test command over its three-minute budget. So the work is split:

- axe-core runs every rule it enables by default on the whole page, in one run
  (each run walks the whole page first), except that colour contrast skips the
  inside of code blocks (`pre`): its selector is configured to leave them out;
- code_token_contrast() measures the contrast of every distinct (text colour,
  background) pair inside `pre` (code blocks, and the printed outputs of the
  notebook pages) with WCAG 2's formula, the same one axe uses (4.5:1 for text
  below 18.66 px bold / 24 px), which is exact there: plain text on the block's
  solid background.

Like axe, both look at what is rendered: the tour opens the collapsible blocks
first, so the code in solutions is checked as well. Both report in axe's shape
(`id`, `impact`, `help`, `nodes[].target`), so the tests print them alike.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CODE_BLOCKS = "pre"


@cache
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


# axe's colour-contrast rule with code blocks left out (code_token_contrast
# covers them); every other rule keeps its own selector.
CONTRAST_OUTSIDE_CODE = f"*:not({CODE_BLOCKS}):not({CODE_BLOCKS} *)"


def axe_violations(tab, *, contrast_only: bool = False) -> list[dict]:
    """axe-core's violations on the page as it is now (colour scheme included).

    Every default rule on the whole page in one run, colour contrast outside code
    blocks (code_token_contrast covers their inside); with contrast_only, just that.
    """
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.evaluate(axe_source())
        tab.evaluate(
            "selector => axe.configure({rules: [{id: 'color-contrast', selector}]})",
            CONTRAST_OUTSIDE_CODE,
        )
    return tab.evaluate(
        """async (contrastOnly) => {
          const options = {resultTypes: ['violations']};
          if (contrastOnly) options.runOnly = ['color-contrast'];
          return (await axe.run(document, options)).violations;
        }""",
        contrast_only,
    )


CODE_TOKEN_CONTRAST_JS = """(codeBlocks) => {
  const parse = text => {
    const m = text.match(/rgba?\\(([^)]*)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r, g, b, a};
  };
  const over = (top, bottom) => ({  // alpha compositing of two colours
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const background = element => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour && colour.a > 0) layers.push(colour);
      if (colour && colour.a >= 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below),
                              {r: 255, g: 255, b: 255, a: 1});
  };
  const luminance = ({r, g, b}) => {
    const linear = v => (v /= 255) <= 0.03928 ? v / 12.92
                                               : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const selector = element => {
    const classes = [...element.classList].map(c => '.' + c).join('');
    return element.tagName.toLowerCase() + classes;
  };
  const seen = new Map();
  const tokens = `article ${codeBlocks}, article ${codeBlocks} *`;
  for (const element of document.querySelectorAll(tokens)) {
    const ownText = [...element.childNodes].some(
      node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    // Chromium keeps stale styles inside closed <details> and hidden tabs.
    if (!ownText || !element.checkVisibility()) continue;
    const style = getComputedStyle(element);
    const back = background(element);
    const fore = over(parse(style.color), back);
    const key = JSON.stringify([fore, back]);
    if (seen.has(key)) continue;
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    seen.set(key, {ratio, needed: large ? 3 : 4.5, target: selector(element),
                   text: element.textContent.trim().slice(0, 20)});
  }
  return [...seen.values()].filter(pair => pair.ratio < pair.needed);
}"""


def code_token_contrast(tab) -> list[dict]:
    """Code tokens whose colour on their block's background is below WCAG AA."""
    failing = tab.evaluate(CODE_TOKEN_CONTRAST_JS, CODE_BLOCKS)
    if not failing:
        return []
    return [
        {
            "id": "code-token-contrast",
            "impact": "serious",
            "help": "Code tokens must have sufficient colour contrast (WCAG AA)",
            "nodes": [
                {
                    "target": [pair["target"]],
                    "any": [
                        {
                            "message": f"contrast {pair['ratio']:.2f}:1 "
                            f"< {pair['needed']}:1 ({pair['text']!r})"
                        }
                    ],
                }
                for pair in failing
            ],
        }
    ]
