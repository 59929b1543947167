"""Two runs in a row give identical outputs and byte-identical figures.

Re-runs one figure-writing snippet file in a scratch folder, with the same harness
setup as `make verify`, and compares every figure with the file the verified run
left in docs/figures/. (Every doctest output is compared by the run itself.)
"""

from __future__ import annotations

import pytest

from spickzettel.core.paths import FIGURES, SNIPPETS
from spickzettel.verify import document_env
from spickzettel.verify.pytest_plugin import MarkdownDocument, parsers

# A cheap snippet file that trains a Keras model and draws from it (about 4 s).
RERUN = SNIPPETS / "threshold.md"

# It reads that file and the figures its verified run wrote (tests/verdicts.py).
pytestmark = pytest.mark.reads("snippets/threshold.md", "docs/figures/threshold")


def test_rerun_writes_byte_identical_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(document_env, "figure_dir", lambda name: tmp_path)
    document = MarkdownDocument.parse(str(RERUN), *parsers())
    document_env.begin(document.namespace)
    try:
        for example in document.examples():
            example.evaluate()
    finally:
        document_env.end(document.namespace)
    verified = sorted(p.name for p in (FIGURES / RERUN.stem).iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == verified
    for name in verified:
        again = (tmp_path / name).read_bytes()
        first = (FIGURES / RERUN.stem / name).read_bytes()
        assert again == first, f"{RERUN.stem}/{name} differs between two runs"
