# %% [markdown] lang="de" description="Übung mit Lösung: handgeschriebene Ziffern mit Keras erkennen, von den Rohdaten über Training und Lernkurven bis zur Konfusionsmatrix, als Notebook."
# # Ziffern erkennen (Digits)
#
# Der Digits-Datensatz aus scikit-learn enthält 1 797 handgeschriebene Ziffern als
# Bilder mit 8 × 8 Pixeln. Jedes Pixel ist ein Merkmal mit einem Grauwert von 0 bis
# 16; die Zielgröße ist die Ziffer 0 bis 9. Diese Übung geht alle Schritte des
# Kurses durch, von den Rohdaten bis zur Konfusionsmatrix, und endet mit den
# Experimenten zu Aktivierungsfunktion und Verlustfunktion der Ausgabeschicht.

# %% [markdown] lang="en" description="Exercise with solution: recognising handwritten digits with Keras, from the raw data through training and learning curves to the confusion matrix."
# # Recognising digits
#
# scikit-learn's digits data set holds 1797 handwritten digits as images of 8 × 8
# pixels. Each pixel is a feature with a grey value from 0 to 16; the target is the
# digit 0 to 9. This exercise walks through every step of the course, from the raw
# data to the confusion matrix, and ends with the experiments on the output
# layer's activation function and loss.

# %% [markdown] lang="de"
# ## Aufgabe
#
# Versuche jeden Schritt zuerst selbst.
#
# 1. Lade den Digits-Datensatz (`sklearn.datasets.load_digits`).
# 2. Stelle die ersten 10 Datenpunkte als Bilder dar.
# 3. Erstelle 64 Streudiagramme (scatter plots): Label gegen jedes einzelne
#    Merkmal.
# 4. Skaliere die Merkmale auf den Bereich 0 bis 1.
# 5. Zähle, wie viele Klassen es gibt und wie viele Datenpunkte pro Klasse.
# 6. Kodiere die Labels one-hot.
# 7. Teile die Daten in Trainings- und Validierungsdaten.
# 8. Baue ein Sequential-Modell mit einer `Input`-Schicht und `Dense`-Schichten;
#    wähle die richtige Zahl an Neuronen für die Ausgabeschicht.
# 9. Gib dem Modell mit `compile` Verlustfunktion (Loss-Funktion) und Optimierer
#    (Optimizer).
# 10. Trainiere es auf den Trainingsdaten und beurteile es auf den
#     Validierungsdaten.
# 11. Zeichne die Lernkurven aus der `History` des Trainings.
# 12. Beurteile anhand der Kurven: Überanpassung (Overfitting) oder
#     Unteranpassung (Underfitting)?
# 13. Optimiere die Hyperparameter in einer kleinen Suche; die
#     Korrektklassifikationsrate des besten Modells auf den Validierungsdaten soll
#     mindestens 0,97 erreichen.
# 14. Gib für die ersten 10 Validierungsdatenpunkte die Prognose mit ihren
#     Wahrscheinlichkeiten aus.
# 15. Erzeuge die Konfusionsmatrix der Validierungsdaten.
# 16. Experimente: Variiere die Aktivierungsfunktion der Ausgabeschicht (`relu`,
#     `sigmoid`, `softmax`) und die Verlustfunktion (`mse`,
#     `categorical_crossentropy`). Welche Kombination ist am besten? Vergleiche die
#     Lernkurven und erkläre jedes Ergebnis.

# %% [markdown] lang="en"
# ## Task
#
# Try each step yourself first.
#
# 1. Load the digits data set (`sklearn.datasets.load_digits`).
# 2. Show the first 10 samples as images.
# 3. Draw 64 scatter plots: label against each single feature.
# 4. Scale the features to the range 0 to 1.
# 5. Count the classes and the samples per class.
# 6. One-hot encode the labels.
# 7. Split the data into training and validation data.
# 8. Build a Sequential model with an `Input` layer and `Dense` layers; choose the
#    right number of neurons for the output layer.
# 9. Give the model its loss function and optimizer with `compile`.
# 10. Train it on the training data and judge it on the validation data.
# 11. Plot the learning curves from the training's `History`.
# 12. Judge from the curves: overfitting or underfitting?
# 13. Tune the hyperparameters in a small search; the best model's validation
#     accuracy should reach at least 0.97.
# 14. Print the prediction, with its probabilities, for the first 10 validation
#     samples.
# 15. Compute the confusion matrix of the validation data.
# 16. Experiments: vary the output layer's activation function (`relu`, `sigmoid`,
#     `softmax`) and the loss (`mse`, `categorical_crossentropy`). Which
#     combination is best? Compare the learning curves and explain each result.

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
from sklearn.datasets import load_digits
from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(42)

digits = load_digits()
x_raw, y = digits.data, digits.target
print("features:", x_raw.shape, "labels:", y.shape)
print("grey values from", x_raw.min(), "to", x_raw.max())

# %% [markdown] lang="de"
# ### 2. Die ersten 10 Ziffern als Bilder

# %% [markdown] lang="en"
# ### 2. The first 10 digits as images

