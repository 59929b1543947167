"""Every topic page offers its code as a notebook: the page's, not a copy of it.

Read from the built site (tests/built_site.py, no browser): the notebook the page
links under its stamp exists; its code cells are, in order, what the page's copy
buttons give (tests/test_built_pages.py holds that those are the executed code);
its outputs are what the page shows; its figures and headings are the page's; the
German and the English notebook of a topic hold the same code and outputs; it is
valid nbformat without timestamps. That running it in a fresh kernel prints what
the page shows is tests/browser/test_copied_code.py.
"""

from __future__ import annotations

import base64
import json
import re
from collections import defaultdict

import nbformat
import pytest

from spickzettel.build.page_notebooks import ONE_BACKENDS_VERSION
from spickzettel.core import backends
from spickzettel.core.download_names import topic_notebook
from spickzettel.core.paths import SITE
from tests.browser.site import built_pages, shown_output, topic_pages
from tests.built_site import (
    blocks_seen_on,
    headings,
    images_seen_on,
    linked_notebook,
    notebook_link,
    stamp,
    words,
)

# attr_list's { #anchor } and { .class }, which Jupyter would print as they are.
ATTRIBUTE_LIST = re.compile(r"\{\s*[#.][A-Za-z][\w-]*\s*\}")
MARKDOWN_HEADING = re.compile(r"^(?P<level>#{1,6}) (?P<text>.+)$", re.MULTILINE)

# Each check reads its page and the notebook it links to (tests/verdicts.py).
pytestmark = pytest.mark.reads("page")


def params() -> list:
    if not (SITE / "index.html").is_file():
        return [pytest.param(None, id="site-not-built")]
    return [pytest.param(page, id=page.path) for page in topic_pages()]


PAGES = params()


def notebook_of(page):
    assert page is not None, "site/ is not built"
    path = linked_notebook(page)
    assert path is not None, f"{page}: no notebook link under the stamp"
    assert path.is_file(), f"{page} links {path.name}, which is not in site/"
    return nbformat.read(path, as_version=4)


def code_cells(notebook) -> list:
    """The page's blocks: the code cells after the first, which sets the backend."""
    return [cell for cell in notebook.cells if cell.cell_type == "code"][1:]


