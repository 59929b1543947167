"""Pytest plugin: Sybil executes every Markdown file in snippets/ and docs/.

Loaded by name, only by the verify command (`-p spickzettel.verify.pytest_plugin`:
make verify, make refresh, the tests' sandboxed runs), never into `make tests`; as
a plugin it collects outside tests/.
It also collects the exercise notebooks snippets/exercises/*.py (one item each,
spickzettel/verify/notebook_items.py). At the end of a run it writes the verification
record that `mkdocs build` checks (spickzettel/core/record.py): per
snippet file, the examples executed and passed, the file's hash and the hashes of
the figures it wrote; per notebook, its hash, its code cells and the hashes of the
notebooks it wrote.

With `--update-outputs` (`make refresh`) it instead rewrites stale expected outputs
in place (spickzettel/verify/update_outputs.py), lists the files it changed, and writes
no record: the files changed, so they must be verified again. Notebooks have no
expected outputs to rewrite; update mode leaves them out.
"""

from __future__ import annotations

import doctest
import os
from datetime import date
from pathlib import Path

# Quiet TensorFlow's C++ start-up chatter; it is not part of any expected output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import nbformat
import pytest
from sybil import Document, Sybil
from sybil.parsers.markdown import ClearNamespaceParser

from spickzettel.core import backends, layout
from spickzettel.core import record as vr
from spickzettel.verify import (
    cache,
    document_env,
    notebook_items,
    notebooks,
    update_outputs,
)
from spickzettel.verify.sybil_parsers import HonestSkipParser, PythonFenceParser

# One thread per library in each process: the run has a worker per core (xdist).
# Set in the controller, before its workers and their kernels start and import a
# backend: they inherit the environment.
backends.use_one_thread_each()
backends.compile_once()

DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class MarkdownDocument(Document):
    """A document whose namespace knows its file, like a script's `__file__`."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.namespace["__file__"] = path


def parsers(backend: str | None = None):
    """The verify run's parsers, collecting `backend`'s examples (default: the
    running backend's)."""
    return [
        PythonFenceParser(doctest_optionflags=DOCTEST_FLAGS, backend=backend),
        HonestSkipParser(),
        ClearNamespaceParser(),
    ]


def make_sybil(folder: Path) -> Sybil:
    return Sybil(
        parsers=parsers(),
        path=str(folder),  # absolute: a relative path silently matches nothing
        patterns=["*.md"],
        setup=document_env.begin,
        teardown=document_env.end,
        document_types={".md": MarkdownDocument},
        name=folder.name,
    )


_collect_with_sybil = (make_sybil(layout.SNIPPETS) + make_sybil(layout.DOCS)).pytest()


def pytest_collect_file(file_path, parent):
    if layout.is_notebook_page(file_path):
        # Written by the run of its notebook, whose kernel executed this code.
        return None
    if file_path.parent == layout.SNIPPETS and not update_outputs.enabled:
        entry = cache.lookup(file_path)
        if entry is not None:
            return notebook_items.CachedFile.from_parent(
                parent, path=file_path, entry=entry
            )
    return _collect_with_sybil(file_path, parent)


def pytest_collect_directory(path, parent):
    if notebooks.is_folder(path) and not update_outputs.enabled:
        return notebook_items.NotebookFolder.from_parent(parent, path=path)
    return None


def pytest_collection_modifyitems(items):
    # The notebooks are the longest unit by far (one kernel, all four in a row):
    # started first, the other worker runs every snippet file meanwhile, instead of
    # waiting alone at the end while the notebooks still run. Stable sort: each
    # file's examples keep their order.
    items.sort(key=lambda item: not isinstance(item, notebook_items.NotebookRun))


def pytest_unconfigure(config):
    notebooks.shutdown_kernel()


def count_examples(path: Path) -> int:
    return len(list(MarkdownDocument.parse(str(path), *parsers()).examples()))


# ---- update mode (make refresh) ----------------------------------------------

_updates: list[update_outputs.OutputUpdate] = []
_changed: dict[Path, list[update_outputs.OutputUpdate]] = {}
_refused: list[str] = []


def pytest_addoption(parser):
    parser.addoption(
        "--fresh",
        action="store_true",
        help="execute every snippet and notebook, ignoring the verification cache",
    )
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite stale expected outputs in the Markdown files in place with "
        "what the code prints now, and list the files changed (make refresh)",
    )


