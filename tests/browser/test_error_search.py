"""A reader pastes an error message into the search box and finds its entry.

Each entry of the error page (docs/*/errors.md) has its own anchor. For each one,
the stable part of the message, as it stands in a terminal, is typed into the
search box of the home page in each language; the results must list that entry
of the page in the same language (the index holds both languages). That each
message is shown on both pages, so the list below cannot drift from the messages
the snippets printed (snippets/errors.md), is read from the built pages without a
browser (tests/test_error_page.py).

Material's query syntax limits what can be pasted: a word with a leading minus,
such as the `-1` in "expected axis -1 of input shape", excludes every section that
contains it, and `{'lr': 0.001}` finds nothing useful. The parts below avoid both.
"""

from __future__ import annotations

import pytest

from spickzettel.core.paths import LANGUAGES
from tests.browser.search_box import search_box
from tests.browser.site import page_for

pytestmark = pytest.mark.browser

PAGE = "/errors/"
# anchor -> the part of the message that does not change between programs
MESSAGES = {
    "input-shape": "is incompatible with the layer: expected axis",
    "one-hot-sparse": "Argument `output` must have rank (ndim) `target.ndim - 1`",
    "integer-categorical": "Arguments `target` and `output` must have the same "
    "rank (ndim)",
    "nan-relu": "loss: nan",
    "nan-learning-rate": "NaN or Inf loss encountered at batch",
    "lr": "ValueError: Argument(s) not recognized",
    "input-shape-argument": "Do not pass an `input_shape`/`input_dim` argument",
    "weights-suffix": "The filename must end in `.weights.h5`.",
    "save-extension": "ValueError: Invalid filepath extension for saving.",
    "unregistered": "Make sure custom classes and functions are decorated with "
    "`@keras.saving.register_keras_serializable()`",
    "unbuilt": "but the layer isn't built. You can build it manually via: "
    "`layer.build(input_shape)`.",
    "single-sample": "Expected shape (None, 13), but input has incompatible "
    "shape (13,)",
    "lnput": "AttributeError: module 'keras.layers' has no attribute 'lnput'",
}


def page_in(language: str):
    return page_for(page_for(PAGE).path_in(language))


@pytest.fixture(scope="module")
def search_in(browser, site_url):
    """The search box of the home page in each language, opened once each."""
    boxes, opened = {}, []
    for language in LANGUAGES:
        box = search_box(browser, site_url + page_for("/").path_in(language))
        opened.append(box)
        boxes[language] = box.__enter__()
    yield boxes
    for box in opened:
        box.__exit__(None, None, None)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("anchor", list(MESSAGES))
def test_pasted_message_finds_its_entry(anchor, language, search_in):
    entry = page_in(language).path + f"#{anchor}"
    found = search_in[language](MESSAGES[anchor], until=entry)
    assert entry in found, (
        f"searching {MESSAGES[anchor]!r} on the {language} site does not list "
        f"{entry}; results: {found}"
    )
