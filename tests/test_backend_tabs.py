"""Blocks that differ by Keras backend become content tabs, rendered with the site's
own Markdown extensions as mkdocs.yml configures them (no build needed): one tab
per backend in the order TensorFlow | JAX | PyTorch, each with that backend's code
and output, at the block's place in a list or an admonition; no marker line and no
backend option ever reaches the HTML; every other block stays as it is. A block
that cannot make one tab per backend stops the build and the snippet lint.

What the built site shows (every tab set, the copy texts of each backend's view,
the stamp's sentence) is tests/test_built_pages.py."""

from __future__ import annotations

import lxml.html
import markdown
import pytest

from spickzettel.build import backend_tabs, stamp
from spickzettel.core import mkdocs_config
from spickzettel.core.backends import BACKENDS, LABELS
from spickzettel.core.pages import read
from spickzettel.tools import snippet_lint

VARIANT_BLOCK = """\
```pycon
>>> print(f"loss {loss:.2f}")
loss 0.41
[backend: jax]
loss 0.40
[backend: torch]
loss 0.42
>>> print(2 + 2)
4
```"""

SHOWN = {"tensorflow": "loss 0.41", "jax": "loss 0.40", "torch": "loss 0.42"}


def indented(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else "" for line in text.splitlines())


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with mkdocs.yml's extensions and options (not the snippet
    includes, whose base path is the build's)."""
    extensions, configs = [], {}
    for entry in mkdocs_config.load()["markdown_extensions"]:
        name, options = (
            next(iter(entry.items()))
            if isinstance(entry, dict)
            else (
                entry,
                {},
            )
        )
        if name == "pymdownx.snippets":
            continue
        extensions.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def rendered(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<div>{site_markdown().convert(text)}</div>")


def tab_sets(tree) -> list[tuple[list[str], list[str]]]:
    """(labels, code text of each tab) per tab set."""
    found = []
    for tab_set in tree.cssselect("div.tabbed-set"):
        labels = [label.text_content() for label in tab_set.cssselect("label")]
        blocks = tab_set.cssselect("div.tabbed-block")
        found.append((labels, [block.text_content() for block in blocks]))
    return found


@pytest.mark.parametrize(
    ("page", "container"),
    [
        ("Text.\n\n{block}\n\nMore text.\n", None),
        ("1. An item:\n\n{indented}\n\n2. Another.\n", "li"),
        ('!!! note "Training"\n\n{indented}\n', "div.admonition"),
    ],
    ids=["top level", "list item", "admonition"],
)
def test_a_block_with_output_sections_becomes_one_tab_per_backend(page, container):
    text = page.format(block=VARIANT_BLOCK, indented=indented(VARIANT_BLOCK, "    "))
    tree = rendered(text)
    [(labels, tabs)] = tab_sets(tree)
    assert labels == [LABELS[b] for b in BACKENDS] == ["TensorFlow", "JAX", "PyTorch"]
    for backend, tab in zip(BACKENDS, tabs, strict=True):
        others = [SHOWN[b] for b in BACKENDS if b != backend]
        assert SHOWN[backend] in tab and not any(o in tab for o in others), tab
        assert ">>> print(2 + 2)\n4" in tab  # the shared output, in every tab
    assert "[backend" not in tree.text_content()
    if container:
        assert tree.cssselect(f"{container} div.tabbed-set"), "not inside " + container
    assert "More text." in tree.text_content() or container


def test_code_that_differs_by_backend_is_one_tab_group():
    text = (
        "```python backend=tensorflow\nimport tensorflow as tf\nx = tf.ones(2)\n```\n\n"
        '```python backend="jax,torch"\nx = keras.ops.ones(2)\n```\n\n'
        "```pycon\n>>> print(x.shape)\n(2,)\n```\n"
    )
    tree = rendered(text)
    [(labels, tabs)] = tab_sets(tree)
    assert labels == ["TensorFlow", "JAX", "PyTorch"]
    assert "tf.ones" in tabs[0] and "keras.ops.ones" not in tabs[0]
    assert tabs[1] == tabs[2] and "keras.ops.ones" in tabs[1]
    assert "backend=" not in lxml.html.tostring(tree, encoding="unicode")
    # The block after the group is an ordinary block outside the tabs.
    last = tree.cssselect("div.language-pycon")[-1]
    assert not any("tabbed" in a.get("class", "") for a in last.iterancestors())


def test_two_blocks_in_a_row_make_two_tab_sets():
    tree = rendered(f"{VARIANT_BLOCK}\n\n{VARIANT_BLOCK}\n")
    assert [labels for labels, _ in tab_sets(tree)] == [
        ["TensorFlow", "JAX", "PyTorch"]
    ] * 2


def test_blocks_without_variants_are_left_exactly_as_they_are():
    lines = [
        "Text.",
        "",
        "```pycon",
        ">>> print('[backend: jax]')",  # code, not an output marker
        "[backend: jax]",
        "```",
        "",
        "````markdown",
        "```pycon",
        ">>> 1",
        "1",
        "[backend: jax]",
        "2",
        "```",
        "````",
    ]
    assert backend_tabs.tabbed(lines[:3] + lines[5:]) == lines[:3] + lines[5:]
    # A fence inside another fence (an example of the syntax) is text.
    assert backend_tabs.tabbed(lines[7:]) == lines[7:]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("```python backend=jax\nx = 1\n```\n", "no version for TensorFlow, PyTorch"),
        (
            "```python backend=tensorflow,jax\nx = 1\n```\n"
            "```python backend=jax,torch\nx = 2\n```\n",
            "jax has two versions",
        ),
        (
            "```text backend=tensorflow,jax,torch\nx\n```\n",
            "only executed code",
        ),
        (
            "```pycon\n>>> print(1)\n1\n\n[backend: jax]\n1\n```\n",
            "not inside an example's output",
        ),
    ],
    ids=["missing backend", "twice", "not executed", "stray marker"],
)
def test_a_block_that_cannot_make_one_tab_per_backend_stops_the_build(
    text, says, tmp_path
):
    with pytest.raises(backend_tabs.BackendTabsError, match=says):
        backend_tabs.tabbed(text.splitlines())
    snippet = tmp_path / "broken.md"
    snippet.write_text(text, encoding="utf-8")
    [message] = snippet_lint.lint([snippet])
    assert says in message and str(snippet) in message


