"""The Keras backends every block is verified on, defined once.

Keras 3 runs the same code on TensorFlow, JAX and PyTorch; the backend is chosen by
the environment variable KERAS_BACKEND before `import keras` and cannot change in a
running process. `make verify` therefore runs the snippets and notebooks once per
backend, each in processes of its own (Makefile), and each run writes its own record
(spickzettel/core/record.py). TensorFlow is the primary backend: its run writes the
figures, the exercise notebooks and pages, and its outputs are the ones a page shows
first; the other runs check the same code against the same expected outputs, or
against the per-backend outputs a block declares (spickzettel/core/output_variants.py).
"""

from __future__ import annotations

import os

BACKENDS: tuple[str, ...] = ("tensorflow", "jax", "torch")
PRIMARY = "tensorflow"
# The names a reader knows them by (content tabs, stamps).
LABELS = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
# The distribution whose version names the backend (first one installed wins).
DISTRIBUTIONS = {
    "tensorflow": ("tensorflow-cpu", "tensorflow"),
    "jax": ("jax",),
    "torch": ("torch",),
}


class UnknownBackend(ValueError):
    pass


def current() -> str:
    """The backend this process runs Keras on (Keras' own default: tensorflow)."""
    name = os.environ.get("KERAS_BACKEND", PRIMARY) or PRIMARY
    if name not in BACKENDS:
        raise UnknownBackend(
            f"KERAS_BACKEND={name!r}: the snippets are verified on "
            f"{', '.join(BACKENDS)} only."
        )
    return name


def is_primary(name: str | None = None) -> bool:
    return (name or current()) == PRIMARY
