"""The verdict cache: a check that passed is not run again while what it read holds.

Like the verification cache (spickzettel/verify/cache.py), one level up: a test
item that passed keeps its verdict under the digest of everything it read, and
the next run of `make tests` does not run it again while that digest holds. The
item is deselected, counted in one summary line ("N checks reused from the verdict
cache (unchanged inputs)") and listed with -v; it is never shown as a pass of this
run. Only passes are kept: a failure, an error or a skip runs again every time.

What an item read (its key):

- always: its code (the test module, every module of tests/ and spickzettel/ it
  imports, transitively, and the conftest.py files it runs under, pyproject.toml),
  the environment (Python, every installed distribution with its version, so
  Material, Playwright and axe-core among them, the Chromium on PATH, the
  KERAS_* variables);
- a test that declares nothing: the whole checkout, site/ and the verification
  record included (everything but .git, .venv, the caches and build/, which is a
  copy of site/): it runs again after any change;
- a test marked `@pytest.mark.reads("page")`: the built page it is parametrized
  with (its `page` argument, or one named `..._page` such as `formula_page`, a
  tests.browser.site.Page) and nothing else of the
  site: the page's HTML, every file of site/ it loads (scripts, the search worker
  its Material config starts, stylesheets and the fonts and images they name,
  figures) or links to for download (its notebook,
  the PDFs, the offline zip), the list of site/'s file names (so a link target
  that appears or disappears counts), its Markdown source and the snippet files
  (or exercise notebook) it is built from;
- `@pytest.mark.reads("visit")`: the same page as a browser visit reads it: as
  "page", but of the files it links for download (its notebook, the PDFs, the
  offline zip, which changes with every page) only their names;
- `@pytest.mark.reads(pages=function)`: the pages (tests.browser.site.Page) or files
  that `function` returns, called with the item's parameters of the same names
  (e.g. a topic's pages in both languages for a test parametrized by topic), or
  anything with a `verdict_digest()` (the digest of what the check reads of it;
  None: it cannot be told, the check runs), such as a search worker's answer
  (tests/browser/search_answers.py); a type with a `prepare(reads)` class method
  is told all of a run's reads of it at once before the first key;
- `@pytest.mark.reads("docs", "snippets/threshold.md", ...)`: those files or
  folders of the checkout (with "page" or a function, or alone).

- `@pytest.mark.reads()` (nothing named): only its code and the environment (a
  test of the engine on data it makes itself, in tmp_path or a sandbox copy).

The closest markers count: a test's own `reads` replaces its module's
`pytestmark` (so a topic-parametrized test in a module of page checks names its
pages). A test that declares "page" or a function but is not parametrized so (a
test of the whole module) falls back to the whole checkout.

A test that reads anything else must say so, or declare nothing.

A check that a budget skips (a topic notebook's kernel run,
tests/browser/test_copied_code.py) is noted with its key (`defer`), so that a
later run can tell that its inputs changed since (`owed_a_run`): the notebook
then runs on TensorFlow whatever the budget.

Bypass: CI=true (any value but "", "0", "false") or FRESH=1 ignores the cache,
so CI runs every check; the verdicts of such a run are still kept. The cache
lives in .verified/verdicts/ (one small JSON file per item; `make clean` deletes
it with the record). `git`-tracked nothing.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import inspect
import json
import os
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from spickzettel.core.layout import (
    notebook_figure_dir,
    notebook_files,
    notebook_outputs,
)
from spickzettel.core.pages import snippet_includes
from spickzettel.core.paths import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    ROOT,
    SITE,
    SNIPPETS,
    VERIFIED,
)
from tests.browser.site import page_for
from tests.built_site import document, started_worker

VERDICTS = VERIFIED / "verdicts"
MARKER = "reads"
PAGE = "page"
VISIT = "visit"  # the page as a browser visit reads it: its downloads by name
PAGES = "pages"  # reads(pages=function)
# Never part of a checkout's digest: version control, the environment, the caches
# (this one included) and build/ (the offline copy, zipped into site/).
NOT_READ = {
    ".git",
    ".venv",
    "build",
    "screenshots",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
}
NOT_READ_UNDER_VERIFIED = {"cache", "verdicts"}
# The first party packages whose imports are followed into the code digest.
FIRST_PARTY = ("tests", "spickzettel")
SUMMARY = "{} checks reused from the verdict cache (unchanged inputs)"


def bypassed() -> bool:
    """CI and FRESH=1 run every check."""
    return any(
        os.environ.get(name, "").lower() not in ("", "0", "false")
        for name in ("CI", "FRESH")
    )


# ---- digests -------------------------------------------------------------------------


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _digest_of(path: Path) -> str:
    """A file's or folder's content (names and bytes); "absent" if missing."""
    if path.is_file():
        return _file_digest(path)
    if not path.is_dir():
        return "absent"
    digest = hashlib.sha256()
    for file in _files_under(path):
        name = file.relative_to(path).as_posix()
        digest.update(f"{name}\0{_file_digest(file)}\0".encode())
    return digest.hexdigest()


def _files_under(folder: Path) -> list[Path]:
    found = []
    for current, folders, files in os.walk(folder):
        here = Path(current)
        folders[:] = sorted(
            name
            for name in folders
            if name not in NOT_READ
            and not (here == VERIFIED and name in NOT_READ_UNDER_VERIFIED)
            and not name.endswith(".egg-info")
        )
        found += [here / name for name in sorted(files)]
    return found


def _named_digest(path: Path) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{_digest_of(path)}"


@cache
def checkout_digest() -> str:
    """Everything of the checkout a test could read: sources, tests, site/."""
    return _digest_of(ROOT)


@cache
def site_names() -> str:
    return "\n".join(p.relative_to(SITE).as_posix() for p in _files_under(SITE))


@cache
def chromium_version() -> str:
    try:
        result = subprocess.run(
            ["chromium", "--version"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"no chromium: {error}"
    return result.stdout.strip()


# The prefix of the kernel runs' budgets (tests/browser/test_copied_code.py). A
# budget decides whether a check runs, not what it does or reads: a pass under one
# budget is a pass under any (CI sets them to "inf").
BUDGETS = "KERAS_SPICKZETTEL_COPY_RUN_BUDGET"


@cache
def environment_digest() -> str:
    # The verify run's environment digest: Python, platform, every installed
    # distribution and its version (mkdocs-material, playwright, axe-playwright-
    # python, which bundles axe-core, ...).
    from spickzettel.verify.cache import environment_digest as installed

    variables = sorted(
        f"{name}={value}"
        for name, value in os.environ.items()
        if (name.startswith("KERAS") or name in ("TF_CPP_MIN_LOG_LEVEL", "LANG"))
        and not name.startswith(BUDGETS)
    )
    parts = [installed(), chromium_version(), *variables]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# ---- the code an item runs -----------------------------------------------------------


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] not in FIRST_PARTY:
        return None
    base = ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache  # every test module imports much the same: each file is parsed once
def _imported(path: Path) -> frozenset[Path]:
    """The first-party modules a file imports (and the packages around them)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    found = set()
    for name in names:
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            module = _module_file(".".join(parts[:end]))
            if module is not None:
                found.add(module)
    return frozenset(found)


