"""Search finds the terms in both languages (that every page exists in both is
tests/test_built_pages.py).

Search is used as a reader uses it: paste a term into the search box of the home
page of its language (search_box.py); each language has its own index
(overrides/assets/javascripts/search-worker.js).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import pytest

from spickzettel.core.paths import LANGUAGES
from tests.browser.search_answers import SearchAnswer, search_reads
from tests.browser.search_box import search_boxes
from tests.browser.site import built_pages, home_path
from tests.built_site import prose_text

pytestmark = pytest.mark.browser


# Terms and their translations. A pair is tested as soon as any built page uses one
# of its words; the search must then list every page of the term's language that
# uses it, and nothing of the other language.
TERM_PAIRS = [
    ("Spezifität", "specificity"),
    ("Sensitivität", "sensitivity"),
    ("Konfusionsmatrix", "confusion matrix"),
    ("Lernkurve", "learning curve"),
    ("Bestimmtheitsmaß", "coefficient of determination"),
]

LISTED = 100  # pages read of each answer: every page that uses the term


def word_in(term: str, text: str) -> bool:
    return (
        re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None
    )


@cache  # asked for each check's key and again by the check
def pages_using(term: str, language: str | None = None) -> tuple:
    return tuple(
        page
        for page in built_pages()
        if (language is None or page.language == language)
        and word_in(term, prose_text(page))
    )


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
    """Paste a term into the search box of the home page of its language; the
    pages listed, with whether any of them is marked as the other language."""
    homes = {language: site_url + home_path(language) for language in LANGUAGES}
    with search_boxes(browser, homes) as boxes:

        def search_for(term, language):
            results = boxes[language](term, first=LISTED)
            pages = {urlsplit(result.path).path for result in results}
            return pages, [r.path for r in results if r.other_language]

        yield search_for


def pair_reads(pair) -> list:
    """What the check reads (tests/verdicts.py): per term the home page of its
    language, the worker's answer (tests/browser/search_answers.py) and the pages
    whose prose uses the term."""
    reads = []
    for term, language in zip(pair or (), ("de", "en"), strict=False):
        expected = tuple(page.path for page in pages_using(term, language))
        reads += search_reads(language, SearchAnswer(language, term, LISTED, expected))
    return reads


@pytest.mark.reads(pages=pair_reads)
@pytest.mark.parametrize("pair", pair_params())
def test_search_finds_terms_in_their_language(pair, search):
    assert pair is not None, (
        f"no built page uses any of the search terms {TERM_PAIRS}: add a term "
        "that the site uses, so that search is tested"
    )
    german, english = pair
    for term, language in ((german, "de"), (english, "en")):
        expected = {page.path for page in pages_using(term, language)}
        found, other = search(term, language)
        missing = sorted(expected - found)
        assert not missing, (
            f"searching {term!r} on the {language} home page does not list the "
            f"page(s) {missing} (results: {sorted(found)})"
        )
        assert not other, f"{term!r} ({language}) lists the other language: {other}"
