"""The diagrams say what the model says: change the model and the picture changes.

spickzettel/drawing/diagrams.py draws from the model object, its compile configuration
and its History; these tests give it small models and read the texts it drew.
"""

from __future__ import annotations

import numpy as np
import pytest

from spickzettel.drawing import diagrams

# What these checks read besides their code (tests/verdicts.py).
pytestmark = pytest.mark.reads()


def texts(fig) -> list[str]:
    return [text.get_text() for text in fig.axes[0].texts]


def small_chain(*units, activation="relu"):
    import keras  # here, not above: collecting this module need not load TensorFlow

    layers = [keras.layers.Dense(n, activation=activation) for n in units[:-1]]
    return keras.Sequential(
        [keras.Input(shape=(4,)), *layers, keras.layers.Dense(units[-1])]
    )


def test_network_shows_units_activation_and_parameters_of_each_layer():
    drawn = texts(diagrams.network_diagram(small_chain(3, 1), "en"))
    assert {"Input", "4 features", "Dense(3)", "3 neurons", "relu"} <= set(drawn)
    assert {"15 parameters", "Dense(1)", "no activation", "4 parameters"} <= set(drawn)
    assert "19 parameters in all" in drawn
    wider = texts(diagrams.network_diagram(small_chain(300, 1), "de"))
    assert {"Dense(300)", "300 Neuronen", "1\u202f500 Parameter"} <= set(wider)


def two_heads(weights):
    import keras

    inputs = keras.Input(shape=(4,), name="x")
    trunk = keras.layers.Dense(2, activation="relu", name="trunk")(inputs)
    a = keras.layers.Dense(1, name="a")(trunk)
    b = keras.layers.Dense(3, activation="softmax", name="b")(trunk)
    model = keras.Model(inputs, {"a": a, "b": b})
    model.compile(
        optimizer="adam",
        loss={"a": "mse", "b": "sparse_categorical_crossentropy"},
        loss_weights=weights,
    )
    return model


def test_multi_output_shows_heads_losses_and_loss_weights():
    drawn = texts(diagrams.multi_output_diagram(two_heads({"a": 1, "b": 0.5}), "en"))
    assert {"head “a”", "head “b”", "mse", "sparse_categorical_crossentropy"} <= set(
        drawn
    )
    assert "total loss = 1.0 · L(a) + 0.5 · L(b)" in drawn
    other = texts(diagrams.multi_output_diagram(two_heads({"a": 0.2, "b": 2}), "de"))
    assert "Gesamtverlust = 0,2 · L(a) + 2,0 · L(b)" in other


def test_training_cycle_shows_what_compile_and_fit_were_given():
    model = small_chain(2, 1)
    model.compile(optimizer="sgd", loss="mae", metrics=["mse"])
    history = model.fit(
        np.zeros((10, 4)), np.zeros(10), epochs=3, batch_size=5, verbose=0
    )
    drawn = texts(diagrams.training_cycle_diagram(model, history, "en"))
    assert {"optimizer: SGD", "mae", "metrics: mse", "3 epochs", "2 steps each"} <= (
        set(drawn)
    )
    assert "shape (None, 1)" in drawn


def test_output_map_reads_output_layer_and_loss_from_each_model():
    import keras

    binary = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")]
    )
    binary.compile(loss="binary_crossentropy")
    drawn = texts(diagrams.output_map_diagram([("binary", binary)], "de"))
    assert {"Dense(1)", "sigmoid", "binary_crossentropy", "0 oder 1"} <= set(drawn)
    with pytest.raises(ValueError, match="task must be one of"):
        diagrams.output_map_diagram([("clustering", binary)], "en")


def test_an_uncompiled_model_is_refused_where_the_loss_is_drawn():
    with pytest.raises(ValueError, match="not compiled"):
        diagrams.output_map_diagram([("regression", small_chain(1))], "en")
