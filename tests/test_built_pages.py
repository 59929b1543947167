"""What every built page's HTML says, read from site/ without a browser
(tests/built_site.py): copy texts, language-switcher targets, stamps, formula counts
and the weight of a first visit. What only a browser can tell (the copy buttons
through the clipboard, contrast, layout, the formulas' rendering) is
tests/browser/page_checks.py, one visit per page.
"""

from __future__ import annotations

import json
import re

import pytest

from spickzettel.core import layout, output_variants
from spickzettel.core import record as vr
from spickzettel.core.backends import BACKENDS, LABELS, PRIMARY
from spickzettel.core.layout import BY_BACKEND
from spickzettel.core.pages import shown_on_pages, snippet_blocks
from spickzettel.core.paths import ROOT, SITE
from spickzettel.core.record import record_path
from tests import built_site
from tests.browser.site import (
    built_pages,
    formula_count,
    included_blocks,
    includes,
    page_params,
)
from tests.built_site import words
from tests.executed_code import executed_blocks

# Each per-page check reads its page (tests/verdicts.py: the page's HTML, what it
# loads and links, its Markdown source and snippet files or exercise notebooks).
PAGE = pytest.mark.reads("page")
# The weight reads the page as a visit does (what it loads, the search worker
# among it; not its downloads) and what every first visit fetches besides: the
# search index, and the math font.
WEIGHED = pytest.mark.reads(
    "visit", "site/search/search_index.json", "site/assets/fonts"
)

# Per page, without figures: HTML, CSS, JS, fonts, the search index (fetched by
# every first visit) and the rest, as a static host sends them (gzip).
# Uncompressed, the search index alone reached 400 kB with all topics on the site.
BUDGET_BYTES = 500_000

PAGES = page_params()
# The pages that show executed code. The others (home, glossary) include no
# snippets; tests/test_guard.py holds that no page owns code of its own.
CODE_PAGES = [p for p in PAGES if p.values[0] is None or included_blocks(p.values[0])]
# The pages written from a Markdown source (the 404 page has none).
SOURCE_PAGES = [p for p in PAGES if p.values[0] is None or p.values[0].source]


def built(page):
    assert page is not None, f"{SITE} holds no built site: run `make build` first"
    return page


def expected_copies(page, backend: str = PRIMARY) -> list[tuple[str, str]]:
    """(where, code) of every block the page shows, as executed on `backend`: an
    exercise page's notebook cells as its kernel ran them, else the snippet blocks
    Sybil's parser finds in the included sections (tests/executed_code.py) that
    `backend`'s run executed."""
    if page.notebook is not None:
        return [(cell.name, cell.code.rstrip()) for cell in included_blocks(page)]
    shown = []
    for file, section in includes(page.source):
        shown += [
            (block.name, block.copy)
            for block in executed_blocks(file)
            if (section is None or block.section == section) and block.ran_on(backend)
        ]
    return shown


@PAGE
@pytest.mark.parametrize("page", CODE_PAGES)
def test_copied_code_is_the_executed_code_whole_and_in_order(page):
    """Every copy button gives exactly the code that was executed, block for block,
    in order, for a reader of each backend (its tab of a block that differs by
    backend, every other block); with the order check below, copying a page's
    blocks in order IS the verified run of its snippet files on that backend, apart
    from the harness set-up."""
    for backend in BACKENDS:
        expected = expected_copies(built(page), backend)
        copied = [block.copied for block in built_site.blocks_seen_on(page, backend)]
        assert copied == [code for _, code in expected], (
            f"{page}: the copy texts a reader on {LABELS[backend]} sees are not the "
            f"code that was executed for {[where for where, _ in expected]}"
        )
    if page.notebook is not None:
        return
    shown = includes(page.source)
    for file in dict.fromkeys(file for file, _ in shown):
        on_page = [section for f, section in shown if f == file]
        if on_page == [None]:
            continue  # the whole file is included
        in_file = [
            block.section
            for block in executed_blocks(file)
            if shown_on_pages(block.section)  # not the diagram-drawing sections
        ]
        assert on_page == list(dict.fromkeys(in_file)), (
            f"{page} includes the sections {on_page} of snippets/{file}, which "
            f"executes {list(dict.fromkeys(in_file))} in this order: copying the "
            "page's blocks in order would not reproduce the verified run"
        )


