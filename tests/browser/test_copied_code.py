"""A reader's copy-and-paste workflow: a page's copied blocks, in order, as a script.

Two checks, because re-running every page would cost as much as the whole snippet
run again and the test command must stay under three minutes:

1. For every page (no browser needed): the code its copy buttons give (the HTML's
   data-copy text; page_checks.py proves the clipboard gives the same) is exactly
   the code Sybil executed, and the page includes every block of its snippet files,
   each once and in file order. Then running the page's copied blocks in order IS
   the verified run of those files, apart from the harness set-up.
2. For every topic whose pages, notebooks or snippets changed since this checkout
   last ran it (tests/verdicts.py keeps a pass while they hold; CI, and FRESH=1,
   run every topic), and, for topics this checkout never ran, the cheap ones (by
   the execution time the verification record holds, within RUN_BUDGET_SECONDS,
   and always the cheapest): the topic's notebook, which the page offers for
   download and whose code cells are its copied blocks in order, really runs in a
   fresh Jupyter kernel, and every cell prints exactly the output the page shows
   under its block (compared as doctest does, with ELLIPSIS and
   NORMALIZE_WHITESPACE). One language is run: the code cells of both are the
   same blocks. The only help the kernel gets is the hand-off of the offline
   California housing file for machines without internet
   (spickzettel.verify.datasets, through a sitecustomize module in the
   environment the kernel inherits; with internet, Keras downloads as for any
   reader).
"""

from __future__ import annotations

import doctest
import json
import os
import re
import textwrap
import time
from collections import defaultdict

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from spickzettel.core.pages import shown_on_pages
from spickzettel.core.paths import DEFAULT_LANGUAGE, ROOT, SITE
from spickzettel.core.record import RECORD_PATH
from tests import verdicts
from tests.browser.site import (
    built_pages,
    copy_text,
    included_blocks,
    includes,
    linked_notebook,
    page_params,
    rendered_blocks,
    shown_output,
    snippet_blocks,
)

pytestmark = pytest.mark.browser

# The pages that show executed code. The others (home, glossary) include no snippets;
# tests/test_guard.py holds that no page owns code of its own.
PAGES = [
    param
    for param in page_params()
    if param.values[0] is None or included_blocks(param.values[0]) is not None
]
# Re-running topics costs their execution time plus a kernel/TensorFlow start-up.
# CI, which has no three-minute budget, sets the variable to "inf": every topic runs.
RUN_BUDGET_SECONDS = float(os.environ.get("KERAS_SPICKZETTEL_COPY_RUN_BUDGET", 10))
# A fresh Jupyter kernel importing keras (measured: about 1 s more than a plain
# Python process, which the subprocess run of earlier versions took as 6 s).
STARTUP_SECONDS = 7
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# TensorFlow's Python logger writes to stdout in an interactive shell such as a
# Jupyter kernel (tensorflow/python/platform/tf_logging.py), to stderr in a script:
# its records ("WARNING:tensorflow:5 out of the last 5 calls ... retracing") are
# TensorFlow's log, not what the page's code prints.
TF_LOG_RECORD = re.compile(r"^(?:DEBUG|INFO|WARNING|ERROR):tensorflow:.*\n?", re.M)
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.reads("page")
@pytest.mark.parametrize("page", PAGES)
def test_copied_code_is_the_executed_code_whole_and_in_order(page):
    executed = included_blocks(page)
    copied = [block.copied for block in rendered_blocks(page)]
    assert copied == [copy_text(block.code) for block in executed], (
        f"{page}: the copy texts in the HTML are not the code Sybil executed for "
        f"{[block.name for block in executed]}"
    )
    shown = includes(page.source)
    for file in dict.fromkeys(file for file, _ in shown):
        in_file = [
            block.section
            for block in snippet_blocks(file)
            if shown_on_pages(block.section)  # not the diagram-drawing sections
        ]
        on_page = [section for f, section in shown if f == file]
        if on_page == [None]:
            continue  # the whole file is included
        assert on_page == list(dict.fromkeys(in_file)), (
            f"{page} includes the sections {on_page} of snippets/{file}, which "
            f"executes {list(dict.fromkeys(in_file))} in this order: copying the "
            "page's blocks in order would not reproduce the verified run"
        )


# ---- running the copied code ------------------------------------------------------


