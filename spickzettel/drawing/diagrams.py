"""Diagrams of models, drawn with matplotlib from the model objects themselves.

The snippets call these functions during the verified run, once per language, and
save what they return (`fig.savefig(f"name-{language}.png", ...)`): a changed model
changes its picture. Every number and name in a diagram is read from the model,
its compile configuration or its History; only the words around them come from
LABELS. The figures have a white background and dark text, so they read the same
in the light and the dark colour scheme and in print.

    network_diagram(model, language)        the layers of a chain of layers
    multi_output_diagram(model, language)   trunk, heads, losses and loss_weights
    training_cycle_diagram(model, history, language)
                                            compile -> fit -> evaluate -> predict
    output_map_diagram(cases, language)     which output layer and loss for which task
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

if TYPE_CHECKING:  # the drawings read the models they are given; no Keras import
    import keras

LANGUAGES = ("de", "en")

LABELS = {
    "de": {
        "input": "Eingabe",
        "features": "{n} Merkmale",
        "feature": "1 Merkmal",
        "units": "{n} Neuronen",
        "unit": "1 Neuron",
        "no_activation": "ohne Aktivierung",
        "params": "{n} Parameter",
        "total": "zusammen {n} Parameter",
        "trunk": "gemeinsamer Stamm",
        "head": "Kopf „{name}“",
        "loss": "Verlust",
        "weight": "Gewicht",
        "total_loss": "Gesamtverlust",
        "optimizer": "Optimierer",
        "metrics": "Metriken",
        "epochs": "{n} Epochen",
        "steps": "je {n} Schritte",
        "weights_update": "Gewichte lernen",
        "evaluate_returns": "Verlust und Metriken\nauf neuen Daten",
        "predict_returns": "Ausgabe je Beispiel",
        "shape": "Form {shape}",
        "again": "neue Daten",
        "task": "Aufgabe",
        "labels": "Labels",
        "output": "Ausgabeschicht",
        "loss_function": "Verlustfunktion",
        "regression": "Regression",
        "binary": "binäre\nKlassifikation",
        "onehot": "mehrere Klassen,\nOne-hot",
        "integer": "mehrere Klassen,\nKlassennummern",
        "multilabel": "mehrere Labels\nje Beispiel",
        "labels_regression": "reelle Zahl",
        "labels_binary": "0 oder 1",
        "labels_onehot": "Vektor mit einer 1",
        "labels_integer": "0 … K\u22121",
        "labels_multilabel": "Vektor aus 0 und 1",
    },
    "en": {
        "input": "Input",
        "features": "{n} features",
        "feature": "1 feature",
        "units": "{n} neurons",
        "unit": "1 neuron",
        "no_activation": "no activation",
        "params": "{n} parameters",
        "total": "{n} parameters in all",
        "trunk": "shared trunk",
        "head": "head “{name}”",
        "loss": "loss",
        "weight": "weight",
        "total_loss": "total loss",
        "optimizer": "optimizer",
        "metrics": "metrics",
        "epochs": "{n} epochs",
        "steps": "{n} steps each",
        "weights_update": "learn the weights",
        "evaluate_returns": "loss and metrics\non new data",
        "predict_returns": "output per example",
        "shape": "shape {shape}",
        "again": "new data",
        "task": "task",
        "labels": "labels",
        "output": "output layer",
        "loss_function": "loss function",
        "regression": "regression",
        "binary": "binary\nclassification",
        "onehot": "multiclass,\none-hot",
        "integer": "multiclass,\nclass numbers",
        "multilabel": "multi-label",
        "labels_regression": "real number",
        "labels_binary": "0 or 1",
        "labels_onehot": "vector with one 1",
        "labels_integer": "0 … K\u22121",
        "labels_multilabel": "vector of 0s and 1s",
    },
}

# Fill and edge per kind of box; every text is INK on a light fill (contrast > 12:1).
INK = "#1a1a1a"
STYLES = {
    "input": ("#eceff1", "#455a64"),
    "hidden": ("#e3f2fd", "#1565c0"),
    "output": ("#fbe9e7", "#bf360c"),
    "loss": ("#ede7f6", "#4527a0"),
    "step": ("#e8f5e9", "#2e7d32"),
    "task": ("#fff8e1", "#8d6e00"),
}
NONE = "\u2013"  # en dash: no metrics
SCALE = 0.62  # inches per drawing unit: 11 units fill a 6.8 inch (750 px) column


def number(value: int, language: str) -> str:
    """93301 -> "93 301" (narrow no-break space) in German, "93,301" in English."""
    text = f"{value:,}"
    return text.replace(",", "\u202f") if language == "de" else text


def decimal(value: float, language: str) -> str:
    """0.5 -> "0,5" in German, "0.5" in English; 1 -> "1,0" / "1.0"."""
    text = str(float(value))
    return text.replace(".", ",") if language == "de" else text


def _labels(language: str) -> dict[str, str]:
    if language not in LABELS:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return LABELS[language]


def _canvas(width: float, height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(width * SCALE, height * SCALE), facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def _box(ax, x, y, w, h, lines: Sequence[str], kind: str, *, bold_first=True):
    """A rounded box centred at (x, y); the first line bold."""
    fill, edge = STYLES[kind]
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.15",
            facecolor=fill,
            edgecolor=edge,
            linewidth=1.6,
        )
    )
    step = 0.3  # one line of 10 pt text, in drawing units
    for i, line in enumerate(lines):
        bold = bold_first and i == 0
        ax.text(
            x,
            y + step * ((len(lines) - 1) / 2 - i),
            line,
            ha="center",
            va="center",
            fontsize=10.5 if bold else 9.5,
            fontweight="bold" if bold else "normal",
            color=INK,
        )


def _arrow(ax, start, end, *, color="#37474f", style="-|>", rad=0.0, text=None):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": style,
            "color": color,
            "linewidth": 1.6,
            "mutation_scale": 14,
            "shrinkA": 0,
            "shrinkB": 0,
            "connectionstyle": f"arc3,rad={rad}",
        },
    )
    if text:
        x, y = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        ax.text(x, y + 0.18, text, ha="center", va="bottom", fontsize=9, color=INK)


def _activation(layer) -> str | None:
    name = getattr(getattr(layer, "activation", None), "__name__", None)
    return None if name in (None, "linear") else name


def _units_text(units: int, labels) -> str:
    return labels["unit"] if units == 1 else labels["units"].format(n=units)


def _layer_lines(layer, labels, language) -> list[str]:
    return [
        f"{type(layer).__name__}({layer.units})",
        _units_text(layer.units, labels),
        _activation(layer) or labels["no_activation"],
        labels["params"].format(n=number(layer.count_params(), language)),
    ]


def _input_lines(model, labels) -> list[str]:
    features = int(model.inputs[0].shape[-1])
    text = labels["feature"] if features == 1 else labels["features"].format(n=features)
    return [labels["input"], text]


def _compile_config(model) -> dict:
    config = model.get_compile_config()
    if not config:
        raise ValueError("the model is not compiled: call model.compile() first")
    return config


def network_diagram(model: keras.Model, language: str) -> Figure:
    """The layers of a model that is a chain (Sequential or a functional chain).

    One box per layer, from the input on the left to the output on the right: the
    layer's class and units, its activation and its parameter count, as Keras
    reports them; the box height grows with the number of units.
    """
    labels = _labels(language)
    layers = [layer for layer in model.layers if hasattr(layer, "units")]
    columns = len(layers) + 1
    pitch = 3.05
    width, height = pitch * columns, 3.9
    fig, ax = _canvas(width, height + 0.5)
    widest = max(layer.units for layer in layers)
    xs = [1.45 + pitch * i for i in range(columns)]
    y = height / 2 + 0.5
    _box(ax, xs[0], y, 2.6, 1.1, _input_lines(model, labels), "input")
    for i, layer in enumerate(layers, start=1):
        size = 1.5 + 1.6 * (layer.units / widest) ** 0.5
        kind = "output" if i == len(layers) else "hidden"
        _box(ax, xs[i], y, 2.6, size, _layer_lines(layer, labels, language), kind)
    for left, right in pairwise(xs):
        _arrow(ax, (left + 1.3, y), (right - 1.32, y))
    ax.text(
        width / 2,
        0.35,
        labels["total"].format(n=number(model.count_params(), language)),
        ha="center",
        va="center",
        fontsize=10,
        color=INK,
    )
    return fig


def multi_output_diagram(model: keras.Model, language: str) -> Figure:
    """A functional model with one input, a chain of shared layers and several heads.

    The heads are the model's outputs (model.output_names); their losses and
    loss_weights come from the compile configuration; the total loss is written
    as the weighted sum Keras minimises.
    """
    labels = _labels(language)
    config = _compile_config(model)
    heads = [model.get_layer(name) for name in model.output_names]
    trunk = [
        layer
        for layer in model.layers
        if hasattr(layer, "units") and layer.name not in model.output_names
    ]
    losses, weights = config["loss"], config.get("loss_weights") or {}
    width, height = 15.7, 1.9 * len(heads) + 2.2
    fig, ax = _canvas(width, height)
    middle = height / 2 + 0.2
    x = 1.2
    _box(ax, x, middle, 2.0, 1.1, _input_lines(model, labels), "input")
    previous = x + 1.0
    for layer in trunk:
        x += 2.75
        _arrow(ax, (previous, middle), (x - 1.25, middle))
        _box(ax, x, middle, 2.5, 1.55, _layer_lines(layer, labels, language), "hidden")
        previous = x + 1.25
    left, right = 1.2 + 2.75 - 1.4, x + 1.4
    ax.add_patch(
        FancyBboxPatch(
            (left, middle - 1.05),
            right - left,
            2.35,
            boxstyle="round,pad=0,rounding_size=0.2",
            facecolor="none",
            edgecolor="#1565c0",
            linewidth=1.2,
            linestyle=(0, (4, 3)),
        )
    )
    ax.text(
        (left + right) / 2,
        middle + 1.05,
        labels["trunk"],
        ha="center",
        va="bottom",
        fontsize=9.5,
        color=INK,
        style="italic",
    )
    head_x, loss_x = x + 3.25, x + 6.85
    spacing = 1.9
    terms = []
    for i, head in enumerate(heads):
        y = middle + spacing * ((len(heads) - 1) / 2 - i)
        _arrow(ax, (previous, middle), (head_x - 1.3, y))
        lines = _layer_lines(head, labels, language)
        lines[0] = labels["head"].format(name=head.name)
        lines[1] = f"Dense({head.units})"
        _box(ax, head_x, y, 2.6, 1.6, lines, "output")
        loss = losses[head.name] if isinstance(losses, dict) else losses
        weight = weights.get(head.name, 1.0) if isinstance(weights, dict) else 1.0
        _arrow(ax, (head_x + 1.3, y), (loss_x - 2.0, y))
        _box(
            ax,
            loss_x,
            y,
            4.0,
            1.3,
            [labels["loss"], loss, f"{labels['weight']}: {decimal(weight, language)}"],
            "loss",
        )
        terms.append(f"{decimal(weight, language)} · L({head.name})")
    ax.text(
        width / 2,
        0.4,
        f"{labels['total_loss']} = " + " + ".join(terms),
        ha="center",
        va="center",
        fontsize=10.5,
        color=INK,
        fontweight="bold",
    )
    return fig


def training_cycle_diagram(
    model: keras.Model, history: keras.callbacks.History, language: str
) -> Figure:
    """compile -> fit -> evaluate -> predict, with what each step was given.

    The optimizer, loss and metrics come from the compile configuration, epochs
    and steps from history.params, the output shape from the model.
    """
    labels = _labels(language)
    config = _compile_config(model)
    optimizer = config["optimizer"]
    optimizer = (
        optimizer["class_name"] if isinstance(optimizer, dict) else str(optimizer)
    )
    metrics = config.get("metrics") or []
    metrics = ", ".join(metrics) if isinstance(metrics, list) else str(metrics)
    params = history.params
    output_shape = tuple(model.outputs[0].shape)
    steps = [
        (
            "compile()",
            [
                f"{labels['optimizer']}: {optimizer}",
                f"{labels['loss']}:",
                str(config["loss"]),
                f"{labels['metrics']}: {metrics or NONE}",
            ],
        ),
        (
            "fit()",
            [
                labels["epochs"].format(n=params["epochs"]),
                labels["steps"].format(n=params["steps"]),
                labels["weights_update"],
            ],
        ),
        ("evaluate()", labels["evaluate_returns"].split("\n")),
        (
            "predict()",
            [labels["predict_returns"], labels["shape"].format(shape=output_shape)],
        ),
    ]
    # a cycle on a 2 x 2 grid: compile -> fit, down to evaluate, back to predict
    width, height = 11.4, 6.3
    fig, ax = _canvas(width, height)
    left, right, top, bottom = 2.15, 6.95, 4.95, 2.15
    w, h = 3.9, 2.2
    places = [(left, top), (right, top), (right, bottom), (left, bottom)]
    for (x, y), (title, lines) in zip(places, steps, strict=True):
        _box(ax, x, y, w, h, [title, *lines], "step")
    _arrow(ax, (left + w / 2, top), (right - w / 2, top))
    _arrow(ax, (right, top - h / 2), (right, bottom + h / 2))
    _arrow(ax, (right - w / 2, bottom), (left + w / 2, bottom))
    # fit repeats: one pass over the training data per epoch
    _arrow(
        ax,
        (right + w / 2, top + 0.55),
        (right + w / 2, top - 0.55),
        rad=-1.0,
        color="#2e7d32",
    )
    ax.text(
        right + w / 2 + 0.75,
        top,
        labels["epochs"].format(n=params["epochs"]),
        ha="left",
        va="center",
        fontsize=9.5,
        color=INK,
    )
    # predict runs on new data, without training
    _arrow(ax, (left, 0.1), (left, bottom - h / 2), color="#2e7d32")
    ax.text(
        left + 0.15,
        0.45,
        labels["again"],
        ha="left",
        va="center",
        fontsize=9.5,
        color=INK,
    )
    return fig


TASKS = ("regression", "binary", "onehot", "integer", "multilabel")


def output_map_diagram(
    cases: Sequence[tuple[str, keras.Model]], language: str
) -> Figure:
    """Which output layer and loss for which task: one row per (task, model).

    `task` is one of TASKS; the output layer (units, activation) is the model's
    last layer, the loss is the one the model was compiled with.
    """
    labels = _labels(language)
    rows = len(cases)
    width, height = 15.2, 1.25 * rows + 1.3
    fig, ax = _canvas(width, height)
    columns = {"task": 1.6, "labels": 5.1, "output": 8.8, "loss": 12.95}
    top = height - 0.55
    for key, x in columns.items():
        name = {"output": "output", "loss": "loss_function"}.get(key, key)
        ax.text(
            x,
            top,
            labels[name],
            ha="center",
            va="center",
            fontsize=10.5,
            fontweight="bold",
            color=INK,
        )
    for i, (task, model) in enumerate(cases):
        if task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, not {task!r}")
        y = top - 1.05 - 1.25 * i
        layer = model.layers[-1]
        activation = _activation(layer) or labels["no_activation"]
        loss = _compile_config(model)["loss"]
        _box(
            ax,
            columns["task"],
            y,
            2.7,
            0.95,
            labels[task].split("\n"),
            "task",
            bold_first=False,
        )
        ax.text(
            columns["labels"],
            y,
            labels[f"labels_{task}"],
            ha="center",
            va="center",
            fontsize=9.5,
            color=INK,
        )
        _box(
            ax,
            columns["output"],
            y,
            3.0,
            0.95,
            [f"Dense({layer.units})", activation],
            "output",
        )
        _box(ax, columns["loss"], y, 4.1, 0.95, [str(loss)], "loss", bold_first=False)
        _arrow(ax, (columns["task"] + 1.35, y), (columns["labels"] - 1.3, y))
        _arrow(ax, (columns["labels"] + 1.3, y), (columns["output"] - 1.5, y))
        _arrow(ax, (columns["output"] + 1.5, y), (columns["loss"] - 2.05, y))
    return fig
