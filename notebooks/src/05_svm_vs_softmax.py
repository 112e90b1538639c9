# Source of notebooks/05_svm_vs_softmax.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 5. SVM vs Softmax
#
# Both classifiers compute the same scores $s = xW$; they differ only in the loss. The SVM
# wants the correct score to win by a margin; the softmax wants the correct class's
# probability to be high. This notebook compares them on one example, on scaled scores, under
# different regularization, on a 2-D toy set, and on the real split.
#
# **What you will write** (about 45 minutes): `hinge_and_cross_entropy`, the two losses of every
# row of a score matrix, in a cell of this notebook (then a check cell), and the answers to two
# inline questions. Everything else uses the functions you wrote in notebooks 1–4.

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin import checks
from cs231n_lin.classifiers import LinearSVM, Softmax
from cs231n_lin.classifiers.softmax import log_softmax, softmax
from cs231n_lin.data import load_dataset, make_blobs_2d
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis.boundaries import plot_decision_regions
from cs231n_lin.vis.compare import plot_boundaries_overlay, plot_templates_compared, template_similarity
from cs231n_lin.vis.probabilities import plot_max_probability_histograms

np.set_printoptions(precision=4, suppress=True)
data = load_dataset()
print(data.summary())

# %% [markdown]
# ## Your code: both losses of every example
#
# For a score matrix `S` of shape `(N, C)` and labels `y`, return two arrays of shape `(N,)`: the
# hinge loss $L_i = \sum_{j \neq y_i} \max(0, s_j - s_{y_i} + \Delta)$ and the cross-entropy
# $L_i = -\log p_{y_i}$ of every row, without a Python loop. Your `log_softmax` from notebook 4
# keeps the cross-entropy finite for large scores; indexing with `S[np.arange(N), y]` picks each
# row's correct score.

# %%
def hinge_and_cross_entropy(S, y, delta=1.0):
    """(hinge losses, cross-entropy losses), each of shape (N,), for scores S (N, C) and labels y (N,)."""
    # BEGIN SOLUTION
    rows = np.arange(S.shape[0])
    margins = np.maximum(0.0, S - S[rows, y][:, None] + delta)
    margins[rows, y] = 0.0
    return margins.sum(axis=1), 0.0 - log_softmax(S, axis=1)[rows, y]   # 0.0 - x: no -0.0
    # END SOLUTION


# %% tags=["nbval-check-output"]
checks.hinge_and_cross_entropy(hinge_and_cross_entropy)

# %% [markdown]
# ## The same scores through both losses
#
# Scores $[-2.85, 0.86, 0.28]$ for one example whose correct class is 2.

# %%
scores = np.array([-2.85, 0.86, 0.28])
(svm_l,), (soft_l,) = hinge_and_cross_entropy(scores[None, :], np.array([2]))
print("margins s_j - s_y + 1:", (scores - scores[2] + 1).round(2), "(class 2 itself does not count)")
print(f"SVM loss     = max(0, {-2.85 - 0.28 + 1:.2f}) + max(0, {0.86 - 0.28 + 1:.2f}) = {svm_l:.2f}")
print("probabilities:", softmax(scores).round(3))
print(f"softmax loss = -log({softmax(scores)[2]:.3f}) = {soft_l:.2f}")

# %% [markdown]
# The numbers 1.58 and 1.04 are not comparable to each other; they only rank score vectors
# within one loss.

# %% [markdown]
# **Inline question 1** — True or false: the training loss is the sum of the per-example losses.
# Adding a new example to the training set can leave the SVM loss unchanged, but it always changes
# the softmax loss. Explain, then test your answer with `hinge_and_cross_entropy` in the next
# sections.

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# True. A new example whose correct score beats every other score by at least $\Delta$ has hinge
# loss exactly 0, so the summed SVM loss does not change. Its cross-entropy $-\log p_{y_i}$ is
# strictly positive for any finite scores, because $p_{y_i} < 1$, so the softmax loss grows
# (in exact arithmetic; in float64 the increase can round to 0 when $p_{y_i}$ is within about
# $10^{-16}$ of 1).
# <!-- END SOLUTION -->

# %% [markdown]
# ## The SVM is satisfied, the softmax never is
#
# Take scores where the correct class already wins every margin, and stretch them: the SVM
# loss is exactly 0 throughout, while the softmax loss keeps shrinking. The last column computes
# the same cross-entropy as $\log(1 + \sum_{j\neq y} e^{s_j - s_y})$ with `np.log1p`, which is
# accurate for tiny losses:

