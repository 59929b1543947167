"""Real data without internet: hand Keras the offline copy of California housing.

Snippets call `keras.datasets.california_housing.load_data()` exactly as a reader
would. Where Keras cannot download (CI here has no internet), the harness gives
`load_data` the file ../shared/datasets/california_housing.npz in place of the
download, after checking that its arrays are the published ones. With neither
internet nor that file, loading fails with one message that names the file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path

import numpy as np

from spickzettel.core.paths import ROOT

OFFLINE_CALIFORNIA = Path(
    os.environ.get(
        "KERAS_SPICKZETTEL_CALIFORNIA",
        ROOT.parent / "shared" / "datasets" / "california_housing.npz",
    )
)
# sha256 of the raw array bytes, from ../shared/datasets/README.md
EXPECTED_ARRAYS = {
    "x": "76177435d337896b390c443ed142f59502d67c10de9ea0b08458dac1a51af4b5",
    "y": "1c459c8c91b63bc57993056258de809b80f7089066c58fdf68bfe25cbbe616ac",
}
_checked: set[Path] = set()


class DatasetUnavailable(RuntimeError):
    pass


def check_california_copy(path: Path) -> Path:
    if path in _checked:
        return path
    with np.load(path, allow_pickle=False) as arrays:
        for key, expected in EXPECTED_ARRAYS.items():
            actual = hashlib.sha256(
                np.ascontiguousarray(arrays[key]).tobytes()
            ).hexdigest()
            if actual != expected:
                raise DatasetUnavailable(
                    f"{path}: array {key!r} has sha256 {actual}, expected {expected} "
                    "(see ../shared/datasets/README.md). The file is not the real data."
                )
    _checked.add(path)
    return path


def _keras_download(fname, origin, **kwargs):
    """Keras' own downloader (a seam, so tests can simulate a machine offline)."""
    from keras.src.utils.file_utils import get_file

    return get_file(fname, origin=origin, **kwargs)


def get_file(fname=None, origin=None, **kwargs):
    """Stands in for keras' get_file inside california_housing.load_data."""
    cached = Path.home() / ".keras" / "datasets" / str(fname)
    if not cached.exists() and OFFLINE_CALIFORNIA.is_file():
        return str(check_california_copy(OFFLINE_CALIFORNIA))
    try:
        return _keras_download(fname, origin=origin, **kwargs)
    except Exception as error:
        raise DatasetUnavailable(
            "California housing could not be downloaded and there is no offline copy "
            f"at {OFFLINE_CALIFORNIA}. Put the file there (or set "
            "KERAS_SPICKZETTEL_CALIFORNIA to its path) and run again. "
            f"Download error: {error}"
        ) from error


def install_offline_california() -> None:
    """Route load_data's download through get_file above (idempotent)."""
    from keras.src.datasets import california_housing

    california_housing.get_file = get_file


CALIFORNIA_MODULE = "keras.src.datasets.california_housing"


class _PatchOnImport:
    """A meta path finder: lets Keras' California module load as usual, then routes
    its download through get_file above. Nothing is imported before that."""

    def find_spec(self, name, path=None, target=None):
        if name != CALIFORNIA_MODULE:
            return None
        sys.meta_path.remove(self)  # once; and the lookup below must not find us
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            module.get_file = get_file

        spec.loader.exec_module = exec_module
        return spec


def install_offline_california_on_import() -> None:
    """install_offline_california for a kernel that has not imported Keras yet:
    Keras' backend is chosen by the notebook's first cell (KERAS_BACKEND before
    `import keras`), so the hand-off must not import Keras itself."""
    if CALIFORNIA_MODULE in sys.modules:
        install_offline_california()
    elif not any(isinstance(f, _PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())
