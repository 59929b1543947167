# %% [markdown] lang="de" description="Übung mit Lösung: ein Neuron mit Sigmoid und binärer Kreuzentropie ist logistische Regression, trainiert in Keras, verglichen mit scikit-learn."
# # Logistische Regression mit einem Neuron
#
# Ein einzelnes Neuron mit der Aktivierungsfunktion `sigmoid` rechnet
# p = σ(w₁·x₁ + w₂·x₂ + b) mit σ(z) = 1 / (1 + e⁻ᶻ): eine Wahrscheinlichkeit
# zwischen 0 und 1. Mit der binären Kreuzentropie als Verlustfunktion ist das genau
# die logistische Regression. Diese Übung trainiert das Neuron und vergleicht es mit
# scikit-learns `LogisticRegression`.

# %% [markdown] lang="en" description="Exercise with solution: one neuron with sigmoid and binary cross-entropy is logistic regression, trained in Keras and compared with scikit-learn."
# # Logistic regression with one neuron
#
# A single neuron with the `sigmoid` activation computes
# p = σ(w₁·x₁ + w₂·x₂ + b) with σ(z) = 1 / (1 + e⁻ᶻ): a probability between 0 and 1.
# With binary cross-entropy as the loss, this is exactly logistic regression. This
# exercise trains the neuron and compares it with scikit-learn's
# `LogisticRegression`.

# %% [markdown] lang="de"
# ## Aufgabe
#
# Versuche jeden Schritt zuerst selbst.
#
# 1. Lade den Brustkrebs-Datensatz (`sklearn.datasets.load_breast_cancer`, 569
#    Gewebeproben) und nimm die zwei Merkmale `mean radius` und `mean texture`.
#    Standardisiere sie. Kodiere bösartig als 1 und gutartig als 0, wie auf allen
#    Seiten dieser Website (scikit-learn kodiert umgekehrt).
# 2. Passe als Referenz `LogisticRegression(C=np.inf)` an. Warum `C=np.inf`?
# 3. Baue ein Keras-Modell aus einem Neuron mit `sigmoid`, trainiere es mit
#    `binary_crossentropy` und Gradientenabstieg (`SGD`), den ganzen Datensatz als
#    einen Batch.
# 4. Vergleiche die Koeffizienten (Toleranz 0,01) und die vorhergesagten
#    Wahrscheinlichkeiten (Toleranz 0,002) mit der Referenz.
# 5. Zeichne die Daten und die Entscheidungsgrenzen (p = 0,5) beider Modelle.

# %% [markdown] lang="en"
# ## Task
#
# Try each step yourself first.
#
# 1. Load the breast cancer data set (`sklearn.datasets.load_breast_cancer`, 569
#    tissue samples) and take the two features `mean radius` and `mean texture`.
#    Standardise them. Encode malignant as 1 and benign as 0, as on every page of
#    this site (scikit-learn encodes it the other way round).
# 2. Fit `LogisticRegression(C=np.inf)` as the reference. Why `C=np.inf`?
# 3. Build a Keras model of one neuron with `sigmoid`, train it with
#    `binary_crossentropy` and gradient descent (`SGD`), the whole data set as one
#    batch.
# 4. Compare the coefficients (tolerance 0.01) and the predicted probabilities
#    (tolerance 0.002) with the reference.
# 5. Plot the data and both models' decision boundaries (p = 0.5).

# %% [markdown] lang="de"
# ## Schritt für Schritt
#
# ### 1. Daten laden und standardisieren

# %% [markdown] lang="en"
# ## Step by step
#
# ### 1. Load and standardise the data

# %% tags=["setup"]
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(42)

cancer = load_breast_cancer()

# %% task_de="Nimm die Merkmale `mean radius` und `mean texture` und standardisiere sie (als `x`). Kodiere bösartig als 1 und gutartig als 0 (als `y`); scikit-learn kodiert umgekehrt." task_en="Take the features `mean radius` and `mean texture` and standardise them (as `x`). Encode malignant as 1 and benign as 0 (as `y`); scikit-learn encodes it the other way round."
features = ["mean radius", "mean texture"]
columns = [list(cancer.feature_names).index(name) for name in features]
x = StandardScaler().fit_transform(cancer.data[:, columns])
y = 1 - cancer.target  # 1 = malignant (scikit-learn has 0 = malignant)
print(x.shape)
print("benign (0):", np.sum(y == 0), " malignant (1):", np.sum(y == 1))

