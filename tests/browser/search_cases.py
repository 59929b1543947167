"""What a reader types into the search box, and which section must answer it.

Derived from the sources, not kept by hand:

- `error_lines()`: every entry of the errors page (its `## ... { #anchor }`
  headings in docs/en/errors.md; both languages have the same anchors,
  tests/test_parity.py) and the first line of the message that the entry's
  snippet blocks printed (snippets/errors.md, the verified output) on TensorFlow.
  JAX's and PyTorch's own wordings are on the page (the entry's tab of that
  backend) and in the index, but they often hold `...` for a volatile part (a
  layer name, a tensor repr), which is not what a reader pastes: SEARCHED_BACKENDS
  names the backends whose lines are tested as pasted.
- `api_names()`: every public name the snippets' code uses, read with `ast`:
  attributes of `keras` and `sklearn` (`keras.layers.Dense` -> `Dense`; a short
  lower-case one with its module: `keras.activations.get` -> `activations.get`), names
  imported from them, and the keyword arguments of `fit`, `predict` and
  `evaluate` calls.
- `explaining_sections()`: for a name, the sections of one language that explain
  it, from the built search index: those whose heading names it (a lower-case
  name in any case); if none, those
  whose prose (text outside code blocks) names it on a topic page, then on any
  page (cheat sheet, glossary); if none, those whose code uses it.

A pasted line holds what the reader's own run printed where the page shows
`...` (paths, layer names, numbers): `FILLER` stands in for it.
"""

from __future__ import annotations

import ast
import doctest
import html
import json
import re
from dataclasses import dataclass
from functools import cache

from spickzettel.core import output_variants
from spickzettel.core.backends import PRIMARY
from spickzettel.core.pages import snippet_blocks
from spickzettel.core.paths import DEFAULT_LANGUAGE, DOCS, SITE, SNIPPETS
from spickzettel.core.record import snippet_includes

ERRORS_PAGE = "errors.md"
HEADING = re.compile(r"^## +(?P<title>.+?) *\{ *#(?P<anchor>[\w-]+) *\} *$", re.M)
NOT_ENTRIES = {"setup"}
# "ValueError: ...", "keras.src...Error: ...", "UserWarning: ..."
MESSAGE = re.compile(r"^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Warning)\b: ")
FILLER = "12345"  # what a reader's run printed where the page shows "..."
# A page line ends where Python's line ended if it closes a sentence and the next
# starts a new one; otherwise the page wrapped one long line to fit its width.
SENTENCE_END = re.compile(r"[.:)]$")
FIT_METHODS = {"fit", "predict", "evaluate"}
NOT_PAGES_OF_TOPICS = ("cheat-sheet/", "glossary/")


SEARCHED_BACKENDS = (PRIMARY,)


@dataclass(frozen=True)
class ErrorLine:
    anchor: str  # the entry's anchor on the errors page
    line: str  # what the reader pastes
    backend: str = PRIMARY  # whose run printed it

    def __str__(self) -> str:
        return (
            self.anchor if self.backend == PRIMARY else f"{self.anchor}-{self.backend}"
        )


def printed_lines(want: str) -> list[str]:
    """A block's output as the lines Python printed: the page's wrapped lines of
    one long line joined again."""
    lines: list[str] = []
    for line in want.splitlines():
        line = line.strip()
        if not line:
            continue
        if lines and not (SENTENCE_END.search(lines[-1]) and line[:1].isupper()):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return [line.replace("...", FILLER) for line in lines]


def entry_sections(language: str = "en") -> dict[str, list[tuple[str, str]]]:
    """anchor -> the snippet (file, section) pairs the entry includes."""
    text = (DOCS / language / ERRORS_PAGE).read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    entries = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        body = text[heading.end() : following.start() if following else len(text)]
        if heading["anchor"] not in NOT_ENTRIES:
            entries[heading["anchor"]] = snippet_includes(body)
    return entries


