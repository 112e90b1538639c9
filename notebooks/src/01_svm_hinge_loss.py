# Source of notebooks/01_svm_hinge_loss.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 1. The multiclass SVM (hinge) loss
#
# A linear classifier gives every class a **score**. The multiclass SVM loss asks that the
# correct class score beat every other score by at least a margin $\Delta$. In this notebook you
# write that loss and its gradient, train a linear SVM with your own SGD step, and choose its
# hyper-parameters on validation data.
#
# **What you will write** (about 3 to 4 hours in all). Each piece is followed right away by a
# check cell: run it when you have written the piece; it prints `PASS`, or `FAIL` with what is
# wrong and its likely cause.
#
# | where | what | about |
# |---|---|---|
# | `cs231n_lin/classifiers/linear_svm.py` | `svm_loss_naive`: the loss, with loops | 30 min |
# | this notebook | `hinge_score_gradient`: the gradient for one example's scores | 20 min |
# | `cs231n_lin/classifiers/linear_svm.py` | `svm_loss_naive`: the gradient `dW` | 30 min |
# | `cs231n_lin/classifiers/linear_svm.py` | `svm_loss_vectorized`: loss and gradient, no loops | 45 min |
# | `cs231n_lin/classifiers/linear_classifier.py` | `fit` (the SGD step) and `predict` | 20 min |
# | this notebook | a search grid and `search_hyperparameters` | 30 min |
# | this notebook | six inline questions (answer in the cell below each) | 40 min |
#
# Edit the files in any editor; `%autoreload` (first cell) picks up most changes when you re-run
# a cell. If a change does not seem to take effect, restart the kernel and run the cells again.

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone

from cs231n_lin import checks
from cs231n_lin.classifiers import LinearSVM
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.data import add_bias, load_dataset
from cs231n_lin.gradient_check import eval_numerical_gradient, grad_check_sparse, rel_error
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis import (
    best_on_grid_edge,
    per_example_losses,
    plot_loss_history,
    plot_margin_number_line,
    plot_regularization_sweep,
    plot_search_heatmap,
    plot_weight_templates,
)

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
# (or above it). Worked example: scores $[13, -7, 11]$, correct class 0, $\Delta = 10$:
#
# * class 1: $\max(0,\; -7 - 13 + 10) = \max(0, -10) = 0$;
# * class 2: $\max(0,\; 11 - 13 + 10) = \max(0, 8) = 8$;
#
# so $L_i = 0 + 8 = 8$. On a number line, with the correct class on its own line (the zone
# concerns only the other classes):

# %%
ax = plot_margin_number_line([13.0, -7.0, 11.0], correct=0, delta=10.0)
ax.set_title(r"Scores of one example: correct class 0, $\Delta$ = 10")
plt.show()

# %% [markdown]
# Class 1 is more than $\Delta$ below the correct score: no loss. Class 2 is only 2 below it, so
# it is 8 inside the zone: it violates the margin by 8, and that is its loss.
#
# ## Your code: `svm_loss_naive` (the loss)
#
# Open **`cs231n_lin/classifiers/linear_svm.py`** and complete the loss in **`svm_loss_naive`**
# with explicit loops over the examples and the classes (the loops are there). It returns
# `(loss, dW)` with `loss = mean_i L_i + reg * sum(W * W)`. Write the loss now; `dW` comes in a
# later section (until then the check below looks only at the loss).

# %% tags=["nbval-check-output"]
checks.svm_naive_loss(svm_loss_naive)

# %% [markdown]
# **Inline question 1** — With tiny random weights every score is close to 0. What loss do you
# expect then, in terms of $C$ and $\Delta$, and why? Answer first, then run the cell after your
# answer to compare.

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Every score is about 0, so every margin $s_j - s_{y_i} + \Delta$ is about $\Delta > 0$: each of
# the $C - 1$ wrong classes adds $\Delta$, and $L_i \approx (C - 1)\Delta$ for every example, so
# the mean is $(C - 1)\Delta$ (9 here, with 10 classes and $\Delta = 1$). The regularization term
# is negligible for tiny weights. A first loss far from this value signals a bug.
# <!-- END SOLUTION -->

