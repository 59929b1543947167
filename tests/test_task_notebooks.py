"""The task notebooks: each exercise without its solutions, per language, to hand out.

Made by the test run from the same jupytext source as the solution notebook
(spickzettel/notebooks.task_version): the task prose, the set-up cells
(`tags=["setup"]`), and for each solution code cell an empty cell with only its
instruction (`task_de="..." task_en="..."`) as a comment; no outputs. The run
executes a copy of the German one in a fresh kernel (notebook_items.NotebookRun).
These tests check the written files against their sources, the record and cache
that vouch for them, and the exercise pages of the built site that offer them.
"""

from __future__ import annotations

import html
import re
import subprocess

import nbformat
import pytest

from spickzettel.core import download_names, layout
from spickzettel.core import record as vr
from spickzettel.core.paths import ROOT, SITE
from spickzettel.verify import notebook_pages, notebooks
from tests import verdicts

SOURCES = layout.notebook_sources()

# A check of one exercise reads that exercise (tests/verdicts.py: its source, what
# its run wrote, its built pages and downloads); the tests of the whole set (nav,
# record) fall back to the whole checkout; the engine's own tests, to their code.
pytestmark = pytest.mark.reads(pages=verdicts.exercise_inputs)
ENGINE_ONLY = pytest.mark.reads()
LANGUAGES = layout.LANGUAGES


def _id(path) -> str:
    return path.stem


def _source(source):
    return notebooks.read_source(source)


def _task(source, language) -> nbformat.NotebookNode:
    path = layout.task_notebooks(source.name)[language]
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run `make verify`"
    return nbformat.read(path, as_version=4)


