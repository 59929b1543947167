"""Code that differs by backend (```python backend=jax, spickzettel/core/fences.py):
each backend's verify run executes only its own version, counts only the examples
it executed, and a fence that names an unknown backend is an error."""

from __future__ import annotations

import pytest

from spickzettel.core import backends, fences
from spickzettel.core.paths import VERIFIED
from spickzettel.verify import cache
from spickzettel.verify.pytest_plugin import MarkdownDocument, count_examples, parsers

DOCUMENT = """\
```python
shared = 1
```

```python backend=tensorflow
mine = "tensorflow"
```

```pycon backend="jax,torch"
>>> mine = "jax or torch"
>>> print(mine)
jax or torch
```

```pycon
>>> print(shared)
1
```
"""


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("backend", "count", "value"),
    [
        ("tensorflow", 3, "tensorflow"),
        ("jax", 4, "jax or torch"),
        ("torch", 4, "jax or torch"),
    ],
)
def test_each_backend_executes_and_counts_only_its_own_fences(
    document, monkeypatch, backend, count, value
):
    monkeypatch.setenv("KERAS_BACKEND", backend)
    assert count_examples(document) == count
    parsed = MarkdownDocument.parse(str(document), *parsers())
    for example in parsed.examples():
        example.evaluate()  # raises if an output does not match
    assert parsed.namespace["mine"] == value


def test_fence_backends_reads_the_info_string():
    assert fences.fence_backends("python") == ()
    assert fences.fence_backends('python title="x"') == ()
    assert fences.fence_backends("pycon backend=torch") == ("torch",)
    assert fences.fence_backends('pycon backend="torch,jax"') == ("jax", "torch")
    assert fences.fence_backends("python { backend=jax }") == ("jax",)
    listed = [(f.language, f.backends) for f in fences.fences(DOCUMENT)]
    assert listed == [
        ("python", ()),
        ("python", ("tensorflow",)),
        ("pycon", ("jax", "torch")),
        ("pycon", ()),
    ]


@pytest.mark.parametrize("info", ["python backend=mxnet", "python backend=jax,tf"])
def test_an_unknown_backend_is_an_error(info):
    with pytest.raises(fences.UnknownFenceBackend):
        fences.fence_backends(info)


@pytest.mark.parametrize(
    ("backend", "count"), [("tensorflow", 3), ("jax", 4), ("torch", 4)]
)
def test_the_parsers_collect_the_named_backends_examples_whatever_runs(
    document, monkeypatch, backend, count
):
    """The guard asks each backend's parse in one process (tests/test_guard.py)."""
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    parsed = MarkdownDocument.parse(str(document), *parsers(backend))
    assert len(list(parsed.examples())) == count


def test_one_thread_each_sets_only_what_is_unset():
    environ = {"OMP_NUM_THREADS": "4"}
    backends.use_one_thread_each(environ)
    assert environ["OMP_NUM_THREADS"] == "4"  # a maintainer's own choice stays
    unset = {
        k: v for k, v in backends.ONE_THREAD_EACH.items() if k != "OMP_NUM_THREADS"
    }
    assert {k: environ[k] for k in unset} == unset
    assert set(backends.ONE_THREAD_EACH) <= set(cache.ENVIRONMENT_VARIABLES), (
        "a thread setting changes how the snippets run: the cache must key on it"
    )


def test_jax_compiles_each_program_once_in_a_cache_of_the_verify_run():
    environ = {"JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "1"}
    backends.compile_once(environ)
    assert environ["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] == "1"  # kept
    assert environ["JAX_COMPILATION_CACHE_DIR"] == str(VERIFIED / "jax-compiled")
    assert environ["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] == "0"
