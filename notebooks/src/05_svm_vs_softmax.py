# Source of notebooks/05_svm_vs_softmax.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 5. SVM vs Softmax
#
# Both classifiers compute the same scores $s = xW$; they differ only in the loss. The SVM
# wants the correct score to win by a margin; the softmax wants the correct class's
# probability to be high. This notebook compares them on one example, on scaled scores, under
# different regularization, on a 2-D toy set, and on the real split.

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin.classifiers import LinearSVM, Softmax
from cs231n_lin.classifiers.linear_svm import svm_loss_vectorized
from cs231n_lin.classifiers.softmax import softmax, softmax_loss_vectorized
from cs231n_lin.data import load_dataset, make_blobs_2d
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.vis.boundaries import plot_decision_regions

np.set_printoptions(precision=4, suppress=True)
data = load_dataset()
print(data.summary())


def losses_of_scores(scores, y, delta=1.0):
    """(SVM hinge loss, softmax loss) of one score vector, through the package's loss functions."""
    W = np.asarray(scores, dtype=np.float64)[None, :]    # one feature equal to 1: scores = W[0]
    X, yy = np.ones((1, 1)), np.array([y])
    return svm_loss_vectorized(W, X, yy, 0.0, delta=delta)[0], softmax_loss_vectorized(W, X, yy, 0.0)[0]


def softmax_loss_log1p(scores, y):
    """-log p_y = log(1 + sum_{j != y} exp(s_j - s_y)) via log1p, which keeps losses far below 1e-16."""
    others = np.delete(scores, y)
    return float(np.log1p(np.sum(np.exp(others - scores[y]))))


# %% [markdown]
# ## The same scores through both losses
#
# Scores $[-2.85, 0.86, 0.28]$ for one example whose correct class is 2.

# %%
# NBVAL_CHECK_OUTPUT
scores = np.array([-2.85, 0.86, 0.28])
svm_l, soft_l = losses_of_scores(scores, 2)
print("margins s_j - s_y + 1:", (scores - scores[2] + 1).round(2), "(class 2 itself does not count)")
print(f"SVM loss     = max(0, {-2.85 - 0.28 + 1:.2f}) + max(0, {0.86 - 0.28 + 1:.2f}) = {svm_l:.2f}")
print("probabilities:", softmax(scores).round(3))
print(f"softmax loss = -log({softmax(scores)[2]:.3f}) = {soft_l:.2f}")

# %% [markdown]
# The numbers 1.58 and 1.04 are not comparable to each other; they only rank score vectors
# within one loss.
#
# ## The SVM is satisfied, the softmax never is
#
# Take scores where the correct class already wins every margin, and stretch them: the SVM
# loss is exactly 0 throughout, while the softmax loss keeps shrinking but stays above 0.

# %%
# NBVAL_CHECK_OUTPUT
base = np.array([10.0, -2.0, 3.0])      # correct class 0 wins by 12 and by 7
print(f"{'scale':>5}  {'SVM loss':>8}  {'softmax loss':>12}")
svm_all, soft_all = [], []
for scale in [0.5, 1.0, 2.0, 5.0, 10.0, 100.0]:
    svm_all.append(losses_of_scores(scale * base, 0)[0])
    soft_all.append(softmax_loss_log1p(scale * base, 0))
    print(f"{scale:5.1f}  {svm_all[-1]:8.4f}  {soft_all[-1]:12.3e}")
print("PASS: SVM loss exactly 0 at every scale" if all(v == 0.0 for v in svm_all) else "FAIL: SVM loss not 0")
shrinking = all(a > b > 0 for a, b in zip(soft_all, soft_all[1:], strict=False))
print("PASS: softmax loss > 0 and shrinking" if shrinking
      else "FAIL: softmax loss should stay > 0 and shrink")

# %% [markdown]
# At scale 0.5 the gap of 3.5 to class 2 still exceeds $\Delta = 1$, so the SVM is already content.
# The softmax would always like the correct probability a bit higher.
#
# (The table uses `log1p`. Computed as $\log(1 + x)$, as the loss functions do, a loss below
# about $10^{-16}$ rounds to exactly 0, because $1 + x = 1$ in float64:)

# %%
for scale in [5.0, 10.0]:
    print(f"scale {scale:4.1f}: softmax_loss_vectorized {losses_of_scores(scale * base, 0)[1]:.3e}, "
          f"log1p {softmax_loss_log1p(scale * base, 0):.3e}")