# %% [markdown] lang="de"
# ### 2. Die Referenz: logistische Regression ohne Regularisierung

# %% [markdown] lang="en"
# ### 2. The reference: logistic regression without regularisation

# %% task_de="Passe `LogisticRegression(C=np.inf)` als Referenz an. Warum `C=np.inf`?" task_en="Fit `LogisticRegression(C=np.inf)` as the reference. Why `C=np.inf`?"
reference = LogisticRegression(C=np.inf).fit(x, y)
print("coef_:     ", np.round(reference.coef_[0], 3))
print("intercept_:", np.round(reference.intercept_, 3))

regularised = LogisticRegression().fit(x, y)  # the default, C=1.0
print("coef_ with the default C=1.0:", np.round(regularised.coef_[0], 3))

# %% [markdown] lang="de" tags=["solution"]
# Standardmäßig regularisiert scikit-learn: `C=1.0` bestraft große Gewichte (L2)
# und zieht die Koeffizienten zur Null hin, wie die zweite Zeile zeigt. Das Neuron
# kennt keine solche Strafe, also muss die Referenz ohne sie rechnen: `C=np.inf`.
# (Der frühere Weg `penalty=None` gilt in scikit-learn 1.9 als veraltet.)

# %% [markdown] lang="en" tags=["solution"]
# scikit-learn regularises by default: `C=1.0` penalises large weights (L2) and
# pulls the coefficients towards zero, as the second line shows. The neuron has no
# such penalty, so the reference must do without it: `C=np.inf`. (The former way,
# `penalty=None`, is deprecated in scikit-learn 1.9.)

# %% [markdown] lang="de"
# ### 3. Ein Neuron mit Sigmoid

# %% [markdown] lang="en"
# ### 3. One neuron with sigmoid

# %% task_de="Baue ein Modell aus einem Neuron mit `sigmoid` und trainiere es mit `binary_crossentropy` und `SGD`, den ganzen Datensatz als einen Batch." task_en="Build a model of one neuron with `sigmoid` and train it with `binary_crossentropy` and `SGD`, the whole data set as one batch."
model = keras.Sequential(
    [keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")]
)
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=8.0),
    loss="binary_crossentropy",
)
history = model.fit(x, y, epochs=50, batch_size=len(x), verbose=0)
losses = history.history["loss"]
print(f"binary cross-entropy after {len(losses)} epochs: {losses[-1]:.4f}")

# %% [markdown] lang="de" tags=["solution"]
# Jede Epoche ist ein Schritt Gradientenabstieg auf dem ganzen Datensatz. Die
# Lernrate 8 wirkt riesig, passt aber zur Verlustfunktion: Ihre Krümmung ist klein,
# weil die Ableitung der Sigmoidfunktion höchstens 1/4 beträgt. Mit der in Keras
# üblichen Lernrate 0,01 bräuchte derselbe Abstieg hunderte Male so viele Epochen.

# %% [markdown] lang="en" tags=["solution"]
# Each epoch is one step of gradient descent on the whole data set. A learning
# rate of 8 looks huge but suits this loss: its curvature is small, because the
# sigmoid's derivative is at most 1/4. With Keras' usual learning rate of 0.01 the
# same descent would need hundreds of times as many epochs.

# %% [markdown] lang="de"
# ### 4. Koeffizienten und Wahrscheinlichkeiten vergleichen

# %% [markdown] lang="en"
# ### 4. Compare coefficients and probabilities

# %% task_de="Vergleiche die Koeffizienten (Toleranz 0,01) und die vorhergesagten Wahrscheinlichkeiten (Toleranz 0,002) mit der Referenz." task_en="Compare the coefficients (tolerance 0.01) and the predicted probabilities (tolerance 0.002) with the reference."
kernel, bias = model.layers[0].get_weights()
weights = kernel[:, 0]
print(f"{'':13} {'Keras':>8} {'sklearn':>8}")
coef = reference.coef_[0]
for name, w_keras, w_sk in zip(features, weights, coef, strict=True):
    print(f"{name:13} {w_keras:8.3f} {w_sk:8.3f}")
