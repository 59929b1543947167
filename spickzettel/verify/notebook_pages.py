"""An executed exercise notebook written out as a Markdown page, per language.

The test run (spickzettel/verify/notebook_items.py) executes
snippets/exercises/<name>.py once and writes, per language, two downloads into
docs/<language>/exercises/ (the task notebook without solutions and the executed
solution notebook, named by spickzettel/core/download_names.py) and this page
(docs/<language>/exercises/<name>.md), plus the notebook's figures as files
(docs/figures/exercises/<name>/<sha256>.png, one copy for both languages). MkDocs
then renders the page like every other page: Material code blocks with copy buttons,
its admonitions, mkdocs-static-i18n's languages.

The page starts with front matter holding its description (from the source's
title cell, per language: spickzettel/verify/notebooks.py), which the theme writes as
the page's `<meta name="description">`. Under the title (and the verification
stamp) the page offers both downloads side by side, each a link with
`download="<file name>"`, its file name and what it is for.

The page, cell by cell (the notebook's first cell, which sets the Keras backend,
is the downloads' and not shown):

- prose cells as they are (notebook Markdown is Markdown);
- code cells as ```python fences: the code that ran, and nothing else to copy;
- text outputs as ```text fences without a copy button (`.no-copy`), rich outputs
  (model.summary()) by their plain-text form without terminal colours;
- figures as image files, shown with the alt text of their cell in the page's
  language (the source's `alt_de="..." alt_en="..."`);
- every code cell and every prose cell tagged `solution` folded into a
  `??? success solution "Lösung"` block, consecutive ones into one block; the
  task stays visible.

Code and outputs stay out of the search index (`data-search-exclude`), the prose
is indexed. The generated page is never executed by Sybil (pytest_plugin.py skips
it: its code ran in the notebook's kernel) and the build refuses it unless the
verification record holds its digest (spickzettel/core/record.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re

import nbformat

from spickzettel.core import backends, pages
from spickzettel.core.download_names import KIND_LABEL, exercise_notebook
from spickzettel.core.layout import notebook_figure_dir
from spickzettel.core.paths import DOCS

SUMMARY = {"de": "Lösung", "en": "Solution"}
# The two downloads, in this order, and one sentence on what each is for.
KINDS = ("task", "solution")
DOWNLOAD_NOTE = {
    "task": {
        "de": "Zum Austeilen oder selbst Probieren: Aufgabentext, Importe und "
        "Daten, für jeden Schritt eine leere Zelle mit seiner Anweisung.",
        "en": "To hand out or to try yourself: the task, imports and data, and for "
        "each step an empty cell with its instruction.",
    },
    "solution": {
        "de": "Jede Ausgabe des geprüften Laufs, mit dem Code und den Erklärungen "
        "zu jedem Schritt.",
        "en": "Every output of the verified run, with the code and the "
        "explanations of each step.",
    },
}
DOWNLOADS_CLASS = "notebook-downloads"
# Attributes of the fences (pymdownx.superfences with attr_list).
CODE_FENCE = 'python { data-search-exclude="" }'
OUTPUT_FENCE = 'text { .no-copy .notebook-output data-search-exclude="" }'
FIGURE_CLASS = "notebook-figure"
SOLUTION = 'success solution "{summary}"'
INDENT = "    "
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
BACKTICKS = re.compile(r"`{3,}")


class NotebookPageError(ValueError):
    """The notebook holds something the page cannot show honestly."""


def figure_name(png: bytes) -> str:
    return hashlib.sha256(png).hexdigest()[:16] + ".png"


def _fence(info: str, text: str) -> str:
    longest = max((len(m) for m in BACKTICKS.findall(text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}"


def _alt(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(text.split()))


def _outputs(cell, where: str, figure_src: str, figures: dict[str, bytes]):
    """The cell's outputs as Markdown blocks; figures are collected in `figures`."""
    blocks: list[str] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            blocks.append(_fence(OUTPUT_FENCE, "".join(text)))
            text.clear()

    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            text.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            data = output.get("data", {})
            if "image/png" in data:
                flush()
                alt = cell.metadata.get("alt")
                if not alt:
                    raise NotebookPageError(
                        f"{where}: a figure without alt text; give its cell header "
                        'alt_de="..." alt_en="..." in snippets/exercises/.'
                    )
                content = base64.b64decode(data["image/png"])
                name = figure_name(content)
                figures[name] = content
                blocks.append(
                    f"![{_alt(alt)}]({figure_src}/{name}){{ .{FIGURE_CLASS} }}"
                )
            elif "text/plain" in data:
                shown = ANSI.sub("", data["text/plain"])
                text.append(shown if shown.endswith("\n") else shown + "\n")
            else:
                raise NotebookPageError(f"{where}: an output without text: {data}")
        else:  # an error: the run refuses those before a page is written
            raise NotebookPageError(f"{where}: a {output.output_type} output")
    flush()
    return blocks


