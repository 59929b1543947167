"""MkDocs hook: Material's search box runs the site's own search worker.

The work is done in spickzettel/build/search_worker.py; this file wires it to
MkDocs.
"""

from spickzettel.build.search_worker import on_post_page

__all__ = ["on_post_page"]
