"""The snippet linter catches what it must, with messages that name file and line.

That the snippets themselves are clean is `make lint` (python -m
spickzettel.snippet_lint), not a test: it would lint them a second time."""

from __future__ import annotations

import pytest

from spickzettel.tools import snippet_lint
from spickzettel.tools.snippet_code import units

# What these checks read besides their code (tests/verdicts.py).
pytestmark = pytest.mark.reads()


MESSY = """\
# Messy — snippets

<!-- --8<-- [start:setup] -->
```pycon
>>> import math
>>> values=[3,1,2]
>>> print(sorted(values))
[1, 2, 3]
>>> def double(x) :
...     return 2*x
>>> print(double(math.pi) > 6)
True
```
<!-- --8<-- [end:setup] -->

```python
total = sum( values )
```
"""


def test_bad_formatting_is_reported_with_file_and_line(tmp_path):
    snippet = tmp_path / "messy.md"
    snippet.write_text(MESSY, encoding="utf-8")
    messages = snippet_lint.lint([snippet])
    located = [m.split(": ", 1)[0] for m in messages]
    assert located == [f"{snippet}:{line}" for line in (6, 9, 17)], messages
    assert ">>> values = [3, 1, 2]" in messages[0]


def test_check_names_markdown_lines(tmp_path):
    snippet = tmp_path / "unused.md"
    long_name = "x" * 80
    snippet.write_text(
        "Text.\n\n```pycon\n>>> import os\n>>> print(undefined)\n"
        f">>> {long_name} = 1\n```\n",
        encoding="utf-8",
    )
    messages = "\n".join(snippet_lint.lint([snippet]))
    assert f"{snippet}:4:8: F401" in messages
    assert f"{snippet}:5:7: F821" in messages
    assert f"{snippet}:6:77: E501" in messages


def test_fix_rewrites_code_lines_only(tmp_path):
    snippet = tmp_path / "messy.md"
    snippet.write_text(MESSY, encoding="utf-8")
    assert snippet_lint.lint([snippet], fix=True) == []
    fixed = snippet.read_text(encoding="utf-8")
    assert ">>> values = [3, 1, 2]\n>>> print(sorted(values))\n[1, 2, 3]\n" in fixed
    assert ">>> def double(x):\n...     return 2 * x\n" in fixed
    assert "total = sum(values)\n```" in fixed
    before, after = MESSY.splitlines(), fixed.splitlines()
    outputs = {"[1, 2, 3]", "True"}
    assert [line for line in before if line in outputs] == [
        line for line in after if line in outputs
    ]
    assert len(units(snippet)) == 6