def pytest_configure(config):
    # Workers get the same command line, so each process sets its own flag.
    update_outputs.enabled = config.getoption("update_outputs", False)
    cache.fresh = config.getoption("fresh", False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    update = getattr(getattr(item, "example", None), "output_update", None)
    if update is not None and call.when == "call":
        # user_properties travel with the report from an xdist worker to the
        # controller, which alone writes the files.
        report.user_properties.append(update_outputs.as_property(update))
    return report


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


# ---- the verification record -------------------------------------------------

_outcomes: dict[str, dict[str, int]] = {}
_notebook_outcomes: dict[str, bool] = {}
_restored: dict[Path, dict] = {}  # unit -> record entry restored from the cache
# Each unit's digest when the run started, before any worker read it: the record
# vouches for the content that was executed, not for what the file holds when the
# run ends (an edit saved meanwhile would otherwise be recorded as verified).
_started: dict[Path, str] = {}
_changed_during_run: list[Path] = []
_kept_last_good: list[Path] = []  # failed units whose last good outputs were put back


def pytest_sessionstart(session):
    if _is_worker(session.config):
        return
    for path in [*layout.snippet_files(), *layout.notebook_sources()]:
        _started[path] = layout.digest(path)
    # The engine and the environment as they are when the run starts (both are
    # memoised): the controller stores results at the end, and an engine file
    # saved meanwhile must not key results the old engine produced.
    cache.engine_digest()
    cache.environment_digest()


def _executed_digest(path: Path) -> str:
    """The digest of what ran; a file changed during the run is noted."""
    started = _started.get(path) or layout.digest(path)
    if layout.digest(path) != started:
        _changed_during_run.append(path)
    return started


def pytest_runtest_logreport(report):
    _updates.extend(update_outputs.from_properties(report.user_properties))
    if notebook_items.is_cached(report.nodeid):
        for name, value in report.user_properties:
            if name == notebook_items.RESTORED and report.passed:
                _restored[layout.ROOT / value["unit"]] = value["entry"]
        return
    file, _, rest = report.nodeid.partition("::")
    if file == "snippets/exercises":  # node ids snippets/exercises::<name>
        name = f"{rest}.py"
        passed = _notebook_outcomes.get(name, True) and not report.failed
        _notebook_outcomes[name] = passed
        return
    if not (file.startswith("snippets/") and file.endswith(".md")):
        return
    outcome = _outcomes.setdefault(
        Path(file).name, {"passed": 0, "failed": 0, "skipped": 0, "seconds": 0.0}
    )
    if report.failed:
        outcome["failed"] += 1
    elif report.skipped:
        outcome["skipped"] += 1
    elif report.when == "call":
        outcome["passed"] += 1
    if report.when == "call":
        # Execution time of the examples (without TensorFlow's import, which the
        # document setup does): tests/browser/ picks the cheap topics to re-run.
        outcome["seconds"] = round(outcome["seconds"] + report.duration, 2)


def pytest_sessionfinish(session, exitstatus):
    if _is_worker(session.config):
        return  # xdist workers report to the controller, which writes the files
    if update_outputs.enabled:
        try:
            _changed.update(update_outputs.apply(_updates))
        except RuntimeError as error:
            _refused.append(str(error))
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return  # no record: the rewritten files must be verified again
    if not (_outcomes or _notebook_outcomes or _restored):
        return
    backend = backends.current()
    try:
        record = vr.load(backend)
    except FileNotFoundError:
        record = {}
    record.setdefault("snippets", {})
    record.setdefault("notebooks", {})
    run = {"date": date.today().isoformat(), "versions": vr.installed_versions()}
    executed: dict[Path, dict] = {}
    for name, outcome in _outcomes.items():
        path = layout.SNIPPETS / name
        executed[path] = {
            "sha256": _executed_digest(path),
            "examples": count_examples(path),
            **outcome,
            # Every backend's own (layout.figure_dir).
            "figures": layout.figure_digests(name),
            **run,
        }
    for name, passed in _notebook_outcomes.items():
        executed[layout.EXERCISES / name] = {**_notebook_entry(name, passed), **run}
    for path, entry in list(executed.items()):
        section = "notebooks" if path.parent == layout.EXERCISES else "snippets"
        # The cache is keyed by the file's bytes now: a file edited during the run
        # would be stored under content that never ran.
        if vr.entry_is_clean(entry) and path not in _changed_during_run:
            cache.store(path, entry, layout.unit_outputs(path))
        elif not vr.entry_is_clean(entry) and cache.last_good(
            path, record[section].get(path.name)
        ):
            # A failed unit moves nothing into place: its last good outputs come
            # back from the cache and its record entry stays (the build refuses
            # the changed file until a run passes).
            cache.restore(path, layout.unit_outputs(path))
            del executed[path]
            _kept_last_good.append(path)
    for path, entry in {**executed, **_restored}.items():
        section = "notebooks" if path.parent == layout.EXERCISES else "snippets"
        record[section][path.name] = entry
    record.pop("date", None)  # older records: one date and version set for all
    record.pop("versions", None)
    vr.save(record, backend)
    if _changed_during_run:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _notebook_entry(name: str, passed: bool) -> dict:
    """What the run left on disk for one notebook; the build compares it again."""
    path = layout.EXERCISES / name
    code_cells = notebooks.code_cell_count(notebooks.read_source(path))
    if not backends.is_primary():
        # Nothing is written on another backend: the item passes only when every
        # cell of the notebook and of its task version ran without error.
        return {
            "sha256": _executed_digest(path),
            "code_cells": code_cells,
            "executed": code_cells if passed else 0,
            "failed": 0 if passed else 1,
            "outputs": {},
        }
    outputs = layout.notebook_digests(name)
    executed = 0
    if passed and all(outputs.values()):
        written = nbformat.read(layout.notebook_outputs(name)["de"], as_version=4)
        executed = notebooks.executed_ok(written)
    return {
        "sha256": _executed_digest(path),
        "code_cells": code_cells,
        "executed": executed,
        "failed": 0 if passed else 1,
        "outputs": outputs,
    }


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _is_worker(config):
        return
    if _restored:
        terminalreporter.write_line(
            f"verification cache: {len(_restored)} unchanged file(s) restored, not "
            "executed (make verify FRESH=1 executes everything)"
        )
    for path in _kept_last_good:
        terminalreporter.write_line(
            f"{path.relative_to(layout.ROOT)} failed: its last good outputs and "
            "record entry are kept (the build refuses the changed file until it "
            "passes)",
            red=True,
        )
    for path in _changed_during_run:
        terminalreporter.write_line(
            f"{path.relative_to(layout.ROOT)} changed while the run executed it: the "
            "record vouches for the content that ran, so the build refuses the new "
            "one; run `make verify` again",
            red=True,
        )
    if not update_outputs.enabled:
        return
    write = terminalreporter.write_line
    terminalreporter.section("update mode: expected outputs")
    for message in _refused:
        terminalreporter.write_line(message, red=True)
    if not _changed:
        write("No expected output changed.")
        return
    for path, updates in _changed.items():
        lines = ", ".join(str(update.line) for update in updates)
        write(f"rewritten: {_shown(path, config)} (lines {lines})")
    for path, updates in _changed.items():
        for update in updates:
            if update.literal:
                write(
                    f"note: {_shown(path, config)}:{update.line}: an ellipsis (...) "
                    "pattern became literal output; shorten it again if the value "
                    "varies between runs."
                )
    write("Review the diff (git diff snippets/); `make verify` proves the new outputs.")


def _shown(path: Path, config) -> str:
    try:
        return path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return str(path)
