"""MkDocs hook: every topic page offers its code as a notebook, linked under its stamp.

The notebook is made by spickzettel/build/page_notebooks.py from the page, the
snippets it includes and the figures of the verified run (verified.py, listed before
this hook in mkdocs.yml, has refused the build if any of them is not vouched for by
the record) and written beside the built page: site/<topic>/ and site/en/<topic>/.
Pages without snippet code (home, glossary) and the exercise pages (their notebooks
come from the test run) get none.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from spickzettel.build import page_notebooks
from spickzettel.core import download_names
from spickzettel.core.layout import is_notebook_page

STAMP = re.compile(r'^<p class="verified-stamp">.*</p>$', re.MULTILINE)
LINK_TEXT = {
    "de": "⬇ Diese Seite als Notebook ({name})",
    "en": "⬇ This page as a notebook ({name})",
}
LINK_TITLE = {
    "de": "Jupyter-Notebook: der Code der Seite mit den Ausgaben des geprüften Laufs",
    "en": "Jupyter notebook: the page's code with the outputs of the verified run",
}

_pending: dict[str, tuple[str, str]] = {}  # built page -> (file name, notebook)


def on_page_markdown(markdown, page, config, files):
    source = Path(page.file.abs_src_path)
    if is_notebook_page(source):
        return markdown
    language, _, rest = page.file.src_uri.partition("/")
    topic = Path(rest).with_suffix("").as_posix()
    notebook = page_notebooks.build(source, language, topic, config.site_url or "")
    if notebook is None:
        return markdown
    name = download_names.topic_notebook(topic, language)
    _pending[page.file.abs_dest_path] = (name, page_notebooks.text(notebook))
    stamp = STAMP.search(markdown)
    if stamp is None:
        raise PluginError(
            f"{page.file.src_uri}: no verification stamp to put the notebook link "
            "under; overrides/hooks/verified.py must come before this hook in "
            "mkdocs.yml"
        )
    link = (
        f'<p class="page-notebook"><a href="{html.escape(name)}" '
        f'download="{html.escape(name)}" title="{LINK_TITLE[language]}">'
        f"{LINK_TEXT[language].format(name=html.escape(name))}</a></p>"
    )
    return f"{markdown[: stamp.end()]}\n{link}{markdown[stamp.end() :]}"


def on_post_page(output, page, config):
    pending = _pending.pop(page.file.abs_dest_path, None)
    if pending is not None:
        name, text = pending
        target = Path(page.file.abs_dest_path).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return output
