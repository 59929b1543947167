"""The build refuses what the test run did not verify (overrides/hooks/verified.py),
and pages show only recorded figures. What the built pages hold is
tests/test_built_pages.py; that they fetch nothing from another host is the
browser visit (tests/browser/page_checks.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from spickzettel.core import backends, pages
from spickzettel.core import record as vr
from spickzettel.core.paths import LANGUAGES, ROOT, SITE


def test_site_was_built():
    assert (SITE / "index.html").is_file(), "run `make build` before the site tests"
    assert (SITE / "en" / "index.html").is_file()


# A build in a subprocess reads the configuration, the hooks and the engine, and
# stops at the record check before any page (tests/verdicts.py).
BUILD_INPUTS = pytest.mark.reads("mkdocs.yml", "overrides", "spickzettel")


def _build(tmp_path: Path, record: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KERAS_SPICKZETTEL_RECORD": str(record)}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", tmp_path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@BUILD_INPUTS
def test_build_refuses_without_a_record(tmp_path):
    result = _build(tmp_path / "site", tmp_path / "missing.json")
    assert result.returncode != 0
    assert "No verification record" in result.stderr
    assert "make verify" in result.stderr


# The build's refusals below call the record check that the hook calls
# (overrides/hooks/verified.py: vr.problems), in process: the subprocess build
# above proves that the hook is wired into `mkdocs build`.


def refusals(record: dict, backend: str = backends.PRIMARY) -> str:
    hook_problems = vr.problems(record, backend)
    assert hook_problems, "the record check finds nothing to refuse"
    return " ".join(" ".join(hook_problems).split())


def test_build_refuses_a_changed_snippet():
    record = vr.load()
    name = sorted(record["snippets"])[0]
    record["snippets"][name]["sha256"] = "0" * 64
    assert f"snippets/{name} changed after it was verified" in refusals(record)


@pytest.mark.parametrize("backend", backends.BACKENDS)
def test_build_refuses_a_figure_another_run_did_not_write(backend):
    """Every backend's record vouches for the figures its own run drew."""
    record = vr.load(backend)
    entry = next(e for e in record["snippets"].values() if e["figures"])
    figure = sorted(entry["figures"])[0]
    entry["figures"][figure] = "0" * 64
    folder = figure.rsplit("/", 1)[0]
    said = refusals(record, backend)
    assert f"the figures in docs/figures/{folder}/ are not the ones" in said
    assert (backend == backends.PRIMARY) == (figure.split("/")[0] != "by-backend")


def test_pages_show_only_recorded_figures():
    record = vr.load()
    recorded = {f for e in record["snippets"].values() for f in e["figures"]}
    for language in LANGUAGES:
        for page in pages.page_files(language):
            for src in pages.images(pages.read(language, page)):
                figure = src.split("figures/", 1)[-1]
                assert figure in recorded, f"docs/{language}/{page} shows {src}"


def test_build_refuses_a_page_verified_with_other_library_versions():
    record = vr.load()
    record["snippets"]["threshold.md"]["versions"]["scikit-learn"] = "0.0.1"
    installed = vr.installed_versions()["scikit-learn"]
    assert (
        "snippets/threshold.md (shown on de/threshold.md, en/threshold.md) was "
        f"verified with scikit-learn 0.0.1 (installed: {installed})"
    ) in refusals(record)


def test_build_refuses_when_one_backend_was_not_verified(tmp_path, monkeypatch):
    from spickzettel.build import stamp
    from spickzettel.core import backends

    primary = tmp_path / "record.json"
    primary.write_bytes(vr.record_path().read_bytes())
    for backend in backends.BACKENDS[1:-1]:
        (tmp_path / vr.record_path(backend).name).write_bytes(
            vr.record_path(backend).read_bytes()
        )
    missing = backends.BACKENDS[-1]
    monkeypatch.setattr(vr, "RECORD_PATH", primary)
    try:
        stamp.checked_record()
    except stamp.Refused as refusal:
        said = str(refusal)
    else:
        raise AssertionError("the build accepted a record set without " + missing)
    assert f"executed on {backends.LABELS[missing]}" in said
    assert said.count("No verification record") == 1


def test_build_refuses_a_snippet_that_failed_on_another_backend():
    from spickzettel.core import backends

    backend = backends.BACKENDS[1]
    record = vr.load(backend)
    record["snippets"]["threshold.md"]["failed"] = 1
    said = " ".join(vr.problems(record, backend))
    label = backends.LABELS[backend]
    assert f"{label}: snippets/threshold.md: 1 example(s) failed." in said


def test_every_stamp_names_every_backend_with_its_version():
    from spickzettel.core import backends

    versions = vr.installed_versions()
    for language in LANGUAGES:
        html = SITE / ("" if language == LANGUAGES[0] else language) / "threshold"
        html = html / "index.html"
        text = html.read_text(encoding="utf-8")
        for backend in backends.BACKENDS:
            named = f"{backends.LABELS[backend]} {versions[backend]}"
            assert named in text, f"{html}: the stamp does not name {named}"
