"""MkDocs hook: the exercise notebooks as pages in both languages, solutions folded.

The notebooks docs/<language>/exercises/*.ipynb are written by the test run
(spickzettel/notebooks.py) and rendered by mkdocs-jupyter without executing.

1. mkdocs-static-i18n rebuilds every file as a plain `File` in its `on_files`
   (priority -100), after mkdocs-jupyter (priority 0) wrapped the notebooks as
   pages: they would be copied out as raw JSON. Running later, this hook turns them
   back into pages (keeping the paths i18n computed) and gives them the other
   language's page as alternate, for the language switcher and sitemap.xml.
2. mkdocs-jupyter's template brings MathJax and mermaid from a CDN, a copy button
   of its own and 600 kB of JupyterLab CSS. The notebook body is kept, the rest
   dropped: no request leaves the site. Code cells become Material code blocks
   (Material's colours, copy button, light and dark scheme);
   overrides/assets/stylesheets/notebooks.css styles the rest.
3. Figures, embedded as base64 PNGs, become files under
   site/figures/exercises/<name>/ (one copy for both languages, like every other
   figure), shown with the alt text of their cell in the page's language.
4. Code and outputs stay out of the search index (`data-search-exclude`); the prose
   is indexed. Wrapper elements nothing styles are unwrapped, and name tokens lose
   their span (Material colours them like plain code): a long notebook stays
   within the page weight budget of tests/browser/.
5. The task stays visible; every code cell and every markdown cell tagged
   `solution` is folded into a `<details>` block, consecutive cells into one.
6. A link under the verification stamp offers the executed notebook, which
   mkdocs-jupyter copies next to the page (`include_source: true`).
"""

from __future__ import annotations

import base64
import hashlib
import html as html_text
import json
import posixpath
import re
from pathlib import Path
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

SUMMARY = {"de": "Lösung", "en": "Solution"}
DOWNLOAD = {
    "de": (
        "Notebook herunterladen",
        "mit allen Ausgaben dieses Laufs; es läuft in einem frischen Jupyter-Kernel "
        "mit Keras, scikit-learn und matplotlib, ohne Internet.",
    ),
    "en": (
        "Download the notebook",
        "with every output of this run; it runs in a fresh Jupyter kernel with "
        "Keras, scikit-learn and matplotlib, offline.",
    ),
}
FIGURES = "figures/exercises"

WRAPPER = '<div class="jupyter-wrapper">'
WRAPPER_END = "</div> <!-- jupyter-wrapper -->"
NOTEBOOK_START = re.compile(r'<div class="jp-Notebook"[^>]*>')
DIV_TAG = re.compile(r"<div\b|</div>")
CELL_ID = re.compile(r'id="cell-id=(?P<id>[^"]+)"')
CODE_CELL = '<div class="jp-Cell jp-CodeCell'
EDITOR = re.compile(r'<div class="jp-CodeMirrorEditor\b')
TOKENS = re.compile(r"<pre><span></span>(?P<code>.*?)</pre>", re.DOTALL)
EMPTY_DIV = re.compile(
    r'<div class="jp-(?:Collapser|InputPrompt|OutputPrompt)[^"]*">\s*</div>\n?'
)
# Elements nothing styles or needs: unwrapped, their content kept.
WRAPPERS = re.compile(
    r'<div class="(?:jp-Cell-inputWrapper|jp-InputArea|jp-Cell-outputWrapper'
    r'|jp-OutputArea-child)\b[^"]*"[^>]*>'
)
MIME_TYPE = re.compile(r' data-mime-type="[^"]*"')
NAME_TOKEN = re.compile(r'<span class="n">([^<]*)</span>')
IMAGE = re.compile(r'<img\b[^>]*\bsrc="data:image/png;base64,(?P<data>[^"]+)"[^>]*>')
STAMP = re.compile(r'<p class="verified-stamp">.*?</p>', re.DOTALL)
# Loading anything from another host (links to other sites are fine).
EXTERNAL = re.compile(r"""\bsrc=["']?https?://|\b(import|url)\(["']?https?://""")


