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

# %% [markdown] lang="zh"
# # 5. SVM 与 Softmax 的比较
#
# 两种分类器计算相同的得分 $s = xW$，区别只在损失。SVM 希望正确得分以一定间隔胜出；softmax 希望正确类别的概
# 率高。本 notebook 在一个样本上、在缩放后的得分上、在不同正则化强度下、在一个二维玩具数据集上，以及在真实数
# 据划分上比较它们。
#
# **你要写的内容**（约 45 分钟）：本 notebook 单元格中的 `hinge_and_cross_entropy`，计算得分矩阵每一行的两种
# 损失（后面有一个检查单元格），以及两个随堂问题的答案。其余部分都用你在 notebook 1–4 中写的函数。

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
from cs231n_lin.i18n import tr
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

# %% [markdown] lang="zh"
# ## 你的代码：每个样本的两种损失
#
# 对形状为 `(N, C)` 的得分矩阵 `S` 和标签 `y`，返回两个形状为 `(N,)` 的数组：每一行的合页损
# 失 $L_i = \sum_{j \neq y_i} \max(0, s_j - s_{y_i} + \Delta)$ 和交叉熵 $L_i = -\log p_{y_i}$，不
# 用 Python 循环。你在 notebook 4 中写的 `log_softmax` 能让交叉熵在得分很大时保持有限；
# 用 `S[np.arange(N), y]` 索引可以取出每一行的正确得分。

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

# %% [markdown] lang="zh"
# ## 同样的得分，两种损失
#
# 一个样本的得分为 $[-2.85, 0.86, 0.28]$，正确类别为 2。

# %%
scores = np.array([-2.85, 0.86, 0.28])
(svm_l,), (soft_l,) = hinge_and_cross_entropy(scores[None, :], np.array([2]))
print(tr("margins s_j - s_y + 1:", "间隔 s_j - s_y + 1："), (scores - scores[2] + 1).round(2),
      tr("(class 2 itself does not count)", "（类别 2 自身不算）"))
print(tr("SVM loss     = ", "SVM 损失     = ")
      + f"max(0, {-2.85 - 0.28 + 1:.2f}) + max(0, {0.86 - 0.28 + 1:.2f}) = {svm_l:.2f}")
print(tr("probabilities:", "概率："), softmax(scores).round(3))
print(tr("softmax loss = ", "softmax 损失 = ") + f"-log({softmax(scores)[2]:.3f}) = {soft_l:.2f}")

# %% [markdown]
# The numbers 1.58 and 1.04 are not comparable to each other; they only rank score vectors
# within one loss.

# %% [markdown] lang="zh"
# 1.58 和 1.04 这两个数彼此不可比；它们只能在同一种损失内部给得分向量排序。

# %% [markdown]
# **Inline question 1** — Suppose the training loss is the *sum* of the per-example losses, with
# no regularization (this course's loss is the mean; the sum makes the question sharper). True or
# false: adding a new example to the training set can leave the SVM loss unchanged, but it always
# changes the softmax loss. Explain, then test your answer with `hinge_and_cross_entropy` in the
# next sections.

# %% [markdown] lang="zh"
# **随堂问题 1** — 假设训练损失是各样本损失之*和*，且没有正则化（本课程的损失是平均值；用和能让问题更清楚）
# 。判断对错：向训练集加入一个新样本，可能使 SVM 损失保持不变，但一定会改变 softmax 损失。请解释，然后在后面
# 几节中用 `hinge_and_cross_entropy` 验证你的答案。

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# True. A new example whose correct score beats every other score by at least $\Delta$ has hinge
# loss exactly 0, so the summed SVM loss does not change. Its cross-entropy $-\log p_{y_i}$ is
# strictly positive for any finite scores, because $p_{y_i} < 1$, so the softmax loss grows
# (in exact arithmetic; in float64 the increase can round to 0 when $p_{y_i}$ is within about
# $10^{-16}$ of 1).
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 正确。如果新样本的正确得分比其他每个得分都至少高出 $\Delta$，它的合页损失恰好为 0，SVM 损失之和不变。而对
# 任何有限的得分，$p_{y_i} < 1$，所以它的交叉熵 $-\log p_{y_i}$ 严格为正，softmax 损失会增大（这是在精确算术
# 下；在 float64 中，当 $p_{y_i}$ 与 1 相差不到约 $10^{-16}$ 时，增量可能被舍入为 0）。
# <!-- END SOLUTION -->

