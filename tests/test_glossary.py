"""The glossary: the same terms in both languages, and every link to an anchor lands.

Each glossary entry is a definition-list term with an explicit anchor
(`Term { #id }`). Both languages must list the same ids in the same order, and every
link `page.md#anchor` in docs/ must point at an anchor that the target page (of the
same language) defines: a heading or glossary term with `{ #anchor }`.
"""

from __future__ import annotations

import re

import pytest

from spickzettel.paths import DOCS, LANGUAGES, ROOT

ANCHOR = re.compile(r"\{\s*#(?P<id>[\w-]+)\s*\}")
TERM = re.compile(r"^(?![#\s]).+\{\s*#(?P<id>[\w-]+)\s*\}\s*$", re.MULTILINE)
LINK = re.compile(r"\]\((?P<page>[\w./-]+\.md)#(?P<anchor>[\w-]+)\)")


def glossary_terms(language: str) -> list[str]:
    text = (DOCS / language / "glossary.md").read_text(encoding="utf-8")
    return [m["id"] for m in TERM.finditer(text)]


def test_both_glossaries_have_the_same_terms_in_the_same_order():
    de, en = (glossary_terms(language) for language in LANGUAGES)
    assert de, "no glossary terms found"
    assert de == en
    assert len(set(de)) == len(de), "a glossary anchor is used twice"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_anchor_link_lands(language):
    broken = []
    for page in sorted((DOCS / language).rglob("*.md")):
        for link in LINK.finditer(page.read_text(encoding="utf-8")):
            target = (page.parent / link["page"]).resolve()
            ids = (
                {m["id"] for m in ANCHOR.finditer(target.read_text(encoding="utf-8"))}
                if target.is_file()
                else set()
            )
            if link["anchor"] not in ids:
                where = page.relative_to(ROOT)
                broken.append(f"{where}: {link['page']}#{link['anchor']}")
    assert not broken, "links to missing anchors:\n  " + "\n  ".join(broken)
