# %% [markdown] lang="de" description="Übung mit Lösung: derselbe Klassifikator für den Wein-Datensatz als Sequential-, Functional- und Subclassing-Modell in Keras, als Notebook zum Herunterladen."
# # Wein: drei Wege zum selben Klassifikator
#
# Keras kennt drei Schreibweisen für ein Modell: **Sequential**, **Functional** und
# **Subclassing** (siehe [Drei Wege zum Modell](../three-ways.md)). In dieser
# Übung baust du mit allen dreien denselben Klassifikator für den Wein-Datensatz
# aus scikit-learn und vergleichst die Ergebnisse nebeneinander.

# %% [markdown] lang="en" description="Exercise with solution: the same classifier for the wine data set as a Sequential, Functional and subclassed Keras model, as a notebook to download."
# # Wine: three ways to the same classifier
#
# Keras offers three ways to write a model: **Sequential**, **Functional** and
# **subclassing** (see [Three ways to build a model](../three-ways.md)). In this
# exercise you build the same classifier for scikit-learn's wine data set with all
# three and compare the results side by side.

# %% [markdown] lang="de"
# ## Aufgabe
#
# Versuche jeden Schritt zuerst selbst.
#
# 1. Lade den Wein-Datensatz (`sklearn.datasets.load_wine`): 178 Weine, 13
#    chemische Merkmale, 3 Rebsorten. Zähle die Weine pro Klasse.
# 2. Teile ihn geschichtet in Trainings- und Validierungsdaten (75 % / 25 %) und
#    standardisiere die Merkmale (den Skalierer nur auf den Trainingsdaten
#    anpassen).
# 3. Baue das Netz 13 → Dense 16 (ReLU) → Dense 3 (Softmax) dreimal: als
#    Sequential-Modell, mit der Functional API und als Unterklasse von
#    `keras.Model`.
# 4. Trainiere alle drei gleich: Adam, Lernrate 0,01, `sparse_categorical_crossentropy`,
#    10 Epochen, Batchgröße 16. Setze vor jedem Modell denselben Startwert.
# 5. Stelle Parameterzahl, Validierungsverlust und Korrektklassifikationsrate
#    (accuracy) der drei Modelle in einer Tabelle nebeneinander und zeichne ihre
#    Lernkurven.
# 6. Erkläre das Ergebnis.

# %% [markdown] lang="en"
# ## Task
#
# Try each step yourself first.
#
# 1. Load the wine data set (`sklearn.datasets.load_wine`): 178 wines, 13 chemical
#    features, 3 cultivars. Count the wines per class.
# 2. Split it, stratified, into training and validation data (75%/25%) and
#    standardise the features (fit the scaler on the training data only).
# 3. Build the network 13 → Dense 16 (ReLU) → Dense 3 (softmax) three times: as a
#    Sequential model, with the Functional API and as a subclass of `keras.Model`.
# 4. Train all three the same way: Adam, learning rate 0.01,
#    `sparse_categorical_crossentropy`, 10 epochs, batch size 16. Set the same seed
#    before each model.
# 5. Put the parameter count, validation loss and validation accuracy of the three
#    models side by side in a table, and plot their learning curves.
# 6. Explain the result.

# %% [markdown] lang="de"
# ## Schritt für Schritt
#
# ### 1. Daten laden

# %% [markdown] lang="en"
# ## Step by step
#
# ### 1. Load the data

# %% tags=["setup"]
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(42)

wine = load_wine()

# %% task_de="Zähle die Weine pro Klasse; sieh dir auch die Form der Daten und die Namen der Klassen an." task_en="Count the wines per class; look at the shape of the data and the names of the classes too."
print(wine.data.shape)
print("classes:", ", ".join(wine.target_names))
print("wines per class:", np.bincount(wine.target))

# %% [markdown] lang="de"
# ### 2. Aufteilen und standardisieren

# %% [markdown] lang="en"
# ### 2. Split and standardise