# %% [markdown]
# ## The SVM is satisfied, the softmax never is
#
# Take scores where the correct class already wins every margin, and stretch them: the SVM
# loss is exactly 0 throughout, while the softmax loss keeps shrinking. The last column computes
# the same cross-entropy as $\log(1 + \sum_{j\neq y} e^{s_j - s_y})$ with `np.log1p`, which is
# accurate for tiny losses:

# %% [markdown] lang="zh"
# ## SVM 会满足，softmax 永不满足
#
# 取正确类别已经满足所有间隔的得分，然后把它们放大：SVM 损失始终恰好为 0，而 softmax 损失一直在减小。最后一
# 列用 `np.log1p` 把同一个交叉熵算成 $\log(1 + \sum_{j\neq y} e^{s_j - s_y})$，对很小的损失也准确：

# %%
base = np.array([10.0, -2.0, 3.0])      # correct class 0 wins by 12 and by 7
scales = np.array([0.5, 1.0, 2.0, 5.0, 10.0, 100.0])
svm_all, soft_all = hinge_and_cross_entropy(scales[:, None] * base, np.zeros(len(scales), dtype=int))
print(tr(f"{'scale':>5}  {'SVM loss':>8}  {'your cross-entropy':>18}  {'via log1p':>10}",
         f"{'缩放':>4}  {'SVM 损失':>7}  {'你的交叉熵':>13}  {'用 log1p':>9}"))
for scale, svm_l, soft_l in zip(scales, svm_all, soft_all, strict=True):
    others = np.delete(scale * base, 0) - scale * base[0]
    print(f"{scale:5.1f}  {svm_l:8.4f}  {soft_l:18.3e}  {np.log1p(np.sum(np.exp(others))):10.3e}")

# %% [markdown]
# At scale 0.5 the gap of 3.5 to class 2 already exceeds $\Delta = 1$, so the SVM is content at
# every scale. The softmax would always like the correct probability a bit higher.
#
# In exact arithmetic $L_i = -\log p_y > 0$ for any finite scores, since $p_y < 1$; yet from
# scale 10 on your cross-entropy prints exactly 0. Both are right: that is float rounding. Here
# $-\log p_{y} = \log(1 + x)$ with $x = \sum_{j\neq y} e^{s_j - s_y}$; once $x$ is below about
# $10^{-16}$ (half the float64 spacing just above 1), $1 + x$ rounds to exactly 1 and
# $\log 1 = 0$. `np.log1p(x)` computes $\log(1 + x)$ without forming $1 + x$, so it keeps
# $4\times10^{-31}$.
#
# Back to inline question 1: a small training set, then the same set with one more example whose
# scores are the base scores above.

# %% [markdown] lang="zh"
# 缩放为 0.5 时，与类别 2 的差距 3.5 已经超过 $\Delta = 1$，所以 SVM 在每个缩放下都满意。softmax 则总是希望
# 正确类别的概率再高一点。
#
# 在精确算术下，对任何有限的得分都有 $p_y < 1$，所以 $L_i = -\log p_y > 0$；但从缩放 10 开始，你的交叉熵打
# 印出来恰好是 0。两者都对：这是浮点舍入。这里 $-\log p_{y} = \log(1 + x)$，其
# 中 $x = \sum_{j\neq y} e^{s_j - s_y}$；一旦 $x$ 小于约 $10^{-16}$（float64 中紧挨在 1 之上的两个数之间间距的
# 一
# 半），$1 + x$ 就被舍入为恰好 1，而 $\log 1 = 0$。
# `np.log1p(x)` 不显式构造 $1 + x$ 就算出 $\log(1 + x)$，所以能保留 $4\times10^{-31}$。
#
# 回到随堂问题 1：先取一个小训练集，再在同一个集合中加入一个样本，它的得分就是上面的基础得分。

