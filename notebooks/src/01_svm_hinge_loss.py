# Source of notebooks/01_svm_hinge_loss.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 1. The multiclass SVM (hinge) loss
#
# A linear classifier gives every class a **score**. The multiclass SVM loss asks that the
# correct class score beat every other score by at least a margin $\Delta$.
#
# In this notebook you will
# 1. compute scores, margins and the loss on a worked example;
# 2. write `svm_loss_naive`, then its gradient, then `svm_loss_vectorized`;
# 3. check gradients numerically, and see why a check can disagree at a kink;
# 4. see why the loss needs regularization (the scale ambiguity) and what L2 prefers;
# 5. train with SGD, look at the learned templates, and search hyper-parameters.

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import time

import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin.classifiers import LinearSVM
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.data import add_bias, load_dataset
from cs231n_lin.gradient_check import eval_numerical_gradient, grad_check_sparse, rel_error
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.progress import progress
from cs231n_lin.vis import plot_loss_history, plot_weight_templates

np.set_printoptions(precision=4, suppress=True)
data = load_dataset()
print(data.summary())

# %% [markdown]
# ## Scores
#
# With the bias trick (a constant 1 appended to every row of `X`), the scores of all
# examples are one matrix product: `S = X @ W`, shape `(N, C)`, one row per example.

# %%
X_dev = add_bias(data.X_dev).astype(np.float64)
y_dev = data.y_dev
num_classes = data.num_classes
rng = np.random.default_rng(0)
# Scale 2 / sqrt(D): scores of order 1 whatever the image size, so some margins are met and some not.
W0 = 2.0 / np.sqrt(X_dev.shape[1]) * rng.standard_normal((X_dev.shape[1], num_classes))
S = X_dev @ W0
print("X_dev:", X_dev.shape, " W:", W0.shape, " scores:", S.shape)
print("scores of example 0:", S[0].round(2), " correct class:", data.class_names[y_dev[0]])

# %% [markdown]
# ## Margins and $\Delta$
#
# For one example with scores $s$ and correct class $y_i$:
#
# $$L_i = \sum_{j \neq y_i} \max(0,\; s_j - s_{y_i} + \Delta)$$
#
# A class $j$ adds to the loss only when its score comes within $\Delta$ of the correct score
# (or above it). Worked example: scores $[13, -7, 11]$, correct class 0, $\Delta = 10$.

# %%
scores = np.array([13.0, -7.0, 11.0])
correct, delta = 0, 10.0
for j, s_j in enumerate(scores):
    if j == correct:
        continue
    m = s_j - scores[correct] + delta
    print(f"class {j}: s_j - s_y + delta = {s_j:g} - {scores[correct]:g} + {delta:g} = {m:g}"
          f"  -> contributes max(0, {m:g}) = {max(0.0, m):g}")

# %% [markdown]
# On a number line: any wrong-class score that lands in the red zone (above $s_{y_i} - \Delta$)
# adds loss, in proportion to how far into the zone it is.

# %%
fig, ax = plt.subplots(figsize=(8, 1.8))
ax.axvspan(scores[correct] - delta, 20, color="tab:red", alpha=0.15, label="zone that adds loss")
ax.axvline(scores[correct] - delta, color="tab:red", linestyle="--", linewidth=1)
for j, s_j in enumerate(scores):
    ax.plot(s_j, 0, "o", markersize=9, color="tab:green" if j == correct else "tab:grey")
    ax.annotate(f"class {j}{' (correct)' if j == correct else ''}: {s_j:g}", (s_j, 0),
                xytext=(4 if j == correct else -4, 10), textcoords="offset points",
                ha="left" if j == correct else "right")
ax.annotate("", xy=(scores[correct] - delta, -0.5), xytext=(scores[correct], -0.5),
            arrowprops={"arrowstyle": "<->"})
ax.text(scores[correct] - delta / 2, -0.45, "$\\Delta$ = 10", ha="center", va="bottom")
ax.set_xlim(-10, 20)
ax.set_ylim(-1, 1)
ax.set_yticks([])
ax.set_xlabel("score")
ax.set_title("Scores of one example; correct class 0, $\\Delta$ = 10")
ax.legend(loc="lower right", fontsize=8)
plt.show()

# %% [markdown]
# Class 1 is more than $\Delta$ below the correct score: no loss. Class 2 is only 2 below it,
# which violates the margin by 8. So $L_i = 0 + 8 = 8$.
#
# $\Delta$ is a **hyper-parameter**, fixed before training. The same scores give a different loss
# for another $\Delta$:

# %%
for d in [0.0, 1.0, 2.0, 5.0, 10.0, 20.0]:
    margins = np.maximum(0.0, scores - scores[correct] + d)
    margins[correct] = 0.0
    print(f"delta = {d:5.1f}:  loss = {margins.sum():5.1f}")

# %% [markdown]
# ## Your code: `svm_loss_naive` (loss)
#
# Open **`cs231n_lin/classifiers/linear_svm.py`** and complete **`svm_loss_naive`** with explicit
# loops over examples and classes. It returns `(loss, dW)`, where
# `loss = mean_i L_i + reg * sum(W * W)`. Write the loss first; the gradient comes next.
#
# The check below builds `W` and `X` so that the scores are exactly the worked example.

# %% tags=["nbval-check-output"]
W_ex = np.array([[13.0, -7.0, 11.0]])    # one feature, three classes
X_ex = np.array([[1.0]])                 # so the scores are W_ex[0]
loss, _ = svm_loss_naive(W_ex, X_ex, np.array([0]), reg=0.0, delta=10.0)
print(f"worked example loss: {loss:.6f}")
print("PASS: loss is 8" if abs(loss - 8.0) < 1e-9 else f"FAIL: expected 8, got {loss}; check the margins")

# With tiny weights every score is ~0, so every wrong class has margin ~delta: loss ~ (C - 1) * delta.
W_tiny = 1e-6 * np.random.default_rng(1).standard_normal(W0.shape)
loss, _ = svm_loss_naive(W_tiny, X_dev, y_dev, reg=0.0)
expected = num_classes - 1
print("PASS: tiny weights give loss ~ C - 1" if abs(loss - expected) < 1e-3
      else f"FAIL: tiny weights should give about {expected} (C - 1 with delta=1), got {loss:.4f}")
loss_reg, _ = svm_loss_naive(W_tiny, X_dev, y_dev, reg=10.0)
print("PASS: reg * sum(W*W) is added" if abs(loss_reg - loss - 10.0 * np.sum(W_tiny**2)) < 1e-12
      else "FAIL: the loss with reg should add reg * sum(W * W)")

# %% [markdown]
# ## The gradient, one score at a time
#
# Differentiate $L_i$ with respect to each score. A margin term $\max(0, s_j - s_{y_i} + \Delta)$
# has slope 1 in $s_j$ and −1 in $s_{y_i}$ when it is positive, and 0 otherwise:
#
# $$\frac{\partial L_i}{\partial s_j} = \mathbb{1}[s_j - s_{y_i} + \Delta > 0] \quad (j \neq y_i),
# \qquad \frac{\partial L_i}{\partial s_{y_i}} = -\sum_{j \neq y_i} \mathbb{1}[s_j - s_{y_i} + \Delta > 0]$$
#
# Write this rule for one score vector in the cell below.

# %%
def hinge_score_gradient(scores, y, delta=1.0):
    """dL_i/ds for one example: scores of shape (C,), correct class y. Returns shape (C,)."""
    # BEGIN SOLUTION
    positive = (scores - scores[y] + delta) > 0
    positive[y] = False
    grad = positive.astype(float)
    grad[y] = -positive.sum()
    return grad
    # END SOLUTION


# %% tags=["nbval-check-output"]
g = hinge_score_gradient(np.array([13.0, -7.0, 11.0]), 0, delta=10.0)
print("worked example dL/ds:", g)
print("PASS: [-1, 0, 1]" if np.array_equal(g, [-1.0, 0.0, 1.0])
      else "FAIL: expected [-1, 0, 1]: only class 2 violates the margin")


def hinge_of_scores(s, y, delta):
    m = np.maximum(0.0, s - s[y] + delta)
    m[y] = 0.0
    return m.sum()


ok = True
for trial in range(20):
    s = np.random.default_rng(trial).normal(scale=2.0, size=6)
    num = eval_numerical_gradient(lambda v: hinge_of_scores(v, 3, 1.0), s.copy())
    ok &= rel_error(num, hinge_score_gradient(s, 3, 1.0)) < 1e-7
print("PASS: matches the numeric gradient on 20 random score vectors" if ok
      else "FAIL: your rule disagrees with the numeric gradient")

