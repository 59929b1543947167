"""The offline zip, unzipped and opened from disk (file://) in Chromium.

A classroom without internet unzips site/<download_names.OFFLINE_ZIP> and opens its
index.html. Each test here does what such a reader does there (follow the
navigation, switch language, search, read a formula and a figure, find the
downloads) with every request the pages make recorded, and fails if one of them
went to any host: everything must come from the unzipped folder (file:), or be
made in the page (data:, blob:). The last test serves the same folder with a
plain static server (as a school's intranet might) and uses it there.

Each test names what it reads of the copy (tests/verdicts.py): the pages it opens
(`InTheCopy`) and the search's answers to what it types
(tests/browser/search_answers.py), so that an edit to one page runs again only
the tests that open it or whose search answer it changes.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from spickzettel.core import download_names
from spickzettel.core.paths import SITE
from spickzettel.downloads.offline import search_location
from tests.browser.search_answers import (
    OFFLINE_COPY,
    OFFLINE_INDEX,
    SERVED_COPY,
    SITE_INDEX,
    SearchAnswer,
)
from tests.browser.search_box import search_boxes, searcher
from tests.browser.search_cases import api_names, error_lines, explaining_sections
from tests.browser.test_error_search import (
    check_api_name,
    check_error_line,
    entry,
)

pytestmark = pytest.mark.browser

ZIP = SITE / download_names.OFFLINE_ZIP
LOCAL = ("file:", "data:", "blob:")
# Files of the copy no page loads: its pages (a test names those it opens), the
# downloads (a test checks only that a link's target is there: the names) and the
# search index (a test reads the search's answers).
NOT_LOADED = (".html", ".ipynb", ".pdf")
SEARCH_INDEXES = (SITE_INDEX, OFFLINE_INDEX)
HOMES = {"de": "index.html", "en": "en/index.html"}


@cache
def copy_files() -> dict[str, str] | None:
    """Every file of the zip's folder with its content's digest; None: no zip."""
    try:
        with zipfile.ZipFile(ZIP) as archive:
            return {
                name.split("/", 1)[1]: hashlib.sha256(archive.read(name)).hexdigest()
                for name in archive.namelist()
                if not name.endswith("/")
            }
    except (OSError, zipfile.BadZipFile):
        return None


@dataclass(frozen=True)
class InTheCopy:
    """What a test reads of the unzipped copy, for the verdict cache: the pages it
    opens, every file that a page may load (scripts, stylesheets, the math font,
    figures: all but NOT_LOADED and the search index) and the names of all."""

    pages: tuple[str, ...]

    def verdict_digest(self) -> str | None:
        files = copy_files()
        if files is None or not set(self.pages) <= set(files):
            return None  # no zip, or a page missing from it: the test says so
        read = [
            f"{name}:{digest}"
            for name, digest in sorted(files.items())
            if name in self.pages
            or not (name.endswith(NOT_LOADED) or name in SEARCH_INDEXES)
        ]
        text = "\n".join([*sorted(files), *read])
        return hashlib.sha256(text.encode()).hexdigest()


def opens(*pages: str):
    """`reads(pages=opens(...))`: a test that opens these pages of the copy."""
    return lambda: [InTheCopy(pages)]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The zip from site/, unzipped as a reader would; its one folder."""
    if not ZIP.is_file():
        pytest.fail(
            f"{ZIP} is missing: run `make build` (it ends with "
            "`python -m spickzettel.downloads.offline`) first.",
            pytrace=False,
        )
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(ZIP) as archive:
        archive.extractall(target)
    (folder,) = target.iterdir()
    return folder


class Tab:
    """One fresh browser tab with every request of its pages (and frames) recorded.

    `base` is the unzipped folder as a file: URL, or a static server's URL for it.
    """

    def __init__(self, browser, base: str, local: tuple[str, ...] = LOCAL):
        self.base = base
        self.local = local
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="load")

    def relative(self, url: str) -> str:
        """A URL of the folder as its file ("threshold/index.html"), else itself."""
        if not url.startswith(self.base):
            return url  # an error page, or a file elsewhere
        return unquote(urlsplit(url[len(self.base) :]).path)

    def here(self) -> str:
        return self.relative(self.page.url)

    def heading(self) -> str:
        text = self.page.locator("article h1").first.inner_text()
        return text.strip().removesuffix("¶")  # the heading's permalink

    def assert_no_host_was_asked(self) -> None:
        assert self.requests, "no request recorded at all"
        elsewhere = [url for url in self.requests if not url.startswith(self.local)]
        assert not elsewhere, f"requests that left the folder: {elsewhere}"


@pytest.fixture
def tab(browser, root) -> Iterator[Tab]:
    opened = Tab(browser, root.as_uri() + "/")
    yield opened
    opened.context.close()


