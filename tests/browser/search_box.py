"""Material's search box, used as a reader uses it: click, type, read the results.

One open page serves all searches of a test module: Material builds its search
index once per page load, and a reader searches again in the same box. The index
is one for both languages (lunr de + en), so results are not filtered by language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

META_COUNT = re.compile(r"\d+")
# The results of `query` are listed: the box holds it and the meta line counts.
COUNTED = """query => document.querySelector('.md-search__input').value === query
  && /\\d/.test(document.querySelector('.md-search-result__meta').textContent)"""


def link_path(href: str) -> str:
    """A result link as the site's path plus fragment: "/en/errors/#lnput"."""
    parts = urlsplit(href)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


@contextmanager
def search_box(browser, url: str) -> Iterator[Callable[[str], list[str]]]:
    """Open `url`; yield a function that types a query and returns the results.

    The function returns every result link as path plus fragment
    ("/en/errors/#lnput"), in the order listed; when no result appears, one
    string "(no results: <error>)". With `until` (one link, or a collection of
    paths or links), it stops reading further results as soon as it is listed.
    """
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(url, wait_until="load")

    def links() -> list[str]:
        return tab.eval_on_selector_all(
            "a.md-search-result__link", "links => links.map(link => link.href)"
        )

    def listed(until) -> bool:
        paths = set(map(link_path, links()))
        if isinstance(until, str):
            return until in paths
        return set(until) <= {path.split("#")[0] for path in paths} | paths

    def search_for(query: str, until: str | Iterable[str] | None = None) -> list[str]:
        try:
            box = tab.locator(".md-search__input")
            box.click()
            box.fill("")  # and wait until the previous results are gone
            tab.wait_for_selector(".md-search-result__item", state="detached")
            # Material searches on keyup: fill the whole query, then one key, so the
            # search runs once (typing it would search after every character).
            box.fill(query)
            for _ in range(30):
                # A key released before the search worker has its index is lost:
                # release one again until the meta line counts results.
                box.press("End")
                try:
                    tab.wait_for_function(COUNTED, arg=query, timeout=500)
                    break
                except PlaywrightTimeout:
                    continue
            tab.wait_for_selector(".md-search-result__item", timeout=15_000)
            # Material lists ten pages at a time, each with its matching sections,
            # and adds more as the reader scrolls. Its meta line counts sections,
            # not pages, so the list is complete when scrolling adds no more.
            items = tab.locator(".md-search-result__item")
            while not (until is not None and listed(until)):
                count = items.count()
                items.last.scroll_into_view_if_needed()
                try:
                    tab.wait_for_function(
                        "count => document.querySelectorAll("
                        "'.md-search-result__item').length > count",
                        arg=count,
                        timeout=2_000,
                    )
                except PlaywrightTimeout:
                    break
        except Exception as error:
            return [f"(no results: {type(error).__name__})"]
        return [link_path(href) for href in links()]

    try:
        yield search_for
    finally:
        context.close()
