"""Issue 22's corrections stay corrected: what the pages say agrees with what runs.

Each test reads the sources (docs/<language>/*.md, snippets/*.md) and holds one
statement that a review found wrong or misleading, so that the old wording fails.
What the statement is about is executed in the snippet the page includes beside it
(the verified run checks the outputs); these tests check that the prose says what
that code shows, and that the code is on the page.
"""

from __future__ import annotations

import re

import pytest

from spickzettel.core.pages import includes, read, snippet_blocks
from spickzettel.core.paths import LANGUAGES

HEADING = re.compile(r"^(#{1,6}) .*\{\s*#([\w-]+)\s*\}\s*$", re.MULTILINE)


def section(text: str, anchor: str) -> str:
    """From the heading { #anchor } to the next heading of its level or higher."""
    found = [(m.start(), len(m[1]), m[2]) for m in HEADING.finditer(text)]
    starts = [i for i, (_, _, a) in enumerate(found) if a == anchor]
    assert starts, f"no heading {{ #{anchor} }}"
    i = starts[0]
    start, level, _ = found[i]
    end = next((s for s, lv, _ in found[i + 1 :] if lv <= level), len(text))
    return text[start:end]


def glance_box(text: str) -> str:
    """The 'at a glance' box right after the title: its indented lines."""
    box = re.search(r'^!!! abstract "[^"]*"\n((?:    .*\n|\n)*)', text, re.MULTILINE)
    assert box, "no 'at a glance' box"
    return box[1]


def bullet_with(text: str, needle: str) -> str:
    """The one bullet (with its continuation lines) that contains needle."""
    bullets = re.findall(r"^ *- .*(?:\n(?! *- )(?!\n).*)*", text, re.MULTILINE)
    hits = [b for b in bullets if needle in b]
    assert len(hits) == 1, f"{len(hits)} bullets contain {needle!r}"
    return hits[0]


def paragraph_with(text: str, needle: str) -> str:
    hits = [p for p in re.split(r"\n\s*\n", text) if needle in p]
    assert len(hits) == 1, f"{len(hits)} paragraphs contain {needle!r}"
    return hits[0]


def flat(text: str) -> str:
    return " ".join(text.split())


# ---- 1: clipping at 10^-7 holds for bare probabilities, not for a model's output --

# The condition, in each language: the loss gets probabilities as plain numbers
# (e.g. from predict()); a model's own sigmoid/softmax output keeps its logits.
CLIP_CONDITION = ("`predict", "Logits")
CLIP_SHORT_VERSIONS = [
    ("formulas.md", lambda text: bullet_with(glance_box(text), "16")),
    ("cheat-sheet.md", lambda text: paragraph_with(text, "10^{-7}")),
    ("glossary.md", lambda text: paragraph_with(text, "{ #epsilon }")),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("page", "short"), CLIP_SHORT_VERSIONS)
