"""Every topic page as a Jupyter notebook, in its language, written at build time.

A reader who wants to run a page, change a number and look again downloads it as
a notebook instead of copying block by block. The notebook is made, never written
by hand, from three sources that the build already trusts:

- the page (docs/<language>/<topic>.md): its title and headings, and for each
  section one line, the first sentence of its prose, as Markdown cells; the order
  of everything;
- the snippet sections the page includes (snippets/<file>.md), each block one code
  cell, exactly what its copy button gives (spickzettel/build/clean_copy.py: a
  doctest block's sources without prompts and output, a plain block as it is); a
  doctest block's expected output, which the verified run matched against what the
  code printed, becomes the cell's stdout; code that differs by Keras backend
  (content tabs on the page, spickzettel/build/backend_tabs.py) comes once, in
  TensorFlow's version with TensorFlow's output (Keras' default backend), after a
  Markdown cell that says so and where the other versions are;
- the figures the verified run wrote (docs/figures/<topic>/): a figure the page
  shows becomes an image output of the code cell that saved it, as a notebook with
  inline matplotlib shows it; a figure that no cell of the page saved (a diagram
  drawn by the off-page `-diagram` sections with the project's own code) is shown
  in a Markdown cell, as an attachment.

The notebook starts with a code cell that sets the Keras backend before the page's
code imports Keras; it names the primary backend, whose run the outputs are
(spickzettel/core/backends.py, where the cell is defined for every notebook).

The build hook (overrides/hooks/page_notebooks.py) only calls this after
overrides/hooks/verified.py has accepted the record for those snippets and
figures; nothing here executes code. The verify run never imports build/ (the
verification cache hashes only verify/, core/ and drawing/), so editing it
re-executes nothing.

The file is the same, byte for byte, for the same sources: no timestamps, cell ids
numbered in order, JSON as nbformat writes it.
"""

from __future__ import annotations

import base64
import doctest
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from spickzettel.core import backends, mkdocs_config, output_variants
from spickzettel.core.pages import (
    HEADING,
    SNIPPET_INCLUDE,
    included_blocks,
    snippet_includes,
)
from spickzettel.core.paths import DEFAULT_LANGUAGE

IMAGE_LINE = re.compile(r"^\s*!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)\s*$")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# Lines that carry no prose: admonition and tab headers, tables, HTML, attribute
# lists on a line of their own, abbreviation definitions.
NOT_PROSE = re.compile(
    r"^\s*(?:[!?]{3}\+?\s|===\s|\||</?[a-zA-Z][^>]*>\s*$|\{[^}]*\}\s*$|\*\[)"
)
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")

