"""The cheat sheet shows only executed code, and it prints on one A4 page.

Its table holds the four row sections of snippets/cheat-sheet.md as they are (code
written once, executed by `make verify`). The prose cells carry short inline code:
loss strings, metric names, `p.argmax(axis=1)`. Each of those must occur in the
executed code of that snippet file, so the table cannot promise what was not run.
The print test prints the built page of each language with headless Chromium, as a
reader's browser would, and counts the pages of the PDF.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from spickzettel.pages import read
from spickzettel.paths import LANGUAGES, ROOT, SNIPPETS
from spickzettel.record import snippet_includes
from spickzettel.snippet_code import units

SNIPPET = SNIPPETS / "cheat-sheet.md"
ROWS = ["regression", "binary", "onehot", "integer"]
A4_POINTS = (595.28, 841.89)

TABLE = re.compile(r"<table.*?</table>", re.DOTALL)
INLINE_CODE = re.compile(r"`(?P<md>[^`\n]+)`|<code>(?P<html>.*?)</code>")


def page(language: str) -> str:
    return read(language, "cheat-sheet.md")


def table(language: str) -> str:
    match = TABLE.search(page(language))
    assert match, f"docs/{language}/cheat-sheet.md has no <table>"
    return match.group(0)


def executed_code() -> str:
    """The source of every block in the snippet file, prompts and outputs removed."""
    return "".join(unit.source for unit in units(SNIPPET))


@pytest.mark.parametrize("language", LANGUAGES)
def test_table_rows_are_the_snippet_sections(language):
    included = [
        section
        for file, section in snippet_includes(table(language))
        if file == SNIPPET.name
    ]
    assert included == ROWS


@pytest.mark.parametrize("language", LANGUAGES)
def test_inline_code_in_the_table_was_executed(language):
    code = executed_code()
    matches = INLINE_CODE.finditer(table(language))
    inline = [html.unescape(m["md"] or m["html"]) for m in matches]
    assert inline, "the table shows no inline code at all?"
    missing = [snippet for snippet in inline if snippet not in code]
    assert not missing, (
        f"docs/{language}/cheat-sheet.md shows code that snippets/cheat-sheet.md "
        f"never runs: {missing}"
    )


# ---- printing ------------------------------------------------------------------


PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*" + rb"\s+".join([rb"([\d.]+)"] * 4))


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of each page (Chromium writes plain page objects)."""
    sizes = []
    for pdf_object in pdf.split(b"endobj"):
        if PAGE_OBJECT.search(pdf_object):
            box = MEDIA_BOX.search(pdf_object)
            assert box, "a PDF page without MediaBox"
            x0, y0, x1, y1 = (float(v) for v in box.groups())
            sizes.append((x1 - x0, y1 - y0))
    return sizes


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_cheat_sheet_prints_on_one_a4_page(language, tmp_path):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Chromium is missing: `make browser-deps` installs it.")
    folder = ROOT / "site" / ("" if language == "de" else "en")
    built = folder / "cheat-sheet" / "index.html"
    if not built.is_file():
        pytest.fail(f"{built.relative_to(ROOT)} is missing: run `make build` first.")
    pdf = tmp_path / "cheat-sheet.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            built.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sizes = pdf_pages(pdf.read_bytes())
    assert len(sizes) == 1, (
        f"the {language} cheat sheet prints on {len(sizes)} pages instead of one: "
        "shorten it or tighten overrides/assets/stylesheets/print.css"
    )
    width, height = sizes[0]
    assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, sizes[0]
