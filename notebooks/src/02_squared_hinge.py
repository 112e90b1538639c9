# Source of notebooks/02_squared_hinge.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 2. Hinge vs squared hinge (L2-SVM)
#
# The squared hinge squares each margin violation:
#
# $$L_i = \sum_{j \neq y_i} \max(0,\; s_j - s_{y_i} + \Delta)^2$$
#
# It punishes large violations more (quadratically instead of linearly) and small ones less.
# In this notebook: the loss of one margin and its slope, the squared hinge in your loss
# functions, and both classifiers trained on the same split, one of them chosen on validation.
#
# **What you will write** (about 1 hour; notebook 1 must be done first). Each piece is followed
# right away by a check cell.
#
# | where | what | about |
# |---|---|---|
# | this notebook | `margin_loss`: loss and slope of one margin, both losses | 15 min |
# | `cs231n_lin/classifiers/linear_svm.py` | `squared=True` in both loss functions | 30 min |
# | this notebook | two inline questions | 15 min |

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin import checks
from cs231n_lin.classifiers import LinearSVM
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.data import add_bias, load_dataset
from cs231n_lin.gradient_check import eval_numerical_gradient
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis import per_example_losses, plot_loss_history, plot_margin_loss_and_slope

np.set_printoptions(precision=4, suppress=True)
data = load_dataset()
print(data.summary())

# %% [markdown]
# ## The worked example, both ways
#
# Scores $[13, -7, 11]$, correct class 0, $\Delta = 10$ (notebook 1): class 1's margin is
# $-10$ (met), class 2's is $8$ (violated). The hinge loss is $\max(0, -10) + \max(0, 8) = 8$;
# the squared hinge loss is $0^2 + 8^2 = 64$.
#
# ## Your code: one margin, both losses and their slopes
#
# For a single margin $m = s_j - s_{y_i} + \Delta$, the two losses are $\ell(m) = \max(0, m)$
# (hinge) and $\ell(m) = \max(0, m)^2$ (squared hinge). Work out the slope $d\ell/dm$ of each
# (at $m = 0$, where the hinge has a corner, use the slope 0), then write both losses and slopes
# in `margin_loss`, elementwise on an array of margins of any shape.

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
checks.margin_loss(margin_loss)

# %% [markdown]
# ## The two curves
#
# Your `margin_loss`, drawn. Left: the loss of one margin. Right: its slope, which is what SGD
# follows.

# %%
fig = plot_margin_loss_and_slope(margin_loss)
plt.show()

# %% [markdown]
# * For $0 < m < 1$ the squared hinge is *smaller* (0.5 becomes 0.25); for $m > 1$ it is larger
#   and keeps growing faster.
# * The hinge slope jumps from 0 to 1 at $m = 0$; the squared-hinge slope is continuous, so the
#   squared hinge has no kink there.
#
# ## Your code: the squared hinge in the loss functions
#
# Both `svm_loss_naive` and `svm_loss_vectorized` in **`cs231n_lin/classifiers/linear_svm.py`**
# take `squared=True`. Make both compute the squared hinge and its gradient: the loss of each
# margin is now the squared one, and its slope is the one you derived above; the chain rule from
# the scores to `W` is the same as in notebook 1.

# %% tags=["nbval-check-output"]
checks.svm_squared(svm_loss_naive)

# %% tags=["nbval-check-output"]
checks.svm_squared(svm_loss_vectorized)

# %% [markdown]
# ## No kink, so the gradient check agrees even at $m = 0$
#
# The worked example with $\Delta = 2$ puts class 2's margin exactly at 0 (see notebook 1).
# Your analytic gradient against the centered difference of your loss, both losses:

# %%
W_kink = np.array([[13.0, -7.0, 11.0]])
X_one, y_one = np.array([[1.0]]), np.array([0])
for squared in (False, True):
    _, dW = svm_loss_naive(W_kink, X_one, y_one, reg=0.0, delta=2.0, squared=squared)
    num = eval_numerical_gradient(lambda W, sq=squared: svm_loss_naive(W, X_one, y_one, 0.0, 2.0, sq)[0],
                                  W_kink.copy())
    print(f"squared={squared!s:5}: analytic {dW[0]}, numeric {num[0].round(4) + 0.0}, "
          f"largest difference {np.abs(num - dW).max():.1e}")