print(f"{'bias':13} {bias[0]:8.3f} {reference.intercept_[0]:8.3f}")

# one small batch: calling the model is quicker than predict()
p_keras = keras.ops.convert_to_numpy(model(x))[:, 0]
p_sklearn = reference.predict_proba(x)[:, 1]
largest = np.abs(p_keras - p_sklearn).max()
print(f"largest difference of the 569 probabilities: {largest:.5f}")

assert np.allclose(weights, coef, atol=0.01)
assert abs(bias[0] - reference.intercept_[0]) < 0.01
assert largest < 0.002

# %% [markdown] lang="de" tags=["solution"]
# Beide Modelle minimieren dieselbe Verlustfunktion, die mittlere binäre
# Kreuzentropie (scikit-learn die Summe, was dasselbe Minimum hat). Sie ist konvex,
# hat also nur ein Minimum, und beide landen dort: scikit-learn mit einem
# Newton-artigen Verfahren (`lbfgs`), das Neuron mit schlichtem Gradientenabstieg.
# Dass es ein endliches Minimum gibt, liegt an den Daten: Mit diesen zwei Merkmalen
# lassen sich die Klassen nicht fehlerfrei durch eine Gerade trennen. Wären sie
# trennbar, wüchsen die Gewichte ohne Regularisierung immer weiter.

# %% [markdown] lang="en" tags=["solution"]
# Both models minimise the same loss, the mean binary cross-entropy (scikit-learn
# the sum, which has the same minimum). It is convex, so it has a single minimum,
# and both arrive there: scikit-learn with a Newton-like method (`lbfgs`), the
# neuron with plain gradient descent. That a finite minimum exists is down to the
# data: with these two features, no straight line separates the classes without
# errors. Were they separable, the weights would grow without bound when
# unregularised.

# %% [markdown] lang="de"
# ### 5. Entscheidungsgrenzen

# %% [markdown] lang="en"
# ### 5. Decision boundaries

# %% alt_de="Gewebeproben nach Radius und Textur, gutartig und bösartig markiert, mit den Entscheidungsgrenzen beider Modelle als zwei übereinanderliegende Geraden" alt_en="Tissue samples by radius and texture, benign and malignant marked, with both models' decision boundaries as two lines on top of each other" task_de="Zeichne die Daten und die Entscheidungsgrenzen (p = 0,5) beider Modelle." task_en="Plot the data and both models' decision boundaries (p = 0.5)."
fig, ax = plt.subplots(figsize=(6, 4.2), layout="constrained")
for label, name, marker in ((0, "benign", "o"), (1, "malignant", "x")):
    chosen = y == label
    ax.scatter(*x[chosen].T, s=12, marker=marker, alpha=0.6, label=name)
line = np.linspace(x[:, 0].min(), x[:, 0].max(), 2)
for name, (w1, w2), b, style in (
    ("one neuron (Keras)", weights, bias[0], "-"),
    ("LogisticRegression", coef, reference.intercept_[0], "--"),
):
    boundary = -(w1 * line + b) / w2  # where w1·x1 + w2·x2 + b = 0
    ax.plot(line, boundary, style, color="black", lw=1.5, label=name)
ax.set_ylim(x[:, 1].min(), x[:, 1].max())
ax.set_xlabel("mean radius (standardised)")
ax.set_ylabel("mean texture (standardised)")
ax.legend(loc="upper right")
plt.show()

# %% [markdown] lang="de" tags=["solution"]
# Die Entscheidungsgrenze ist die Gerade, auf der w₁·x₁ + w₂·x₂ + b = 0 und damit
# p = 0,5 ist. Die beiden Geraden liegen übereinander. Große, stark texturierte
# Zellkerne (oben rechts) sind meist bösartig; die Gerade trennt die Klassen gut,
# aber nicht fehlerfrei.

# %% [markdown] lang="en" tags=["solution"]
# The decision boundary is the line on which w₁·x₁ + w₂·x₂ + b = 0, hence
# p = 0.5. The two lines lie on top of each other. Large, strongly textured nuclei
# (top right) are mostly malignant; the line separates the classes well, but not
# without errors.
