"""Material's search box, used as a reader uses it: click, type, read the results.

One open page serves all searches of a test module: Material builds its search
index once per page load, and a reader searches again in the same box. The index
is one for both languages (lunr de + en), so results are not filtered by language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


def link_path(href: str) -> str:
    """A result link as the site's path plus fragment: "/en/errors/#lnput"."""
    parts = urlsplit(href)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


@contextmanager
def search_box(browser, url: str) -> Iterator[Callable[[str], list[str]]]:
    """Open `url`; yield a function that types a query and returns the results.

    The function returns every result link as path plus fragment
    ("/en/errors/#lnput"), in the order listed; when no result appears, one
    string "(no results: <error>)". With `until`, it stops reading further
    results as soon as that link is listed.
    """
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(url, wait_until="load")

    def links() -> list[str]:
        return tab.eval_on_selector_all(
            "a.md-search-result__link", "links => links.map(link => link.href)"
        )

    def settled_links() -> list[str]:
        """The result links once the list stops changing.

        Search runs after every keystroke, and a long query takes long to type:
        results of a prefix can be replaced while they are read.
        """
        previous = None
        for _ in range(50):
            tab.wait_for_timeout(300)
            current = links()
            if current == previous:
                return current
            previous = current
        return previous or []

    def search_for(query: str, until: str | None = None) -> list[str]:
        try:
            box = tab.locator(".md-search__input")
            box.click()
            box.fill("")  # and wait until the previous results are gone
            tab.wait_for_selector(".md-search-result__item", state="detached")
            tab.keyboard.type(query)  # fill() skips the events search listens to
            tab.wait_for_selector(".md-search-result__item", timeout=15_000)
            hrefs = settled_links()
            # Material lists results ten at a time and adds more as the reader
            # scrolls: scroll until the list stops growing.
            while until is None or until not in map(link_path, hrefs):
                tab.locator(".md-search-result__item").last.scroll_into_view_if_needed()
                more = settled_links()
                if len(more) <= len(hrefs):
                    break
                hrefs = more
        except Exception as error:
            return [f"(no results: {type(error).__name__})"]
        return [link_path(href) for href in hrefs]

    try:
        yield search_for
    finally:
        context.close()
