"""What the Markdown sources say, read the way the tests need it.

Shared by the guard and parity tests: the page files of each language, their
headings with anchors, the snippet sections they include and the figures they show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spickzettel.core.fences import fences, in_fences
from spickzettel.core.layout import is_notebook_page
from spickzettel.core.paths import DOCS, LANGUAGES, SNIPPETS

HEADING = re.compile(
    r"^(?P<level>#{1,6}) (?P<title>.*?)(?:\s*\{\s*#(?P<anchor>[\w-]+)\s*\})?\s*$"
)
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s]+)")
# A figure with words in it exists once per language: name-de.png, name-en.png.
LANGUAGE_SUFFIX = re.compile(r"-(?P<language>[a-z]{2})(?P<ext>\.\w+)$")


# A page's include of snippet code, on a line of its own (pymdownx.snippets):
# --8<-- "<file>" or --8<-- "<file>:<section>".
SNIPPET_INCLUDE = re.compile(
    r'^[ \t]*--8<--[ \t]+"(?P<file>[^":]+)(?::(?P<section>[^"]+))?"[ \t]*$',
    re.MULTILINE,
)


def snippet_includes(markdown: str) -> list[tuple[str, str | None]]:
    """(file, section) of every snippet include, in page order (None: whole file)."""
    return [(m["file"], m["section"]) for m in SNIPPET_INCLUDE.finditer(markdown)]


# Snippet sections that draw a page's diagram with the project's own drawing code
# (spickzettel/drawing/diagrams.py) end in this: the verified run executes them,
# the page shows only their figure, since a reader's copy must not need this repository.
OFF_PAGE_SUFFIX = "-diagram"


def shown_on_pages(section: str | None) -> bool:
    return section is None or not section.endswith(OFF_PAGE_SUFFIX)


# A named section of a snippet file, as pymdownx.snippets cuts it out.
SNIPPET_SECTION = re.compile(
    r"<!-- --8<-- \[start:(?P<name>[^\]]+)\] -->\n(?P<body>.*?)"
    r"<!-- --8<-- \[end:(?P=name)\] -->",
    re.DOTALL,
)


@dataclass(frozen=True)
class SnippetBlock:
    file: str  # "three-ways.md"
    section: str  # "" outside any section
    line: int  # line of the opening fence in snippets/<file>
    language: str  # the fence's language: "pycon", "python", ...
    code: str  # the fence's body as Sybil executed it
    backends: tuple[str, ...] = ()  # the only backends it runs on; () for all

    def runs_on(self, backend: str) -> bool:
        return not self.backends or backend in self.backends

    @property
    def name(self) -> str:
        return f"snippets/{self.file}:{self.section} (line {self.line})"


@cache
def snippet_blocks(file: str) -> tuple[SnippetBlock, ...]:
    """Every fenced block of snippets/<file>, with the section that holds it: what
    the page notebooks are made of and what the tests compare pages with."""
    text = (SNIPPETS / file).read_text(encoding="utf-8")
    sections = [(m.start(), m.end(), m["name"]) for m in SNIPPET_SECTION.finditer(text)]
    blocks = []
    for fence in fences(text):
        lines = text[fence.start : fence.end].splitlines(keepends=True)
        indent = len(lines[0]) - len(lines[0].lstrip())
        body = "".join(line[indent:] for line in lines[1:-1])
        owner = next((name for s, e, name in sections if s <= fence.start < e), "")
        blocks.append(
            SnippetBlock(file, owner, fence.line, fence.language, body, fence.backends)
        )
    return tuple(blocks)


def included_blocks(file: str, section: str | None) -> list[SnippetBlock]:
    """The blocks a page shows with `--8<-- "<file>:<section>"` (section None: the
    whole file, without the sections kept off the pages)."""
    return [
        block
        for block in snippet_blocks(file)
        if (
            block.section == section
            if section is not None
            else shown_on_pages(block.section)
        )
    ]


def page_files(language: str) -> list[str]:
    """The pages written by hand (the exercise pages are written by the test run
    from snippets/exercises/: notebook_page_files)."""
    folder = DOCS / language
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.md")
        if not is_notebook_page(p)
    )


def notebook_page_files(language: str) -> list[Path]:
    """docs/<language>/exercises/<name>.md, written by verify/notebook_pages.py."""
    return sorted(p for p in (DOCS / language).rglob("*.md") if is_notebook_page(p))


# YAML front matter at the top of a page (description, search boost); a `#` in it
# is a YAML comment, not a heading.
FRONT_MATTER = re.compile(r"\A---\n.*?^---[ \t]*$\n?", re.DOTALL | re.MULTILINE)


def _outside_fences(text: str):
    text = FRONT_MATTER.sub("", text)
    for line, fenced in zip(text.split("\n"), in_fences(text), strict=True):
        if not fenced:
            yield line


TITLE = re.compile(r"# \S")


def title_end(markdown: str) -> int | None:
    """Where the page's title line ends: its first level-1 heading outside the
    front matter and the fences (a `# comment` in code is none); None without one."""
    front = FRONT_MATTER.match(markdown)
    offset = front.end() if front else 0
    body = markdown[offset:]
    for line, fenced in zip(body.split("\n"), in_fences(body), strict=True):
        if not fenced and TITLE.match(line):
            return offset + len(line.rstrip("\r"))
        offset += len(line) + 1
    return None


def headings(text: str) -> list[tuple[str, str | None]]:
    """(level, anchor) per heading; anchor is None where none is given explicitly."""
    found = []
    for line in _outside_fences(text):
        match = HEADING.match(line)
        if match:
            found.append((match["level"], match["anchor"]))
    return found


def includes(text: str) -> list[str]:
    return [
        f"{file}:{section}" if section else file
        for file, section in snippet_includes(text)
    ]


def images(text: str) -> list[str]:
    return IMAGE.findall(text)


def paired_images(text: str) -> list[str]:
    """The figures a page shows, name-de.png and name-en.png both as name-<lang>.png.

    So the parity test pairs the German and the English version of a labelled
    diagram; figure_languages() says which language each one is in.
    """
    return [
        LANGUAGE_SUFFIX.sub(r"-<lang>\g<ext>", src)
        if figure_language(src) in LANGUAGES
        else src
        for src in images(text)
    ]


def figure_language(src: str) -> str | None:
    match = LANGUAGE_SUFFIX.search(src)
    return match["language"] if match else None


def figure_languages(text: str) -> list[str]:
    """The language suffixes of the labelled figures a page shows."""
    found = (figure_language(src) for src in IMAGE.findall(text))
    return [language for language in found if language in LANGUAGES]


def read(language: str, page: str) -> str:
    return (DOCS / language / page).read_text(encoding="utf-8")


def markdown_files() -> list[Path]:
    """Every Markdown file Sybil executes: snippets/ and docs/, without the exercise
    pages (their code ran in the notebook's kernel, spickzettel/verify/notebooks.py)."""
    docs = [p for p in sorted(DOCS.rglob("*.md")) if not is_notebook_page(p)]
    return sorted(SNIPPETS.rglob("*.md")) + docs
