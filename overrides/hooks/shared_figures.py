"""MkDocs hook: the pages of every language show the one copy of docs/figures/.

Figures are shared by both languages and live outside the language folders. With
`fallback_to_default: false`, mkdocs-static-i18n leaves such files out of the
English build, so `../figures/...` on an English page resolved to /en/figures/...
and the image was a 404 (the strict build does not notice). This hook adds them back
to every language's file list at their one place, site/figures/, so MkDocs links
English pages to /figures/... as well. Another backend's figure that is the same
file as the primary's is left out of every language's list: no page shows it
(spickzettel/build/figure_tabs.py).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from spickzettel.build import figure_tabs

FIGURES = "figures"


@event_priority(-110)  # after mkdocs-static-i18n (-100) has rebuilt the file list
def on_files(files, config):
    known = {file.src_uri for file in files}
    docs = Path(config.docs_dir)
    for path in sorted((docs / FIGURES).rglob("*")):
        src_uri = path.relative_to(docs).as_posix()
        if not path.is_file():
            continue
        if figure_tabs.is_redundant(path):  # the default language's list holds it
            if src_uri in known:
                files.remove(files.get_file_from_path(src_uri))
        elif src_uri not in known:
            files.append(
                File(
                    src_uri, config.docs_dir, config.site_dir, config.use_directory_urls
                )
            )
    return files
