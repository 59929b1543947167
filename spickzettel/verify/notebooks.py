"""Exercise notebooks: one source, executed once, written out in both languages.

Each exercise is a jupytext percent-format file snippets/exercises/<name>.py:

- `# %%` code cells belong to both languages (so they cannot drift apart);
- `# %% [markdown] lang="de"` / `lang="en"` prose cells belong to one language,
  each German cell directly followed by its English counterpart;
- markdown cells tagged `solution` (and every code cell) are folded away on the
  page (spickzettel/verify/notebook_pages.py); untagged prose (the task) stays visible;
- a code cell that draws a figure carries its alt text per language in its
  header: `# %% alt_de="..." alt_en="..."`;
- the title cell of each language carries the page's description for search
  engines (120 to 160 characters, its `<meta name="description">`):
  `# %% [markdown] lang="de" description="..."`;
- every code cell is either set-up, `# %% tags=["setup"]` (imports, loading the
  data: the task notebook keeps it), or a step's solution, which carries the step's
  instruction per language: `# %% task_de="..." task_en="..."` (the task notebook
  shows it as a comment in an empty cell). A code cell with neither is an error.

The test run executes the source once with nbclient and writes, per language, the
executed notebook, outputs and figures included (the solution download), the task
notebook (the task download: task prose, set-up cells, an empty cell with its
instruction per solution cell, no outputs) and the Markdown page
docs/<language>/exercises/<name>.md, with the figures as files in
docs/figures/exercises/<name>/ (spickzettel/verify/notebook_pages.py). The
downloads' file names come from spickzettel/core/download_names.py. After the
solution run, a copy of the German task notebook runs in a fresh kernel of its own,
as a learner's download does (the English one has the same code, other comments);
only then is anything written. The build renders the pages like every other page and
never executes anything; spickzettel/core/record.py makes it refuse stale ones.

Every notebook starts with a code cell that sets the Keras backend before anything
imports Keras (spickzettel/core/backends.py, BACKEND_CELL): it is generated here,
not written in the sources, and names the backend of the run, so the written files
(TensorFlow's run) name tensorflow and the JAX run executes a notebook whose first
cell names jax. The kernel does not inherit KERAS_BACKEND from the test process:
the first cell alone chooses the backend, as in a reader's download, and after
each notebook the run asks Keras in the kernel which backend it ran on.

Kernels are expensive here (importing TensorFlow takes seconds), so a test process
keeps one kernel and clears its namespace (`%reset -f`) between notebooks. Set
KERAS_SPICKZETTEL_FRESH_KERNELS=1 to give every notebook a kernel of its own, which
is what a reader's download meets. The task notebooks always get one (execute_fresh):
what the solution run left in the shared kernel must not help them pass.
"""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from spickzettel.core import backends, layout
from spickzettel.core.layout import (
    EXERCISES,
    LANGUAGES,
    notebook_figure_dir,
    notebook_files,
    notebook_outputs,
    notebook_sources,
    task_notebooks,
)
from spickzettel.verify import notebook_pages

KERNEL = "python3"
CELL_TIMEOUT = 600  # seconds; a shared 2-core machine can be slow
KERNELSPEC = {
    "name": KERNEL,
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
}
# Run between two notebooks in a shared kernel: nothing of the previous one may leak.
RESET = """\
import keras as _keras
import matplotlib.pyplot as _plt
_keras.backend.clear_session()
_plt.close("all")
%reset -f
"""

# Cell markup of the sources (see above).
SETUP = "setup"  # tag of a code cell the task notebook keeps
# The page's description, in the header of each language's title cell.
DESCRIPTION = "description"
TASK_KEY = "task_{language}"  # a solution code cell's instruction per language
SOLUTION = "solution"  # tag of a prose cell the task notebook drops
COMMENT_WIDTH = 76  # the site's code line length (spickzettel/tools/snippet_lint.py)
# The task notebook that runs in a fresh kernel: the code cells of both languages
# are the same apart from their comments (tests/test_task_notebooks.py).
TASK_RUN_LANGUAGE = LANGUAGES[0]

