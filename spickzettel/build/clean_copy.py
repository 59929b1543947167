"""The copy button of a doctest block copies runnable code only.

Material copies a block's visible text, prompts and output included. It does,
however, prefer the `data-copy` attribute of an enclosing element. This hook
computes that text at build time with the same doctest parser that Sybil used to
execute the block: the example sources, without `>>>`/`...` and without output.
"""

from __future__ import annotations

import doctest
import html
import re

PYCON = re.compile(
    r'<div class="language-pycon highlight">(?P<body>.*?</code></pre>)</div>', re.DOTALL
)
CODE = re.compile(r"<code>(?P<code>.*?)</code>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def runnable_source(doctest_text: str) -> str:
    examples = doctest.DocTestParser().get_examples(doctest_text)
    return "".join(example.source for example in examples).rstrip("\n")


def _with_copy_text(match: re.Match) -> str:
    body = match["body"]
    code = CODE.search(body)["code"]
    text = html.unescape(TAG.sub("", code))
    copy = html.escape(runnable_source(text), quote=True)
    return f'<div class="language-pycon highlight" data-copy="{copy}">{body}</div>'


def on_page_content(content, page, config, files):
    return PYCON.sub(_with_copy_text, content)