class NotebookPage(File):
    """A notebook file that MkDocs must render as a page, not copy."""

    def is_documentation_page(self) -> bool:
        return True


def is_notebook(file) -> bool:
    return file.src_uri.endswith(".ipynb")


# ---- files: pages again, with their alternates ---------------------------------


@event_priority(-200)  # after mkdocs-static-i18n's on_files (-100)
def on_files(files, config):
    jupyter = config.plugins["mkdocs-jupyter"]
    i18n = config.plugins["i18n"]
    for file in files:
        if jupyter.should_include(file) and not file.is_documentation_page():
            if type(file) is not File:
                raise PluginError(f"{file.src_uri}: unexpected {type(file)}")
            file.__class__ = NotebookPage  # keeps every attribute i18n set
            add_alternates(file, i18n, config)
    # i18n remembered the pages (for sitemap.xml) before these were pages.
    i18n.i18n_files_per_language[i18n.current_language] = files.documentation_pages()
    return files


def add_alternates(file, i18n, config) -> None:
    """The same notebook in the other languages, as i18n does for Markdown pages."""

    def prefix(language: str) -> str:
        return "" if language == i18n.default_language else f"{language}/"

    neutral_url = file.url.removeprefix(prefix(i18n.current_language))
    for language in i18n.all_languages:
        other = Path(config.docs_dir) / language / file.norm_src_uri
        if language not in file.alternates and other.is_file():
            url = prefix(language) + neutral_url
            file.alternates[language] = SimpleNamespace(url=url, page=None)


# ---- page content ----------------------------------------------------------------


def on_page_content(content, page, config, files):
    if not is_notebook(page.file):
        return content
    language = page.file.src_uri.split("/", 1)[0]
    start = content.find(WRAPPER)
    if start < 0:
        raise PluginError(f"{page.file.src_uri}: no {WRAPPER}: template changed?")
    end = content.find(WRAPPER_END, start)
    if end < 0:
        raise PluginError(f"{page.file.src_uri}: no {WRAPPER_END}: template changed?")
    # The template's scripts and styles before and after the notebook go.
    content = content[start : end + len(WRAPPER_END)]
    if EXTERNAL.search(content):
        raise PluginError(
            f"{page.file.src_uri}: the notebook page would load something from another "
            "host (mkdocs-jupyter's template changed?)."
        )
    cells = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    cells = {cell["id"]: cell for cell in cells["cells"]}
    figures = Figures(page, config)

    def rework(cell_html: str) -> str:
        cell = cells[cell_id(cell_html)]
        cell_html = unwrap(MIME_TYPE.sub("", EMPTY_DIV.sub("", cell_html)))
        if cell["cell_type"] != "code":
            return cell_html
        excluded = CODE_CELL.replace("<div", "<div data-search-exclude", 1)
        cell_html = cell_html.replace(CODE_CELL, excluded, 1)
        cell_html = material_code_block(cell_html)
        return figures.to_files(cell_html, cell["metadata"].get("alt"))

    content = each_cell(content, rework)
    folded = {
        cell_id
        for cell_id, cell in cells.items()
        if cell["cell_type"] == "code" or "solution" in cell["metadata"].get("tags", [])
    }
    content = fold_solutions(content, folded, SUMMARY[language])
    # nbconvert's ids ("cell-id=...") are no valid CSS selectors, and Material's
    # copy button addresses its code block by the id of the nearest element.
    content = content.replace(' id="cell-id=', ' id="cell-')
    return with_download_link(content, Path(page.file.abs_src_path).name, language)


def cell_id(cell_html: str) -> str:
    found = CELL_ID.search(cell_html)
    if found is None:
        raise PluginError("A notebook cell without its id: template changed?")
    return found["id"]


def element_end(html: str, start: int) -> int:
    """The end of the <div> element that starts at `start`."""
    depth = 0
    for tag in DIV_TAG.finditer(html, start):
        depth += -1 if tag.group() == "</div>" else 1
        if depth == 0:
            return tag.end()
    raise PluginError("An unbalanced <div> in a notebook page: template changed?")


