"""A reader pastes an error line or types an API name into the search box.

What is typed and what must answer come from the sources
(tests/browser/search_cases.py): every entry of the errors page with the first
line of its message as Python printed it in the verified run, and every public
API name the snippets' code uses with the sections that explain it. Each is
pasted whole into the search box of the home page, on `/` and on `/en/`:

- an error line: its entry is the first result;
- an API name: a section that explains it is among the first three results;
- every result listed is a section of the reader's language;
- real messages that learners report, not on the errors page: their answer is
  the first result.

tests/browser/test_offline.py runs the same cases on the offline zip (file://).

Each check reads the home page it searches on, the search worker and the worker's
answer to its query (tests/browser/search_answers.py): it runs again when what it
would see of the answer changes, not after every edit of the search index.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

from spickzettel.core.paths import DEFAULT_LANGUAGE, LANGUAGES
from tests.browser import search_answers
from tests.browser.search_answers import SearchAnswer, search_reads
from tests.browser.search_box import search_boxes
from tests.browser.search_cases import (
    LEARNER_MESSAGES,
    LEARNER_QUERIES,
    api_names,
    error_lines,
    explaining_sections,
)
from tests.browser.site import home_path, page_params
from tests.built_site import headings

pytestmark = pytest.mark.browser


def site_path(location: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A search-index location ("en/errors/#lr") as the site's path."""
    return "/" + location


def in_language(location: str, language: str) -> str:
    """A language-neutral location ("errors/#lr") in `language`."""
    return location if language == DEFAULT_LANGUAGE else f"{language}/{location}"


def entry(case, language: str) -> str:
    """The location of an error line's entry on the errors page of `language`."""
    return in_language(f"errors/#{case.anchor}", language)


def is_language(path: str, language: str) -> bool:
    """Whether a result path ("/en/fit/#cycle") is a page of `language`."""
    folder = path.strip("/").split("/")[0]
    others = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    if language == DEFAULT_LANGUAGE:
        return folder not in others
    return folder == language


@pytest.fixture(scope="module")
def search_in(browser, site_url):
    """The search box of the home page in each language, opened once each."""
    homes = {language: site_url + home_path(language) for language in LANGUAGES}
    with search_boxes(browser, homes) as boxes:
        yield boxes


def check_error_line(search, case, language, to_path=site_path) -> None:
    assert case.line, f"no message found for the entry #{case.anchor}"
    expected = to_path(entry(case, language))
    results = search(case.line)
    assert results, f"pasting {case.line!r} on {home_path(language)}: no results"
    assert results[0].path == expected, (
        f"pasting {case.line!r} on {home_path(language)}: first result "
        f"{results[0].path}, not {expected}; first three: {results}"
    )


def check_api_name(search, name, language, to_path=site_path) -> None:
    how, sections = explaining_sections(name, language)
    assert sections, f"no section of the {language} site names {name!r}"
    expected = {to_path(location) for location in sections}
    results = search(name)
    top = [result.path for result in results[:3]]
    assert expected & set(top), (
        f"typing {name!r} on {home_path(language)}: none of the sections whose "
        f"{how} names it ({sorted(expected)}) among the first three {top}"
    )


def error_line_reads(case, language) -> list:
    answer = SearchAnswer(language, case.line, 3, (entry(case, language),))
    return search_reads(language, answer)


def api_name_reads(name, language) -> list:
    how, sections = explaining_sections(name, language)
    expected = (how, *sections)
    return search_reads(language, SearchAnswer(language, name, 3, expected))


def learner_reads(line, answer, language) -> list:
    expected = (in_language(answer, language),)
    return search_reads(language, SearchAnswer(language, line, 3, expected))


@pytest.mark.reads(pages=error_line_reads)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", error_lines(), ids=str)
def test_pasted_error_line_lists_its_entry_first(case, language, search_in):
    check_error_line(search_in[language], case, language)


@pytest.mark.reads(pages=api_name_reads)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", api_names())
def test_api_name_finds_its_section_in_the_first_three(name, language, search_in):
    check_api_name(search_in[language], name, language)