# %% [markdown]
# ## Both classifiers on the same split
#
# Each starts from its own default hyper-parameters (the squared hinge has larger gradients for
# large margins, so it usually needs a smaller learning rate); both take the same 1500 SGD steps.
# Which loss is better is a choice like any hyper-parameter: make it on the **validation**
# split, then measure the chosen model's test accuracy once.

# %%
models = {
    "hinge": LinearSVM(random_state=0, **defaults_for(data.name, "svm")),
    "squared hinge": LinearSVM(squared=True, random_state=0, **defaults_for(data.name, "svm_squared")),
}
val_accuracy = {}
print(f"{'loss':15} {'train':>6} {'val':>6}")
for name, model in models.items():
    model.fit(data.X_train, data.y_train)
    val_accuracy[name] = model.score(data.X_val, data.y_val)
    print(f"{name:15} {model.score(data.X_train, data.y_train):6.3f} {val_accuracy[name]:6.3f}")
chosen = max(val_accuracy, key=val_accuracy.get)        # on a tie, the first: the plain hinge
print(f"chosen on validation: {chosen}; its test accuracy: "
      f"{models[chosen].score(data.X_test, data.y_test):.3f}")

# %% [markdown]
# With small weights every margin is about $\Delta = 1$, so both losses start near
# $(C - 1) \cdot 1 = C - 1$ (for the squared hinge, $1^2 = 1$ per wrong class): the dotted line.

# %%
ax = plot_loss_history({name: m.loss_history_ for name, m in models.items()},
                       expected_initial=data.num_classes - 1,
                       expected_label=f"expected at the start: C - 1 = {data.num_classes - 1}", logy=True)
ax.set_title(f"Training loss on {data.name}: hinge vs squared hinge")
plt.show()

# %% [markdown]
# Their losses are on different scales (a violation of 0.5 costs 0.5 or 0.25), so compare
# accuracies, not loss values.
#
# ## Who dominates the loss?
#
# At the trained hinge weights, take each training example's loss $L_i$ under both losses (from
# your `svm_loss_vectorized`, one example at a time) and compare the share of the total that
# comes from the worst 5% of the examples:

# %%
S_tr = add_bias(data.X_train).astype(np.float64) @ models["hinge"].W_.astype(np.float64)
for loss in ("hinge", "squared_hinge"):
    per_example = per_example_losses(S_tr, data.y_train, loss)
    worst = np.sort(per_example)[::-1][: max(1, len(per_example) // 20)]
    print(f"{loss:13}: worst 5% of examples carry {100 * worst.sum() / per_example.sum():.0f}% of the loss")

# %% [markdown]
# **Inline question 1** — Your training data has a few mislabelled images. Which loss would you
# expect to suffer more from them, and why?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# The squared hinge. A mislabelled image tends to have a large margin violation; its penalty
# grows quadratically and its gradient ($2m$) grows with the violation, so a few such examples
# pull the weights hard (the cell above shows how much of the loss a few examples carry). The
# hinge caps each violation's slope at 1, which makes it more robust to outliers. The squared
# hinge can be preferable when the data are clean, because it also pushes small violations
# smoothly (no kink) and treats large ones as more urgent.
# <!-- END SOLUTION -->

# %% [markdown]
# **Inline question 2** — The validation split has 200 images here. The two validation
# accuracies above differ by a few images. How confident are you that the chosen loss is really
# better on new data, and what would make you more confident?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Not very: with 200 images one image is 0.005 of accuracy, and a difference of a few images is
# within what a different random seed, minibatch order or split would change. To be more
# confident: repeat the comparison over several seeds and splits (or use k-fold cross-validation)
# and look at the spread of the difference, tune each loss's learning rate and $\lambda$ before
# comparing (here each uses its defaults), and use a larger validation set. The test split is
# still used only once, for the model finally chosen.
# <!-- END SOLUTION -->
