"""Per-backend expected outputs (spickzettel/core/output_variants.py): each backend
is compared with its own section, and a declaration error is an error."""

from __future__ import annotations

import doctest

import pytest

from spickzettel.core import output_variants as ov
from spickzettel.verify.update_outputs import for_backend

WANT = "loss 0.41\n[backend: jax]\nloss 0.40\n[backend: torch]\nloss 0.42\n"


@pytest.mark.parametrize(
    ("backend", "expected"),
    [("tensorflow", "loss 0.41\n"), ("jax", "loss 0.40\n"), ("torch", "loss 0.42\n")],
)
def test_each_backend_gets_its_section(backend, expected):
    assert ov.select(WANT, backend) == expected


def test_a_backend_without_a_section_shares_the_unmarked_output():
    want = "(2, 3)\n[backend: torch]\n(3, 2)\n"
    assert ov.select(want, "jax") == "(2, 3)\n"
    assert ov.differing(want) == ("torch",)
    assert ov.differing("(2, 3)\n") == ()


def test_a_group_marker_serves_several_backends():
    want = "a\n[backend: jax, torch]\nb\n"
    assert ov.select(want, "jax") == ov.select(want, "torch") == "b\n"


@pytest.mark.parametrize(
    "want",
    [
        "a\n[backend: tensorflow]\nb\n",
        "a\n[backend: mxnet]\nb\n",
        "a\n[backend: jax]\nb\n[backend: jax]\nc\n",
    ],
)
def test_a_wrong_marker_is_an_error(want):
    with pytest.raises(ov.VariantError):
        ov.sections(want)


def test_an_exception_variant_is_checked_as_an_exception():
    want = (
        "Traceback (most recent call last):\n...\nValueError: tf words\n"
        "[backend: torch]\nTraceback (most recent call last):\n...\n"
        "RuntimeError: torch words\n"
    )
    example = doctest.Example("f()\n", want)
    assert for_backend(example, "torch").exc_msg == "RuntimeError: torch words\n"
    assert for_backend(example, "tensorflow").exc_msg == "ValueError: tf words\n"


def test_refresh_declares_another_backend_beside_the_shared_output():
    assert ov.replaced("a\n", "jax", ["b"]) == ["a", "[backend: jax]", "b"]
    assert ov.replaced(WANT, "jax", ["c"]) == [
        "loss 0.41",
        "[backend: jax]",
        "c",
        "[backend: torch]",
        "loss 0.42",
    ]
    assert ov.replaced("a\n[backend: jax, torch]\nb\n", "torch", ["c"]) == [
        "a",
        "[backend: jax]",
        "b",
        "[backend: torch]",
        "c",
    ]
    assert ov.replaced(WANT, "tensorflow", ["z"])[0] == "z"
