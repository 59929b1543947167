"""The state every executed Markdown document starts from.

Each document gets: the Agg backend, a cleared Keras session (layer names start at
`dense` again), `keras.utils.set_random_seed(SEED)` (the only call that makes Keras 3
runs repeatable), the offline California data, and its own figure folder
docs/figures/<topic>/ as working directory, emptied first, so that the figures on
the pages are exactly the files this run wrote.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.harness.datasets import install_offline_california
from verification_record import ROOT, SNIPPETS, figure_dir

SEED = 42
_cwd_before: list[str] = []


def begin(namespace: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import keras

    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    install_offline_california()

    path = Path(namespace["__file__"])
    workdir = ROOT
    if path.parent == SNIPPETS:
        workdir = figure_dir(path.name)
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
    _cwd_before.append(os.getcwd())
    os.chdir(workdir)


def end(namespace: dict) -> None:
    import keras
    import matplotlib.pyplot as plt

    plt.close("all")
    keras.backend.clear_session()
    os.chdir(_cwd_before.pop())