# %% alt_de="Die ersten zehn Ziffern als Graustufenbilder mit 8 × 8 Pixeln, darüber ihr Label" alt_en="The first ten digits as grey images of 8 × 8 pixels, each with its label above" task_de="Zeige die ersten 10 Ziffern (`digits.images`) als Bilder, jede mit ihrem Label." task_en="Show the first 10 digits (`digits.images`) as images, each with its label."
fig, axes = plt.subplots(2, 5, figsize=(7, 3.2), layout="constrained")
for image, label, ax in zip(
    digits.images[:10], y[:10], axes.flat, strict=True
):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(f"label {label}")
    ax.set_axis_off()
plt.show()

# %% [markdown] lang="de" tags=["solution"]
# `digits.images` hält dieselben Daten als 8 × 8-Matrizen, `digits.data` als Zeilen
# mit 64 Werten (die Bildzeilen hintereinander).

# %% [markdown] lang="en" tags=["solution"]
# `digits.images` holds the same data as 8 × 8 matrices, `digits.data` as rows of
# 64 values (the image rows one after another).

# %% [markdown] lang="de"
# ### 3. 64 Streudiagramme: Label gegen jedes Pixel

# %% [markdown] lang="en"
# ### 3. 64 scatter plots: label against each pixel

# %% alt_de="64 Streudiagramme im 8 × 8-Raster der Pixel: für jedes Pixel das Label gegen den Grauwert" alt_en="64 scatter plots in the 8 × 8 grid of the pixels: for each pixel the label against its grey value" task_de="Zeichne 64 Streudiagramme: für jedes Pixel das Label gegen seinen Grauwert." task_en="Draw 64 scatter plots: for each pixel, the label against its grey value."
fig, axes = plt.subplots(8, 8, figsize=(9, 9), sharex=True, sharey=True)
for pixel, ax in enumerate(axes.flat):
    ax.plot(x_raw[:, pixel], y, ".", ms=2, alpha=0.1)
    ax.set(xticks=[], yticks=[])
fig.supxlabel("grey value of the pixel (0 to 16)")
fig.supylabel("label (0 to 9)")
plt.show()

# %% [markdown] lang="de" tags=["solution"]
# Die Diagramme stehen so, wie die Pixel im Bild liegen: oben links das Pixel oben
# links. Die Pixel am linken und rechten Rand sind fast immer 0 und sagen kaum
# etwas über die Ziffer; ein einzelnes Pixel in der Mitte trennt die Klassen auch
# nicht, aber seine Grauwerte verteilen sich je nach Ziffer verschieden. Erst alle
# 64 zusammen erlauben eine gute Vorhersage: genau das lernt das Netz.

# %% [markdown] lang="en" tags=["solution"]
# The plots are arranged the way the pixels lie in the image: top left is the top
# left pixel. The pixels at the left and right edge are almost always 0 and say
# little about the digit; a single pixel in the middle does not separate the
# classes either, but its grey values spread differently for each digit. Only all
# 64 together allow a good prediction: that is what the network learns.

# %% [markdown] lang="de"
# ### 4. Auf 0 bis 1 skalieren

# %% [markdown] lang="en"
# ### 4. Scale to 0 to 1

# %% task_de="Skaliere die Merkmale `x_raw` auf den Bereich 0 bis 1 (als `x`)." task_en="Scale the features `x_raw` to the range 0 to 1 (as `x`)."
x = x_raw / 16.0
print("scaled from", x.min(), "to", x.max())

# %% [markdown] lang="de" tags=["solution"]
# Alle Pixel haben denselben Wertebereich 0 bis 16, also genügt eine Division durch
# 16. Ein `MinMaxScaler` würde jedes Pixel durch sein eigenes Maximum teilen und
# damit schwache Randpixel künstlich verstärken.

# %% [markdown] lang="en" tags=["solution"]
# All pixels share the range 0 to 16, so dividing by 16 is enough. A
# `MinMaxScaler` would divide each pixel by its own maximum and so artificially
# amplify faint edge pixels.

# %% [markdown] lang="de"
# ### 5. Klassen zählen

# %% [markdown] lang="en"
# ### 5. Count the classes

# %% task_de="Zähle die Klassen und die Datenpunkte pro Klasse." task_en="Count the classes and the samples per class."
classes, counts = np.unique(y, return_counts=True)
print("number of classes:", len(classes))
for digit, count in zip(classes, counts, strict=True):
    print(f"digit {digit}: {count} samples")

# %% [markdown] lang="de" tags=["solution"]
# Zehn Klassen mit je etwa 180 Bildern: Der Datensatz ist nahezu balanciert, die
# Korrektklassifikationsrate (accuracy) ist daher ein brauchbares Maß.

# %% [markdown] lang="en" tags=["solution"]
# Ten classes of about 180 images each: the data set is nearly balanced, so
# accuracy is a fair measure.

# %% [markdown] lang="de"
# ### 6. One-hot-Kodierung

# %% [markdown] lang="en"
# ### 6. One-hot encoding

# %% task_de="Kodiere die Labels `y` one-hot (als `y_onehot`)." task_en="One-hot encode the labels `y` (as `y_onehot`)."
y_onehot = keras.utils.to_categorical(y, num_classes=10)
print("label:", y[0], "-> one-hot:", y_onehot[0])
print(y_onehot.shape)

# %% [markdown] lang="de"
# ### 7. Trainings- und Validierungsdaten

