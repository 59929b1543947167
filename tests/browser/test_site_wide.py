"""Site-wide checks: every page exists in both languages; search finds the terms.

Search is used as a reader uses it: type a term into Material's search box. The
index is one for both languages (lunr de + en), so results are not filtered by
language.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from spickzettel.paths import LANGUAGES
from tests.browser.site import built_pages, prose_text

pytestmark = pytest.mark.browser


def test_every_page_exists_in_both_languages(site_url):
    pages = built_pages()
    paths = {page.path for page in pages}
    missing = [
        f"{page}: no {language} version at {page.path_in(language)}"
        for page in pages
        for language in page.other_languages
        if page.path_in(language) not in paths
    ]
    assert not missing, "\n".join(missing)


# Terms and their translations. A pair is tested as soon as any built page uses one
# of its words; the search must then find every page that uses the word (both
# languages, as the index is shared), and the other language's term must find the
# counterparts of those pages.
TERM_PAIRS = [
    ("Spezifität", "specificity"),
    ("Sensitivität", "sensitivity"),
    ("Konfusionsmatrix", "confusion matrix"),
    ("Lernkurve", "learning curve"),
    ("Bestimmtheitsmaß", "coefficient of determination"),
]


def word_in(term: str, text: str) -> bool:
    return (
        re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None
    )


def pages_using(term: str, language: str | None = None) -> list:
    return [
        page
        for page in built_pages()
        if (language is None or page.language == language)
        and word_in(term, prose_text(page))
    ]


def pair_params():
    try:
        used = [pair for pair in TERM_PAIRS if any(pages_using(t) for t in pair)]
    except FileNotFoundError:
        used = []
    if not used:
        return [pytest.param(None, id="no-term-on-any-page")]
    return [pytest.param(pair, id="/".join(pair)) for pair in used]


@pytest.fixture(scope="module")
def search(browser, site_url):
    """Type a term into the search box of one open page; the paths it lists.

    One page for all searches: Material builds its search index once per page
    load, and a reader searches again in the same box.
    """
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(site_url + "/", wait_until="load")

    def search_for(term: str) -> set[str]:
        try:
            box = tab.locator(".md-search__input")
            box.click()
            box.fill("")  # and wait until the previous results are gone
            tab.wait_for_selector(".md-search-result__item", state="detached")
            tab.keyboard.type(term)  # fill() skips the events search listens to
            tab.wait_for_selector(".md-search-result__item", timeout=15_000)
            # Material lists results ten at a time and adds more as the reader
            # scrolls: scroll until the list stops growing. The search worker may
            # still answer a query typed halfway and re-render the list under the
            # scroll: then the last item is gone, and the next round takes the new.
            items = tab.locator(".md-search-result__item")
            shown, rounds = 0, 0
            while items.count() > shown and rounds < 50:
                shown, rounds = items.count(), rounds + 1
                try:
                    items.last.scroll_into_view_if_needed(timeout=5_000)
                except PlaywrightError:
                    shown = 0  # re-rendered meanwhile: look again
                tab.wait_for_timeout(300)
            hrefs = tab.eval_on_selector_all(
                "a.md-search-result__link", "links => links.map(link => link.href)"
            )
        except Exception as error:
            return {f"(no results: {type(error).__name__})"}
        return {urlsplit(href).path for href in hrefs}

    yield search_for
    context.close()


@pytest.mark.parametrize("pair", pair_params())
def test_search_finds_terms_in_both_languages(pair, search):
    assert pair is not None, (
        f"no built page uses any of the search terms {TERM_PAIRS}: add a term "
        "that the site uses, so that search is tested"
    )
    german, english = pair
    for term, language in ((german, "de"), (english, "en")):
        expected = {page.path for page in pages_using(term)}
        other = next(lang for lang in LANGUAGES if lang != language)
        counterpart_term = german if term == english else english
        expected |= {
            page.path_in(language) for page in pages_using(counterpart_term, other)
        }
        found = search(term)
        missing = sorted(expected - found)
        assert not missing, (
            f"searching {term!r} does not find the page(s) {missing} "
            f"(results: {sorted(found)})"
        )
