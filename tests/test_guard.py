"""Guards against the silent failures of this stack.

A Python fence that Sybil does not collect looks tested and is not; a page that owns
code instead of including it from snippets/ duplicates it across languages (the
exercise pages, generated from the verified notebooks, are the one exception, and
are held to the code that ran); an output that a doctest echoes but a script would
not print makes copied code lie.
"""

from __future__ import annotations

import ast
import doctest
import json

import pytest

from spickzettel.core import backends, pages
from spickzettel.core.fences import PYTHON_LOOKING, fences
from spickzettel.core.layout import digest
from spickzettel.core.pages import shown_on_pages, snippet_includes
from spickzettel.core.paths import DOCS, EXERCISES, LANGUAGES, ROOT, SNIPPETS
from spickzettel.core.record import RECORD_PATH
from spickzettel.verify import notebooks
from spickzettel.verify.pytest_plugin import MarkdownDocument, parsers
from tests.browser.site import snippet_blocks

FILES = pages.markdown_files()


def the_file(path) -> list:
    """What a check of one Markdown file reads (tests/verdicts.py): that file."""
    return [path]


def the_page_and_its_snippets(path) -> list:
    """A page and the snippet files it includes."""
    text = path.read_text(encoding="utf-8")
    return [path, *(SNIPPETS / file for file, _ in snippet_includes(text))]


def _name(path) -> str:
    return path.relative_to(ROOT).as_posix()


def _has_python_fence(path) -> bool:
    text = path.read_text(encoding="utf-8")
    return any(PYTHON_LOOKING.match(fence.language) for fence in fences(text))


# The files with a Python-looking fence; the hand-written pages have none at all
# (test_pages_own_no_code holds that).
FILES_WITH_CODE = [path for path in FILES if _has_python_fence(path)]


def test_code_is_found_where_the_guard_looks():
    """Every snippet file with code is among the files the guard checks."""
    snippets_with_code = {p for p in SNIPPETS.rglob("*.md") if _has_python_fence(p)}
    assert snippets_with_code, "no snippet file with a Python fence found"
    assert snippets_with_code <= set(FILES_WITH_CODE)


@pytest.mark.reads(pages=the_file)
@pytest.mark.parametrize("path", FILES_WITH_CODE, ids=_name)
def test_every_python_fence_is_executed(path):
    text = path.read_text(encoding="utf-8")
    starts = set()
    for backend in backends.BACKENDS:  # a backend's own version: only on its run
        document = MarkdownDocument.parse(str(path), *parsers(backend))
        starts |= {region_start for region_start, _ in document.regions}
    for fence in fences(text):
        if not PYTHON_LOOKING.match(fence.language):
            continue
        collected = any(fence.start <= start < fence.end for start in starts)
        assert collected, (
            f"{_name(path)}:{fence.line}: ```{fence.language} block is not executed by "
            "Sybil (use ```pycon for doctests or ```python for plain code)"
        )


HAND_WRITTEN_PAGES = [
    DOCS / language / page
    for language in LANGUAGES
    for page in pages.page_files(language)
]
NOTEBOOK_PAGES = [
    page for language in LANGUAGES for page in pages.notebook_page_files(language)
]


@pytest.mark.reads(pages=the_file)
@pytest.mark.parametrize("path", HAND_WRITTEN_PAGES, ids=_name)
def test_pages_own_no_code(path):
    owned = list(fences(path.read_text(encoding="utf-8")))
    assert not owned, (
        f"{_name(path)}:{owned[0].line}: a page owns a code block; put the code in "
        'snippets/<topic>.md and include it with --8<-- "<topic>.md:<section>"'
    )


def test_every_page_under_docs_is_checked():
    """Nothing escapes the rule above except the exercise pages below."""
    every = set(DOCS.rglob("*.md"))
    assert every == set(HAND_WRITTEN_PAGES) | set(NOTEBOOK_PAGES)


