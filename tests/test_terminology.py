"""One term per concept: no banned variant from terminology.toml anywhere a reader
reads prose.

Checked: the pages (docs/de German, docs/en English), the comments in the code of
the snippet files (English), and the exercise notebooks' jupytext sources (prose
cells by their lang="de"/"en" tag, code comments English). Not checked: inline
code, link targets, anchors, formulas, and the glossary's clause naming the other
language's term ("*Englisch:* ..." on a German page, "*German:* ..." on an English
one).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from spickzettel.core.pages import page_files
from spickzettel.core.paths import DOCS, ROOT

TERMINOLOGY = ROOT / "terminology.toml"
SNIPPETS = ROOT / "snippets"
NOTEBOOKS = SNIPPETS / "exercises"

# What is not prose in a line of Markdown.
NOT_PROSE = [
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\{\s*#[\w-]+\s*\}"),  # anchors
    re.compile(r"\\\(.*?\\\)"),  # inline formulas
    re.compile(r"<[^>]+>"),  # HTML tags
    re.compile(r"\*(?:Englisch|German):\*[^.]*\."),  # the glossary's other term
]
FENCE = re.compile(r"^\s*(```|~~~)")
CELL = re.compile(r"^# %%(?: \[markdown\])?(?P<rest>.*)$")


@dataclass(frozen=True)
class Line:
    path: Path
    number: int
    language: str
    text: str


@dataclass(frozen=True)
class Rule:
    concept: str
    use: str
    pattern: re.Pattern


def rules(table: dict) -> dict[str, list[Rule]]:
    """The banned variants per language, compiled."""
    found: dict[str, list[Rule]] = {"de": [], "en": []}
    for term in table["term"]:
        for language in found:
            for variant in term.get(f"banned_{language}", []):
                rule = Rule(term["concept"], term[language], re.compile(variant))
                found[language].append(rule)
    return found


def prose(text: str) -> str:
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def page_lines(path: Path, language: str):
    """The prose lines of a Markdown page (fences and display formulas skipped)."""
    fenced = math = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if line.strip() in ("\\[", "\\]"):
            math = line.strip() == "\\["
            continue
        if not (fenced or math) and not line.lstrip().startswith("--8<--"):
            yield Line(path, number, language, prose(line))


def comment(code: str) -> str | None:
    """The comment of a line of Python, if it has one (a '#' outside strings)."""
    quote = None
    for i, char in enumerate(code):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return code[i + 1 :]
    return None


def snippet_comment_lines(path: Path):
    """The comments in the code of a snippet file (prompts removed); English."""
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            code = re.sub(r"^\s*(>>>|\.\.\.)( |$)", "", line)
            found = comment(code)
            if found:
                yield Line(path, number, "en", prose(found))


def notebook_lines(path: Path):
    """Prose cells by their language tag, code comments as English."""
    language, markdown = "en", False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cell = CELL.match(line)
        if cell:
            markdown = line.startswith("# %% [markdown]")
            tag = re.search(r'lang="(?P<lang>de|en)"', cell["rest"])
            language = tag["lang"] if markdown and tag else "en"
            continue
        if markdown:
            yield Line(path, number, language, prose(line.removeprefix("#")))
        else:
            found = comment(line)
            if found:
                yield Line(path, number, "en", prose(found))


def all_lines():
    for language in ("de", "en"):
        # The exercise pages are written from the notebooks, read below.
        for page in page_files(language):
            yield from page_lines(DOCS / language / page, language)
    for snippet in sorted(SNIPPETS.glob("*.md")):
        yield from snippet_comment_lines(snippet)
    for notebook in sorted(NOTEBOOKS.glob("*.py")):
        yield from notebook_lines(notebook)


def violations(lines, by_language: dict[str, list[Rule]]) -> list[str]:
    found = []
    for line in lines:
        for rule in by_language[line.language]:
            match = rule.pattern.search(line.text)
            if match:
                where = (
                    line.path.relative_to(ROOT)
                    if line.path.is_relative_to(ROOT)
                    else line.path.name
                )
                found.append(
                    f"{where}:{line.number}: {match[0]!r} ({line.language}); "
                    f"use {rule.use!r} for {rule.concept}"
                )
    return found


@pytest.fixture(scope="module")
def table() -> dict:
    return tomllib.loads(TERMINOLOGY.read_text(encoding="utf-8"))


def test_every_term_names_both_languages(table):
    assert table["term"], "terminology.toml lists no terms"
    for term in table["term"]:
        assert {"concept", "de", "en"} <= term.keys(), term
        assert term.get("banned_de") or term.get("banned_en"), (
            f"{term['concept']}: a term without banned variants checks nothing"
        )


def test_no_banned_variant_in_pages_snippet_comments_or_notebooks(table):
    found = violations(all_lines(), rules(table))
    assert not found, "banned variants (see terminology.toml):\n  " + "\n  ".join(found)


def test_the_check_reads_what_it_should(tmp_path):
    """Prove it: planted variants are found, code and the glossary's other-language
    clause are not read."""
    table = tomllib.loads(
        """
        [[term]]
        concept = "kernel"
        de = "Gewichtsmatrix (kernel)"
        en = "kernel"
        banned_de = ['\\bKerns?\\b']
        [[term]]
        concept = "optimizer"
        de = "Optimierer"
        en = "optimizer"
        banned_en = ['\\b[Oo]ptimisers?\\b']
        """
    )
    page = tmp_path / "page.md"
    page.write_text(
        "# Titel { #kern }\n\n"
        "Der Kern hat die Form (8, 3); `kernel` ist Code, 2 Kerne rechnen.\n\n"
        "```pycon\n>>> kern = 1  # der Kern im Code\n```\n",
        encoding="utf-8",
    )
    german = violations(page_lines(page, "de"), rules(table))
    assert len(german) == 1 and ":3: 'Kern'" in german[0], german

    glossary = tmp_path / "glossary.md"
    glossary.write_text(
        "Optimizer { #optimizer }\n:   *German:* Optimierer. Any optimiser.\n",
        encoding="utf-8",
    )
    english = violations(page_lines(glossary, "en"), rules(table))
    assert len(english) == 1 and "'optimiser'" in english[0], english

    snippet = tmp_path / "snippet.md"
    snippet.write_text(
        '```pycon\n>>> opt = "#optimiser"  # the optimiser\n... x = 1\n```\n',
        encoding="utf-8",
    )
    comments = violations(snippet_comment_lines(snippet), rules(table))
    assert len(comments) == 1 and ":2:" in comments[0], comments

    notebook = tmp_path / "exercise.py"
    notebook.write_text(
        '# %% [markdown] lang="de"\n# Der Kern.\n\n'
        '# %% [markdown] lang="en"\n# The optimiser.\n\n'
        "# %%\nx = 1  # a Kern in code is English: not a German variant\n",
        encoding="utf-8",
    )
    cells = violations(notebook_lines(notebook), rules(table))
    assert len(cells) == 2, cells
    assert ":2: 'Kern' (de)" in cells[0] and ":5: 'optimiser' (en)" in cells[1], cells
