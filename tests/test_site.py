"""The built site (make build): verified, bilingual, private, formulas rendered,
and a copy button that copies exactly the code Sybil executed."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spickzettel.build.clean_copy import runnable_source
from spickzettel.core import pages
from spickzettel.core.fences import fences
from spickzettel.core.paths import LANGUAGES, ROOT, SITE, SNIPPETS
from spickzettel.core.record import RECORD_PATH, installed_versions

HTML_PAGES = sorted(SITE.rglob("*.html"))
# Attributes by which a page makes the browser fetch something.
RESOURCE = re.compile(
    r'<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(?P<src>[^"]+)"'
    r'|<link\b(?=[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest)")'
    r'[^>]*\bhref="(?P<href>[^"]+)"'
)
CSS_URL = re.compile(r"@import\s+[\"']|url\((?P<url>[^)]+)\)")


def _page(path: Path) -> str:
    return path.relative_to(SITE).as_posix()


def test_site_was_built():
    assert (SITE / "index.html").is_file(), "run `make build` before the site tests"
    assert (SITE / "en" / "index.html").is_file()


@pytest.mark.parametrize("path", HTML_PAGES, ids=_page)
def test_page_fetches_nothing_from_other_hosts(path):
    text = path.read_text(encoding="utf-8")
    for match in RESOURCE.finditer(text):
        url = match["src"] or match["href"]
        assert not re.match(r"^(https?:)?//", url), f"{_page(path)} loads {url}"


def test_stylesheets_fetch_nothing_from_other_hosts():
    for css in SITE.rglob("*.css"):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            url = (match["url"] or "").strip("'\" ")
            assert not re.match(r"^(https?:)?//", url), f"{css.name} loads {url}"


def test_formulas_are_mathml_not_tex():
    math_pages = 0
    for path in HTML_PAGES:
        text = path.read_text(encoding="utf-8")
        assert 'class="arithmatex"' not in text, f"{_page(path)}: unconverted formula"
        math_pages += "<math" in text
    assert math_pages >= 2, "the formula pages (de + en) should contain MathML"


def _language(path: Path) -> str:
    return "en" if _page(path).startswith("en/") else "de"


# The 404 page is no page of the site's content: it has nothing to vouch for.
STAMPED_PAGES = [path for path in HTML_PAGES if path.name != "404.html"]


@pytest.mark.parametrize("path", STAMPED_PAGES, ids=_page)
def test_every_page_carries_a_stamp_in_its_language(path):
    text = path.read_text(encoding="utf-8")
    stamp = re.search(r'<p class="verified-stamp">(.*?)</p>', text)
    assert stamp, f"{_page(path)} has no verification stamp"
    german = any(w in stamp[1] for w in ("Geprüft", "keinen Code"))
    assert german == (_language(path) == "de"), f"{_page(path)}: {stamp[1]}"


def _executed_sources(snippet: Path) -> set[str]:
    text = snippet.read_text(encoding="utf-8")
    sources = set()
    for fence in fences(text):
        if fence.language == "pycon":
            body = text[fence.start : fence.end].split("\n", 1)[1].rsplit("\n", 2)[0]
            sources.add(runnable_source(body + "\n"))
    return sources


def test_copy_text_is_the_executed_code():
    executed = set().union(*(_executed_sources(p) for p in SNIPPETS.glob("*.md")))
    blocks = 0
    for path in HTML_PAGES:
        text = path.read_text(encoding="utf-8")
        pycon = text.count('class="language-pycon highlight"')
        copies = re.findall(r'"language-pycon highlight" data-copy="([^"]*)"', text)
        assert len(copies) == pycon, f"{_page(path)}: a doctest block lacks copy text"
        for copy in map(html.unescape, copies):
            assert ">>>" not in copy, f"{_page(path)}: copy text keeps a prompt"
            assert copy in executed, f"{_page(path)}: copy text was never executed"
            compile(copy, _page(path), "exec")
            blocks += 1
    assert blocks, "no doctest blocks found on the site"


def _build(tmp_path: Path, record: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KERAS_SPICKZETTEL_RECORD": str(record)}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", tmp_path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_build_refuses_without_a_record(tmp_path):
    result = _build(tmp_path / "site", tmp_path / "missing.json")
    assert result.returncode != 0
    assert "No verification record" in result.stderr
    assert "make verify" in result.stderr


def test_build_refuses_a_changed_snippet(tmp_path):
    record = json.loads(RECORD_PATH.read_text(encoding="utf-8"))
    name = sorted(record["snippets"])[0]
    record["snippets"][name]["sha256"] = "0" * 64
    stale = tmp_path / "record.json"
    stale.write_text(json.dumps(record))
    result = _build(tmp_path / "site", stale)
    assert result.returncode != 0
    assert f"snippets/{name} changed after it was verified" in result.stderr


def test_build_refuses_a_figure_the_run_did_not_write(tmp_path):
    record = json.loads(RECORD_PATH.read_text(encoding="utf-8"))
    entry = next(e for e in record["snippets"].values() if e["figures"])
    figure = sorted(entry["figures"])[0]
    entry["figures"][figure] = "0" * 64
    stale = tmp_path / "record.json"
    stale.write_text(json.dumps(record))
    result = _build(tmp_path / "site", stale)
    assert result.returncode != 0
    assert "not the ones its verified run wrote" in result.stderr


def test_pages_show_only_recorded_figures():
    record = json.loads(RECORD_PATH.read_text(encoding="utf-8"))
    recorded = {f for e in record["snippets"].values() for f in e["figures"]}
    for language in LANGUAGES:
        for page in pages.page_files(language):
            for src in pages.images(pages.read(language, page)):
                figure = src.split("figures/", 1)[-1]
                assert figure in recorded, f"docs/{language}/{page} shows {src}"


def test_build_refuses_a_page_verified_with_other_library_versions(tmp_path):
    record = json.loads(RECORD_PATH.read_text(encoding="utf-8"))
    record["snippets"]["threshold.md"]["versions"]["scikit-learn"] = "0.0.1"
    stale = tmp_path / "record.json"
    stale.write_text(json.dumps(record))
    result = _build(tmp_path / "site", stale)
    assert result.returncode != 0
    installed = installed_versions()["scikit-learn"]
    assert (
        "snippets/threshold.md (shown on de/threshold.md, en/threshold.md) was "
        f"verified with scikit-learn 0.0.1 (installed: {installed})"
    ) in result.stderr.replace("\n", " ")