def test_every_page_exists_in_both_languages():
    pages = built_pages()
    assert pages, f"{SITE} holds no built site"
    paths = {page.path for page in pages}
    missing = [
        f"{page}: no {language} version at {page.path_in(language)}"
        for page in pages
        for language in page.other_languages
        if page.path_in(language) not in paths
    ]
    assert not missing, "\n".join(missing)


@PAGE
@pytest.mark.parametrize("page", PAGES)
def test_language_switcher_keeps_the_page(page):
    targets = built_site.switcher_targets(built(page))
    for language in page.other_languages:
        assert targets.get(language) == page.path_in(language), (
            f"{page}: the language switcher to {language!r} leads to "
            f"{targets.get(language)}, expected {page.path_in(language)}"
        )


@PAGE
@pytest.mark.parametrize("page", SOURCE_PAGES)
def test_every_page_carries_a_stamp_in_its_language(page):
    stamp = built_site.stamp(built(page))
    assert stamp is not None, f"{page} has no verification stamp"
    said = stamp.text_content()
    german = any(word in said for word in ("Geprüft", "keinen Code"))
    assert german == (page.language == "de"), f"{page}: {said}"


@PAGE
@pytest.mark.parametrize("page", SOURCE_PAGES)
def test_every_formula_the_source_writes_is_mathml(page):
    written = formula_count(built(page))
    assert built_site.unconverted_formulas(page) == 0, f"{page}: unconverted formula"
    assert built_site.mathml_count(page) == written, (
        f"{page}: the source writes {written} formula(s), the page holds "
        f"{built_site.mathml_count(page)} MathML element(s)"
    )


@WEIGHED
@pytest.mark.parametrize("page", PAGES)
def test_weight_within_budget(page, record_property):
    weight = built_site.weight(built(page))
    record_property("weight", weight)  # the terminal summary prints the table
    without_figures = sum(size for kind, size in weight.items() if kind != "figures")
    assert without_figures <= BUDGET_BYTES, (
        f"{page} transfers {without_figures / 1000:.0f} kB without figures, "
        f"budget {BUDGET_BYTES / 1000:.0f} kB: {weight}"
    )


# ---- blocks that differ by Keras backend ------------------------------------------

TAB_LABELS = [LABELS[backend] for backend in BACKENDS]


def differing_blocks(page) -> list:
    """The included snippet blocks whose code or expected output differs by
    backend, read from the snippet files."""
    return [
        block
        for file, section in includes(page.source)
        for block in snippet_blocks(file)
        if (section is None or block.section == section)
        and (block.backends or output_variants.has_variants(block.code))
    ]


@pytest.mark.parametrize("page", CODE_PAGES)
def test_each_backend_tab_shows_that_backends_verified_output(page):
    """A block whose output differs shows, in each backend's tab, the expected
    output that backend's run matched; tab sets are labelled TensorFlow | JAX |
    PyTorch in that order; a page without such blocks has no backend tabs."""
    if built(page).notebook is not None:
        assert built_site.backend_tab_sets(page) == []
        return
    blocks = differing_blocks(page)
    sets = built_site.backend_tab_sets(page)
    assert all(labels == TAB_LABELS for labels in sets), f"{page}: {sets}"
    varying = [b for b in blocks if not b.backends]
    groups = {(b.section, b.line) for b in blocks if b.backends}
    assert len(sets) >= len(varying) + (1 if groups else 0), f"{page}: {sets}"
    if not blocks:
        assert sets == [], f"{page}: backend tabs, but no block differs by backend"
    for backend in BACKENDS:
        seen = [
            block.shown
            for block in built_site.rendered_blocks(page)
            if block.backend == backend and block.language == "pycon"
        ]
        for block in varying:
            expected = output_variants.outputs(block.code, backend)
            assert any(
                output_variants.outputs(shown, backend) == expected for shown in seen
            ), (
                f"{page}: no {LABELS[backend]} tab shows {block.name} with the "
                f"output {LABELS[backend]}'s run matched: {expected}"
            )
            for shown in seen:
                assert output_variants.has_variants(shown) is False, shown


