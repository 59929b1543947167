"""MkDocs hook: the site's math font, cut to the glyphs its formulas
use.

The work is done in spickzettel/build/math_font.py; this file wires it to MkDocs.
"""

from spickzettel.build.math_font import on_post_build, on_post_page

__all__ = ["on_post_build", "on_post_page"]
