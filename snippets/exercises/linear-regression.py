# %% [markdown] lang="de" description="Übung mit Lösung: ein einzelnes Keras-Neuron lernt lineare Regression und kommt zu denselben Gewichten wie LinearRegression aus scikit-learn."
# # Lineare Regression mit einem Neuron
#
# Eine `Dense`-Schicht mit einem einzigen Neuron und ohne Aktivierungsfunktion
# rechnet ŷ = w₁·x₁ + w₂·x₂ + … + b. Das ist genau das Modell der linearen
# Regression. Trainiert man dieses Neuron mit der mittleren quadratischen
# Abweichung (MSE) als Verlustfunktion, sollte es bei denselben Gewichten ankommen,
# die scikit-learns `LinearRegression` direkt ausrechnet.

# %% [markdown] lang="en" description="Exercise with solution: a single Keras neuron learns linear regression and arrives at the same weights as scikit-learn's LinearRegression."
# # Linear regression with one neuron
#
# A `Dense` layer with a single neuron and no activation function computes
# ŷ = w₁·x₁ + w₂·x₂ + … + b. That is exactly the model of linear regression. Trained
# with the mean squared error (MSE) as its loss, the neuron should arrive at the
# same weights that scikit-learn's `LinearRegression` computes directly.

# %% [markdown] lang="de"
# ## Aufgabe
#
# Versuche jeden Schritt zuerst selbst.
#
# 1. Lade den Diabetes-Datensatz (`sklearn.datasets.load_diabetes`, 442 Patienten)
#    und nimm drei Merkmale: `bmi` (Body-Mass-Index), `bp` (Blutdruck) und `s5`
#    (ein Blutwert). Standardisiere sie. Zielgröße ist ein Maß für das
#    Fortschreiten der Krankheit nach einem Jahr.
# 2. Passe `LinearRegression` an: Das ist die Referenz.
# 3. Baue ein Keras-Modell mit genau einem Neuron ohne Aktivierungsfunktion und
#    trainiere es mit MSE und Gradientenabstieg (`SGD`) über den ganzen Datensatz
#    als einen Batch.
# 4. Vergleiche Gewichte und Bias mit `coef_` und `intercept_`. Sie sollen auf
#    0,01 übereinstimmen.
# 5. Zeichne die Lernkurve und den MSE der Referenz als Untergrenze.
# 6. Zusatzfrage: Warum nimmt die Aufgabe nicht alle zehn Merkmale?

# %% [markdown] lang="en"
# ## Task
#
# Try each step yourself first.
#
# 1. Load the diabetes data set (`sklearn.datasets.load_diabetes`, 442 patients)
#    and take three features: `bmi` (body mass index), `bp` (blood pressure) and
#    `s5` (a blood serum value). Standardise them. The target measures how far the
#    disease has progressed after one year.
# 2. Fit `LinearRegression`: this is the reference.
# 3. Build a Keras model with exactly one neuron and no activation function, and
#    train it with MSE and gradient descent (`SGD`), the whole data set as one
#    batch.
# 4. Compare its weights and bias with `coef_` and `intercept_`. They should agree
#    to within 0.01.
# 5. Plot the learning curve, with the reference's MSE as the floor.
# 6. Extra question: why does the task not use all ten features?

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
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(42)

diabetes = load_diabetes()

# %% task_de="Nimm die Merkmale `bmi`, `bp` und `s5` und standardisiere sie (als `x`); die Zielgröße ist `diabetes.target` (als `y`)." task_en="Take the features `bmi`, `bp` and `s5` and standardise them (as `x`); the target is `diabetes.target` (as `y`)."
features = ["bmi", "bp", "s5"]
columns = [diabetes.feature_names.index(name) for name in features]
x = StandardScaler().fit_transform(diabetes.data[:, columns])
y = diabetes.target
print(x.shape, y.shape)
print(f"target from {y.min():.0f} to {y.max():.0f}, mean {y.mean():.1f}")

# %% [markdown] lang="de"
# ### 2. Die Referenz: LinearRegression

# %% [markdown] lang="en"
# ### 2. The reference: LinearRegression

