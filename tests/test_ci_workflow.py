"""The GitHub Actions workflow parses and runs the README's test command.

It cannot run here; this test keeps it honest: triggered on push and weekly, the
test job runs exactly the README's test command, a second job runs it after
upgrading the three Keras backends (TensorFlow, JAX, PyTorch), Keras and
scikit-learn to their newest releases (unpinned),
and a deploy job publishes the site that the passing test job built.
"""

from __future__ import annotations

import re

import pytest
import yaml

from spickzettel.core.fences import fences
from spickzettel.core.paths import ROOT

# What these checks read besides their code (tests/verdicts.py).
pytestmark = pytest.mark.reads(".github", "README.md", "Makefile", "mkdocs.yml")


WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def readme_test_command() -> str:
    """The README's command that runs the whole test suite (`make test  # ...`).

    The README's first shell block holds its two commands; the test command is the
    one with the word `test` in it.
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(f for f in fences(readme) if f.language in ("bash", "sh", "console"))
    body = readme[block.start : block.end].splitlines()[1:-1]
    commands = [line.split("#", 1)[0].strip() for line in body]
    tests = [command for command in commands if "test" in command.split()]
    assert len(tests) == 1, f"README.md's first shell block: {commands}"
    return tests[0]


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def run_lines(job: dict) -> list[str]:
    return [
        line.strip()
        for step in job.get("steps", [])
        for line in step.get("run", "").splitlines()
        if line.strip()
    ]


def test_workflow_runs_on_push_and_weekly():
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert len(crons) == 1, crons
    *_, day, month, weekday = crons[0].split()
    assert (day, month) == ("*", "*") and weekday.isdigit(), f"not weekly: {crons[0]}"


def test_test_job_runs_the_readme_command():
    command = readme_test_command()
    assert run_lines(workflow()["jobs"]["test"]) == [command]


def test_newest_libraries_job_upgrades_then_runs_the_readme_command():
    lines = run_lines(workflow()["jobs"]["newest-libraries"])
    upgrade = next(i for i, line in enumerate(lines) if "pip install --upgrade" in line)
    packages = set(lines[upgrade].split("--upgrade", 1)[1].split())
    backends = {"tensorflow-cpu", "jax", "jaxlib", "torch"}
    assert backends | {"keras", "scikit-learn"} <= packages, packages
    assert not any("=" in package for package in packages), "the upgrade must not pin"
    assert lines[-1] == readme_test_command()
    assert lines.index(readme_test_command()) > upgrade


def test_deploy_job_publishes_the_tested_site():
    jobs = workflow()["jobs"]
    uploads = [
        s for s in jobs["test"]["steps"] if "upload-pages-artifact" in s.get("uses", "")
    ]
    assert [step["with"]["path"] for step in uploads] == ["site"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "test"
    assert any("deploy-pages" in step.get("uses", "") for step in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_deployed_build_gets_the_pages_address():
    """The site that is deployed is built with its real address (canonical links,
    sitemap.xml): configure-pages reads it, the test command gets it as the
    variable mkdocs.yml's site_url reads."""
    steps = workflow()["jobs"]["test"]["steps"]
    pages = next(s for s in steps if "configure-pages" in s.get("uses", ""))
    command = next(
        s for s in steps if s.get("run", "").strip() == readme_test_command()
    )
    address = command["env"]["KERAS_SPICKZETTEL_SITE_URL"]
    assert f"steps.{pages['id']}.outputs.base_url" in address, address
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_url: !ENV \[KERAS_SPICKZETTEL_SITE_URL,", config, re.M)


# `owner/name@<40 hex digits>  # vX.Y.Z`: a tag can be moved to other code, a commit
# cannot; the comment keeps the release readable and lets Dependabot update both.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(\.\d+){0,2}$")


def uses_lines() -> list[str]:
    text = WORKFLOW.read_text(encoding="utf-8")
    return [m[1].strip() for m in re.finditer(r"^\s*-?\s*uses:\s*(.+)$", text, re.M)]


def test_every_action_is_pinned_by_commit_with_its_tag_in_a_comment():
    lines = uses_lines()
    # every step that uses an action, as YAML reads it, is a line found here
    steps = [
        step["uses"]
        for job in workflow()["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]
    assert len(lines) == len(steps) > 0, (lines, steps)
    unpinned = [line for line in lines if not PINNED.match(line)]
    assert not unpinned, f"pin by commit SHA with '# vX.Y.Z': {unpinned}"


def test_dependabot_updates_the_pinned_actions():
    config = yaml.safe_load(
        (ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8")
    )
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert "github-actions" in ecosystems


def test_pytorch_comes_as_its_cpu_build():
    """PyPI's Linux torch wheel is the CUDA build (several GB); the workflow asks
    PyTorch's CPU index, whose +cpu build pip prefers for the pinned version."""
    env = workflow()["env"]
    assert env["PIP_EXTRA_INDEX_URL"] == "https://download.pytorch.org/whl/cpu"
