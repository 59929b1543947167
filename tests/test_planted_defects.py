"""A planted defect of each kind fails with the caches warm (issue 23).

The caches (spickzettel/verify/cache.py for the verify run, tests/verdicts.py for
the checks) keep a pass while what it read holds; these tests prove that they hide
no defect. Each one makes a check pass in a throw-away copy (tests/sandbox.py),
runs it again to see it reused (the cache is warm), plants the defect and runs
the same command: it must fail, naming the defect.

- a wrong output: a snippet's shown output edited, verified again, on each
  backend (each has a verification cache slot of its own,
  .verified/cache/<backend>/, and a record of its own);
- a stale snippet: a snippet's code edited after the site was built;
- a broken copy button: a code block whose button would copy the prompts and
  the output with the code (its copy text removed from the page);
- a low-contrast paragraph, an image without alt: axe-core in Chromium;
- a failing notebook: a topic notebook whose cell raises, run in a fresh kernel
  on each backend (the check is parametrized by topic and backend, each with a
  verdict of its own).

The site's copy holds one topic page in both languages (`shapes`, built by this
checkout's `make build`) and the assets, and the checks run only on it, so that
each run takes seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from spickzettel.core import backends
from spickzettel.core.paths import ROOT
from spickzettel.core.record import record_path
from tests import sandbox, verdicts

TOPIC = "shapes"
# What the copies are made of (tests/verdicts.py: these checks run again only
# when the engine, the tests or these parts of the built site change).
# Not the home pages, which change with every page (the zip's size): the copy gets
# a home page of its own. Nor the search index and the sitemap, which change with
# every page too: Material's scripts fetch them on every page, so the browser's copy
# gets an empty index and sitemap of its own (SEARCH_STUBS).
SITE_PARTS = (
    "site/assets",
    f"site/{TOPIC}",
    f"site/en/{TOPIC}",
    f"docs/de/{TOPIC}.md",
    f"docs/en/{TOPIC}.md",
    f"snippets/{TOPIC}.md",
)
SEARCH_STUBS = {
    "site/search/search_index.json": json.dumps(
        {
            "config": {
                "lang": ["de", "en"],
                "separator": r"[\s\-]+",
                "pipeline": ["stopWordFilter"],
            },
            "docs": [],
        }
    ),
    "site/sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n',
}
pytestmark = pytest.mark.reads(*sandbox.HARNESS, *SITE_PARTS)

PAGE = f"/en/{TOPIC}/"
COPY_CHECK = (
    "tests/test_built_pages.py::"
    f"test_copied_code_is_the_executed_code_whole_and_in_order[{PAGE}]"
)
AXE_CHECK = f"tests/browser/test_pages_en.py::test_accessibility_axe[{PAGE}]"
# One item per backend: the notebook's first cell rewritten to it (test_copied_code).
KERNEL_CHECKS = tuple(
    "tests/browser/test_copied_code.py::"
    f"test_copied_code_runs_and_prints_what_the_page_shows[{TOPIC}-{backend}]"
    for backend in backends.BACKENDS
)
REUSED = re.compile(r"(\d+) checks reused from the verdict cache")
# The verify run's summary line for a unit taken from its cache slot
# (spickzettel/verify/pytest_plugin.py).
RESTORED = "verification cache: 1 unchanged file(s) restored"


def _pytest(repo: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in sandbox.environment().items()
        if name not in ("CI", "FRESH")  # the cache is used, as in a local run
    }
    # The kernel checks run whatever their estimate: a local budget would skip the
    # changed notebook on JAX and PyTorch once a start-up has been measured.
    for budget in ("", "_OTHER_BACKENDS"):
        environment[f"{verdicts.BUDGETS}{budget}"] = "inf"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _reused(result: subprocess.CompletedProcess) -> int:
    found = REUSED.search(result.stdout)
    return int(found[1]) if found else 0


def _site_copy(tmp_path: Path) -> Path:
    """The engine and the tests, with one topic of the built site and its sources."""
    repo = sandbox.harness_only(tmp_path / "repo")
    for part in SITE_PARTS:
        source, target = ROOT / part, repo / part
        if not source.exists():
            pytest.fail(f"{part} is missing: run `make build` first", pytrace=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    (repo / "site" / "index.html").write_text(
        '<html lang="de"><head><title>Home</title></head><body></body></html>',
        encoding="utf-8",
    )
    # The record entry the notebook check orders topics by (the execution time),
    # in each backend's record (its budget reads that backend's).
    entry = json.dumps({"snippets": {f"{TOPIC}.md": {}}})
    for backend in backends.BACKENDS:
        record = repo / record_path(backend).relative_to(ROOT)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(entry, encoding="utf-8")
    return repo


def _passes_then_is_reused(repo: Path, *checks: str) -> None:
    first = _pytest(repo, *checks)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    again = _pytest(repo, *checks)
    assert again.returncode == 0, again.stdout[-3000:]
    assert _reused(again) == len(checks), f"the cache is not warm:\n{again.stdout}"


def _fails(repo: Path, *checks: str, saying: str) -> None:
    result = _pytest(repo, *checks)
    assert result.returncode == 1, f"the planted defect passed:\n{result.stdout}"
    assert _reused(result) == 0, "a check of the changed page was reused"
    assert saying in result.stdout, result.stdout[-3000:]
    for check in checks:  # every one of them (pytest's summary names each failure)
        assert f"FAILED {check}" in result.stdout, result.stdout[-3000:]


def _edit(path: Path, old: str, new: str) -> str:
    """Replace the first `old` in the file; returns the text before the edit."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: nothing to plant the defect in ({old!r})"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_a_wrong_output_fails_with_the_verification_cache_warm(tmp_path):
    """On every backend, as `make verify` runs them: each backend's run has a
    cache slot of its own (.verified/cache/<backend>/), all of them warm before
    the output is edited, and each backend's run must fail on the edit."""
    repo = sandbox.harness_only(tmp_path / "repo")
    snippet = repo / "snippets" / "planted.md"
    snippet.write_text(
        "# Planted\n\n```pycon\n>>> print(6 * 7)\n42\n```\n", encoding="utf-8"
    )
    verify = [*sandbox.VERIFY, "snippets", "-p", "no:cacheprovider"]
    for backend in backends.BACKENDS:
        for _ in range(2):  # the second run restores the file from the cache
            result = sandbox.run(verify, cwd=repo, backend=backend)
            assert result.returncode == 0, result.stdout + result.stderr
        assert RESTORED in result.stdout, f"{backend}: cache not warm\n{result.stdout}"
        slot = repo / ".verified" / "cache" / backend / "snippets__planted.md"
        assert slot.is_dir(), f"no cache slot on {backend}"
    _edit(snippet, "42\n", "41\n")
    for backend in backends.BACKENDS:
        result = sandbox.run(verify, cwd=repo, backend=backend)
        assert result.returncode != 0, f"{backend}:\n{result.stdout}"
        assert RESTORED not in result.stdout, f"{backend}: the edit was restored"
        assert "41" in result.stdout and "42" in result.stdout, result.stdout


