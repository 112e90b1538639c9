# Source of notebooks/04_numeric_stability.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 4. Numeric stability of the softmax
#
# $e^{f}$ grows so fast that a computer cannot hold it for scores of a few hundred. This notebook
# shows the failure live, a trick that fixes it, log-sum-exp, why the fix must be applied per
# row, and why the loss should be computed from log-probabilities.
#
# **What you will write** (about 45 minutes), each followed by a check cell:
# 1. `logsumexp_rows`, in a cell of this notebook;
# 2. `softmax` and `log_softmax` in `cs231n_lin/classifiers/softmax.py`, and the same care in
#    `softmax_loss_naive` / `softmax_loss_vectorized` (they must survive scores of $10^4$);
# 3. the answer to one inline question.
#
# At the end you look at the probabilities your `softmax` gives a trained classifier.

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import warnings

import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin import checks
from cs231n_lin.classifiers import Softmax
from cs231n_lin.classifiers.softmax import log_softmax, softmax, softmax_loss_naive, softmax_loss_vectorized
from cs231n_lin.data import load_dataset
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis.probabilities import plot_probability_bars, teaching_examples

np.set_printoptions(precision=4)
data = load_dataset()
print(data.summary())

# %% [markdown]
# ## Overflow, live
#
# The largest float64 is about $1.8\times10^{308}$, so $e^x$ overflows for
# $x > \log(1.8\times10^{308}) \approx 709.8$; in float32 already for $x > 88.7$.
# NumPy then returns `inf` and emits a `RuntimeWarning`:

# %%
for dtype in (np.float64, np.float32):
    biggest = np.finfo(dtype).max
    print(f"{np.dtype(dtype).name}: largest {biggest:.4g}, log of it {np.log(biggest):.2f}")
for dtype, x in [(np.float64, 1000.0), (np.float32, 100.0)]:
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn"):
        warnings.simplefilter("always")
        value = np.exp(dtype(x))
    print(f"np.exp({np.dtype(dtype).name}({x:g})) = {value}   warning: "
          f"{caught[0].category.__name__ if caught else 'none'}: {caught[0].message if caught else ''}")

# %% [markdown]
# ## The naive softmax breaks
#
# Take the scores $[123, 456, 789]$. In float64, $e^{123} \approx 2.6\times10^{53}$ and
# $e^{456} \approx 1.1\times10^{198}$ are still finite, but $e^{789}$ overflows to `inf`, so the sum
# is `inf` too. The first two probabilities become finite / `inf` $= 0$ (the true values are about
# $10^{-290}$ and $10^{-145}$: close enough), the third becomes `inf / inf` $=$ `nan` (the true value
# is 1):

# %%
f = np.array([123.0, 456.0, 789.0])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    e = np.exp(f)
    p_naive = e / np.sum(e)
print("exp(f)      =", e)
print("naive probs =", p_naive)
for w in caught:
    print("warning:", w.message)

# %% [markdown]
# ## A constant that changes nothing
#
# Multiply numerator and denominator by the same constant $K > 0$ and push it into the exponent:
#
# $$\frac{e^{f_{y_i}}}{\sum_j e^{f_j}} = \frac{K\,e^{f_{y_i}}}{K\sum_j e^{f_j}}
# = \frac{e^{f_{y_i} + \log K}}{\sum_j e^{f_j + \log K}}$$
#
# Any $K$ gives the same value, and we may pick it per example. Note that $\log K$ is added to
# *each* $f_j$ inside the sum; adding it once outside the sum, as in $\sum_j e^{f_j} + \log K$,
# would change the value. The cell below checks both on the scores $[1, 2, 3]$:

# %%
small = np.array([1.0, 2.0, 3.0])
reference = np.exp(small) / np.exp(small).sum()
for log_k in (-3.0, 5.0, -100.0):
    inside = np.exp(small + log_k) / np.sum(np.exp(small + log_k))
    outside = np.exp(small + log_k) / (np.sum(np.exp(small)) + log_k)
    print(f"log K = {log_k:6.1f}: shift inside the sum equal: {np.allclose(inside, reference)},"
          f"  '+ log K' outside the sum equal: {np.allclose(outside, reference)}")

# %% [markdown]
# **Inline question 1** — Which choice of $\log K$ makes overflow impossible for any finite
# scores? Why is $\log K = -\max_j f_j$ a good choice, and what would go wrong with
# $\log K = -\min_j f_j$? (Think about the largest exponent, and about the sum.)

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# With $\log K = -\max_j f_j$ every exponent $f_j - \max_k f_k$ is $\le 0$, so no $e^{(\cdot)}$
# exceeds 1 and nothing overflows; and one term is exactly $e^0 = 1$, so the sum lies between 1
# and $C$ (the number of classes): it can neither overflow nor underflow to 0, and its log is
# finite. Subtracting the minimum makes every exponent $\ge 0$; with a large spread of scores
# (e.g. $[123, 456, 789] \to [0, 333, 666]$, and $e^{666}$ is about $10^{289}$) the largest term
# overflows as soon as the spread exceeds about 709.8 (88.7 in float32).
# <!-- END SOLUTION -->