# %% [markdown]
# The SVM also does not care *how* the margins are met; the softmax does:

# %%
# NBVAL_CHECK_OUTPUT
for s in ([10.0, -2.0, 3.0], [10.0, -100.0, -100.0], [10.0, 8.9, 8.9]):
    svm_l, _ = losses_of_scores(np.array(s), 0)
    print(f"scores {str(s):22}  SVM loss {svm_l:.4f}   softmax loss {softmax_loss_log1p(np.array(s), 0):.3e}")

# %% [markdown]
# ## Regularization makes the softmax probabilities peaky or diffuse
#
# The probabilities depend on the *scale* of the scores. Stronger regularization means smaller
# weights, smaller scores, and flatter probabilities. Halving the scores:

# %%
# NBVAL_CHECK_OUTPUT
s = np.array([1.0, -2.0, 0.0])
for factor in (1.0, 0.5, 0.1):
    print(f"scores {factor * s} -> probabilities {softmax(factor * s).round(4)}")

# %% [markdown]
# The ranking never changes, only how confident the probabilities look: the order of the
# scores is interpretable, their absolute size depends on $\lambda$. On the real data, train
# softmax classifiers with growing $\lambda$ and look at the largest probability per validation image:

# %%
hp = defaults_for(data.name, "softmax")
# (capped so that an SGD step's weight decay 1 - 2 * learning_rate * reg stays positive)
regs = [hp["reg"], hp["reg"] * 1e2, min(hp["reg"] * 1e3, 0.25 / hp["learning_rate"])]
fig, ax = plt.subplots(figsize=(9, 3.8))
print(f"{'reg':>8} {'val acc':>8} {'mean max prob':>14} {'|W|':>8}")
for reg in regs:
    clf = Softmax(random_state=0, **{**hp, "reg": reg, "num_iters": 500}).fit(data.X_train, data.y_train)
    pmax = clf.predict_proba(data.X_val).max(axis=1)
    val_acc = clf.score(data.X_val, data.y_val)
    print(f"{reg:8.3g} {val_acc:8.3f} {pmax.mean():14.3f} {np.linalg.norm(clf.W_):8.2f}")
    ax.hist(pmax, bins=np.linspace(0, 1, 26), alpha=0.5, label=f"reg = {reg:.3g}")
ax.axvline(1 / data.num_classes, color="grey", linestyle=":", label="1 / C (uniform)")
ax.set_xlabel("largest class probability of a validation image")
ax.set_ylabel("number of images")
ax.set_title("Stronger regularization -> more diffuse softmax probabilities")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Decision boundaries on a 2-D toy set
#
# Both are linear classifiers, so both split the plane with straight lines. The boundaries are
# usually close; they differ where the losses weigh the points differently.

# %%
X2, y2 = make_blobs_2d(n_per_class=60, num_classes=4, spread=0.9, seed=1)
toy_models = {
    "LinearSVM (hinge)": LinearSVM(learning_rate=0.05, reg=1e-3, num_iters=1000, random_state=0),
    "Softmax": Softmax(learning_rate=0.5, reg=1e-3, num_iters=1000, random_state=0),
}
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
for ax, (name, model) in zip(axes, toy_models.items(), strict=True):
    model.fit(X2, y2)
    plot_decision_regions(model, X2, y2, ax=ax, title=f"{name}: train accuracy {model.score(X2, y2):.2f}")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Try it yourself: the interactive explorer
#
# Drag a class's weights or bias and watch its boundary turn; switch the loss between hinge,
# squared hinge and softmax; change Δ and λ; take gradient steps. The read-out shows the total,
# data and regularization loss, and the ringed points are the ones with a positive loss. The
# explorer computes every loss with *your* functions from `cs231n_lin.classifiers`. (Outside a
# live notebook it prints why and shows a static figure instead.)

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

# %% [markdown]
# In practice the two perform about the same; the differences are usually smaller than the
# effect of the hyper-parameters.

# %% [markdown]
# **Inline question 1** — A softmax classifier gives an image the probabilities
# $[0.36, 0.33, 0.31]$. Can you conclude that the model is unsure about this image?

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Not on its own. The ranking is meaningful (class 0 wins), but how flat the probabilities are
# depends on the scale of the scores, which the regularization strength controls: the same
# model trained with a smaller $\lambda$ would give the same ranking with much peakier
# probabilities. Compare against other images from the same model (or calibrate on validation
# data) before reading the numbers as confidence.
# <!-- END SOLUTION -->