RECORDS = pytest.mark.reads(
    "page", *(record_path(b).relative_to(ROOT).as_posix() for b in BACKENDS)
)


def drawn_by(figure: str) -> dict[str, str]:
    """sha256 of docs/figures/<topic>/<name> as each backend's run drew it, from
    each backend's record (figure: "<topic>/<name>")."""
    topic = f"{figure.split('/')[0]}.md"
    return {
        backend: vr.load(backend)["snippets"][topic]["figures"][
            figure if backend == PRIMARY else f"{BY_BACKEND}/{backend}/{figure}"
        ]
        for backend in BACKENDS
    }


@RECORDS
@pytest.mark.parametrize("page", SOURCE_PAGES)
def test_each_backend_tab_shows_the_figure_that_backends_run_drew(page):
    """Against the records: a snippet figure that another backend's run drew
    differently is shown in tabs TensorFlow | JAX | PyTorch, each with the file
    its backend's run drew (the primary's where a backend drew the same); a figure
    the same on every backend is one image outside such tabs."""
    figures = SITE / "figures"
    tabbed = {shown[PRIMARY]: shown for shown in built_site.figure_tab_sets(page)}
    shown = built_site.images(built(page))
    snippet_figures = [
        path
        for path in {*shown, *tabbed}
        if path.is_relative_to(figures)
        and path.relative_to(figures).parts[0] not in (BY_BACKEND, "exercises")
    ]
    for path in snippet_figures:
        figure = path.relative_to(figures).as_posix()
        drawn = drawn_by(figure)
        differs = [b for b in BACKENDS if drawn[b] != drawn[PRIMARY]]
        if not differs:
            assert path not in tabbed, f"{page}: {figure} in tabs, drawn the same"
            continue
        assert path in tabbed, f"{page}: {figure} differs on {differs}, no tabs"
        for backend, file in tabbed[path].items():
            expected = figures / (
                f"{BY_BACKEND}/{backend}/{figure}" if backend in differs else figure
            )
            assert file == expected, f"{page}: {LABELS[backend]} tab shows {file}"
            assert layout.digest(file) == drawn[backend], f"{file} is not the drawn one"
    assert len(tabbed) == len(built_site.figure_tab_sets(page)), "a figure twice"


@pytest.mark.parametrize("page", PAGES)
def test_no_output_marker_or_backend_option_reaches_the_page(page):
    for block in built_site.rendered_blocks(built(page)):
        for text in (block.shown, block.copied):
            marked = [ln for ln in text.splitlines() if output_variants.is_marker(ln)]
            assert not marked, f"{page}: a code block shows {marked}"
    # A fence Python-Markdown did not take (an option it does not know) would show
    # its backticks as text.
    assert "```" not in built_site.prose_text(page), f"{page}: a fence shows as text"


def test_the_search_index_holds_no_output_marker():
    index = json.loads(built_site.SEARCH_INDEX.read_text(encoding="utf-8"))
    marked = [
        doc["location"]
        for doc in index["docs"]
        if MARKER_TEXT.search(doc.get("text", "") + doc.get("title", ""))
    ]
    assert not marked, f"search index entries hold [backend: ...] lines: {marked}"


MARKER_TEXT = re.compile(r"\[backend: *(?:jax|torch)")