# %%
W_tiny = 1e-6 * np.random.default_rng(1).standard_normal(W0.shape)
loss_tiny, _ = svm_loss_naive(W_tiny, X_dev, y_dev, reg=0.0)
print(f"loss with tiny weights: {loss_tiny:.4f}   (C = {num_classes}, delta = 1)")

# %% [markdown]
# $\Delta$ is a **hyper-parameter**, fixed before training. Your function gives the worked
# example's loss for other values of $\Delta$ (a `W` with one feature and `X = [[1]]` makes the
# scores exactly $[13, -7, 11]$):

# %%
W_ex, X_ex, y_ex = np.array([[13.0, -7.0, 11.0]]), np.array([[1.0]]), np.array([0])
for d in [0.0, 1.0, 2.0, 5.0, 10.0, 20.0]:
    loss_d, _ = svm_loss_naive(W_ex, X_ex, y_ex, reg=0.0, delta=d)
    print(f"delta = {d:5.1f}:  loss = {loss_d:5.1f}")

# %% [markdown]
# ## The gradient, one score at a time
#
# Differentiate $L_i$ with respect to each score. Each term
# $\max(0,\; s_j - s_{y_i} + \Delta)$, $j \neq y_i$, depends on two scores: $s_j$ and $s_{y_i}$.
# Work out on paper
#
# * $\partial L_i / \partial s_j$ for a wrong class $j$ (which terms of the sum contain $s_j$?), and
# * $\partial L_i / \partial s_{y_i}$ for the correct class (which terms contain $s_{y_i}$?).
#
# $\max(0, m)$ has no derivative at $m = 0$; there this course uses the slope 0 (a margin counts
# only when it is $> 0$). Then write your result as code, for one score vector, in the cell below.

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
checks.hinge_score_gradient(hinge_score_gradient)

# %% [markdown]
# ## Your code: the gradient in `svm_loss_naive`
#
# The scores of example $i$ are $s = x_i W$, with $x_i$ a row of $D$ numbers and $W$ of shape
# $(D, C)$. You have $\partial L_i / \partial s$ ($C$ numbers); the chain rule takes you to
# $\partial L_i / \partial W$, which has the shape of $W$. Then remember that the loss averages
# over the examples and adds $\lambda \sum W^2$.
#
# Complete `dW` in **`svm_loss_naive`** (`cs231n_lin/classifiers/linear_svm.py`).

# %% tags=["nbval-check-output"]
checks.svm_naive_gradient(svm_loss_naive)

# %% [markdown]
# The check compares with stored results. You can also check a gradient yourself, with no
# stored answer: compare it with centered differences $(L(W + h) - L(W - h)) / 2h$ at a few
# random entries of $W$ (`grad_check_sparse` returns the relative errors; below about $10^{-7}$
# means they agree):

# %%
for reg in [0.0, 0.1]:
    _, dW = svm_loss_naive(W0, X_dev, y_dev, reg)
    errs = grad_check_sparse(lambda W, reg=reg: svm_loss_naive(W, X_dev, y_dev, reg)[0], W0.copy(), dW,
                             num_checks=10, seed=0)
    print(f"reg = {reg}: largest relative error at 10 random entries: {errs.max():.1e}")

# %% [markdown]
# ## When a gradient check disagrees: kinks
#
# Take the worked example with $\Delta = 2$: class 2's margin is $11 - 13 + 2 = 0$ exactly. Your
# gradient and the centered difference of your loss, at these weights:

# %%
_, analytic = svm_loss_naive(W_ex, X_ex, y_ex, reg=0.0, delta=2.0)
numeric = eval_numerical_gradient(lambda W: svm_loss_naive(W, X_ex, y_ex, 0.0, delta=2.0)[0], W_ex.copy())
print("analytic:", analytic[0])
print("numeric: ", numeric[0].round(6))
print(f"relative error: {rel_error(numeric, analytic):.3f}")