def printed(cell) -> str:
    return "".join(
        output.text
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


def results(cell) -> list:
    """A code cell's outputs without the figures' alt texts (one per language)."""
    return [output.get("text") or output.data["image/png"] for output in cell.outputs]


@pytest.mark.parametrize("page", PAGES)
def test_the_notebook_is_linked_under_the_stamp_by_its_download_name(page):
    notebook_of(page)
    name = topic_notebook(page.slug.rstrip("/"), page.language)
    link = notebook_link(page)
    assert (link.get("href"), link.get("download")) == (name, name), (
        f"{page}: the link must name the download {name}"
    )
    assert stamp(page).getnext() is link.getparent(), (
        f"{page}: the notebook link is not under the stamp"
    )


@pytest.mark.parametrize("page", PAGES)
def test_code_cells_are_the_copied_blocks_and_outputs_what_the_page_shows(page):
    cells = code_cells(notebook_of(page))
    # The notebook holds TensorFlow's version of a block that differs by backend.
    blocks = blocks_seen_on(page, backends.PRIMARY)
    assert [cell.source for cell in cells] == [block.copied for block in blocks], (
        f"{page}: the notebook's code cells are not the page's copied blocks in order"
    )
    for number, (cell, block) in enumerate(zip(cells, blocks, strict=True), 1):
        assert printed(cell) == shown_output(block.shown), (
            f"{page}, code cell {number}: its output is not the one the page shows"
        )
    assert [cell.execution_count for cell in cells] == list(range(2, len(cells) + 2))


@pytest.mark.parametrize("page", PAGES)
def test_a_cell_of_one_backend_says_where_the_other_versions_are(page):
    """A block whose code differs by backend is in the notebook in TensorFlow's
    version only: the Markdown cell before it (and only before such a cell) names
    the backends whose versions the page shows in tabs, and the page."""
    notebook = notebook_of(page)
    note_starts = ONE_BACKENDS_VERSION[page.language].split("{")[0]
    versions = {
        backend: [block.copied for block in blocks_seen_on(page, backend)]
        for backend in backends.BACKENDS
    }
    for number, cell in enumerate(code_cells(notebook)):
        others = [
            backends.LABELS[backend]
            for backend, codes in versions.items()
            if codes[number] != cell.source
        ]
        before = notebook.cells[notebook.cells.index(cell) - 1]
        is_note = before.cell_type == "markdown" and before.source.startswith(
            note_starts
        )
        assert is_note == bool(others), (
            f"{page}: code cell {number + 2} differs on {others or 'no backend'}, "
            f"the cell before it: {before.source[:80]!r}"
        )
        if others:
            for label in [backends.LABELS[backends.PRIMARY], *others]:
                assert label in before.source, f"{page}: the note lacks {label}"
            assert f"/{page.slug}" in before.source, f"{page}: the note lacks the page"


@pytest.mark.parametrize("page", PAGES)
def test_the_first_cell_sets_the_backend_whose_outputs_it_shows(page):
    """Before any of the page's code imports Keras, the notebook sets the backend
    of the verified run its outputs come from (spickzettel/core/backends.py)."""
    cells = notebook_of(page).cells
    first = cells[0]
    assert first.cell_type == "code", f"{page}: the notebook starts with {first}"
    assert first.source == backends.backend_cell(backends.PRIMARY)
    assert (first.execution_count, first.outputs) == (1, [])
    assert not any(backends.is_backend_cell(cell) for cell in cells[1:])


@pytest.mark.parametrize("page", PAGES)
def test_the_notebook_shows_every_figure_of_the_page(page):
    """Each figure the page shows, in page order, as an image output of the cell
    that saved it or (a diagram no cell of the page draws) in a Markdown cell: the
    figures the primary backend drew, whose run the notebook holds."""
    pngs = []
    for cell in notebook_of(page).cells:
        if cell.cell_type == "code":
            pngs += [
                output.data["image/png"]
                for output in cell.outputs
                if output.output_type == "display_data"
            ]
        else:
            pngs += [a["image/png"] for a in cell.get("attachments", {}).values()]
    figures = [path for path in images_seen_on(page) if "figures" in path.parts]
    assert [base64.b64decode(png) for png in pngs] == [
        path.read_bytes() for path in figures
    ], f"{page}: the notebook's figures are not the page's {figures}"


def page_headings(page) -> list[tuple[int, str]]:
    return [(level, text) for level, text, _ in headings(page)]


@pytest.mark.parametrize("page", PAGES)
def test_the_headings_are_the_pages_headings(page):
    markdown = "\n\n".join(
        cell.source for cell in notebook_of(page).cells if cell.cell_type == "markdown"
    )
    headings = [
        (len(m["level"]), words(m["text"].replace("`", "").replace("*", "")))
        for m in MARKDOWN_HEADING.finditer(markdown)
    ]
    assert headings == page_headings(page), (
        f"{page}: the notebook's headings are not the page's"
    )
    for cell in notebook_of(page).cells:
        if cell.cell_type == "markdown":
            assert not ATTRIBUTE_LIST.search(cell.source), (
                f"{page}: site-only Markdown (attribute list?) in\n{cell.source}"
            )
            assert not re.search(r"^\s*(!!!|\?\?\?|===) ", cell.source, re.M), (
                f"{page}: admonition or tab syntax in\n{cell.source}"
            )


def topics() -> dict[str, list]:
    grouped = defaultdict(list)
    for param in PAGES:
        page = param.values[0]
        if page is not None:
            grouped[page.slug.rstrip("/")].append(page)
    return dict(grouped) or {"site-not-built": []}


def topic_pages_of(topic) -> list:
    """What a topic's check reads (tests/verdicts.py): its pages in every language."""
    return topics().get(topic, [])


@pytest.mark.reads(pages=topic_pages_of)
@pytest.mark.parametrize("topic", sorted(topics()))
def test_the_languages_share_code_and_outputs(topic):
    pages = topics()[topic]
    assert len(pages) > 1, f"{topic}: a notebook in only one language"
    seen = {
        page.language: [(c.source, results(c)) for c in code_cells(notebook_of(page))]
        for page in pages
    }
    first = next(iter(seen.values()))
    assert all(cells == first for cells in seen.values()), (
        f"{topic}: the languages' notebooks differ in code or outputs"
    )


@pytest.mark.parametrize("page", PAGES)
def test_the_file_is_valid_nbformat_without_timestamps(page):
    path = linked_notebook(page)
    notebook = notebook_of(page)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    ids = [cell.id for cell in notebook.cells]
    assert len(set(ids)) == len(ids)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert "timestamp" not in json.dumps(raw) and "date" not in raw["metadata"]


def test_only_topic_pages_offer_a_notebook():
    """Home, glossary and the exercise pages (their notebooks come from the test
    run, spickzettel/verify/notebooks.py) link no page notebook."""
    assert (SITE / "index.html").is_file(), "site/ is not built"
    topics = {page.path for page in topic_pages()}
    linking = {page.path for page in built_pages() if linked_notebook(page)}
    assert linking == topics
    assert topics, "no topic page built"
