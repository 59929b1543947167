"""MkDocs hook: a figure that another backend drew differently is shown in
backend tabs (spickzettel/build/figure_tabs.py)."""

from __future__ import annotations

from pathlib import Path

from spickzettel.build import figure_tabs


def on_page_markdown(markdown, page, config, files):
    return figure_tabs.tabbed(markdown, Path(page.file.abs_src_path))