# %%
base = np.array([10.0, -2.0, 3.0])      # correct class 0 wins by 12 and by 7
scales = np.array([0.5, 1.0, 2.0, 5.0, 10.0, 100.0])
svm_all, soft_all = hinge_and_cross_entropy(scales[:, None] * base, np.zeros(len(scales), dtype=int))
print(f"{'scale':>5}  {'SVM loss':>8}  {'your cross-entropy':>18}  {'via log1p':>10}")
for scale, svm_l, soft_l in zip(scales, svm_all, soft_all, strict=True):
    others = np.delete(scale * base, 0) - scale * base[0]
    print(f"{scale:5.1f}  {svm_l:8.4f}  {soft_l:18.3e}  {np.log1p(np.sum(np.exp(others))):10.3e}")

# %% [markdown]
# At scale 0.5 the gap of 3.5 to class 2 already exceeds $\Delta = 1$, so the SVM is content at
# every scale. The softmax would always like the correct probability a bit higher.
#
# Notebook 3 (inline question 2) said that $L_i > 0$ for any finite scores, yet from scale 10 on
# your cross-entropy prints exactly 0. Both are right: that is float rounding. Here
# $-\log p_{y} = \log(1 + x)$ with $x = \sum_{j\neq y} e^{s_j - s_y}$; once $x$ is below about
# $10^{-16}$ (half the float64 spacing just above 1), $1 + x$ rounds to exactly 1 and
# $\log 1 = 0$. `np.log1p(x)` computes $\log(1 + x)$ without forming $1 + x$, so it keeps
# $4\times10^{-31}$.
#
# Back to inline question 1: a small training set, then the same set with one more example whose
# scores are the base scores above.

# %%
S_train, y_train = np.array([[-2.85, 0.86, 0.28], [2.0, 3.0, 1.0]]), np.array([2, 0])
S_more, y_more = np.vstack([S_train, base]), np.append(y_train, 0)
for label, (S_set, y_set) in {"2 examples": (S_train, y_train), "3 examples": (S_more, y_more)}.items():
    hinge_sum, ce_sum = (losses.sum() for losses in hinge_and_cross_entropy(S_set, y_set))
    print(f"{label}: summed SVM loss {hinge_sum:.6f}, summed softmax loss {ce_sum:.6f}")

# %% [markdown]
# The SVM also does not care *how* the margins are met; the softmax does:

# %%
S_how = np.array([[10.0, -2.0, 3.0], [10.0, -100.0, -100.0], [10.0, 8.9, 8.9]])
svm_how, soft_how = hinge_and_cross_entropy(S_how, np.zeros(3, dtype=int))
for s, svm_l, soft_l in zip(S_how, svm_how, soft_how, strict=True):
    print(f"scores {str(s.tolist()):22}  SVM loss {svm_l:.4f}   softmax loss {soft_l:.3e}")

# %% [markdown]
# **Inline question 2** — A softmax classifier gives an image the probabilities
# $[0.36, 0.33, 0.31]$. Can you conclude that the model is unsure about this image? (Answer
# before reading on; the next section has evidence.)

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Not on its own. How flat the probabilities are depends on the scale of the scores, which the
# regularization strength controls: multiplying the scores by a factor keeps their order but makes
# the probabilities peakier (factor > 1) or flatter (factor < 1), and a model trained with a
# larger $\lambda$ has smaller weights and flatter probabilities everywhere. Compare against the
# same model's probabilities on other images (or calibrate on validation data) before reading
# the numbers as confidence; the ranking (class 0 first) is the part to trust.
# <!-- END SOLUTION -->

# %% [markdown]
# ## Regularization makes the softmax probabilities peaky or diffuse
#
# The probabilities depend on the *scale* of the scores. Scaling the scores by 1, 0.5 and 0.1:

# %%
s = np.array([1.0, -2.0, 0.0])
for factor in (1.0, 0.5, 0.1):
    print(f"scores {factor * s} -> probabilities {softmax(factor * s).round(4)}")

# %% [markdown]
# Scaling one score vector never changes its ranking, only how confident the probabilities look.
# Stronger regularization means smaller weights, smaller scores, and flatter probabilities. On the
# real data, train softmax classifiers with growing $\lambda$ and look at the largest probability
# per validation image:

# %%
hp = defaults_for(data.name, "softmax")
# (capped so that an SGD step's weight decay 1 - 2 * learning_rate * reg stays positive)
regs = [hp["reg"], hp["reg"] * 1e2, min(hp["reg"] * 1e3, 0.25 / hp["learning_rate"])]
pmax = {}
print(f"{'reg':>8} {'val acc':>8} {'mean max prob':>14} {'|W|':>8}")
for reg in regs:
    clf = Softmax(random_state=0, **{**hp, "reg": reg, "num_iters": 500}).fit(data.X_train, data.y_train)
    pmax[f"λ = {reg:.3g}"] = clf.predict_proba(data.X_val).max(axis=1)
    print(f"{reg:8.3g} {clf.score(data.X_val, data.y_val):8.3f} {pmax[f'λ = {reg:.3g}'].mean():14.3f} "
          f"{np.linalg.norm(clf.W_):8.2f}")
