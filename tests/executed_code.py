"""What a copy button must give, from an independent source: the snippet file read
by Sybil's own parsers.

The copy texts in the built HTML come from spickzettel/build/clean_copy.py. The tests
must not compute the expected text with that hook or a copy of it, so this module
reads snippets/<file> with Sybil's Markdown lexer (the fences, as Sybil finds them
when it collects the file) and Sybil's doctest parser (the examples it executes).
A block's expected copy text is its examples' sources joined in order, or, for a
plain Python block, its code. A block whose info string names Keras backends
(```python backend=jax) was executed only by their runs; its backends are read here
from the info string with a pattern of this module's own. The build refuses a
snippet file that changed after its verified run (the record's sha256), so the file
read here is the one executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sybil import Document
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

from spickzettel.core.pages import SNIPPET_SECTION
from spickzettel.core.paths import SNIPPETS


@dataclass(frozen=True)
class ExecutedBlock:
    file: str  # "three-ways.md"
    section: str  # "" outside any named section
    language: str
    copy: str  # what copying the block must give
    backends: tuple[str, ...] = ()  # the only backends that ran it; () for all

    def ran_on(self, backend: str) -> bool:
        return not self.backends or backend in self.backends

    @property
    def name(self) -> str:
        return f"snippets/{self.file}:{self.section}"


def _copy_text(language: str, source: str, name: str) -> str:
    if language == "pycon" or source.lstrip().startswith(">>>"):
        examples = DocTestStringParser()(source, name)
        return "".join(region.parsed.source for region in examples).rstrip()
    return source.rstrip()


INFO = re.compile(r"(?P<language>[\w-]+)(?P<options>[^\n]*)$\n", re.MULTILINE)
BACKEND = re.compile(r'\bbackend="?(?P<names>[a-z]+(?:,[a-z]+)*)')


def _backends(options: str) -> tuple[str, ...]:
    named = BACKEND.search(options)
    return tuple(named["names"].split(",")) if named else ()


@cache
def executed_blocks(file: str) -> tuple[ExecutedBlock, ...]:
    """Every fenced block of snippets/<file>, in file order, with its section."""
    path = SNIPPETS / file
    text = path.read_text(encoding="utf-8")
    sections = [(m.start(), m.end(), m["name"]) for m in SNIPPET_SECTION.finditer(text)]
    blocks = []
    for region in RawFencedCodeBlockLexer(INFO)(Document(text, str(path))):
        language = str(region.lexemes["language"])
        source = str(region.lexemes["source"])
        owner = next((name for s, e, name in sections if s <= region.start < e), "")
        copy = _copy_text(language, source, file)
        backends = _backends(region.lexemes["options"])
        blocks.append(ExecutedBlock(file, owner, language, copy, backends))
    return tuple(blocks)
