"""The error page lists exactly the entries whose pasted messages the search test
types (tests/browser/test_error_search.py), and shows each message, in both
languages: read from the built pages (tests/built_site.py), no browser."""

from __future__ import annotations

import pytest

from spickzettel.core.paths import LANGUAGES
from tests import built_site
from tests.browser.test_error_search import MESSAGES, PAGE, page_in


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_listed_here(language):
    page = page_in(language)
    assert page.html_file.is_file(), f"{page.html_file} is not built"
    anchors = [id for level, _, id in built_site.headings(page) if level == 2]
    entries = [anchor for anchor in anchors if anchor != "setup"]
    assert entries == list(MESSAGES), (
        f"the error page's entries {entries} differ from the search test's "
        f"{list(MESSAGES)}"
    )
    text = built_site.page_text(page)
    missing = [m for m in MESSAGES.values() if built_site.words(m) not in text]
    assert not missing, f"{PAGE} ({language}) does not show: {missing}"
