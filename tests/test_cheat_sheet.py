"""The cheat sheet shows only executed code, and it prints on exactly two A4 pages.

The sheet (the `<div class="sheet">` of cheat-sheet.md, above the heading
`{ #checks }`) includes the snippet sections of snippets/cheat-sheet.md as they are
(code written once, executed by `make verify`). The section `prepare` (data and a
small classifier) comes before it in a collapsed block, the `check-` sections, which
prove what the sheet says, below the heading; print.css leaves both off paper. The
prose carries short inline code (loss strings, argument names,
`p.argmax(axis=1)`): each piece must occur in the code or the verified output of
that snippet file, so the sheet cannot promise what was not run.

The PDFs that `make build` printed (spickzettel/downloads/pdf.py) are read as they
are, not printed again: each exists in site/, has exactly two A4 pages, holds every code
line of the sheet in its text and not the on-screen checks, and is linked from the
cheat-sheet page and the home page of its language. In Chromium's print layout
(one browser test per language) no code line or table is wider than its box and
no box taller than a page (so no break can hide a line of it).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from urllib.parse import urljoin

import pytest

from spickzettel.core.pages import read, snippet_blocks, snippet_includes
from spickzettel.core.paths import LANGUAGES, ROOT, SNIPPETS
from spickzettel.downloads import pdf
from tests import built_site
from tests.browser.site import page_for

SNIPPET = SNIPPETS / "cheat-sheet.md"
SHEET_START = '<div class="sheet" markdown="1">'
PREPARE = "prepare"
CHECKS = re.compile(r"^## .*\{ #checks \}$", re.MULTILINE)
SECTION = re.compile(r"<!-- --8<-- \[start:(?P<name>[\w-]+)\] -->")
# Any info string after the language: a fence of one backend's code says
# `backend=jax` (spickzettel/core/fences.py).
# A line that starts a backend's own expected output, not something printed.
OUTPUT_MARKER = re.compile(r"^[ \t]*\[backend: [a-z, ]+\][ \t]*\n", re.MULTILINE)
PROMPT = re.compile(r"^(?:>>> |\.\.\. ?)", re.MULTILINE)
INLINE_CODE = re.compile(r"`(?P<md>[^`\n]+)`|<code>(?P<html>.*?)</code>")
A4_POINTS = (595.28, 841.89)


def page(language: str) -> str:
    return read(language, "cheat-sheet.md")


def sheet(language: str) -> str:
    """The printed part of the page: the boxes, down to the checks."""
    text = page(language)
    match = CHECKS.search(text)
    assert match, f"docs/{language}/cheat-sheet.md has no heading {{ #checks }}"
    return text[text.index(SHEET_START) : match.start()]


def before_sheet(language: str) -> str:
    text = page(language)
    return text[: text.index(SHEET_START)]


def checks(language: str) -> str:
    text = page(language)
    return text[CHECKS.search(text).start() :]


def sections() -> list[str]:
    return SECTION.findall(SNIPPET.read_text(encoding="utf-8"))


def included(text: str) -> list[str]:
    return [name for file, name in snippet_includes(text) if file == SNIPPET.name]


@cache
def executed_text() -> str:
    """Code and expected output of every block in the snippet file (each backend's),
    no prompts, no marker lines."""
    bodies = [
        block.code
        for block in snippet_blocks(SNIPPET.name)
        if block.language in ("pycon", "python")
    ]
    return "".join(OUTPUT_MARKER.sub("", PROMPT.sub("", body)) for body in bodies)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sheet_shows_the_sheet_sections_and_hides_the_checks(language):
    before, on_sheet = included(before_sheet(language)), included(sheet(language))
    below = included(checks(language))
    proofs = [name for name in sections() if name.startswith("check-")]
    shown = [n for n in sections() if n != PREPARE and n not in proofs]
    assert before == [PREPARE], "only the preparation comes before the sheet"
    assert on_sheet == shown, "the sheet shows every sheet section, in file order"
    assert below == proofs, "the checks, in file order, belong below { #checks }"


@pytest.mark.parametrize("language", LANGUAGES)
def test_inline_code_on_the_sheet_was_executed(language):
    code = executed_text()
    matches = INLINE_CODE.finditer(sheet(language))
    inline = [html.unescape(m["md"] or m["html"]) for m in matches]
    assert len(inline) > 50, "the sheet shows hardly any inline code?"
    missing = sorted({snippet for snippet in inline if snippet not in code})
    assert not missing, (
        f"docs/{language}/cheat-sheet.md shows code that snippets/cheat-sheet.md "
        f"never runs or prints: {missing}"
    )


# ---- printing ------------------------------------------------------------------

SHEETS = {sheet.language: sheet for sheet in pdf.SHEETS}

# In print layout at the paper's content width: what does not fit its box.
CUT_OFF = """(pageHeight) => {
  const found = [];
  const name = (el) => {
    const box = el.closest('.sheet-box');
    const title = box && box.querySelector('h2');
    return (title ? title.textContent.trim() + ': ' : '') +
      el.textContent.trim().split('\\n')[0].slice(0, 60);
  };
  for (const el of document.querySelectorAll(
      '.sheet pre > code, .sheet .md-typeset__scrollwrap, .sheet table')) {
    if (el.scrollWidth > el.clientWidth + 1) {
      found.push(`wider than its box by ${el.scrollWidth - el.clientWidth}px: ` +
                 name(el));
    }
  }
  for (const box of document.querySelectorAll('.sheet-box')) {
    const height = box.getBoundingClientRect().height;
    if (height > pageHeight) {
      found.push(`box taller than a page (${Math.round(height)}px): ` + name(box));
    }
  }
  return found;
}"""
MM = 96 / 25.4  # CSS pixels per millimetre
# A4 less the margins of print.css's @page (8mm 9mm 11mm).
CONTENT_WIDTH = round((210 - 2 * 9) * MM)
CONTENT_HEIGHT = round((297 - 8 - 11) * MM)


def built(language: str):
    path = ROOT / "site" / SHEETS[language].page
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `make build` first.")
    return path


def sheet_code_lines(language: str) -> list[str]:
    """Every code line the sheet shows, as the PDF's text holds it."""
    shown = included(sheet(language))
    lines = []
    for block in snippet_blocks(SNIPPET.name):
        if block.section in shown and block.language in ("pycon", "python"):
            lines += [line for line in block.code.splitlines() if line.strip()]
    return lines


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sheet_page(language):
    """What the print layout check reads (tests/verdicts.py): the built sheet page of
    its language, with what it loads."""
    return [page_for("/" + SHEETS[language].page.removesuffix("index.html"))]


@pytest.mark.browser
@pytest.mark.reads(pages=sheet_page)
@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_on_the_printed_sheet_is_cut_off(language, browser):
    tab = browser.new_page(viewport={"width": CONTENT_WIDTH, "height": CONTENT_HEIGHT})
    try:
        tab.emulate_media(media="print", color_scheme="light")
        tab.goto(built(language).as_uri(), wait_until="load")
        assert tab.locator(".sheet-box").count() >= 10
        cut_off = tab.evaluate(CUT_OFF, CONTENT_HEIGHT)
    finally:
        tab.close()
    assert not cut_off, f"{language}: " + "; ".join(cut_off)


# ---- the PDFs in the built site --------------------------------------------------


def linked_pdfs(page_file) -> set[str]:
    """The PDFs a built page links to, as paths relative to site/."""
    site = (ROOT / "site").as_uri() + "/"
    here = page_file.as_uri()
    hrefs = built_site.document(page_file).xpath("//a/@href[contains(., '.pdf')]")
    return {urljoin(here, href).removeprefix(site) for href in hrefs}


def printed_pdf(language) -> list:
    """What the PDF check reads (tests/verdicts.py): the printed PDF, the sheet's
    source and snippet file (its code lines), and the two pages that link the PDF
    (their HTML)."""
    home = ROOT / "site" / ("" if language == "de" else "en") / "index.html"
    return [
        ROOT / "site" / SHEETS[language].pdf,
        ROOT / "docs" / language / "cheat-sheet.md",
        SNIPPET,
        home,
        ROOT / "site" / SHEETS[language].page,
    ]


@pytest.mark.reads(pages=printed_pdf)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_built_site_has_a_two_page_pdf_linked_from_home_and_sheet(language):
    """The PDF the build printed (spickzettel/downloads/pdf.py), not a second
    print: two A4 pages with every code line of the sheet, the on-screen checks
    left out."""
    from pypdf import PdfReader

    sheet_pdf = SHEETS[language]
    pdf_file = ROOT / "site" / sheet_pdf.pdf
    assert pdf_file.is_file(), (
        f"site/{sheet_pdf.pdf} is missing: `make build` prints it "
        "(spickzettel/downloads/pdf.py)"
    )
    reader = PdfReader(pdf_file)
    assert len(reader.pages) == pdf.PAGES, (
        f"the {language} cheat sheet prints on {len(reader.pages)} pages instead of "
        f"{pdf.PAGES}: shorten it or tighten overrides/assets/stylesheets/print.css"
    )
    for sheet_page in reader.pages:
        width, height = (
            float(sheet_page.mediabox.width),
            float(sheet_page.mediabox.height),
        )
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2
    squeezed = squeeze(
        unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
    )
    missing = [
        line for line in sheet_code_lines(language) if squeeze(line) not in squeezed
    ]
    assert not missing, f"code lines missing from the printed sheet: {missing}"
    hidden = "Jede Zeile geprüft" if language == "de" else "Every line checked"
    assert squeeze(hidden) not in squeezed, "the checks belong on screen only"
    # NFKC: the footer's font sets "fi" as a ligature (Veriﬁed)
    text = unicodedata.normalize(
        "NFKC", "".join(p.extract_text() for p in reader.pages)
    )
    assert "Keras" in text and "binary_crossentropy" in text, "text not selectable?"
    stamp = "Geprüft:" if language == "de" else "Verified:"
    assert text.count(stamp) >= pdf.PAGES, "the stamp belongs in every page's footer"
    home = ROOT / "site" / ("" if language == "de" else "en") / "index.html"
    for page_file in (home, built(language)):
        assert sheet_pdf.pdf in linked_pdfs(page_file), (
            f"{page_file.relative_to(ROOT)} does not link to site/{sheet_pdf.pdf}"
        )


def test_the_pdf_step_stops_clearly_without_chromium(tmp_path, monkeypatch, capsys):
    for sheet_pdf in pdf.SHEETS:
        page_file = tmp_path / sheet_pdf.page
        page_file.parent.mkdir(parents=True, exist_ok=True)
        page_file.write_text("<h1>built</h1>", encoding="utf-8")
    monkeypatch.delenv("KERAS_SPICKZETTEL_CHROMIUM", raising=False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "SYSTEM_CHROMIUM", str(tmp_path / "no-chromium"))
    assert pdf.main(["--site", str(tmp_path)]) == 1
    message = capsys.readouterr().err
    assert "Chromium is missing" in message and "make browser-deps" in message
    assert not list(tmp_path.rglob("*.pdf"))
