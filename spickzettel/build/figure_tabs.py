"""Figures that differ by Keras backend, shown as content tabs like the outputs.

Every backend's verify run draws a snippet file's figures itself (the primary's into
docs/figures/<topic>/, another's into docs/figures/by-backend/<backend>/<topic>/,
spickzettel/core/layout.py), and each record vouches for its own files. A figure
drawn from training numbers differs (other start weights, another summation
order); a diagram or a figure of scikit-learn's numbers is the same file on every
backend.

A page shows the primary backend's figure as an image line,
`![alt](../figures/<topic>/<name>.png)`. Where another backend drew a different
file, that line becomes content tabs "TensorFlow | JAX | PyTorch" (the labels of
the output tabs, spickzettel/build/backend_tabs.py, so that Material's linked tabs
switch them together), each with that backend's image and the same alt text; a
backend whose file is the same as the primary's shows the primary's. A figure that
is the same everywhere stays one image, and its copies are not put into site/
(`is_redundant`).
"""

from __future__ import annotations

import re
from pathlib import Path

from spickzettel.core import layout
from spickzettel.core.backends import BACKENDS, LABELS, PRIMARY

IMAGE = re.compile(
    r"^(?P<indent>[ \t]*)!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(?P<rest>.*)$"
)


def variant(figure: Path, backend: str) -> Path:
    """Where `backend`'s run drew the primary's figure docs/figures/<topic>/<name>."""
    if backend == PRIMARY:
        return figure
    return (
        layout.FIGURES
        / layout.BY_BACKEND
        / backend
        / figure.relative_to(layout.FIGURES)
    )


def differing(figure: Path) -> list[str]:
    """The backends whose run drew `figure` differently from the primary's."""
    primary = figure.read_bytes()
    return [
        backend
        for backend in BACKENDS
        if backend != PRIMARY
        and variant(figure, backend).is_file()
        and variant(figure, backend).read_bytes() != primary
    ]


def is_redundant(path: Path) -> bool:
    """Another backend's figure that is the same file as the primary's."""
    parts = path.relative_to(layout.FIGURES).parts
    if len(parts) < 4 or parts[0] != layout.BY_BACKEND:
        return False
    primary = layout.FIGURES.joinpath(*parts[2:])
    return primary.is_file() and primary.read_bytes() == path.read_bytes()


def _figure(src: str, page: Path) -> Path | None:
    """The snippet figure an image line on `page` shows, or None for any other."""
    if "://" in src:
        return None
    target = (page.parent / src).resolve()
    figures = layout.FIGURES.resolve()
    if not target.is_relative_to(figures) or not target.is_file():
        return None
    relative = target.relative_to(figures)
    if relative.parts[0] in (layout.BY_BACKEND, "exercises"):
        return None  # already a variant; the notebooks' figures are the primary's
    return layout.FIGURES / relative


def _shown(line: str, page: Path) -> tuple[re.Match, Path, list[str]] | None:
    """An image line that shows a snippet figure another backend drew differently:
    the match, the primary's figure and those backends."""
    image = IMAGE.match(line)
    figure = _figure(image["src"], page) if image else None
    if figure is None or not image["src"].endswith(_relative(figure)):
        return None
    others = differing(figure)
    return (image, figure, others) if others else None


def _relative(figure: Path) -> str:
    return figure.relative_to(layout.FIGURES).as_posix()


def differing_figures(markdown: str, page: Path) -> list[Path]:
    """The figures on the page that are shown in backend tabs."""
    found = (_shown(line, page) for line in markdown.split("\n"))
    return [shown[1] for shown in found if shown]


def tabbed(markdown: str, page: Path) -> str:
    """The page's Markdown with each figure that differs by backend as tabs."""
    out: list[str] = []
    for line in markdown.split("\n"):
        shown = _shown(line, page)
        if shown is None:
            out.append(line)
            continue
        image, figure, others = shown
        base = image["src"].removesuffix(_relative(figure))  # "../figures/"
        out.append("")
        for number, backend in enumerate(BACKENDS):
            drawn = variant(figure, backend) if backend in others else figure
            marker = "===!" if number == 0 else "==="  # `!`: a tab set of its own
            out += [
                f'{image["indent"]}{marker} "{LABELS[backend]}"',
                "",
                f"{image['indent']}    ![{image['alt']}]"
                f"({base}{_relative(drawn)}){image['rest']}",
                "",
            ]
    return "\n".join(out)
