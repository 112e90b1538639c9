# Source of notebooks/02_squared_hinge.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 2. Hinge vs squared hinge (L2-SVM)
#
# The squared hinge squares each margin violation:
#
# $$L_i = \sum_{j \neq y_i} \max(0,\; s_j - s_{y_i} + \Delta)^2$$
#
# It punishes large violations more (quadratically instead of linearly) and small ones less.
# In this notebook: the loss and its gradient, both curves side by side, and both classifiers
# trained on the same split.

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin.classifiers import LinearSVM
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.data import add_bias, load_dataset
from cs231n_lin.gradient_check import eval_numerical_gradient, grad_check_sparse, rel_error
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis import plot_loss_history

np.set_printoptions(precision=4, suppress=True)
data = load_dataset()
print(data.summary())

# %% [markdown]
# ## The worked example, both ways
#
# Scores $[13, -7, 11]$, correct class 0, $\Delta = 10$: the only violated margin is 8.

# %%
scores = np.array([13.0, -7.0, 11.0])
margins = np.maximum(0.0, scores - scores[0] + 10.0)
margins[0] = 0.0
print("margins:", margins)
print(f"hinge loss         = sum(margins)    = {margins.sum():g}")
print(f"squared hinge loss = sum(margins**2) = {(margins**2).sum():g}")

# %% [markdown]
# ## Your code: one margin, both losses and their slopes
#
# For a single margin $m = s_j - s_{y_i} + \Delta$ write the loss and its derivative $d\,\ell/dm$:
#
# | | loss $\ell(m)$ | slope $d\ell/dm$ |
# |---|---|---|
# | hinge | $\max(0, m)$ | $\mathbb{1}[m > 0]$ |
# | squared hinge | $\max(0, m)^2$ | $2\max(0, m)$ |
#
# Work elementwise on an array of margins.

# %%
def margin_loss(m, squared=False):
    """Loss and slope of each margin in the array m; returns two arrays of m's shape."""
    # BEGIN SOLUTION
    positive = np.maximum(0.0, m)
    if squared:
        return positive**2, 2.0 * positive
    return positive, (m > 0).astype(float)
    # END SOLUTION


# %% tags=["nbval-check-output"]
m = np.array([-2.0, -0.5, 0.5, 2.0])
for squared in (False, True):
    loss, slope = margin_loss(m, squared)
    print(f"squared={squared!s:5}: loss {loss}, slope {slope}")
ok = True
for squared in (False, True):
    for m0 in np.linspace(-3, 3, 13) + 0.05:             # away from the kink at 0
        num = eval_numerical_gradient(lambda v, sq=squared: float(margin_loss(v, sq)[0].sum()),
                                      np.array([m0]))
        ok &= abs(num[0] - margin_loss(np.array([m0]), squared)[1][0]) < 1e-6
print("PASS: slopes match the numeric derivative" if ok
      else "FAIL: a slope disagrees with the numeric derivative")

# %% [markdown]
# ## The two curves
#
# Left: the loss of one margin. Right: its slope, which is what SGD follows.

# %%
m = np.linspace(-2, 3, 501)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
for squared, label in [(False, "hinge  max(0, m)"), (True, "squared hinge  max(0, m)$^2$")]:
    loss, slope = margin_loss(m, squared)
    axes[0].plot(m, loss, label=label)
    axes[1].plot(m, slope, label=label)
