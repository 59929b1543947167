"""One term per concept: no banned variant from terminology.toml anywhere a reader
reads prose.

Checked: the pages (docs/de German, docs/en English), the comments in the code of
the snippet files (English), and the exercise notebooks' jupytext sources (prose
cells by their lang="de"/"en" tag, code comments English). Not checked: inline
code, link targets, anchors, formulas, and the glossary's clauses naming the other
language's term ("*Englisch:* ..." on a German page, "*German:* ..." on an English
one) and the course's word ("*Im Kurs:* ...").

The course deck's own words (Overfitting, Loss, Output-Neuron, Hiddenlayer, …) are
bridged: every German topic page that uses such a term names the course's word in
brackets beside it at least once ("Überanpassung (Overfitting)").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from spickzettel.core.fences import FENCE_LINE, in_fences
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
    re.compile(r"\*(?:Englisch|German|Im Kurs):\*[^.]*\."),  # the glossary's clauses
]
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
    math = False
    text = path.read_text(encoding="utf-8")
    lines = zip(text.split("\n"), in_fences(text), strict=True)
    for number, (line, fenced) in enumerate(lines, 1):
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
    text = path.read_text(encoding="utf-8")
    lines = zip(text.split("\n"), in_fences(text), strict=True)
    for number, (line, fenced) in enumerate(lines, 1):
        if fenced and not FENCE_LINE.match(line):
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


# ---- the course's words, bridged once per German topic page -----------------------

# Pages that name the course's words elsewhere: the glossary in its "*Im Kurs:*"
# clause, the home page only links to the topic pages.
NOT_TOPIC_PAGES = {"glossary.md", "index.md"}


def bridge_text(line: str) -> str:
    """A line as a reader reads it: "[Überanpassung] (Overfitting)" (the link's
    target already removed) reads "Überanpassung (Overfitting)"."""
    return re.sub(r"\s+", " ", line.replace("[", "").replace("*", "")).strip()


def missing_bridges(pages: list[Path], table: dict) -> list[str]:
    """Pages that use a German term with a course word but never bridge it."""
    found = []
    for term in table["term"]:
        if "course" not in term:
            continue
        uses, bridge = re.compile(term["uses_de"]), re.compile(term["bridge_de"])
        for page in pages:
            text = " ".join(bridge_text(line.text) for line in page_lines(page, "de"))
            if uses.search(text) and not bridge.search(text):
                found.append(
                    f"{page.name}: uses {term['uses_de']!r} but never says "
                    f"{term['de'].split(';')[-1].strip()!r} (the course's word "
                    f"{term['course']!r})"
                )
    return found


def test_each_topic_page_names_the_course_word_beside_the_german_term(table):
    pages = [
        DOCS / "de" / page for page in page_files("de") if page not in NOT_TOPIC_PAGES
    ]
    found = missing_bridges(pages, table)
    assert not found, "course words not bridged:\n  " + "\n  ".join(found)


def test_the_bridge_check_reads_what_it_should(tmp_path, table):
    used = tmp_path / "used.md"
    used.write_text("Die Überanpassung beginnt früh.\n", encoding="utf-8")
    bridged = tmp_path / "bridged.md"
    bridged.write_text(
        "Die Überanpassung (Overfitting) beginnt.\n\nDie Überanpassung endet.\n",
        encoding="utf-8",
    )
    unused = tmp_path / "unused.md"
    unused.write_text("Kein Begriff hier.\n", encoding="utf-8")
    found = missing_bridges([used, bridged, unused], table)
    assert [f for f in found if "Überanpassung" in f] == [
        f for f in found if f.startswith("used.md") and "Overfitting" in f
    ], found
    assert len([f for f in found if f.startswith("used.md")]) == 1, found
