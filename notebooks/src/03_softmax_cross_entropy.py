# Source of notebooks/03_softmax_cross_entropy.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 3. Softmax and the cross-entropy loss
#
# The softmax classifier reads the scores as **unnormalized log-probabilities**, turns them into
# probabilities, and replaces the hinge loss with the **cross-entropy** loss
#
# $$L_i = -\log\frac{e^{f_{y_i}}}{\sum_j e^{f_j}} = -f_{y_i} + \log\sum_j e^{f_j}.$$
#
# **What you will write** (about 1½ hours), each followed by a check cell:
# 1. `cross_entropy_two_ways` and `softmax_score_gradient`, in cells of this notebook;
# 2. `softmax_loss_naive` and `softmax_loss_vectorized` in `cs231n_lin/classifiers/softmax.py`;
# 3. answers to two inline questions.
#
# Then you train the classifier (with the `fit` you wrote in notebook 1) and read the loss two
# more ways: information theory and probability.

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import time

import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin import checks
from cs231n_lin.classifiers import Softmax
from cs231n_lin.classifiers.softmax import softmax_loss_naive, softmax_loss_vectorized
from cs231n_lin.data import add_bias, load_dataset
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis import plot_loss_history, plot_weight_templates
from cs231n_lin.vis.probabilities import plot_cross_entropy_vs_q

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
# Write $L_i$ for one score vector `f` (shape `(C,)`) both as $-\log p_{y_i}$ and as
# $-f_{y_i} + \log\sum_j e^{f_j}$, and return the two numbers.

# %%
def cross_entropy_two_ways(f, y):
    """(-log p_y, -f_y + log sum_j exp f_j) for scores f of shape (C,) and correct class y."""
    # BEGIN SOLUTION
    p = np.exp(f) / np.sum(np.exp(f))
    return -np.log(p[y]), -f[y] + np.log(np.sum(np.exp(f)))
    # END SOLUTION


# %% tags=["nbval-check-output"]
checks.cross_entropy_two_ways(cross_entropy_two_ways)

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
# ## Your code: the gradient, one score at a time
#
# Derive $\partial L_i / \partial f_j$ yourself from $L_i = -f_{y_i} + \log\sum_k e^{f_k}$:
# differentiate the two terms, once for $j = y_i$ and once for $j \neq y_i$, and write the result
# in terms of the probabilities $p_j$. Then write it in `softmax_score_gradient` for one score
# vector: it returns an array of shape `(C,)`. The check compares your gradient with a numeric
# one at many random score vectors.

# %%
def softmax_score_gradient(f, y):
    """dL_i/df for one example: scores f of shape (C,), correct class y. Returns shape (C,)."""
    # BEGIN SOLUTION
    p = np.exp(f - np.max(f))
    p /= p.sum()
    p[y] -= 1.0
    return p
    # END SOLUTION


# %% tags=["nbval-check-output"]
checks.softmax_score_gradient(softmax_score_gradient)

# %% [markdown]
# ## Your code: `softmax_loss_naive`
#
# Complete **`softmax_loss_naive`** in **`cs231n_lin/classifiers/softmax.py`** with loops over the
# examples: the loss, and the gradient `dW`. The scores are $f = x_i W$, so the chain rule
# takes your score gradient to $\partial L_i/\partial W$ exactly as in notebook 1. Average over the
# examples and add the regularization (the same convention as `svm_loss_naive`). The check
# compares your loss and `dW` with stored values on small examples.

# %% tags=["nbval-check-output"]
checks.softmax_naive(softmax_loss_naive, large_scores=False)

# %% [markdown]
# A sanity check to run at the start of any training: with tiny random weights, what is the loss?

# %%
X_dev = add_bias(data.X_dev).astype(np.float64)
y_dev = data.y_dev
C = data.num_classes
rng = np.random.default_rng(0)
W_tiny = 1e-4 * rng.standard_normal((X_dev.shape[1], C))
loss, _ = softmax_loss_naive(W_tiny, X_dev, y_dev, reg=0.0)
print(f"loss with tiny random weights: {loss:.4f};   C = {C}, log C = {np.log(C):.4f}")

# %% [markdown]
# **Inline question 1** — Why is the loss with tiny random weights close to $\log C$? If a new
# model of yours started at a loss of $10\log C$, what would you suspect?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# With tiny weights every score is about 0, so every class gets $p_j = e^0 / \sum_k e^0 = 1/C$ and
# $L_i = -\log(1/C) = \log C$ for every example. A much larger initial loss means the scores are
# not small: weights initialized too large (or unscaled inputs), or a bug in the loss, e.g. the
# data loss summed over the examples instead of averaged.
# <!-- END SOLUTION -->

