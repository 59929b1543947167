"""The Sybil harness executes what it should, skips what it is told, fails loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import SkipTest

import numpy as np
import pytest
from sybil.example import SybilFailure

from spickzettel.verify import datasets
from spickzettel.verify.pytest_plugin import MarkdownDocument, parsers

# What these checks read besides their code (tests/verdicts.py).
pytestmark = pytest.mark.reads("tests/fixtures")


DEMO = Path(__file__).parent / "fixtures" / "harness-demo.md"


def run(path: Path) -> dict[str, int]:
    outcome = {"passed": 0, "skipped": 0}
    for example in MarkdownDocument.parse(str(path), *parsers()).examples():
        try:
            example.evaluate()
        except SkipTest:
            outcome["skipped"] += 1
        else:
            outcome["passed"] += 1
    return outcome


def test_every_kind_of_block_runs():
    # pycon, ```python title=..., ```py, invisible code, skip, clear-namespace
    outcome = run(DEMO)
    assert outcome == {"passed": 9, "skipped": 1}, outcome


def test_a_stale_output_fails_and_names_the_line(tmp_path):
    stale = tmp_path / "stale.md"
    stale.write_text(DEMO.read_text().replace("30 31", "30 32"))
    with pytest.raises(SybilFailure) as failure:
        run(stale)
    assert failure.value.example.line == 22
    assert "30 32" in str(failure.value) and "30 31" in str(failure.value)


def test_offline_copy_with_other_arrays_is_rejected(tmp_path):
    fake = tmp_path / "california_housing.npz"
    np.savez(fake, x=np.zeros((3, 8), "float32"), y=np.zeros(3, "float32"))
    with pytest.raises(datasets.DatasetUnavailable, match="not the real data"):
        datasets.check_california_copy(fake)


def test_no_internet_and_no_copy_names_the_file(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere" / "california_housing.npz"
    monkeypatch.setattr(datasets, "OFFLINE_CALIFORNIA", missing)
    monkeypatch.setenv("HOME", str(tmp_path))  # no Keras cache either

    def offline(*args, **kwargs):
        raise OSError("no route to host")

    monkeypatch.setattr(datasets, "_keras_download", offline)
    with pytest.raises(datasets.DatasetUnavailable) as error:
        datasets.get_file("california_housing.npz", origin="https://example.invalid/x")
    assert str(missing) in str(error.value)


def test_the_kernels_offline_hand_off_leaves_the_backend_to_the_notebook(tmp_path):
    """tests/browser/test_copied_code.py installs the hand-off before a notebook's
    first cell sets KERAS_BACKEND: it must not import Keras, and Keras' California
    module, once imported on the backend the cell chose, downloads through it."""
    script = f"""
import os, sys
sys.path.insert(0, {str(datasets.ROOT)!r})
from spickzettel.verify import datasets
datasets.install_offline_california_on_import()
assert not any(name.split(".")[0] == "keras" for name in sys.modules)
os.environ["KERAS_BACKEND"] = "torch"
import keras
from keras.src.datasets import california_housing
assert california_housing.get_file is datasets.get_file
print(keras.backend.backend(), end="")
"""
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "torch"
