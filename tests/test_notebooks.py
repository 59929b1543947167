"""The exercise notebooks: one source, both languages, verified, folded, downloadable.

Sources: snippets/exercises/*.py (jupytext). `make verify` executes them and writes
docs/<language>/exercises/*.ipynb; `make build` renders those. These tests check the
sources without running them, the written notebooks, and the built pages.
"""

from __future__ import annotations

import base64
import html
import json
import re

import nbformat
import pytest

from overrides.hooks import notebook_pages
from spickzettel import mkdocs_config, notebooks, snippet_lint
from spickzettel import record as vr
from spickzettel.paths import SITE

SOURCES = vr.notebook_sources()
HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)


def _id(path) -> str:
    return path.stem


def _written(source, language) -> nbformat.NotebookNode:
    path = vr.notebook_outputs(source.name)[language]
    assert path.is_file(), f"{path.relative_to(vr.ROOT)} is missing: run `make verify`"
    return nbformat.read(path, as_version=4)


def test_there_are_four_exercises():
    names = {p.stem for p in SOURCES}
    assert names == {"digits", "wine", "linear-regression", "logistic-regression"}


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
    first_code = next(i for i, c in enumerate(german.cells) if c.cell_type == "code")
    before = german.cells[:first_code]
    assert any("## Aufgabe" in c.source for c in before), source.name
    assert not any("solution" in c.metadata.get("tags", []) for c in before)


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_first_code_cell_seeds_keras(source):
    """A reader's fresh kernel must reproduce the run: imports and seed first."""
    code = [
        c.source for c in notebooks.read_source(source).cells if c.cell_type == "code"
    ]
    assert "keras.utils.set_random_seed(42)" in code[0]
    assert "keras.layers." not in code[0].split("set_random_seed")[0]