# %% [markdown]
# ## Your code: `softmax_loss_vectorized`
#
# Complete **`softmax_loss_vectorized`** in the same file: no Python loops, the same results.

# %% tags=["nbval-check-output"]
checks.softmax_vectorized(softmax_loss_vectorized, large_scores=False)

# %%
W0 = 0.01 * rng.standard_normal((X_dev.shape[1], C))
X_some = add_bias(data.X_train[:1000]).astype(np.float64)
t0 = time.perf_counter()
softmax_loss_naive(W0, X_some, data.y_train[:1000], 0.1)
t1 = time.perf_counter()
softmax_loss_vectorized(W0, X_some, data.y_train[:1000], 0.1)
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
q = probs                                               # the softmax of f, from the first cell


def cross_entropy(p, q):
    return -np.sum(p[p > 0] * np.log(q[p > 0]))


def entropy(p):
    return 0.0 - np.sum(p[p > 0] * np.log(p[p > 0]))   # 0.0 - x avoids printing -0.0


def kl(p, q):
    return np.sum(p[p > 0] * np.log(p[p > 0] / q[p > 0]))


for name, p in [("soft p", np.array([0.1, 0.3, 0.6])), ("one-hot p (class 2)", np.array([0.0, 0.0, 1.0]))]:
    print(f"{name}: H(p,q) = {cross_entropy(p, q):.6f}, H(p) = {entropy(p):.6f}, "
          f"KL(p||q) = {kl(p, q):.6f}, H(p) + KL = {entropy(p) + kl(p, q):.6f}")
print(f"softmax loss of the example (your cross_entropy_two_ways): {cross_entropy_two_ways(f, 2)[0]:.6f}")

# %% [markdown]
# The identity alone does not say where the cross-entropy is smallest. Sweep the estimate $q$:
# with two classes, $q = (1 - q_1, q_1)$ for every $q_1$ in $(0, 1)$; with three classes, 20 000
# random $q$ from the probability simplex.

# %%
plot_cross_entropy_vs_q(0.7)
plt.show()

p3 = np.array([0.1, 0.3, 0.6])
Q = np.random.default_rng(1).dirichlet(np.ones(3), size=20_000)
H_all = -(np.log(Q) @ p3)                               # H(p, q) for every row q of Q
best = Q[np.argmin(H_all)]
print(f"3 classes, p = {p3}: smallest H(p, q) over the random q = {H_all.min():.5f} "
      f"(H(p) = {entropy(p3):.5f}) at q = {best.round(3)}")
print(f"random q with H(p, q) < H(p): {int(np.sum(H_all < entropy(p3)))} of {len(Q)}")

# %% [markdown]
# $H(p, q)$ is never below $H(p)$ and reaches it only at $q = p$: the gap is $D_{KL}(p\|q) \ge 0$
# (Gibbs' inequality). With the one-hot $p$ of a labelled example, $H(p) = 0$, so the cross-entropy
# *is* the KL divergence, and both equal the softmax loss $-\log q_{y_i}$. Minimizing the loss
# moves all of $q$'s mass onto the correct class.
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
from scipy.stats import norm

N, reg = X_dev.shape[0], 0.1
sigma = np.sqrt(1.0 / (2 * N * reg))
W1 = 2.0 / np.sqrt(X_dev.shape[1]) * rng.standard_normal((X_dev.shape[1], C))
const = -norm.logpdf(np.zeros_like(W1), scale=sigma).sum() / N       # -log P(W = 0) / N
for scale in (0.5, 1.0, 2.0):
    W = scale * W1
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
ax = plot_loss_history({"Softmax": clf.loss_history_}, logy=True, expected_initial=np.log(C),
                       expected_label=f"log C = {np.log(C):.2f}: the loss of\nuniform probabilities")
ax.set_title(f"Softmax training loss on {data.name}")
plt.show()

# %%
fig = plot_weight_templates(clf.W_, data.image_shape, data.class_names,
                            title=f"Softmax weight templates ({data.name})")
plt.show()

# %% [markdown]
# The classifier gives every class a probability, through `softmax`. You write a `softmax` that
# cannot overflow in notebook 4, and look at the probabilities of single images there.

# %% [markdown]
# **Inline question 2** — What are the smallest and largest values the softmax loss $L_i$ can
# take? Can it reach them with finite scores?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# $L_i = -\log q_{y_i}$ with $0 < q_{y_i} < 1$ for finite scores, so $0 < L_i < \infty$. The minimum 0
# needs $q_{y_i} = 1$ (the correct score infinitely above the others); the maximum $\infty$ needs
# $q_{y_i} = 0$ (infinitely below). Neither is reached with finite scores in exact arithmetic;
# in floating point a loss below about $10^{-16}$ rounds to exactly 0 (notebook 5 shows it).
# <!-- END SOLUTION -->
