"""The verification cache: an unchanged file is restored, not executed again.

Runs the real test run (pytest + Sybil, through an xdist worker as `make verify`
does) in a throw-away copy of the engine, on a pure-Python snippet that counts its
own executions in a file, so the copy's runs take seconds and import no TensorFlow.
"""

from __future__ import annotations

import json

from spickzettel import record as vr
from tests import sandbox

SNIPPET = """\
# Counted — snippets

```pycon
>>> from pathlib import Path
>>> log = Path(__file__).parents[1] / "executions.log"
>>> with log.open("a") as file:
...     _ = file.write("ran\\n")
>>> _ = Path("figure.txt").write_text("drawn")
>>> print(6 * 7)
42
```
"""


def _verify(repo, *options: str) -> str:
    command = ["pytest", "snippets", "-p", "no:cacheprovider", *options]
    result = sandbox.run(command, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _executions(repo) -> int:
    log = repo / "executions.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def _entry(repo) -> dict:
    record = json.loads((repo / ".verified" / "record.json").read_text())
    return record["snippets"]["counted.md"]


def test_unchanged_snippet_is_restored_and_a_changed_one_runs(tmp_path):
    repo = sandbox.harness_only(tmp_path / "repo")
    snippet = repo / "snippets" / "counted.md"
    snippet.write_text(SNIPPET, encoding="utf-8")
    figure = repo / "docs" / "figures" / "counted" / "figure.txt"

    # Through an xdist worker, as `make verify` runs: the restored entry travels
    # from the worker to the controller, which writes the record.
    xdist = ("-n", "1", "--dist", "loadfile")
    _verify(repo, *xdist)
    assert _executions(repo) == 1
    first = _entry(repo)
    assert first["passed"] == first["examples"] == 5
    assert set(first["versions"]) == set(vr.STAMPED_LIBRARIES)
    assert first["figures"] == {"counted/figure.txt": vr.digest(figure)}

    # Unchanged: restored from the cache, figure included, nothing executed.
    figure.unlink()
    output = _verify(repo, *xdist)
    assert "1 unchanged file(s) restored" in output
    assert _executions(repo) == 1
    assert figure.read_text() == "drawn"
    assert _entry(repo) == first

    # A changed file runs again; so does an unchanged one after a change to the
    # engine; --fresh runs an unchanged one.
    snippet.write_text(SNIPPET + "\nOne more sentence.\n", encoding="utf-8")
    _verify(repo)
    assert _executions(repo) == 2
    assert _entry(repo)["sha256"] == vr.digest(snippet)
    engine = repo / "spickzettel" / "document_env.py"
    engine.write_text(engine.read_text() + "\n# changed\n", encoding="utf-8")
    _verify(repo)
    assert _executions(repo) == 3
    _verify(repo, "--fresh")
    assert _executions(repo) == 4


def test_a_failing_run_is_not_cached(tmp_path):
    repo = sandbox.harness_only(tmp_path / "repo")
    snippet = repo / "snippets" / "counted.md"
    snippet.write_text(SNIPPET.replace("\n42\n", "\n41\n"), encoding="utf-8")
    for _ in range(2):
        result = sandbox.run(["pytest", "snippets", "-p", "no:cacheprovider"], repo)
        assert result.returncode == 1, result.stdout
    assert _executions(repo) == 2


SELF_EDITING = """\
# Edited during its run — snippets

```pycon
>>> from pathlib import Path
>>> _ = Path(__file__).open("a").write("An edit saved while the run executes.\\n")
>>> print("ran")
ran
```
"""


def test_a_file_edited_during_the_run_is_not_recorded_as_verified(tmp_path):
    """The record vouches for the content that ran: an edit saved meanwhile (here
    by the block itself) is neither recorded nor cached, and the run says so."""
    repo = sandbox.harness_only(tmp_path / "repo")
    snippet = repo / "snippets" / "edited.md"
    snippet.write_text(SELF_EDITING, encoding="utf-8")
    ran = vr.digest(snippet)

    result = sandbox.run(["pytest", "snippets", "-p", "no:cacheprovider"], cwd=repo)
    assert result.returncode != 0, result.stdout
    assert "snippets/edited.md changed while the run executed it" in result.stdout
    record = json.loads((repo / ".verified" / "record.json").read_text())
    assert record["snippets"]["edited.md"]["sha256"] == ran != vr.digest(snippet)
    assert not list((repo / ".verified" / "cache").glob("*edited*")), (
        "a file edited during its run was cached"
    )