# %%
S_train, y_train = np.array([[-2.85, 0.86, 0.28], [2.0, 3.0, 1.0]]), np.array([2, 0])
S_more, y_more = np.vstack([S_train, base]), np.append(y_train, 0)
for label, (S_set, y_set) in {"2 examples": (S_train, y_train), "3 examples": (S_more, y_more)}.items():
    hinge_sum, ce_sum = (losses.sum() for losses in hinge_and_cross_entropy(S_set, y_set))
    print(tr(f"{label}: summed SVM loss {hinge_sum:.6f}, summed softmax loss {ce_sum:.6f}",
             f"{label[0]} 个样本：SVM 损失之和 {hinge_sum:.6f}，softmax 损失之和 {ce_sum:.6f}"))

# %% [markdown]
# The SVM also does not care *how* the margins are met; the softmax does:

# %% [markdown] lang="zh"
# SVM 也不在乎间隔是*怎样*满足的；softmax 却在乎：

# %%
S_how = np.array([[10.0, -2.0, 3.0], [10.0, -100.0, -100.0], [10.0, 8.9, 8.9]])
svm_how, soft_how = hinge_and_cross_entropy(S_how, np.zeros(3, dtype=int))
for s, svm_l, soft_l in zip(S_how, svm_how, soft_how, strict=True):
    print(tr(f"scores {str(s.tolist()):22}  SVM loss {svm_l:.4f}   softmax loss {soft_l:.3e}",
             f"得分 {str(s.tolist()):22}  SVM 损失 {svm_l:.4f}   softmax 损失 {soft_l:.3e}"))

# %% [markdown]
# **Inline question 2** — A softmax classifier gives an image the probabilities
# $[0.36, 0.33, 0.31]$. Can you conclude that the model is unsure about this image? (Answer
# before reading on; the next section has evidence.)

# %% [markdown] lang="zh"
# **随堂问题 2** — 一个 softmax 分类器给某张图像的概率是 $[0.36, 0.33, 0.31]$。你能得出模型对这张图像没把握
# 的结论吗？（先作答再往下读；下一节有证据。）

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Not on its own. How flat the probabilities are depends on the scale of the scores, which the
# regularization strength controls: multiplying the scores by a factor keeps their order but makes
# the probabilities peakier (factor > 1) or flatter (factor < 1), and a model trained with a
# larger $\lambda$ has smaller weights and flatter probabilities everywhere. Compare against the
# same model's probabilities on other images (or calibrate on validation data) before reading
# the numbers as confidence; the ranking (class 0 first) is the part to trust.
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 单凭这一点不能。概率有多平坦，取决于得分的尺度，而尺度受正则化强度控制：把得分乘以一个因子，排序不变，但概
# 率会变得更尖（因子 > 1）或更平（因子 < 1）；用更大的 $\lambda$ 训练出的模型权重更小，对每张图像给出的概率都
# 更平。要把这些数字当作置信度，先拿它们和同一个模型在其他图像上的概率比一比（或在验证数据上做校
# 准 (calibration)）。真正可以信任的是排序：类别 0 排第一。
# <!-- END SOLUTION -->

# %% [markdown]
# ## Regularization makes the softmax probabilities peaky or diffuse
#
# The probabilities depend on the *scale* of the scores. Scaling the scores by 1, 0.5 and 0.1:

# %% [markdown] lang="zh"
# ## 正则化让 softmax 概率变尖或变平
#
# 概率取决于得分的*尺度*。把得分分别乘以 1、0.5 和 0.1：

# %%
s = np.array([1.0, -2.0, 0.0])
for factor in (1.0, 0.5, 0.1):
    print(tr(f"scores {factor * s} -> probabilities {softmax(factor * s).round(4)}",
             f"得分 {factor * s} -> 概率 {softmax(factor * s).round(4)}"))

# %% [markdown]
# Scaling one score vector never changes its ranking, only how confident the probabilities look.
# Stronger regularization means smaller weights, smaller scores, and flatter probabilities. On the
# real data, train softmax classifiers with growing $\lambda$ and look at the largest probability
# per validation image:

