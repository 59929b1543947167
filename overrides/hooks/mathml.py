"""MkDocs hook: formulas rendered to MathML Core at build time.

The work is done in spickzettel/build/mathml.py; this file wires it to MkDocs.
"""

from spickzettel.build.mathml import on_page_content

__all__ = ["on_page_content"]