# %% [markdown]
# **Inline question 2** — The two disagree completely (relative error 1). Is your gradient
# wrong? In a gradient check on real data, a few entries may disagree like this while most agree
# to $10^{-9}$: what could cause it, is it a reason for concern, and how would you tell it from a
# bug?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Not necessarily wrong: the hinge $\max(0, m)$ has a corner (a kink) at $m = 0$, where the slope
# is 0 on the left and 1 on the right. The centered difference straddles the corner and returns
# the average of the two, 0.5 (and −0.5 for the correct class), while the code uses the slope 0.
# In a check of $\partial L / \partial W_{kc}$ the step $h$ in $W_{kc}$ moves the score of
# example $i$ by $h\,x_{ik}$, so a kink is crossed when some margin satisfies
# $|m| < h\,|x_{ik}|$. That is rare with real data, and harmless for training. To tell it from a
# bug: look at the margins of the examples involved (is one within $h|x_{ik}|$ of 0?), repeat with
# a smaller $h$, at another $W$ or with another seed; a kink disagreement disappears, a bug shows
# at many entries and points.
# <!-- END SOLUTION -->

# %% [markdown]
# Moving the margin away from the corner by more than $h$ makes them agree again:

# %%
W_away = W_ex + np.array([[0.0, 0.0, 1e-3]])
_, analytic = svm_loss_naive(W_away, X_ex, y_ex, reg=0.0, delta=2.0)
numeric = eval_numerical_gradient(lambda W: svm_loss_naive(W, X_ex, y_ex, 0.0, delta=2.0)[0], W_away.copy())
print(f"margin 1e-3 away from the kink: relative error {rel_error(numeric, analytic):.1e}")

# %% [markdown]
# **Inline question 3** — How does the choice of $\Delta$ change how often a gradient check
# meets a kink? Think of where the margins are when training starts (small $W$), and what
# $\Delta = 0$ would do there.

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Kinks are where a margin $s_j - s_{y_i} + \Delta$ is exactly 0. With small weights all scores
# are near 0, so all margins sit near $\Delta$. With $\Delta = 0$ they all sit near 0, on the
# kinks: a gradient check at the start of training would disagree at many entries. A larger
# $\Delta$ (relative to the spread of the score differences) keeps the margins away from 0, so
# kinks are met rarely; as training spreads the scores out, margins cross 0 now and then and a
# check meets a kink only occasionally.
# <!-- END SOLUTION -->

# %% [markdown]
# ## Your code: `svm_loss_vectorized`
#
# Complete **`svm_loss_vectorized`** in `cs231n_lin/classifiers/linear_svm.py`: the same loss
# and gradient with no Python loop over the examples or the classes. Shapes: `X` is `(N, D)`,
# `W` is `(D, C)`, the scores `(N, C)`; every temporary you need can be `(N, C)`, and `dW` is
# `(D, C)`. Numpy operations that help: integer array indexing (`a[np.arange(N), y]` picks one
# entry per row), broadcasting, `np.maximum`, comparisons (boolean arrays) and `.astype`,
# `.sum(axis=...)`, and matrix products. The check compares with stored results, so it does not
# depend on your naive version.

# %% tags=["nbval-check-output"]
checks.svm_vectorized(svm_loss_vectorized)

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
print(f"naive {1000 * (t1 - t0):.1f} ms, vectorized {1000 * (t2 - t1):.2f} ms: "
      f"vectorized is ~{(t1 - t0) / max(t2 - t1, 1e-9):.0f}x faster on {X_some.shape[0]} examples")

# %% [markdown]
# ## The scale ambiguity
#
# Stretch the weights by a factor $\alpha > 0$: every score, and every score difference, is
# multiplied by $\alpha$. The argmax does not move, so the predictions are the same for every
# $\alpha$; the loss is not. Suppose $W$ meets every margin (data loss 0): then so does
# $\alpha W$ for any $\alpha > 1$, since the differences only grow. On a small separable toy set,
# with a nearest-centre rule written as a linear classifier:

# %%
from cs231n_lin.data import make_blobs_2d

X_toy, y_toy = make_blobs_2d(n_per_class=30, spread=0.3, seed=0)
X_toy_b = add_bias(X_toy)
centers = np.stack([X_toy[y_toy == c].mean(axis=0) for c in range(3)])
# Nearest-centre rule as a linear classifier: s_c = 2 c.x - |c|^2 (bias in the last row).
W_toy = np.vstack([2 * centers.T, -(centers**2).sum(axis=1)])
print("  alpha  accuracy  data loss  R(alpha W)")
for alpha in [0.02, 0.05, 0.1, 0.2, 1.0, 10.0]:
    pred = np.argmax(X_toy_b @ (alpha * W_toy), axis=1)
    data_loss, _ = svm_loss_vectorized(alpha * W_toy, X_toy_b, y_toy, reg=0.0)
    penalty = np.sum((alpha * W_toy) ** 2)
    print(f"{alpha:7.2f}  {np.mean(pred == y_toy):8.3f}  {data_loss:9.4f}  {penalty:10.2f}")

