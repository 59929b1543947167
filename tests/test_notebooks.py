"""The exercise notebooks: one source, both languages, verified, folded, downloadable.

Sources: snippets/exercises/*.py (jupytext). `make verify` executes them and writes
into docs/<language>/exercises/ the solution and the task notebook (the downloads,
named by spickzettel/core/download_names.py; the task notebooks have tests of their
own in test_task_notebooks.py) and <name>.md (the page,
spickzettel/verify/notebook_pages.py) with the figures in
docs/figures/exercises/<name>/; `make build` renders the pages like every other
page. These tests check the sources without running them, the written notebooks and
pages, and the built pages.
"""

from __future__ import annotations

import base64
import html
import json
import re

import nbformat
import pytest

from spickzettel.core import backends, download_names, layout, mkdocs_config
from spickzettel.core import record as vr
from spickzettel.core.paths import SITE
from spickzettel.tools import snippet_lint
from spickzettel.verify import notebook_pages, notebooks, pytest_plugin
from tests import built_site, verdicts

SOURCES = layout.notebook_sources()

# A check of one exercise reads that exercise (tests/verdicts.py: its source, what
# its run wrote, its built pages and downloads); the tests of the whole set (nav,
# record) fall back to the whole checkout; the engine's own tests, to their code.
pytestmark = pytest.mark.reads(pages=verdicts.exercise_inputs)
ENGINE_ONLY = pytest.mark.reads()
HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)


def _id(path) -> str:
    return path.stem


def _written(source, language) -> nbformat.NotebookNode:
    path = layout.notebook_outputs(source.name)[language]
    assert path.is_file(), (
        f"{path.relative_to(layout.ROOT)} is missing: run `make verify`"
    )
    return nbformat.read(path, as_version=4)


def test_every_exercise_source_is_a_page_of_the_nav_and_no_other():
    """The nav's exercise pages and the sources are the same set: a source without a
    page would be verified but unreachable, a nav entry without one a dead link."""
    in_nav = {
        file.removeprefix("exercises/").removesuffix(".md")
        for file in mkdocs_config.nav_files(mkdocs_config.load()["nav"])
        if file.startswith("exercises/")
    }
    assert SOURCES, "no exercise source in snippets/exercises/"
    assert in_nav == {p.stem for p in SOURCES}


# ---- the sources -------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_prose_comes_in_german_english_pairs(source):
    """Each German cell is followed by its English twin: same tags, same headings."""
    cells = notebooks.read_source(source).cells
    index = 0
    while index < len(cells):
        cell = cells[index]
        if cell.cell_type == "code":
            assert "lang" not in cell.metadata, f"{source.name}: code cell with lang"
            index += 1
            continue
        assert cell.metadata.get("lang") == "de", (
            f"{source.name}, cell {index}: prose must be lang=de, then its lang=en twin"
        )
        twin = cells[index + 1] if index + 1 < len(cells) else None
        assert twin is not None and twin.metadata.get("lang") == "en", (
            f"{source.name}, cell {index}: the German cell has no English twin after it"
        )
        assert cell.metadata.get("tags") == twin.metadata.get("tags"), (
            f"{source.name}, cell {index}: the twins have different tags"
        )
        assert HEADING.findall(cell.source) == HEADING.findall(twin.source), (
            f"{source.name}, cell {index}: the twins have different headings"
        )
        index += 2


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_task_comes_first_and_stays_visible(source):
    german = notebooks.language_version(notebooks.read_source(source), "de")
    assert backends.is_backend_cell(german.cells[0])
    rest = german.cells[1:]
    first_code = next(i for i, c in enumerate(rest) if c.cell_type == "code")
    before = rest[:first_code]
    assert any("## Aufgabe" in c.source for c in before), source.name
    assert not any("solution" in c.metadata.get("tags", []) for c in before)


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_first_code_cell_seeds_keras(source):
    """A reader's fresh kernel must reproduce the run: imports and seed first,
    after the cell that sets the backend (generated, not in the source)."""
    code = [
        c.source for c in notebooks.read_source(source).cells if c.cell_type == "code"
    ]
    assert code[0] == backends.backend_cell()
    assert "KERAS_BACKEND" not in source.read_text(encoding="utf-8")
    assert "keras.utils.set_random_seed(42)" in code[1]
    assert "keras.layers." not in code[1].split("set_random_seed")[0]


