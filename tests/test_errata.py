"""The course deck's errors: the home page's list and the pages' correction boxes agree.

Every error of the deck that the site corrects is flagged on its page by a warning
box titled "Korrektur der Kursfolie" (German) / "Correcting the course slide"
(English), and listed on the home page under "errata" with a link to that section.
The deck has five such errors (specificity 49/49, the error rate's denominator, the
line "RP = RP + FN + RN = 38 + 1 + 12 + 49", the missing bracket in binary
cross-entropy, the calibration slide's ten points at 0.8 of which "8 ... the real
label 1 and 2 ... the real label 1"); its R² formula, written with |y - ŷ|², is not
one of them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from spickzettel.core.pages import page_files, read
from spickzettel.core.paths import LANGUAGES

BOX_TITLE = {"de": "Korrektur der Kursfolie", "en": "Correcting the course slide"}
KNOWN_ERRORS = 5
BOX = re.compile(r'^!!! warning "(?P<title>[^"]*)"', re.MULTILINE)
HEADING = re.compile(r"^#{1,6} .*\{\s*#(?P<id>[\w-]+)\s*\}\s*$", re.MULTILINE)
LINK = re.compile(r"\]\((?P<page>[\w./-]+\.md)#(?P<anchor>[\w-]+)\)")


def correction_boxes(language: str) -> Counter:
    """(page, anchor of the section the box stands in) for every correction box."""
    found = Counter()
    for page in page_files(language):
        text = read(language, page)
        for box in BOX.finditer(text):
            if not box["title"].startswith(BOX_TITLE[language]):
                continue
            above = [h["id"] for h in HEADING.finditer(text, 0, box.start())]
            found[(page, above[-1])] += 1
    return found


def errata_list(language: str) -> Counter:
    """The links of the bulleted list in the home page's section { #errata }."""
    text = read(language, "index.md")
    start = re.search(r"^## .*\{\s*#errata\s*\}", text, re.MULTILINE)
    assert start, f"docs/{language}/index.md has no section {{ #errata }}"
    section = text[start.end() :]
    following = re.search(r"^#{1,2} ", section, re.MULTILINE)
    section = section[: following.start()] if following else section
    bullets = re.findall(r"^- .*(?:\n  .*)*", section, re.MULTILINE)
    found = Counter()
    for bullet in bullets:
        links = LINK.findall(bullet)
        assert len(links) == 1, f"errata bullet with {len(links)} links: {bullet!r}"
        found[links[0]] += 1
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_errata_match_the_correction_boxes(language):
    boxes, listed = correction_boxes(language), errata_list(language)
    assert boxes == listed, (
        f"docs/{language}: correction boxes {dict(boxes)} but errata list "
        f"{dict(listed)}"
    )
    assert sum(boxes.values()) == KNOWN_ERRORS, (
        f"docs/{language}: {sum(boxes.values())} correction boxes; the deck has "
        f"{KNOWN_ERRORS} known errors"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_r2_formula_is_not_called_an_error(language):
    assert ("formulas.md", "r2") not in correction_boxes(language)
    r2 = read(language, "formulas.md").split("{ #r2 }")[1].split("\n## ")[0]
    assert "!!! warning" not in r2, f"docs/{language}/formulas.md#r2 has a warning"


def test_the_box_finder_sees_a_planted_box(tmp_path, monkeypatch):
    page = tmp_path / "de" / "p.md"
    page.parent.mkdir()
    page.write_text(
        "# P { #p }\n\n## A { #a }\n\n"
        '!!! warning "Korrektur der Kursfolie: x"\n    Text.\n\n'
        '!!! warning "Etwas anderes"\n    Text.\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(
        "tests.test_errata.page_files", lambda language: ["p.md"], raising=True
    )
    monkeypatch.setattr(
        "tests.test_errata.read",
        lambda language, name: (tmp_path / language / name).read_text("utf-8"),
    )
    assert correction_boxes("de") == Counter({("p.md", "a"): 1})
