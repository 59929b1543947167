"""The verdict cache (tests/verdicts.py): a pass is reused while what it read holds.

Runs pytest in a throw-away copy of the engine and the tests (tests/sandbox.py) on a
planted test module and a planted site of two pages, so that each run takes seconds:
a page-parametrized check that declares its page, and a check that declares
nothing. Each check writes a line to a log when it really runs.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests import sandbox, verdicts

# Runs in copies of the engine and the tests only (tests/verdicts.py: an edit to a
# snippet or a page does not run it again).
pytestmark = pytest.mark.reads(*sandbox.HARNESS)

PLANTED = """\
from pathlib import Path

import pytest

from tests.browser.site import page_for

LOG = Path(__file__).parents[1] / "ran.log"


def ran(name):
    with LOG.open("a") as log:
        log.write(name + "\\n")


@pytest.mark.reads("page")
@pytest.mark.parametrize("page", [page_for("/a/"), page_for("/b/")], ids=["a", "b"])
def test_prose(page):
    ran(page.slug)
    assert "broken" not in page.html()


def test_whole_site():
    ran("site")
    assert (Path(__file__).parents[1] / "site" / "index.html").is_file()
"""
PAGE = "<html><head>{head}</head><body><p>{prose}</p></body></html>"
STYLE = '<link rel="stylesheet" href="../assets/page.css">'


def _run(repo, **env) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in sandbox.environment().items()
        if name not in ("CI", "FRESH")
    }
    environment.update(env)
    command = [sys.executable, "-m", "pytest", "tests/test_planted.py", "-v"]
    return subprocess.run(
        [*command, "-p", "no:cacheprovider"],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _ran(repo) -> list[str]:
    """The checks that ran since the last call, in order."""
    log = repo / "ran.log"
    if not log.exists():
        return []
    lines = log.read_text().split()
    log.unlink()
    return sorted(lines)


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_pass_is_reused_until_what_it_read_changes(tmp_path):
    repo = sandbox.harness_only(tmp_path / "repo")
    _write(repo / "tests" / "test_planted.py", PLANTED)
    site = repo / "site"
    _write(site / "index.html", PAGE.format(head="", prose="home"))
    _write(site / "a" / "index.html", PAGE.format(head=STYLE, prose="A page."))
    _write(site / "b" / "index.html", PAGE.format(head="", prose="B page."))
    _write(site / "assets" / "page.css", "p { color: #222; }")

    first = _run(repo)
    assert first.returncode == 0, first.stdout + first.stderr
    assert _ran(repo) == ["a/", "b/", "site"]

    # Nothing changed: nothing runs, the reuse is said and listed, and pytest
    # does not exit with 5 (no tests collected).
    again = _run(repo)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _ran(repo) == []
    assert "3 checks reused from the verdict cache (unchanged inputs)" in again.stdout
    assert "tests/test_planted.py::test_prose[a] REUSED" in again.stdout
    assert " passed" not in again.stdout.splitlines()[-1], "shown as a fresh pass"

    # A page's prose changes: its check runs, the other page's is reused; the
    # undeclared check reads the whole checkout, so it runs after any change.
    _write(site / "a" / "index.html", PAGE.format(head=STYLE, prose="A page, new."))
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["a/", "site"]
    # What the page loads is what it read: a stylesheet of page a.
    _write(site / "assets" / "page.css", "p { color: #ddd; }")
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["a/", "site"]

    # A planted defect fails, and fails again: a failure is never reused.
    _write(site / "b" / "index.html", PAGE.format(head="", prose="broken"))
    for expected in (["b/", "site"], ["b/"]):  # the second time: site unchanged
        failed = _run(repo)
        assert failed.returncode == 1, failed.stdout
        assert _ran(repo) == expected

    # The test's code is part of what it read; CI=true and FRESH=1 run everything.
    _write(site / "b" / "index.html", PAGE.format(head="", prose="B page."))
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["b/", "site"]
    planted = repo / "tests" / "test_planted.py"
    _write(planted, planted.read_text() + "\n# changed\n")
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["a/", "b/", "site"]
    for bypass in ({"CI": "true"}, {"FRESH": "1"}):
        assert _run(repo, **bypass).returncode == 0
        assert _ran(repo) == ["a/", "b/", "site"]


DECLARED = """\
from pathlib import Path

import pytest