def entry_messages(
    sections: list[tuple[str, str]], backend: str = PRIMARY
) -> list[str]:
    """The printed lines of an entry's first output that holds an exception or
    warning (else its first output: a training log that says `loss: nan`), as
    `backend`'s run printed them."""
    wants = [
        want
        for file, section in sections
        for block in snippet_blocks(file)
        if block.section == section and block.runs_on(backend)
        for want in output_variants.outputs(block.code, backend)
        if want.strip()
    ]
    for want in wants:
        lines = printed_lines(want)
        for i, line in enumerate(lines):
            if MESSAGE.match(line):
                return lines[i:]
    return printed_lines(wants[0]) if wants else []


@cache
def error_lines() -> tuple[ErrorLine, ...]:
    """Each entry's first message line; where two entries' first lines are the
    same (Keras' "Exception encountered when calling Sequential.call()."), the
    reader pastes the lines up to the one that tells them apart. A backend that
    words an entry's message otherwise than TensorFlow adds its own line."""
    lines = []
    by_backend = {
        backend: {
            anchor: entry_messages(sections, backend)
            for anchor, sections in entry_sections().items()
        }
        for backend in SEARCHED_BACKENDS
    }
    for backend, messages in by_backend.items():
        for anchor, message in messages.items():
            if backend != PRIMARY and message == by_backend[PRIMARY][anchor]:
                continue
            if not message:
                lines.append(ErrorLine(anchor, "", backend))
                continue
            n = 1
            others = [m for a, m in messages.items() if a != anchor]
            while n < len(message) and any(m[:n] == message[:n] for m in others):
                n += 1
            lines.append(ErrorLine(anchor, " ".join(message[:n]), backend))
    return tuple(lines)


# ---- API names -----------------------------------------------------------------


def _chain(node: ast.AST) -> list[str] | None:
    """`keras.layers.Dense` -> ["keras", "layers", "Dense"]; None if not a chain."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(names)]


def names_in(source: str) -> tuple[set[str], set[str]]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    found = set()
    modules = set()  # `layers` of keras.layers.Dense: a module, not an API name
    outer = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in outer:
            chain = _chain(node)
            inner = node.value
            while isinstance(inner, ast.Attribute):
                outer.add(id(inner))
                inner = inner.value
            if chain and chain[0] in ("keras", "sklearn") and len(chain) > 1:
                # a short lower-case name is typed with its module: no reader
                # searches for `get` alone, but for `activations.get`
                short = chain[-1].islower() and len(chain[-1]) <= 3 and len(chain) > 2
                found.add(".".join(chain[-2:]) if short else chain[-1])
                modules.update(chain[1:-1])
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in ("keras", "sklearn"):
                found.update(alias.name for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FIT_METHODS
        ):
            found.update(k.arg for k in node.keywords if k.arg)
    return {name for name in found if not name.startswith("_")}, modules


@cache
def api_names() -> tuple[str, ...]:
    found: set[str] = set()
    modules: set[str] = set()
    for path in sorted(SNIPPETS.glob("*.md")):
        for block in snippet_blocks(path.name):
            code = block.code
            if code.lstrip().startswith(">>>"):
                examples = doctest.DocTestParser().get_examples(code)
                sources = [example.source for example in examples]
            else:
                sources = [code]
            for source in sources:
                names, parents = names_in(source)
                found |= names
                modules |= parents
    return tuple(sorted(found - modules, key=lambda name: (name.lower(), name)))


# ---- the sections that explain a name -----------------------------------------

TAG = re.compile(r"<[^>]+>")
PRE = re.compile(r"<pre\b.*?</pre>", re.S)


@cache
def index_sections(language: str) -> tuple[dict, ...]:
    """The built search index's sections of one language."""
    index = json.loads((SITE / "search" / "search_index.json").read_text("utf-8"))
    prefix = "" if language == DEFAULT_LANGUAGE else f"{language}/"
    others = [code for code in index["config"]["lang"] if code != DEFAULT_LANGUAGE]
    sections = []
    for doc in index["docs"]:
        location = doc["location"]
        folder = location.split("/")[0]
        mine = location.startswith(prefix) if prefix else folder not in others
        if mine:
            sections.append(doc)
    return tuple(sections)