@pytest.mark.reads(
    pages=opens("index.html", "threshold/index.html", "formulas/index.html")
)
def test_nav_links_open_their_pages(tab):
    tab.open("index.html")
    for title, path in [
        ("Entscheidungsschwelle", "threshold/index.html"),
        ("Formeln mit Rechenbeispielen", "formulas/index.html"),
        ("Start", "index.html"),
    ]:
        link = tab.page.locator("nav.md-nav--primary a.md-nav__link", has_text=title)
        link.first.click()
        tab.page.wait_for_load_state("load")
        assert tab.here() == path, f"the nav link {title!r} opened {tab.page.url}"
        assert tab.page.locator(".verified-stamp").count() > 0, (
            f"{tab.page.url} is not a page of the site: {tab.heading()!r}"
        )
    tab.assert_no_host_was_asked()


def switch_language(tab: Tab, language: str) -> None:
    tab.page.locator(".md-header__option .md-select").hover()
    link = tab.page.locator(f"a.md-select__link[hreflang={language}]")
    with tab.page.expect_navigation(wait_until="load"):
        link.click()


@pytest.mark.reads(
    pages=opens(
        "threshold/index.html",
        "en/threshold/index.html",
        "en/index.html",
        "index.html",
    )
)
def test_language_switcher_keeps_the_page(tab):
    tab.open("threshold/index.html")
    assert tab.heading() == "Entscheidungsschwelle"
    switch_language(tab, "en")
    assert tab.here() == "en/threshold/index.html"
    assert tab.heading() == "Decision threshold"
    assert tab.page.evaluate("document.documentElement.lang") == "en"
    switch_language(tab, "de")
    assert tab.here() == "threshold/index.html"
    assert tab.heading() == "Entscheidungsschwelle"
    # and from the English home page, whose switcher i18n writes as "/" and "/en/"
    tab.open("en/index.html")
    switch_language(tab, "de")
    assert tab.here() == "index.html"
    assert tab.page.locator(".verified-stamp").count() > 0
    tab.assert_no_host_was_asked()


def finds_and_opens_reads(home, query, page) -> list:
    language = next(code for code, path in HOMES.items() if path == home)
    answer = SearchAnswer(language, query, 1, (page,), OFFLINE_COPY)
    return [InTheCopy((home, page)), answer]


@pytest.mark.reads(pages=finds_and_opens_reads)
@pytest.mark.parametrize(
    ("home", "query", "page"),
    [
        ("index.html", "Entscheidungsschwelle", "threshold/index.html"),
        ("en/index.html", "calibration", "en/calibration/index.html"),
    ],
)
def test_search_finds_and_opens_pages(tab, home, query, page):
    tab.open(home)
    results = searcher(tab.page, root=tab.base)(query, first=1)
    assert results, f"searching {query!r} from {home}: no results"
    assert results[0].path.split("#")[0] == page, (
        f"searching {query!r} from {home}: first result {results[0].path}"
    )
    # The reader clicks the first result listed, its page's link.
    first = tab.page.locator("a.md-search-result__link").first
    with tab.page.expect_navigation(wait_until="load"):
        first.click()
    assert tab.here() == page
    assert tab.page.locator(".verified-stamp").count() > 0
    tab.assert_no_host_was_asked()


@pytest.mark.reads(pages=opens("formulas/index.html"))
def test_formulas_are_mathml_in_the_math_font(tab):
    fonts = []
    tab.page.on(
        "requestfinished",
        lambda request: (
            fonts.append(request.url) if request.resource_type == "font" else 0
        ),
    )
    tab.open("formulas/index.html")
    seen = tab.page.evaluate(
        """async () => {
          await document.fonts.ready;
          const math = document.querySelector('article .formula math[display=block]');
          const box = math.getBoundingClientRect();
          return {
            fonts: [...document.fonts]
              .filter(f => f.family.includes('Spickzettel Math'))
              .map(f => f.status),
            family: getComputedStyle(math).fontFamily,
            width: box.width, height: box.height,
            // MathML Core lays out <mfrac>: the numerator sits above the denominator
            fraction: (() => {
              const frac = document.querySelector('article .formula mfrac');
              if (!frac) return null;
              const [num, den] = [...frac.children].map(e => e.getBoundingClientRect());
              return {num: num.bottom, den: den.top};
            })(),
          };
        }"""
    )
    assert seen["fonts"] == ["loaded"], f"the math font did not load: {seen}"
    assert "Spickzettel Math" in seen["family"]
    assert seen["width"] > 0 and seen["height"] > 0, seen
    assert seen["fraction"] and seen["fraction"]["num"] <= seen["fraction"]["den"] + 1
    assert fonts and all(url.startswith("file:") for url in fonts), fonts
    tab.assert_no_host_was_asked()


@pytest.mark.reads(pages=opens("threshold/index.html"))
def test_figures_load(tab):
    tab.open("threshold/index.html")
    widths = tab.page.eval_on_selector_all(
        "article img[src*='figures/']",
        "images => images.map(img => [img.getAttribute('src'), img.naturalWidth])",
    )
    assert widths, "the threshold page shows no figure"
    broken = [src for src, width in widths if not width > 0]
    assert not broken, f"figures that did not load: {broken}"
    tab.assert_no_host_was_asked()


def linked_files(tab: Tab, selector: str) -> list[Path]:
    hrefs = tab.page.eval_on_selector_all(
        selector, "links => links.map(link => link.href)"
    )
    return [Path(unquote(urlsplit(href).path)) for href in hrefs]