def _code(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _is_comment_only(code: str) -> bool:
    lines = [line.strip() for line in code.splitlines() if line.strip()]
    return bool(lines) and all(line.startswith("#") for line in lines)


def _without_comments(code: str) -> str:
    return "\n".join(
        line for line in code.splitlines() if not line.strip().startswith("#")
    )


def _comment_text(code: str) -> str:
    return " ".join(
        line.strip().removeprefix("#").strip() for line in code.splitlines()
    )


def _solution_cells(source) -> list:
    return [c for c in _code(_source(source)) if not notebooks.is_setup(c)]


both = pytest.mark.parametrize("language", LANGUAGES)
each = pytest.mark.parametrize("source", SOURCES, ids=_id)


# ---- the sources -----------------------------------------------------------------


@each
def test_every_code_cell_is_setup_or_a_solution_with_instructions(source):
    """notebooks.instructions raises for a hole; here: something is left to do."""
    steps = notebooks.instructions(_source(source), source.name)
    setup = [c for c in _code(_source(source)) if notebooks.is_setup(c)]
    assert setup, f"{source.name}: no set-up cell (imports, data)"
    assert len(steps) == len(_solution_cells(source)) >= 3


@ENGINE_ONLY
def test_a_solution_cell_without_instruction_is_an_error():
    cells = [
        nbformat.v4.new_code_cell("import math", metadata={"tags": ["setup"]}),
        nbformat.v4.new_code_cell("print(math.pi)", metadata={"task_de": "Gib π aus."}),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    with pytest.raises(notebooks.TaskMarkupError) as error:
        notebooks.task_version(notebook, "de", "example.py")
    message = str(error.value)
    assert "snippets/exercises/example.py, code cell 2" in message
    assert "'print(math.pi)'" in message and "task_en" in message
    assert "task_de" not in message.split("has no")[1].split(":")[0]
    cells[1].metadata = {}
    with pytest.raises(notebooks.TaskMarkupError, match="no task_de and no task_en"):
        notebooks.task_version(notebook, "en", "example.py")


@ENGINE_ONLY
def test_task_version_of_a_small_notebook():
    prose = nbformat.v4.new_markdown_cell
    code = nbformat.v4.new_code_cell
    cells = [
        prose("# Titel", metadata={"lang": "de"}),
        prose("# Title", metadata={"lang": "en"}),
        code("import math", metadata={"tags": ["setup"]}, execution_count=1),
        code(
            "print(math.pi)",
            metadata={"task_de": "Gib π aus.", "task_en": "Print π."},
            execution_count=2,
            outputs=[nbformat.v4.new_output("stream", text="3.14\n")],
        ),
        prose("Weil.", metadata={"lang": "de", "tags": ["solution"]}),
        prose("Because.", metadata={"lang": "en", "tags": ["solution"]}),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    task = notebooks.task_version(notebook, "en", "example.py")
    nbformat.validate(task)
    assert [(c.cell_type, c.source) for c in task.cells] == [
        ("markdown", "# Title"),
        ("code", "import math"),
        ("code", "# Print π."),
    ]
    assert [c.outputs for c in _code(task)] == [[], []]
    assert [c.execution_count for c in _code(task)] == [None, None]
    assert notebook.cells[3].source == "print(math.pi)", "the source is untouched"
    solution = notebooks.language_version(notebook, "en")
    assert not any("task_en" in c.metadata for c in solution.cells)


@ENGINE_ONLY
def test_instructions_wrap_to_the_code_width():
    text = "Teile die Daten " * 12 + "(75 % / 25 %)."
    comment = notebooks.instruction_comment(text)
    assert all(len(line) <= notebooks.COMMENT_WIDTH for line in comment.splitlines())
    assert all(line.startswith("# ") for line in comment.splitlines())
    assert "\n# %" not in comment, "a number and its % on two lines"
    assert _comment_text(comment) == text


@ENGINE_ONLY
def test_a_failing_task_cell_fails_the_run_and_names_the_cell():
    """The task notebook runs in a fresh kernel: a cell that needs the solutions
    (or the shared kernel's leftovers) fails there."""
    cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["setup"]}),
        nbformat.v4.new_code_cell("# Rechne weiter."),
        nbformat.v4.new_code_cell("print(undefined_name)"),
    ]
    source = layout.EXERCISES / "wine.py"
    with pytest.raises(notebooks.TaskRunError) as error:
        notebooks.run_task(source, nbformat.v4.new_notebook(cells=cells))
    message = str(error.value)
    task_file = download_names.exercise_notebook(
        "wine", notebooks.TASK_RUN_LANGUAGE, "task"
    )
    assert message.startswith(f"{task_file} (task notebook of snippets/exercises/")
    assert "code cell 3 failed in a fresh kernel" in message
    assert "NameError" in message


# ---- the written task notebooks (make verify) --------------------------------------


@both
@each
def test_task_notebook_has_no_outputs_and_no_execution_counts(source, language):
    task = _task(source, language)
    for cell in _code(task):
        assert cell.outputs == [], f"{source.name} ({language}): an output"
        assert cell.execution_count is None, f"{source.name} ({language}): a count"
    assert task.metadata.kernelspec.name == notebooks.KERNEL
    assert "jupytext" not in task.metadata


@both
@each
def test_task_notebook_keeps_the_task_prose_and_the_setup_cells(source, language):
    version = notebooks.language_version(_source(source), language)
    task_prose = [
        c.source
        for c in version.cells
        if c.cell_type == "markdown" and "solution" not in c.metadata.get("tags", [])
    ]
    solution_prose = [
        c.source
        for c in version.cells
        if c.cell_type == "markdown" and "solution" in c.metadata.get("tags", [])
    ]
    task = _task(source, language)
    prose = [c.source for c in task.cells if c.cell_type == "markdown"]
    assert prose == task_prose
    assert not set(prose) & set(solution_prose)
    setup = [c.source for c in _code(_source(source)) if notebooks.is_setup(c)]
    kept = [c.source for c in _code(task) if not _is_comment_only(c.source)]
    assert kept == setup


