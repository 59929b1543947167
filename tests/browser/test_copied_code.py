"""A reader's copy-and-paste workflow: a page's copied blocks, in order, as a script.

That every copy button gives exactly the code Sybil executed, in file order, is
read from the built files (tests/test_built_pages.py); that a topic's notebook is
the page's copied blocks, one per code cell, is tests/test_page_notebooks.py. Here
the notebook really runs, in a fresh Jupyter kernel: for every topic whose pages,
notebooks or snippets changed since this checkout last ran it or put it off for
the budget (tests/verdicts.py keeps a pass while they hold; CI and FRESH=1 run
every topic), and for topics this checkout never ran, the cheap ones (in the
order of the execution time the verification record holds, within
RUN_BUDGET_SECONDS; the cheapest one runs whenever no kernel start-up has been
measured on this machine):
every cell must print exactly the output the page shows under its block (compared
as doctest does, with ELLIPSIS and NORMALIZE_WHITESPACE). One language is run: the
code cells of both are the same blocks. A topic beyond the budget is skipped with
its estimate shown; the estimate is its recorded execution time plus the kernel
start-up measured on this machine by the runs before it.

Each topic runs once per Keras backend, as a reader who changes the notebook's
first cell runs it (spickzettel/core/backends.py): that cell is rewritten to the
backend, the kernel gets no KERAS_BACKEND of its own, and afterwards Keras in the
kernel must say it ran on that backend. TensorFlow's run must print what the page
shows; another backend's what the snippet declares for it (its `[backend: ...]`
section, spickzettel/core/output_variants.py, else the same). Code that differs by
backend (content tabs) is in the notebook in TensorFlow's version; on another
backend its cell gets that backend's tab, as the reader who chose it copies it.
The only help the kernel gets is the hand-off of the offline California
housing file for machines without internet (spickzettel.verify.datasets, through a
sitecustomize module in the environment the kernel inherits; with internet,
Keras downloads as for any reader), and one thread per library, as in the verify
run (tests/conftest.py: two kernels share the two cores; the outputs are the same).
Once its last cell has printed, the kernel is stopped at once, as the verify run
stops its kernels, with its temporary folder (TMPDIR) inside the test's own.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import textwrap
import time
from collections import defaultdict
from functools import cache

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from spickzettel.build.page_notebooks import section_blocks
from spickzettel.core import backends
from spickzettel.core.paths import DEFAULT_LANGUAGE, ROOT, SITE
from spickzettel.core.record import RECORD_PATH, record_path
from tests import verdicts
from tests.browser.site import built_pages, included_blocks, includes, shown_output
from tests.built_site import blocks_seen_on, linked_notebook

pytestmark = pytest.mark.browser

# Re-running topics costs their execution time plus a kernel/TensorFlow start-up.
# CI, which has no three-minute budget, sets the variable to "inf": every topic runs.
RUN_BUDGET_SECONDS = float(os.environ.get(verdicts.BUDGETS, 10))
# JAX and PyTorch have a budget of their own each (CI: "inf", every topic on each):
# locally every block already ran on them in `make verify`, and what a page notebook
# adds there (a reader's fresh kernel, the first cell rewritten) is shown by the
# cheapest topic on each; CI runs them all.
OTHER_BACKENDS_BUDGET_SECONDS = float(
    os.environ.get(f"{verdicts.BUDGETS}_OTHER_BACKENDS", 10)
)
# Seconds a fresh kernel took beyond the topic's recorded execution (the kernel,
# the imports and first calls), measured by each run of this process, per
# backend, and the last such measurement on this machine
# (kernel-start-up.<backend>.json beside the verdicts), so that the budget can
# decide without a run. Without any measurement the backend's cheapest topic
# runs and measures it.
_startup_seconds: dict[str, list[float]] = defaultdict(list)
_spent_seconds: dict[str, list[float]] = defaultdict(list)
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# TensorFlow's Python logger writes to stdout in an interactive shell such as a
# Jupyter kernel (tensorflow/python/platform/tf_logging.py), to stderr in a script:
# its records ("WARNING:tensorflow:5 out of the last 5 calls ... retracing") are
# TensorFlow's log, not what the page's code prints.
TF_LOG_RECORD = re.compile(r"^(?:DEBUG|INFO|WARNING|ERROR):tensorflow:.*\n?", re.M)
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


# ---- running the copied code ------------------------------------------------------


@cache  # asked once per item by the verdict cache; site/ does not change in a run
def topics() -> dict[str, list]:
    """Pages built from snippets, grouped by topic (the same page in each language).

    Exercise pages are not among them: their notebooks' code and outputs come from
    a kernel run of the whole notebook (spickzettel/verify/notebooks.py)."""
    grouped = defaultdict(list)
    for page in built_pages():
        if page.notebook is None and included_blocks(page):
            grouped[page.slug.rstrip("/")].append(page)
    return dict(grouped)


def recorded_seconds(pages, backend: str = backends.PRIMARY) -> float:
    """The execution time the verified run on `backend` recorded for the topic's
    snippets."""
    path = record_path(backend)
    record = json.loads(path.read_text(encoding="utf-8"))["snippets"]
    files = {file for file, _ in includes(pages[0].source)}
    return sum(record[f].get("seconds", 0.0) for f in files)


def topics_by_cost() -> list:
    """Every topic on every backend, cheapest topic first, each on TensorFlow, JAX,
    PyTorch (the same on every xdist worker: the record). Each backend's runs are
    a unit of their own for xdist (tests/scheduling.py): one worker runs them in
    this order and keeps that backend's budget, while the other runs the other
    backends' kernels and the other tests."""
    if not (SITE / "index.html").is_file() or not RECORD_PATH.is_file():
        return [pytest.param(None, None, id="site-not-built")]
    costs = sorted((recorded_seconds(pages), slug) for slug, pages in topics().items())
    return [
        pytest.param(slug, backend, id=f"{slug}-{backend}")
        for _, slug in costs
        for backend in backends.BACKENDS
    ] or [pytest.param(None, None, id="no-topic-built-from-snippets")]