def test_short_versions_of_clipping_name_its_condition(language, page, short):
    """The at-a-glance box, the cheat sheet and the glossary say 'Keras clips at
    10^-7' only with its condition, as the section #from-logits shows it executed
    (evaluate() 20.5931 against 16.1181 on predict()'s output)."""
    text = short(read(language, page))
    missing = [
        word for word in CLIP_CONDITION if word.lower() not in flat(text).lower()
    ]
    assert not missing, (
        f"docs/{language}/{page}: the short version of clipping lacks {missing}:"
        f"\n{text}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_glance_box_and_from_logits_section_agree(language):
    text = read(language, "formulas.md")
    below = flat(section(text, "from-logits"))
    assert "`evaluate()`" in below and "`predict()`" in below
    assert "formulas.md:tf-logits" in includes(section(text, "from-logits"))
    clip = flat(bullet_with(glance_box(text), "16"))
    assert "`evaluate()`" in clip, f"docs/{language}/formulas.md box: {clip}"


def test_the_snippet_shows_evaluate_and_predict_disagree():
    code = "".join(
        b.code for b in snippet_blocks("formulas.md") if b.section == "tf-logits"
    )
    assert ".evaluate(" in code and ".predict(" in code
    assert "20.5931" in code and "16.1181" in code


# ---- 2: CategoricalAccuracy compares argmax(y_true) with argmax(y_pred) ----------


@pytest.mark.parametrize("language", LANGUAGES)
def test_categorical_accuracy_is_described_by_its_argmax(language):
    text = section(read(language, "multi-label.md"), "accuracy")
    assert "`argmax(y_true)`" in text, f"docs/{language}/multi-label.md#accuracy"
    assert "multi-label.md:categorical-accuracy" in includes(text)
    old = {"de": "auf einem Label mit 1 liegt", "en": "sits on a label that is 1"}
    assert old[language] not in flat(text)


# ---- 5: the course uses five activations; tanh is the site's addition ----------

COURSE_ACTIVATIONS = {
    "de": r"die (\w+)\s+Aktivierungsfunktionen aus dem Kurs \(([^)]*)\)",
    "en": r"the (\w+) activations the course uses \(([^)]*)\)",
}
NUMBER = {"de": {"fünf": 5, "sechs": 6}, "en": {"five": 5, "six": 6}}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_course_activations_are_counted_right(language):
    text = flat(read(language, "activations-optimizers.md"))
    match = re.search(COURSE_ACTIVATIONS[language], text)
    assert match, f"docs/{language}: the sentence naming the course's activations"
    named = [n.strip() for n in re.split(r",", match[2])]
    assert NUMBER[language].get(match[1]) == len(named) == 5, named
    assert "tanh" not in " ".join(named).lower()


# ---- 6: precision need not rise with the threshold; recall never rises ----------


@pytest.mark.parametrize("language", LANGUAGES)
def test_precision_is_not_stated_as_a_law(language):
    text = read(language, "threshold.md")
    curves = flat(section(text, "curves"))
    old = {
        "de": "Je höher die Schwelle, desto präziser und desto weniger vollständig",
        "en": "the higher the threshold, the more precise and the less complete",
    }
    assert old[language] not in curves
    assert "threshold.md:not-monotone" in includes(section(text, "curves"))


def test_the_counterexample_is_executed():
    code = "".join(
        b.code for b in snippet_blocks("threshold.md") if b.section == "not-monotone"
    )
    assert "[1, 0, 1]" in code and "[0.9, 0.8, 0.7]" in code
    assert "precision 0.667" in code and "precision 0.500" in code


# ---- 7: registration always; get_config only for arguments of its own -----------

OWN_ARGUMENTS = {"de": "eigene Argumente", "en": "arguments of its own"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_get_config_is_asked_for_only_with_own_arguments(language):
    fit = read(language, "fit.md")
    for where, text in (
        ("fit.md box", bullet_with(glance_box(fit), "get_config")),
        ("fit.md#save-load", section(fit, "save-load")),
        (
            "cheat-sheet.md",
            paragraph_with(read(language, "cheat-sheet.md"), "fit.md#save-load"),
        ),
    ):
        assert OWN_ARGUMENTS[language] in flat(text), f"docs/{language}/{where}"
    shown = includes(section(fit, "save-load"))
    # the model without arguments of its own, loaded after registration alone,
    # comes before the one that needs get_config
    assert shown.index("fit.md:subclass-no-args") < shown.index("fit.md:subclass")


def test_the_class_without_arguments_has_no_get_config():
    code = "".join(
        b.code for b in snippet_blocks("fit.md") if b.section == "subclass-no-args"
    )
    assert "register_keras_serializable" in code and "load_model" in code
    assert "def get_config" not in code
    assert "def __init__(self, **kwargs)" in code


# ---- 9: EarlyStopping judged on data that did not choose its epoch; Dropout ------


@pytest.mark.parametrize("language", LANGUAGES)
def test_early_stopping_is_judged_on_a_separate_split(language):
    text = read(language, "overfitting.md")
    assert "overfitting.md:honest" in includes(section(text, "remedies"))
    old = {"de": "ohne etwas zu verlieren", "en": "without losing anything"}
    assert old[language] not in flat(text)


def test_the_judging_split_is_not_the_stopping_split():
    code = "".join(
        b.code for b in snippet_blocks("overfitting.md") if b.section == "honest"
    )
    assert "validation_data=(x_stop, y_stop)" in code
    assert "measure(model, x_judge, y_judge)" in code
    assert "x_judge" not in code.split("validation_data=")[1].split(")")[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_dropout_drops_each_input_independently(language):
    text = flat(section(read(language, "overfitting.md"), "dropout"))
    probability = {"de": "Wahrscheinlichkeit 0,5", "en": "probability 0.5"}
    assert probability[language] in text, f"docs/{language}/overfitting.md#dropout"


# ---- 10: small wording -----------------------------------------------------------

WORDING = [
    # (page, old wording per language, which must be gone)
    ("formulas.md", {"de": "hinge an keinem", "en": "depends on no"}),
    ("cheat-sheet.md", {"de": "Kreuzentropie** wird `nan`", "en": "** turns `nan`"}),
    ("multi-label.md", {"de": "Messungen mit. Die", "en": "built in"}),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("page", "old"), WORDING)
def test_small_wording_is_corrected(language, page, old):
    assert old[language] not in flat(read(language, page)), f"docs/{language}/{page}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_multi_label_set_is_not_said_to_be_missing(language):
    text = flat(section(read(language, "multi-label.md"), "labels"))
    assert "`fetch_rcv1`" in text


# ---- the three-ways table: each thing subclassing allows links to its example ---

EXAMPLES = ["custom-layer", "training-flag", "control-flow", "compute-loss"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_comparison_table_links_each_ability_to_its_example(language):
    text = read(language, "three-ways.md")
    table = section(text, "comparison")
    linked = re.findall(r"\]\(#([\w-]+)\)", table)
    for anchor in [*EXAMPLES, "subclassing-costs"]:
        assert anchor in linked, f"docs/{language}/three-ways.md: no row links {anchor}"
        shown = includes(section(text, anchor))
        assert f"three-ways.md:{anchor}" in shown, (language, anchor, shown)


def test_the_subclassing_examples_do_what_the_headings_promise():
    code = {b.section: b.code for b in snippet_blocks("three-ways.md") if b.section}
    assert all(f"def {m}" in code["custom-layer"] for m in ("build", "call"))
    assert "add_weight(" in code["custom-layer"]
    assert "keras.Sequential(" in code["custom-layer"]
    assert "keras.Model(inputs_custom" in code["custom-layer"]
    assert "training=None" in code["training-flag"]
    assert "if training:" in code["training-flag"]
    assert "for block in" in code["control-flow"] and " if " in code["control-flow"]
    assert "def compute_loss(" in code["compute-loss"]
    assert "train_step" not in code["compute-loss"]  # backend-neutral
    costs = code["subclassing-costs"]
    assert ".summary()" in costs and "0 (unbuilt)" in costs
    assert "load_model(" in costs