# %% task_de="Teile die Daten geschichtet in Trainings- und Validierungsdaten (75 % / 25 %) und standardisiere die Merkmale; passe den Skalierer nur auf den Trainingsdaten an." task_en="Split the data, stratified, into training and validation data (75%/25%) and standardise the features; fit the scaler on the training data only."
x_train, x_val, y_train, y_val = train_test_split(
    wine.data,
    wine.target,
    test_size=0.25,
    stratify=wine.target,
    random_state=42,
)
scaler = StandardScaler().fit(x_train)
x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)
print(x_train.shape, x_val.shape)
print("validation wines per class:", np.bincount(y_val))

# %% [markdown] lang="de" tags=["solution"]
# `stratify` hält die Klassenanteile in beiden Teilen gleich. Die Merkmale liegen
# in sehr verschiedenen Größenordnungen (laut Beschreibung des Datensatzes Prolin
# um 750, Farbton um 1);
# standardisiert lernt das Netz deutlich leichter. Der Skalierer sieht nur die
# Trainingsdaten, sonst flösse Wissen über die Validierungsdaten ins Training.

# %% [markdown] lang="en" tags=["solution"]
# `stratify` keeps the class shares equal in both parts. The features live on very
# different scales (by the data set's description proline around 750, hue around
# 1); standardised, they are much
# easier for the network to learn from. The scaler sees only the training data,
# otherwise knowledge of the validation data would leak into training.

# %% [markdown] lang="de"
# ### 3. Dasselbe Netz, dreimal gebaut

# %% [markdown] lang="en"
# ### 3. The same network, built three times


