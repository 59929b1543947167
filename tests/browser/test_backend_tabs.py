"""A reader chooses a Keras backend once: in the real browser, on the built site.

The pages show a block whose code or output differs by backend as content tabs
TensorFlow | JAX | PyTorch (spickzettel/build/backend_tabs.py), linked by
Material's `content.tabs.link`. What the HTML holds in each tab is
tests/test_built_pages.py; here only what needs a browser:

- choosing JAX in one block chooses it in every block of the page and, after the
  reader goes to another page, there too (Material keeps the choice in
  localStorage), which then shows JAX's output;
- the copy button of a block copies the code of the chosen tab through the real
  clipboard: the executed code, no prompt, no output, no marker line;
- a figure that differs by backend (spickzettel/build/figure_tabs.py) follows the
  same choice: the chosen backend's drawing is the one shown.
"""

from __future__ import annotations

import pytest

from spickzettel.core.backends import LABELS
from spickzettel.core.paths import SITE
from tests import built_site, verdicts
from tests.browser.site import built_pages
from tests.browser.tour import COPY_BUTTON, DESKTOP, TAKE_CLIPBOARD_JS

pytestmark = pytest.mark.browser

CHOSEN = "jax"
# For each backend tab set of the page: the label of its checked tab, and the
# text of the code block that is visible in it.
CHOSEN_JS = """() => [...document.querySelectorAll('article .tabbed-set')]
  .filter(set => [...set.querySelectorAll(':scope > .tabbed-labels > label')]
    .some(label => label.innerText.trim() === 'PyTorch'))
  .map(set => {
    const inputs = [...set.querySelectorAll(':scope > input')];
    const checked = inputs.findIndex(input => input.checked);
    const labels = set.querySelectorAll(':scope > .tabbed-labels > label');
    const blocks = set.querySelectorAll(':scope > .tabbed-content > .tabbed-block');
    const shown = [...blocks].filter(block => block.offsetParent !== null);
    const visible = shown.map(block => block.querySelector('code'))
      .filter(code => code).map(code => code.innerText);
    const images = shown.map(block => block.querySelector('img'))
      .filter(img => img && img.complete && img.naturalWidth > 0)
      .map(img => new URL(img.src).pathname);
    return {label: labels[checked].innerText.trim(), visible, images};
  })"""


# Marks the code block of the checked tab in the first backend tab set of code.
MARK_CHOSEN_BLOCK_JS = """() => {
  const set = [...document.querySelectorAll('article .tabbed-set')].find(set =>
    set.querySelector('pre') &&
    [...set.querySelectorAll(':scope > .tabbed-labels > label')]
      .some(label => label.innerText.trim() === 'PyTorch'));
  const checked = [...set.querySelectorAll(':scope > input')]
    .findIndex(input => input.checked);
  const blocks = set.querySelectorAll(':scope > .tabbed-content > .tabbed-block');
  blocks[checked].querySelector('pre').setAttribute('data-chosen-tab', '');
}"""


def tabbed_pages():
    """Built pages with backend tabs, those of other topics before the same topic
    in another language (the choice must hold across topics)."""
    pages = [page for page in built_pages() if built_site.backend_tab_sets(page)]
    return sorted(pages, key=lambda page: (page.language != "de", page.slug))


def two_pages():
    pages = tabbed_pages()
    assert pages, "no built page shows backend tabs: nothing to choose from"
    first = pages[0]
    others = [p for p in pages if p.slug != first.slug] or [
        p for p in pages if p is not first
    ]
    assert others, f"only {first} shows backend tabs"
    return first, others[0]


def chosen_outputs(page, backend: str) -> list[str]:
    """The HTML's code text of `backend`'s tab, per backend tab set of the page."""
    return [
        block.shown
        for block in built_site.rendered_blocks(page)
        if block.backend == backend
    ]


@pytest.fixture
def tab(browser):
    context = browser.new_context(
        viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"]
    )
    yield context.new_page()
    context.close()


def normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


# What each check reads (tests/verdicts.py): the pages it opens, as a visit reads
# them. Which pages those are depends on every page's tabs: another choice is
# another key.


