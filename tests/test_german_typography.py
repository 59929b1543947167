"""German numbers set one way: the conventions of CONTRIBUTING.md ("German"), held.

Read: the German pages (docs/de, prose and formulas; not code blocks, not snippet
includes, not inline code or link targets) and the German prose of the exercise
notebooks (`lang="de"` cells and `task_de="..."` instructions). The rules:

- digit groups: a number of four or more digits is grouped in threes with a narrow
  no-break space, U+202F (1 797, 93 301), in prose and in formulas; never a plain
  or a full no-break space, never ungrouped;
- before %, $ and a unit (s, ms, min, MB, …): a no-break space, U+00A0 (80 %,
  100 000 $, 9,2 s), so the number never ends a line alone;
- a decimal comma: in prose (a point only in versions and dates: Keras 3.15,
  27.11.2026) and in formulas (`0,001`, LaTeX's icomma rule; `0{,}001` is the same
  number);
- numbers with decimal commas listed one after another are separated by semicolons
  (0,9; 0,2; 0,6), since "0,9, 0,2" reads as 0; 9; 0; 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spickzettel.core.fences import in_fences
from spickzettel.core.pages import page_files
from spickzettel.core.paths import DOCS, ROOT

NOTEBOOKS = ROOT / "snippets" / "exercises"
INLINE_MATH = re.compile(r"\\\((?P<tex>.*?)\\\)")
NOT_TEXT = [
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"\{\s*#[\w-]+\s*\}"),  # anchors
    re.compile(r"<[^>]+>"),  # HTML tags
]
NNBSP, NBSP = "\u202f", "\u00a0"
UNITS = r"(?:%|\$|s|ms|min|h|KB|kB|MB|GB|px|km)(?![\w])"
# A version or a date keeps its points: "Keras 3.15", "Python 3.11.7", "27.11.2026".
# The three backends name their versions too: "JAX 0.10.2", "torch 2.13".
PRODUCT = (
    r"(?:Keras|TensorFlow|JAX|jax|PyTorch|torch|scikit-learn|Python|NumPy|Version"
    r"|installiert:)\s"
)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    reads: tuple[str, ...]  # "prose", "formula"


RULES = [
    Rule(
        "digit groups take a narrow no-break space (U+202F)",
        re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d,])"),
        reads=("prose",),
    ),
    Rule(
        "four or more digits are grouped: 1\u202f797, 93\u202f301",
        re.compile(r"(?<![\d.,\u202f{}^_])\d{4,}(?![\d.])"),
        reads=("prose", "formula"),
    ),
    Rule(
        "a no-break space (U+00A0) before %, $ and units",
        re.compile(rf"\d(?:[ \u202f]|(?=[%$])){UNITS}"),
        reads=("prose",),
    ),
    Rule(
        "a decimal comma, not a point",
        re.compile(rf"(?P<version>{PRODUCT})?(?<![\w.])\d+\.\d+(?!\d|\.\d)"),
        reads=("prose",),
    ),
    Rule(
        "a decimal comma in formulas on German pages (0,001 or 0{,}001)",
        re.compile(r"\d\.\d"),
        reads=("formula",),
    ),
    Rule(
        "numbers with decimal commas are listed with semicolons: 0,9; 0,2",
        re.compile(r"\d(?:,|\{,\})\d+,\s*-?\d+(?:,|\{,\})\d"),
        reads=("prose",),
    ),
    Rule(
        "in a formula, a list with a decimal comma is separated by semicolons",
        re.compile(r"\d(?:,|\{,\})\d+,\s*-?[\d.]|\d,\s+-?\d+(?:,|\{,\})\d"),
        reads=("formula",),
    ),
]


@dataclass(frozen=True)
class Text:
    path: Path
    number: int
    prose: str
    formulas: str


def split(line: str) -> tuple[str, str]:
    """A line's prose and its inline formulas."""
    for pattern in NOT_TEXT:
        line = pattern.sub(" ", line)
    formulas = " ".join(m["tex"] for m in INLINE_MATH.finditer(line))
    return INLINE_MATH.sub(" ", line), formulas


def page_texts(path: Path):
    """Prose and formulas of a German page; code blocks and includes skipped."""
    math = False
    text = path.read_text(encoding="utf-8")
    lines = zip(text.split("\n"), in_fences(text), strict=True)
    for number, (line, fenced) in enumerate(lines, 1):
        if fenced or line.lstrip().startswith("--8<--"):
            continue
        if line.strip() in ("\\[", "\\]"):
            math = line.strip() == "\\["
            continue
        if math:
            yield Text(path, number, "", line)
        else:
            yield Text(path, number, *split(line))


