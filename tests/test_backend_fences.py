"""Code that differs by backend (```python backend=jax, spickzettel/core/fences.py):
each backend's verify run executes only its own version, counts only the examples
it executed, and a fence that names an unknown backend is an error."""

from __future__ import annotations

import pytest

from spickzettel.core import fences
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
