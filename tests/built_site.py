"""One model of the built site: every page of site/ read once with a real HTML parser.

The static checks (copy texts, page notebooks, language-switcher targets, formula
counts, page weights, stamps, downloads, links) read the built HTML through this
module, never through regular expressions: lxml parses each file once per test
process (cached), and the questions below are asked of its tree with CSS
selectors. Which pages exist and where they came from is tests/browser/site.py.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from spickzettel.core.backends import LABELS, PRIMARY
from spickzettel.core.paths import SITE
from tests.browser.site import Page

# Blocks of class no-copy (the outputs on exercise pages) have no copy button.
NO_COPY = "no-copy"
# What a static host such as GitHub Pages sends gzip-compressed (the browser tests'
# server does the same, tests/browser/conftest.py).
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
# Material's search worker fetches the index on every first visit of any page.
SEARCH_INDEX = SITE / "search" / "search_index.json"


@cache
def document(path: Path) -> lxml.html.HtmlElement:
    """The parsed file; parsed once per process."""
    return lxml.html.fromstring(path.read_bytes())


def tree(page: Page) -> lxml.html.HtmlElement:
    return document(page.html_file)


def started_worker(path: Path) -> str | None:
    """The search worker's URL that a built page (its file) makes Material start
    on load: the `search` of its `__config` (the site's own worker, README
    "Search"; Material's lunr worker in assets/javascripts/workers is never
    started)."""
    found = document(path).xpath("//script[@id='__config']/text()")
    return json.loads(found[0]).get("search") if found else None


def article(page: Page) -> lxml.html.HtmlElement | None:
    found = tree(page).cssselect("article.md-content__inner")
    return found[0] if found else None


def words(text: str) -> str:
    return " ".join(text.split())


def text(element) -> str:
    return element.text_content()


# ---- code blocks ------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedBlock:
    language: str
    shown: str  # the text the reader sees: prompts, code and output
    copied: str  # what the copy button gives according to the HTML
    backend: str | None = None  # the Keras backend whose tab holds it, if any

    def seen_on(self, backend: str) -> bool:
        return self.backend in (None, backend)


BACKEND_LABELS = {label: backend for backend, label in LABELS.items()}


def tab_labels(tab_set) -> list[str]:
    return [words(text(label)) for label in tab_set.cssselect(".tabbed-labels > *")]


def tab_backend(div) -> str | None:
    """The backend whose content tab ("TensorFlow | JAX | PyTorch") holds `div`;
    None outside such tabs (other tab sets, like the three ways to build a model,
    hold code every backend runs)."""
    block = next(
        (a for a in div.iterancestors() if "tabbed-block" in a.get("class", "")),
        None,
    )
    if block is None:
        return None
    tab_set = block.getparent().getparent()  # div.tabbed-content in div.tabbed-set
    labels = tab_labels(tab_set)
    if sorted(labels) != sorted(LABELS.values()):
        return tab_backend(tab_set)  # a tab set inside a backend's tab
    return BACKEND_LABELS[labels[block.getparent().index(block)]]


def _language(div) -> str:
    return next(
        c.removeprefix("language-")
        for c in div.get("class", "").split()
        if c.startswith("language-")
    )


@cache
def _blocks(path: Path) -> tuple[RenderedBlock, ...]:
    blocks = []
    for div in document(path).cssselect("div.highlight[class*='language-']"):
        if NO_COPY in div.get("class", "").split():
            continue  # an output: shown, nothing to copy
        code = div.cssselect("code")
        if not code:
            continue
        shown = text(code[0])
        copied = div.get("data-copy", shown)
        blocks.append(
            RenderedBlock(_language(div), shown, copied.rstrip(), tab_backend(div))
        )
    return tuple(blocks)


def rendered_blocks(page: Page) -> list[RenderedBlock]:
    """The page's code blocks that have a copy button, in page order (every tab's)."""
    return list(_blocks(page.html_file))


def blocks_seen_on(page: Page, backend: str = PRIMARY) -> list[RenderedBlock]:
    """The blocks a reader who chose `backend` sees: its tab of each block that
    differs by backend, and every other block."""
    return [block for block in _blocks(page.html_file) if block.seen_on(backend)]


def _backend_tab_sets(page: Page):
    for tab_set in tree(page).cssselect("div.tabbed-set"):
        if set(tab_labels(tab_set)) & set(BACKEND_LABELS):
            yield tab_set


def backend_tab_sets(page: Page) -> list[list[str]]:
    """The labels of each tab set that holds a backend's version of a block."""
    return [
        tab_labels(tab_set)
        for tab_set in _backend_tab_sets(page)
        if tab_set.cssselect("pre")
    ]


def figure_tab_sets(page: Page) -> list[dict[str, Path]]:
    """Each tab set that holds a backend's version of a figure (and no code): the
    file of site/ each backend's tab shows, by backend."""
    found = []
    for tab_set in _backend_tab_sets(page):
        if tab_set.cssselect("pre"):
            continue
        blocks = tab_set.cssselect("div.tabbed-content > div.tabbed-block")
        shown = {}
        for label, block in zip(tab_labels(tab_set), blocks, strict=True):
            (img,) = block.cssselect("img[src]")
            shown[BACKEND_LABELS[label]] = (
                page.html_file.parent / unquote(img.get("src"))
            ).resolve()
        found.append(shown)
    return found


