# Source of notebooks/03_softmax_cross_entropy.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 3. Softmax and the cross-entropy loss
#
# The softmax classifier reads the scores as **unnormalized log-probabilities**, turns them into
# probabilities, and replaces the hinge loss with the **cross-entropy** loss
#
# $$L_i = -\log\frac{e^{f_{y_i}}}{\sum_j e^{f_j}} = -f_{y_i} + \log\sum_j e^{f_j}.$$
#
# In this notebook: scores → probabilities, `softmax_loss_naive` and `softmax_loss_vectorized`,
# the initial-loss sanity check, and two readings of the loss (information theory, probability).

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import time

import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin.classifiers import Softmax
from cs231n_lin.classifiers.softmax import softmax_loss_naive, softmax_loss_vectorized
from cs231n_lin.data import add_bias, load_dataset
from cs231n_lin.gradient_check import grad_check_sparse, rel_error
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis import plot_loss_history, plot_weight_templates

np.set_printoptions(precision=4, suppress=True)
data = load_dataset()
print(data.summary())

# %% [markdown]
# ## Scores → unnormalized probabilities → probabilities
#
# One example with three classes, scores $f = [-2.85, 0.86, 0.28]$, correct class 2.
# Exponentiating makes every score positive (unnormalized probabilities); dividing by the sum
# makes them sum to one.

# %%
f = np.array([-2.85, 0.86, 0.28])
unnormalized = np.exp(f)
probs = unnormalized / unnormalized.sum()
print("scores (log-probabilities up to a constant):", f)
print("exp(scores) (unnormalized probabilities):   ", unnormalized)
print("probabilities:                              ", probs, " sum =", round(probs.sum(), 12))

# %% [markdown]
# ## Your code: the loss of one example, two ways
#
# Write $L_i$ for one score vector both as $-\log p_{y_i}$ and as $-f_{y_i} + \log\sum_j e^{f_j}$.

# %%
def cross_entropy_two_ways(f, y):
    """(-log p_y, -f_y + log sum_j exp f_j) for scores f of shape (C,) and correct class y."""
    # BEGIN SOLUTION
    p = np.exp(f) / np.sum(np.exp(f))
    return -np.log(p[y]), -f[y] + np.log(np.sum(np.exp(f)))
    # END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
a, b = cross_entropy_two_ways(np.array([-2.85, 0.86, 0.28]), 2)
print(f"-log p_y = {a:.4f}   -f_y + log sum exp f = {b:.4f}")
print("PASS: both give 1.04 and agree" if abs(a - b) < 1e-12 and abs(a - 1.0402) < 1e-4
      else "FAIL: expected 1.0402 both ways")

# %% [markdown]
# The second form is just $\log(a/b) = \log a - \log b$ with $\log e^{f_{y_i}} = f_{y_i}$.
# It never forms the probability itself, which will matter in notebook 4.
#
# With two classes, softmax is the logistic (sigmoid) function of the score difference: the
# softmax classifier generalizes binary logistic regression to many classes.

# %%
s2 = np.array([0.3, 1.7])
print(f"softmax p_1 = {np.exp(s2[1]) / np.exp(s2).sum():.6f},  sigmoid(s_1 - s_0) = "
      f"{1 / (1 + np.exp(-(s2[1] - s2[0]))):.6f}")

# %% [markdown]
# ## Your code: `softmax_loss_naive`
#
# Complete **`softmax_loss_naive`** in **`cs231n_lin/classifiers/softmax.py`** with loops. The
# gradient of $L_i$ with respect to score $j$ is $p_j - \mathbb{1}[j = y_i]$, and
# $\partial L_i/\partial W_{:,j} = x_i\,(p_j - \mathbb{1}[j = y_i])$. Average over examples and
# add $\lambda R(W)$ and $2\lambda W$.
#
# **Sanity check:** with tiny random weights every score is about 0, every class gets
# probability $1/C$, and the loss is about $-\log(1/C) = \log C$.

