"""`make verify` runs the backends side by side only when each has little to execute.

spickzettel/tools/verify_plan.py decides from the verification cache (which files
no longer hold on which backend) and the records (how long each took last time).
"""

from __future__ import annotations

import json

import pytest

from spickzettel.core import backends, layout, record
from spickzettel.core.paths import ROOT
from spickzettel.tools import verify_plan
from spickzettel.verify import cache

pytestmark = pytest.mark.reads(
    "spickzettel/tools",
    "spickzettel/verify",
    "spickzettel/core",
    "snippets",
    "Makefile",
)

SNIPPET = layout.SNIPPETS / "threshold.md"
OTHER = layout.SNIPPETS / "fit.md"
NOTEBOOK = layout.SNIPPETS / "exercises" / "digits.py"


@pytest.fixture
def stale(monkeypatch):
    """Which units are stale on which backend; records in a folder of their own."""
    on: dict[str, list] = {name: [] for name in backends.BACKENDS}
    monkeypatch.setattr(verify_plan, "to_execute", lambda backend: on[backend])
    return on


@pytest.fixture
def recorded(monkeypatch, tmp_path):
    """Seconds per snippet file per backend, as the records would hold them."""
    seconds: dict[str, dict[str, float]] = {name: {} for name in backends.BACKENDS}

    def record_path(backend):
        path = tmp_path / f"record.{backend}.json"
        snippets = {name: {"seconds": s} for name, s in seconds[backend].items()}
        path.write_text(json.dumps({"snippets": snippets}), encoding="utf-8")
        return path

    monkeypatch.setattr(record, "record_path", record_path)
    return seconds


def test_nothing_to_execute_goes_side_by_side(stale, recorded):
    together, why = verify_plan.side_by_side(list(backends.BACKENDS))
    assert together, why
    assert "tensorflow 0" in why


def test_one_short_topic_goes_side_by_side(stale, recorded):
    for backend in backends.BACKENDS:
        stale[backend].append(SNIPPET)
        recorded[backend]["threshold.md"] = 9.0
    together, why = verify_plan.side_by_side(list(backends.BACKENDS))
    assert together, why


def test_long_or_many_or_unrecorded_files_go_one_after_another(stale, recorded):
    stale["jax"].append(SNIPPET)
    recorded["jax"]["threshold.md"] = verify_plan.SIDE_BY_SIDE_SECONDS + 1
    assert verify_plan.side_by_side(["tensorflow", "jax"]) == (
        False,
        f"jax: {verify_plan.SIDE_BY_SIDE_SECONDS + 1:.0f} s recorded to execute",
    )
    stale["jax"].clear()
    stale["torch"] += [SNIPPET, OTHER, layout.SNIPPETS / "metrics.md"]
    together, why = verify_plan.side_by_side(list(backends.BACKENDS))
    assert not together and why == "torch: 3 file(s) to execute"
    stale["torch"][:] = [OTHER]  # never recorded: its cost is unknown
    assert not verify_plan.side_by_side(list(backends.BACKENDS))[0]


def test_a_notebook_to_execute_goes_one_after_another(stale, recorded):
    stale["tensorflow"].append(NOTEBOOK)
    recorded["tensorflow"]["digits.py"] = 1.0  # a name that is no snippet file
    together, why = verify_plan.side_by_side(list(backends.BACKENDS))
    assert not together and why == "tensorflow: 1 file(s) to execute"


def test_each_backend_is_looked_up_with_its_own_key(monkeypatch):
    """The cache's key holds the backend: the plan asks for each backend's slot and
    key, not for the one of the process that asks."""
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    keys = {backend: cache.key(SNIPPET, backend) for backend in backends.BACKENDS}
    assert len(set(keys.values())) == len(backends.BACKENDS)
    assert cache.key(SNIPPET) == keys["torch"]  # default: this process's backend
    asked = []
    monkeypatch.setattr(verify_plan, "units", lambda: [SNIPPET])
    monkeypatch.setattr(
        cache, "lookup", lambda unit, backend: asked.append(backend) or None
    )
    for backend in backends.BACKENDS:
        assert verify_plan.to_execute(backend) == [SNIPPET]
    assert asked == list(backends.BACKENDS)


def test_the_units_are_what_the_verify_run_collects():
    units = verify_plan.units()
    assert SNIPPET in units and NOTEBOOK in units
    assert all(unit.suffix in (".md", ".py") for unit in units)
    assert not any(layout.is_notebook_page(unit) for unit in units)


def test_make_verify_asks_the_plan_unless_fresh():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert '[ -z "$(FRESH)" ] && $(PY) -m spickzettel.tools.verify_plan' in makefile