# %% [markdown]
# Same accuracy on every row. For small $\alpha$ the score differences are smaller than
# $\Delta$ and the data loss is positive; it shrinks as $\alpha$ grows and is exactly 0 once every
# margin is met (from $\alpha = 0.2$ here). From there on the data loss cannot choose among the
# scaled copies, and without a penalty nothing stops $W$ from growing. The regularization term
# $R(\alpha W) = \alpha^2 R(W)$ adds a preference: the smallest $W$ that does the job.

# %% [markdown]
# ## L2 regularization prefers small, spread-out weights
#
# $$R(W) = \sum_k \sum_l W_{k,l}^2, \qquad L = \frac{1}{N}\sum_i L_i + \lambda R(W)$$
#
# $R$ depends only on the weights, not on the data. Two weight vectors can give the same score
# and still have different penalties:

# %%
x = np.array([1.0, 1.0, 1.0, 1.0])
w1 = np.array([1.0, 0.0, 0.0, 0.0])
w2 = np.array([0.25, 0.25, 0.25, 0.25])
print(f"w1 . x = {w1 @ x:.2f}   R(w1) = {np.sum(w1**2):.4f}")
print(f"w2 . x = {w2 @ x:.2f}   R(w2) = {np.sum(w2**2):.4f}")

# %% [markdown]
# Same score, but $w_2$ pays a quarter of the penalty. L2 favours weights that use all input
# dimensions a little over weights that rely on a few dimensions a lot.
#
# And the regularization loss does not depend on the data at all (your vectorized loss on two
# data sets, with and without `reg`):

# %%
for name, (Xs, ys) in {"dev": (X_dev, y_dev), "train": (X_train, data.y_train)}.items():
    total, _ = svm_loss_vectorized(W0, Xs, ys, reg=0.1)
    data_only, _ = svm_loss_vectorized(W0, Xs, ys, reg=0.0)
    print(f"{name:5s}: full loss {total:.4f} - data loss {data_only:.4f} = {total - data_only:.4f}")
print(f"        0.1 * sum(W * W) = {0.1 * np.sum(W0**2):.4f}")

# %% [markdown]
# **Inline question 4** — All the training in this course keeps $\Delta = 1$ and tunes only the
# learning rate and $\lambda$. Why is it safe not to tune $\Delta$ as well? (Hint: what happens
# to the loss if you divide $W$ by $\Delta$?)

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Dividing every margin term by $\Delta$ gives
# $\max(0, s_j - s_{y_i} + \Delta) = \Delta \max(0, s_j/\Delta - s_{y_i}/\Delta + 1)$, and the scores
# of $W/\Delta$ are $s/\Delta$. With the penalty $\lambda \|W\|^2 = \Delta \cdot (\lambda\Delta)
# \|W/\Delta\|^2$ this gives $L(W; \Delta, \lambda) = \Delta \cdot L(W/\Delta; 1, \lambda\Delta)$.
# Minimizing the left side over $W$ is minimizing the right side over $V = W/\Delta$: the SVM with
# margin $\Delta$ and strength $\lambda$ is the SVM with margin 1 and strength $\lambda\Delta$,
# with every weight scaled by $\Delta$ (the same predictions). $\Delta$ and $\lambda$ control the
# one trade-off, so tuning $\lambda$ with $\Delta = 1$ covers every $\Delta$.
# <!-- END SOLUTION -->

# %% [markdown]
# Check the identity $L(W; \Delta, \lambda) = \Delta \cdot L(W/\Delta;\, 1, \lambda\Delta)$
# numerically with your vectorized loss, for a few values of $\Delta$ and $\lambda$:

# %%
print(f"{'delta':>6} {'lambda':>7} {'L(W; delta, lambda)':>20} {'delta * L(W/delta; 1, lambda delta)':>36}")
for d, lam in [(0.5, 0.1), (2.0, 0.1), (10.0, 0.01), (3.0, 0.0)]:
    left, _ = svm_loss_vectorized(W0, X_dev, y_dev, lam, delta=d)
    right, _ = svm_loss_vectorized(W0 / d, X_dev, y_dev, lam * d, delta=1.0)
    print(f"{d:6.1f} {lam:7.2f} {left:20.10f} {d * right:36.10f}")

# %% [markdown]
# ## Your code: the SGD step and `predict`
#
# `LinearSVM` (a scikit-learn estimator) trains by minibatch SGD on your vectorized loss; the
# loop lives in its parent class. Open **`cs231n_lin/classifiers/linear_classifier.py`**:
#
# * in **`LinearClassifier.fit`**, inside the loop over iterations, take one SGD step: draw a
#   minibatch of `batch_size` training examples (with replacement, from `rng`), compute the loss
#   and gradient on it with `self.loss`, and update `W` with the learning rate. Store the
#   minibatch loss in `loss` (it goes into `loss_history_`);
# * in **`LinearClassifier.predict`**, turn the `(N, C)` scores into `N` predicted labels.
#
# The first check trains with a loss whose gradient it knows and follows every step; the second
# gives `predict` stored weights and string labels.

# %% tags=["nbval-check-output"]
checks.sgd_step(LinearSVM)

# %% tags=["nbval-check-output"]
checks.predict(LinearSVM)

# %% [markdown]
# ## Training with SGD
#
# The starting hyper-parameters for this dataset come from `defaults_for`.

# %%
hp = defaults_for(data.name, "svm")
print(hp)
t0 = time.perf_counter()
svm = LinearSVM(random_state=0, **hp).fit(data.X_train, data.y_train)
print(f"trained in {time.perf_counter() - t0:.2f} s")
print(f"train accuracy {svm.score(data.X_train, data.y_train):.3f}, "
      f"val accuracy {svm.score(data.X_val, data.y_val):.3f}")

# %% [markdown]
# The weights start tiny, so the first loss should be close to your answer to inline question 1,
# $C - 1$ (the dotted line). It then falls by more than an order of magnitude, hence the log
# scale.

# %%
ax = plot_loss_history({"LinearSVM (hinge)": svm.loss_history_}, expected_initial=num_classes - 1,
                       expected_label=f"expected at the start: C - 1 = {num_classes - 1}", logy=True)
ax.set_title(f"SVM training loss on {data.name}")
plt.show()

# %% [markdown]
# ## The scale ambiguity on trained weights
#
# Stretch the trained weights by $\alpha$: the predictions stay, the data loss moves. Split the
# validation data loss into the part from examples the model classifies correctly and the part
# from those it gets wrong:

# %%
Xv, yv = add_bias(data.X_val), data.y_val
print(f"{'alpha':>5} {'same predictions':>16} {'val data loss':>13} {'from correct':>12} {'from wrong':>10}")
for alpha in [1.0, 3.0, 10.0]:
    scores_a = Xv @ (alpha * svm.W_)
    right = np.argmax(scores_a, axis=1) == yv
    same = np.array_equal(np.argmax(scores_a, axis=1), np.argmax(Xv @ svm.W_, axis=1))
    per = per_example_losses(scores_a, yv, "hinge")          # L_i from your svm_loss_vectorized
    print(f"{alpha:5.0f} {same!s:>16} {per.mean():13.4f} {per[right].sum() / len(yv):12.4f} "
          f"{per[~right].sum() / len(yv):10.4f}")

# %% [markdown]
# The predictions never change, but the loss does, in two opposite ways. A correctly classified
# example whose margins are not yet met has small violations; stretching pushes its correct score
# further ahead, and its loss shrinks to 0. A misclassified example has a wrong score above the
# correct one; stretching multiplies that difference, and its loss grows with $\alpha$ (only
# the score-difference part of each violation is multiplied, not the $\Delta$ in it). At
# $\alpha = 3$ the first effect wins (the loss falls); at $\alpha = 10$ the few misclassified
# examples dominate (the loss rises). The data loss is therefore not blind to the scale, yet it
# cannot keep the weights small once the margins are met: the penalty $\lambda R(W)$ does that.