# %% task_de="Passe `LinearRegression` als Referenz an und berechne ihren MSE." task_en="Fit `LinearRegression` as the reference and compute its MSE."
reference = LinearRegression().fit(x, y)
reference_mse = np.mean((reference.predict(x) - y) ** 2)
print("coef_:     ", np.round(reference.coef_, 3))
print("intercept_:", np.round(reference.intercept_, 3))
print(f"MSE:        {reference_mse:.1f}")

# %% [markdown] lang="de" tags=["solution"]
# `LinearRegression` löst das Problem der kleinsten Quadrate direkt, ohne
# Iterationen. Weil die Merkmale standardisiert sind, ist jedes Gewicht die
# Änderung der Zielgröße pro Standardabweichung des Merkmals, und der Bias ist der
# Mittelwert der Zielgröße.

# %% [markdown] lang="en" tags=["solution"]
# `LinearRegression` solves the least-squares problem directly, without iterating.
# Because the features are standardised, each weight is the change of the target
# per standard deviation of its feature, and the bias is the target's mean.

# %% [markdown] lang="de"
# ### 3. Ein Neuron, trainiert mit Gradientenabstieg

# %% [markdown] lang="en"
# ### 3. One neuron, trained by gradient descent

# %% task_de="Baue ein Modell mit genau einem Neuron ohne Aktivierungsfunktion und trainiere es mit MSE und `SGD`, den ganzen Datensatz als einen Batch." task_en="Build a model of exactly one neuron without activation function and train it with MSE and `SGD`, the whole data set as one batch."
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.4), loss="mse")
history = model.fit(x, y, epochs=20, batch_size=len(x), verbose=0)
losses = history.history["loss"]
print(f"MSE after {len(losses)} epochs: {losses[-1]:.1f}")

# %% [markdown] lang="de" tags=["solution"]
# Mit `batch_size=len(x)` ist jede Epoche genau ein Schritt auf dem Gradienten des
# ganzen Datensatzes: klassischer Gradientenabstieg. Die Lernrate 0,4 ist groß,
# aber hier noch unter der Grenze: Der Abstieg divergiert erst, wenn die Lernrate
# 2 geteilt durch den größten Eigenwert von 2·XᵀX/n übersteigt, und mit 0,4
# erreichen die Gewichte die von scikit-learn (Schritt 4).

# %% [markdown] lang="en" tags=["solution"]
# With `batch_size=len(x)` each epoch is exactly one step along the gradient of
# the whole data set: classic gradient descent. A learning rate of 0.4 is large,
# but still below the limit here: the descent only diverges once the rate exceeds
# 2 divided by the largest eigenvalue of 2·XᵀX/n, and with 0.4 the weights reach
# scikit-learn's (step 4).

# %% [markdown] lang="de"
# ### 4. Gewichte vergleichen

# %% [markdown] lang="en"
# ### 4. Compare the weights

# %% task_de="Vergleiche Gewicht und Bias des Neurons mit `coef_` und `intercept_` der Referenz; sie sollen auf 0,01 übereinstimmen." task_en="Compare the neuron's weights and bias with the reference's `coef_` and `intercept_`; they should agree to within 0.01."
kernel, bias = model.layers[0].get_weights()
weights = kernel[:, 0]
print(f"{'':10} {'Keras':>9} {'sklearn':>9}")
coef = reference.coef_
for name, w_keras, w_sk in zip(features, weights, coef, strict=True):
    print(f"{name:10} {w_keras:9.3f} {w_sk:9.3f}")
print(f"{'bias':10} {bias[0]:9.3f} {reference.intercept_:9.3f}")

TOLERANCE = 0.01
assert np.allclose(weights, coef, atol=TOLERANCE)
assert abs(bias[0] - reference.intercept_) < TOLERANCE
print(f"weights and bias agree to within {TOLERANCE}")

# %% [markdown] lang="de" tags=["solution"]
# Die `assert`-Zeilen sind Teil der Lösung: Stimmen die Zahlen nicht auf 0,01
# überein, bricht das Notebook hier ab (und mit ihm der Testlauf dieser Website).
# Die verbleibende Abweichung ist winzig: 20 Schritte erreichen das Minimum nicht
# ganz exakt, und Keras rechnet in `float32`, scikit-learn in `float64`.