# %% [markdown] lang="en"
# ### 7. Training and validation data

# %% task_de="Teile `x` und `y_onehot` in Trainings- und Validierungsdaten (`x_train`, `x_val`, `y_train`, `y_val`)." task_en="Split `x` and `y_onehot` into training and validation data (`x_train`, `x_val`, `y_train`, `y_val`)."
x_train, x_val, y_train, y_val = train_test_split(
    x, y_onehot, test_size=0.2, stratify=y, random_state=42
)
print("training:", x_train.shape, "validation:", x_val.shape)

# %% [markdown] lang="de"
# ### 8. Das Modell

# %% [markdown] lang="en"
# ### 8. The model


# %% task_de="Baue ein Sequential-Modell mit einer `Input`-Schicht und `Dense`-Schichten. Wie viele Neuronen braucht die Ausgabeschicht?" task_en="Build a Sequential model with an `Input` layer and `Dense` layers. How many neurons does the output layer need?"
def build_model(units=64, activation="softmax"):
    return keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(10, activation=activation),
        ]
    )


model = build_model()
model.summary()

# %% [markdown] lang="de" tags=["solution"]
# Die Ausgabeschicht braucht **10 Neuronen**, eines je Klasse, mit `softmax`: Die
# zehn Ausgaben sind dann Wahrscheinlichkeiten, die sich zu 1 addieren. Eine
# verborgene Schicht mit 64 Neuronen reicht für 8 × 8-Bilder. Das Modell steckt in
# einer Funktion, weil die Hyperparametersuche und die Experimente es mehrfach
# neu bauen.

# %% [markdown] lang="en" tags=["solution"]
# The output layer needs **10 neurons**, one per class, with `softmax`: the ten
# outputs are then probabilities that add up to 1. One hidden layer of 64 neurons
# is enough for 8 × 8 images. The model is built by a function because the
# hyperparameter search and the experiments build it again several times.

# %% [markdown] lang="de"
# ### 9. Kompilieren

# %% [markdown] lang="en"
# ### 9. Compile

# %% task_de="Gib dem Modell mit `compile` Verlustfunktion, Optimierer und die Metrik `accuracy`." task_en="Give the model its loss, its optimizer and the metric `accuracy` with `compile`."
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.02),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)

# %% [markdown] lang="de" tags=["solution"]
# Zu one-hot-kodierten Labels und `softmax` gehört die kategoriale Kreuzentropie
# (`categorical_crossentropy`). Adam mit der Lernrate 0,02 lernt hier in wenigen
# Epochen; mit einer kleineren Lernrate bräuchte das Netz viel länger: Schon mit
# 0,002 bleibt es in Schritt 13 deutlich zurück (Adams Standardwert ist 0,001).

# %% [markdown] lang="en" tags=["solution"]
# One-hot labels and `softmax` go with categorical cross-entropy
# (`categorical_crossentropy`). Adam with a learning rate of 0.02 learns within a
# few epochs here; with a smaller rate the network would need much longer: even
# 0.002 lags clearly behind in step 13 (Adam's default is 0.001).

# %% [markdown] lang="de"
# ### 10. Trainieren und auf den Validierungsdaten beurteilen

# %% [markdown] lang="en"
# ### 10. Train, and judge on the validation data

# %% task_de="Trainiere das Modell auf den Trainingsdaten und beurteile es auf den Validierungsdaten." task_en="Train the model on the training data and judge it on the validation data."
EPOCHS, BATCH_SIZE = 8, 64
history = model.fit(
    x_train,
    y_train,
    epochs=EPOCHS,
    batch_size=BATCH_SIZE,
    validation_data=(x_val, y_val),
    verbose=0,
)
val_loss, val_accuracy = model.evaluate(x_val, y_val, verbose=0)
print(f"validation loss {val_loss:.3f}, accuracy {val_accuracy:.3f}")

# %% [markdown] lang="de"
# ### 11. Lernkurven

# %% [markdown] lang="en"
# ### 11. Learning curves


# %% alt_de="Lernkurven über 8 Epochen: links der Verlust, rechts die Korrektklassifikationsrate, je für Training und Validierung" alt_en="Learning curves over 8 epochs: loss on the left, accuracy on the right, each for training and validation" task_de="Zeichne die Lernkurven aus der `History`: Verlust und Korrektklassifikationsrate, je für Training und Validierung." task_en="Plot the learning curves from the `History`: loss and accuracy, each for training and validation."
def plot_history(history):
    h = history.history
    epochs = np.arange(1, len(h["loss"]) + 1)
    _, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    for ax, key in zip(axes, ("loss", "accuracy"), strict=True):
        ax.plot(epochs, h[key], "o-", ms=3, label="training")
        ax.plot(epochs, h[f"val_{key}"], "s-", ms=3, label="validation")
        ax.set_xlabel("epoch")
        ax.legend()
    axes[0].set_ylabel("loss (categorical cross-entropy)")
    axes[1].set_ylabel("accuracy")
    plt.show()


plot_history(history)

# %% [markdown] lang="de"
# ### 12. Über- oder Unteranpassung?

# %% [markdown] lang="en"
# ### 12. Overfitting or underfitting?