# ---- prose, headings, figures, formulas --------------------------------------------


@cache  # each page's prose is searched for several terms
def prose_text(page: Page) -> str:
    """The article's text without code blocks: what search should find words in."""
    body = article(page)
    if body is None:
        return ""
    copy = lxml.html.fromstring(lxml.html.tostring(body))
    for pre in copy.cssselect("pre"):
        pre.drop_tree()
    return " ".join(t for t in copy.itertext())


def page_text(page: Page) -> str:
    """All the page's text, whitespace collapsed."""
    return words("".join(tree(page).itertext()))


def headings(page: Page) -> list[tuple[int, str, str | None]]:
    """The article's headings: level, text (without the permalink), id."""
    found = []
    for heading in article(page).cssselect("h1, h2, h3, h4, h5, h6"):
        parts = [
            t for t in heading.xpath(".//text()[not(ancestor::a[@class='headerlink'])]")
        ]
        found.append((int(heading.tag[1]), words("".join(parts)), heading.get("id")))
    return found


def images(page: Page) -> list[Path]:
    """The files of site/ the article's images show, in page order (every tab's)."""
    return [
        (page.html_file.parent / unquote(img.get("src"))).resolve()
        for img in article(page).cssselect("img[src]")
    ]


def images_seen_on(page: Page, backend: str = PRIMARY) -> list[Path]:
    """The images a reader who chose `backend` sees: its tab of each figure that
    differs by backend (build/figure_tabs.py), and every other image."""
    return [
        (page.html_file.parent / unquote(img.get("src"))).resolve()
        for img in article(page).cssselect("img[src]")
        if tab_backend(img) in (None, backend)
    ]


def mathml_count(page: Page) -> int:
    """The formulas in the article: its <math> elements, a display chain's further
    links (class "continued") counted with their formula."""
    body = article(page)
    if body is None:
        return 0
    return len(
        body.xpath(".//*[local-name()='math'][not(contains(@class,'continued'))]")
    )


def has_display_formula(page: Page) -> bool:
    return bool(tree(page).xpath(".//*[local-name()='math'][@display='block']"))


def unconverted_formulas(page: Page) -> int:
    return len(tree(page).cssselect(".arithmatex"))


# ---- stamp, notebook link, language switcher ---------------------------------------


def stamp(page: Page):
    found = tree(page).cssselect("p.verified-stamp")
    return found[0] if found else None


def notebook_link(page: Page):
    """The link under the stamp (overrides/hooks/page_notebooks.py), or None."""
    found = tree(page).cssselect("p.page-notebook > a[download]")
    return found[0] if found else None


def linked_notebook(page: Page) -> Path | None:
    """The notebook a page links under its stamp, as a file of site/ (None: no link)."""
    link = notebook_link(page)
    if link is None:
        return None
    return page.html_file.parent / unquote(link.get("href"))


def switcher_targets(page: Page) -> dict[str, str]:
    """The language switcher's links: language -> the path they lead to."""
    return {
        link.get("hreflang"): urlsplit(urljoin(page.path, link.get("href"))).path
        for link in tree(page).cssselect("a.md-select__link[hreflang]")
    }


# ---- what a first visit fetches, and its weight ------------------------------------


def fetched(page: Page) -> list[str]:
    """The URLs by which the page makes the browser fetch something at load."""
    urls = [
        element.get("src")
        for element in tree(page).cssselect("script[src], img[src], iframe[src]")
    ]
    for link in tree(page).cssselect("link[href]"):
        if set(link.get("rel", "").split()) & {"stylesheet", "icon", "preload"}:
            urls.append(link.get("href"))
    return urls


def local_file(page: Page, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return (page.html_file.parent / unquote(parts.path)).resolve()


@cache  # the index, the bundle and the stylesheets: the same on every page
def sent_bytes(path: Path) -> int:
    """What the static host sends for a file: gzip-compressed if it is text."""
    data = path.read_bytes()
    if path.suffix in COMPRESSED:
        return len(gzip.compress(data, compresslevel=6, mtime=0))
    return len(data)


def _kind(path: Path) -> str:
    relative = PurePosixPath(path.relative_to(SITE).as_posix())
    if relative.parts and relative.parts[0] == "figures":
        return "figures"
    return {".css": "css", ".js": "js"}.get(path.suffix, "other")


def weight(page: Page) -> dict[str, int]:
    """Bytes a first visit transfers, by kind, read from the files: the page, what
    it links for loading, the math font when the page shows a formula, and the
    search worker and index that Material starts and fetches on every first visit."""
    sizes = {"html": sent_bytes(page.html_file), "search": sent_bytes(SEARCH_INDEX)}
    worker = started_worker(page.html_file)
    for url in dict.fromkeys([*fetched(page), *([worker] if worker else [])]):
        path = local_file(page, url)
        if path is not None and path.is_file():
            kind = _kind(path)
            sizes[kind] = sizes.get(kind, 0) + sent_bytes(path)
    if mathml_count(page):
        fonts = sorted((SITE / "assets" / "fonts").glob("*.woff2"))
        sizes["fonts"] = sum(sent_bytes(font) for font in fonts)
    return sizes