@cache
def code_digest(module: Path) -> str:
    """The test module, what it imports of tests/ and spickzettel/ (transitively),
    the conftest.py files above it (and what they import), and pyproject.toml."""
    start = {module, ROOT / "pyproject.toml"}
    folder = module.parent
    while folder.is_relative_to(ROOT):
        if (folder / "conftest.py").is_file():
            start.add(folder / "conftest.py")
        folder = folder.parent
    seen: set[Path] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.suffix == ".py":
            todo += _imported(path) - seen
    digest = hashlib.sha256()
    for path in sorted(seen):
        name = path.relative_to(ROOT).as_posix()
        digest.update(f"{name}\0{_file_digest(path)}\0".encode())
    return digest.hexdigest()


# ---- what a page reads ---------------------------------------------------------------


REFERENCING = {"src", "href", "data", "poster", "srcset"}


def _references(path: Path, links: bool) -> list[str]:
    """What a page loads (src, stylesheets, icons, preloads: every element's
    referencing attributes but a link's; the search worker Material starts), or
    with `links` what its links (<a href>) name: read from the tree the tests
    share."""
    worker = None if links else started_worker(path)
    found = [worker] if worker else []
    for element in document(path).iter():
        if (element.tag == "a") != links:
            continue
        for name, value in element.items():
            if name in REFERENCING and value:
                if name == "srcset":
                    found += [part.split()[0] for part in value.split(",")]
                else:
                    found.append(value)
    return found


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def _local(reference: str, base: Path) -> Path | None:
    """The file of site/ a reference names, if it is one (not a page)."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = (SITE / path.lstrip("/")) if path.startswith("/") else base / path
    target = Path(os.path.normpath(target))
    if not target.is_relative_to(SITE) or not target.is_file():
        return None  # a folder is a page; a page is checked by its own items
    return None if target.suffix == ".html" else target


@cache
def _loaded(path: Path) -> frozenset[Path]:
    """site/ files a file loads (an HTML page's references, a stylesheet's url()s),
    transitively through stylesheets."""
    if path.suffix == ".css":
        references = CSS_URL.findall(path.read_text(encoding="utf-8", errors="replace"))
    else:
        references = _references(path, links=False)
    found = set()
    for reference in references:
        target = _local(reference, path.parent)
        if target is not None:
            found.add(target)
            if target.suffix == ".css":
                found |= _loaded(target)
    return frozenset(found)


@cache
def _linked(path: Path) -> frozenset[Path]:
    """site/ files (not pages) a page links to: its downloads."""
    found = {_local(reference, path.parent) for reference in _references(path, True)}
    return frozenset(found - {None})


@cache  # a page is read by tens of items, each with the same inputs
def page_inputs(page, downloads: bool = True) -> tuple[Path, ...]:
    """Everything a check of one built page reads (see the module's docstring);
    without `downloads`, as a visit reads it: not the files it links to."""
    files = _loaded(page.html_file) | (_linked(page.html_file) if downloads else set())
    inputs = [page.html_file, *sorted(files)]
    source = page.source
    if source is not None:
        inputs.append(source)
        text = source.read_text(encoding="utf-8")
        inputs += [SNIPPETS / file for file, _ in snippet_includes(text)]
    notebook = getattr(page, "notebook", None)
    if notebook is not None:
        # An exercise page: its source notebook and what its verified run wrote
        # (the executed notebooks the page's code is compared with).
        inputs.append(notebook)
        inputs += sorted(notebook_outputs(notebook.name).values())
    return tuple(inputs)


def exercise_inputs(source: Path) -> list:
    """What a check of one exercise notebook reads (for `reads(pages=...)`, with
    a `source` parameter): its source, what its verified run wrote (the solution
    and task notebooks, the pages, the figures) and its built pages in every
    language with what they load and link (its downloads)."""
    written = [
        *notebook_files(source.name),
        notebook_figure_dir(source.name),
    ]
    built = [
        page_for(
            f"/{'' if language == DEFAULT_LANGUAGE else language + '/'}"
            f"exercises/{source.stem}/"
        )
        for language in LANGUAGES
    ]
    return [source, *written, *built]


@dataclass(frozen=True)
class Visit:
    """A built page as a browser visit reads it, for `reads(pages=...)` (what
    `reads("visit")` declares for a page parameter)."""

    page: object  # a tests.browser.site.Page

    def verdict_digest(self) -> str | None:
        if not self.page.html_file.is_file():
            return None  # a page not built: let the test say so
        return _page_digest(self.page, downloads=False)


@cache
def _page_digest(page, downloads: bool = True) -> str:
    return "\n".join(_named_digest(file) for file in page_inputs(page, downloads))


# ---- an item's key -------------------------------------------------------------------


def declared(item) -> list | None:
    """What the item's closest `reads` markers name (the test's own replace its
    class's, which replace its module's); None: it declares nothing."""
    found = list(item.iter_markers_with_node(MARKER))
    if not found:
        return None
    closest = found[0][0]
    markers = [marker for node, marker in found if node is closest]
    # A function comes as pages=: pytest takes a mark's single callable argument
    # for the function it decorates.
    found = [arg for marker in markers for arg in marker.args]
    return found + [m.kwargs[PAGES] for m in markers if PAGES in m.kwargs]


def _pages_of(item, what) -> list | None:
    """The pages (or paths) a "page" or callable declaration names for this item;
    None when the item has no such parameter."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if what in (PAGE, VISIT):
        # `page`, or a narrower page parameter such as `formula_page`
        named = [name for name in params if name == PAGE or name.endswith("_page")]
        pages = [params[name] for name in named if params[name] is not None]
        return pages or None
    names = inspect.signature(what).parameters
    if not all(name in params for name in names):
        return None
    try:
        return list(what(**{name: params[name] for name in names}))
    except Exception:  # e.g. no built site: the test says what is wrong
        return None