def topic_pages(slug):
    """What the notebook run reads (tests/verdicts.py): the topic's pages in both
    languages (with their notebooks and snippet files) and the data hand-off."""
    return [*topics().get(slug, []), ROOT / "spickzettel" / "verify" / "datasets.py"]


def budget(backend: str) -> float:
    if backends.is_primary(backend):
        return RUN_BUDGET_SECONDS
    return OTHER_BACKENDS_BUDGET_SECONDS


def startup_file(backend: str):
    return verdicts.VERDICTS / f"kernel-start-up.{backend}.json"


def measured_startup(backend: str) -> float | None:
    """A fresh kernel's start-up on `backend`: this run's slowest, else the one an
    earlier run measured on this machine, else None."""
    if _startup_seconds.get(backend):
        return max(_startup_seconds[backend])
    try:
        return float(json.loads(startup_file(backend).read_text())["seconds"])
    except (FileNotFoundError, ValueError, KeyError):
        return None


def remember_startup(backend: str) -> None:
    startup_file(backend).parent.mkdir(parents=True, exist_ok=True)
    seconds = max(_startup_seconds[backend])
    startup_file(backend).write_text(json.dumps({"seconds": seconds}), "utf-8")


def within_budget(pages, backend: str, item) -> None:
    """Skip (saying why) a topic whose estimate would overrun its backend's budget
    (the time spent on that backend counts against it), and note its inputs, so
    that it runs once they change (verdicts.defer)."""
    startup = measured_startup(backend)
    if startup is None:
        return  # no measurement yet: this topic runs, and measures the start-up
    estimate = startup + recorded_seconds(pages, backend)
    spent = sum(_spent_seconds[backend])
    if spent + estimate > budget(backend):
        variable = verdicts.BUDGETS + (
            "" if backends.is_primary(backend) else "_OTHER_BACKENDS"
        )
        verdicts.defer(item)
        pytest.skip(
            f"beyond the copy-run budget on {backend}: ~{estimate:.0f} s (kernel "
            f"start-up {startup:.1f} s measured on this machine + recorded "
            "execution), "
            f"{spent:.0f} of {budget(backend):.0f} s spent ({variable})"
        )


SITECUSTOMIZE = """\
# Test harness, not part of the copied code: CI has no internet, so Keras gets the
# checked offline copy of California housing in place of the download, without
# importing Keras here (the notebook's first cell chooses its backend).
import sys
sys.path.insert(0, {root!r})
from spickzettel.verify.datasets import install_offline_california_on_import
install_offline_california_on_import()
sys.path.remove({root!r})
"""


def printed_text(cell) -> str:
    """What a cell printed, as text, in order: its stdout without TensorFlow's log
    records, and the text of what it displayed without a picture (in Jupyter,
    rich shows Keras' model.summary() as displays, not on stdout), without the
    terminal colour codes."""
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream" and output.name == "stdout":
            parts.append(TF_LOG_RECORD.sub("", output.text))
        elif output.output_type == "display_data" and not any(
            kind.startswith("image/") for kind in output.data
        ):
            text = output.data.get("text/plain", "")
            parts.append(text if text.endswith("\n") else text + "\n")
    return ANSI_COLOUR.sub("", "".join(parts))


def snippet_blocks_on(page, backend: str) -> list:
    """Per block the page shows, in order, the snippet block `backend`'s run
    executed: its tab where the code differs by backend (one walk of the page's
    includes)."""
    return [
        block
        for file, section in includes(page.source)
        for block in section_blocks(file, section, backend)
    ]


