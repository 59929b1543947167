"""What the built site holds, read from site/ and the sources, without a browser.

The tests take their list of pages from the build (every index.html under site/),
never from a hand-kept list, and derive what each page must show from the sources:
which snippet sections a page includes and, for an exercise page, the code cells
its notebook ran (spickzettel/verify/notebooks.py). What the built HTML holds is read by
tests/built_site.py; the code Sybil executed, by tests/executed_code.py.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from spickzettel.core import backends
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


def home_path(language: str) -> str:
    """The URL path of the home page of `language`: "/" or "/en/"."""
    return "/" if language == DEFAULT_LANGUAGE else f"/{language}/"


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
    code = [
        cell.source
        for cell in cells
        if cell.cell_type == "code" and not backends.is_backend_cell(cell)
    ]
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


def formula_count(page: Page) -> int | None:
    """How many formulas the page's Markdown source writes (None: no source)."""
    if page.source is None:
        return None
    text = page.source.read_text(encoding="utf-8")
    return len(FORMULA.findall(INLINE_CODE.sub("", text)))


# ---- a topic page's notebook (spickzettel/build/page_notebooks.py) ----------


def topic_pages() -> list[Page]:
    """The pages built from snippets, both languages; not the exercise pages, whose
    notebooks come from a kernel run (spickzettel/verify/notebooks.py)."""
    return [
        page
        for page in built_pages()
        if page.notebook is None and included_blocks(page)
    ]