ax = plot_max_probability_histograms(pmax, data.num_classes)
ax.set_title("Stronger regularization → smaller weights → more diffuse softmax probabilities")
plt.show()

# %% [markdown]
# The histograms move towards $1/C$ as $\lambda$ grows. But the validation accuracy falls too, so
# retraining with a larger $\lambda$ is **not** just rescaling the scores: the penalty shrinks
# weights that matter little to the data more than the others, which changes the *direction* of
# $W$, and with it the ranking of the classes for some images. Only a rescaling of one fixed
# model's scores keeps every ranking.
#
# ## Decision boundaries on a 2-D toy set
#
# Both are linear classifiers, so both split the plane with straight lines. Left and middle: each
# model's regions, with a ring around every point whose loss exceeds 0.05 under that model's own
# loss (one threshold for both, since a softmax loss is never exactly 0). Right: both boundaries
# in one panel, shaded where the two predict different classes.

# %%
X2, y2 = make_blobs_2d(n_per_class=60, num_classes=4, spread=0.9, seed=1)
toy_models = {
    "LinearSVM (hinge)": LinearSVM(learning_rate=0.05, reg=1e-3, num_iters=1000, random_state=0),
    "Softmax": Softmax(learning_rate=0.5, reg=1e-3, num_iters=1000, random_state=0),
}
fig, axes = plt.subplots(1, 3, figsize=(17, 4.8), layout="constrained")
for ax, (name, model) in zip(axes, toy_models.items(), strict=False):
    model.fit(X2, y2)
    plot_decision_regions(model, X2, y2, ax=ax, ring_threshold=0.05, delta=None,
                          title=f"{name}: train accuracy {model.score(X2, y2):.2f}")
_, differ = plot_boundaries_overlay(toy_models, X2, y2, ax=axes[2])
axes[2].set_title("both boundaries", fontsize=10)
plt.show()
ringed = {name: int(np.sum(hinge_and_cross_entropy(m.decision_function(X2), y2)[k] > 0.05))
          for k, (name, m) in enumerate(toy_models.items())}
print(f"points with loss > 0.05: {ringed}")
print(f"the two predict different classes on {100 * differ['area']:.1f}% of the plotted area "
      f"and on {len(differ['points'])} of the {len(y2)} points")

# %% [markdown]
# Where the data are, the two boundaries nearly coincide; they part ways far from the data,
# where no point pulls on them, and where classes overlap. The rings show the difference in what
# each loss cares about: the hinge loss is exactly 0 for every point beyond the margin, while the
# softmax still pays for points that are right but not by much.
#
# ## Try it yourself: the interactive explorer
#
# Drag a class's weights or bias and watch its boundary turn; switch the loss between hinge,
# squared hinge and softmax; change Δ and λ; take gradient steps. The read-out shows the total,
# data and regularization loss, and the ringed points are the ones with a positive loss. The
# explorer computes every loss with *your* functions from `cs231n_lin.classifiers`. (Outside a
# live notebook it prints why and shows a static figure instead; a saved notebook also keeps a
# picture of it.)

# %%
from cs231n_lin.explore import explore

explorer = explore(X2, y2, loss="hinge", seed=0)

# %% [markdown]
# ## On the real split
#
# With their default hyper-parameters, trained on the same data and scored on the same test set:

# %%
models = {
    "LinearSVM (hinge)": LinearSVM(random_state=0, **defaults_for(data.name, "svm")),
    "Softmax": Softmax(random_state=0, **defaults_for(data.name, "softmax")),
}
print(f"{'model':18} {'train':>6} {'val':>6} {'test':>6}")
preds = {}
for name, model in models.items():
    model.fit(data.X_train, data.y_train)
    preds[name] = model.predict(data.X_test)
    print(f"{name:18} {model.score(data.X_train, data.y_train):6.3f} "
          f"{model.score(data.X_val, data.y_val):6.3f} {model.score(data.X_test, data.y_test):6.3f}")
agree = np.mean(preds["LinearSVM (hinge)"] == preds["Softmax"])
print(f"the two agree on {100 * agree:.1f}% of the test images")

# %%
Ws = {name: model.W_ for name, model in models.items()}
plot_templates_compared(Ws, data.image_shape, data.class_names)
plt.show()
similarity = template_similarity(*Ws.values(), num_features=int(np.prod(data.image_shape)))
print("cosine similarity of the SVM and softmax template of each class:", similarity.round(2))

# %% [markdown]
# The inputs are mean-subtracted, so a template is red where an image of its class tends to be
# brighter than the average image and blue where darker. Each row is divided by its own largest
# weight (the two losses pull the weights to different sizes). The two models learned nearly the
# same templates (the cosine similarities above are close to 1): the loss changes the details,
# not what a linear classifier can see. In practice the two perform about the same; the
# differences are usually smaller than the effect of the hyper-parameters.