@pytest.mark.reads(
    pages=opens(
        "cheat-sheet/index.html", "en/index.html", "exercises/digits/index.html"
    )
)
def test_pdf_and_notebook_links_point_to_files_in_the_folder(tab, root):
    tab.open("cheat-sheet/index.html")
    pdfs = linked_files(tab, "article a[href$='.pdf']")
    tab.open("en/index.html")
    pdfs += linked_files(tab, "article a[href$='.pdf']")
    tab.open("exercises/digits/index.html")
    notebooks = linked_files(tab, "article a[href$='.ipynb']")
    assert pdfs, "no PDF link on the cheat sheet and the English home page"
    assert notebooks, "no notebook link on the digits exercise page"
    for path in pdfs + notebooks:
        assert root in path.parents, f"{path} lies outside the unzipped folder"
        assert path.is_file(), f"{path} is linked but not in the zip"
    tab.assert_no_host_was_asked()


@pytest.mark.reads(pages=opens("index.html", "en/index.html"))
def test_home_pages_say_this_is_the_offline_copy(tab):
    for home, words in [
        ("index.html", "Offline-Kopie"),
        ("en/index.html", "offline copy"),
    ]:
        tab.open(home)
        note = tab.page.locator("p[data-offline-copy]")
        assert words in note.inner_text()
        assert tab.page.locator("a[data-offline-zip]").count() == 0
    tab.assert_no_host_was_asked()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def served(root) -> Iterator[str]:
    """The unzipped folder on a plain static server, as a school's intranet has."""
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def served_reads() -> list:
    pages = ("index.html", "threshold/index.html", "en/threshold/index.html")
    expected = ("en/calibration/index.html",)
    answer = SearchAnswer("en", "calibration", 1, expected, SERVED_COPY)
    return [InTheCopy(pages), answer]


@pytest.mark.reads(pages=served_reads)
def test_the_copy_works_from_a_static_server_too(browser, served):
    tab = Tab(browser, served, local=(served, "data:", "blob:"))
    try:
        tab.open("")
        link = tab.page.locator(
            "nav.md-nav--primary a.md-nav__link", has_text="Entscheidungsschwelle"
        )
        link.first.click()
        tab.page.wait_for_load_state("load")
        assert tab.here() == "threshold/index.html"
        switch_language(tab, "en")
        assert tab.here() == "en/threshold/index.html"
        results = searcher(tab.page)("calibration", first=1)
        assert results, "searching 'calibration' on the served copy: no results"
        first = tab.relative(served.rstrip("/") + results[0].path.split("#")[0])
        assert first == "en/calibration/index.html", results
        tab.assert_no_host_was_asked()
    finally:
        tab.context.close()


# ---- search in the offline copy: the cases of tests/browser/test_error_search.py


@pytest.fixture(scope="module")
def offline_search(browser, root):
    """The search box of each home page of the unzipped copy, opened from disk."""
    base = root.as_uri() + "/"
    homes = {language: base + home for language, home in HOMES.items()}
    with search_boxes(browser, homes, root=base) as boxes:
        yield boxes


def offline_path(location: str) -> str:
    """A search-index location ("en/errors/#lr") as a file of the copy."""
    return search_location(location)


# The copy searches the site's own index (tests/test_offline.py holds that its
# index script is site/search/search_index.json, only the locations made files)
# with the site's own search worker: every case runs on the site
# (test_error_search.py), and here on the copy in CI. Locally the first case of
# each kind runs, which proves the copy's search answers from disk.
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
SAME_INDEX = pytest.mark.skipif(
    not IN_CI,
    reason="the copy's index and worker are the site's (tests/test_offline.py), "
    "whose search runs this case (test_error_search.py); CI runs it here too",
)


def first_runs_locally(cases, ids=None) -> list:
    return [
        pytest.param(
            case, id=ids(case) if ids else None, marks=[] if n == 0 else [SAME_INDEX]
        )
        for n, case in enumerate(cases)
    ]


def offline_error_line_reads(case, language) -> list:
    expected = (offline_path(entry(case, language)),)
    answer = SearchAnswer(language, case.line, 3, expected, OFFLINE_COPY)
    return [InTheCopy((HOMES[language],)), answer]


def offline_api_name_reads(name, language) -> list:
    how, sections = explaining_sections(name, language)
    answer = SearchAnswer(language, name, 3, (how, *sections), OFFLINE_COPY)
    return [InTheCopy((HOMES[language],)), answer]


@pytest.mark.reads(pages=offline_error_line_reads)
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("case", first_runs_locally(error_lines(), ids=str))
def test_offline_pasted_error_line_lists_its_entry_first(
    case, language, offline_search
):
    check_error_line(offline_search[language], case, language, to_path=offline_path)


@pytest.mark.reads(pages=offline_api_name_reads)
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("name", first_runs_locally(api_names()))
def test_offline_api_name_finds_its_section_in_the_first_three(
    name, language, offline_search
):
    check_api_name(offline_search[language], name, language, to_path=offline_path)