# %% [markdown]
# ## Does penalizing large weights help generalization?
#
# The notes claim that the L2 penalty reduces overfitting. Overfitting shows most with little
# data, so train on random subsets of 50 training images, for 6 values of $\lambda$ and 10
# different subsets each, and measure training and validation accuracy. (An SGD step multiplies
# $W$ by $1 - 2\,\text{learning rate}\cdot\lambda$, which must stay positive: $\lambda \le 1$ here.)

# %%
regs_sweep = [0.0, 1e-2, 3e-2, 0.1, 0.3, 1.0]
subsets = [np.random.default_rng(k).choice(len(data.y_train), 50, replace=False) for k in range(10)]
train_acc = np.zeros((len(regs_sweep), len(subsets)))
val_acc = np.zeros_like(train_acc)
for r, reg in enumerate(regs_sweep):
    for k, idx in enumerate(subsets):
        m = LinearSVM(learning_rate=hp["learning_rate"], reg=reg, num_iters=300, batch_size=50,
                      random_state=0).fit(data.X_train[idx], data.y_train[idx])
        train_acc[r, k] = m.score(data.X_train[idx], data.y_train[idx])
        val_acc[r, k] = m.score(data.X_val, data.y_val)
fig = plot_regularization_sweep(regs_sweep, train_acc, val_acc)
fig.suptitle(f"Linear SVM on subsets of 50 {data.name} training images")
plt.show()
gain = val_acc - val_acc[0]            # paired: the same subset, with and without the penalty
print(f"{'reg':>6} {'val acc':>8} {'gain over reg=0':>16} {'subsets better/same/worse':>26} {'gap':>6}")
for r, reg in enumerate(regs_sweep):
    print(f"{reg:6g} {val_acc[r].mean():8.3f} {gain[r].mean():+16.3f} "
          f"{np.sum(gain[r] > 0):>18}/{np.sum(gain[r] == 0)}/{np.sum(gain[r] < 0)}"
          f" {np.mean(train_acc[r] - val_acc[r]):6.3f}")

# %% [markdown]
# What the data show, in the stored run on digits (200 validation images, so 0.005 is one
# image): a small penalty helps a little and fairly consistently. At $\lambda = 0.03$ validation
# accuracy rises by about 1.3 points (2 to 3 images) on average, and on 8 of the 10 subsets;
# the train–validation gap narrows only slightly (about 0.20 to 0.19). The spread from one
# subset to another (the error bars) is larger than this gain: which 50 images you train on
# matters more than the penalty. Stronger penalties underfit:
# training and validation accuracy fall together and the gap does not close. On digits the hinge
# loss stops pushing once the margins are met, so the weights stay moderate even without a
# penalty; expect a clearer effect on a harder dataset (run this notebook with
# `CS231N_LIN_DATASET=cifar10` if you have CIFAR-10). Either way $\lambda$ is chosen on
# validation data, as in the search below.

# %% [markdown]
# ## Weight templates
#
# Each column of `W` (without the bias row) has one weight per pixel, so it can be shown as an
# image: the "template" a class's score matches. The inputs were mean-subtracted (the average
# training image was removed from every image), so a weight says how much a pixel that is
# *brighter than average* raises (red) or lowers (blue) that class's score.

# %%
fig = plot_weight_templates(svm.W_, data.image_shape, data.class_names,
                            title=f"LinearSVM weight templates ({data.name})")
plt.show()

# %% [markdown]
# **Inline question 5** — Describe what the templates look like. Why do they look this way,
# and why are they not simply pictures of an average member of each class?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# They look like rough, blotchy sketches of the classes rather than clean digits: in the stored
# run the 0 template is blue (negative) down the middle, where a zero has its hole and a one its
# stroke, and the 1 template is red along a short stroke at the top centre.
# A linear classifier has one template per class and scores an image by its dot product with it,
# so each template must match all the members of its class at once: it ends up as a blurred
# average of the class's typical strokes (on CIFAR-10, an average colour and a blurry shape:
# a "two-headed horse", a car in a dominant colour). But the SVM only needs each class to beat
# the others by $\Delta$, so a template also carries negative weights where *other* classes have
# ink (the hole of a zero, the gaps that distinguish 3 from 8): it is a discriminative template,
# not a class mean. And pixels that rarely vary get weights close to 0 (L2 pushes unused weights
# towards 0), while noise in the templates comes from SGD on a small training set.
# <!-- END SOLUTION -->

