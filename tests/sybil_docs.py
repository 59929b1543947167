"""Pytest plugin: Sybil executes every Markdown file in snippets/ and docs/.

Loaded with `-p tests.sybil_docs` (pyproject.toml), so it collects outside tests/.
At the end of a run it writes the verification record that `mkdocs build` checks
(overrides/hooks/verification_record.py): per snippet file, the examples executed
and passed, the file's hash and the hashes of the figures it wrote.
"""

from __future__ import annotations

import doctest
import os
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# Quiet TensorFlow's C++ start-up chatter; it is not part of any expected output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from sybil import Document, Sybil
from sybil.parsers.markdown import ClearNamespaceParser

import verification_record as vr
from tests.harness import document_env
from tests.harness.fences import HonestSkipParser, PythonFenceParser

DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class MarkdownDocument(Document):
    """A document whose namespace knows its file, like a script's `__file__`."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.namespace["__file__"] = path


def parsers():
    return [
        PythonFenceParser(doctest_optionflags=DOCTEST_FLAGS),
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


pytest_collect_file = (make_sybil(vr.SNIPPETS) + make_sybil(vr.ROOT / "docs")).pytest()


def count_examples(path: Path) -> int:
    return len(list(MarkdownDocument.parse(str(path), *parsers()).examples()))


# ---- the verification record -------------------------------------------------

_outcomes: dict[str, dict[str, int]] = {}


def pytest_runtest_logreport(report):
    file = report.nodeid.split("::", 1)[0]
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


def _installed(*names: str) -> str:
    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "not installed"


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput") or not _outcomes:
        return  # xdist workers report to the controller, which writes the record
    try:
        record = vr.load()
    except FileNotFoundError:
        record = {"snippets": {}}
    for name, outcome in _outcomes.items():
        path = vr.SNIPPETS / name
        record["snippets"][name] = {
            "sha256": vr.digest(path),
            "examples": count_examples(path),
            **outcome,
            "figures": vr.figure_digests(name),
        }
    record["date"] = date.today().isoformat()
    record["versions"] = {
        "tensorflow": _installed("tensorflow-cpu", "tensorflow"),
        "keras": _installed("keras"),
        "scikit-learn": _installed("scikit-learn"),
    }
    vr.save(record)
