"""MkDocs hook: the search index gets no run-together tab labels.

The work is done in spickzettel/build/search_text.py; this file wires it to MkDocs.
"""

from spickzettel.build.search_text import on_page_content

__all__ = ["on_page_content"]