@pytest.mark.parametrize("backend", backends.BACKENDS)
def test_the_first_cell_names_the_backend_of_the_run(backend):
    """Each verify run executes the notebooks with its own backend in the first
    cell; the task notebooks keep that cell (a set-up cell)."""
    source = SOURCES[0]
    notebook = notebooks.read_source(source, backend)
    assert backends.named_in(notebook.cells[0].source) == backend
    for task in notebooks.task_versions(notebook, source.name).values():
        assert task.cells[0].source == backends.backend_cell(backend)


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_the_written_notebooks_name_the_primary_backend(source):
    """The downloads come from TensorFlow's run: their first cell says so."""
    for language in layout.LANGUAGES:
        written = [
            _written(source, language),
            nbformat.read(layout.task_notebooks(source.name)[language], as_version=4),
        ]
        for notebook in written:
            first = notebook.cells[0]
            assert first.source == backends.backend_cell(backends.PRIMARY)
            assert not any(backends.is_backend_cell(c) for c in notebook.cells[1:])


def test_a_notebook_that_runs_on_another_backend_than_its_first_cell_fails(
    monkeypatch,
):
    """The run asks the kernel which backend Keras ran on (notebooks._run)."""
    monkeypatch.setenv("KERAS_SPICKZETTEL_FRESH_KERNELS", "1")
    monkeypatch.setattr(notebooks, "BACKEND_CHECK", "print('jax', end='')")
    cells = [backends.backend_cell("torch"), "x = 1"]
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells]
    )
    with pytest.raises(notebooks.BackendMismatch, match="names 'torch'"):
        notebooks.execute(notebook)


@ENGINE_ONLY
def test_a_failing_cell_stops_the_run(monkeypatch):
    monkeypatch.setenv("KERAS_SPICKZETTEL_FRESH_KERNELS", "1")  # no TensorFlow needed
    cells = ["x = 1", "print(x / 0)", "print('never reached')"]
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells]
    )
    with pytest.raises(notebooks.CellExecutionError, match="ZeroDivisionError"):
        notebooks.execute(notebook)
    assert notebook.cells[2].outputs == []


