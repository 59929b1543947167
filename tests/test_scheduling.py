"""The units xdist deals to its workers (tests/scheduling.py)."""

from __future__ import annotations

from pathlib import Path

from spickzettel.core.backends import BACKENDS
from spickzettel.core.paths import ROOT
from tests.browser import test_copied_code
from tests.scheduling import KERNEL_RUNS, LONG_UNITS, dealing_order, unit_of


def test_the_kernel_runs_are_named_as_the_test_is():
    module = Path(test_copied_code.__file__).relative_to(ROOT).as_posix()
    test = test_copied_code.test_copied_code_runs_and_prints_what_the_page_shows
    assert f"{module}::{test.__name__}[" == KERNEL_RUNS


def test_each_backends_kernel_runs_are_one_unit():
    for topic in ("shapes", "multi-output", "keras-3"):  # hyphens in the topic
        for backend in BACKENDS:
            assert unit_of(f"{KERNEL_RUNS}{topic}-{backend}]") == f"kernels-{backend}"


def test_every_other_test_goes_with_its_module():
    assert unit_of("tests/test_guard.py::test_x[a-jax]") == "tests/test_guard.py"
    assert (
        unit_of(f"{KERNEL_RUNS}site-not-built]") == "tests/browser/test_copied_code.py"
    )


def test_kernel_runs_then_the_long_units_are_dealt_first_each_in_its_order():
    class Item:
        def __init__(self, nodeid):
            self.nodeid = nodeid

    names = [
        "tests/test_guard.py::test_a",
        f"{LONG_UNITS[0]}::test_b",
        "tests/test_guard.py::test_c",
        f"{KERNEL_RUNS}shapes-jax]",
        f"{LONG_UNITS[1]}::test_d",
        f"{KERNEL_RUNS}keras-3-jax]",
    ]
    items = [Item(name) for name in names]
    dealing_order(items)
    assert [item.nodeid for item in items] == [
        names[3],
        names[5],
        names[1],
        names[4],
        names[0],
        names[2],
    ]