# %% [markdown] lang="en" tags=["solution"]
# The `assert` lines are part of the solution: if the numbers did not agree to
# within 0.01, the notebook would stop here (and so would this website's test
# run). The difference that remains is tiny: 20 steps do not reach the minimum
# quite exactly, and Keras computes in `float32`, scikit-learn in `float64`.

# %% [markdown] lang="de"
# ### 5. Lernkurve

# %% [markdown] lang="en"
# ### 5. Learning curve

# %% alt_de="Lernkurve: der Trainings-MSE des Neurons fällt in wenigen Epochen auf den MSE von LinearRegression (gestrichelt)" alt_en="Learning curve: the neuron's training MSE falls to the MSE of LinearRegression (dashed) within a few epochs" task_de="Zeichne die Lernkurve und den MSE der Referenz als Untergrenze." task_en="Plot the learning curve, with the reference's MSE as the floor."
fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
epochs = np.arange(1, len(losses) + 1)
ax.plot(epochs, losses, "o-", ms=3, label="one neuron (Keras)")
ax.axhline(reference_mse, color="black", ls="--", label="LinearRegression")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training MSE")
ax.legend()
plt.show()

# %% [markdown] lang="de" tags=["solution"]
# Der Verlust fällt in wenigen Epochen auf den MSE der Referenz und bleibt dort:
# Tiefer kann kein lineares Modell kommen, denn `LinearRegression` hat das Minimum
# exakt bestimmt.

# %% [markdown] lang="en" tags=["solution"]
# The loss drops to the reference's MSE within a few epochs and stays there: no
# linear model can go lower, since `LinearRegression` found the exact minimum.

# %% [markdown] lang="de"
# ### 6. Warum nicht alle zehn Merkmale?

# %% [markdown] lang="en"
# ### 6. Why not all ten features?

# %% task_de="Zusatzfrage: Warum nimmt die Aufgabe nicht alle zehn Merkmale?" task_en="Extra question: why does the task not use all ten features?"
x_all = StandardScaler().fit_transform(diabetes.data)
s1, s2 = (diabetes.feature_names.index(name) for name in ("s1", "s2"))
r = np.corrcoef(x_all[:, s1], x_all[:, s2])[0, 1]
print(f"correlation of s1 and s2: {r:.2f}")
for name, data in [("3 features", x), ("10 features", x_all)]:
    eigenvalues = np.linalg.eigvalsh(data.T @ data / len(data))
    ratio = eigenvalues[-1] / eigenvalues[0]
    print(f"{name}: largest / smallest eigenvalue = {ratio:.0f}")

# %% [markdown] lang="de" tags=["solution"]
# Mit allen zehn Merkmalen funktioniert dasselbe Neuron auch, braucht aber sehr
# viel mehr Epochen. Die Blutwerte `s1` und `s2` sind stark korreliert; dadurch
# ist die Verlustfläche in einer Richtung sehr flach und in einer anderen steil.
# Die Lernrate muss sich nach der steilen Richtung richten, und in der flachen
# kommt der Gradientenabstieg dann nur langsam voran. Wie viele Schritte er
# braucht, wächst mit dem Verhältnis von größtem zu kleinstem Eigenwert (der
# Kondition): Bei drei Merkmalen ist es klein, bei zehn Merkmalen einige hundert.
# `LinearRegression` stört das nicht, weil es nicht iteriert.

# %% [markdown] lang="en" tags=["solution"]
# The same neuron works with all ten features as well, but needs far more epochs.
# The serum values `s1` and `s2` are strongly correlated, which makes the loss
# surface very flat in one direction and steep in another. The learning rate has
# to suit the steep direction, and gradient descent then creeps along the flat
# one. How many steps it needs grows with the ratio of the largest to the smallest
# eigenvalue (the condition number): small for three features, a few hundred for
# ten. `LinearRegression` does not mind, as it does not iterate.