def top_level_cells(html: str) -> tuple[int, list[tuple[int, int]]]:
    """Spans of the cells (the children of jp-Notebook) and where jp-Notebook ends."""
    notebook = NOTEBOOK_START.search(html)
    if notebook is None:
        raise PluginError("No jp-Notebook element in a notebook: template changed?")
    spans, position = [], notebook.end()
    end = element_end(html, notebook.start()) - len("</div>")
    while (start := html.find("<div", position, end)) >= 0:
        position = element_end(html, start)
        spans.append((start, position))
    return end, spans


def each_cell(html: str, rework) -> str:
    _, spans = top_level_cells(html)
    out, position = [], 0
    for start, stop in spans:
        out += [html[position:start], rework(html[start:stop])]
        position = stop
    return "".join([*out, html[position:]])


def unwrap(html: str) -> str:
    """Replace each wrapper element by its content."""
    while (wrapper := WRAPPERS.search(html)) is not None:
        end = element_end(html, wrapper.start())
        inner = html[wrapper.end() : end - len("</div>")]
        html = html[: wrapper.start()] + inner + html[end:]
    return html


def material_code_block(cell_html: str) -> str:
    """mkdocs-jupyter's editor (own copy button, hidden copy text) becomes the
    highlighted code block Material makes of a ```python fence."""
    editor = EDITOR.search(cell_html)
    if editor is None:
        raise PluginError("A code cell without its editor: template changed?")
    end = element_end(cell_html, editor.start())
    tokens = TOKENS.search(cell_html, editor.start(), end)
    if tokens is None:
        raise PluginError("A code cell without highlighted code: template changed?")
    code = NAME_TOKEN.sub(r"\1", tokens["code"])
    block = (
        '<div class="language-python highlight"><pre><span></span>'
        f"<code>{code}</code></pre></div>"
    )
    return cell_html[: editor.start()] + block + cell_html[end:]


class Figures:
    """Embedded PNGs become files under site/figures/exercises/<name>/."""

    def __init__(self, page, config) -> None:
        self.page = page
        self.stem = Path(page.file.abs_src_path).stem
        self.folder = Path(config.site_dir) / FIGURES / self.stem
        self.page_dir = posixpath.dirname(page.url.rstrip("/") + "/index.html")

    def to_files(self, cell_html: str, alt: str | None) -> str:
        def to_file(image: re.Match) -> str:
            if not alt:
                raise PluginError(
                    f"{self.page.file.src_uri}: a figure without alt text; give its "
                    'cell header alt_de="..." alt_en="..." in snippets/exercises/.'
                )
            data = base64.b64decode(image["data"])
            name = hashlib.sha256(data).hexdigest()[:16] + ".png"
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / name).write_bytes(data)
            src = posixpath.relpath(f"{FIGURES}/{self.stem}/{name}", self.page_dir)
            return f'<img alt="{html_text.escape(alt, quote=True)}" src="{src}">'

        return IMAGE.sub(to_file, cell_html)


def fold_solutions(html: str, folded: set[str], summary: str) -> str:
    """Wrap each run of solution cells in one <details>; the rest stays as it is."""
    end, spans = top_level_cells(html)
    if not spans:
        return html
    groups: list[tuple[bool, list[str]]] = []
    for start, stop in spans:
        cell = html[start:stop]
        fold = cell_id(cell) in folded
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


def with_download_link(html: str, name: str, language: str) -> str:
    """mkdocs-jupyter copies the notebook next to the page (include_source); Material
    has no button for it, so the link goes under the verification stamp."""
    label, note = DOWNLOAD[language]
    link = (
        f'<p class="notebook-download">⬇ <a href="{name}" download>{label} '
        f"({name})</a>: {note}</p>"
    )
    stamp = STAMP.search(html)
    if stamp is None:
        raise PluginError("A notebook page without its verification stamp.")
    return f"{html[: stamp.end()]}\n{link}{html[stamp.end() :]}"