@both
@each
def test_task_notebook_holds_no_solution_code(source, language):
    setup_lines = {
        line.strip()
        for cell in _code(_source(source))
        if notebooks.is_setup(cell)
        for line in cell.source.splitlines()
    }
    solution_lines = {
        line.strip()
        for cell in _solution_cells(source)
        for line in cell.source.splitlines()
        if line.strip() and line.strip() not in setup_lines
    }
    assert solution_lines
    task = _task(source, language)
    written = {line.strip() for c in _code(task) for line in c.source.splitlines()}
    leaked = sorted(solution_lines & written)
    assert not leaked, (
        f"{source.name} ({language}): solution code in the task: {leaked}"
    )


@both
@each
def test_one_instruction_cell_per_solution_cell_in_its_language(source, language):
    key = notebooks.TASK_KEY.format(language=language)
    wanted = [" ".join(c.metadata[key].split()) for c in _solution_cells(source)]
    task = _task(source, language)
    given = [_comment_text(c.source) for c in _code(task) if _is_comment_only(c.source)]
    assert given == wanted
    for cell in _code(task):
        for line in cell.source.splitlines():
            assert len(line) <= notebooks.COMMENT_WIDTH, f"{source.name}: {line}"


@each
def test_both_languages_task_notebooks_have_the_same_code(source):
    """Only the German one runs in a fresh kernel; the English one is the same
    code with other comments, so it runs the same."""
    german, english = (_code(_task(source, language)) for language in LANGUAGES)
    assert len(german) == len(english)
    assert [_without_comments(c.source) for c in german] == [
        _without_comments(c.source) for c in english
    ]
    assert [c.id for c in german] == [c.id for c in english]


@each
def test_task_notebook_is_what_the_source_gives_now(source):
    """The written files are the task versions of the current source."""
    for language in LANGUAGES:
        expected = notebooks.task_version(_source(source), language, source.name)
        path = layout.task_notebooks(source.name)[language]
        assert path.read_text(encoding="utf-8") == nbformat.writes(expected) + "\n", (
            f"{source.name} changed since `make verify` wrote its task notebooks"
        )


# ---- names, record, cache, git ------------------------------------------------------


@each
def test_names_come_from_downloads(source):
    for language in LANGUAGES:
        task = layout.task_notebooks(source.name)[language]
        solution = layout.notebook_outputs(source.name)[language]
        assert task.name == download_names.exercise_notebook(
            source.stem, language, "task"
        )
        assert solution.name == download_names.exercise_notebook(
            source.stem, language, "solution"
        )
        assert task.parent == solution.parent == layout.DOCS / language / "exercises"


def test_record_and_cache_cover_the_task_notebooks():
    record = vr.load()
    for source in SOURCES:
        outputs = record["notebooks"][source.name]["outputs"]
        for path in layout.task_notebooks(source.name).values():
            where = path.relative_to(ROOT).as_posix()
            assert outputs.get(where) == layout.digest(path), f"record: {where}"
            assert path in layout.unit_outputs(source), f"cache: {where}"


def _copy_of_the_written_files(tmp_path, monkeypatch):
    """docs/ of this checkout's exercises and their figures, in tmp_path, where the
    record module looks for them: a defect planted there touches no real file."""
    import shutil

    for language in LANGUAGES:
        folder = layout.DOCS / language / "exercises"
        shutil.copytree(folder, tmp_path / folder.relative_to(ROOT))
    figures = layout.FIGURES / "exercises"
    shutil.copytree(figures, tmp_path / figures.relative_to(ROOT))
    monkeypatch.setattr(layout, "ROOT", tmp_path)
    monkeypatch.setattr(layout, "DOCS", tmp_path / layout.DOCS.relative_to(ROOT))
    monkeypatch.setattr(layout, "FIGURES", tmp_path / layout.FIGURES.relative_to(ROOT))