_kernel = None  # (KernelManager, working directory) shared by this process
# Asked in the kernel after a notebook ran: the backend Keras ran on.
BACKEND_CHECK = "import keras as _keras\nprint(_keras.backend.backend(), end='')"
_kernel_used = False


def is_folder(path: Path) -> bool:
    return path == EXERCISES


def sources() -> list[Path]:
    return notebook_sources()


def read_source(path: Path, backend: str | None = None) -> nbformat.NotebookNode:
    """The source's notebook, with the backend cell first: it names `backend`
    (by default this process's, spickzettel/core/backends.py)."""
    notebook = jupytext.read(path, fmt="py:percent")
    # Stable cell ids: code cells keep the same id in both languages.
    for index, cell in enumerate(notebook.cells):
        cell.id = f"{path.stem}-{index:03d}"
    first = nbformat.v4.new_code_cell(
        backends.backend_cell(backend), metadata={"tags": [SETUP]}
    )
    first.id = f"{path.stem}-backend"
    notebook.cells.insert(0, first)
    return notebook


def language_version(notebook: nbformat.NotebookNode, language: str):
    """The notebook a reader of `language` gets: shared code, that language's prose."""
    version = copy.deepcopy(notebook)
    version.cells = [
        cell
        for cell in version.cells
        if cell.metadata.get("lang", language) == language
    ]
    for cell in version.cells:
        cell.metadata.pop("lang", None)
        cell.metadata.pop(DESCRIPTION, None)  # the page's, not the notebook's
        # A figure's alt text, one per language in the source: `alt_de`, `alt_en`.
        alts = {key: cell.metadata.pop(f"alt_{key}", None) for key in LANGUAGES}
        if alts[language]:
            cell.metadata["alt"] = alts[language]
        for key in LANGUAGES:  # the instructions belong to the task notebook
            cell.metadata.pop(TASK_KEY.format(language=key), None)
    version.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": notebook.metadata.get("language_info", {"name": "python"}),
    }
    return version


def description(notebook: nbformat.NotebookNode, language: str) -> str:
    """The page description the source gives for `language` (its title cell's
    `description="..."`); the page needs one of its own."""
    found = [
        cell.metadata[DESCRIPTION]
        for cell in notebook.cells
        if cell.metadata.get("lang") == language and DESCRIPTION in cell.metadata
    ]
    if len(found) != 1:
        raise ValueError(
            f"{len(found)} descriptions for {language!r}: give the title cell of each "
            f'language one, # %% [markdown] lang="{language}" description="..."'
        )
    return found[0]


class TaskMarkupError(ValueError):
    """A code cell of a source is neither set-up nor a solution with instructions."""


def is_setup(cell) -> bool:
    return cell.cell_type == "code" and SETUP in cell.metadata.get("tags", [])


def instructions(notebook: nbformat.NotebookNode, name: str) -> dict[int, dict]:
    """Per solution code cell (by index in the source) its instruction per language.

    Raises TaskMarkupError for a code cell that is neither set-up nor carries an
    instruction in every language: the task notebook would have a hole there.
    """
    found = {}
    number = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or backends.is_backend_cell(cell):
            continue
        number += 1  # as the source counts: without the generated backend cell
        keys = [TASK_KEY.format(language=language) for language in LANGUAGES]
        given = {k: cell.metadata.get(k, "").strip() for k in keys}
        if is_setup(cell):
            if any(given.values()):
                raise TaskMarkupError(
                    f"snippets/exercises/{name}, code cell {number}: a set-up cell "
                    "has an instruction; a cell is either set-up (kept in the task "
                    "notebook) or a solution (replaced by its instruction)."
                )
            continue
        missing = [k for k, text in given.items() if not text]
        if missing:
            first = (cell.source.strip().splitlines() or [""])[0]
            raise TaskMarkupError(
                f"snippets/exercises/{name}, code cell {number} ({first!r}) has no "
                f"{' and no '.join(missing)}: give every solution code cell its "
                'instruction per language in its header, # %% task_de="..." '
                'task_en="...", or mark a set-up cell # %% tags=["setup"].'
            )
        found[index] = {
            language: given[TASK_KEY.format(language=language)]
            for language in LANGUAGES
        }
    return found