def key(item) -> str | None:
    """The digest of everything the item reads; None when it cannot be told (then
    the item always runs)."""
    module = getattr(item, "path", None)
    if module is None or module.suffix != ".py" or not module.is_relative_to(ROOT):
        return None
    parts = [item.nodeid, environment_digest(), code_digest(module)]
    reads = declared(item)
    if reads is None:
        parts.append(checkout_digest())
    for what in reads or []:
        if isinstance(what, str) and what not in (PAGE, VISIT):
            parts.append(f"{what}:{_digest_of(ROOT / what)}")
            continue
        found = _pages_of(item, what)
        if found is None:
            # Declared for its pages but not parametrized by one (a test of the
            # whole module): the safe default, the whole checkout.
            parts.append(checkout_digest())
            continue
        parts.append(site_names())
        for page in found:
            if hasattr(page, "verdict_digest"):  # a read that digests itself
                digest = page.verdict_digest()
                if digest is None:
                    return None
                parts.append(digest)
                continue
            if not hasattr(page, "html_file"):  # a file or folder of the checkout
                parts.append(_named_digest(Path(page)))
                continue
            if not page.html_file.is_file():
                return None  # a page not built: let the test say so
            parts.append(_page_digest(page, downloads=what != VISIT))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _skipped(item) -> bool:
    """Skipped by a mark whose condition is known at collection."""
    for mark in item.iter_markers():
        if mark.name == "skip":
            return True
        known = all(isinstance(condition, bool) for condition in mark.args)
        if mark.name == "skipif" and known and any(mark.args):
            return True
    return False