# %% task_de="Vergleiche Training und Validierung am Ende des Trainings: Überanpassung oder Unteranpassung?" task_en="Compare training and validation at the end of training: overfitting or underfitting?"
h = history.history
gap = h["accuracy"][-1] - h["val_accuracy"][-1]
best_epoch = int(np.argmin(h["val_loss"])) + 1
print(f"training accuracy   {h['accuracy'][-1]:.3f}")
print(f"validation accuracy {h['val_accuracy'][-1]:.3f} (gap {gap:.3f})")
print(f"lowest validation loss in epoch {best_epoch} of {EPOCHS}")
assert h["accuracy"][-1] > 0.98 and 0 < gap < 0.05
assert best_epoch > EPOCHS // 2

# %% [markdown] lang="de" tags=["solution"]
# **Keine Unteranpassung:** Der Trainingsverlust fällt steil, und die
# Korrektklassifikationsrate im Training erreicht fast 1; das Modell ist groß genug
# für die Aufgabe.
#
# **Beginnende Überanpassung:** Die Trainingskurven verbessern sich weiter, während
# die Validierungskurven flach werden, und die Korrektklassifikationsrate im Training
# liegt über der auf den Validierungsdaten. Das Netz merkt sich also schon
# Einzelheiten der Trainingsbilder, die nicht verallgemeinern. Schädlich ist das
# erst, wenn der Validierungsverlust wieder steigt; hier liegt sein Minimum in der
# zweiten Hälfte des Trainings, die 8 Epochen sind also nicht zu viele. Bei
# längerem Training hülfen Early Stopping (`keras.callbacks.EarlyStopping`),
# weniger Neuronen oder Regularisierung (z. B. `Dropout`).

# %% [markdown] lang="en" tags=["solution"]
# **No underfitting:** the training loss falls steeply and the training accuracy
# gets close to 1; the model is big enough for the task.
#
# **Overfitting begins:** the training curves keep improving while the validation
# curves flatten, and training accuracy lies above validation accuracy. So the
# network already memorises details of the training images that do not generalise.
# That only does harm once the validation loss rises again; here its minimum lies
# in the second half of training, so 8 epochs are not too many. For longer
# training, early stopping (`keras.callbacks.EarlyStopping`), fewer neurons or
# regularisation (for example `Dropout`) would help.

# %% [markdown] lang="de"
# ### 13. Eine kleine Hyperparametersuche

# %% [markdown] lang="en"
# ### 13. A small hyperparameter search


# %% task_de="Suche in einem kleinen Raster bessere Hyperparameter (etwa Neuronen und Lernrate). Das beste Modell soll auf den Validierungsdaten mindestens 0,97 erreichen." task_en="Search a small grid for better hyperparameters (say, neurons and learning rate). The best model should reach a validation accuracy of at least 0.97."
def train(
    units=64,
    learning_rate=0.02,
    activation="softmax",
    loss="categorical_crossentropy",
):
    # every run starts from the same weights
    keras.utils.set_random_seed(42)
    candidate = build_model(units, activation)
    candidate.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=loss,
        metrics=["accuracy"],
    )
    run = candidate.fit(
        x_train,
        y_train,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        validation_data=(x_val, y_val),
        verbose=0,
    )
    return candidate, run.history


results = {(64, 0.02): (model, history.history)}  # the model from step 10
for units, learning_rate in [(128, 0.02), (128, 0.01), (64, 0.002)]:
    results[(units, learning_rate)] = train(units, learning_rate)

print(f"{'units':>5} {'rate':>6} {'best val accuracy':>17} {'in epoch':>8}")
for (units, rate), (_, h) in sorted(results.items()):
    best, epoch = max(h["val_accuracy"]), np.argmax(h["val_accuracy"]) + 1
    print(f"{units:5d} {rate:6} {best:17.3f} {epoch:8d}")

best_key = max(results, key=lambda k: max(results[k][1]["val_accuracy"]))
best_model, best_history = results[best_key]
best_accuracy = max(best_history["val_accuracy"])
units, rate = best_key
print(f"best: {units} units, learning rate {rate}: {best_accuracy:.3f}")
assert best_accuracy >= 0.97
# best_model holds the weights of the last epoch: check those, too
assert best_history["val_accuracy"][-1] >= 0.97
slow, fast = results[(64, 0.002)][1], results[(64, 0.02)][1]
# the small learning rate is too slow for 8 epochs
assert max(slow["val_accuracy"]) < max(fast["val_accuracy"])

# %% [markdown] lang="de" tags=["solution"]
# Jeder Lauf beginnt mit demselben Startwert, damit die Unterschiede von den
# Hyperparametern kommen und nicht vom Zufall. Die Suche ändert einen Parameter nach
# dem anderen: die Zahl der Neuronen (64, 128) bei Lernrate 0,02, die Lernrate bei
# 128 Neuronen (0,01 statt 0,02) und bei 64 Neuronen (0,002, zehnmal kleiner).
# Mit der zehnmal kleineren Lernrate bleibt das Netz nach 8 Epochen deutlich
# zurück: Es lernt langsamer und bräuchte mehr Epochen. Wer weiter sucht, variiert
# als Nächstes Epochen, Batchgröße und eine zweite verborgene Schicht, am
# bequemsten mit einem Werkzeug wie KerasTuner.
#
# Vorsicht beim Lesen der Tabelle: Wer das beste Modell nach der
# Korrektklassifikationsrate auf den Validierungsdaten auswählt, schätzt dessen Güte
# damit etwas zu optimistisch.
# Für eine ehrliche Schlusszahl hält man einen dritten Teil der Daten (Testdaten)
# zurück, den erst das ausgewählte Modell zu sehen bekommt.