def test_a_failing_cell_stops_the_run(monkeypatch):
    monkeypatch.setenv("KERAS_SPICKZETTEL_FRESH_KERNELS", "1")  # no TensorFlow needed
    cells = ["x = 1", "print(x / 0)", "print('never reached')"]
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells]
    )
    with pytest.raises(notebooks.CellExecutionError, match="ZeroDivisionError"):
        notebooks.execute(notebook)
    assert notebook.cells[2].outputs == []


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
    """Code as on the site (spickzettel/snippet_lint.py): 76 columns; prose 88.
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
    for language in vr.LANGUAGES:
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
    for language in vr.LANGUAGES:
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


def test_record_refuses_a_notebook_without_source(tmp_path, monkeypatch):
    record = _record()
    monkeypatch.setattr(vr, "ROOT", tmp_path)  # a docs/ folder of our own
    monkeypatch.setattr(vr, "DOCS", tmp_path / "docs")
    stray = tmp_path / "docs" / "de" / "exercises" / "stray.ipynb"
    stray.parent.mkdir(parents=True)
    stray.write_text("{}")
    found = vr.notebook_problems(record)
    assert any("stray.ipynb has no source" in p for p in found)


# ---- nav ------------------------------------------------------------------------


def test_every_exercise_is_in_the_nav():
    listed = set(mkdocs_config.nav_files(mkdocs_config.load()["nav"]))
    for source in SOURCES:
        assert f"exercises/{source.stem}.ipynb" in listed


def test_build_never_executes_notebooks():
    jupyter = mkdocs_config.plugin(mkdocs_config.load(), "mkdocs-jupyter")
    assert jupyter["execute"] is False
    assert jupyter["include_source"] is True


# ---- the folding hook -------------------------------------------------------------


def _cell(cell_id: str, kind: str) -> str:
    inner = f'<div class="jp-Cell {kind}" id="cell-id={cell_id}"><div>x</div></div>'
    if kind == "jp-CodeCell":  # mkdocs-jupyter wraps code cells twice
        return f'<div class="jp-Cell jp-CodeCell jp-Notebook-cell">{inner}</div>'
    return inner


def test_fold_solutions_groups_consecutive_solution_cells():
    cells = [
        _cell("task", "jp-MarkdownCell"),
        _cell("code-1", "jp-CodeCell"),
        _cell("why", "jp-MarkdownCell"),
        _cell("step", "jp-MarkdownCell"),
        _cell("code-2", "jp-CodeCell"),
    ]
    html = (
        '<div class="jupyter-wrapper"><div class="jp-Notebook" data-x="1">'
        + "\n".join(cells)
        + "</div> <!-- jp-Notebook --></div>"
    )
    folded = notebook_pages.fold_solutions(html, {"code-1", "why", "code-2"}, "Lösung")
    assert folded.count("<details") == 2
    assert folded.count("<div") == folded.count("</div>")
    blocks = re.findall(r"<details.*?</details>", folded, re.DOTALL)
    assert "code-1" in blocks[0] and "why" in blocks[0]
    assert "step" not in "".join(blocks) and "task" not in "".join(blocks)
    assert "code-2" in blocks[1]
    assert folded.index("task") < folded.index("<details")


# ---- the built pages (make build) --------------------------------------------------


def _page(source, language) -> str:
    prefix = SITE / "en" if language == "en" else SITE
    path = prefix / "exercises" / source.stem / "index.html"
    assert path.is_file(), f"{path.relative_to(vr.ROOT)} is missing: run `make build`"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", vr.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_hides_every_code_cell_in_a_solution_block(source, language):
    page = _page(source, language)
    summary = notebook_pages.SUMMARY[language]
    assert f'<details class="success solution"><summary>{summary}</summary>' in page
    outside = re.sub(
        r"<details class=\"success solution\">.*?</details>", "", page, flags=re.S
    )
    assert "jp-CodeCell" not in outside, "a code cell is not folded away"
    task = "Aufgabe" if language == "de" else "Task"
    assert page.index(f">{task}") < page.index("<details"), "the task must come first"


@pytest.mark.parametrize("language", vr.LANGUAGES)
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
    shown = re.findall(r'<img alt="([^"]*)" src="([^"]*figures/exercises/[^"]+)"', page)
    assert len(shown) == len(figures), f"{source.stem}: figures missing on the page"
    for (alt, src), (png, expected_alt) in zip(shown, figures, strict=True):
        assert html.unescape(alt) == expected_alt
        file = SITE / "figures" / src.split("figures/", 1)[1]
        assert file.read_bytes() == png, f"{src} is not the figure of the run"
    assert "data:image" not in page, "a figure is still embedded in the HTML"
    printed = [
        output.text.strip().splitlines()[0]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("name") == "stdout"
    ]
    for line in printed:
        assert html.escape(line, quote=False) in page


@pytest.mark.parametrize("language", vr.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_shows_the_executed_code_as_material_code_blocks(source, language):
    """Each code cell is a Material code block (its copy button, its colours) whose
    text is the cell that ran; code and outputs stay out of the search index."""
    page = _page(source, language)
    blocks = re.findall(
        r'<div class="language-python highlight"><pre><span></span><code>(.*?)</code>',
        page,
        re.DOTALL,
    )
    shown = [html.unescape(re.sub(r"<[^>]+>", "", block)).rstrip() for block in blocks]
    code = [c.source for c in _written(source, language).cells if c.cell_type == "code"]
    assert shown == code
    assert page.count("<div data-search-exclude") == len(code)
    assert "clipboard-copy" not in page and "<style" not in page.split("<article")[1]


@pytest.mark.parametrize("language", vr.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_offers_the_executed_notebook_for_download(source, language):
    page = _page(source, language)
    name = f"{source.stem}.ipynb"
    assert f'href="{name}" download>' in page
    prefix = SITE / "en" if language == "en" else SITE
    offered = (prefix / "exercises" / source.stem / name).read_bytes()
    assert offered == vr.notebook_outputs(source.name)[language].read_bytes()


@pytest.mark.parametrize("language", vr.LANGUAGES)
@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_page_is_in_its_language(source, language):
    page = _page(source, language)
    lang = re.search(r'<html lang="([^"]+)"', page)[1]
    assert lang == language
    other_language = "en" if language == "de" else "de"
    other = notebooks.language_version(notebooks.read_source(source), other_language)
    first_prose = next(c.source for c in other.cells if c.cell_type == "markdown")
    title = first_prose.splitlines()[0].lstrip("# ")
    assert title not in page, f"the other language's title appears: {title}"
