"""`make refresh`: stale expected outputs are rewritten, and nothing else is.

The snippet here is pure Python, so the run in a throw-away copy of the harness
does not import TensorFlow (spickzettel/verify/document_env.py) and takes seconds.
"""

from __future__ import annotations

import difflib
from contextlib import contextmanager
from pathlib import Path

import pytest
from sybil.example import SybilFailure

from spickzettel.verify import update_outputs
from spickzettel.verify.pytest_plugin import MarkdownDocument, parsers
from tests import sandbox

# Runs in copies of the engine and the tests only (tests/verdicts.py: an edit to a
# snippet or a page does not run it again).
pytestmark = pytest.mark.reads(*sandbox.HARNESS)

STALE = """\
# Stale outputs — snippets

Prose stays as it is, and so do code, prompts and fences.

<!-- --8<-- [start:setup] -->
```pycon
>>> import math
>>> values = [3, 1, 2]
```
<!-- --8<-- [end:setup] -->

<!-- --8<-- [start:outputs] -->
```pycon
>>> print(sorted(values))
[1, 2, 3]
>>> print(math.pi)  # still matches its ellipsis: left alone
3.14...
>>> print(list(range(12)))  # still matches with NORMALIZE_WHITESPACE
[0, 1, 2, 3, 4, 5,
 6, 7, 8, 9, 10, 11]
>>> print(len(values))
2
>>> for label, value in [("pi", math.pi), ("count", len(values))]:
...     print(label, value)
pi 3.14...
count 2
>>> print(max(values))
>>> total = sum(values)
6
>>> print("x\\n\\ny")
old
```
<!-- --8<-- [end:outputs] -->

```python
values.append(4)
```

```pycon
>>> print(values)
[3, 1, 2]
```
"""

FIXED = """\
# Stale outputs — snippets

Prose stays as it is, and so do code, prompts and fences.

<!-- --8<-- [start:setup] -->
```pycon
>>> import math
>>> values = [3, 1, 2]
```
<!-- --8<-- [end:setup] -->

<!-- --8<-- [start:outputs] -->
```pycon
>>> print(sorted(values))
[1, 2, 3]
>>> print(math.pi)  # still matches its ellipsis: left alone
3.14...
>>> print(list(range(12)))  # still matches with NORMALIZE_WHITESPACE
[0, 1, 2, 3, 4, 5,
 6, 7, 8, 9, 10, 11]
>>> print(len(values))
3
>>> for label, value in [("pi", math.pi), ("count", len(values))]:
...     print(label, value)
pi 3.14...
count 3
>>> print(max(values))
3
>>> total = sum(values)
>>> print("x\\n\\ny")
x
<BLANKLINE>
y
```
<!-- --8<-- [end:outputs] -->

```python
values.append(4)
```

```pycon
>>> print(values)
[3, 1, 2, 4]
```
"""


@contextmanager
def update_mode(on: bool):
    before = update_outputs.enabled
    update_outputs.enabled = on
    try:
        yield
    finally:
        update_outputs.enabled = before


def run_in_process(path: Path) -> tuple[list, list[SybilFailure]]:
    """Every example of `path` through the harness's parsers, as Sybil runs them."""
    document = MarkdownDocument.parse(str(path), *parsers())
    examples, failures = list(document.examples()), []
    for example in examples:
        try:
            example.evaluate()
        except SybilFailure as failure:
            failures.append(failure)
    return examples, failures


def output_lines_only(before: str, after: str) -> list[str]:
    """Changed lines that are not output lines (prompts, fences, comments, prose)."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    changed = [line[2:] for line in diff if line[:2] in ("- ", "+ ")]
    code_like = (">>>", "...", "```", "<!--", "#", "values.append")
    return [line for line in changed if line.startswith(code_like)]


def test_refresh_rewrites_stale_outputs_and_only_them(tmp_path):
    repo = sandbox.harness_only(tmp_path / "repo")
    snippet = repo / "snippets" / "stale.md"
    snippet.write_text(STALE, encoding="utf-8")

    # The update pass of `make refresh`, through an xdist worker as there (one
    # worker is enough to prove that the rewrites travel to the controller).
    result = sandbox.run(
        [
            *sandbox.VERIFY,
            "snippets",
            "-n",
            "1",
            "--dist",
            "loadfile",
            "-p",
            "no:cacheprovider",
            "--update-outputs",
        ],
        cwd=repo,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rewritten: snippets/stale.md" in result.stdout

    after = snippet.read_text(encoding="utf-8")
    assert output_lines_only(STALE, after) == []
    assert after == FIXED
    assert not (repo / ".verified").exists(), "update mode must not vouch for files"

    # Now it passes, and a second update pass would find nothing to rewrite.
    examples, failures = run_in_process(snippet)
    assert failures == []
    with update_mode(True):
        examples, failures = run_in_process(snippet)
    assert failures == []
    assert not [e for e in examples if hasattr(e, "output_update")]


def test_normal_runs_never_rewrite(tmp_path):
    snippet = tmp_path / "stale.md"
    snippet.write_text(STALE, encoding="utf-8")
    with update_mode(False):
        examples, failures = run_in_process(snippet)
    assert len(failures) == 6
    assert not [e for e in examples if hasattr(e, "output_update")]
    assert snippet.read_text(encoding="utf-8") == STALE


@pytest.mark.parametrize(
    "block",
    [
        ">>> raise ValueError('new message')\n",  # an unexpected exception
        ">>> int('x')\nTraceback (most recent call last):\nValueError: old\n",
        '>>> print("... looks like a prompt")\nstale\n',
    ],
)
def test_what_update_mode_leaves_to_a_person(tmp_path, block):
    snippet = tmp_path / "hand.md"
    snippet.write_text(f"```pycon\n{block}```\n", encoding="utf-8")
    with update_mode(True):
        examples, failures = run_in_process(snippet)
    assert len(failures) == 1
    assert "update mode" in str(failures[0])
    assert not [e for e in examples if hasattr(e, "output_update")]


def test_updates_are_applied_bottom_up_and_refused_on_a_changed_file(tmp_path):
    snippet = tmp_path / "stale.md"
    snippet.write_text(STALE, encoding="utf-8")
    with update_mode(True):
        examples, _ = run_in_process(snippet)
    planned = [e.output_update for e in examples if hasattr(e, "output_update")]
    # Through the same plain dicts that carry them from xdist workers.
    carried = update_outputs.from_properties(
        [update_outputs.as_property(update) for update in planned]
    )
    snippet.write_text(STALE.replace("Prose", "Text"), encoding="utf-8")
    with pytest.raises(RuntimeError, match="changed during the run"):
        update_outputs.apply(carried)
    snippet.write_text(STALE, encoding="utf-8")
    changed = update_outputs.apply(carried)
    assert list(changed) == [snippet]
    assert snippet.read_text(encoding="utf-8") == FIXED