def _is_solution(cell) -> bool:
    return cell.cell_type == "code" or "solution" in cell.metadata.get("tags", [])


def render(
    notebook: nbformat.NotebookNode,
    language: str,
    name: str,
    description: str | None = None,
) -> tuple[str, dict[str, bytes]]:
    """The page of one language version of an executed notebook, and its figures
    (file name -> PNG bytes); `description` goes into the page's front matter."""
    page_dir = DOCS / language / "exercises"
    figure_dir = notebook_figure_dir(name)
    figure_src = posixpath.relpath(figure_dir.as_posix(), page_dir.as_posix())
    figures: dict[str, bytes] = {}
    groups: list[tuple[bool, list[str]]] = []
    for index, cell in enumerate(notebook.cells):
        where = f"snippets/exercises/{name}.py, cell {index} ({language})"
        if backends.is_backend_cell(cell):
            continue  # the notebook's choice of backend: a page runs nowhere
        if cell.cell_type == "code":
            parts = [_fence(CODE_FENCE, cell.source)]
            parts += _outputs(cell, where, figure_src, figures)
        elif cell.cell_type == "markdown":
            parts = [cell.source.strip()]
        else:
            continue
        folded = _is_solution(cell)
        if groups and groups[-1][0] == folded:
            groups[-1][1].extend(parts)
        else:
            groups.append((folded, parts))
    body = []
    for folded, parts in groups:
        if not folded:
            body.append("\n\n".join(parts))
            continue
        inner = "\n\n".join(parts)
        lines = inner.split("\n")
        indented = "\n".join(INDENT + line if line else "" for line in lines)
        head = SOLUTION.format(summary=SUMMARY[language])
        body.append(f"??? {head}\n\n{indented}")
    text = "\n\n".join(body) + "\n"
    return front_matter(description) + _with_header(text, language, name), figures


def front_matter(description: str | None) -> str:
    """YAML front matter with the page's description (JSON is YAML), or nothing."""
    if description is None:
        return ""
    return f"---\ndescription: {json.dumps(description, ensure_ascii=False)}\n---\n\n"


def downloads(language: str, name: str) -> str:
    """The task and the solution notebook side by side (md_in_html, attr_list)."""
    items = []
    for kind in KINDS:
        file = exercise_notebook(name, language, kind)
        label = KIND_LABEL[kind][language]
        items.append(
            f'<div class="notebook-download" markdown>\n'
            f'⬇ [{label}]({file}){{ download="{file}" }}<br>\n'
            f'<span class="notebook-file">{file}</span><br>\n'
            f"{DOWNLOAD_NOTE[kind][language]}\n"
            "</div>"
        )
    return f'<div class="{DOWNLOADS_CLASS}" markdown>\n' + "\n".join(items) + "\n</div>"


def _with_header(text: str, language: str, name: str) -> str:
    """A generated-file note (a link reference: not rendered) and, under the title,
    the downloads (the stamp hook puts the stamp between the two)."""
    download = downloads(language, name)
    generated = (
        f'[//]: # "Written by make verify from snippets/exercises/{name}.py; '
        'never edit: the build checks it against the verification record."'
    )
    end = pages.title_end(text)
    if end is None:
        return f"{generated}\n\n{download}\n\n{text}"
    rest = text[end:].lstrip("\n")
    return f"{generated}\n\n{text[:end]}\n\n{download}\n\n{rest}"