# %% [markdown] lang="en" tags=["solution"]
# Every run starts from the same seed, so that the differences come from the
# hyperparameters and not from chance. The search changes one parameter at a time:
# the number of neurons (64, 128) at a learning rate of 0.02, the learning rate at
# 128 neurons (0.01 instead of 0.02) and at 64 neurons (0.002, ten times smaller).
# With the ten times smaller rate the network lags clearly behind after 8 epochs:
# it learns more slowly and would need more epochs. To search further, vary the
# epochs, the batch size and a second hidden layer next, most conveniently with a
# tool such as KerasTuner.
#
# A word of caution on the table: picking the best model by its validation
# accuracy makes that accuracy a slightly optimistic estimate. For an honest final
# number, keep a third part of the data (test data) back, which only the chosen
# model gets to see.

# %% [markdown] lang="de"
# ### 14. Prognosen mit Wahrscheinlichkeiten

# %% [markdown] lang="en"
# ### 14. Predictions with probabilities

# %% task_de="Gib für die ersten 10 Validierungsdatenpunkte die wahre Ziffer, die Prognose und ihre Wahrscheinlichkeiten aus." task_en="Print the true digit, the prediction and its probabilities for the first 10 validation samples."
probabilities = best_model.predict(x_val, verbose=0)
print("true pred " + " ".join(f" p({digit})" for digit in range(10)))
truths = y_val[:10].argmax(axis=1)
for truth, row in zip(truths, probabilities[:10], strict=True):
    cells = " ".join(f"{p:5.2f}" for p in row)
    print(f"{truth:4d} {row.argmax():4d} {cells}")

# %% [markdown] lang="de" tags=["solution"]
# Jede Zeile ist eine Wahrscheinlichkeitsverteilung über die zehn Ziffern (Summe 1,
# dank `softmax`); die Prognose ist die Klasse mit der größten Wahrscheinlichkeit.
# Werte nahe 1 heißen: Das Modell ist sich sicher. Ob diese Sicherheit berechtigt
# ist, zeigt erst eine Kalibrierungskurve.

# %% [markdown] lang="en" tags=["solution"]
# Each row is a probability distribution over the ten digits (summing to 1, thanks
# to `softmax`); the prediction is the class with the largest probability. Values
# close to 1 mean the model is sure. Whether that confidence is justified is what
# a calibration curve shows.

# %% [markdown] lang="de"
# ### 15. Konfusionsmatrix

# %% [markdown] lang="en"
# ### 15. Confusion matrix

# %% alt_de="Konfusionsmatrix der Validierungsdaten: wahre gegen vorhergesagte Ziffern, fast alle Fälle auf der Diagonalen" alt_en="Confusion matrix of the validation data: true against predicted digits, nearly all cases on the diagonal" task_de="Erzeuge die Konfusionsmatrix der Validierungsdaten und zeichne sie." task_en="Compute the confusion matrix of the validation data and plot it."
predicted = probabilities.argmax(axis=1)  # from step 14
actual = y_val.argmax(axis=1)
matrix = confusion_matrix(actual, predicted)
print(f"{np.trace(matrix)} of {matrix.sum()} validation digits correct")
ConfusionMatrixDisplay(matrix).plot(colorbar=False)
plt.show()

# %% [markdown] lang="de" tags=["solution"]
# Zeilen sind die wahren Ziffern, Spalten die vorhergesagten. Auf der Diagonalen
# stehen die richtigen Prognosen, jede Zahl daneben ist eine Verwechslung; so sieht
# man, welche Ziffern das Modell miteinander verwechselt.

# %% [markdown] lang="en" tags=["solution"]
# Rows are the true digits, columns the predicted ones. The diagonal holds the
# correct predictions, every number off it is a confusion; this shows which digits
# the model mixes up.

# %% [markdown] lang="de"
# ### 16. Experimente: Aktivierung und Verlustfunktion der Ausgabeschicht

# %% [markdown] lang="en"
# ### 16. Experiments: the output layer's activation and loss

# %% task_de="Trainiere alle sechs Kombinationen aus Aktivierungsfunktion der Ausgabeschicht (`relu`, `sigmoid`, `softmax`) und Verlustfunktion (`mse`, `categorical_crossentropy`) und stelle ihre Ergebnisse in einer Tabelle nebeneinander." task_en="Train all six combinations of the output layer's activation (`relu`, `sigmoid`, `softmax`) and loss (`mse`, `categorical_crossentropy`), and put their results side by side in a table."
LOSSES = ("mse", "categorical_crossentropy")
ACTIVATIONS = ("relu", "sigmoid", "softmax")
# softmax + categorical cross-entropy: step 10's model, no need to retrain
experiments = {("softmax", "categorical_crossentropy"): results[(64, 0.02)]}
for loss in LOSSES:
    for activation in ACTIVATIONS:
        key = (activation, loss)
        if key not in experiments:
            experiments[key] = train(activation=activation, loss=loss)

