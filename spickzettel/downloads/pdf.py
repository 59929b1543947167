"""The cheat sheet as a PDF per language, printed from the built site.

A post-build step: `make build` runs `python -m spickzettel.downloads.pdf` right after
`mkdocs build --strict`. It opens each language's built cheat-sheet page from
site/ in Debian's Chromium (through Playwright, as tests/browser/ does), prints it
to A4 with the site's print.css, and writes

    site/keras-spickzettel-de.pdf       (German, linked from / and /cheat-sheet/)
    site/en/keras-cheat-sheet-en.pdf    (English, linked from /en/ and /en/cheat-sheet/)

The text stays text (selectable, searchable); the footer of every sheet carries
the page's verification stamp and the page number. The PDFs are made from the
verified build and never committed. `mkdocs serve` builds into a folder of its
own and does not run this step: `make serve` builds and serves site/ instead.

A sheet whose page and everything the page loads are unchanged since its PDF was
printed (same Chromium, same step) is not printed again: the kept PDF is put back
and the step says "reused" (spickzettel/downloads/reuse.py; FRESH=1 prints all).

The step fails with a message, and exit status 1, when Chromium is missing, a
page is not built, or a PDF does not come out at exactly two pages.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from spickzettel.core import download_names
from spickzettel.core.paths import SITE
from spickzettel.downloads import reuse

PAGES = 2  # the cheat sheet's promise: two A4 pages per language
SYSTEM_CHROMIUM = "/usr/bin/chromium"  # Debian's package


@dataclass(frozen=True)
class Sheet:
    language: str
    page: str  # the built page, relative to site/
    pdf: str  # the PDF written next to it, relative to site/


SHEETS = (
    Sheet("de", "cheat-sheet/index.html", download_names.cheat_sheet_pdf("de")),
    Sheet(
        "en", "en/cheat-sheet/index.html", "en/" + download_names.cheat_sheet_pdf("en")
    ),
)

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]

# Chromium draws header and footer in the page margin, each from a small HTML
# document of its own: inline styles only, page numbers filled in by class name.
FOOTER = (
    '<div style="width: 100%; margin: 0 9mm; font-size: 5.5pt; color: #555; '
    'font-family: sans-serif; display: flex; justify-content: space-between;">'
    '<span>{stamp}</span><span style="white-space: nowrap; padding-left: 4mm;">'
    '{site} · <span class="pageNumber"></span>/<span class="totalPages"></span>'
    "</span></div>"
)
SITE_NAME = {"de": "Keras-Spickzettel", "en": "Keras Cheat Sheet"}


class PdfError(RuntimeError):
    """The PDFs cannot be made; the message says why and what to do."""


def chromium_path() -> str:
    for candidate in (
        os.environ.get("KERAS_SPICKZETTEL_CHROMIUM"),
        shutil.which("chromium"),
        SYSTEM_CHROMIUM,
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    raise PdfError(
        "Chromium is missing: the cheat-sheet PDFs are printed with Debian's "
        "`chromium` (`make browser-deps` installs it; KERAS_SPICKZETTEL_CHROMIUM "
        "names another binary)."
    )


def launch(playwright):
    """The system Chromium (Playwright cannot download its own browser here)."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS
    )


def footer(stamp: str, language: str) -> str:
    return FOOTER.format(stamp=html.escape(stamp), site=SITE_NAME[language])


def print_page(browser, page_file: Path, pdf_file: Path, language: str) -> None:
    """Print one built page to A4 as its reader's browser would, stamp in the footer."""
    page = browser.new_page()
    try:
        page.emulate_media(media="print", color_scheme="light")
        page.goto(page_file.as_uri(), wait_until="load")
        stamps = page.locator(".verified-stamp")
        if stamps.count() == 0:
            raise PdfError(f"{page_file} has no verification stamp to print")
        stamp = " ".join(stamps.first.inner_text().split())
        pdf_file.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(pdf_file),
            format="A4",
            prefer_css_page_size=True,  # size and margins from print.css
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=footer(stamp, language),
            tagged=True,  # a structure tree: readers and screen readers find text
            outline=True,  # the box headings as bookmarks
        )
    finally:
        page.close()


def page_count(pdf_file: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf_file).pages)


def build(site: Path = SITE) -> list[Path]:
    """Write every sheet's PDF into site/ and check it has exactly two pages."""
    missing = [
        site / sheet.page for sheet in SHEETS if not (site / sheet.page).is_file()
    ]
    if missing:
        names = ", ".join(str(path) for path in missing)
        raise PdfError(f"not built: {names}; run `mkdocs build --strict` first.")
    chromium_path()  # fail before Playwright starts, with the message above
    from playwright.sync_api import sync_playwright

    written = []
    keys = {sheet: sheet_key(site, sheet) for sheet in SHEETS}
    to_print = []
    for sheet in SHEETS:
        pdf_file = site / sheet.pdf
        if reuse.reuse(f"pdf-{sheet.language}", keys[sheet], [pdf_file]):
            reused.append(pdf_file)
            written.append(pdf_file)
        else:
            to_print.append(sheet)
    if not to_print:
        return written
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for sheet in to_print:
                pdf_file = site / sheet.pdf
                print_page(browser, site / sheet.page, pdf_file, sheet.language)
                pages = page_count(pdf_file)
                if pages != PAGES:
                    pdf_file.unlink()
                    raise PdfError(
                        f"the {sheet.language} cheat sheet prints on {pages} pages "
                        f"instead of {PAGES}: shorten it or tighten "
                        "overrides/assets/stylesheets/print.css"
                    )
                reuse.keep(f"pdf-{sheet.language}", keys[sheet], [pdf_file])
                written.append(pdf_file)
        finally:
            browser.close()
    return written


reused: list[Path] = []  # the PDFs build() put back instead of printing


def sheet_key(site: Path, sheet: Sheet) -> str:
    """What printing a sheet reads: this module, the Chromium and Playwright that
    print, the built page and every file of site/ it loads (stylesheets, print.css,
    fonts, figures); the stamp in the footer is read from the page."""
    files = reuse.loaded_files(site / sheet.page, site)
    return reuse.digest(
        Path(__file__),
        reuse.chromium_version(chromium_path()),
        version("playwright"),
        *(f"{path.relative_to(site)}" for path in files),
        *files,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site")
    args = parser.parse_args(argv)
    try:
        written = build(args.site)
    except PdfError as error:
        print(f"spickzettel.downloads.pdf: {error}", file=sys.stderr)
        return 1
    for pdf_file in written:
        size = pdf_file.stat().st_size // 1024
        done = "reused" if pdf_file in reused else "wrote"
        why = (
            ": its page and what the page loads are unchanged since it was printed"
            " (FRESH=1 prints again)"
            if pdf_file in reused
            else ""
        )
        print(
            f"spickzettel.downloads.pdf: {done} {pdf_file} ({PAGES} pages, "
            f"{size} KiB){why}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
