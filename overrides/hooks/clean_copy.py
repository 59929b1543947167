"""MkDocs hook: the copy button of a doctest block copies runnable
code only.

The work is done in spickzettel/build/clean_copy.py; this file wires it to MkDocs.
"""

from spickzettel.build.clean_copy import on_page_content

__all__ = ["on_page_content"]
