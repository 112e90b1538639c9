# Source of notebooks/04_numeric_stability.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 4. Numeric stability of the softmax
#
# $e^{f}$ grows so fast that a computer cannot hold it for scores of a few hundred. This notebook
# shows the failure live, the max-shift trick that fixes it, log-sum-exp, why the shift must be
# taken per row, and why the loss should be computed from log-probabilities. At the end your
# `softmax` must survive scores of $10^4$.

# %%
# %load_ext autoreload
# %autoreload 2
import warnings

import numpy as np

from cs231n_lin.classifiers.softmax import log_softmax, softmax, softmax_loss_naive, softmax_loss_vectorized
from cs231n_lin.data import load_dataset

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
# NBVAL_CHECK_OUTPUT
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
# With scores $[123, 456, 789]$ the numerator and the sum both overflow, and `inf / inf` is `nan`:

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
# ## The max-shift trick
#
# Multiply numerator and denominator by the same constant $C$ and push it into the exponent:
#
# $$\frac{e^{f_{y_i}}}{\sum_j e^{f_j}} = \frac{C\,e^{f_{y_i}}}{C\sum_j e^{f_j}}
# = \frac{e^{f_{y_i} + \log C}}{\sum_j e^{f_j + \log C}}$$
#
# Any $C$ gives the same value. Choose $\log C = -\max_j f_j$: the largest score becomes 0, every
# exponent is $\le 0$, and $e^{(\cdot)} \le 1$ cannot overflow; the sum is between 1 and the
# number of classes.
#
# (Note: $\log C$ is added to *each* $f_j$ inside the sum; adding it once outside the sum, as in
# $\sum_j e^{f_j} + \log C$, would change the value. The cell below checks both.)

# %%
# NBVAL_CHECK_OUTPUT
small = np.array([1.0, 2.0, 3.0])
reference = np.exp(small) / np.exp(small).sum()
for log_c in (-3.0, 5.0, -100.0):
    inside = np.exp(small + log_c) / np.sum(np.exp(small + log_c))
    outside = np.exp(small + log_c) / (np.sum(np.exp(small)) + log_c)
    print(f"log C = {log_c:6.1f}: shift inside the sum equal: {np.allclose(inside, reference)},"
          f"  '+ log C' outside the sum equal: {np.allclose(outside, reference)}")
shifted = f - np.max(f)
print("f - max(f) =", shifted)
p = np.exp(shifted) / np.sum(np.exp(shifted))
print("probabilities:", [f"{v:.3e}" for v in p])

# %% [markdown]
# ## Log-sum-exp
#
# The same trick gives the log of the normalizer without overflow:
#
# $$\log\sum_j e^{f_j} = m + \log\sum_j e^{f_j - m}, \qquad m = \max_j f_j.$$
#
# Write it for every row of a score matrix.

# %%
def logsumexp_rows(S):
    """log(sum_j exp(S[i, j])) for every row i of S (shape (N, C)); returns shape (N,)."""
    # BEGIN SOLUTION
    m = np.max(S, axis=1, keepdims=True)
    return (m + np.log(np.sum(np.exp(S - m), axis=1, keepdims=True)))[:, 0]
    # END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
from scipy.special import logsumexp

S = np.array([[123.0, 456.0, 789.0], [1.0, 2.0, 3.0], [-1000.0, -1000.0, -1000.0], [1e4, 0.0, -1e4]])
with warnings.catch_warnings():
    warnings.simplefilter("error")          # any overflow warning is a failure here
    try:
        ours = logsumexp_rows(S)
    except RuntimeWarning as w:
        ours = None
        print(f"FAIL: numpy warned: {w}")
if ours is not None:
    print("rows:", [f"{v:.6f}" for v in ours])
    print("PASS: matches scipy.special.logsumexp" if np.allclose(ours, logsumexp(S, axis=1), rtol=1e-12)
          else "FAIL: differs from scipy.special.logsumexp")

# %% [markdown]
# ## The shift must be per row
#
# Subtracting one global maximum from the whole matrix fixes overflow in the row that holds it,
# but pushes rows with much smaller scores so far down that all their exponentials underflow
# to 0, and $0/0$ is `nan`:

# %%
# NBVAL_CHECK_OUTPUT
S2 = np.array([[1000.0, 1001.0, 1002.0], [1.0, 2.0, 3.0]])
with np.errstate(under="ignore", invalid="ignore"):
    E = np.exp(S2 - S2.max())                            # one global max
    p_global = E / E.sum(axis=1, keepdims=True)