@pytest.mark.reads(pages=learner_reads)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("line", "answer"),
    [(line, answer) for line, answer, _ in [*LEARNER_MESSAGES, *LEARNER_QUERIES]],
    ids=[source.split()[0] for *_, source in [*LEARNER_MESSAGES, *LEARNER_QUERIES]],
)
def test_what_a_learner_pastes_or_types_lists_its_answer_first(
    line, answer, language, search_in
):
    results = search_in[language](line)
    expected = site_path(in_language(answer, language))
    assert results and results[0].path == expected, (
        f"searching {line!r} on {home_path(language)}: {results}"
    )


# Words both languages use.
SHARED_WORDS = ["model.fit", "EarlyStopping", "Dense", "softmax"]


def shared_words_reads(language) -> list:
    return search_reads(
        language, *(SearchAnswer(language, query, 10) for query in SHARED_WORDS)
    )


@pytest.mark.reads(pages=shared_words_reads)
@pytest.mark.parametrize("language", LANGUAGES)
def test_results_are_in_the_readers_language(language, search_in):
    """Words both languages use list only the reader's language, unmarked."""
    for query in SHARED_WORDS:
        results = search_in[language](query, first=10)
        assert results, query
        wrong = [
            r for r in results if r.other_language or not is_language(r.path, language)
        ]
        assert not wrong, f"{query!r} on {home_path(language)} lists {wrong}"


def other_language_reads(language, query, found) -> list:
    return search_reads(language, SearchAnswer(language, query, 3, (found,)))


@pytest.mark.reads(pages=other_language_reads)
@pytest.mark.parametrize(
    ("language", "query", "found"),
    # a word of the German errors page that no English page uses
    [("en", "Gleitkommazahlen", "/errors/#lr")],
)
def test_a_word_of_the_other_language_only_leads_there_marked(
    language, query, found, search_in
):
    results = search_in[language](query)
    assert results, f"{query!r} on {home_path(language)}: no results"
    assert results[0].path == found, results
    assert all(r.other_language for r in results), results


def titled_pages() -> list:
    """Every built page with the title its heading shows."""
    params = page_params()
    if params[0].values[0] is None:
        return params
    return [
        pytest.param(param.values[0], heading(param.values[0]), id=param.id)
        for param in params
    ]


def heading(page) -> str:
    """The page's h1 as a reader reads it (without its permalink, "¶")."""
    return next(text for level, text, _ in headings(page) if level == 1)


def title_reads(page, title) -> list:
    if page is None:
        return []  # no built site: the test fails and says so
    answer = SearchAnswer(page.language, title, 1, (page.path,))
    return search_reads(page.language, answer)


@pytest.mark.reads(pages=title_reads)
@pytest.mark.parametrize(("page", "title"), titled_pages())
def test_typing_a_page_title_lists_that_page_first(page, title, search_in):
    """A reader who types the title of a page gets that page, not the section of
    another page with the same heading (the cheat sheet's summary of it)."""
    results = search_in[page.language](title, first=1)
    assert results, f"typing {title!r} on {home_path(page.language)}: no results"
    assert urlsplit(results[0].path).path == page.path, (
        f"typing {title!r} on {home_path(page.language)}: first result "
        f"{results[0].path}, not {page.path}"
    )


# The verdict cache keys these checks by the worker's answer, computed in Node
# from the same worker and index (search_answers.py). That answer must be what the
# box lists, page for page: a query of each kind, in both languages.
ANSWERED_IN_NODE = [
    ("de", "Entscheidungsschwelle"),
    ("en", "EarlyStopping"),
    ("de", "Dense"),
    ("en", "class_weight"),
    ("en", "Gleitkommazahlen"),  # found only in the other language
]


def test_the_answer_the_cache_keys_on_is_what_the_box_lists(search_in):
    assert shutil.which("node"), "Node is missing: the search checks have no key"
    answers = search_answers.answers_of(search_answers.SITE_COPY)
    assert answers is not None, "no built site"
    asked = [SearchAnswer(language, query) for language, query in ANSWERED_IN_NODE]
    shown = answers.ask([answer.question for answer in asked], shown=True)
    assert len(shown) == len(asked), "Node gave no answer"
    for answer in asked:
        items = shown[answer.question]["items"]
        in_node = [(site_path(item["location"]), item["other"]) for item in items]
        listed = search_in[answer.language](answer.query, first=search_answers.RENDERED)
        in_the_box = [(result.path, result.other_language) for result in listed]
        assert in_the_box == in_node, (
            f"{answer.query!r} on {home_path(answer.language)}: the box lists "
            f"{in_the_box}, Node's answer {in_node}"
        )