def test_a_stale_snippet_and_a_broken_copy_button_fail_with_the_verdicts_warm(
    tmp_path,
):
    """No browser: the copy texts of the built page against the executed code."""
    repo = _site_copy(tmp_path)
    _passes_then_is_reused(repo, COPY_CHECK)

    # A stale snippet: its code changed after the site was built.
    snippet = repo / "snippets" / f"{TOPIC}.md"
    text = snippet.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(">>> "))
    _edit(snippet, line, line + "  # edited after the build")
    _fails(repo, COPY_CHECK, saying="are not the code that was executed")
    snippet.write_text(text, encoding="utf-8")

    # A broken copy button: the block's copy text gone, the button copies the
    # prompts and the output with the code.
    page = repo / "site" / "en" / TOPIC / "index.html"
    html = page.read_text(encoding="utf-8")
    copy_text = re.search(r' data-copy="[^"]*"', html)
    assert copy_text, "no code block with a copy text on the page"
    _edit(page, copy_text[0], "")
    _fails(repo, COPY_CHECK, saying="are not the code that was executed")


@pytest.mark.browser
def test_low_contrast_and_an_image_without_alt_fail_with_the_verdicts_warm(tmp_path):
    repo = _site_copy(tmp_path)
    for part, text in SEARCH_STUBS.items():
        (repo / part).parent.mkdir(parents=True, exist_ok=True)
        (repo / part).write_text(text, encoding="utf-8")
    _passes_then_is_reused(repo, AXE_CHECK)
    page = repo / "site" / "en" / TOPIC / "index.html"
    heading = re.search(r"</h1>", page.read_text(encoding="utf-8"))
    assert heading, "no title on the page to plant a defect under"

    before = _edit(
        page, "</h1>", '</h1><p style="color:#bbb;background:#fff">Pale text.</p>'
    )
    _fails(repo, AXE_CHECK, saying="color-contrast")
    page.write_text(before, encoding="utf-8")

    _edit(page, "</h1>", '</h1><img src="../../assets/images/favicon.png">')
    _fails(repo, AXE_CHECK, saying="image-alt")


@pytest.mark.browser
def test_a_failing_notebook_fails_with_the_verdicts_warm(tmp_path):
    """The topic's notebook run in a fresh kernel (the copied code, in order), on
    every backend: each backend's item passes, is reused, and fails on the
    planted cell. The cell is planted right after the backend cell, so that the
    failing kernels stop before they import Keras (a failure in any later cell
    fails the same way: the kernel runs the cells in order)."""
    repo = _site_copy(tmp_path)
    _passes_then_is_reused(repo, *KERNEL_CHECKS)
    (notebook,) = (repo / "site" / TOPIC).glob("*.ipynb")
    planted = nbformat.read(notebook, as_version=4)
    code = [cell for cell in planted.cells if cell.cell_type == "code"]
    assert backends.is_backend_cell(code[0]), "the notebook has no backend cell"
    code[1].source = "raise RuntimeError('planted')"
    nbformat.write(planted, notebook)
    _fails(repo, *KERNEL_CHECKS, saying="the notebook fails in a fresh kernel")