def two_pages_visited() -> list:
    return [verdicts.Visit(page) for page in two_pages()]


def first_page_visited() -> list:
    return two_pages_visited()[:1]


def figure_page_visited() -> list:
    return [verdicts.Visit(figure_page())]


def figure_page():
    """The first page whose figures are drawn per backend (in tabs)."""
    page = next((p for p in tabbed_pages() if built_site.figure_tab_sets(p)), None)
    assert page is not None, "no built page shows a figure in backend tabs"
    return page


@pytest.mark.reads(pages=two_pages_visited)
def test_choosing_a_backend_holds_for_every_block_and_the_next_page(tab, site_url):
    first, second = two_pages()
    tab.goto(site_url + first.path, wait_until="load")
    before = tab.evaluate(CHOSEN_JS)
    assert before and {s["label"] for s in before} == {"TensorFlow"}, before
    label = tab.locator("article .tabbed-labels > label", has_text=LABELS[CHOSEN])
    label.first.scroll_into_view_if_needed()
    label.first.click()
    on_first = tab.evaluate(CHOSEN_JS)
    assert {s["label"] for s in on_first} == {LABELS[CHOSEN]}, (
        f"{first}: choosing {LABELS[CHOSEN]} in one block left others: {on_first}"
    )
    tab.goto(site_url + second.path, wait_until="load")
    on_second = tab.evaluate(CHOSEN_JS)
    assert on_second and {s["label"] for s in on_second} == {LABELS[CHOSEN]}, (
        f"after choosing {LABELS[CHOSEN]} on {first}, {second} shows {on_second}"
    )
    visible = [normalised(s["visible"][0]) for s in on_second if s["visible"]]
    assert visible == [normalised(t) for t in chosen_outputs(second, CHOSEN)], (
        f"{second}: the visible blocks are not {LABELS[CHOSEN]}'s"
    )


@pytest.mark.reads(pages=figure_page_visited)
def test_the_chosen_backend_shows_its_own_drawing_of_every_figure(tab, site_url):
    """On a page whose figures differ by backend: after choosing JAX in a code
    block, each figure's tab set shows JAX's drawing, loaded (the page's `load`
    event waits for every image)."""
    page = figure_page()
    expected = [
        "/" + shown[CHOSEN].relative_to(SITE).as_posix()
        for shown in built_site.figure_tab_sets(page)
    ]
    tab.goto(site_url + page.path, wait_until="load")
    label = tab.locator("article .tabbed-labels > label", has_text=LABELS[CHOSEN])
    label.first.scroll_into_view_if_needed()
    label.first.click()
    chosen = tab.evaluate(CHOSEN_JS)
    assert {s["label"] for s in chosen} == {LABELS[CHOSEN]}, chosen
    shown = [s["images"][0] for s in chosen if s["images"]]
    assert shown == expected, f"{page}: the visible figures are {shown}"


@pytest.mark.reads(pages=first_page_visited)
def test_the_copy_button_copies_the_chosen_tabs_code(tab, site_url):
    first, _ = two_pages()
    tab.goto(site_url + first.path, wait_until="load")
    label = tab.locator("article .tabbed-labels > label", has_text=LABELS[CHOSEN])
    label.first.click()
    expected = next(
        block.copied
        for block in built_site.rendered_blocks(first)
        if block.backend == CHOSEN
    )
    tab.evaluate(MARK_CHOSEN_BLOCK_JS)
    block = tab.locator("pre[data-chosen-tab]")
    assert block.count() == 1 and block.is_visible(), f"{first}: no visible block"
    tab.evaluate("navigator.clipboard.writeText('')")
    button = block.locator(COPY_BUTTON)
    button.evaluate("b => b.scrollIntoView({block: 'center'})")
    button.click(force=True, no_wait_after=True)
    copied = tab.evaluate(TAKE_CLIPBOARD_JS)
    assert copied.rstrip() == expected, f"{first}: copied\n{copied}\n---\n{expected}"
    assert "[backend:" not in copied and ">>>" not in copied, copied