# %% [markdown]
# ## Your code: the gradient in `svm_loss_naive`
#
# Scores are $s = x_i W$, so $\partial L_i / \partial W = x_i^\top (\partial L_i / \partial s)$:
# each positive margin adds $x_i$ to column $j$ of `dW` and subtracts $x_i$ from column $y_i$.
# Average over the examples and add $2\,\lambda W$ from the regularization term.
#
# Complete `dW` in **`svm_loss_naive`** (`cs231n_lin/classifiers/linear_svm.py`). The check
# compares it with centered differences at random entries.

# %% tags=["nbval-check-output"]
for reg in [0.0, 0.1]:
    loss, dW = svm_loss_naive(W0, X_dev, y_dev, reg)
    errs = grad_check_sparse(lambda W, reg=reg: svm_loss_naive(W, X_dev, y_dev, reg)[0], W0.copy(), dW,
                             num_checks=15, seed=0)
    print(f"reg={reg}: " + ("PASS: gradient matches the numeric gradient" if errs.max() < 1e-6
                            else "FAIL: some entries of dW disagree with the numeric gradient"))

# %% [markdown]
# ## When a gradient check disagrees: kinks
#
# The hinge has a corner where a margin is exactly 0. There the left slope is 0 and the right
# slope is 1; our code uses 0 (`margin > 0`). A centered difference straddles the corner and
# returns the average of the two slopes: 0.5 for class 2 and −0.5 for the correct class.
# Take the worked example with $\Delta = 2$: class 2's margin is $11 - 13 + 2 = 0$.

# %% tags=["nbval-check-output"]
s_kink = np.array([13.0, -7.0, 11.0])
numeric = eval_numerical_gradient(lambda v: hinge_of_scores(v, 0, 2.0), s_kink.copy())
analytic = hinge_score_gradient(s_kink, 0, delta=2.0)
print("analytic:", analytic)
print("numeric: ", numeric.round(6))
print(f"relative error: {rel_error(numeric, analytic):.3f}")

# %% [markdown]
# The relative error is large although neither is wrong: the function has no derivative there.
# With real data a margin rarely lands within $h$ of 0, so a few bad entries among many good
# ones in a gradient check are usually kinks, not bugs. Moving away from the corner by more
# than $h$ makes them agree again:

# %%
s_away = s_kink + np.array([0.0, 0.0, 1e-3])
numeric = eval_numerical_gradient(lambda v: hinge_of_scores(v, 0, 2.0), s_away.copy())
err = rel_error(numeric, hinge_score_gradient(s_away, 0, 2.0))
print(f"margin 1e-3 away from the kink: relative error {err:.1e}")

# %% [markdown]
# **Inline question 1** — A gradient check of your SVM loss reports one entry with relative error
# 0.3 and nine entries below 1e-9. Is your gradient wrong? How would you find out?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Not necessarily. A margin within $h$ of 0 (a kink) makes the centered difference average the
# two one-sided slopes. Check whether that entry's example has a margin with $|m| < h$; repeat
# with a smaller $h$, another point, or another seed: a real bug shows up at many entries and
# points, a kink only where a margin touches 0.
# <!-- END SOLUTION -->

# %% [markdown]
# ## Your code: `svm_loss_vectorized`
#
# Complete **`svm_loss_vectorized`** in `cs231n_lin/classifiers/linear_svm.py`: the same loss and
# gradient with no Python loop. Build the `(N, C)` margin matrix from `X @ W`, zero the correct
# class, take `max(0, ·)`, and get `dW` from one more product `X.T @ dS`.

# %% tags=["nbval-check-output"]
for reg in [0.0, 0.1]:
    l_naive, g_naive = svm_loss_naive(W0, X_dev, y_dev, reg)
    l_vec, g_vec = svm_loss_vectorized(W0, X_dev, y_dev, reg)
    same_loss = abs(l_naive - l_vec) < 1e-9 * max(1.0, abs(l_naive))
    same_grad = rel_error(g_naive, g_vec) < 1e-8
    print(f"reg={reg}: loss "
          + ("PASS" if same_loss else f"FAIL (naive {l_naive:.6f}, vectorized {l_vec:.6f})")
          + ", gradient " + ("PASS" if same_grad else "FAIL: dW differs from svm_loss_naive"))
W32 = W0.astype(np.float32)
l32, g32 = svm_loss_vectorized(W32, X_dev.astype(np.float32), y_dev, 0.1)
print("PASS: float32 in, float32 out" if g32.dtype == np.float32
      else f"FAIL: dW is {g32.dtype} for float32 W")

# %% [markdown]
# How much faster is it? (Times vary from machine to machine.)