def instruction_comment(text: str) -> str:
    """The instruction as comment lines of at most COMMENT_WIDTH columns; a number
    and its unit stay on one line ("75 %")."""
    glue = "\0"  # not whitespace to textwrap, so no line break there
    words = " ".join(text.split()).replace(" %", f"{glue}%")
    wrapped = textwrap.fill(
        words,
        width=COMMENT_WIDTH,
        initial_indent="# ",
        subsequent_indent="# ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapped.replace(glue, " ")


def task_version(
    notebook: nbformat.NotebookNode, language: str, name: str
) -> nbformat.NotebookNode:
    """The task notebook of `language`: the task prose (prose cells not tagged
    `solution`), the set-up cells, and for each solution code cell an empty code
    cell holding only its instruction as a comment; no outputs, no execution counts.
    The cells keep the ids of the source, so the file is the same on every run."""
    steps = instructions(notebook, name)
    version = copy.deepcopy(notebook)
    cells = []
    for index, cell in enumerate(version.cells):
        if cell.cell_type == "markdown":
            if cell.metadata.get("lang", language) != language:
                continue
            if SOLUTION in cell.metadata.get("tags", []):
                continue
            cell.metadata = {}
        elif cell.cell_type == "code":
            if index in steps:
                cell.source = instruction_comment(steps[index][language])
            cell.metadata = {"tags": [SETUP]} if is_setup(cell) else {}
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    version.cells = cells
    version.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": notebook.metadata.get("language_info", {"name": "python"}),
    }
    return version


def task_versions(
    notebook: nbformat.NotebookNode, name: str
) -> dict[str, nbformat.NotebookNode]:
    return {language: task_version(notebook, language, name) for language in LANGUAGES}


class BackendMismatch(RuntimeError):
    """A notebook ran on another backend than its first cell names."""


def _start_kernel(workdir: str):
    """A kernel in `workdir` with this process's environment minus KERAS_BACKEND:
    the notebook's first cell chooses the backend, as in a reader's kernel."""
    from jupyter_client.manager import KernelManager

    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    manager = KernelManager(kernel_name=KERNEL)
    manager.start_kernel(cwd=workdir, env=env)
    return manager


def _shared_kernel():
    global _kernel
    if _kernel is None:
        workdir = tempfile.mkdtemp(prefix="spickzettel-kernel-")
        _kernel = (_start_kernel(workdir), workdir)
    return _kernel


def shutdown_kernel() -> None:
    global _kernel, _kernel_used
    if _kernel is not None:
        manager, _ = _kernel
        manager.shutdown_kernel(now=True)
        _kernel, _kernel_used = None, False


atexit.register(shutdown_kernel)


def _run(notebook: nbformat.NotebookNode, manager, workdir: str) -> int:
    client = NotebookClient(
        notebook,
        km=manager,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        record_timing=False,  # no timestamps: the written files stay diffable
        resources={"metadata": {"path": workdir}},
    )
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    named = next(
        (backends.named_in(c.source) for c in notebook.cells if c.cell_type == "code"),
        None,
    )
    if named is not None:
        check = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(BACKEND_CHECK)]
        )
        _run(check, manager, workdir)
        ran_on = "".join(o.get("text", "") for o in check.cells[0].outputs)
        if ran_on != named:
            raise BackendMismatch(
                f"the notebook's first cell names {named!r}, but Keras ran on "
                f"{ran_on!r}: something imported keras before that cell"
            )
    return client.code_cells_executed