# %%
# NBVAL_CHECK_OUTPUT
X_dev = add_bias(data.X_dev).astype(np.float64)
y_dev = data.y_dev
C = data.num_classes
rng = np.random.default_rng(0)
W_tiny = 1e-4 * rng.standard_normal((X_dev.shape[1], C))
loss, _ = softmax_loss_naive(W_tiny, X_dev, y_dev, reg=0.0)
print(f"log C = {np.log(C):.4f}")
print("PASS: initial loss ~ log C" if abs(loss - np.log(C)) < 1e-2
      else f"FAIL: with tiny weights the loss should be about log C = {np.log(C):.4f}, got {loss:.4f}")
W0 = 2.0 / np.sqrt(X_dev.shape[1]) * rng.standard_normal((X_dev.shape[1], C))   # scores of order 1
for reg in (0.0, 0.1):
    loss, dW = softmax_loss_naive(W0, X_dev, y_dev, reg)
    errs = grad_check_sparse(lambda W, reg=reg: softmax_loss_naive(W, X_dev, y_dev, reg)[0], W0.copy(), dW,
                             num_checks=15, seed=0)
    print(f"reg={reg}: " + ("PASS: gradient matches the numeric gradient" if errs.max() < 1e-6
                            else "FAIL: dW disagrees with the numeric gradient"))

# %% [markdown]
# ## Your code: `softmax_loss_vectorized`
#
# Complete **`softmax_loss_vectorized`** in the same file: no Python loops, the same results.

# %%
# NBVAL_CHECK_OUTPUT
for reg in (0.0, 0.1):
    l_n, g_n = softmax_loss_naive(W0, X_dev, y_dev, reg)
    l_v, g_v = softmax_loss_vectorized(W0, X_dev, y_dev, reg)
    print(f"reg={reg}: loss " + ("PASS" if abs(l_n - l_v) < 1e-9 * abs(l_n)
                                 else f"FAIL (naive {l_n:.6f}, vectorized {l_v:.6f})")
          + ", gradient "
          + ("PASS" if rel_error(g_n, g_v) < 1e-8 else "FAIL: dW differs from softmax_loss_naive"))

# %%
X_some = add_bias(data.X_train[:1000]).astype(np.float64)
W_big = 0.01 * rng.standard_normal((X_some.shape[1], C))
t0 = time.perf_counter()
softmax_loss_naive(W_big, X_some, data.y_train[:1000], 0.1)
t1 = time.perf_counter()
softmax_loss_vectorized(W_big, X_some, data.y_train[:1000], 0.1)
t2 = time.perf_counter()
print(f"on {X_some.shape[0]} examples: naive {1000 * (t1 - t0):.1f} ms, vectorized {1000 * (t2 - t1):.2f} ms")

# %% [markdown]
# ## Information theory: cross-entropy = entropy + KL divergence
#
# For a "true" distribution $p$ and an estimate $q$:
# $H(p, q) = -\sum_x p(x)\log q(x)$, $H(p) = -\sum_x p(x)\log p(x)$ and
# $D_{KL}(p\,\|\,q) = \sum_x p(x)\log\frac{p(x)}{q(x)}$. Then $H(p,q) = H(p) + D_{KL}(p\|q)$.
# Check it on real numbers, with $q$ the softmax of our example scores:

# %%
# NBVAL_CHECK_OUTPUT
q = np.exp(f) / np.exp(f).sum()


def cross_entropy(p, q):
    return -np.sum(p[p > 0] * np.log(q[p > 0]))


def entropy(p):
    return 0.0 - np.sum(p[p > 0] * np.log(p[p > 0]))   # 0.0 - x avoids printing -0.0


def kl(p, q):
    return np.sum(p[p > 0] * np.log(p[p > 0] / q[p > 0]))


for name, p in [("soft p", np.array([0.1, 0.3, 0.6])), ("one-hot p (class 2)", np.array([0.0, 0.0, 1.0]))]:
    print(f"{name}: H(p,q) = {cross_entropy(p, q):.6f}, H(p) = {entropy(p):.6f}, "
          f"KL(p||q) = {kl(p, q):.6f}, H(p) + KL = {entropy(p) + kl(p, q):.6f}")
print(f"softmax loss of the example: {-np.log(q[2]):.6f}")
p_soft = np.array([0.1, 0.3, 0.6])
print(f"q = p: H(p,p) = {cross_entropy(p_soft, p_soft):.6f} = H(p), KL(p||p) = {abs(kl(p_soft, p_soft)):.6f}")