# %% [markdown] lang="zh"
# 缩放一个得分向量从不改变它的排序，只改变概率看上去有多自信。正则化越强，权重越小，得分越小，概率越平。在真
# 实数据上，用逐渐增大的 $\lambda$ 训练 softmax 分类器，看每张验证图像的最大概率：

# %%
hp = defaults_for(data.name, "softmax")
# (capped so that an SGD step's weight decay 1 - 2 * learning_rate * reg stays positive)
regs = [hp["reg"], hp["reg"] * 1e2, min(hp["reg"] * 1e3, 0.25 / hp["learning_rate"])]
pmax = {}
print(tr(f"{'reg':>8} {'val acc':>8} {'mean max prob':>14} {'|W|':>8}",
         f"{'reg':>8} {'验证准确率':>5} {'最大概率的均值':>7} {'|W|':>8}"))
for reg in regs:
    clf = Softmax(random_state=0, **{**hp, "reg": reg, "num_iters": 500}).fit(data.X_train, data.y_train)
    pmax[f"λ = {reg:.3g}"] = clf.predict_proba(data.X_val).max(axis=1)
    print(f"{reg:8.3g} {clf.score(data.X_val, data.y_val):8.3f} {pmax[f'λ = {reg:.3g}'].mean():14.3f} "
          f"{np.linalg.norm(clf.W_):8.2f}")
ax = plot_max_probability_histograms(pmax, data.num_classes)
ax.set_title(tr("Stronger regularization → smaller weights → more diffuse softmax probabilities",
                "正则化越强 → 权重越小 → softmax 概率越平"))
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

# %% [markdown] lang="zh"
# 随着 $\lambda$ 增大，直方图向 $1/C$ 移动。但验证准确率也在下降，所以用更大的 $\lambda$ 重新训练**不只是
# **缩放得分：惩罚项对那些对数据不太重要的权重压缩得更多，这改变了 $W$ 的*方向*，也就改变了某些图像上各类别
# 的排序。只有对同一个固定模型的得分做缩放，才能保持所有排序不变。
#
# ## 二维玩具数据集上的决策边界
#
# 两者都是线性分类器，所以都用直线划分平面。左图和中图：每个模型的区域，在该模型自己的损失下损失超过 0.05 的
# 点周围画一个圈（两者用同一个阈值，因为 softmax 损失从不恰好为 0）。右图：两条决策边
# 界 (decision boundary) 画在同一面板中，两者预测不同类别的区域加了阴影。

# %%
X2, y2 = make_blobs_2d(n_per_class=60, num_classes=4, spread=0.9, seed=1)
svm_name = tr("LinearSVM (hinge)", "LinearSVM（合页损失）")
toy_models = {
    svm_name: LinearSVM(learning_rate=0.05, reg=1e-3, num_iters=1000, random_state=0),
    "Softmax": Softmax(learning_rate=0.5, reg=1e-3, num_iters=1000, random_state=0),
}
fig, axes = plt.subplots(1, 3, figsize=(17, 4.8), layout="constrained")
for ax, (name, model) in zip(axes, toy_models.items(), strict=False):
    model.fit(X2, y2)
    plot_decision_regions(model, X2, y2, ax=ax, ring_threshold=0.05, delta=None,
                          title=tr(f"{name}: train accuracy {model.score(X2, y2):.2f}",
                                   f"{name}：训练准确率 {model.score(X2, y2):.2f}"))
_, differ = plot_boundaries_overlay(toy_models, X2, y2, ax=axes[2])
axes[2].set_title(tr("both boundaries", "两条边界"), fontsize=10)
plt.show()
ringed = {name: int(np.sum(hinge_and_cross_entropy(m.decision_function(X2), y2)[k] > 0.05))
          for k, (name, m) in enumerate(toy_models.items())}
print(tr(f"points with loss > 0.05: {ringed}", f"损失 > 0.05 的点数：{ringed}"))
print(tr(f"the two predict different classes on {100 * differ['area']:.1f}% of the plotted area "
         f"and on {len(differ['points'])} of the {len(y2)} points",
         f"两者在 {100 * differ['area']:.1f}% 的绘图面积上、"
         f"在 {len(y2)} 个点中的 {len(differ['points'])} 个上预测的类别不同"))

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
# explorer computes every loss with *your* functions from `cs231n_lin.classifiers`. It starts
# from the weights of the SVM trained above. (Outside a live notebook it prints why and shows a
# static figure instead; a saved notebook also keeps a picture of it.)

