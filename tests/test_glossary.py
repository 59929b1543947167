"""The glossary: the same terms in both languages, and every link to an anchor lands.

Each glossary entry is a definition-list term with an explicit anchor
(`Term { #id }`). Both languages must list the same ids in the same order, and every
link `page.md#anchor` in docs/ must point at an anchor that the target page (of the
same language) defines: a heading or glossary term with `{ #anchor }`.
"""

from __future__ import annotations

import re

import pytest

from spickzettel.core.paths import DOCS, LANGUAGES, ROOT

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


# ---- every glossary link points at a section that explains its term -------------

ENTRY = re.compile(
    r"^(?P<term>(?![#\s]).+?)\s*\{\s*#(?P<id>[\w-]+)\s*\}\s*\n"
    r"(?P<body>:   .*(?:\n    .*)*)",
    re.MULTILINE,
)
ANY_LINK = re.compile(r"\]\((?P<page>[\w./-]+\.md)(?:#(?P<anchor>[\w-]+))?\)")
HEADING = re.compile(r"^(?P<hashes>#{1,6}) .*\{\s*#(?P<id>[\w-]+)\s*\}\s*$", re.M)
OTHER_LANGUAGE = {"de": "Englisch", "en": "German"}


def section(text: str, anchor: str | None) -> str | None:
    """The heading with this anchor and everything up to the next heading of the
    same or a higher level; the whole page for a link without an anchor."""
    if anchor is None:
        return text
    for heading in HEADING.finditer(text):
        if heading["id"] == anchor:
            rest = text[heading.end() :]
            level = len(heading["hashes"])
            end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
            return heading[0] + (rest[: end.start()] if end else rest)
    return None


def names_of(term: str, body: str, language: str) -> set[str]:
    """The ways a page may name a glossary term: the term and its parts, the other
    language's term, the code the entry quotes, and the first word of long names
    ("One-hot" for "One-hot-Kodierung", "sparse" for "„Sparse“ kategoriale …")."""
    names = re.split(r"\s*[(),]\s*|\s+(?:und|and)\s+", term)
    other = re.search(rf"\*{OTHER_LANGUAGE[language]}:\*\s*([^.]*)\.", body)
    if other:
        names += re.split(r"\s*[(),]\s*", other[1])
    for code in re.findall(r"`([^`]+)`", body):
        names.append(code)
        names.append(max(re.findall(r"[A-Za-z_][\w.]*", code) or [""], key=len))
    names = [n.strip().strip('"„“').lower() for n in names]
    names = [n for n in names if len(n) > 1]
    for name in list(names):
        for separator in (" ", "-"):
            first = name.split(separator)[0]
            if separator in name and len(first) >= 5:
                names.append(first)
    return set(names)


def glossary_links(language: str):
    text = (DOCS / language / "glossary.md").read_text(encoding="utf-8")
    for entry in ENTRY.finditer(text):
        for link in ANY_LINK.finditer(entry["body"]):
            yield entry["id"], entry["term"], entry["body"], link


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_glossary_link_lands_where_its_term_is_explained(language):
    wrong = []
    for term_id, term, body, link in glossary_links(language):
        page = (DOCS / language / link["page"]).read_text(encoding="utf-8")
        target = section(page, link["anchor"])
        names = names_of(term, body, language)
        if target is None or not any(name in target.lower() for name in names):
            wrong.append(f"#{term_id} -> {link['page']}#{link['anchor']} ({names})")
    assert not wrong, (
        f"docs/{language}/glossary.md links to sections that never name the term:\n  "
        + "\n  ".join(wrong)
    )


def test_the_term_check_catches_a_link_to_the_wrong_section():
    page = (
        "# P { #p }\n\n## Fit { #cycle }\n\nfit and compile.\n\n## Curves { #curves }\n"
    )
    page += "\n`EarlyStopping` watches the validation loss.\n"
    body = ":   *German:* frühes Beenden. Stops training (`EarlyStopping`)."
    names = names_of("Early stopping", body, "en")
    assert not any(name in section(page, "cycle").lower() for name in names)
    assert any(name in section(page, "curves").lower() for name in names)
    assert section(page, "missing") is None
