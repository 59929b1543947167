"""One visit of one page in a fresh browser context, recording what a reader meets.

A visit loads the page (no cache, no stored choices: a first-time reader) until
its "load" event, without waiting for the search index (nothing here searches;
the page weight, search index included, is read from the files:
tests/test_built_pages.py), and keeps: the status, console errors, requests to
other hosts (which are blocked, never sent), failed responses, the state of every
image and formula, the display formulas' layout and font, and the accessibility
violations (accessibility.py). Then it acts as a reader: switches to the dark
colour scheme with the header's toggle (contrast is checked again), notes which
code blocks have a copy button, clicks one block of each kind (after opening the
tab or collapsible block that holds it) and reads the clipboard, and finally
narrows the window to a phone's 390 px and measures what overflows.
The tests in page_checks.py assert on these records, one aspect per test, each
naming the page. What the built HTML says by itself (copy texts, switcher
targets, formula counts, weights) is read without a browser.

One visit per page does all of it, because page loads are what costs time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.browser.accessibility import axe_violations, code_token_contrast
from tests.browser.site import Page


@dataclass(frozen=True)
class Allowed:
    """A known harmless console error or failed response, with its reason."""

    reason: str
    message: re.Pattern
    url: re.Pattern

    def covers(self, message: str, url: str) -> bool:
        return bool(
            self.message.search(message) and self.url.search(urlsplit(url).path)
        )


# None today: the 404 for <page>/sitemap.xml that every page logged is gone at
# its root (overrides/main.html; tests/test_seo.py holds it).
ALLOWED: list[Allowed] = []


def allowed(message: str, url: str) -> bool:
    return any(rule.covers(message, url) for rule in ALLOWED)


@dataclass
class Visit:
    page: Page
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    formulas: dict = field(default_factory=dict)
    display: dict = field(default_factory=dict)  # display formulas, desktop
    phone: dict = field(default_factory=dict)  # the same, and the page, at 390 px
    font_urls: list[str] = field(default_factory=list)
    axe_violations: list[dict] = field(default_factory=list)
    copy_buttons: list[bool] = field(default_factory=list)  # per code block
    copies: list[dict] = field(default_factory=list)  # block index, shown, clipboard
    dark_contrast: list[dict] = field(default_factory=list)


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


IMAGES_JS = """async () => {
  const images = [...document.images];
  await Promise.allSettled(images.map(image => image.decode()));
  return images.map(image => ({
    src: image.getAttribute('src'), complete: image.complete, width: image.naturalWidth,
  }));
}"""

FORMULAS_JS = """() => {
  const article = document.querySelector('article') || document.body;
  const maths = [...article.querySelectorAll('math')];
  const text = article.cloneNode(true);
  text.querySelectorAll('pre, code, math, script, style').forEach(e => e.remove());
  return {
    // A display chain's further links (class "continued") belong to its formula.
    mathml: maths.filter(m => !m.classList.contains('continued')).length,
    // MathML Core in Chromium: rendered <math> has display "math" or "block math".
    not_rendered: maths.filter(m => !getComputedStyle(m).display.includes('math'))
      .map(m => (m.querySelector('annotation') || m).textContent.slice(0, 80)),
    arithmatex_left: article.querySelectorAll('.arithmatex').length,
    text: text.textContent,
  };
}"""
# Open the tabs that hide a code block, as a reader would (collapsible blocks are
# open already: OPEN_COLLAPSIBLE_BLOCKS_JS); return the code as shown and whether
# the block has a copy button.
REVEAL_JS = """(element, button) => {
  for (let e = element.parentElement; e; e = e.parentElement) {
    if (e.matches('.tabbed-block')) {
      const index = [...e.parentElement.children].indexOf(e);
      e.closest('.tabbed-set').querySelector(':scope > .tabbed-labels')
        .children[index].click();
    }
  }
  return [element.querySelector('code').innerText,
          element.querySelector(button) !== null];
}"""
OPEN_COLLAPSIBLE_BLOCKS_JS = (
    "document.querySelectorAll('article details').forEach(d => d.open = true)"
)
# Read what the click copied, and empty the clipboard for the next block.
TAKE_CLIPBOARD_JS = """async () => {
  const text = await navigator.clipboard.readText();
  await navigator.clipboard.writeText('');
  return text;
}"""
# The display formulas as drawn: the math font's state, each formula's width in
# its column, its display sums (limits above and below, not beside) and accents.
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
# What sticks out of the window sideways (the page itself must never scroll
# sideways; wide code and tables scroll inside their own box).
OVERFLOW_JS = """() => ({
  window: innerWidth, page: document.documentElement.scrollWidth,
  wider: [...document.querySelectorAll('article *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
    .filter(e => !e.closest('pre, .md-typeset__scrollwrap, .formula, .tabbed-labels'))
    .slice(0, 5).map(e => e.localName + (e.className ? '.' + e.className : '')),
})"""
COPY_BUTTON = "button.md-code__button[data-md-type=copy]"
DARK_TOGGLE = "label.md-header__button[for^=__palette]:visible"
RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\(frac|sum|hat|bar|sqrt|mathrm|begin|end)\b")


# Per code block: its kind (language, in a tab, in a collapsible block) and
# whether Material gave it a copy button.
BLOCKS_JS = """(button) => [...document.querySelectorAll(
    'article pre:has(> code):not(.no-copy pre)')].map(pre => ({
  kind: [pre.closest('[class*=language-]')?.className.match(/language-[\\w-]+/)?.[0],
         pre.closest('.tabbed-block') !== null, pre.closest('details') !== null]
        .join(' '),
  button: pre.querySelector(button) !== null,
}))"""


def blocks_to_click(kinds: list[str]) -> list[int]:
    """The first block of each kind, and the last block of the page.

    Material's copy button works the same for every block of a kind: doctest
    blocks give the data-copy text spickzettel/build/clean_copy.py computed, others
    their code; tabs and collapsible blocks must be opened first. Clicking one of
    each kind proves that mechanism; that every block's copy text is the executed
    code is checked on the built files (test_copied_code.py), with no browser.
    """
    first = {kind: index for index, kind in reversed(list(enumerate(kinds)))}
    return sorted({*first.values(), len(kinds) - 1}) if kinds else []


def copy_blocks(tab, record: Visit) -> None:
    tab.evaluate("navigator.clipboard.writeText('')")
    blocks = tab.evaluate(BLOCKS_JS, COPY_BUTTON)
    record.copy_buttons = [block["button"] for block in blocks]
    pres = tab.locator("article pre:has(> code):not(.no-copy pre)")
    for index in blocks_to_click([block["kind"] for block in blocks]):
        pre = pres.nth(index)
        shown, has_button = pre.evaluate(REVEAL_JS, COPY_BUTTON)
        if not has_button:
            continue  # test_copy_buttons reports it from copy_buttons
        button = pre.locator(COPY_BUTTON)
        # Material's "copied" message sits at the bottom right for a while: a button
        # scrolled to the bottom edge (the cheat sheet's right column) would be
        # under it. In the middle of the window it is free.
        button.evaluate("b => b.scrollIntoView({block: 'center'})")
        button.click(force=True, no_wait_after=True)
        clipboard = tab.evaluate(TAKE_CLIPBOARD_JS)
        record.copies.append({"index": index, "shown": shown, "clipboard": clipboard})


def switch_to_dark_scheme(tab) -> None:
    tab.locator(DARK_TOGGLE).click()
    tab.wait_for_function(
        "document.body.getAttribute('data-md-color-scheme') === 'slate'"
    )


def visit(browser, site_url: str, page: Page, display_formulas: bool) -> Visit:
    record = Visit(page)
    local = urlsplit(site_url).netloc
    context = browser.new_context(
        viewport=DESKTOP,
        color_scheme="light",
        permissions=["clipboard-read", "clipboard-write"],
    )

    def route(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            route.abort()  # never let a request leave this machine

    def on_request(request):
        parts = urlsplit(request.url)
        foreign = (
            parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local
        )
        if foreign:
            record.foreign_requests.append(request.url)

    def on_response(response):
        status = response.status
        if status >= 400 and not allowed(f"status of {status}", response.url):
            record.failed_responses.append(f"{status} {response.url}")

    def on_console(message):
        url = message.location.get("url", "")
        if message.type == "error" and not allowed(message.text, url):
            record.console_errors.append(f"{message.text} [{url}]")

    def on_page_error(error):
        record.console_errors.append(f"page error: {error}")

    def on_request_finished(request):
        if request.resource_type == "font":
            record.font_urls.append(request.url)

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("request", on_request)
    tab.on("requestfinished", on_request_finished)
    tab.on("response", on_response)
    tab.on("console", on_console)
    tab.on("pageerror", on_page_error)
    try:
        response = tab.goto(site_url + page.path, wait_until="load")
        record.status = response.status if response else None
        record.images = tab.evaluate(IMAGES_JS)
        record.formulas = tab.evaluate(FORMULAS_JS)
        text = record.formulas.pop("text")
        record.formulas["raw_tex"] = sorted({m[0] for m in RAW_TEX.finditer(text)})
        if display_formulas:
            record.display = tab.evaluate(MEASURE_JS)
        tab.evaluate(OPEN_COLLAPSIBLE_BLOCKS_JS)  # their content is checked too
        record.axe_violations = axe_violations(tab) + code_token_contrast(tab)
        switch_to_dark_scheme(tab)
        record.dark_contrast = axe_violations(
            tab, contrast_only=True
        ) + code_token_contrast(tab)
        # After axe: Material's fading "copied" message would be measured mid-fade.
        copy_blocks(tab, record)
        tab.set_viewport_size(PHONE)
        record.phone = tab.evaluate(OVERFLOW_JS)
        if display_formulas:
            record.phone["formulas"] = tab.evaluate(MEASURE_JS)["formulas"]
    finally:
        context.close()
    return record
