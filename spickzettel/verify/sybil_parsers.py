"""The Sybil parsers of the verify run: which fences execute, and how.

Sybil's own Markdown parser only takes fences whose info string is exactly
`python`: ```pycon, ```py or ```python title="x" would be skipped without a word.
This parser takes the first word of the info string, so every Python fence runs.

A fence whose info string names backends (```python backend=jax, core/fences.py)
runs only on those: on any other backend it is not an example at all, so each
backend's run counts (count_examples) and records its own examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial

from sybil import Document, Region
from sybil.parsers.abstract import AbstractCodeBlockParser
from sybil.parsers.abstract.codeblock import PythonDocTestOrCodeBlockParser
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import SkipParser
from sybil.parsers.markdown.lexers import (
    DirectiveInHTMLCommentLexer,
    RawFencedCodeBlockLexer,
)

from spickzettel.core import backends
from spickzettel.core.fences import EXECUTED_LANGUAGES, fence_backends
from spickzettel.verify.update_outputs import OutputUpdatingEvaluator


class _AnyPythonFence(AbstractCodeBlockParser):
    """Code blocks whose info string starts with one of EXECUTED_LANGUAGES."""

    language = "python"

    def __init__(self, language: str, evaluator, backend: str) -> None:
        self.backend = backend
        first_word = "|".join(EXECUTED_LANGUAGES)
        super().__init__(
            [
                RawFencedCodeBlockLexer(
                    info_pattern=re.compile(
                        rf"[ \t]*(?P<arguments>{first_word})(?=[ \t{{]|$)"
                        r"(?P<options>[^\n]*)$\n",
                        re.MULTILINE,
                    ),
                ),
                DirectiveInHTMLCommentLexer(
                    directive=r"(invisible-)?code(-block)?", arguments="python"
                ),
            ],
            language,
            evaluator,
        )

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self.lexers(document):
            only = fence_backends(region.lexemes.get("options") or "")
            if only and self.backend not in only:
                continue  # another backend's version of this code
            if region.lexemes["arguments"] in EXECUTED_LANGUAGES:
                region.lexemes["arguments"] = "python"
                region.parsed = region.lexemes["source"]
                region.evaluator = self._evaluator or self.evaluate
                yield region


class PythonFenceParser(PythonDocTestOrCodeBlockParser):
    """A block starting with `>>>` runs as a doctest, any other as plain code.

    `backend` is the backend whose examples are collected: the running one (the
    verify run), or another (the guard asks each backend's parse in turn)."""

    def __init__(
        self, doctest_optionflags: int = 0, backend: str | None = None
    ) -> None:
        chosen = backend or backends.current()
        self.codeblock_parser_class = partial(_AnyPythonFence, backend=chosen)
        super().__init__(doctest_optionflags=doctest_optionflags)
        # Sybil's doctest evaluation, plus the update mode of `make refresh`.
        self.doctest_parser = DocTestStringParser(
            OutputUpdatingEvaluator(doctest_optionflags)
        )


class HonestSkipParser(SkipParser):
    """`<!-- skip: next -->` that reports the block as skipped, not as passed.

    Sybil's plain skip lets the skipped example pass silently; with a reason it
    raises SkipTest, which pytest and the verification record count as skipped.
    """

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in super().__call__(document):
            action, reason = region.parsed
            if action in ("start", "next") and not reason:
                region.parsed = (action, "'skip directive in the Markdown source'")
            yield region