# %% [markdown]
# ## Your code: a hyper-parameter search
#
# Choose the learning rate and $\lambda$ on the **validation** split. Both act by their order of
# magnitude, so search a **log grid**: values evenly spaced in $\log$ (e.g. with `np.logspace`).
# First pick the two lists; at least 3 values each, around the defaults printed above.

# %%
learning_rates, regs = None, None                 # your two lists replace these
# BEGIN SOLUTION
learning_rates = np.logspace(-1, 0.5, 4)          # 0.1 ... 3.2
regs = np.logspace(-4, -1, 4)                     # 1e-4 ... 0.1
# END SOLUTION

# %% tags=["nbval-check-output"] points=0
checks.log_grid(learning_rates, regs)

# %% [markdown]
# Then write `search_hyperparameters`: for every pair (learning rate, $\lambda$) train a fresh
# copy of `estimator` with those two values (`clone(estimator).set_params(...)`), and record its
# accuracy on the training and on the validation data. Return the results and the best pair.

# %%
def search_hyperparameters(estimator, learning_rates, regs, X_train, y_train, X_val, y_val):
    """Train a copy of ``estimator`` for each (learning rate, reg) pair and score it.

    Returns
    -------
    results : dict
        ``(learning_rate, reg) -> (train_accuracy, val_accuracy)`` for every pair.
    best : tuple
        The ``(learning_rate, reg)`` pair with the highest validation accuracy.
    """
    # BEGIN SOLUTION
    results = {}
    for lr in learning_rates:
        for reg in regs:
            model = clone(estimator).set_params(learning_rate=lr, reg=reg).fit(X_train, y_train)
            results[(lr, reg)] = (model.score(X_train, y_train), model.score(X_val, y_val))
    best = max(results, key=lambda pair: results[pair][1])
    return results, best
    # END SOLUTION


# %% tags=["nbval-check-output"] points=0
checks.search_hyperparameters(search_hyperparameters)

# %% [markdown]
# Run it with shorter training (300 steps instead of 1500, to keep the search quick). The heat
# map boxes the best cell; if it sits on an edge of the grid, the best values may lie outside
# what you searched: widen the grid in that direction and run again.

# %%
t0 = time.perf_counter()
results, best = search_hyperparameters(
    LinearSVM(num_iters=300, batch_size=hp["batch_size"], random_state=0), learning_rates, regs,
    data.X_train, data.y_train, data.X_val, data.y_val)
print(f"{len(results)} models in {time.perf_counter() - t0:.1f} s; best on validation: "
      f"learning rate {best[0]:.3g}, reg {best[1]:.3g} (val accuracy {results[best][1]:.3f})")
edges = best_on_grid_edge(results, best)
if edges:
    print("WARNING: the best pair is on the edge of the grid (" + "; ".join(edges) + "): widen the grid")
plot_search_heatmap(results, best)
plt.show()

# %% [markdown]
# Neighbouring cells that differ by 0.005 differ by one validation image: do not read much into
# such differences. Finally, train the chosen model with the full number of steps, and measure
# the **test** accuracy once, at the very end: it estimates how the model does on new data only
# if nothing was chosen by looking at it.

# %%
final = LinearSVM(learning_rate=best[0], reg=best[1], num_iters=hp["num_iters"], batch_size=hp["batch_size"],
                  random_state=0).fit(data.X_train, data.y_train)
print(f"val accuracy {final.score(data.X_val, data.y_val):.3f}, "
      f"test accuracy {final.score(data.X_test, data.y_test):.3f}")

# %% [markdown]
# **Inline question 6** — Suppose the best cell of your heat map were in a corner, say at the
# largest learning rate and the smallest $\lambda$. What would you conclude, and what would you
# do next? Why must the test split not be used to make that choice?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# That the optimum may lie outside the grid: the accuracy might keep improving with a larger
# learning rate or a smaller $\lambda$. Extend the grid past that corner (and, once the best is
# inside, refine it around the best values, still on a log scale) and search again. The test
# split must stay untouched: every choice made by looking at a split fits that split a little,
# so a test accuracy used for choosing would be optimistic and would no longer estimate the
# accuracy on new data.
# <!-- END SOLUTION -->