CELL = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?P<rest>.*)$")
TASK = re.compile(r'task_de="(?P<task>[^"]*)"')


def notebook_texts(path: Path):
    """The German prose cells and instructions of an exercise notebook."""
    german = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cell = CELL.match(line)
        if cell:
            german = bool(cell["markdown"]) and 'lang="de"' in cell["rest"]
            task = TASK.search(cell["rest"])
            if task:
                yield Text(path, number, *split(task["task"]))
            continue
        if german:
            yield Text(path, number, *split(line.removeprefix("#")))


def german_texts():
    for page in page_files("de"):
        yield from page_texts(DOCS / "de" / page)
    for notebook in sorted(NOTEBOOKS.glob("*.py")):
        yield from notebook_texts(notebook)


def violations(texts) -> list[str]:
    found = []
    for text in texts:
        for rule in RULES:
            for where, source in (("prose", text.prose), ("formula", text.formulas)):
                if where not in rule.reads:
                    continue
                for match in rule.pattern.finditer(source):
                    if match.groupdict().get("version"):
                        continue
                    path = (
                        text.path.relative_to(ROOT)
                        if text.path.is_relative_to(ROOT)
                        else text.path.name
                    )
                    found.append(f"{path}:{text.number}: {match[0]!r}: {rule.name}")
                    break
    return found


def test_german_numbers_are_set_one_way():
    found = violations(german_texts())
    assert not found, "German typography (CONTRIBUTING.md):\n  " + "\n  ".join(found)


def test_the_check_finds_what_it_should(tmp_path):
    """Planted mistakes are found, code, versions and correct numbers are not."""
    page = tmp_path / "page.md"
    good = [
        f"Das Netz hat 93{NNBSP}301 Parameter, 80{NBSP}% davon in 9,2{NBSP}s.",
        f"Keras 3.15 und Python 3.11.7, gemessen am 27.11.2026, 100{NNBSP}000{NBSP}$.",
        r"Die Werte 0,9; 0,2; 0,6 und \(\lambda = 0,001\), \(\{0, 1\}\).",
        r"Die Summe \(\sum_{i=1}^{n}\) und `x = 0.001` und 8 · 300 + 300.",
        "```python\nx = 10000  # 0.5 %\n```",
        "\\[\n\\text{MSE} = 0{,}375\n\\]",
    ]
    bad = [
        "Das Netz hat 93 301 Parameter.",  # plain space in the digit groups
        f"Das Netz hat 93{NBSP}301 Parameter.",  # full no-break space
        "Das Netz hat 93301 Parameter.",  # ungrouped
        "Etwa 80 % davon.",  # a breaking space before %
        f"Etwa 80{NNBSP}% davon.",  # the narrow space is for digit groups only
        f"Rund 40{NNBSP}000 $.",  # the group is fine; the space before $ breaks
        "Nach 9,2 s fertig.",  # a unit after a breaking space
        "Der Fehler ist 0.375.",  # a decimal point in German prose
        r"Sie addiert \(0.001 \sum w^2\).",  # a decimal point in a formula
        "Die Werte 0,9, 0,2, 0,6.",  # a list of decimal commas with commas
        r"\(z = (10, 10, 0{,}1)\)",  # the same in a formula
        "\\[\n\\lambda = 0.001\n\\]",  # a display formula
    ]
    page.write_text("\n\n".join(good), encoding="utf-8")
    assert violations(page_texts(page)) == []
    for mistake in bad:
        page.write_text(mistake + "\n", encoding="utf-8")
        assert len(violations(page_texts(page))) == 1, mistake

    notebook = tmp_path / "exercise.py"
    notebook.write_text(
        '# %% [markdown] lang="de"\n# Es sind 1797 Bilder.\n\n'
        '# %% [markdown] lang="en"\n# There are 1797 images, 0.5 of them.\n\n'
        '# %% task_de="Nimm 80 % davon." task_en="Take 80% of them."\n'
        "x = 0.5  # 1797 images\n",
        encoding="utf-8",
    )
    found = violations(notebook_texts(notebook))
    assert len(found) == 2, found
    assert ":2:" in found[0] and ":7:" in found[1], found