print(f"{'activation':10} {'loss':24} {'val loss':>8} {'accuracy':>8}")
for loss in LOSSES:
    for activation in ACTIVATIONS:
        h = experiments[(activation, loss)][1]
        end_loss, end_acc = h["val_loss"][-1], h["val_accuracy"][-1]
        print(f"{activation:10} {loss:24} {end_loss:8.3f} {end_acc:8.3f}")

# %% alt_de="Korrektklassifikationsrate auf den Validierungsdaten je Epoche für relu, sigmoid und softmax, links mit mse, rechts mit kategorialer Kreuzentropie; rechts liegen sigmoid und softmax übereinander, relu endet bei 0,1" alt_en="Validation accuracy per epoch for relu, sigmoid and softmax, with mse on the left and categorical cross-entropy on the right; on the right sigmoid and softmax coincide and relu ends at 0.1" task_de="Zeichne für jede Kombination die Korrektklassifikationsrate auf den Validierungsdaten je Epoche." task_en="Plot the validation accuracy per epoch for each combination."
fig, axes = plt.subplots(
    1, 2, figsize=(9, 3.2), sharey=True, layout="constrained"
)
styles = {"relu": "o-", "sigmoid": "s-", "softmax": "^--"}
for ax, loss in zip(axes, LOSSES, strict=True):
    for activation in ACTIVATIONS:
        accuracy = experiments[(activation, loss)][1]["val_accuracy"]
        epochs = np.arange(1, len(accuracy) + 1)
        ax.plot(
            epochs, accuracy, styles[activation], ms=3, label=activation
        )
    ax.set_title(f"loss = {loss}")
    ax.set_xlabel("epoch")
    ax.legend()
axes[0].set_ylabel("validation accuracy")
plt.show()

# %% [markdown] lang="de" tags=["solution"]
# Die Verlustwerte von `mse` und Kreuzentropie sind nicht vergleichbar (andere
# Formeln); vergleichbar ist die Korrektklassifikationsrate. Die Zellen unten prüfen
# jede Erklärung an diesem Lauf nach.

# %% [markdown] lang="en" tags=["solution"]
# The loss values of `mse` and cross-entropy cannot be compared (different
# formulas); accuracy can. The cells below check each explanation against this
# run.

# %% [markdown] lang="de"
# #### Softmax mit Kreuzentropie

# %% [markdown] lang="en"
# #### Softmax with cross-entropy

# %% task_de="Softmax mit Kreuzentropie: Welche Korrektklassifikationsrate erreicht das Modell auf den Validierungsdaten?" task_en="Softmax with cross-entropy: which validation accuracy does the model reach?"
softmax_cce = experiments[("softmax", "categorical_crossentropy")][1]
print(f"validation accuracy {softmax_cce['val_accuracy'][-1]:.3f}")
assert softmax_cce["val_accuracy"][-1] >= 0.95

# %% [markdown] lang="de" tags=["solution"]
# Die richtige Wahl. Softmax liefert eine Wahrscheinlichkeitsverteilung, die
# Kreuzentropie bestraft eine kleine Wahrscheinlichkeit für die richtige Klasse
# stark (−ln p). Der Gradient nach den Logits (den Werten vor der Aktivierung) ist
# einfach „Prognose minus Label“ und bleibt groß, solange das Modell falsch liegt.
# Mit dem Backend TensorFlow rechnet Keras die beiden sogar zusammen aus den
# Logits; JAX und PyTorch rechnen mit den Wahrscheinlichkeiten, bei 10⁻⁷
# abgeschnitten. Diese Kombination ist das Modell aus Schritt 10.

# %% [markdown] lang="en" tags=["solution"]
# The right choice. Softmax yields a probability distribution, and cross-entropy
# punishes a small probability for the right class hard (−ln p). The gradient with
# respect to the logits (the values before the activation) is simply "prediction
# minus label" and stays large while the model is wrong. With the TensorFlow
# backend Keras even computes the two together from the logits; JAX and PyTorch
# use the probabilities, clipped at 10⁻⁷. This combination is the model from
# step 10.

# %% [markdown] lang="de"
# #### Sigmoid mit Kreuzentropie

# %% [markdown] lang="en"
# #### Sigmoid with cross-entropy

# %% task_de="Sigmoid mit Kreuzentropie: Vergleiche die Lernkurven mit denen von Softmax und summiere die Sigmoid-Ausgaben je Datenpunkt." task_en="Sigmoid with cross-entropy: compare its learning curves with softmax's and sum the sigmoid outputs per sample."
CCE = "categorical_crossentropy"
sigmoid_model, sigmoid_cce = experiments[("sigmoid", CCE)]
same = all(
    np.allclose(sigmoid_cce[key], softmax_cce[key])
    for key in ("loss", "val_loss", "val_accuracy")
)
print("sigmoid + cross-entropy: the learning curves of softmax:", same)
outputs = keras.ops.convert_to_numpy(sigmoid_model(x_val[:5]))
row_sums = outputs.sum(axis=1)
print("sigmoid outputs summed per sample:", np.round(row_sums, 2))
# the same curves: a shortcut of the TensorFlow backend (see below)
assert same == (keras.backend.backend() == "tensorflow")
assert not np.allclose(row_sums, 1, atol=0.05)