def _prepare(items) -> None:
    """Reads that are told cheaper all at once (a search answer: one Node run for
    all of them) are told before the first key asks for one."""
    batches: dict = {}
    for item in items:
        if _skipped(item):
            continue
        for what in declared(item) or []:
            if not callable(what):
                continue
            for read in _pages_of(item, what) or []:
                prepare = getattr(type(read), "prepare", None)
                if prepare is not None:
                    batches.setdefault(prepare, []).append(read)
    for prepare, reads in batches.items():
        prepare(reads)


# ---- the store -----------------------------------------------------------------------


def _slot(nodeid: str) -> Path:
    return VERDICTS / (hashlib.sha256(nodeid.encode()).hexdigest()[:32] + ".json")


def _stored(nodeid: str) -> dict | None:
    slot = _slot(nodeid)
    try:
        stored = json.loads(slot.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stored if stored.get("nodeid") == nodeid else None


def held(nodeid: str, digest: str) -> bool:
    """A pass is kept under this very digest."""
    stored = _stored(nodeid)
    return bool(stored and stored.get("passed") and stored.get("key") == digest)


def owed_a_run(item) -> bool:
    """Whether this check runs here whatever a budget says: CI; it ran before
    (passed or failed; a pass whose inputs still hold was reused, so it changed or
    it failed); or a budget put it off under inputs that have changed since. A
    check that is new here, or put off and unchanged, may wait for a budget."""
    if bypassed():
        return True
    stored = _stored(item.nodeid)
    if stored is None:
        return False
    if stored.get("deferred"):
        return stored.get("key") != _keys.get(item.nodeid)
    return True


def defer(item) -> None:
    """A check a budget put off: its inputs now, so that a later run can tell that
    they changed (owed_a_run). An outcome kept before says more and stays."""
    digest = _keys.get(item.nodeid)
    stored = _stored(item.nodeid)
    if digest is None or bypassed() or (stored and not stored.get("deferred")):
        return
    _write(item.nodeid, {"key": digest, "deferred": True})


def keep(nodeid: str, digest: str, passed: bool) -> None:
    """The item's outcome under its digest; only a pass is ever reused."""
    _write(nodeid, {"key": digest, "passed": passed})


def _write(nodeid: str, entry: dict) -> None:
    VERDICTS.mkdir(parents=True, exist_ok=True)
    slot = _slot(nodeid)
    partial = slot.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps({"nodeid": nodeid, **entry}), encoding="utf-8")
    partial.replace(slot)


