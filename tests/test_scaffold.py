"""`make topic`: a new, empty topic passes the checks and builds, unchanged.

Runs in a copy of the repository (with the verification record and figures of the
current run), so the working tree never sees the probe topic.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spickzettel.core import backends, mkdocs_config
from spickzettel.core import record as vr
from spickzettel.core.fences import fences
from spickzettel.core.pages import headings, includes
from spickzettel.tools import scaffold, snippet_lint
from tests import sandbox

NAME = "scaffold-probe"
TITLE_DE = "Gerüst: Probe für Überschriften"
TITLE_EN = "Scaffold: a probe"
# The lead's guard and parity tests, whatever their exact file names.
CHECKS = re.compile(r"^test_.*(guard|parity).*\.py$")


def _record_is_current() -> str | None:
    try:
        found = vr.problems(vr.load())
    except FileNotFoundError as error:
        return str(error)
    return "; ".join(found) or None


@pytest.mark.ci_only  # a full strict build in a copy: about 30 s
def test_new_topic_passes_the_checks_and_builds(tmp_path):
    stale = _record_is_current()
    if stale:
        pytest.skip(f"needs a verified checkout (make verify): {stale}")
    repo = sandbox.copy_repo(tmp_path / "repo")
    written = scaffold.create_topic(NAME, TITLE_DE, TITLE_EN, root=repo)
    snippet, page_de, page_en, config = written
    assert snippet == repo / "snippets" / f"{NAME}.md"

    # The conventions, checked here directly: same anchors and includes in both
    # languages, no code on the pages, a setup section that seeds, clean code.
    pages = [page.read_text(encoding="utf-8") for page in (page_de, page_en)]
    anchors = [[anchor for _, anchor in headings(page)] for page in pages]
    assert anchors[0] == anchors[1] == [NAME, "setup"]
    assert includes(pages[0]) == includes(pages[1]) == [f"{NAME}.md:setup"]
    assert not any(list(fences(page)) for page in pages)
    assert "keras.utils.set_random_seed(42)" in snippet.read_text(encoding="utf-8")
    assert snippet_lint.lint([snippet], root=repo) == []
    nav = mkdocs_config.load(config.read_text(encoding="utf-8"))
    assert mkdocs_config.english_titles(nav)[TITLE_DE] == TITLE_EN

    # The guard and parity tests of the copy, and the new snippet executed (which
    # adds it to the copy's verification record) ...
    checks = sorted(
        f"tests/{path.name}"
        for path in (repo / "tests").glob("test_*.py")
        if CHECKS.match(path.name)
    )
    # The new topic is verified on every backend: the build wants all three
    # records (the project's own checks run once, with the first).
    for backend in backends.BACKENDS:
        result = sandbox.run(
            [
                *sandbox.VERIFY,
                f"snippets/{NAME}.md",
                *(checks if backend == backends.PRIMARY else []),
                "-p",
                "no:cacheprovider",
                "-q",
            ],
            cwd=repo,
            backend=backend,
        )
        assert result.returncode == 0, backend + result.stdout + result.stderr

    # ... then the strict build, with the stamp and the nav titles on both pages.
    result = sandbox.run(["mkdocs", "build", "--strict", "--quiet"], cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    built_de = _html(repo / "site" / NAME / "index.html")
    built_en = _html(repo / "site" / "en" / NAME / "index.html")
    assert "Geprüft: alle 2 Beispiele" in built_de
    assert "Verified: all 2 examples" in built_en
    assert TITLE_DE in built_de and TITLE_EN in built_en


def _html(path: Path) -> str:
    assert path.is_file(), f"not built: {path}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Bad_Name", "a", "b"), "lower-case words"),
        (("three-ways", "a", "b"), "already there"),
        (("by-backend", "a", "b"), "other backends' figures"),
        (("x", "a", "b", "Keine solche"), "SECTION_EN"),
        (("x", "Drei Wege zum Modell", "Other title"), "already translated"),
    ],
)
def test_scaffold_refuses_and_writes_nothing(tmp_path, args, message):
    repo = sandbox.copy_repo(tmp_path / "repo", ["mkdocs.yml", "snippets", "docs"])
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    with pytest.raises(scaffold.ScaffoldError, match=message):
        scaffold.create_topic(*args, root=repo)
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert after == before


def test_new_section_gets_both_titles(tmp_path):
    repo = sandbox.copy_repo(tmp_path / "repo", ["mkdocs.yml", "snippets", "docs"])
    scaffold.create_topic(
        "probe", "Probe", "Probe EN", "Neuer Teil", "New part", root=repo
    )
    config = mkdocs_config.load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    assert {"Neuer Teil": [{"Probe": "probe.md"}]} in config["nav"]
    english = mkdocs_config.english_titles(config)
    assert english["Neuer Teil"] == "New part"
    assert english["Probe"] == "Probe EN"