# %% [markdown]
# With the one-hot $p$ of a labelled example, $H(p) = 0$, so the cross-entropy *is* the KL
# divergence, and both equal the softmax loss $-\log q_{y_i}$. Minimizing the loss moves all of
# $q$'s mass onto the correct class.
#
# ## Probability: maximum likelihood and MAP
#
# $q_{y_i} = P(y_i \mid x_i; W)$, so $\sum_i L_i = -\log \prod_i P(y_i \mid x_i; W)$: minimizing the
# data loss is **maximum likelihood**. Adding $\lambda R(W)$ is **MAP** estimation with a Gaussian
# prior $W_{kl} \sim \mathcal N(0, \sigma^2)$: its negative log-density is
# $\frac{1}{2\sigma^2}\sum W_{kl}^2 + \text{const}$. Our loss is the *mean* over $N$ examples, so
# $\lambda R(W) = \frac{1}{N}(-\log P(W)) + \text{const}$ with $\lambda = \frac{1}{2N\sigma^2}$.
# Checked against an independent Gaussian density:

# %%
# NBVAL_CHECK_OUTPUT
from scipy.stats import norm

N, reg = X_dev.shape[0], 0.1
sigma = np.sqrt(1.0 / (2 * N * reg))
const = -norm.logpdf(np.zeros_like(W0), scale=sigma).sum() / N       # -log P(W = 0) / N
for scale in (0.5, 1.0, 2.0):
    W = scale * W0
    reg_term = reg * np.sum(W * W)
    neg_log_prior = -norm.logpdf(W, scale=sigma).sum() / N
    print(f"W scaled by {scale}: reg * R(W) = {reg_term:.6f},  "
          f"-log P(W)/N - const = {neg_log_prior - const:.6f}")

# %% [markdown]
# The two columns agree: the regularization term is the negative log of a Gaussian prior (per
# example), up to a constant that does not depend on $W$. A larger $\lambda$ is a narrower prior.
#
# ## Training the softmax classifier

# %%
hp = defaults_for(data.name, "softmax")
clf = Softmax(random_state=0, **hp).fit(data.X_train, data.y_train)
print(hp)
print(f"train accuracy {clf.score(data.X_train, data.y_train):.3f}, "
      f"val accuracy {clf.score(data.X_val, data.y_val):.3f}")
print(f"first loss {clf.loss_history_[0]:.3f} (log C = {np.log(C):.3f}), "
      f"last loss {clf.loss_history_[-1]:.3f}")

# %%
ax = plot_loss_history({"Softmax": clf.loss_history_})
ax.axhline(np.log(C), color="grey", linestyle=":", label="log C (uniform guess)")
ax.legend()
ax.set_title(f"Softmax training loss on {data.name}")
plt.show()

# %% [markdown]
# The classifier now gives every class a probability. For a few validation images:

# %%
P = clf.predict_proba(data.X_val[:4])
fig, axes = plt.subplots(1, 4, figsize=(12, 2.8))
for ax, p, label in zip(axes, P, data.y_val[:4], strict=True):
    ax.bar(range(C), p, color=["tab:green" if c == label else "tab:grey" for c in range(C)])
    ax.set_xticks(range(C))
    long_names = max(len(n) for n in data.class_names) > 2
    ax.set_xticklabels(data.class_names, rotation=90 if long_names else 0, fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_title(f"true: {data.class_names[label]}")
axes[0].set_ylabel("probability")
fig.suptitle("Softmax probabilities (green: correct class)")
fig.tight_layout()
plt.show()

# %%
fig = plot_weight_templates(clf.W_, data.image_shape, data.class_names,
                            title=f"Softmax weight templates ({data.name})")
plt.show()

# %% [markdown]
# **Inline question 1** — What are the smallest and largest values the softmax loss $L_i$ can
# take? Can it reach them with finite scores?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# $L_i = -\log q_{y_i}$ with $0 < q_{y_i} < 1$ for finite scores, so $0 < L_i < \infty$. The minimum 0
# needs $q_{y_i} = 1$ (the correct score infinitely above the others); the maximum $\infty$ needs
# $q_{y_i} = 0$ (infinitely below). Neither is reached with finite scores; at initialization,
# with all scores equal, $L_i = \log C$.
# <!-- END SOLUTION -->
