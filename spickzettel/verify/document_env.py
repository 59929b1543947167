"""The state every executed Markdown document starts from.

Each document gets: the Agg backend, a cleared Keras session (layer names start at
`dense` again), `keras.utils.set_random_seed(SEED)` (the only call that makes Keras 3
runs repeatable), the offline California data, and its own figure folder
docs/figures/<topic>/ as working directory, emptied first, so that the figures on
the pages are exactly the files this run wrote. A run on another backend than
TensorFlow draws into docs/figures/by-backend/<backend>/<topic>/ instead
(spickzettel/core/layout.py): a page shows it in that backend's tab where it
differs.

A document that never mentions Keras or TensorFlow (while neither is imported yet)
gets the same Python and NumPy seeds without importing TensorFlow, so pure-Python
documents, like the harness's own tests, start in a fraction of a second.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys
from pathlib import Path

from spickzettel.core.layout import figure_dir
from spickzettel.core.paths import ROOT, SNIPPETS
from spickzettel.verify.datasets import install_offline_california

SEED = 42
_cwd_before: list[str] = []
_KERAS = re.compile(r"\b(keras|tensorflow)\b")


def _uses_keras(path: Path) -> bool:
    if "keras" in sys.modules:
        return True
    return bool(_KERAS.search(path.read_text(encoding="utf-8")))


def begin(namespace: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    path = Path(namespace["__file__"])
    if _uses_keras(path):
        import keras

        keras.backend.clear_session()
        keras.utils.set_random_seed(SEED)  # Python, NumPy and TensorFlow
        install_offline_california()
    else:
        import numpy as np

        random.seed(SEED)
        np.random.seed(SEED)

    workdir = ROOT
    if path.parent == SNIPPETS:
        workdir = figure_dir(path.name)
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
    _cwd_before.append(os.getcwd())
    os.chdir(workdir)


def end(namespace: dict) -> None:
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()
    os.chdir(_cwd_before.pop())
