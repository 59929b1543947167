"""Material's search box, used as a reader uses it: paste, read the first results.

One open page serves all searches of a language: the search worker builds its
index once per page load, and a reader searches again in the same box. A query
is pasted whole over what the box held (select all, paste) and one key is
released: Material searches on keyup.

Material lists one item per page, the page's best section first; a result here
is that best section of each item (the link whose `data-md-score` is highest),
in the order listed. Position 1 is what the reader sees at the top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# The box is ready for a query when Material has answered the empty one it sends
# once its worker is ready (the box's value then, "" after the click): the meta
# line shows the placeholder ("Type to start searching"). A query pasted before
# that races the empty one: its answer, rendered under the pasted text, reads
# "no results" (Material words the meta line by the box's value at the time).
# The offline copy's stand-in worker (file:) answers within Material's handling of
# READY, so Material drops that answer and the line keeps "Initializing search";
# there is no race to wait for.
READY = """() => {
  const meta = document.querySelector('.md-search-result__meta').textContent.trim();
  const config = JSON.parse(document.getElementById('__config').textContent);
  return location.protocol === 'file:'
    || meta === config.translations['search.result.placeholder'];
}"""
# Before a query the listed results are marked as old and the meta line emptied;
# the query is answered when the meta line is written again with a count or "no
# results" and no old result is left.
FORGET = """() => {
  for (const item of document.querySelectorAll('.md-search-result__item'))
    item.dataset.old = '';
  document.querySelector('.md-search-result__meta').textContent = '';
}"""
ANSWERED = """query =>
  document.querySelector('.md-search__input').value === query
  && document.querySelector('.md-search-result__meta').textContent.trim() !== ''
  && !document.querySelector('.md-search-result__item[data-old]')"""
# The best section of each page listed, in the order listed.
LISTED = """() =>
[...document.querySelectorAll('.md-search-result__item')].map(item => {
  let best = null, top = -1;
  for (const link of item.querySelectorAll('a.md-search-result__link')) {
    const score = parseFloat(link.querySelector('article').dataset.mdScore);
    if (score > top) { top = score; best = link; }
  }
  return {href: best.href, other: !!item.querySelector('.search-result-language'),
          lang: best.closest('html').lang};
})"""
# Checked every few milliseconds rather than once a frame: 365 queries a run.
POLL_MS = 5


@dataclass(frozen=True)
class Result:
    path: str  # "/en/errors/#lr", or "en/errors/index.html#lr" in the offline copy
    other_language: bool  # marked as a section of the other language


def result_path(href: str, root: str) -> str:
    """A result link as path plus fragment; in the offline copy relative to its
    folder `root`."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    if href.startswith("file:"):
        path = path.removeprefix(unquote(urlsplit(root).path))
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def searcher(tab, root: str = "") -> Callable[..., list[Result]]:
    """Material's search box on the open page `tab` (a Playwright page), opened
    and ready; a function that pastes a query and returns the first results.
    `root`: the site's folder as a file: URL, for the offline copy."""
    box = tab.locator(".md-search__input")
    box.click()
    tab.wait_for_function(READY, timeout=30_000)

    def ask(query: str) -> None:
        tab.evaluate(FORGET)
        # Pasted over what the box held, as a reader does (select all, paste), in
        # the focused box: the keyboard's events, without a locator's waits.
        tab.keyboard.press("ControlOrMeta+A")
        tab.keyboard.insert_text(query)
        for _ in range(40):
            # A key released before the worker has its index is lost: release
            # one again until the results are there.
            tab.keyboard.press("End")
            try:
                tab.wait_for_function(ANSWERED, arg=query, timeout=500, polling=POLL_MS)
                return
            except PlaywrightTimeout:
                continue
        raise AssertionError(f"the search box never answered {query!r}")

    def search_for(query: str, first: int = 3) -> list[Result]:
        """The best section of each of the first `first` pages listed."""
        # The same query again: Material does not search again (it searches when
        # the box's value changes); the list still shows its answer.
        if box.input_value() != query:
            ask(query)
        found = tab.evaluate(LISTED)
        # Material lists ten pages and adds more as the reader scrolls.
        while first > len(found) >= 10:
            tab.locator(".md-search-result__item").last.scroll_into_view_if_needed()
            try:
                tab.wait_for_function(
                    "n => document.querySelectorAll('.md-search-result__item')"
                    ".length > n",
                    arg=len(found),
                    timeout=1_000,
                    polling=POLL_MS,
                )
            except PlaywrightTimeout:
                break
            found = tab.evaluate(LISTED)
        return [
            Result(result_path(item["href"], root), item["other"])
            for item in found[:first]
        ]

    return search_for


@contextmanager
def search_box(
    browser, url: str, root: str = ""
) -> Iterator[Callable[..., list[Result]]]:
    """Open `url` in a tab of its own; yield its `searcher`."""
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(url, wait_until="load")
    try:
        yield searcher(tab, root)
    finally:
        context.close()


@contextmanager
def search_boxes(
    browser, homes: dict[str, str], root: str = ""
) -> Iterator[dict[str, Callable[..., list[Result]]]]:
    """The search box of each language's home page (`homes`: language -> URL),
    opened once each, in tabs of their own."""
    with ExitStack() as stack:
        yield {
            language: stack.enter_context(search_box(browser, url, root))
            for language, url in homes.items()
        }