# %% task_de="Baue das Netz 13 → Dense 16 (ReLU) → Dense 3 (Softmax) dreimal: als Sequential-Modell, mit der Functional API und als Unterklasse von `keras.Model`." task_en="Build the network 13 → Dense 16 (ReLU) → Dense 3 (softmax) three times: as a Sequential model, with the Functional API and as a subclass of `keras.Model`."
def build_sequential():
    return keras.Sequential(
        [
            keras.Input(shape=(13,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def build_functional():
    inputs = keras.Input(shape=(13,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(hidden)
    return keras.Model(inputs=inputs, outputs=outputs)


class WineNet(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.classifier = keras.layers.Dense(3, activation="softmax")

    def call(self, inputs, training=None):
        return self.classifier(self.hidden(inputs))


builders = {
    "Sequential": build_sequential,
    "Functional": build_functional,
    "Subclassing": WineNet,
}

# %% [markdown] lang="de" tags=["solution"]
# Die Unterklasse legt ihre Schichten in `__init__` an (nach
# `super().__init__(**kwargs)`) und beschreibt den Datenfluss in `call`. Sie hat
# keine `Input`-Schicht: Ihre Gewichte entstehen erst beim ersten Aufruf, hier
# beim Training.

# %% [markdown] lang="en" tags=["solution"]
# The subclass creates its layers in `__init__` (after `super().__init__(**kwargs)`)
# and describes the data flow in `call`. It has no `Input` layer: its weights are
# created on the first call, here when training starts.

# %% [markdown] lang="de"
# ### 4. Alle drei gleich trainieren

# %% [markdown] lang="en"
# ### 4. Train all three the same way

# %% task_de="Trainiere alle drei gleich (Adam, Lernrate 0,01, `sparse_categorical_crossentropy`, 10 Epochen, Batchgröße 16) und setze vor jedem Modell denselben Startwert." task_en="Train all three the same way (Adam, learning rate 0.01, `sparse_categorical_crossentropy`, 10 epochs, batch size 16), setting the same seed before each model."
models, histories = {}, {}
for name, build in builders.items():
    # the same starting weights for every model
    keras.utils.set_random_seed(42)
    model = build()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        x_train,
        y_train,
        epochs=10,
        batch_size=16,
        verbose=0,
    )
    models[name], histories[name] = model, history.history
print("trained:", ", ".join(models))

# %% [markdown] lang="de" tags=["solution"]
# Die Klassen sind hier ganze Zahlen (0, 1, 2). `sparse_categorical_crossentropy`
# nimmt sie direkt; `categorical_crossentropy` bräuchte One-hot-Vektoren wie in der
# Digits-Übung. Beide Verlustfunktionen rechnen dasselbe.

# %% [markdown] lang="en" tags=["solution"]
# The classes are integers here (0, 1, 2). `sparse_categorical_crossentropy` takes
# them as they are; `categorical_crossentropy` would need one-hot vectors, as in
# the digits exercise. Both losses compute the same thing.

# %% [markdown] lang="de"
# ### 5. Nebeneinander auswerten

# %% [markdown] lang="en"
# ### 5. Evaluate side by side

# %% task_de="Stelle Parameterzahl, Validierungsverlust und Korrektklassifikationsrate der drei Modelle in einer Tabelle nebeneinander." task_en="Put the parameter count, validation loss and validation accuracy of the three models side by side in a table."
print(f"{'model':12} {'parameters':>10} {'val loss':>9} {'accuracy':>9}")
for name, model in models.items():
    loss, accuracy = model.evaluate(x_val, y_val, verbose=0)
    params = model.count_params()
    print(f"{name:12} {params:10d} {loss:9.3f} {accuracy:9.3f}")
    assert accuracy >= 0.9

# %% alt_de="Trainingsverlust und Korrektklassifikationsrate im Training der drei Modelle je Epoche; die drei Kurven liegen exakt übereinander" alt_en="Training loss and training accuracy of the three models per epoch; the three curves lie exactly on top of each other" task_de="Zeichne die Lernkurven der drei Modelle: Verlust und Korrektklassifikationsrate im Training je Epoche." task_en="Plot the learning curves of the three models: training loss and training accuracy per epoch."
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
styles = {"Sequential": "-", "Functional": "--", "Subclassing": ":"}
for name, history in histories.items():
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, key in zip(axes, ("loss", "accuracy"), strict=True):
        ax.plot(epochs, history[key], styles[name], lw=2, label=name)
axes[0].set_ylabel("training loss")
axes[1].set_ylabel("training accuracy")
for ax in axes:
    ax.set_xlabel("epoch")
    ax.legend()
plt.show()

# %% [markdown] lang="de"
# ### 6. Das Ergebnis erklären

# %% [markdown] lang="en"
# ### 6. Explain the result

# %% task_de="Prüfe deine Erklärung: Vergleiche die trainierten Gewichte der drei Modelle." task_en="Check your explanation: compare the trained weights of the three models."
reference = models["Sequential"].get_weights()
for name in ["Functional", "Subclassing"]:
    weights = models[name].get_weights()
    pairs = zip(reference, weights, strict=True)
    same = all(np.array_equal(a, b) for a, b in pairs)
    print(f"{name} has the same trained weights as Sequential: {same}")
    assert same

# %% [markdown] lang="de" tags=["solution"]
# Die drei Schreibweisen beschreiben dieselbe Rechnung: dieselben Schichten in
# derselben Reihenfolge, also dieselben 275 Parameter ((13 · 16 + 16) + (16 · 3 + 3)).
# Weil vor jedem Modell `keras.utils.set_random_seed(42)` steht, ziehen die
# Schichten dieselben Startgewichte, und das Training rechnet Schritt für Schritt
# dasselbe. Deshalb sind die trainierten Gewichte bitgenau gleich, und die drei
# Lernkurven liegen exakt übereinander.
#
# Der Unterschied liegt also nicht im Ergebnis, sondern im Code: Sequential ist am
# kürzesten, solange die Schichten eine einfache Kette bilden; die Functional API
# erlaubt Verzweigungen und mehrere Ein- und Ausgaben; Subclassing erlaubt
# beliebigen Python-Code in `call`, ist dafür schwerer zu überblicken und zu
# speichern.

# %% [markdown] lang="en" tags=["solution"]
# The three notations describe the same computation: the same layers in the same
# order, hence the same 275 parameters ((13 · 16 + 16) + (16 · 3 + 3)). Because
# `keras.utils.set_random_seed(42)` runs before each model, the layers draw the
# same initial weights, and training computes the same thing step by step. That is
# why the trained weights are bit-for-bit equal and the three learning curves lie
# exactly on top of each other.
#
# The difference is not in the result but in the code: Sequential is the shortest
# as long as the layers form a simple chain; the Functional API allows branches
# and several inputs and outputs; subclassing allows any Python code in `call`, at
# the price of being harder to inspect and to save.