# %% [markdown] lang="zh"
# 在有数据的地方，两条边界几乎重合；在远离数据、没有点拉动它们的地方，以及类别重叠的地方，它们才分开。圆圈显
# 示了两种损失关心的东西不同：对间隔之外的每个点，合页损失恰好为 0，而 softmax 对那些分类正确但优势不大的点
# 仍要付出代价。
#
# ## 自己动手：交互式探索器
#
# 拖动某个类别的权重或偏置，看它的边界如何转动；在合页、平方合页和 softmax 之间切换损失；改变 Δ 和 λ；走几步
# 梯度下降。读数显示总损失、数据损失和正则化损失，带圈的点是损失为正的点。探索器用的是*你
# *在 `cs231n_lin.classifiers` 中写的函数来计算每个损失。探索器从上面训练好的 SVM 的权重出发。（不在可交互
# 的 notebook 中运行时，它会打印原因，改为显示一张静态图；保存的 notebook 中也会保留一张它的图片。）

# %%
from cs231n_lin.explore import explore

W_svm = toy_models[svm_name].W_                # rows: the 2 weights, then the bias
explorer = explore(X2, y2, loss="hinge", W=W_svm[:2], b=W_svm[2], seed=0,
                   class_names=[tr(f"class {c}", f"类别 {c}") for c in range(4)])

# %% [markdown]
# ## On the real split
#
# With their default hyper-parameters, trained on the same data and scored on the same test set:

# %% [markdown] lang="zh"
# ## 在真实数据划分上
#
# 用各自的默认超参数，在相同数据上训练，在相同测试集上评分：

# %%
models = {
    svm_name: LinearSVM(random_state=0, **defaults_for(data.name, "svm")),
    "Softmax": Softmax(random_state=0, **defaults_for(data.name, "softmax")),
}
print(tr(f"{'model':18} {'train':>6} {'val':>6} {'test':>6}",
         f"{'模型':16} {'训练':>4} {'验证':>4} {'测试':>4}"))
preds = {}
for name, model in models.items():
    model.fit(data.X_train, data.y_train)
    preds[name] = model.predict(data.X_test)
    print(f"{name:18} {model.score(data.X_train, data.y_train):6.3f} "
          f"{model.score(data.X_val, data.y_val):6.3f} {model.score(data.X_test, data.y_test):6.3f}")
agree = np.mean(preds[svm_name] == preds["Softmax"])
print(tr(f"the two agree on {100 * agree:.1f}% of the test images",
         f"两者在 {100 * agree:.1f}% 的测试图像上预测一致"))

# %%
Ws = {name: model.W_ for name, model in models.items()}
plot_templates_compared(Ws, data.image_shape, data.class_names)
plt.show()
similarity = template_similarity(*Ws.values(), num_features=int(np.prod(data.image_shape)))
print(tr("cosine similarity of the SVM and softmax template of each class:",
         "每个类别的 SVM 模板与 softmax 模板的余弦相似度："), similarity.round(2))

# %% [markdown]
# The inputs are mean-subtracted, so a template is red where an image of its class tends to be
# brighter than the average image and blue where darker. Each row is divided by its own largest
# weight (the two losses pull the weights to different sizes). The two models learned nearly the
# same templates (the cosine similarities above are close to 1): the loss changes the details,
# not what a linear classifier can see. In practice the two perform about the same; the
# differences are usually smaller than the effect of the hyper-parameters.

# %% [markdown] lang="zh"
# 输入减去了均值，所以模板在该类别图像往往比平均图像更亮的地方是红色，更暗的地方是蓝色。每一行都除以了它自己
# 的最大权重（两种损失把权重拉到不同的大小）。两个模型学到的模板几乎相同（上面的余弦相似度接近 1）：损失改变
# 的是细节，而不是线性分类器能看到什么。实践中两者表现差不多；它们的差别通常比超参数的影响还小。
