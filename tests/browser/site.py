"""What the built site holds, read from site/ and the sources, without a browser.

The browser tests take their list of pages from the build (every index.html under
site/), never from a hand-kept list, and derive what each page must show from the
sources: which snippet sections a page includes, the code Sybil executed for them,
and the outputs the page shows; for an exercise page, the code cells its notebook
ran (spickzettel/verify/notebooks.py).
"""

from __future__ import annotations

import doctest
import html
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from spickzettel.core.layout import EXERCISES, is_notebook_page, notebook_outputs
from spickzettel.core.pages import SnippetBlock, snippet_blocks, snippet_includes
from spickzettel.core.paths import (
    DEFAULT_LANGUAGE,
    DOCS,
    LANGUAGES,
    ROOT,
    SITE,
    SNIPPETS,
)

# Folders of site/ that hold assets, not pages.
NOT_PAGES = {"assets", "search", "figures"}

# A rendered code block: Material's highlight div (with the data-copy text that
# spickzettel/build/clean_copy.py adds to doctest blocks) and its code element.
# Blocks of class no-copy (the outputs on exercise pages) have no copy button.
CODE_BLOCK = re.compile(
    r'<div class="language-(?P<language>[\w-]+)(?P<classes>[^"]*) highlight"'
    r"(?P<attrs>[^>]*)>.*?<code>(?P<code>.*?)</code>",
    re.DOTALL,
)
NO_COPY = "no-copy"
DATA_COPY = re.compile(r'data-copy="(?P<text>[^"]*)"')
TAG = re.compile(r"<[^>]+>")
ARTICLE = re.compile(
    r'<article class="md-content__inner[^"]*">(?P<body>.*?)</article>', re.DOTALL
)
PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
# arithmatex delimiters in a Markdown source (inline and display formulas).
FORMULA = re.compile(r"\\\(.+?\\\)|\\\[.+?\\\]", re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]+`")


@dataclass(frozen=True)
class Page:
    """One built page: its URL path on the server and where it came from."""

    path: str  # "/three-ways/", "/en/three-ways/", "/" ...
    language: str
    slug: str  # the language-neutral part: "three-ways/", "" for the home page

    def __str__(self) -> str:
        source = self.source
        where = source.relative_to(ROOT).as_posix() if source else "no Markdown source"
        return f"{self.path} ({where})"

    @property
    def html_file(self) -> Path:
        return SITE / self.path.lstrip("/") / "index.html"

    def html(self) -> str:
        return self.html_file.read_text(encoding="utf-8")

    def path_in(self, language: str) -> str:
        prefix = "/" if language == DEFAULT_LANGUAGE else f"/{language}/"
        return prefix + self.slug

    @property
    def other_languages(self) -> list[str]:
        return [language for language in LANGUAGES if language != self.language]

    @property
    def source(self) -> Path | None:
        """docs/<language>/<slug>.md (or <slug>/index.md) when the page has one."""
        stem = self.slug.rstrip("/") or "index"
        folder = DOCS / self.language
        for candidate in (folder / f"{stem}.md", folder / stem / "index.md"):
            if candidate.is_file():
                return candidate
        return None

    @property
    def notebook(self) -> Path | None:
        """snippets/exercises/<name>.py for an exercise page (its Markdown source is
        written by the run of that notebook), else None."""
        source = self.source
        if source is None or not is_notebook_page(source):
            return None
        return EXERCISES / source.with_suffix(".py").name


def page_for(path: str) -> Page:
    parts = path.strip("/").split("/", 1)
    if parts[0] in LANGUAGES and parts[0] != DEFAULT_LANGUAGE:
        language, slug = parts[0], (parts[1] + "/" if len(parts) > 1 else "")
    else:
        language, slug = DEFAULT_LANGUAGE, path.lstrip("/")
    return Page(path=path, language=language, slug=slug)


def page_params(language: str | None = None) -> list:
    """Per-page parameters: the built pages, of one language or all.

    Without a built site, one parameter whose test fails in the site_url fixture.
    """
    if not (SITE / "index.html").is_file():
        return [pytest.param(None, id="site-not-built")]
    return [
        pytest.param(page, id=page.path)
        for page in built_pages()
        if language in (None, page.language)
    ]


def built_pages() -> list[Page]:
    """Every page of the build, both languages, in a stable order."""
    found = []
    for index in sorted(SITE.rglob("index.html")):
        relative = index.parent.relative_to(SITE)
        if relative.parts and relative.parts[0] in NOT_PAGES:
            continue
        path = "/" + "".join(f"{part}/" for part in relative.parts)
        found.append(page_for(path))
    return sorted(found, key=lambda page: (page.slug, page.language))


# ---- code: what the page copies, and what Sybil executed ----------------------


def copy_text(code: str) -> str:
    """What copying a block must give: a doctest block's sources, else the code.

    Material trims trailing whitespace from what it copies; so does this.
    """
    if code.lstrip().startswith(">>>"):
        examples = doctest.DocTestParser().get_examples(code)
        return "".join(example.source for example in examples).rstrip()
    return code.rstrip()


def shown_output(code: str) -> str:
    """The output lines a doctest block shows (empty for a plain code block)."""
    if not code.lstrip().startswith(">>>"):
        return ""
    return "".join(
        example.want for example in doctest.DocTestParser().get_examples(code)
    )


def includes(source: Path) -> list[tuple[str, str | None]]:
    """The snippet (file, section) pairs a Markdown page includes, in page order."""
    text = source.read_text(encoding="utf-8")
    return snippet_includes(text)


@dataclass(frozen=True)
class NotebookCell:
    source: str  # "exercises/digits.py"
    number: int  # 1-based, among the notebook's code cells
    code: str  # the cell as its kernel executed it

    @property
    def name(self) -> str:
        return f"snippets/{self.source}, code cell {self.number}"


def notebook_cells(page: Page) -> list[NotebookCell]:
    """The code cells the run of an exercise page's notebook executed, in order."""
    executed = notebook_outputs(page.notebook.name)[page.language]
    cells = nbformat.read(executed, as_version=4).cells
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    where = page.notebook.relative_to(SNIPPETS).as_posix()
    return [NotebookCell(where, n, source) for n, source in enumerate(code, start=1)]


def included_blocks(page: Page) -> list[SnippetBlock] | list[NotebookCell] | None:
    """The executed blocks a page shows, in page order: its snippet blocks, or the
    code cells of an exercise page's notebook.

    None when the page includes no snippets (the home page): its code, if any,
    does not come from snippets/.
    """
    if page.notebook is not None:
        return notebook_cells(page)
    if page.source is None or not includes(page.source):
        return None
    shown = []
    for file, section in includes(page.source):
        shown += [
            b for b in snippet_blocks(file) if section is None or b.section == section
        ]
    return shown


# ---- the rendered page ----------------------------------------------------------


@dataclass(frozen=True)
class RenderedBlock:
    language: str
    shown: str  # the text the reader sees: prompts, code and output
    copied: str  # what the copy button gives according to the HTML


def rendered_blocks(page: Page) -> list[RenderedBlock]:
    blocks = []
    for match in CODE_BLOCK.finditer(page.html()):
        if NO_COPY in match["classes"].split():
            continue  # an output: shown, nothing to copy
        shown = html.unescape(TAG.sub("", match["code"]))
        data_copy = DATA_COPY.search(match["attrs"])
        copied = html.unescape(data_copy["text"]) if data_copy else shown
        blocks.append(RenderedBlock(match["language"], shown, copied.rstrip()))
    return blocks


def prose_text(page: Page) -> str:
    """The article's text without code blocks: what search should find words in."""
    article = ARTICLE.search(page.html())
    body = article["body"] if article else ""
    return html.unescape(TAG.sub(" ", PRE.sub(" ", body)))


def formula_count(page: Page) -> int | None:
    """How many formulas the page's Markdown source writes (None: no source)."""
    if page.source is None:
        return None
    text = page.source.read_text(encoding="utf-8")
    return len(FORMULA.findall(INLINE_CODE.sub("", text)))


# ---- a topic page's notebook (spickzettel/build/page_notebooks.py) ----------

# The link under the stamp (overrides/hooks/page_notebooks.py).
NOTEBOOK_LINK = re.compile(
    r'<p class="page-notebook"><a href="(?P<href>[^"]+)" download="(?P<download>[^"]+)"'
)


def linked_notebook(page: Page) -> Path | None:
    """The notebook a page links under its stamp, as a file of site/ (None: no link)."""
    link = NOTEBOOK_LINK.search(page.html())
    if link is None:
        return None
    return page.html_file.parent / html.unescape(link["href"])


def topic_pages() -> list[Page]:
    """The pages built from snippets, both languages; not the exercise pages, whose
    notebooks come from a kernel run (spickzettel/verify/notebooks.py)."""
    return [
        page
        for page in built_pages()
        if page.notebook is None and included_blocks(page)
    ]