def test_the_lint_checks_each_backends_code_as_that_backends_run_executes_it(
    tmp_path,
):
    """Each backend's version defines the same function: as one module that would
    be a redefinition (F811); each backend's run executes one of them."""
    versions = "".join(
        f"```python backend={backend}\ndef train_step(x):\n    return x + {n}\n```\n\n"
        for n, backend in enumerate(BACKENDS)
    )
    snippet = tmp_path / "steps.md"
    snippet.write_text(versions + "```python\nprint(train_step(1))\n```\n")
    assert snippet_lint.lint([snippet]) == []
    snippet.write_text(versions + "```python\nprint(train_step(1), unknown)\n```\n")
    [message] = snippet_lint.lint([snippet])
    assert "F821" in message and message.startswith(f"{snippet}:17:")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_stamp_sentence_follows_the_included_sections(language):
    """fit.md's cycle section declares each backend's output; its data and history
    sections before and after it hold no block that differs."""
    fit = read(language, "fit.md")
    block = stamp.BLOCK[language][False]
    assert stamp.by_backend(fit, language) == stamp.TABBED[language].format(
        labels="TensorFlow | JAX | PyTorch",
        what=stamp.WHAT[language][(False, True)],
        block=block,
    )
    only_cycle = '--8<-- "fit.md:cycle"\n'
    assert stamp.by_backend(only_cycle, language).startswith(
        stamp.TABBED[language][:12]
    )
    without = '--8<-- "fit.md:data"\n--8<-- "fit.md:history"\n'
    assert stamp.by_backend(without, language) == stamp.SAME_EVERYWHERE[
        language
    ].format(block=block)


@pytest.mark.parametrize(
    ("language", "same", "tabbed"),
    [
        (
            "de",
            "Jeder ausgeführte Block hat auf allen drei Backends ausgegeben",
            "jeder andere ausgeführte Block hat auf allen drei Backends",
        ),
        (
            "en",
            "Every block that ran printed what it shows on all three backends.",
            "every other block that ran printed what it shows",
        ),
    ],
)
def test_with_a_skipped_block_the_stamp_vouches_only_for_blocks_that_ran(
    language, same, tabbed
):
    without = '--8<-- "fit.md:data"\n--8<-- "fit.md:history"\n'
    assert stamp.by_backend(without, language, skipped=True).startswith(same)
    fit = read(language, "fit.md")
    assert tabbed in stamp.by_backend(fit, language, skipped=True)
    assert tabbed not in stamp.by_backend(fit, language)