# Markdown of the site that Jupyter does not understand, and what becomes of it.
ATTRIBUTES = re.compile(r"\s*(?<!\\)\{\s*[#.][\w-]+(?:\s+[#.][\w-]+)*\s*\}")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\([^)\s]+\)")
FOOTNOTE = re.compile(r"\[\^[^\]]+\]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
INLINE_MATH = re.compile(r"\\\((?P<tex>.+?)\\\)")
DISPLAY_MATH = re.compile(r"\\\[(?P<tex>.+?)\\\]")
# Where a period does not end a sentence.
ABBREVIATIONS = {
    "bzw.",
    "ca.",
    "vgl.",
    "usw.",
    "evtl.",
    "inkl.",
    "sog.",
    "bspw.",
    "nr.",
    "abb.",
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "cf.",
}
# "Fehler 1. Art": a German ordinal, not the end of a sentence about the number 1.
ORDINAL_NOUNS = {"Art", "Ordnung"}
PROTECTED = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$")

# The line under the title: what the notebook is, and the page it comes from.
ABOUT = {
    "de": (
        "*Der Code der Seite als Notebook: jede Codezelle ist ein Block der Seite, "
        "jede Ausgabe die des geprüften Laufs. Seite: {url}*"
    ),
    "en": (
        "*The page's code as a notebook: every code cell is a block of the page, "
        "every output the one of the verified run. Page: {url}*"
    ),
}
# Before a cell whose code differs by backend: the notebook holds only the
# primary backend's version (a reader who switches the first cell needs the tabs).
ONE_BACKENDS_VERSION = {
    "de": (
        "*Die folgende Zelle ist die Fassung für {label}; die Seite zeigt die "
        "Fassungen für {others} in Reitern: {url}*"
    ),
    "en": (
        "*The next cell is {label}'s version; the page shows the versions for "
        "{others} in tabs: {url}*"
    ),
}
AND = {"de": "und", "en": "and"}
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


# ---- the page, read in order -------------------------------------------------------


@dataclass
class Section:
    level: int
    title: str
    # (running text, not in a box or list; the text)
    paragraphs: list[tuple[bool, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Include:
    file: str
    section: str | None


@dataclass(frozen=True)
class Image:
    alt: str
    path: Path  # the figure file in docs/figures/


def read_page(source: Path) -> list[Section | Include | Image]:
    """The page's headings (with their prose), includes and figures, in page order."""
    text = FRONT_MATTER.sub("", source.read_text(encoding="utf-8"))
    items: list[Section | Include | Image] = []
    section: Section | None = None
    paragraph: list[str] = []
    top_level = False

    def close() -> None:
        if paragraph and section is not None:
            section.paragraphs.append((top_level, " ".join(paragraph)))
        paragraph.clear()

    for line in text.splitlines():
        heading = HEADING.match(line)
        include = SNIPPET_INCLUDE.match(line)
        image = IMAGE_LINE.match(line)
        if heading or include or image or not line.strip() or NOT_PROSE.match(line):
            close()
        if heading:
            section = Section(len(heading["level"]), heading["title"].strip())
            items.append(section)
        elif include:
            items.append(Include(include["file"], include["section"]))
        elif image:
            items.append(Image(image["alt"], (source.parent / image["src"]).resolve()))
        elif line.strip() and not NOT_PROSE.match(line):
            if paragraph and LIST_ITEM.match(line):
                close()  # the next item of a list
            if not paragraph:
                top_level = not line.startswith((" ", "\t")) and not LIST_ITEM.match(
                    line
                )
            paragraph.append(LIST_ITEM.sub("", line, count=1).strip())
    close()
    return items


def jupyter_markdown(text: str) -> str:
    """The site's Markdown as Jupyter renders it: no attribute lists, links reduced
    to their text (their targets are pages of the site), formulas in dollars."""
    text = ATTRIBUTES.sub("", text)
    text = LINK.sub(r"\g<text>", text)
    text = FOOTNOTE.sub("", text)
    text = TAG.sub("", text)
    text = DISPLAY_MATH.sub(lambda m: f"$${m['tex'].strip()}$$", text)
    text = INLINE_MATH.sub(lambda m: f"${m['tex'].strip()}$", text)
    return re.sub(r"\s+", " ", text).strip()


def first_sentence(text: str, language: str) -> str:
    """Up to the first period, question or exclamation mark that ends a sentence:
    followed by a space, not inside code or a formula,
    not after an abbreviation (z. B., e.g.) or in "Fehler 1. Art"."""
    protected = [m.span() for m in PROTECTED.finditer(text)]
    for match in re.finditer(r"[.!?](?=\s+\S)", text):
        end = match.end()
        if any(start < end <= stop for start, stop in protected):
            continue
        word = text[:end].rsplit(None, 1)[-1].lower()
        if word in ABBREVIATIONS or re.fullmatch(r"\(?[a-zäöü]\.", word):
            continue
        after = text[end:].split(None, 1)[0]
        if re.fullmatch(r"\d{1,2}\.", word) and after in ORDINAL_NOUNS:
            continue
        return text[:end]
    return text


def summary(section: Section, language: str) -> str:
    """The first sentence of the section's prose: of its first paragraph of running
    text, else of its first list item or box (the "At a glance" box comes first on
    most pages, but the running text says what the section is about)."""
    for wanted in (True, False):
        texts = [text for top, text in section.paragraphs if top is wanted]
        for number, text in enumerate(texts):
            clean = jupyter_markdown(text)
            # A sentence may go on after a display formula: "... mit \[ ... \]".
            for more in texts[number + 1 :]:
                ended = first_sentence(clean, language) != clean
                if ended or clean.endswith((".", "!", "?", ":", "$$")):
                    break
                clean = f"{clean} {jupyter_markdown(more)}"
            if clean:
                return first_sentence(clean, language)
    return ""


# ---- the code, as the copy buttons give it -----------------------------------------


@dataclass(frozen=True)
class Block:
    code: str  # what the copy button gives
    output: str  # the expected output the verified run matched ("" for plain code)
    backends: tuple[str, ...] = ()  # the only backends it runs on; () for all


def section_blocks(
    file: str, section: str | None, backend: str = backends.PRIMARY
) -> list[Block]:
    """The blocks of a snippet section (or of a whole file), as the page shows them
    to a reader of `backend`: its version of code that differs by backend, its
    output where the output differs (TensorFlow's for the notebook)."""
    blocks = []
    for block in included_blocks(file, section):
        if not block.runs_on(backend):
            continue  # another backend's version of the code
        if block.language == "pycon":
            examples = doctest.DocTestParser().get_examples(block.code)
            code = "".join(example.source for example in examples)
            output = "".join(output_variants.outputs(block.code, backend))
            blocks.append(Block(code.rstrip(), output, block.backends))
        else:
            blocks.append(Block(block.code.rstrip(), "", block.backends))
    return blocks


def saves(code: str, figure: Path) -> bool:
    name = re.escape(figure.name)
    return "savefig" in code and re.search(rf"""["']{name}["']""", code) is not None


# ---- the notebook --------------------------------------------------------------------


def site_url() -> str:
    """mkdocs.yml's site_url, as the build hook gets it from MkDocs."""
    return mkdocs_config.load()["site_url"]


def one_backends_version(block: Block, language: str, topic: str, site_url: str):
    others = [backends.LABELS[b] for b in backends.BACKENDS if b not in block.backends]
    listed = f" {AND[language]} ".join(
        [", ".join(others[:-1]), others[-1]] if len(others) > 1 else others
    )
    return ONE_BACKENDS_VERSION[language].format(
        label=" / ".join(backends.LABELS[b] for b in block.backends),
        others=listed,
        url=page_url(site_url, language, topic),
    )


def page_url(site_url: str, language: str, topic: str) -> str:
    prefix = "" if language == DEFAULT_LANGUAGE else f"{language}/"
    return f"{site_url.rstrip('/')}/{prefix}{topic}/"


def build(source: Path, language: str, topic: str, site_url: str):
    """The notebook of docs/<language>/<topic>.md, or None for a page without code."""
    if not snippet_includes(source.read_text(encoding="utf-8")):
        return None
    # First the cell that chooses the Keras backend (spickzettel/core/backends.py):
    # the verified runs' outputs are the primary backend's.
    first = new_code_cell(backends.backend_cell(backends.PRIMARY), execution_count=1)
    cells = [first]
    code_cells = [first]
    for item in read_page(source):
        if isinstance(item, Section):
            lines = [f"{'#' * item.level} {jupyter_markdown(item.title)}"]
            line = summary(item, language)
            if line:
                lines.append(line)
            if len(cells) == 1:  # the title, after the backend cell
                url = page_url(site_url, language, topic)
                lines.append(ABOUT[language].format(url=url))
            cells.append(new_markdown_cell("\n\n".join(lines)))
        elif isinstance(item, Include):
            for block in section_blocks(item.file, item.section):
                if block.backends:
                    note = one_backends_version(block, language, topic, site_url)
                    cells.append(new_markdown_cell(note))
                cell = new_code_cell(block.code, execution_count=len(code_cells) + 1)
                if block.output:
                    cell.outputs.append(
                        new_output("stream", name="stdout", text=block.output)
                    )
                cells.append(cell)
                code_cells.append(cell)
        else:
            png = base64.b64encode(item.path.read_bytes()).decode("ascii")
            writer = [c for c in code_cells if saves(c.source, item.path)]
            if writer:
                data = {"image/png": png, "text/plain": item.alt}
                writer[-1].outputs.append(new_output("display_data", data=data))
            else:
                name = item.path.name
                cell = new_markdown_cell(f"![{item.alt}](attachment:{name})")
                cell.attachments = {name: {"image/png": png}}
                cells.append(cell)
    for number, cell in enumerate(cells, start=1):
        cell.id = f"{cell.cell_type}-{number}"
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return notebook


def text(notebook) -> str:
    return nbformat.writes(notebook) + "\n"