def execute_fresh(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every code cell in a kernel of its own, started for this notebook in an
    empty folder and shut down after it; a failing cell raises CellExecutionError."""
    with tempfile.TemporaryDirectory(prefix="spickzettel-kernel-") as workdir:
        manager = _start_kernel(workdir)
        try:
            _run(notebook, manager, workdir)
        finally:
            manager.shutdown_kernel(now=True)
    return notebook


def execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every code cell; a failing cell raises CellExecutionError."""
    global _kernel_used
    if os.environ.get("KERAS_SPICKZETTEL_FRESH_KERNELS") == "1":
        return execute_fresh(notebook)
    manager, workdir = _shared_kernel()
    if _kernel_used:
        _run(
            nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RESET)]),
            manager,
            workdir,
        )
    _kernel_used = True
    _run(notebook, manager, workdir)
    return notebook


class TaskRunError(RuntimeError):
    """A cell of a task notebook failed in a fresh kernel."""


def run_task(source: Path, task: nbformat.NotebookNode) -> int:
    """Execute a copy of a task notebook in a fresh kernel, as a learner's download
    runs; the written file stays without outputs. Returns the code cells run."""
    ran = copy.deepcopy(task)
    language = TASK_RUN_LANGUAGE
    file = task_notebooks(source.name)[language].name
    try:
        execute_fresh(ran)
    except CellExecutionError as error:
        numbers = [
            n
            for n, cell in enumerate(
                (c for c in ran.cells if c.cell_type == "code"), start=1
            )
            if any(output.output_type == "error" for output in cell.outputs)
        ]
        where = f"code cell {numbers[0]}" if numbers else "a cell"
        raise TaskRunError(
            f"{file} (task notebook of snippets/exercises/{source.name}): {where} "
            f"failed in a fresh kernel\n{error}"
        ) from error
    return code_cell_count(ran)


def clear_outputs(source: Path) -> None:
    """Remove what a run writes first: a failed run must not leave old files."""
    for path in notebook_files(source.name):
        path.unlink(missing_ok=True)
    shutil.rmtree(notebook_figure_dir(source.name), ignore_errors=True)


def write_languages(
    source: Path,
    notebook: nbformat.NotebookNode,
    tasks: dict[str, nbformat.NotebookNode],
) -> None:
    """Per language the executed notebook, the task notebook and the page; the
    figures once."""
    pages = layout.notebook_pages(source.name)
    for language, path in task_notebooks(source.name).items():
        nbformat.validate(tasks[language])
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(tasks[language], path)
    figures: dict[str, bytes] = {}
    for language, path in notebook_outputs(source.name).items():
        version = language_version(notebook, language)
        nbformat.validate(version)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(version, path)
        text, drawn = notebook_pages.render(
            version, language, source.stem, description(notebook, language)
        )
        pages[language].write_text(text, encoding="utf-8")
        figures.update(drawn)
    folder = notebook_figure_dir(source.name)
    folder.mkdir(parents=True, exist_ok=True)
    for name, png in figures.items():
        (folder / name).write_bytes(png)


def code_cell_count(notebook: nbformat.NotebookNode) -> int:
    return sum(cell.cell_type == "code" for cell in notebook.cells)


def executed_ok(notebook: nbformat.NotebookNode) -> int:
    """Code cells that ran and produced no error output."""
    return sum(
        cell.cell_type == "code"
        and cell.execution_count is not None
        and not any(output.output_type == "error" for output in cell.outputs)
        for cell in notebook.cells
    )


__all__ = [
    "LANGUAGES",
    "BackendMismatch",
    "CellExecutionError",
    "TaskMarkupError",
    "TaskRunError",
    "clear_outputs",
    "code_cell_count",
    "execute",
    "execute_fresh",
    "executed_ok",
    "instructions",
    "is_folder",
    "language_version",
    "read_source",
    "run_task",
    "shutdown_kernel",
    "sources",
    "task_version",
    "task_versions",
    "write_languages",
]