def names(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")


def text_of(fragment: str) -> str:
    return html.unescape(TAG.sub(" ", fragment))


@dataclass(frozen=True)
class SectionText:
    location: str
    heading: str
    prose: str  # text outside code blocks
    text: str  # all of it, code included


@cache
def section_texts(language: str) -> tuple[SectionText, ...]:
    return tuple(
        SectionText(
            doc["location"],
            text_of(doc["title"]),
            text_of(PRE.sub(" ", doc["text"])),
            text_of(doc["text"]),
        )
        for doc in index_sections(language)
    )


@cache  # asked for each check's key and again by the check
def explaining_sections(name: str, language: str) -> tuple[str, tuple[str, ...]]:
    """(how they were found, the locations of the sections that explain `name`)."""
    pattern = names(name)
    # a heading may capitalise a lower-case name ("Softmax" for softmax)
    heading = re.compile(pattern.pattern, re.IGNORECASE if name.islower() else 0)

    def topic(section: SectionText) -> bool:
        slug = section.location.removeprefix(f"{language}/")
        return "#" in slug and not slug.startswith(NOT_PAGES_OF_TOPICS)

    tiers = [
        ("heading", lambda s: heading.search(s.heading)),
        ("prose of a topic page", lambda s: topic(s) and pattern.search(s.prose)),
        ("prose", lambda s: pattern.search(s.prose)),
        ("code", lambda s: pattern.search(s.text)),
    ]
    for how, test in tiers:
        found = tuple(s.location for s in section_texts(language) if test(s))
        if found:
            return how, found
    return "nowhere", ()


# ---- real messages learners report, not on the errors page ----------------------

# (pasted line, the entry that answers it, where a learner reported it), each line
# as the report quotes it
LEARNER_MESSAGES = [
    (
        'ValueError: Input 0 of layer "sequential" is incompatible with the layer: '
        "expected shape=(None, 1, 4), found shape=(None, 1, 34)",
        "errors/#input-shape",
        "tensorflow/tensorflow#53728 (the TF 2 wording)",
    ),
    (
        'Input 0 of layer "dense_2" is incompatible with the layer: expected axis -1 '
        "of input shape to have value 16384, but received input with shape "
        "(None, 65536)",
        "errors/#input-shape",
        "keras-team/keras#19367",
    ),
    (
        "TypeError: Could not locate class 'CosineMSELogLoss'. Make sure custom "
        "classes are decorated with `@keras.saving.register_keras_serializable()`. "
        "Full object config: {'module': 'crested.tl.losses._cosinemse_log', "
        "'class_name': 'CosineMSELogLoss', 'config': {'name': 'CosineMSELogLoss', "
        "'reduction': 'sum_over_batch_size', 'max_weight': 100}, "
        "'registered_name': 'CosineMSELogLoss'}",
        "errors/#unregistered",
        "aertslab/CREsted#111",
    ),
    (
        "ValueError: Argument(s) not recognized: {'lr': 0.002}",
        "errors/#lr",
        "philipperemy/keras-tcn#284",
    ),
    (
        "UserWarning: The `lr` argument is deprecated, use `learning_rate` instead.",
        "errors/#lr",
        "aladdinpersson/Machine-Learning-Collection#84 (the TF 2 warning)",
    ),
]

# (what a learner types, the section that answers it, the question it comes from):
# words of a question, not a pasted line
LEARNER_QUERIES = [
    ("train_step jax", "backends/#train-step", "keras-team/keras#18881"),
    ("train_step pytorch", "backends/#train-step", "keras-team/keras#18881"),
]