def topics() -> dict[str, list]:
    """Pages built from snippets, grouped by topic (the same page in each language).

    Exercise pages are not among them: their notebooks' code and outputs come from
    a kernel run of the whole notebook (spickzettel/verify/notebooks.py)."""
    grouped = defaultdict(list)
    for page in built_pages():
        if page.notebook is None and included_blocks(page):
            grouped[page.slug.rstrip("/")].append(page)
    return dict(grouped)


def estimated_seconds(pages) -> float:
    record = json.loads(RECORD_PATH.read_text(encoding="utf-8"))["snippets"]
    files = {file for file, _ in includes(pages[0].source)}
    return STARTUP_SECONDS + sum(record[f].get("seconds", 0.0) for f in files)


def topics_by_cost() -> list:
    """Every topic, cheapest first (the same on every xdist worker: the record)."""
    if not (SITE / "index.html").is_file() or not RECORD_PATH.is_file():
        return [pytest.param(None, id="site-not-built")]
    costs = sorted((estimated_seconds(pages), slug) for slug, pages in topics().items())
    # The id is the slug alone: the verdict cache knows an item by its node id.
    return [pytest.param(slug, id=slug) for _, slug in costs]


_spent_seconds: list[float] = []


def within_budget(pages) -> None:
    """A topic this checkout never ran waits for the budget (the cheapest runs
    first, and always); one that ran before runs whenever its inputs changed."""
    estimate = estimated_seconds(pages)
    spent = sum(_spent_seconds)
    if _spent_seconds and spent + estimate > RUN_BUDGET_SECONDS:
        pytest.skip(
            f"not run here yet, beyond the copy-run budget: ~{estimate:.0f} s, "
            f"{spent:.0f} of {RUN_BUDGET_SECONDS:.0f} s spent; CI runs every topic"
            " (KERAS_SPICKZETTEL_COPY_RUN_BUDGET=inf)"
        )


def topic_pages(slug):
    """What the notebook run reads (tests/verdicts.py): the topic's pages in both
    languages (with their notebooks and snippet files) and the data hand-off."""
    return [*topics()[slug], ROOT / "spickzettel" / "verify" / "datasets.py"]


SITECUSTOMIZE = """\
# Test harness, not part of the copied code: CI has no internet, so Keras gets the
# checked offline copy of California housing in place of the download.
import sys
sys.path.insert(0, {root!r})
from spickzettel.verify.datasets import install_offline_california
install_offline_california()
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


@pytest.mark.reads(pages=topic_pages)
@pytest.mark.parametrize("slug", topics_by_cost())
def test_copied_code_runs_and_prints_what_the_page_shows(
    slug, tmp_path, monkeypatch, request
):
    """The topic's notebook (spickzettel/build/page_notebooks.py) is the page's copied
    blocks, one per code cell, in order, in every language (checked here, and
    tests/browser/test_page_notebooks.py shows that the languages' cells are the
    same): running it in a fresh kernel IS running the copied code. Every cell
    must print what the page shows under its block (printed_text)."""
    assert slug is not None, "no page built from snippets to run"
    pages = topics()[slug]
    if not verdicts.seen_before(request.node):
        within_budget(pages)
    started = time.perf_counter()
    names = ", ".join(str(page) for page in pages)
    notebooks = {}
    for page in pages:
        path = linked_notebook(page)
        assert path is not None and path.is_file(), f"{page}: no notebook in site/"
        notebook = nbformat.read(path, as_version=4)
        code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        assert code == [block.copied for block in rendered_blocks(page)], (
            f"{page}: {path.name} is not the page's copied blocks"
        )
        notebooks[page.language] = notebook
    page = next(p for p in pages if p.language == DEFAULT_LANGUAGE)
    notebook = notebooks[page.language]
    want = [shown_output(block.shown) for block in rendered_blocks(page)]
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for cell in cells:
        cell.outputs = []

    # The kernel inherits this environment (jupyter_client starts it with a copy).
    if any("california_housing" in cell.source for cell in cells):
        (tmp_path / "sitecustomize.py").write_text(
            SITECUSTOMIZE.format(root=str(ROOT)), encoding="utf-8"
        )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
        _spent_seconds.append(time.perf_counter() - started)
    except CellExecutionError as error:
        pytest.fail(
            f"{names}: the notebook fails in a fresh kernel:\n"
            + textwrap.indent(str(error)[-3000:], "  ")
        )
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