# %%
X_train = add_bias(data.X_train).astype(np.float64)
X_some, y_some = X_train[:1000], data.y_train[:1000]
W_big = 0.01 * rng.standard_normal((X_train.shape[1], num_classes))
t0 = time.perf_counter()
svm_loss_naive(W_big, X_some, y_some, 0.1)
t1 = time.perf_counter()
svm_loss_vectorized(W_big, X_some, y_some, 0.1)
t2 = time.perf_counter()
print(f"naive {1000 * (t1 - t0):.1f} ms, vectorized {1000 * (t2 - t1):.2f} ms, "
      f"speed-up ~{(t1 - t0) / max(t2 - t1, 1e-9):.0f}x on {X_some.shape[0]} examples")

# %% [markdown]
# ## The scale ambiguity
#
# If $W$ classifies every example correctly with zero loss, so does $\lambda W$ for any
# $\lambda > 1$: all scores, and so all score differences, stretch by $\lambda$. The argmax, and
# with it every prediction, is unchanged, but the loss is not. On a small separable toy set:

# %%
from cs231n_lin.data import make_blobs_2d

X_toy, y_toy = make_blobs_2d(n_per_class=30, spread=0.3, seed=0)
X_toy_b = add_bias(X_toy)
centers = np.stack([X_toy[y_toy == c].mean(axis=0) for c in range(3)])
# Nearest-centre rule as a linear classifier: s_c = 2 c.x - |c|^2 (bias in the last row).
W_toy = np.vstack([2 * centers.T, -(centers**2).sum(axis=1)])
print(" lambda  accuracy  data loss  R(lambda W)")
for lam in [0.02, 0.05, 0.1, 0.2, 1.0, 10.0]:
    pred = np.argmax(X_toy_b @ (lam * W_toy), axis=1)
    data_loss, _ = svm_loss_vectorized(lam * W_toy, X_toy_b, y_toy, reg=0.0)
    print(f"{lam:7.2f}  {np.mean(pred == y_toy):8.3f}  {data_loss:9.4f}  {np.sum((lam * W_toy) ** 2):11.2f}")

# %% [markdown]
# Same accuracy on every row. The data loss shrinks as $W$ grows and stays exactly 0 once the
# margins are met: the data loss alone cannot pick one $W$ among all these scaled copies.
# Regularization adds a preference among them.

# %% [markdown]
# ## L2 regularization prefers small, spread-out weights
#
# $$R(W) = \sum_k \sum_l W_{k,l}^2, \qquad L = \frac{1}{N}\sum_i L_i + \lambda R(W)$$
#
# $R$ depends only on the weights, not on the data. Two weight vectors can give the same score
# and still have different penalties:

# %% tags=["nbval-check-output"]
x = np.array([1.0, 1.0, 1.0, 1.0])
w1 = np.array([1.0, 0.0, 0.0, 0.0])
w2 = np.array([0.25, 0.25, 0.25, 0.25])
print(f"w1 . x = {w1 @ x:.2f}   R(w1) = {np.sum(w1**2):.4f}")
print(f"w2 . x = {w2 @ x:.2f}   R(w2) = {np.sum(w2**2):.4f}")

# %% [markdown]
# Same score, but $w_2$ pays a quarter of the penalty. L2 favours weights that use all input
# dimensions a little over weights that rely on a few dimensions a lot.
#
# And the regularization loss does not depend on the data at all:

# %%
for name, (Xs, ys) in {"dev": (X_dev, y_dev), "train": (X_train, data.y_train)}.items():
    total, _ = svm_loss_vectorized(W0, Xs, ys, reg=0.1)
    data_only, _ = svm_loss_vectorized(W0, Xs, ys, reg=0.0)
    print(f"{name:5s}: full loss {total:.4f} - data loss {data_only:.4f} = {total - data_only:.4f}")
print(f"        0.1 * sum(W * W) = {0.1 * np.sum(W0**2):.4f}")

# %% [markdown]
# ## Training with SGD
#
# `LinearSVM` (a scikit-learn estimator) runs minibatch SGD on `svm_loss_vectorized`. The
# starting hyper-parameters for this dataset come from `defaults_for`.

# %%
hp = defaults_for(data.name, "svm")
print(hp)
t0 = time.perf_counter()
svm = LinearSVM(random_state=0, **hp).fit(data.X_train, data.y_train)
print(f"trained in {time.perf_counter() - t0:.2f} s")
print(f"train accuracy {svm.score(data.X_train, data.y_train):.3f}, "
      f"val accuracy {svm.score(data.X_val, data.y_val):.3f}")

