"""Exercise notebooks: one source, executed once, written out in both languages.

Each exercise is a jupytext percent-format file snippets/exercises/<name>.py:

- `# %%` code cells belong to both languages (so they cannot drift apart);
- `# %% [markdown] lang="de"` / `lang="en"` prose cells belong to one language,
  each German cell directly followed by its English counterpart;
- markdown cells tagged `solution` (and every code cell) are folded away on the
  page (spickzettel/notebook_pages.py); untagged prose (the task) stays visible;
- a code cell that draws a figure carries its alt text per language in its
  header: `# %% alt_de="..." alt_en="..."`.

The test run executes the source once with nbclient and writes, per language, the
executed notebook, outputs and figures included, as docs/<language>/exercises/
<name>.ipynb (the download) and its Markdown page docs/<language>/exercises/
<name>.md, with the figures as files in docs/figures/exercises/<name>/
(spickzettel/notebook_pages.py). The build renders the pages like every other page
and never executes anything; spickzettel/record.py makes it refuse stale ones.

Kernels are expensive here (importing TensorFlow takes seconds), so a test process
keeps one kernel and clears its namespace (`%reset -f`) between notebooks. Set
KERAS_SPICKZETTEL_FRESH_KERNELS=1 to give every notebook a kernel of its own, which
is what a reader's download meets.
"""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from spickzettel import notebook_pages
from spickzettel import record as vr
from spickzettel.record import (
    EXERCISES,
    LANGUAGES,
    notebook_figure_dir,
    notebook_outputs,
    notebook_sources,
)

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

_kernel = None  # (KernelManager, working directory) shared by this process
_kernel_used = False


def is_folder(path: Path) -> bool:
    return path == EXERCISES


def sources() -> list[Path]:
    return notebook_sources()


def read_source(path: Path) -> nbformat.NotebookNode:
    notebook = jupytext.read(path, fmt="py:percent")
    # Stable cell ids: code cells keep the same id in both languages.
    for index, cell in enumerate(notebook.cells):
        cell.id = f"{path.stem}-{index:03d}"
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
        # A figure's alt text, one per language in the source: `alt_de`, `alt_en`.
        alts = {key: cell.metadata.pop(f"alt_{key}", None) for key in LANGUAGES}
        if alts[language]:
            cell.metadata["alt"] = alts[language]
    version.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": notebook.metadata.get("language_info", {"name": "python"}),
    }
    return version


def _shared_kernel():
    global _kernel
    if _kernel is None:
        from jupyter_client.manager import KernelManager

        workdir = tempfile.mkdtemp(prefix="spickzettel-kernel-")
        manager = KernelManager(kernel_name=KERNEL)
        manager.start_kernel(cwd=workdir, env=dict(os.environ))
        _kernel = (manager, workdir)
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
    return client.code_cells_executed


def execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run every code cell; a failing cell raises CellExecutionError."""
    global _kernel_used
    if os.environ.get("KERAS_SPICKZETTEL_FRESH_KERNELS") == "1":
        with tempfile.TemporaryDirectory(prefix="spickzettel-kernel-") as workdir:
            _run(notebook, None, workdir)
        return notebook
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


def clear_outputs(source: Path) -> None:
    """Remove what a run writes first: a failed run must not leave old files."""
    for path in [
        *notebook_outputs(source.name).values(),
        *vr.notebook_pages(source.name).values(),
    ]:
        path.unlink(missing_ok=True)
    shutil.rmtree(notebook_figure_dir(source.name), ignore_errors=True)


def write_languages(source: Path, notebook: nbformat.NotebookNode) -> None:
    """Per language the executed notebook and its page; the figures once."""
    pages = vr.notebook_pages(source.name)
    figures: dict[str, bytes] = {}
    for language, path in notebook_outputs(source.name).items():
        version = language_version(notebook, language)
        nbformat.validate(version)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(version, path)
        text, drawn = notebook_pages.render(version, language, source.stem)
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
    "CellExecutionError",
    "clear_outputs",
    "code_cell_count",
    "execute",
    "executed_ok",
    "is_folder",
    "language_version",
    "read_source",
    "shutdown_kernel",
    "sources",
    "write_languages",
]