E = np.exp(S2 - S2.max(axis=1, keepdims=True))           # one max per row
p_row = E / E.sum(axis=1, keepdims=True)
print("global shift:\n", p_global)
print("per-row shift:\n", p_row)

# %% [markdown]
# ## Don't take the log of a probability that underflowed
#
# With scores $[123, 456, 789]$ and correct class 0, $p_0 = e^{-666}/(\dots) \approx 10^{-289}$:
# fine in float64 but 0 in float32, and $-\log 0 = \infty$. Computing the loss as
# $-f_{y_i} + \log\sum_j e^{f_j}$ (i.e. from log-probabilities) stays exact:

# %%
# NBVAL_CHECK_OUTPUT
for dtype in (np.float64, np.float32):
    fd = f.astype(dtype)
    sh = fd - fd.max()
    with np.errstate(divide="ignore", under="ignore"):
        p0 = (np.exp(sh) / np.exp(sh).sum())[0]
        via_prob = -np.log(p0)
    via_logs = -(sh[0] - np.log(np.exp(sh).sum()))
    print(f"{np.dtype(dtype).name}: p_0 = {p0:.3e}, -log(p_0) = {via_prob:.1f}, "
          f"from log-probabilities = {via_logs:.1f}")

# %% [markdown]
# ## Your code: a softmax that survives scores of $10^4$
#
# In **`cs231n_lin/classifiers/softmax.py`**, make **`softmax`** and **`log_softmax`** shift each
# row (more generally, each slice along `axis`) by its maximum, and make sure
# **`softmax_loss_naive`** and **`softmax_loss_vectorized`** compute the loss from shifted scores.
# The checks use float32 scores of $\pm 10^4$ and must see no warning, no `nan` and no `inf`.

# %%
# NBVAL_CHECK_OUTPUT
big = np.array([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0], [-1e4, -1e4 + 1.0, -1e4]], dtype=np.float32)
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        P = softmax(big, axis=1)
        LP = log_softmax(big, axis=1)
    except RuntimeWarning as w:
        P = LP = None
        print(f"FAIL: numpy warned inside softmax/log_softmax: {w}")
if P is not None:
    print("softmax:\n", P.round(4))
    finite = np.isfinite(P).all() and np.isfinite(LP[1:]).all()
    print("PASS: finite" if finite else "FAIL: nan or inf in softmax(big) or log_softmax(big)")
    print("PASS: rows sum to 1" if np.allclose(P.sum(axis=1), 1.0, atol=1e-6)
          else "FAIL: rows do not sum to 1")
    print("PASS: log_softmax(big)[1] = -log 3" if np.allclose(LP[1], -np.log(3), atol=1e-6)
          else "FAIL: log_softmax of equal scores should be -log 3")
    P0 = softmax(big, axis=0)
    print("PASS: axis=0 sums to 1" if np.allclose(P0.sum(axis=0), 1.0, atol=1e-6)
          else "FAIL: softmax(axis=0) does not sum to 1 down the columns")

# %%
# NBVAL_CHECK_OUTPUT
# One feature equal to 1, so the scores are the rows of W: [1e4, 0, -1e4], correct class 1.
W = np.array([[1e4, 0.0, -1e4]], dtype=np.float32)
X = np.ones((2, 1), dtype=np.float32)
y = np.array([1, 0])
# Exact losses: example 0 -> -0 + log(e^1e4 + 1 + e^-1e4) ~ 1e4; example 1 -> ~0. Mean 5000.
with warnings.catch_warnings():
    warnings.simplefilter("error")
    for fn in (softmax_loss_naive, softmax_loss_vectorized):
        try:
            loss, dW = fn(W, X, y, 0.0)
        except RuntimeWarning as w:
            print(f"FAIL: {fn.__name__} warned: {w}")
            continue
        ok = np.isfinite(loss) and np.isfinite(dW).all() and abs(loss - 5000.0) < 1e-2
        print(f"{fn.__name__}: loss {loss:.2f}: " + ("PASS" if ok else "FAIL: expected 5000.00, finite dW"))

# %% [markdown]
# **Inline question 1** — Why is $\log C = -\max_j f_j$ a good choice, and what would go wrong
# with $\log C = -\min_j f_j$?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# After subtracting the maximum, every exponent is $\le 0$, so no $e^{(\cdot)}$ overflows, and one
# term is exactly $e^0 = 1$, so the sum lies in $[1, C]$: it can neither overflow nor underflow to
# 0, and its log is finite. Subtracting the minimum makes every exponent $\ge 0$; with a large
# spread of scores (e.g. $[123, 456, 789] \to [0, 333, 666]$) the largest one still overflows.
# <!-- END SOLUTION -->