# %%
ax = plot_loss_history({"LinearSVM (hinge)": svm.loss_history_})
ax.set_title(f"SVM training loss on {data.name}")
plt.show()

# %% [markdown]
# The scale ambiguity on real data: stretching the trained weights leaves the predictions alone.

# %%
Xv = add_bias(data.X_val)
for lam in [1.0, 3.0, 10.0]:
    W_lam = lam * svm.W_
    same = np.array_equal(np.argmax(Xv @ W_lam, axis=1), np.argmax(Xv @ svm.W_, axis=1))
    data_loss, _ = svm_loss_vectorized(W_lam, Xv, data.y_val, reg=0.0)
    print(f"lambda={lam:4.1f}: same predictions {same}, val data loss {data_loss:.4f}, "
          f"R(W) {np.sum(W_lam**2):9.2f}")

# %% [markdown]
# ## Does penalizing large weights help generalization?
#
# The notes claim the L2 penalty reduces overfitting. Overfitting shows most with little data,
# so train on random subsets of 100 training images, averaged over four subsets:

# %%
subsets = [np.random.default_rng(k).choice(len(data.y_train), 100, replace=False) for k in range(4)]
# An SGD step multiplies W by (1 - 2 * learning_rate * reg): keep that factor positive.
strong = min(hp["reg"] * 1000, 0.25 / hp["learning_rate"])
print(f"{'reg':>8} {'train acc':>10} {'val acc':>8} {'|W|':>6}")
for reg in [0.0, hp["reg"] * 30, strong]:
    tr, va, norm = [], [], []
    for idx in subsets:
        m = LinearSVM(learning_rate=hp["learning_rate"], reg=reg, num_iters=300, batch_size=50,
                      random_state=0).fit(data.X_train[idx], data.y_train[idx])
        tr.append(m.score(data.X_train[idx], data.y_train[idx]))
        va.append(m.score(data.X_val, data.y_val))
        norm.append(np.linalg.norm(m.W_))
    print(f"{reg:8.3g} {np.mean(tr):10.3f} {np.mean(va):8.3f} {np.mean(norm):6.2f}")

# %% [markdown]
# A moderate penalty gives smaller weights, slightly lower training accuracy and slightly
# *higher* validation accuracy: less overfitting. Too much penalty underfits. That is why
# $\lambda$ is chosen on validation data.

# %% [markdown]
# ## Weight templates
#
# Each column of `W` (without the bias row) has one weight per pixel, so it can be shown as an
# image: the "template" a class's score matches. Red pixels raise the score, blue ones lower it.

# %%
fig = plot_weight_templates(svm.W_, data.image_shape, data.class_names,
                            title=f"LinearSVM weight templates ({data.name})")
plt.show()

# %% [markdown]
# ## A small hyper-parameter search
#
# Try a grid of learning rates and regularization strengths around the defaults, with shorter
# training, and keep the best on the **validation** split.

# %%
grid = [(hp["learning_rate"] * a, hp["reg"] * b) for a in (0.3, 1.0, 3.0) for b in (0.1, 1.0, 10.0)]
results = {}
for lr, reg in progress(grid, desc="search"):
    model = LinearSVM(learning_rate=lr, reg=reg, num_iters=200, batch_size=hp["batch_size"],
                      random_state=0).fit(data.X_train, data.y_train)
    results[(lr, reg)] = (model.score(data.X_train, data.y_train), model.score(data.X_val, data.y_val), model)
print(f"{'learning rate':>13} {'reg':>9} {'train':>6} {'val':>6}")
for (lr, reg), (tr, va, _) in results.items():
    print(f"{lr:13.3g} {reg:9.3g} {tr:6.3f} {va:6.3f}")
best = max(results, key=lambda k: results[k][1])
print(f"best on val: learning rate {best[0]:.3g}, reg {best[1]:.3g}")

# %%
best_model = results[best][2]
print(f"test accuracy of the best model: {best_model.score(data.X_test, data.y_test):.3f}")

# %% [markdown]
# **Inline question 2** — The search above varies the learning rate and $\lambda$ but keeps
# $\Delta = 1$. Why is it safe not to tune $\Delta$ as well?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# $\Delta$ and $\lambda$ control the same trade-off. Scaling $W$ scales every score difference, so
# a margin of $\Delta$ with weights $W$ is the same as a margin of 1 with weights $W / \Delta$.
# The only thing that limits how far the weights may stretch is the regularization strength
# $\lambda$, so tuning $\lambda$ already covers the choice of $\Delta$.
# <!-- END SOLUTION -->