def test_the_search_index_reads_tab_labels_as_words_and_no_backend_labels():
    """Material's search runs a tab set's labels together: a backend tab set's
    "TensorFlowJAXPyTorch" was in the preview of every section with one. Its
    labels are left out of the index; another tab set's labels are words in the
    text of its section (labels read from the built pages)."""
    index = json.loads(built_site.SEARCH_INDEX.read_text(encoding="utf-8"))
    texts = {doc["location"]: doc.get("text", "") for doc in index["docs"]}
    backend_labels = list(LABELS.values())
    run_together = [a + b for a in backend_labels for b in backend_labels if a != b]
    glued = [
        where for where, text in texts.items() if any(r in text for r in run_together)
    ]
    assert not glued, f"backend tab labels run together in the search index: {glued}"
    other_sets = [
        (page, labels)
        for page in built_pages()
        for tab_set in built_site.tree(page).cssselect("div.tabbed-set")
        if not set(labels := built_site.tab_labels(tab_set)) & set(backend_labels)
    ]
    assert other_sets, "no tab set other than the backend tabs was found"
    for page, labels in other_sets:
        words = " ".join(labels)
        holding = [where for where, text in texts.items() if words in text]
        assert any(where.split("#")[0] == page.path.lstrip("/") for where in holding), (
            f"{page}: its tab labels {labels} are not words of its search text"
        )


def shows_snippet_blocks(param) -> bool:
    page = param.values[0]
    return page is None or (page.notebook is None and bool(included_blocks(page)))


SNIPPET_PAGES = [p for p in SOURCE_PAGES if shows_snippet_blocks(p)]
# Exercise pages (their notebook's cells) and pages without code.
OTHER_SOURCE_PAGES = [p for p in SOURCE_PAGES if not shows_snippet_blocks(p)]


@pytest.mark.parametrize("page", SNIPPET_PAGES)
def test_the_stamp_says_whether_every_block_printed_the_same_everywhere(page):
    """Derived from the included sections by the build; checked here against the
    tabs the HTML holds."""
    said = words(built_site.stamp(built(page)).text_content())
    tabbed = bool(built_site.backend_tab_sets(page))
    names = " | ".join(TAB_LABELS)
    tabs_said = {
        "de": f"Blöcke mit den Reitern {names}",
        "en": f"Blocks with the tabs {names}",
    }
    same_said = {
        "de": "auf allen drei Backends ausgegeben",
        "en": "on all three backends",
    }
    figures_said = {
        "de": f"Abbildungen mit den Reitern {names}",
        "en": f"Figures with the tabs {names}",
    }
    assert (tabs_said[page.language] in said) == tabbed, f"{page}: {said}"
    assert same_said[page.language] in said, f"{page}: {said}"
    figures_tabbed = bool(built_site.figure_tab_sets(page))
    assert (figures_said[page.language] in said) == figures_tabbed, f"{page}: {said}"


@pytest.mark.parametrize("page", OTHER_SOURCE_PAGES)
def test_a_page_without_snippet_blocks_says_what_it_shows_instead(page):
    """An exercise page shows its notebook's run on TensorFlow, and says so; a page
    without code says that. Neither speaks of tabs it does not have."""
    said = words(built_site.stamp(built(page)).text_content())
    instead = {
        ("de", True): "Alle Ausgaben und Abbildungen stammen aus dem Lauf mit "
        "TensorFlow.",
        ("en", True): "Every output and figure comes from the run on TensorFlow.",
        ("de", False): "Diese Seite enthält keinen Code.",
        ("en", False): "This page contains no code.",
    }
    assert instead[page.language, page.notebook is not None] in said, f"{page}: {said}"
    assert " | ".join(TAB_LABELS) not in said, f"{page}: {said}"
    assert not built_site.backend_tab_sets(page), page
    assert not built_site.figure_tab_sets(page), page