def expected_outputs(page, backend: str, blocks: list) -> list[str]:
    """Per block, what the run on `backend` must print: the page's output on the
    primary backend; on another, the snippet's section for it (or the shared one),
    from `blocks` (snippet_blocks_on the page for `backend`)."""
    # The notebook holds TensorFlow's version of a block that differs by backend.
    primary = blocks_seen_on(page, backends.PRIMARY)
    shown = [shown_output(block.shown) for block in primary]
    if backends.is_primary(backend):
        return shown
    declared = [block.output for block in blocks]
    assert len(declared) == len(shown), f"{page}: blocks and snippets differ"
    return declared


BACKEND_CHECK = "import keras\nprint(keras.backend.backend(), end='')"


@pytest.mark.reads(pages=topic_pages)
@pytest.mark.parametrize(("slug", "backend"), topics_by_cost())
def test_copied_code_runs_and_prints_what_the_page_shows(
    slug, backend, tmp_path, monkeypatch, request
):
    """The topic's notebook (spickzettel/build/page_notebooks.py) is the page's copied
    blocks, one per code cell, in order, in every language
    (tests/test_page_notebooks.py): running it in a fresh kernel IS running the
    copied code. Every cell must print what the page shows under its block
    (printed_text), or on JAX and PyTorch what the snippet declares for them."""
    assert slug is not None, "no page built from snippets to run"
    pages = topics()[slug]
    if not verdicts.owed_a_run(request.node) or not backends.is_primary(backend):
        within_budget(pages, backend, request.node)
    names = f"{', '.join(str(page) for page in pages)} on {backend}"
    page = next(p for p in pages if p.language == DEFAULT_LANGUAGE)
    path = linked_notebook(page)
    assert path is not None and path.is_file(), f"{page}: no notebook in site/"
    notebook = nbformat.read(path, as_version=4)
    mine = snippet_blocks_on(page, backend)
    want = expected_outputs(page, backend, mine)
    first, *cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert backends.named_in(first.source) == backends.PRIMARY, (
        f"{page}: the notebook's first cell does not set the backend"
    )
    first.source = backends.backend_cell(backend)  # as a reader edits it
    # A reader of another backend copies that backend's tab where the code differs
    # (every other cell stays the notebook's own).
    primary = (
        mine
        if backends.is_primary(backend)
        else snippet_blocks_on(page, backends.PRIMARY)
    )
    for cell, tab, block in zip(cells, primary, mine, strict=True):
        if block.code != tab.code:
            cell.source = block.code
    check = nbformat.v4.new_code_cell(BACKEND_CHECK)
    notebook.cells.append(check)
    for cell in [first, *cells]:
        cell.outputs = []

    # The kernel inherits this environment (jupyter_client starts it with a copy).
    if any("california_housing" in cell.source for cell in cells):
        (tmp_path / "sitecustomize.py").write_text(
            SITECUSTOMIZE.format(root=str(ROOT)), encoding="utf-8"
        )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    monkeypatch.delenv("KERAS_BACKEND", raising=False)  # the first cell chooses
    # What a cell leaves for Python's exit (a TemporaryDirectory) stays in the
    # test's own folder: the kernel is stopped at once after the last cell.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(tmp_path)}},
        # Every output is in by then; a graceful stop would wait 1.5-2 s per
        # kernel for TensorFlow's or PyTorch's teardown (the verify run's kernels
        # stop at once too).
        shutdown_kernel="immediate",
    )
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(
            f"{names}: the notebook fails in a fresh kernel:\n"
            + textwrap.indent(str(error)[-3000:], "  ")
        )
    wall = time.monotonic() - started
    _spent_seconds[backend].append(wall)
    # Beyond the recorded execution: the kernel, the imports (the verify run
    # imports once per process) and the first calls, as the estimate needs it.
    _startup_seconds[backend].append(max(0.0, wall - recorded_seconds(pages, backend)))
    remember_startup(backend)
    ran_on = "".join(output.get("text", "") for output in check.outputs)
    assert ran_on == backend, f"{names}: Keras ran on {ran_on!r}"
    checker = doctest.OutputChecker()
    for number, (cell, expected) in enumerate(zip(cells, want, strict=True), 1):
        got = printed_text(cell)
        if not checker.check_output(expected, got, DOCTEST_FLAGS):
            example = doctest.Example(cell.source, expected)
            diff = checker.output_difference(example, got, DOCTEST_FLAGS)
            pytest.fail(
                f"{names}: code cell {number} prints other output than the page "
                f"shows under that block:\n{textwrap.indent(cell.source, '  ')}\n{diff}"
            )