@ENGINE_ONLY
def test_each_language_gets_its_own_prose_and_all_code():
    cells = [
        nbformat.v4.new_markdown_cell("# Titel", metadata={"lang": "de"}),
        nbformat.v4.new_markdown_cell("# Title", metadata={"lang": "en"}),
        nbformat.v4.new_code_cell("print(1)"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    german = notebooks.language_version(notebook, "de")
    assert [c.source for c in german.cells] == ["# Titel", "print(1)"]
    assert all("lang" not in c.metadata for c in german.cells)
    assert notebook.cells[0].metadata == {"lang": "de"}  # the source is untouched


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_lines_fit(source):
    """Code as on the site (spickzettel/tools/snippet_lint.py): 76 columns; prose 88.
    Cell headers are exempt: they carry the alt texts of figures."""
    for cell in notebooks.read_source(source).cells:
        # prose: 88 columns with the "# " of the source
        limit = snippet_lint.LINE_LENGTH if cell.cell_type == "code" else 86
        for line in cell.source.splitlines():
            assert len(line) <= limit, f"{source.name}: {line}"


# ---- the written notebooks (make verify) -------------------------------------


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_both_languages_have_the_same_code_and_outputs(source):
    german, english = _written(source, "de"), _written(source, "en")
    code_de = [c for c in german.cells if c.cell_type == "code"]
    code_en = [c for c in english.cells if c.cell_type == "code"]
    assert [c.source for c in code_de] == [c.source for c in code_en]
    assert [c.outputs for c in code_de] == [c.outputs for c in code_en]
    assert len(german.cells) == len(english.cells)
    from_source = [
        c.source for c in notebooks.read_source(source).cells if c.cell_type == "code"
    ]
    assert [c.source for c in code_de] == from_source, (
        f"{source.name} changed since `make verify` wrote its notebooks"
    )


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_every_cell_ran_cleanly(source):
    for language in layout.LANGUAGES:
        notebook = _written(source, language)
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            assert cell.execution_count is not None, f"{source.name}: a cell never ran"
            for output in cell.outputs:
                assert output.output_type != "error"
                # Warnings or log noise would show on the page as red text.
                assert output.get("name") != "stderr", f"{source.name}: {output.text}"
        assert notebook.metadata.kernelspec.name == "python3"
        assert "jupytext" not in notebook.metadata
        assert all("lang" not in c.metadata for c in notebook.cells)


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_every_figure_has_an_alt_text_in_its_language(source):
    figures = 0
    for language in layout.LANGUAGES:
        for cell in _written(source, language).cells:
            drawn = any(
                "image/png" in o.get("data", {}) for o in cell.get("outputs", [])
            )
            figures += drawn
            assert not drawn or cell.metadata.get("alt"), (
                f"{source.name}: a figure without alt text ({language}): "
                f"add alt_de=... alt_en=... to its cell header\n{cell.source[:80]}"
            )
            assert not {"alt_de", "alt_en"} & set(cell.metadata)
    assert figures >= 2, f"{source.name} shows no figure"


# ---- the verification record --------------------------------------------------


def _record() -> dict:
    return json.loads(vr.RECORD_PATH.read_text(encoding="utf-8"))


def test_record_vouches_for_every_notebook():
    record = _record()
    assert vr.notebook_problems(record) == []
    assert set(record["notebooks"]) == {p.name for p in SOURCES}


def test_record_refuses_a_changed_source():
    record = _record()
    name = sorted(record["notebooks"])[0]
    record["notebooks"][name]["sha256"] = "0" * 64
    assert f"snippets/exercises/{name} changed after it was verified." in (
        vr.notebook_problems(record)
    )


def test_record_refuses_a_notebook_the_run_did_not_write():
    record = _record()
    entry = next(iter(record["notebooks"].values()))
    key = sorted(entry["outputs"])[0]
    entry["outputs"][key] = "0" * 64
    assert any(
        "not the ones its verified run wrote" in p for p in vr.notebook_problems(record)
    )


def test_record_refuses_a_failed_run():
    record = _record()
    entry = next(iter(record["notebooks"].values()))
    entry["failed"], entry["executed"] = 1, 0
    assert any(
        "code cells ran without error" in p for p in vr.notebook_problems(record)
    )


@pytest.mark.parametrize("written", ["page", "figure"])
def test_record_refuses_a_page_or_figure_the_run_did_not_write(written):
    """The pages and figures are part of what the run wrote: a hand edit is refused."""
    record = _record()
    name = sorted(record["notebooks"])[0]
    entry = record["notebooks"][name]
    stem = name.removesuffix(".py")
    wanted = (
        f"docs/de/exercises/{stem}.md"
        if written == "page"
        else next(k for k in entry["outputs"] if k.endswith(".png"))
    )
    assert wanted in entry["outputs"], f"the record does not vouch for {wanted}"
    entry["outputs"][wanted] = "0" * 64
    assert any(
        "not the ones its verified run wrote" in p for p in vr.notebook_problems(record)
    )


def test_record_vouches_for_everything_the_run_wrote():
    for source in SOURCES:
        outputs = _record()["notebooks"][source.name]["outputs"]
        written = {
            *layout.notebook_outputs(source.name).values(),
            *layout.task_notebooks(source.name).values(),
            *layout.notebook_pages(source.name).values(),
            *layout.notebook_figure_dir(source.name).glob("*.png"),
        }
        assert {p.relative_to(layout.ROOT).as_posix() for p in written} == set(outputs)
        assert set(layout.unit_outputs(source)) >= {
            *layout.notebook_pages(source.name).values(),
            layout.notebook_figure_dir(source.name),
        }, "the verification cache would not keep the pages and figures"


@pytest.mark.parametrize("stray", ["stray.ipynb", "stray.md"])
def test_record_refuses_a_notebook_or_page_without_source(tmp_path, monkeypatch, stray):
    record = _record()
    monkeypatch.setattr(layout, "ROOT", tmp_path)  # a docs/ folder of our own
    monkeypatch.setattr(layout, "DOCS", tmp_path / "docs")
    monkeypatch.setattr(layout, "FIGURES", tmp_path / "docs" / "figures")
    path = tmp_path / "docs" / "de" / "exercises" / stray
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    found = vr.notebook_problems(record)
    assert any(f"{stray} has no source" in p for p in found)


def test_record_refuses_figures_without_source(tmp_path, monkeypatch):
    record = _record()
    monkeypatch.setattr(layout, "ROOT", tmp_path)
    monkeypatch.setattr(layout, "DOCS", tmp_path / "docs")
    monkeypatch.setattr(layout, "FIGURES", tmp_path / "docs" / "figures")
    stray = tmp_path / "docs" / "figures" / "exercises" / "stray" / "a.png"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"png")
    found = vr.notebook_problems(record)
    assert any("figures/exercises/stray has no source" in p for p in found)


# ---- nav ------------------------------------------------------------------------


def test_every_exercise_is_in_the_nav():
    listed = set(mkdocs_config.nav_files(mkdocs_config.load()["nav"]))
    for source in SOURCES:
        assert f"exercises/{source.stem}.md" in listed


def test_build_renders_pages_without_a_notebook_plugin():
    """The pages are Markdown written at verify time: nothing at build time reads,
    let alone executes, a notebook."""
    plugins = mkdocs_config.load()["plugins"]
    names = [next(iter(p)) if isinstance(p, dict) else p for p in plugins]
    assert not [name for name in names if "jupyter" in name]


def test_sybil_never_executes_the_written_pages():
    """Their code ran in the notebook's kernel; Sybil would run it a second time
    without the notebook's set-up."""
    for source in SOURCES:
        for page in layout.notebook_pages(source.name).values():
            assert pytest_plugin.pytest_collect_file(page, None) is None


# ---- the written pages (make verify) ----------------------------------------------


def _render(cells, language="de"):
    notebook = nbformat.v4.new_notebook(cells=cells)
    return notebook_pages.render(notebook, language, "example")


@ENGINE_ONLY
def test_page_folds_consecutive_solution_cells_into_one_block():
    code = nbformat.v4.new_code_cell
    prose = nbformat.v4.new_markdown_cell
    cells = [
        prose("# Titel\n\n## Aufgabe"),
        code("x = 1", outputs=[]),
        prose("Warum", metadata={"tags": ["solution"]}),
        prose("### Schritt"),
        code("print(x)", outputs=[nbformat.v4.new_output("stream", text="1\n")]),
    ]
    page, figures = _render(cells)
    assert figures == {}
    blocks = page.split('??? success solution "Lösung"')
    assert len(blocks) == 3, page
    assert "## Aufgabe" in blocks[0] and "x = 1" not in blocks[0]
    assert "x = 1" in blocks[1] and "    Warum" in blocks[1]
    assert "### Schritt" in blocks[1].split("Warum")[1]  # unfolded, not indented
    assert "\n### Schritt" in page
    assert "    ```text { .no-copy" in blocks[2] and "    1\n" in blocks[2]
    assert page.index("# Titel") < page.index("Aufgabe (ohne Lösungen)")
    assert page.index("Lösung (mit Ausgaben)") < page.index("## Aufgabe")


@ENGINE_ONLY
def test_page_writes_figures_as_files_with_the_alt_text_of_its_language():
    png = base64.b64encode(b"\x89PNG fake").decode()
    figure = nbformat.v4.new_output("display_data", data={"image/png": png})
    cell = nbformat.v4.new_code_cell(
        "plt.show()", outputs=[figure], metadata={"alt": "Eine [Kurve]"}
    )
    page, figures = _render([cell])
    (name, data), *more = figures.items()
    assert not more and data == b"\x89PNG fake"
    src = f"../../figures/exercises/example/{name}"
    assert f"![Eine \\[Kurve\\]]({src}){{ .notebook-figure }}" in page
    cell.metadata = {}
    with pytest.raises(notebook_pages.NotebookPageError, match="without alt text"):
        _render([cell])


@pytest.mark.parametrize("language", layout.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_written_page_is_the_render_of_the_written_notebook(source, language):
    page = layout.notebook_pages(source.name)[language]
    assert page.is_file(), (
        f"{page.relative_to(layout.ROOT)} is missing: run `make verify`"
    )
    description = notebooks.description(notebooks.read_source(source), language)
    text, figures = notebook_pages.render(
        _written(source, language), language, source.stem, description
    )
    assert page.read_text(encoding="utf-8") == text
    folder = layout.notebook_figure_dir(source.name)
    assert {p.name: p.read_bytes() for p in folder.glob("*")} == figures


# ---- the built pages (make build) --------------------------------------------------


def _page_file(source, language):
    prefix = SITE / "en" if language == "en" else SITE
    path = prefix / "exercises" / source.stem / "index.html"
    assert path.is_file(), (
        f"{path.relative_to(layout.ROOT)} is missing: run `make build`"
    )
    return path


def _page(source, language) -> str:
    return _page_file(source, language).read_text(encoding="utf-8")


def _tree(source, language):
    """The built page as tests/built_site.py parses it."""
    return built_site.document(_page_file(source, language))


SOLUTION_BLOCK = re.compile(
    r'<details class="success solution">\s*<summary>(?P<summary>[^<]*)</summary>'
    r"(?P<body>.*?)</details>",
    re.DOTALL,
)


@pytest.mark.parametrize("language", layout.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_hides_every_code_cell_in_a_solution_block(source, language):
    page = _page(source, language)
    blocks = list(SOLUTION_BLOCK.finditer(page))
    assert blocks, "no solution block"
    summary = notebook_pages.SUMMARY[language]
    assert {block["summary"] for block in blocks} == {summary}
    outside = SOLUTION_BLOCK.sub("", page)
    assert "language-python" not in outside, "a code cell is not folded away"
    assert "notebook-output" not in outside, "an output is not folded away"
    task = "Aufgabe" if language == "de" else "Task"
    assert page.index(f">{task}") < page.index("<details"), "the task must come first"
    # One block per run of consecutive solution cells (code, or tagged prose).
    folded = [
        c.cell_type == "code" or "solution" in c.metadata.get("tags", [])
        for c in _written(source, language).cells
        if not backends.is_backend_cell(c)  # the download's, not on the page
    ]
    before = [False, *folded[:-1]]
    runs = sum(f and not b for f, b in zip(folded, before, strict=True))
    assert len(blocks) == runs


@pytest.mark.parametrize("language", layout.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_shows_the_outputs_of_the_verified_run(source, language):
    page = _page(source, language)
    notebook = _written(source, language)
    figures = [
        (base64.b64decode(output["data"]["image/png"]), cell.metadata["alt"])
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    shown = [
        (img.get("alt"), img.get("src"))
        for img in _tree(source, language).cssselect("img.notebook-figure")
    ]
    assert len(shown) == len(figures), f"{source.stem}: figures missing on the page"
    for (alt, src), (png, expected_alt) in zip(shown, figures, strict=True):
        assert alt == expected_alt
        file = SITE / "figures" / src.split("figures/", 1)[1]
        assert file.read_bytes() == png, f"{src} is not the figure of the run"
    assert "data:image" not in page, "a figure is embedded in the HTML"
    # What a cell printed, as one text: the kernel may send it in several stream
    # outputs ("353 of 360 ... correct" and its "\n" apart), which the page joins.
    printed = [
        text.strip().splitlines()[0]
        for cell in notebook.cells
        if (
            text := "".join(
                output.text
                for output in cell.get("outputs", [])
                if output.get("name") == "stdout"
            )
        ).strip()
    ]
    assert printed, f"{source.stem}: the run printed nothing"
    for line in printed:
        assert html.escape(line, quote=False) in page
    # Outputs: no copy button (.no-copy), not in the search index.
    outputs = _tree(source, language).cssselect("div.language-text")
    assert outputs, "no output shown"
    for div in outputs:
        assert "no-copy" in div.get("class").split()
        assert div.get("data-search-exclude") is not None


@pytest.mark.parametrize("language", layout.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_shows_the_executed_code_as_material_code_blocks(source, language):
    """Each code cell is a Material code block (its copy button, its colours) whose
    text is the cell that ran; code and outputs stay out of the search index."""
    page = _page(source, language)
    tree = _tree(source, language)
    blocks = tree.cssselect("div.language-python.highlight")
    assert all(block.get("data-search-exclude") is not None for block in blocks)
    shown = [
        block.cssselect("pre > code")[0].text_content().rstrip() for block in blocks
    ]
    code = [
        c.source
        for c in _written(source, language).cells
        if c.cell_type == "code" and not backends.is_backend_cell(c)
    ]
    assert shown == code
    assert "jupyter-wrapper" not in page and "jp-" not in page, "nbconvert markup"


@pytest.mark.parametrize("language", layout.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_offers_the_executed_notebook_for_download(source, language):
    page = _page(source, language)
    name = download_names.exercise_notebook(source.stem, language, "solution")
    stamp = page.index('<p class="verified-stamp">')
    link = page.index(f'<a download="{name}" href="../{name}">')
    assert stamp < link, "the download goes under the verification stamp"
    prefix = SITE / "en" if language == "en" else SITE
    offered = (prefix / "exercises" / name).read_bytes()
    assert offered == layout.notebook_outputs(source.name)[language].read_bytes()


@pytest.mark.parametrize("language", layout.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_is_in_its_language(source, language):
    page = _page(source, language)
    assert _tree(source, language).get("lang") == language
    other_language = "en" if language == "de" else "de"
    other = notebooks.language_version(notebooks.read_source(source), other_language)
    first_prose = next(c.source for c in other.cells if c.cell_type == "markdown")
    title = first_prose.splitlines()[0].lstrip("# ")
    assert title not in page, f"the other language's title appears: {title}"
    stamp = {"de": "Codezellen dieses Notebooks", "en": "code cells of this notebook"}
    assert stamp[language] in page, "the verification stamp is missing"


def test_snippet_lint_leaves_the_written_pages_to_their_sources():
    """The pages' code is the notebooks' code, linted in snippets/exercises/ (with
    its ruff.toml); `make format` must never rewrite a generated page."""
    files = set(snippet_lint.default_files())
    assert files, "the lint finds no files"
    for source in SOURCES:
        for page in layout.notebook_pages(source.name).values():
            assert page not in files


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_each_language_gives_its_page_a_description_kept_out_of_the_notebooks(source):
    """The title cell of each language carries the page's description (front
    matter of the page, tests/test_seo.py checks it on the built page); the
    notebooks a reader downloads carry none."""
    notebook = notebooks.read_source(source)
    descriptions = {
        lang: notebooks.description(notebook, lang) for lang in layout.LANGUAGES
    }
    assert len(set(descriptions.values())) == len(layout.LANGUAGES), descriptions
    for language in layout.LANGUAGES:
        version = notebooks.language_version(notebook, language)
        assert all(notebooks.DESCRIPTION not in c.metadata for c in version.cells)
        page = notebook_pages.front_matter(descriptions[language])
        assert page.startswith("---\ndescription: ") and page.endswith("---\n\n")