@pytest.mark.parametrize("path", NOTEBOOK_PAGES, ids=_name)
def test_exercise_pages_show_only_verified_code(path):
    """The exercise pages are the exception: the test run generates them from the
    verified notebook sources (spickzettel/verify/notebook_pages.py), the record
    holds their digest, so the build refuses a hand edit. Their Python fences are
    exactly the code cells that ran in the notebook's kernel (Sybil does not run
    them again);
    every other fence is an output block (```text), which nothing executes."""
    record = json.loads(RECORD_PATH.read_text(encoding="utf-8"))
    source = EXERCISES / path.with_suffix(".py").name
    entry = record["notebooks"][source.name]
    assert entry["outputs"].get(_name(path)) == digest(path), (
        f"{_name(path)} is not the page the verified run of {_name(source)} wrote"
    )
    text = path.read_text(encoding="utf-8")
    blocks = list(fences(text))
    python = [fence for fence in blocks if PYTHON_LOOKING.match(fence.language)]
    assert {fence.language for fence in python} <= {"python"}
    assert {fence.language for fence in blocks} <= {"python", "text"}
    code = [
        cell.source
        for cell in notebooks.read_source(source).cells
        if cell.cell_type == "code" and not backends.is_backend_cell(cell)
    ]
    shown = []
    for fence in python:
        lines = text[fence.start : fence.end].splitlines()
        indent = len(lines[0]) - len(lines[0].lstrip())
        shown.append("\n".join(line[indent:] for line in lines[1:-1]))
    assert shown == code, f"{_name(path)}: its code is not the code of {_name(source)}"
    assert "spickzettel" not in "".join(code), (
        f"{_name(source)} imports the project's own package: a reader's download "
        "would not run"
    )


def _doctest_examples(path):
    text = path.read_text(encoding="utf-8")
    for fence in fences(text):
        if fence.language != "pycon":
            continue
        body = text[fence.start : fence.end].split("\n", 1)[1].rsplit("\n", 2)[0]
        first_line = text[: fence.start].count("\n") + 2
        for example in doctest.DocTestParser().get_examples(body):
            yield first_line + example.lineno, example


# The snippet files whose doctests show output (a new topic's setup shows none).
SHOWING_OUTPUT = [
    path
    for path in sorted(SNIPPETS.rglob("*.md"))
    if any(example.want for _, example in _doctest_examples(path))
]


@pytest.mark.reads(pages=the_file)
@pytest.mark.parametrize("path", SHOWING_OUTPUT, ids=_name)
def test_shown_output_is_printed_not_echoed(path):
    """`>>> x.shape` shows output in a doctest but prints nothing when copied."""
    for line, example in _doctest_examples(path):
        if not example.want:
            continue
        last = ast.parse(example.source).body[-1]
        echoed = isinstance(last, ast.Expr) and not isinstance(last.value, ast.Call)
        assert not echoed, (
            f"{_name(path)}:{line}: the output is echoed by a bare expression; "
            "wrap it in print(...) so copied code prints it too"
        )


KERAS_SNIPPETS = [
    path
    for path in sorted(SNIPPETS.glob("*.md"))
    if "import keras" in path.read_text(encoding="utf-8")
]


@pytest.mark.reads(pages=the_file)
@pytest.mark.parametrize("path", KERAS_SNIPPETS, ids=_name)
def test_snippets_seed_keras_before_anything_random(path):
    """Copying a page's blocks in order must reproduce its outputs, seed included."""
    text = path.read_text(encoding="utf-8")
    seed = text.find("keras.utils.set_random_seed(")
    first_layer = text.find("keras.layers.")
    assert seed != -1 and (first_layer == -1 or seed < first_layer), (
        f"{_name(path)}: call keras.utils.set_random_seed(...) in the setup section, "
        "before the first layer is created"
    )


# The pages that include snippet code; the exercise pages' code is held by
# test_exercise_pages_show_only_verified_code.
INCLUDING_PAGES = [
    path
    for path in sorted(DOCS.rglob("*.md"))
    if snippet_includes(path.read_text(encoding="utf-8"))
]


@pytest.mark.reads(pages=the_page_and_its_snippets)
@pytest.mark.parametrize("path", INCLUDING_PAGES, ids=_name)
def test_shown_code_needs_nothing_from_this_repository(path):
    """A reader copies a page's code into a script of their own: it must not import
    the project's engine (the diagrams' drawing code stays off the pages)."""
    text = path.read_text(encoding="utf-8")
    for file, section in snippet_includes(text):
        assert shown_on_pages(section), (
            f"{_name(path)} includes {file}:{section}, a section that draws a "
            "diagram with the project's own code: show its figure only"
        )
        for block in snippet_blocks(file):
            if section is None or block.section == section:
                assert "spickzettel" not in block.code, (
                    f"{_name(path)} shows {block.name}, which imports the project's "
                    "own package: a reader's copy of it would not run"
                )