@pytest.mark.parametrize("defect", ["changed", "missing"])
def test_record_refuses_a_stale_or_missing_task_notebook(defect, tmp_path, monkeypatch):
    record = vr.load()
    assert vr.notebook_problems(record) == []
    source = SOURCES[0]
    where = layout.task_notebooks(source.name)["en"].relative_to(ROOT).as_posix()
    _copy_of_the_written_files(tmp_path, monkeypatch)
    assert vr.notebook_problems(record) == [], "the copy is not complete"
    planted = tmp_path / where
    if defect == "changed":
        planted.write_text(planted.read_text(encoding="utf-8").replace("#", "# x"))
    else:
        planted.unlink()
    assert vr.notebook_problems(record) == [
        f"snippets/exercises/{source.name}: the notebooks (solution and task) and "
        f"pages in docs/*/exercises/ or the figures in docs/figures/exercises/"
        f"{source.stem}/ are not the ones its verified run wrote ({defect}: {where})."
    ]


def test_build_refuses_a_task_notebook_the_record_does_not_vouch_for():
    """The build's check (overrides/hooks/verified.py) of a record whose digest of
    one task notebook differs from the file on disk."""
    record = vr.load()
    source = SOURCES[-1]
    where = layout.task_notebooks(source.name)["de"].relative_to(ROOT).as_posix()
    record["notebooks"][source.name]["outputs"][where] = "0" * 64
    # The record check the build's hook calls, in process: tests/test_site.py
    # proves with one real build that the hook is wired into `mkdocs build`.
    found = "\n".join(vr.problems(record))
    assert f"changed: {where}" in found, found


def test_task_notebooks_are_never_committed():
    files = [
        path.relative_to(ROOT).as_posix()
        for source in SOURCES
        for path in layout.task_notebooks(source.name).values()
    ]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(ignored) == sorted(files)
    clean = re.search(r"^clean:\n\trm -rf (.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert clean, "Makefile has no clean target"
    for language in LANGUAGES:
        assert f"docs/{language}/exercises" in clean[1].split()


def test_stale_names_are_strays(tmp_path, monkeypatch):
    """A notebook under a name no source writes (the <name>.ipynb of before the
    task/solution names) is refused by the build and removed by the next run."""
    monkeypatch.setattr(layout, "DOCS", tmp_path / "docs")
    folder = tmp_path / "docs" / "de" / "exercises"
    folder.mkdir(parents=True)
    (folder / "wine.ipynb").write_text("{}")
    kept = folder / download_names.exercise_notebook("wine", "de", "task")
    kept.write_text("{}")
    assert layout.stray_notebook_files() == [folder / "wine.ipynb"]


# ---- the exercise pages of the built site (make build) -----------------------------


def _built(source, language) -> str:
    prefix = SITE / "en" if language == "en" else SITE
    path = prefix / "exercises" / source.stem / "index.html"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run `make build`"
    return path.read_text(encoding="utf-8")


@both
@each
def test_page_offers_task_and_solution_side_by_side(source, language):
    page = _built(source, language)
    box = re.search(
        rf'<div class="{notebook_pages.DOWNLOADS_CLASS}">(.*?)</div>\s*</div>',
        page,
        re.DOTALL,
    )
    assert box, "no download box"
    stamp = page.index('<p class="verified-stamp">')
    assert stamp < box.start(), "the downloads go under the verification stamp"
    assert box.start() < page.index("<details"), "the downloads go above the steps"
    positions = []
    for kind in notebook_pages.KINDS:
        file = download_names.exercise_notebook(source.stem, language, kind)
        label = download_names.KIND_LABEL[kind][language]
        link = f'<a download="{file}" href="../{file}">{html.escape(label)}</a>'
        assert link in box[1], f"no link to the {kind} notebook: {box[1]}"
        assert f'<span class="notebook-file">{file}</span>' in box[1]
        note = notebook_pages.DOWNLOAD_NOTE[kind][language]
        assert html.escape(note, quote=False) in box[1]
        positions.append(box[1].index(link))
        offered = (SITE / ("en" if language == "en" else "")) / "exercises" / file
        assert offered.is_file(), f"{offered.relative_to(ROOT)} is not in the site"
        written = (
            layout.task_notebooks(source.name)
            if kind == "task"
            else layout.notebook_outputs(source.name)
        )[language]
        assert offered.read_bytes() == written.read_bytes()
    assert positions == sorted(positions), "the task comes first"
