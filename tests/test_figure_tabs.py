"""A figure that another backend drew differently is shown in backend tabs
(spickzettel/build/figure_tabs.py), rendered with the site's own Markdown extensions
(no build needed): one tab per backend, TensorFlow | JAX | PyTorch, each with that
backend's drawing and the same alt text; a backend whose file is the primary's shows
the primary's; a figure that is the same everywhere stays one image, and its copies
stay out of site/.

What the built site shows, against the records' figure digests, is
tests/test_built_pages.py."""

from __future__ import annotations

import pytest

from spickzettel.build import figure_tabs
from spickzettel.core import layout
from tests.test_backend_tabs import rendered, tab_sets

ALT = "Two learning curves"


@pytest.fixture
def figures(tmp_path, monkeypatch):
    """docs/ with a page and figures drawn on each backend: the curve differs on
    JAX and is the same file on PyTorch; the diagram is the same everywhere."""
    docs = tmp_path / "docs"
    monkeypatch.setattr(layout, "FIGURES", docs / "figures")
    drawn = {
        "fit/curve.png": {"tensorflow": b"tf", "jax": b"jax", "torch": b"tf"},
        "fit/cycle.png": {"tensorflow": b"d", "jax": b"d", "torch": b"d"},
    }
    for name, by_backend in drawn.items():
        for backend, png in by_backend.items():
            path = layout.FIGURES / name
            if backend != "tensorflow":
                path = layout.FIGURES / layout.BY_BACKEND / backend / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
    page = docs / "en" / "fit.md"
    page.parent.mkdir(parents=True)
    return page


def test_a_figure_drawn_differently_becomes_one_tab_per_backend(figures):
    text = f"Text.\n\n![{ALT}](../figures/fit/curve.png)\n\nMore text.\n"
    tree = rendered(figure_tabs.tabbed(text, figures))
    [(labels, _)] = tab_sets(tree)
    assert labels == ["TensorFlow", "JAX", "PyTorch"]
    shown = [
        [(img.get("src"), img.get("alt")) for img in block.cssselect("img")]
        for block in tree.cssselect("div.tabbed-block")
    ]
    assert shown == [
        [("../figures/fit/curve.png", ALT)],
        [("../figures/by-backend/jax/fit/curve.png", ALT)],
        [("../figures/fit/curve.png", ALT)],  # PyTorch drew the same file
    ]
    assert "More text." in tree.text_content()
    assert figure_tabs.differing_figures(text, figures) == [
        layout.FIGURES / "fit" / "curve.png"
    ]


def test_a_figure_the_same_everywhere_stays_one_image(figures):
    text = "![The cycle](../figures/fit/cycle.png)\n\n![A photo](https://x.org/a.png)\n"
    assert figure_tabs.tabbed(text, figures) == text
    assert figure_tabs.differing_figures(text, figures) == []
    assert tab_sets(rendered(text)) == []


def test_only_copies_that_differ_reach_the_site(figures):
    by_backend = layout.FIGURES / layout.BY_BACKEND
    assert figure_tabs.is_redundant(by_backend / "torch" / "fit" / "curve.png")
    assert figure_tabs.is_redundant(by_backend / "jax" / "fit" / "cycle.png")
    assert not figure_tabs.is_redundant(by_backend / "jax" / "fit" / "curve.png")
    assert not figure_tabs.is_redundant(layout.FIGURES / "fit" / "curve.png")