# ---- the pytest plugin (registered by tests/conftest.py) -----------------------------

_keys: dict[str, str] = {}
_outcomes: dict[str, bool] = {}  # nodeid -> every phase passed (so far)
_failed: dict[str, bool] = {}
_reused: list[str] = []


def _keys_of(items) -> dict[str, str | None]:
    """Every item's key (None: none; items skipped at collection have none)."""
    _prepare(items)
    return {item.nodeid: None if _skipped(item) else key(item) for item in items}


def _run_keys(config, items) -> dict[str, str | None]:
    """This run's keys. xdist's workers collect the same items from the same
    files, so the first worker here computes the keys and the others read them
    (the run's id tells this run's file from an earlier one's); each would
    otherwise digest the same files and ask Node the same questions, competing
    for the same cores."""
    run = getattr(config, "workerinput", {}).get("testrunuid")
    if run is None:
        return _keys_of(items)
    VERDICTS.mkdir(parents=True, exist_ok=True)
    shared = VERDICTS / "keys-of-this-run.json"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            kept = json.loads(shared.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = {}
        nodeids = [item.nodeid for item in items]
        if kept.get("run") == run and list(kept.get("keys", {})) == nodeids:
            return kept["keys"]
        keys = _keys_of(items)
        shared.write_text(json.dumps({"run": run, "keys": keys}), encoding="utf-8")
        return keys


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Deselect the items whose kept verdict still holds (on each xdist worker, in
    the same way: the decision depends only on files, which nothing changes until
    every worker has collected)."""
    keys = _run_keys(config, items)
    keep_items, reused = [], []
    for item in items:
        digest = keys[item.nodeid]
        if digest is not None:
            _keys[item.nodeid] = digest
        if digest is not None and not bypassed() and held(item.nodeid, digest):
            reused.append(item)
        else:
            keep_items.append(item)
    if reused:
        config.hook.pytest_deselected(items=reused)
        items[:] = keep_items
    _reused[:] = [item.nodeid for item in reused]
    if hasattr(config, "workeroutput"):
        config.workeroutput["verdicts_reused"] = _reused[:]


def pytest_runtest_logreport(report):
    passed = report.passed and not hasattr(report, "wasxfail")
    _outcomes[report.nodeid] = _outcomes.get(report.nodeid, True) and passed
    if report.failed:
        _failed[report.nodeid] = True
    if report.when != "teardown" or report.nodeid not in _keys:
        return
    passed = _outcomes.pop(report.nodeid)
    failed = report.failed or _failed.pop(report.nodeid, False)
    if passed or failed:  # a skip says nothing about the check
        keep(report.nodeid, _keys[report.nodeid], passed)


def pytest_testnodedown(node, error):
    """xdist controller: the workers' reused items (both workers report the same)."""
    reused = getattr(node, "workeroutput", {}).get("verdicts_reused", [])
    _reused[:] = sorted(set(_reused) | set(reused))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    # Everything reused is not "no tests collected": the checks hold.
    if _reused and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput") or not _reused:
        return
    terminalreporter.write_sep("-", SUMMARY.format(len(_reused)))
    if config.option.verbose > 0:
        for nodeid in _reused:
            terminalreporter.write_line(f"{nodeid} REUSED")
    terminalreporter.write_line(
        "(FRESH=1 or CI=true runs them; tests/verdicts.py says what each one read)"
    )