from tests.browser.site import page_for

LOG = Path(__file__).parents[1] / "ran.log"
ROOT = Path(__file__).parents[1]
# The module's declaration; a test's own replaces it.
pytestmark = pytest.mark.reads("page")


def ran(name):
    with LOG.open("a") as log:
        log.write(name + "\\n")


def topic_files(topic):
    return [ROOT / "notes" / f"{topic}.txt", page_for(f"/{topic}/")]


@pytest.mark.reads(pages=topic_files)
@pytest.mark.parametrize("topic", ["a", "b"])
def test_topic(topic):
    ran("topic-" + topic)
    assert "broken" not in (ROOT / "notes" / f"{topic}.txt").read_text()


@pytest.mark.reads("notes/shared")
def test_shared_folder():
    ran("shared")
    for path in (ROOT / "notes" / "shared").iterdir():
        assert "broken" not in path.read_text()


@pytest.mark.reads()
def test_code_only():
    ran("code")
    assert 6 * 7 == 42
"""


def test_declared_inputs_rerun_their_checks_and_only_them(tmp_path):
    """What a check declares is what it is keyed on: a file its function returns,
    a file in its declared folder, the page it names; a check that declares
    nothing besides its code runs again only when its code changes."""
    repo = sandbox.harness_only(tmp_path / "repo")
    _write(repo / "tests" / "test_planted.py", DECLARED)
    site = repo / "site"
    _write(site / "index.html", PAGE.format(head="", prose="home"))
    for topic in ("a", "b"):
        _write(site / topic / "index.html", PAGE.format(head="", prose=topic))
        _write(repo / "notes" / f"{topic}.txt", f"notes on {topic}")
    _write(repo / "notes" / "shared" / "one.txt", "shared")

    assert _run(repo).returncode == 0
    assert _ran(repo) == ["code", "shared", "topic-a", "topic-b"]
    assert _run(repo).returncode == 0
    assert _ran(repo) == []

    # A file the function returns for topic a (not the module's "page").
    _write(repo / "notes" / "a.txt", "notes on a, edited")
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["topic-a"]
    # The page the function names for topic b.
    _write(site / "b" / "index.html", PAGE.format(head="", prose="b, edited"))
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["topic-b"]
    # A new file in the declared folder.
    _write(repo / "notes" / "shared" / "two.txt", "broken")
    failed = _run(repo)
    assert failed.returncode == 1, failed.stdout
    assert _ran(repo) == ["shared"]
    (repo / "notes" / "shared" / "two.txt").unlink()
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["shared"]
    # The code-only check: its code changed.
    planted = repo / "tests" / "test_planted.py"
    _write(planted, planted.read_text().replace("6 * 7 == 42", "7 * 6 == 42"))
    assert _run(repo).returncode == 0
    # (the whole module's code is every check's code)
    assert _ran(repo) == ["code", "shared", "topic-a", "topic-b"]


VISITS = """\
from pathlib import Path

import pytest

from tests.browser.site import page_for

LOG = Path(__file__).parents[1] / "ran.log"
ROOT = Path(__file__).parents[1]
PAGES = pytest.mark.parametrize("page", [page_for("/a/")], ids=["a"])


def ran(name):
    with LOG.open("a") as log:
        log.write(name + "\\n")


@pytest.mark.reads("page")
@PAGES
def test_page(page):
    ran("page")
    assert "zip" in page.html()


@pytest.mark.reads("visit")
@PAGES
def test_visit(page):
    ran("visit")
    assert "zip" in page.html()


class Answer:
    \"\"\"A read that digests itself: the first line of answer.txt, or none.\"\"\"

    def verdict_digest(self):
        first = (ROOT / "answer.txt").read_text().splitlines()[0]
        return None if first == "unknown" else first


def answer():
    return [Answer()]


@pytest.mark.reads(pages=answer)
def test_answer():
    ran("answer")
    assert (ROOT / "answer.txt").read_text()