# %% [markdown] lang="de" tags=["solution"]
# Mit dem TensorFlow-Backend trainiert Sigmoid genau wie Softmax (`True` oben). Das
# überrascht zuerst, ist aber eine Eigenheit dieses Backends: Die Aktivierungen
# `sigmoid` und `softmax` merken sich an ihrem Ergebnis die Logits, und die
# Kreuzentropie nimmt dann diese Logits und rechnet eine Softmax-Kreuzentropie. Die
# Sigmoid-Ausgabe selbst geht in den Verlust gar nicht ein. Deshalb sind die
# Lernkurven identisch, und weil Sigmoid die Reihenfolge der Logits nicht ändert, auch
# die Prognosen. Die Ausgaben von `predict` sind aber Sigmoid-Werte, die sich
# **nicht** zu 1 addieren (Zeile oben): keine Wahrscheinlichkeitsverteilung. Die
# Backends JAX und PyTorch kennen diese Abkürzung nicht; dort teilt Keras die
# Sigmoid-Ausgaben durch ihre Summe, und das Training verläuft anders (oben steht dann
# `False`). Für mehrere Klassen gehört also `softmax` in die Ausgabeschicht.

# %% [markdown] lang="en" tags=["solution"]
# With the TensorFlow backend, sigmoid trains exactly like softmax (`True` above).
# Surprising at first, this is a quirk of that backend: the `sigmoid` and `softmax`
# activations remember their logits on their result, and cross-entropy then takes
# these logits and computes a softmax cross-entropy. The sigmoid output itself never
# enters the loss. That is why the learning curves are identical, and since sigmoid
# keeps the order of the logits, so are the predictions. But the outputs of `predict`
# are sigmoid values that do **not** add up to 1 (line above): not a probability
# distribution. The JAX and PyTorch backends have no such shortcut; there Keras
# divides the sigmoid outputs by their sum, and training goes differently (the line
# above then says `False`). For several classes, `softmax` belongs in the output
# layer.

# %% [markdown] lang="de"
# #### ReLU mit Kreuzentropie

# %% [markdown] lang="en"
# #### ReLU with cross-entropy

# %% task_de="ReLU mit Kreuzentropie: Sieh dir den Validierungsverlust der ersten Epochen und die Gewichte der verborgenen Schicht an." task_en="ReLU with cross-entropy: look at the validation loss of the first epochs and at the weights of the hidden layer."
relu_model, relu_cce = experiments[("relu", CCE)]
print("validation loss, epochs 1-5:", np.round(relu_cce["val_loss"][:5], 3))
nan_weights = np.isnan(relu_model.get_weights()[0]).all()
print("all weights of the hidden layer are NaN:", nan_weights)
print(f"validation accuracy {relu_cce['val_accuracy'][-1]:.3f}")
assert np.isnan(relu_cce["val_loss"][-1])
# NaN weights with TensorFlow only (see below)
assert nan_weights == (keras.backend.backend() == "tensorflow")
# far behind softmax on every backend
assert relu_cce["val_accuracy"][-1] < softmax_cce["val_accuracy"][-1] - 0.3

# %% [markdown] lang="de" tags=["solution"]
# ReLU liefert keine Logits, also rechnet die Kreuzentropie mit den Ausgaben
# selbst: Sie teilt sie durch ihre Summe, damit eine Verteilung entsteht. ReLU gibt
# aber oft für alle zehn Klassen 0 aus, dann ist die Summe 0 und die Division 0/0
# ergibt NaN (not a number). Ein einziger solcher Datenpunkt macht den Verlust
# seines Batches NaN und damit auch den Validierungsverlust. Was dann geschieht,
# hängt vom Backend ab. Mit TensorFlow erreicht das NaN die Gradienten und nach dem
# Schritt alle Gewichte; von da an gibt das Modell nur noch NaN aus, und die
# Korrektklassifikationsrate bleibt beim Anteil der Ziffer, die `argmax` für eine
# NaN-Zeile wählt (etwa 0,1). Mit JAX und PyTorch bleiben die Gewichte Zahlen, aber
# das Modell lernt schlecht: Seine Korrektklassifikationsrate bleibt weit, um mehr
# als 0,3, hinter der von Softmax.

# %% [markdown] lang="en" tags=["solution"]
# ReLU provides no logits, so cross-entropy works on the outputs themselves: it
# divides them by their sum to obtain a distribution. But ReLU often outputs 0 for
# all ten classes; then the sum is 0 and the division 0/0 gives NaN (not a number).
# A single such sample makes the loss of its batch NaN, and the validation loss
# with it. What happens next depends on the backend. With TensorFlow the NaN
# reaches the gradients and, after the step, every weight; from then on the model
# outputs nothing but NaN, and accuracy stays at the share of the digit that
# `argmax` picks for a NaN row (about 0.1). With JAX and PyTorch the weights stay
# numbers, but the model learns poorly: its accuracy stays far behind softmax's,
# by more than 0.3.

# %% [markdown] lang="de"
# #### Die drei Läufe mit MSE

# %% [markdown] lang="en"
# #### The three runs with MSE

