"""Both languages are first-class: same pages, anchors, snippets and figures."""

from __future__ import annotations

import pytest

from spickzettel import mkdocs_config, pages
from spickzettel.paths import LANGUAGES


def test_same_pages_in_both_languages():
    german, english = set(pages.page_files("de")), set(pages.page_files("en"))
    assert german == english, (
        f"only in German: {sorted(german - english)}; "
        f"only in English: {sorted(english - german)}"
    )


@pytest.mark.parametrize("page", pages.page_files("de"))
def test_every_heading_has_an_explicit_anchor(page):
    for language in LANGUAGES:
        missing = [
            level
            for level, anchor in pages.headings(pages.read(language, page))
            if anchor is None
        ]
        assert not missing, (
            f"docs/{language}/{page}: {len(missing)} heading(s) without "
            "{ #anchor }; anchors must not depend on the language of the title"
        )


@pytest.mark.parametrize("page", pages.page_files("de"))
def test_same_structure_in_both_languages(page):
    de, en = pages.read("de", page), pages.read("en", page)
    assert pages.headings(de) == pages.headings(en), (
        f"{page}: headings/anchors differ between docs/de and docs/en"
    )
    assert pages.includes(de) == pages.includes(en), (
        f"{page}: included snippets differ between docs/de and docs/en"
    )
    assert pages.paired_images(de) == pages.paired_images(en), (
        f"{page}: figures differ between docs/de and docs/en"
    )
    for language, text in (("de", de), ("en", en)):
        wrong = [lang for lang in pages.figure_languages(text) if lang != language]
        assert not wrong, (
            f"docs/{language}/{page} shows a diagram labelled in {wrong}: "
            f"use name-{language}.png"
        )


def test_every_page_is_in_the_nav_with_an_english_title():
    config = mkdocs_config.load()
    nav = config["nav"]
    listed = set(mkdocs_config.nav_files(nav))
    pages_on_disk = set(pages.page_files("de"))
    assert pages_on_disk <= listed, (
        f"pages missing from nav: {sorted(pages_on_disk - listed)}"
    )
    english = mkdocs_config.english_titles(config)
    untranslated = [t for t in mkdocs_config.nav_titles(nav) if t not in english]
    assert not untranslated, f"nav titles without English translation: {untranslated}"