for ax, title in zip(axes, ["loss of one margin", "slope d loss / d m"], strict=True):
    ax.axvline(0, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel("margin m = $s_j - s_{y_i} + \\Delta$")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
axes[0].set_ylabel("loss")
axes[1].set_ylabel("slope")
fig.tight_layout()
plt.show()

# %% [markdown]
# * For $0 < m < 1$ the squared hinge is *smaller* (0.5 becomes 0.25); for $m > 1$ it is larger
#   and keeps growing faster: one badly violated margin dominates the loss.
# * The hinge slope jumps from 0 to 1 at $m = 0$; the squared-hinge slope $2\max(0,m)$ is
#   continuous, so the loss has no kink there.

# %% [markdown]
# ## No kink, so the gradient check agrees even at $m = 0$
#
# The worked example with $\Delta = 2$ puts class 2's margin exactly at 0 (see notebook 1).

# %% tags=["nbval-check-output"]
W_kink = np.array([[13.0, -7.0, 11.0]])
X_one, y_one = np.array([[1.0]]), np.array([0])
for squared in (False, True):
    _, dW = svm_loss_naive(W_kink, X_one, y_one, reg=0.0, delta=2.0, squared=squared)
    num = eval_numerical_gradient(lambda W, sq=squared: svm_loss_naive(W, X_one, y_one, 0.0, 2.0, sq)[0],
                                  W_kink.copy())
    print(f"squared={squared!s:5}: analytic {dW[0]}, numeric {num[0].round(6) + 0.0}, "
          f"largest difference {np.abs(num - dW).max():.1e}")

# %% [markdown]
# ## Your code: the squared hinge in the loss functions
#
# Both `svm_loss_naive` and `svm_loss_vectorized` in **`cs231n_lin/classifiers/linear_svm.py`**
# take `squared=True`. Make both compute the squared hinge and its gradient: the slope of each
# positive margin is $2m$ instead of 1, so each positive margin adds $2m\,x_i$ to column $j$ of
# `dW` and subtracts it from column $y_i$.

# %% tags=["nbval-check-output"]
X_dev = add_bias(data.X_dev).astype(np.float64)
y_dev = data.y_dev
D = X_dev.shape[1]
W0 = 2.0 / np.sqrt(D) * np.random.default_rng(0).standard_normal((D, data.num_classes))
l_ex, _ = svm_loss_naive(np.array([[13.0, -7.0, 11.0]]), X_one, y_one, reg=0.0, delta=10.0, squared=True)
print(f"worked example, squared hinge: {l_ex:.6f}")
print("PASS: 64" if abs(l_ex - 64.0) < 1e-9 else f"FAIL: expected 8**2 = 64, got {l_ex}")
l_n, g_n = svm_loss_naive(W0, X_dev, y_dev, 0.1, squared=True)
errs = grad_check_sparse(lambda W: svm_loss_naive(W, X_dev, y_dev, 0.1, squared=True)[0], W0.copy(), g_n,
                         num_checks=15, seed=0)
print("PASS: naive gradient matches the numeric gradient" if errs.max() < 1e-6
      else "FAIL: svm_loss_naive(squared=True) gradient disagrees with the numeric gradient")
l_v, g_v = svm_loss_vectorized(W0, X_dev, y_dev, 0.1, squared=True)
print("PASS: vectorized matches naive" if abs(l_v - l_n) < 1e-9 * abs(l_n) and rel_error(g_v, g_n) < 1e-8
      else "FAIL: svm_loss_vectorized(squared=True) differs from svm_loss_naive(squared=True)")

# %% [markdown]
# ## Both classifiers on the same split
#
# Each starts from its own default hyper-parameters (the squared hinge has larger gradients for
# large margins, so it usually needs a smaller learning rate).

# %%
models = {
    "hinge": LinearSVM(random_state=0, **defaults_for(data.name, "svm")),
    "squared hinge": LinearSVM(squared=True, random_state=0, **defaults_for(data.name, "svm_squared")),
}
print(f"{'loss':15} {'train':>6} {'val':>6} {'test':>6}")
for name, model in models.items():
    model.fit(data.X_train, data.y_train)
    print(f"{name:15} {model.score(data.X_train, data.y_train):6.3f} "
          f"{model.score(data.X_val, data.y_val):6.3f} {model.score(data.X_test, data.y_test):6.3f}")

# %%
ax = plot_loss_history({name: m.loss_history_ for name, m in models.items()})
ax.set_yscale("log")
ax.set_title(f"Training loss on {data.name}: hinge vs squared hinge")
plt.show()

# %% [markdown]
# ## Who dominates the loss?
#
# With the quadratic penalty a few badly violated examples carry most of the loss. At the trained
# hinge weights, compare the share of each loss that comes from the worst 5% of training examples:

# %%
X_tr = add_bias(data.X_train).astype(np.float64)
S_tr = X_tr @ models["hinge"].W_.astype(np.float64)
rows = np.arange(len(data.y_train))
margins = np.maximum(0.0, S_tr - S_tr[rows, data.y_train][:, None] + 1.0)
margins[rows, data.y_train] = 0.0
for squared in (False, True):
    per_example = (margins ** (2 if squared else 1)).sum(axis=1)
    worst = np.sort(per_example)[::-1][: max(1, len(per_example) // 20)]
    print(f"{'squared hinge' if squared else 'hinge':13}: worst 5% of examples carry "
          f"{100 * worst.sum() / per_example.sum():.0f}% of the loss")

# %% [markdown]
# Their losses are on different scales, so compare accuracies, not loss values. Which one is
# better depends on the data; pick it like any hyper-parameter, on the validation split.

# %% [markdown]
# **Inline question 1** — Your training data has a few mislabelled images. Which loss would you
# expect to suffer more from them, and why?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# The squared hinge. A mislabelled image tends to have a large margin violation; its penalty
# grows quadratically and its gradient ($2m$) grows with the violation, so a few such examples
# pull the weights hard. The hinge caps each violation's slope at 1, which makes it more robust
# to outliers. The squared hinge can be preferable when the data are clean, because it also
# pushes small violations smoothly (no kink) and treats large ones as more urgent.
# <!-- END SOLUTION -->
