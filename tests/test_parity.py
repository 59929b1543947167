"""Both languages are first-class: same pages, anchors, snippets and figures."""

from __future__ import annotations

import pytest
import yaml

from tests.harness import pages
from verification_record import ROOT


def test_same_pages_in_both_languages():
    german, english = set(pages.page_files("de")), set(pages.page_files("en"))
    assert german == english, (
        f"only in German: {sorted(german - english)}; "
        f"only in English: {sorted(english - german)}"
    )


@pytest.mark.parametrize("page", pages.page_files("de"))
def test_every_heading_has_an_explicit_anchor(page):
    for language in pages.LANGUAGES:
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
    assert pages.images(de) == pages.images(en), (
        f"{page}: figures differ between docs/de and docs/en"
    )


def _nav_files(items) -> list[str]:
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += _nav_files(value)
        else:
            found.append(value)
    return found


def _nav_titles(items) -> list[str]:
    found = []
    for item in items:
        if isinstance(item, dict):
            title, value = next(iter(item.items()))
            found.append(title)
            if isinstance(value, list):
                found += _nav_titles(value)
    return found


def _mkdocs_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses !relative and !ENV tags; their values do not matter here.
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def test_every_page_is_in_the_nav_with_an_english_title():
    config = _mkdocs_config()
    nav = config["nav"]
    listed = set(_nav_files(nav))
    pages_on_disk = set(pages.page_files("de"))
    assert pages_on_disk <= listed, (
        f"pages missing from nav: {sorted(pages_on_disk - listed)}"
    )
    i18n = next(
        p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p
    )
    english = next(lang for lang in i18n["languages"] if lang["locale"] == "en")
    untranslated = [t for t in _nav_titles(nav) if t not in english["nav_translations"]]
    assert not untranslated, f"nav titles without English translation: {untranslated}"
