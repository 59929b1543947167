"""The verification cache: an unchanged file is restored, not executed again.

Runs the real test run (pytest + Sybil, through an xdist worker as `make verify`
does) in a throw-away copy of the engine, on a pure-Python snippet that counts its
own executions in a file, so the copy's runs take seconds and import no TensorFlow.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from spickzettel.core import layout
from spickzettel.core import record as vr
from spickzettel.core.paths import ROOT
from spickzettel.verify import cache
from tests import sandbox

# Runs in copies of the engine and the tests only (tests/verdicts.py: an edit to a
# snippet or a page does not run it again).
pytestmark = pytest.mark.reads(*sandbox.HARNESS)

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
    command = [*sandbox.VERIFY, "snippets", "-p", "no:cacheprovider", *options]
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
    assert first["figures"] == {"counted/figure.txt": layout.digest(figure)}

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
    assert _entry(repo)["sha256"] == layout.digest(snippet)
    # A stage the verify run never imports is outside the digest: no re-run.
    tool = repo / "spickzettel" / "tools" / "snippet_lint.py"
    tool.write_text(tool.read_text() + "\n# changed\n", encoding="utf-8")
    _verify(repo)
    assert _executions(repo) == 2
    engine = repo / "spickzettel" / "verify" / "document_env.py"
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
        result = sandbox.run(
            [*sandbox.VERIFY, "snippets", "-p", "no:cacheprovider"], repo
        )
        assert result.returncode == 1, result.stdout
    assert _executions(repo) == 2


# Half-way through, the figure is redrawn; then an output no longer matches.
FAILING = SNIPPET.replace('"drawn"', '"half-drawn"').replace("\n42\n", "\n41\n")
# What the build checks before it builds (spickzettel/build/stamp.py).
RECORD_CHECK = (
    "from spickzettel.core import record\nprint(record.problems(record.load()))\n"
)


def test_a_failed_run_leaves_the_last_good_outputs_and_record(tmp_path):
    """Issue 23 §6: a verify run that fails moves nothing into place. After a good
    run, a planted failure (the snippet redraws its figure, then prints a wrong
    output) leaves the figure and the record entry as the good run left them; with
    the snippet put back, the build's record check passes without another run, so
    the last good site still builds (make build stops at the failed verify and
    leaves site/ alone)."""
    repo = sandbox.harness_only(tmp_path / "repo")
    snippet = repo / "snippets" / "counted.md"
    snippet.write_text(SNIPPET, encoding="utf-8")
    figure = repo / "docs" / "figures" / "counted" / "figure.txt"
    _verify(repo, "-n", "1", "--dist", "loadfile")
    good_entry, good_figure = _entry(repo), figure.read_bytes()

    snippet.write_text(FAILING, encoding="utf-8")
    result = sandbox.run([*sandbox.VERIFY, "snippets", "-p", "no:cacheprovider"], repo)
    assert result.returncode == 1, result.stdout
    assert _executions(repo) == 2, "the planted failure did not run"
    assert "its last good outputs and record entry are kept" in result.stdout
    assert figure.read_bytes() == good_figure == b"drawn"
    assert _entry(repo) == good_entry
    (repo / "record_check.py").write_text(RECORD_CHECK, encoding="utf-8")
    check = sandbox.run(["record_check"], repo)
    assert "snippets/counted.md changed after it was verified" in check.stdout, (
        check.stdout + check.stderr
    )

    snippet.write_text(SNIPPET, encoding="utf-8")
    check = sandbox.run(["record_check"], repo)
    assert check.returncode == 0 and check.stdout.strip() == "[]", (
        check.stdout + check.stderr
    )


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
    ran = layout.digest(snippet)

    result = sandbox.run(
        [*sandbox.VERIFY, "snippets", "-p", "no:cacheprovider"], cwd=repo
    )
    assert result.returncode != 0, result.stdout
    assert "snippets/edited.md changed while the run executed it" in result.stdout
    record = json.loads((repo / ".verified" / "record.json").read_text())
    assert record["snippets"]["edited.md"]["sha256"] == ran != layout.digest(snippet)
    assert not list((repo / ".verified" / "cache").glob("*edited*")), (
        "a file edited during its run was cached"
    )


# Written into the copy and loaded with -p: after the whole verify run (collection,
# execution, the record written at the end) it lists the package's modules loaded.
IMPORT_PROBE = """\
import json
import sys


def pytest_unconfigure(config):
    loaded = sorted(name for name in sys.modules if name.startswith("spickzettel"))
    with open("imported.json", "w") as file:
        json.dump(loaded, file)
"""


def _outside_the_digest(modules: list[str]) -> list[str]:
    """Modules of the package that the engine digest does not cover."""
    covered = {"spickzettel", *(f"spickzettel.{f}" for f in cache.EXECUTED)}
    return [
        name
        for name in modules
        if name.startswith("spickzettel")
        and ".".join(name.split(".")[:2]) not in covered
    ]


def _verify_run_imports(repo) -> list[str]:
    (repo / "import_probe.py").write_text(IMPORT_PROBE, encoding="utf-8")
    command = [
        *sandbox.VERIFY,
        "-p",
        "import_probe",
        "snippets",
        "-p",
        "no:cacheprovider",
    ]
    result = sandbox.run(command, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((repo / "imported.json").read_text())


def test_the_verify_run_imports_only_what_the_engine_digest_covers(tmp_path):
    """The cache is sound only if a change to any module the verify run executes
    changes the engine digest: the run (collection, a snippet executed, the record
    written) loads nothing of the package outside cache.EXECUTED. A planted import
    of a tool from verify/ is caught."""
    repo = sandbox.harness_only(tmp_path / "repo")
    (repo / "snippets" / "counted.md").write_text(SNIPPET, encoding="utf-8")
    loaded = _verify_run_imports(repo)
    assert "spickzettel.verify.pytest_plugin" in loaded
    assert "spickzettel.core.record" in loaded
    assert _outside_the_digest(loaded) == []

    planted = repo / "spickzettel" / "verify" / "document_env.py"
    planted.write_text(
        planted.read_text() + "\nimport spickzettel.tools.snippet_code  # noqa\n",
        encoding="utf-8",
    )
    loaded = _verify_run_imports(repo)
    assert "spickzettel.tools.snippet_code" in _outside_the_digest(loaded)


def _imported_names(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_the_digested_folders_import_nothing_outside_them():
    """The same boundary read from the source, for imports on paths a small run
    does not take (inside functions, a notebook's kernel, update mode)."""
    package = ROOT / "spickzettel"
    outside = {
        f"{path.relative_to(ROOT)}: {name}"
        for folder in cache.EXECUTED
        for path in sorted((package / folder).rglob("*.py"))
        for name in _outside_the_digest(sorted(_imported_names(path)))
    }
    assert outside == set()
    assert {p.relative_to(package) for p in cache.engine_files()} >= {
        Path("__init__.py"),
        Path("verify/pytest_plugin.py"),
        Path("core/layout.py"),
        Path("drawing/diagrams.py"),
    }