# %% task_de="Die drei Läufe mit MSE: Vergleiche die Korrektklassifikationsrate nach der ersten und nach der letzten Epoche und zähle die Ausgabeneuronen, die für jeden Datenpunkt 0 liefern." task_en="The three runs with MSE: compare the accuracy after the first and after the last epoch, and count the output neurons that give 0 for every sample."
dead = {}
for activation in ACTIVATIONS:
    candidate, h = experiments[(activation, "mse")]
    # one batch: calling the model directly is quicker than predict()
    outputs = keras.ops.convert_to_numpy(candidate(x_val))
    dead[activation] = int((outputs.max(axis=0) == 0).sum())
    first, last = h["val_accuracy"][0], h["val_accuracy"][-1]
    print(
        f"{activation:8} accuracy after epoch 1: {first:.2f}, "
        f"after {EPOCHS}: {last:.2f}; "
        f"output neurons that are 0 for every sample: {dead[activation]}"
    )
relu_mse, sigmoid_mse, softmax_mse = (
    experiments[(activation, "mse")][1]["val_accuracy"]
    for activation in ACTIVATIONS
)
assert dead["relu"] >= 1 and relu_mse[-1] < 0.9
assert sigmoid_mse[0] < softmax_mse[0] and sigmoid_mse[-1] < softmax_mse[-1]
assert abs(softmax_mse[-1] - softmax_cce["val_accuracy"][-1]) < 0.05

# %% [markdown] lang="de" tags=["solution"]
# **`relu` + `mse`** behandelt die One-hot-Labels wie zehn Regressionsziele. Gerät
# die Eingabe eines ReLU-Ausgabeneurons für alle Bilder ins Negative, gibt es nur
# noch 0 aus, sein Gradient ist 0, und es erholt sich nie wieder (ein „totes“
# Neuron). Seine Ziffer sagt das Modell dann praktisch nie mehr richtig vorher
# (außer der 0: Sind alle Ausgaben eines Bildes 0, wählt `argmax` die erste). Die
# Zahl der toten Neuronen steht in der Ausgabe oben; mit ihnen fallen Ziffern aus,
# und die Korrektklassifikationsrate bricht ein.
#
# **`sigmoid` + `mse`** lernt langsam: Zu Beginn liegen alle Ausgaben um 0,5, und
# der Gradient des MSE wird mit der Ableitung der Sigmoidfunktion (höchstens 0,25)
# multipliziert. Nach der ersten Epoche und auch am Ende liegt es hinter
# `softmax` + `mse`. Die zehn Ausgaben sind außerdem voneinander unabhängig und
# ergeben keine Verteilung.
#
# **`softmax` + `mse`** liefert echte Wahrscheinlichkeiten, lernt schnell und
# erreicht hier etwa dieselbe Korrektklassifikationsrate wie mit Kreuzentropie.
# Der MSE-Gradient wird jedoch klein, sobald die Softmax-Ausgaben gesättigt sind,
# auch bei einer sicheren falschen Prognose; die Kreuzentropie bestraft genau
# diesen Fall am stärksten.
#
# **Fazit:** `relu` taugt für die Ausgabeschicht nicht, `sigmoid` mit `mse` lernt
# zu langsam, und `sigmoid` mit Kreuzentropie ist im TensorFlow-Backend in Wahrheit
# Softmax. Für mehrere Klassen gehören `softmax` und `categorical_crossentropy`
# zusammen: Die Ausgaben sind Wahrscheinlichkeiten, der Gradient bleibt auch bei
# sicheren Fehlern groß, solange die Wahrscheinlichkeit nicht abgeschnitten wird. Dass
# `softmax` mit `mse` in diesem kleinen Beispiel ebenso genau wird, ändert daran
# nichts.

# %% [markdown] lang="en" tags=["solution"]
# **`relu` + `mse`** treats the one-hot labels as ten regression targets. Once the
# input of a ReLU output neuron turns negative for every image, it outputs nothing
# but 0, its gradient is 0, and it never recovers (a "dead" neuron). The model then
# practically never predicts that neuron's digit correctly (except 0: when all of
# an image's outputs are 0, `argmax` picks the first). The number of dead neurons
# is in the output above; with them digits drop out, and accuracy collapses.
#
# **`sigmoid` + `mse`** learns slowly: at first all outputs sit around 0.5, and the
# MSE gradient is multiplied by the sigmoid's derivative (at most 0.25). After the
# first epoch and at the end alike it lags behind `softmax` + `mse`. Besides, the
# ten outputs are independent of each other and do not form a distribution.
#
# **`softmax` + `mse`** gives true probabilities, learns fast and reaches about the
# same accuracy as with cross-entropy here. But the MSE gradient becomes small once
# the softmax outputs saturate, even for a confident wrong prediction, which is
# exactly the case cross-entropy punishes hardest.
#
# **Conclusion:** `relu` is no use in the output layer, `sigmoid` with `mse` learns
# too slowly, and `sigmoid` with cross-entropy is softmax in disguise in the
# TensorFlow backend. For several classes, `softmax` and `categorical_crossentropy`
# belong together: the outputs are probabilities, the gradient stays large even for
# confident mistakes, as long as the probability is not clipped. That
# `softmax` with `mse` gets just as accurate in this small example does not change
# this.
