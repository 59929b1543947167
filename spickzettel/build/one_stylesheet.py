"""The site's own stylesheets in one request (the MkDocs hook
overrides/hooks/one_stylesheet.py wires this to MkDocs).

mkdocs.yml lists them in `extra_css`, one file per concern in
overrides/assets/stylesheets/; the pages load them concatenated, in that order,
as assets/stylesheets/site.css. Every stylesheet in the head holds back the first
paint until it has arrived: on a phone's slow connection five small files cost
five round trips where one costs one (Lighthouse, `make audit`: render-blocking
resources, about 0.3 s each). Concatenating keeps their meaning: print.css keeps
its rules in @page and @media print, every url() is relative to the same folder.
The separate files stay in site/ too (tests/test_math.py reads math.css).
"""

from __future__ import annotations

from pathlib import Path

BUNDLE = "assets/stylesheets/site.css"
_sources: list[str] = []


def on_config(config):
    # mkdocs-static-i18n builds each language with the same config: the list is
    # taken once, from mkdocs.yml.
    listed = [str(path) for path in config.extra_css]
    if listed != [BUNDLE]:
        _sources[:] = listed
    config.extra_css = [BUNDLE]
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    files = [site / source for source in _sources]
    if not all(file.is_file() for file in files):
        # mkdocs-static-i18n's other languages share the default build's assets.
        return
    parts = [
        f"/* {source} */\n{file.read_text(encoding='utf-8')}"
        for source, file in zip(_sources, files, strict=True)
    ]
    (site / BUNDLE).write_text("\n".join(parts), encoding="utf-8")