# %% [markdown]
# ## Your code: log-sum-exp
#
# The same idea gives the log of the normalizer without overflow:
#
# $$\log\sum_j e^{f_j} = m + \log\sum_j e^{f_j - m}, \qquad m = \max_j f_j.$$
#
# Write it for every row of a score matrix `S` of shape `(N, C)`, without a Python loop; it
# returns shape `(N,)`. Useful: `np.max`, `np.sum` and `np.log` with `axis=1`, and
# `keepdims=True` so that an `(N, 1)` column broadcasts against `(N, C)`. The check compares
# with `scipy.special.logsumexp` and treats any overflow warning as a failure.

# %%
def logsumexp_rows(S):
    """log(sum_j exp(S[i, j])) for every row i of S (shape (N, C)); returns shape (N,)."""
    # BEGIN SOLUTION
    m = np.max(S, axis=1, keepdims=True)
    return (m + np.log(np.sum(np.exp(S - m), axis=1, keepdims=True)))[:, 0]
    # END SOLUTION


# %% tags=["nbval-check-output"]
checks.logsumexp_rows(logsumexp_rows)

# %% [markdown]
# ## The shift must be per row
#
# Subtracting one global maximum from the whole matrix fixes overflow in the row that holds it,
# but pushes rows with much smaller scores so far down that all their exponentials underflow
# to 0, and $0/0$ is `nan`. With your per-row log-sum-exp, $p_{ij} = e^{S_{ij} - \mathrm{lse}_i}$
# is fine in every row:

# %%
S2 = np.array([[1000.0, 1001.0, 1002.0], [1.0, 2.0, 3.0]])
with np.errstate(under="ignore", invalid="ignore"):
    E = np.exp(S2 - S2.max())                            # one global max
    p_global = E / E.sum(axis=1, keepdims=True)
p_row = np.exp(S2 - logsumexp_rows(S2)[:, None])         # your log-sum-exp, one per row
print("one global shift:\n", p_global)
print("per row, from your logsumexp_rows:\n", p_row)

# %% [markdown]
# ## Don't take the log of a probability that underflowed
#
# With scores $[123, 456, 789]$ and correct class 0, $p_0 = e^{123 - \mathrm{lse}} \approx
# 10^{-289}$: fine in float64 but 0 in float32 (the smallest float32 is about $10^{-45}$), and
# $-\log 0 = \infty$. Computing the loss from log-probabilities, $-f_{y_i} + \log\sum_j e^{f_j}$,
# never forms $p_0$ and gives 666 in both. It does so only because your `logsumexp_rows` shifted
# the scores first: the unshifted $\log\sum_j e^{f_j}$ is $\log(\infty) = \infty$ already in float64.

# %%
for dtype in (np.float64, np.float32):
    fd = f.astype(dtype)
    lse = logsumexp_rows(fd[None, :])[0]
    with np.errstate(divide="ignore", under="ignore", over="ignore"):
        p0 = np.exp(fd[0] - lse)
        via_prob = -np.log(p0)
        unshifted = -fd[0] + np.log(np.sum(np.exp(fd)))
    print(f"{np.dtype(dtype).name}: p_0 = {p0:.3e}, -log(p_0) = {via_prob:.1f}, "
          f"-f_0 + logsumexp_rows = {lse - fd[0]:.1f}, without the shift = {unshifted}")

# %% [markdown]
# ## Your code: a softmax that survives scores of $10^4$
#
# In **`cs231n_lin/classifiers/softmax.py`**, write **`softmax`** and **`log_softmax`**: the same
# shift as in your `logsumexp_rows`, but along any `axis` (the probabilities sum to one along
# it). `log_softmax` must not take the log of `softmax`: compute it from shifted scores, as above.
# The checks use scores far beyond where `np.exp` overflows, and rows whose scores differ by
# hundreds (where `log(softmax)` would be `log 0`); they must see no `nan` and no `inf`.

# %% tags=["nbval-check-output"]
checks.softmax(softmax)

# %% tags=["nbval-check-output"]
checks.log_softmax(log_softmax)

# %% [markdown]
# The losses need the same care. If your `softmax_loss_naive` and `softmax_loss_vectorized`
# from notebook 3 exponentiate unshifted scores, fix them now (`log_softmax` may help). This
# check feeds them scores of $\pm 10^4$ in float32, where the exact mean loss is 5000:

# %% tags=["nbval-check-output"]
checks.softmax_losses_large_scores(softmax_loss_naive, softmax_loss_vectorized)

# %% [markdown]
# ## Your softmax at work
#
# `Softmax.predict_proba` is your `softmax` applied to a trained classifier's scores. Three
# validation images chosen to teach something: the most confident right answer, the image the
# model is least sure about, and its most confident mistake (inputs shown as images; the model
# sees them with the mean image subtracted).

# %%
clf = Softmax(random_state=0, **defaults_for(data.name, "softmax")).fit(data.X_train, data.y_train)
P = clf.predict_proba(data.X_val)
picked = teaching_examples(P, data.y_val)
idx = list(picked.values())
images = (data.X_val[idx] + data.mean_image).reshape(-1, *data.image_shape)
plot_probability_bars(images, P[idx], data.y_val[idx], data.class_names, captions=list(picked))
plt.show()
for caption, i in picked.items():
    print(f"{caption:>20}: image {i}, largest probability {P[i].max():.2f}, "
          f"probability of the true class {P[i, data.y_val[i]]:.2f}")
