"""The Keras backends every block is verified on, defined once.

Keras 3 runs the same code on TensorFlow, JAX and PyTorch; the backend is chosen by
the environment variable KERAS_BACKEND before `import keras` and cannot change in a
running process. `make verify` therefore runs the snippets and notebooks once per
backend, each in processes of its own (Makefile), and each run writes its own record
(spickzettel/core/record.py). TensorFlow is the primary backend: its run writes the
exercise notebooks and pages, and its outputs and figures are the ones a page shows
first (every run draws its own figures, spickzettel/core/layout.py); the other runs
check the same code against the same expected outputs, or against the per-backend
outputs a block declares (spickzettel/core/output_variants.py).
"""

from __future__ import annotations

import os

from spickzettel.core.paths import VERIFIED

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


# ---- the first cell of every downloadable notebook ------------------------------
# A notebook a reader downloads (an exercise's solution and task notebook,
# spickzettel/verify/notebooks.py; a topic page's notebook,
# spickzettel/build/page_notebooks.py) starts with this code cell: it chooses the
# backend before anything imports Keras. Assigning (not os.environ.setdefault) wins
# over a KERAS_BACKEND the reader's shell may export and over ~/.keras/keras.json,
# so the notebook runs on the backend its first cell names. The written files name
# the primary backend; the verify run of another backend executes the same
# notebook with its own name there, and the CI run of the page notebooks rewrites
# the cell per backend (tests/browser/test_copied_code.py).
BACKEND_CELL = 'import os\n\nos.environ["KERAS_BACKEND"] = "{name}"  # or {others}'


def backend_cell(name: str | None = None) -> str:
    """The source of the first code cell: sets KERAS_BACKEND to `name` (the
    backend of this process by default) and names the others."""
    name = name or current()
    if name not in BACKENDS:
        raise UnknownBackend(f"{name!r} is not one of {', '.join(BACKENDS)}")
    others = ", ".join(f'"{b}"' for b in BACKENDS if b != name)
    return BACKEND_CELL.format(name=name, others=others)


def named_in(source: str) -> str | None:
    """The backend a backend cell's source names, or None for any other code."""
    found = [b for b in BACKENDS if source.strip() == backend_cell(b)]
    return found[0] if found else None


def is_backend_cell(cell) -> bool:
    return cell.cell_type == "code" and named_in(cell.source) is not None


# ---- one thread per process --------------------------------------------------------
# The verify run and the tests run two processes side by side on two cores (xdist),
# and each backend's math library starts a thread per core in each of them unless
# told otherwise. PyTorch's OpenMP threads spin while they wait: two page notebooks
# on PyTorch in kernels side by side took 175 s instead of 25 s (three-ways and
# multi-output, 2026-12-07). TensorFlow and JAX lose less (their verify runs were 4 %
# and 8 % faster on one thread). Every block prints the same on one thread; only
# what is unset is set, so a maintainer's own choice stays.
ONE_THREAD_EACH = {
    "OMP_NUM_THREADS": "1",  # PyTorch, and the BLAS under NumPy and scikit-learn
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
}


def use_one_thread_each(environ=os.environ) -> None:
    """Set ONE_THREAD_EACH where unset, before any backend is imported in this
    process; the processes it starts (xdist workers, Jupyter kernels, subprocesses)
    inherit it."""
    for name, value in ONE_THREAD_EACH.items():
        environ.setdefault(name, value)


# ---- JAX compiles each distinct program once per verify run ---------------------
# Snippet after snippet builds the same model again (after clear_session, with the
# same seed): to JAX a new Python function, so it compiles the same program again,
# which made the JAX run about 30 % slower than TensorFlow's. JAX's persistent
# compilation cache is keyed by the compiled program itself (and the jax and jaxlib
# versions, the device and the compile options), so the identical programs are
# compiled once. A cached executable is the one a fresh compile produces: no output
# changes, only compile time goes. It lives in .verified/ (`make clean` empties it);
# TensorFlow and PyTorch ignore these names.
def compile_once(environ=os.environ) -> None:
    """Set JAX's persistent compilation cache where unset (inherited like
    ONE_THREAD_EACH)."""
    environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(VERIFIED / "jax-compiled"))
    environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")
