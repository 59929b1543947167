"""MkDocs hook: the site's own stylesheets served as one file.

The work is done in spickzettel/build/one_stylesheet.py; this file wires it to MkDocs.
"""

from spickzettel.build.one_stylesheet import on_config, on_post_build

__all__ = ["on_config", "on_post_build"]
