"""Search finds the terms in both languages (that every page exists in both is
tests/test_built_pages.py).

Search is used as a reader uses it: type a term into Material's search box
(search_box.py). The index is one for both languages (lunr de + en), so results are
not filtered by language.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from spickzettel.core.paths import LANGUAGES
from tests.browser.search_box import search_box
from tests.browser.site import built_pages
from tests.built_site import prose_text

pytestmark = pytest.mark.browser


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
    """Type a term into the search box of one open page; the paths it lists."""
    with search_box(browser, site_url + "/") as search_for:
        yield lambda term, until: {
            urlsplit(found).path for found in search_for(term, until=until)
        }


@pytest.mark.parametrize("pair", pair_params())
def test_search_finds_terms_in_both_languages(pair, search):
    assert pair is not None, (
        f"no built page uses any of the search terms {TERM_PAIRS}: add a term "
        "that the site uses, so that search is tested"
    )
    german, english = pair
    for term, language in ((german, "de"), (english, "en")):
        # The pages of the term's language that use it, and those whose other
        # language uses its counterpart (a page of the other language that only
        # quotes the term in brackets is no result a reader of it looks for).
        expected = {page.path for page in pages_using(term, language)}
        other = next(lang for lang in LANGUAGES if lang != language)
        counterpart_term = german if term == english else english
        expected |= {
            page.path_in(language) for page in pages_using(counterpart_term, other)
        }
        found = search(term, expected)
        missing = sorted(expected - found)
        assert not missing, (
            f"searching {term!r} does not find the page(s) {missing} "
            f"(results: {sorted(found)})"
        )
