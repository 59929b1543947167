"""Both languages are first-class: same pages, anchors, snippets and figures."""

from __future__ import annotations

import re

import pytest

from spickzettel.core import mkdocs_config, pages
from spickzettel.core.paths import DOCS, LANGUAGES


def both_languages(page) -> list:
    """What a check of one page's sources reads (tests/verdicts.py): the page's
    Markdown in every language."""
    return [DOCS / language / page for language in LANGUAGES]


def test_same_pages_in_both_languages():
    german, english = set(pages.page_files("de")), set(pages.page_files("en"))
    assert german == english, (
        f"only in German: {sorted(german - english)}; "
        f"only in English: {sorted(english - german)}"
    )


@pytest.mark.reads(pages=both_languages)
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


@pytest.mark.reads(pages=both_languages)
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


# ---- answer first: every topic page opens with its "at a glance" box -----------

GLANCE = {"de": '!!! abstract "Auf einen Blick"', "en": '!!! abstract "At a glance"'}
# Not topic pages: the home page, and the look-up pages, which are answers already
# (the glossary, the cheat sheet, and issue 14's reference pages).
NOT_TOPICS = {
    "index.md",
    "glossary.md",
    "cheat-sheet.md",
    "errors.md",
    "shapes.md",
    "keras-3.md",
}
SECTION_LINK = re.compile(r"\]\(#(?P<anchor>[\w-]+)\)")


def topic_pages() -> list[str]:
    return [
        page
        for page in pages.page_files("de")
        if page not in NOT_TOPICS and not page.startswith("exercises/")
    ]


def glance_box(text: str, language: str) -> list[str]:
    """The box's lines (indentation removed) if it comes right after the H1."""
    lines = pages.FRONT_MATTER.sub("", text).splitlines()  # `# ` there is YAML
    h1 = next(i for i, line in enumerate(lines) if line.startswith("# "))
    rest = lines[h1 + 1 :]
    while rest and not rest[0].strip():
        rest.pop(0)
    if not rest or rest[0] != GLANCE[language]:
        return []
    box = []
    for line in rest[1:]:
        if line.strip() and not line.startswith("    "):
            break
        box.append(line[4:])
    return box


@pytest.mark.reads(pages=both_languages)
@pytest.mark.parametrize("page", topic_pages())
def test_topic_page_opens_with_its_glance_box_in_both_languages(page):
    anchors = {}
    for language in LANGUAGES:
        text = pages.read(language, page)
        box = glance_box(text, language)
        assert box, (
            f"docs/{language}/{page}: the first thing after the title must be "
            f"{GLANCE[language]} with the page's rules or small table"
        )
        items = [line for line in box if line.startswith(("- ", "| ["))]
        assert 3 <= len(items) <= 6, (
            f"docs/{language}/{page}: {len(items)} rules or table rows in the box; "
            "3 to 6 give the answer at a glance"
        )
        linked = SECTION_LINK.findall("\n".join(box))
        on_page = {anchor for _, anchor in pages.headings(text)}
        assert linked, f"docs/{language}/{page}: the box links to no section"
        dangling = sorted(set(linked) - on_page)
        assert not dangling, f"docs/{language}/{page}: box links to {dangling}"
        anchors[language] = linked
    assert anchors["de"] == anchors["en"], (
        f"{page}: the boxes link to different sections in German and English"
    )


def test_front_matter_is_not_read_as_headings():
    """A page's YAML front matter may hold comments (`# ...`, the scaffold's hint
    for the description): they are no headings, or parity would compare them."""
    page = '---\n# For search engines: ...\ndescription: "x"\n---\n\n# Title { #t }\n'
    assert pages.headings(page) == [("#", "t")]
