"""MkDocs hook: the exercise notebooks as pages in both languages, solutions folded.

The notebooks docs/<language>/exercises/*.ipynb are written by the test run
(tests/harness/notebooks.py) and rendered by mkdocs-jupyter without executing.

1. mkdocs-static-i18n rebuilds every file as a plain `File` in its `on_files`
   (priority -100), after mkdocs-jupyter (priority 0) wrapped the notebooks as
   pages. The notebooks would be copied out as raw JSON. Running later, this hook
   turns them back into pages, keeping the page paths i18n computed per language.
2. The task stays visible; every code cell and every markdown cell tagged
   `solution` is folded into a `<details>` block, consecutive cells into one.
3. mkdocs-jupyter's template loads MathJax (with an empty URL) and mermaid (from
   a CDN) on every notebook page. The exercises use neither, and this site makes
   no requests to other hosts: both scripts are removed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

SUMMARY = {"de": "Lösung", "en": "Solution"}
DOWNLOAD = {
    "de": (
        "Notebook herunterladen ({name}): mit allen Ausgaben dieses Laufs; "
        "es läuft in einem frischen Jupyter-Kernel mit Keras, scikit-learn und "
        "matplotlib, ohne Internet."
    ),
    "en": (
        "Download the notebook ({name}): with every output of this run; it runs in "
        "a fresh Jupyter kernel with Keras, scikit-learn and matplotlib, offline."
    ),
}
STAMP_END = re.compile(r'<p class="verified-stamp">.*?</p>', re.DOTALL)
NOTEBOOK_START = re.compile(r'<div class="jp-Notebook"[^>]*>')
DIV_TAG = re.compile(r"<div\b|</div>")
CELL_ID = re.compile(r'id="cell-id=(?P<id>[^"]+)"')
# From the MathJax loader to the end of the mermaid set-up, all in the template.
SCRIPTS = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mermaid configuration -->", re.DOTALL
)
# Loading anything from another host (links to other sites are fine).
EXTERNAL = re.compile(r"""\bsrc=["']?https?://|\b(import|url)\(["']?https?://""")


class NotebookPage(File):
    """A notebook file that MkDocs must render as a page, not copy."""

    def is_documentation_page(self) -> bool:
        return True


def _jupyter(config):
    return config.plugins.get("mkdocs-jupyter")


def is_notebook(file) -> bool:
    return file.src_uri.endswith(".ipynb")


@event_priority(-200)  # after mkdocs-static-i18n's on_files (-100)
def on_files(files, config):
    jupyter = _jupyter(config)
    for file in files:
        if jupyter.should_include(file) and not file.is_documentation_page():
            if type(file) is not File:
                raise PluginError(f"{file.src_uri}: unexpected {type(file)}")
            file.__class__ = NotebookPage  # keeps every attribute i18n set
    # i18n remembered the pages (for sitemap.xml alternates) before they were pages.
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.current_language in i18n.i18n_files_per_language:
        pages = files.documentation_pages()
        i18n.i18n_files_per_language[i18n.current_language] = pages
    return files


def folded_cell_ids(notebook_path: str) -> set[str]:
    """The solution: every code cell, and markdown cells tagged `solution`."""
    cells = json.loads(Path(notebook_path).read_text(encoding="utf-8"))["cells"]
    return {
        cell["id"]
        for cell in cells
        if cell["cell_type"] == "code" or "solution" in cell["metadata"].get("tags", [])
    }


def top_level_cells(html: str) -> tuple[int, list[tuple[int, int]]]:
    """Spans of the cells, the direct children of the jp-Notebook element."""
    notebook = NOTEBOOK_START.search(html)
    if notebook is None:
        raise PluginError("No jp-Notebook element in a notebook: template changed?")
    depth, spans, start = 0, [], None
    for tag in DIV_TAG.finditer(html, notebook.end()):
        if tag.group() == "</div>":
            if depth == 0:  # the notebook element closes
                return tag.start(), spans
            depth -= 1
            if depth == 0:
                spans.append((start, tag.end()))
        else:
            if depth == 0:
                start = tag.start()
            depth += 1
    raise PluginError("The jp-Notebook element never closes: template changed?")


def fold_solutions(html: str, folded: set[str], summary: str) -> str:
    """Wrap each run of solution cells in one <details>; the rest stays as it is."""
    end, spans = top_level_cells(html)
    if not spans:
        return html
    groups: list[tuple[bool, list[str]]] = []
    for start, stop in spans:
        cell = html[start:stop]
        found = CELL_ID.search(cell)
        if found is None:
            raise PluginError("A notebook cell without its id: template changed?")
        fold = found["id"] in folded
        if groups and groups[-1][0] == fold:
            groups[-1][1].append(cell)
        else:
            groups.append((fold, [cell]))
    body = "\n".join(
        _details(cells, summary) if fold else "\n".join(cells) for fold, cells in groups
    )
    return html[: spans[0][0]] + body + "\n" + html[end:]


def _details(cells: list[str], summary: str) -> str:
    return (
        f'<details class="success solution"><summary>{summary}</summary>\n'
        + "\n".join(cells)
        + "\n</details>"
    )


def on_page_content(content, page, config, files):
    if not is_notebook(page.file):
        return content
    language = page.file.src_uri.split("/", 1)[0]
    content = SCRIPTS.sub("", content, count=1)
    if EXTERNAL.search(content):
        raise PluginError(
            f"{page.file.src_uri}: the notebook page would load something from another "
            "host (mkdocs-jupyter's template changed?)."
        )
    folded = folded_cell_ids(page.file.abs_src_path)
    content = fold_solutions(content, folded, SUMMARY[language])
    return with_download_link(content, Path(page.file.abs_src_path).name, language)


def with_download_link(html: str, name: str, language: str) -> str:
    """mkdocs-jupyter copies the notebook next to the page (include_source); Material
    has no button for it, so the link goes under the verification stamp."""
    text = DOWNLOAD[language].format(name=name)
    link = (
        f'<p class="notebook-download"><a class="md-button" href="{name}" download>'
        f"{text}</a></p>"
    )
    stamp = STAMP_END.search(html)
    if stamp is None:
        raise PluginError("A notebook page without its verification stamp.")
    return f"{html[: stamp.end()]}\n{link}{html[stamp.end() :]}"