"""


def test_a_visit_reads_no_download_and_a_read_can_digest_itself(tmp_path):
    """`reads("visit")` reads the page as a browser visit does: a file it only
    links to (a download) is not part of it, as it is of `reads("page")`. A read
    with `verdict_digest()` (a search answer, tests/browser/search_answers.py) is
    keyed on that digest alone; None: it cannot be told, the check always runs."""
    repo = sandbox.harness_only(tmp_path / "repo")
    _write(repo / "tests" / "test_planted.py", VISITS)
    site = repo / "site"
    _write(site / "index.html", PAGE.format(head="", prose="home"))
    link = '<a href="../a.zip">the zip</a>'
    _write(site / "a" / "index.html", PAGE.format(head=STYLE, prose=link))
    _write(site / "assets" / "page.css", "p { color: #222; }")
    _write(site / "a.zip", "one")
    _write(repo / "answer.txt", "first answer\nmore")

    assert _run(repo).returncode == 0
    assert _ran(repo) == ["answer", "page", "visit"]
    # The linked download changes: the page check runs, the visit does not.
    _write(site / "a.zip", "two")
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["page"]
    # What the page loads changes: both run.
    _write(site / "assets" / "page.css", "p { color: #ddd; }")
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["page", "visit"]
    # The read's digest holds while its first line does.
    _write(repo / "answer.txt", "first answer\nmore, changed")
    assert _run(repo).returncode == 0
    assert _ran(repo) == []
    _write(repo / "answer.txt", "second answer")
    assert _run(repo).returncode == 0
    assert _ran(repo) == ["answer"]
    _write(repo / "answer.txt", "unknown")
    for _ in range(2):
        assert _run(repo).returncode == 0
        assert _ran(repo) == ["answer"]


DEFERRED = """\
import os
from pathlib import Path

import pytest

from tests import verdicts
from tests.browser.site import page_for

LOG = Path(__file__).parents[1] / "ran.log"


@pytest.mark.reads("page")
@pytest.mark.parametrize("page", [page_for("/a/")], ids=["a"])
def test_costly(page, request):
    # As test_copied_code.py's budget: a check owed no run may be put off.
    if not verdicts.owed_a_run(request.node) and os.environ.get("BUDGET") == "0":
        verdicts.defer(request.node)
        pytest.skip("beyond the budget")
    with LOG.open("a") as log:
        log.write("costly\\n")
    assert "broken" not in page.html()
"""


def test_a_check_put_off_for_a_budget_runs_once_its_inputs_change(tmp_path):
    """A check a budget skips is not lost: the inputs it was put off under are
    noted, and once they change the check is owed a run, budget or not. Put off
    and unchanged, it waits again; a check that ran is owed one when it changes."""
    repo = sandbox.harness_only(tmp_path / "repo")
    _write(repo / "tests" / "test_planted.py", DEFERRED)
    site = repo / "site"
    _write(site / "index.html", PAGE.format(head="", prose="home"))
    _write(site / "a" / "index.html", PAGE.format(head="", prose="A page."))

    for _ in range(2):  # new here, then put off and unchanged: it waits
        skipped = _run(repo, BUDGET="0")
        assert skipped.returncode == 0, skipped.stdout + skipped.stderr
        assert "SKIPPED" in skipped.stdout
        assert _ran(repo) == []
    # Its page changes: it runs although the budget is spent, then is reused.
    _write(site / "a" / "index.html", PAGE.format(head="", prose="A page, new."))
    assert _run(repo, BUDGET="0").returncode == 0
    assert _ran(repo) == ["costly"]
    assert _run(repo, BUDGET="0").returncode == 0
    assert _ran(repo) == []
    # It ran before: a change makes it owed, and a planted defect fails.
    _write(site / "a" / "index.html", PAGE.format(head="", prose="broken"))
    failed = _run(repo, BUDGET="0")
    assert failed.returncode == 1, failed.stdout
    assert _ran(repo) == ["costly"]


def test_a_budget_is_no_input_of_a_check_but_the_backend_is(monkeypatch):
    def digest() -> str:
        verdicts.environment_digest.cache_clear()
        return verdicts.environment_digest()

    monkeypatch.delenv(verdicts.BUDGETS, raising=False)
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    try:
        plain = digest()
        monkeypatch.setenv(verdicts.BUDGETS, "inf")
        monkeypatch.setenv(f"{verdicts.BUDGETS}_OTHER_BACKENDS", "inf")
        assert digest() == plain, "a kernel budget changed every check's key"
        monkeypatch.setenv("KERAS_BACKEND", "jax")
        assert digest() != plain, "the backend is no part of a check's key"
    finally:  # the next digest is taken in the environment monkeypatch restores
        verdicts.environment_digest.cache_clear()
