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

# %% [markdown] lang="zh"
# # 1. 多类 SVM 损失（合页损失）
#
# 线性分类器给每个类别打一个**得分 (score)**。多类支持向量机损失 (multiclass SVM loss) 要求正确类别的得分比
# 其他每个类别的得分至少高出一个间隔 (margin) $\Delta$。在本 notebook 中，你将写出这个损失及其梯
# 度 (gradient)，用自己写的 SGD 步骤训练一个线性 SVM，并在验证数据上选择超参数 (hyperparameter)。
#
# **你要写的内容**（总共约 3 到 4 小时）。每完成一部分，紧接着就有一个检查单元格 (check cell)：写完后运行它
# ，它会打印 `PASS`，或者打印 `FAIL` 以及哪里出错、可能的原因。
#
# | 位置 | 内容 | 用时 |
# |---|---|---|
# | `cs231n_lin/classifiers/linear_svm.py` | `svm_loss_naive`：用循环计算损失 | 30 分钟 |
# | 本 notebook | `hinge_score_gradient`：单个样本得分的梯度 | 20 分钟 |
# | `cs231n_lin/classifiers/linear_svm.py` | `svm_loss_naive`：梯度 `dW` | 30 分钟 |
# | `cs231n_lin/classifiers/linear_svm.py` | `svm_loss_vectorized`：不用循环的损失和梯度 | 45 分钟 |
# | `cs231n_lin/classifiers/linear_classifier.py` | `fit`（SGD 步骤）和 `predict` | 20 分钟 |
# | 本 notebook | 搜索网格和 `search_hyperparameters` | 30 分钟 |
# | 本 notebook | 六个随堂问题 (inline question)，答案写在各题下方的单元格里 | 40 分钟 |
#
# 用任何编辑器修改这些文件都可以；重新运行单元格时，`%autoreload`（第一个单元格）会载入大部分改动。如果某个
# 改动似乎没有生效，就重启内核 (kernel) 并重新运行各单元格。

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
from cs231n_lin.i18n import tr
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
# ## The data, and what was done to it
#
# `load_dataset` gives each image as one row of `X` (its pixels, flattened), with the **mean
# image** of the training split subtracted from every row of every split. In the figure below,
# top: one training image of each class, as it was before; bottom: the mean image, one image, and
# that image after the subtraction (grey is 0, lighter above the average pixel, darker below).
#
# ## The bias trick, and the scores
#
# A linear classifier scores $s = xW + b$. Append a constant 1 to every row of `X` and the bias
# $b$ to `W` as its last row: then $[x, 1] \begin{bmatrix} W \\ b \end{bmatrix} = xW + b$, one matrix
# product with no separate bias. `add_bias` does the appending. With the bias folded into `W`,
# the scores of all examples are one matrix product: `S = X @ W`, shape `(N, C)`, one row per
# example. The cell below shows the images, checks the bias trick on three rows, and computes
# the scores of the dev split for random weights.

# %% [markdown] lang="zh"
# ## 数据，以及对它做了什么
#
# `load_dataset` 把每张图像变成 `X` 的一行（把像素展平），并从每个划分的每一行中减去训练集的**平均图
# 像 (mean image)**。下图中，上排：每个类别的一张训练图像，即减去均值之前的样子；下排：平均图像、一张图像，
# 以及减去均值之后的这张图像（灰色是 0，比平均像素亮的更白，暗的更黑）。
#
# ## 偏置技巧与得分
#
# 线性分类器的得分是 $s = xW + b$。在 `X` 的每一行末尾补一个常数 1，再把偏置 $b$ 作为最后一行接到 `W` 下面：
# 于是 $[x, 1] \begin{bmatrix} W \\ b \end{bmatrix} = xW + b$，一次矩阵乘法，不再需要单独的偏置。这就是偏置技
# 巧 (bias trick)，由 `add_bias` 完成。偏置并入 `W` 之后，所有样本的得分就是一次矩阵乘法：`S = X @ W`，形状
# 为 `(N, C)`，每个样本一行。下面的单元格显示这些图像，在三行数据上验证偏置技巧，并用随机权重算出 dev 集的得
# 分。

# %%
def show_image(ax, row, title, centred=False):
    """Draw one flattened image; centred: 0 is mid-grey (for mean-subtracted rows)."""
    img = row.reshape(data.image_shape).astype(np.float64)
    if centred:
        img = 0.5 + 0.5 * img / (np.abs(img).max() or 1.0)
    else:
        img = (img - img.min()) / (np.ptp(img) or 1.0)
    ax.imshow(img, cmap="gray" if img.ndim == 2 else None, vmin=0, vmax=1)
    ax.set_title(title, fontsize=9)
    ax.axis("off")


# The images, before and after the mean subtraction.
C_shown = min(data.num_classes, 10)
fig, axes = plt.subplots(2, C_shown, figsize=(1.2 * C_shown, 3.0), layout="constrained")
for c in range(C_shown):
    i = int(np.flatnonzero(data.y_train == c)[0])
    show_image(axes[0, c], data.X_train[i] + data.mean_image, str(data.class_names[c]))
for ax in axes[1]:
    ax.axis("off")
show_image(axes[1, 0], data.mean_image, tr("mean image", "平均图像"))
show_image(axes[1, 1], data.X_train[0] + data.mean_image, tr("an image", "一张图像"))
show_image(axes[1, 2], data.X_train[0], tr("minus the mean", "减去均值后"), centred=True)
plt.show()
left = np.abs(data.X_train.mean(axis=0)).max()
print(tr(f"mean of the training rows after the subtraction: largest |value| {left:.1e}",
         f"减去均值后训练集各行的平均：最大 |值| 为 {left:.1e}"))

# The bias trick on three rows.
X_three = data.X_train[:3].astype(np.float64)
X_three_b = add_bias(X_three)
W_demo = np.random.default_rng(2).standard_normal((X_three.shape[1], data.num_classes))
b_demo = np.random.default_rng(3).standard_normal(data.num_classes)
print(tr(f"X: {X_three.shape} -> add_bias(X): {X_three_b.shape}; its last column: {X_three_b[:, -1]}",
         f"X：{X_three.shape} -> add_bias(X)：{X_three_b.shape}；它的最后一列：{X_three_b[:, -1]}"))
same = np.allclose(X_three @ W_demo + b_demo, X_three_b @ np.vstack([W_demo, b_demo]))
print(tr(f"x W + b equals [x, 1] [W; b]: {same}", f"x W + b 等于 [x, 1] [W; b]：{same}"))

# The scores of the dev split.
X_dev = add_bias(data.X_dev).astype(np.float64)
y_dev = data.y_dev
num_classes = data.num_classes
rng = np.random.default_rng(0)
# Scale 2 / sqrt(D): scores of order 1 whatever the image size, so some margins are met and some not.
W0 = 2.0 / np.sqrt(X_dev.shape[1]) * rng.standard_normal((X_dev.shape[1], num_classes))
S = X_dev @ W0
print("X_dev:", X_dev.shape, " W:", W0.shape, tr(" scores:", " 得分："), S.shape)
print(tr("scores of example 0:", "样本 0 的得分："), S[0].round(2),
      tr(" correct class:", " 正确类别："), data.class_names[y_dev[0]])

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

# %% [markdown] lang="zh"
# ## 间隔与 $\Delta$
#
# 对得分为 $s$、正确类别为 $y_i$ 的一个样本：
#
# $$L_i = \sum_{j \neq y_i} \max(0,\; s_j - s_{y_i} + \Delta)$$
#
# 只有当类别 $j$ 的得分离正确得分不到 $\Delta$（或者超过了正确得分）时，它才会贡献损失。例子：得
# 分 $[13, -7, 11]$，正确类别为 0，$\Delta = 10$：
#
# * 类别 1：$\max(0,\; -7 - 13 + 10) = \max(0, -10) = 0$；
# * 类别 2：$\max(0,\; 11 - 13 + 10) = \max(0, 8) = 8$；
#
# 所以 $L_i = 0 + 8 = 8$。画在数轴上（正确类别单独占一行，红色区域只针对其他类别）：

# %%
ax = plot_margin_number_line([13.0, -7.0, 11.0], correct=0, delta=10.0)
ax.set_title(tr(r"Scores of one example: correct class 0, $\Delta$ = 10",
                r"一个样本的得分：正确类别为 0，$\Delta$ = 10"))
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

# %% [markdown] lang="zh"
# 类别 1 比正确得分低了不止 $\Delta$：没有损失。类别 2 只比它低 2，落进红色区域 8 个单位：它对间隔的违反量
# 为 8，这就是它的损失。
#
# ## 你的代码：`svm_loss_naive`（损失）
#
# 打开 **`cs231n_lin/classifiers/linear_svm.py`**，在 **`svm_loss_naive`** 中补全损失的计算，对样本和类别使
# 用显式循环（循环已经写好）。函数返回 `(loss, dW)`，其中 `loss = mean_i L_i + reg * sum(W * W)`。现在先写损
# 失；`dW` 留到后面一节（在那之前，下面的检查只看损失）。

# %% tags=["nbval-check-output"]
checks.svm_naive_loss(svm_loss_naive)

# %% [markdown]
# **Inline question 1** — With tiny random weights every score is close to 0. What loss do you
# expect then, in terms of $C$ and $\Delta$, and why? Answer first, then run the cell after your
# answer to compare.

# %% [markdown] lang="zh"
# **随堂问题 1** — 权重是很小的随机数时，每个得分都接近 0。这时你预期损失是多少（用 $C$ 和 $\Delta$ 表示）？
# 为什么？先作答，再运行答案后面的单元格来对照。

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Every score is about 0, so every margin $s_j - s_{y_i} + \Delta$ is about $\Delta > 0$: each of
# the $C - 1$ wrong classes adds $\Delta$, and $L_i \approx (C - 1)\Delta$ for every example, so
# the mean is $(C - 1)\Delta$ (9 here, with 10 classes and $\Delta = 1$). The regularization term
# is negligible for tiny weights. A first loss far from this value signals a bug.
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 每个得分都约为 0，所以每个间隔项 $s_j - s_{y_i} + \Delta$ 都约为 $\Delta > 0$：$C - 1$ 个错误类别各贡
# 献 $\Delta$，每个样本的 $L_i \approx (C - 1)\Delta$，平均值也是 $(C - 1)\Delta$（这里有 10 个类别、
# $\Delta = 1$，即 9）。权重很小时正则化 (regularization) 项可以忽略。如果第一次算出的损失离这个值很远，说明
# 有 bug。
# <!-- END SOLUTION -->

# %%
W_tiny = 1e-6 * np.random.default_rng(1).standard_normal(W0.shape)
loss_tiny, _ = svm_loss_naive(W_tiny, X_dev, y_dev, reg=0.0)
print(tr(f"loss with tiny weights: {loss_tiny:.4f}   (C = {num_classes}, delta = 1)",
         f"权重很小时的损失：{loss_tiny:.4f}   (C = {num_classes}, delta = 1)"))

# %% [markdown]
# $\Delta$ is a **hyper-parameter**, fixed before training. Your function gives the worked
# example's loss for other values of $\Delta$ (a `W` with one feature and `X = [[1]]` makes the
# scores exactly $[13, -7, 11]$):

# %% [markdown] lang="zh"
# $\Delta$ 是一个**超参数**，在训练之前就固定下来。用你的函数算一算例子在其他 $\Delta$ 值下的损失（只有一个
# 特征的 `W` 配上 `X = [[1]]`，得分恰好是 $[13, -7, 11]$）：

# %%
W_ex, X_ex, y_ex = np.array([[13.0, -7.0, 11.0]]), np.array([[1.0]]), np.array([0])
for d in [0.0, 1.0, 2.0, 5.0, 10.0, 20.0]:
    loss_d, _ = svm_loss_naive(W_ex, X_ex, y_ex, reg=0.0, delta=d)
    print(f"delta = {d:5.1f}:  " + tr("loss", "损失") + f" = {loss_d:5.1f}")

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

# %% [markdown] lang="zh"
# ## 梯度：逐个得分来看
#
# 把 $L_i$ 对每个得分求导。每一项 $\max(0,\; s_j - s_{y_i} + \Delta)$（$j \neq y_i$）依赖两个得分：
# $s_j$ 和 $s_{y_i}$。在纸上推出
#
# * 错误类别 $j$ 的 $\partial L_i / \partial s_j$（求和中哪些项含有 $s_j$？），以及
# * 正确类别的 $\partial L_i / \partial s_{y_i}$（哪些项含有 $s_{y_i}$？）。
#
# $\max(0, m)$ 在 $m = 0$ 处不可导；本课程在那里取斜率 0（间隔只有 $> 0$ 时才算数）。然后在下面的单元格里，
# 把结果写成针对一个得分向量的代码。

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

# %% [markdown] lang="zh"
# ## 你的代码：`svm_loss_naive` 中的梯度
#
# 样本 $i$ 的得分是 $s = x_i W$，其中 $x_i$ 是含 $D$ 个数的一行，$W$ 的形状是 $(D, C)$。你已经有
# 了 $\partial L_i / \partial s$（$C$ 个数）；用链式法则 (chain rule) 得到 $\partial L_i / \partial W$，它
# 与 $W$ 形状相同。别忘了损失要对样本取平均，并加上 $\lambda \sum W^2$。
#
# 在 **`svm_loss_naive`**（`cs231n_lin/classifiers/linear_svm.py`）中补全 `dW`。

# %% tags=["nbval-check-output"]
checks.svm_naive_gradient(svm_loss_naive)

# %% [markdown]
# The check compares with stored results. You can also check a gradient yourself, with no
# stored answer: compare it with centered differences $(L(W + h) - L(W - h)) / 2h$ at a few
# random entries of $W$ (`grad_check_sparse` returns the relative errors; below about $10^{-7}$
# means they agree):

# %% [markdown] lang="zh"
# 检查单元格是和存储的结果比较的。你也可以不借助任何存储答案，自己检验梯度：在 $W$ 的几个随机位置上，把它和
# 中心差分 (centered difference) $(L(W + h) - L(W - h)) / 2h$ 比较（`grad_check_sparse` 返回相对误差；小于
# 约 $10^{-7}$ 就说明两者一致）：

# %%
for reg in [0.0, 0.1]:
    _, dW = svm_loss_naive(W0, X_dev, y_dev, reg)
    errs = grad_check_sparse(lambda W, reg=reg: svm_loss_naive(W, X_dev, y_dev, reg)[0], W0.copy(), dW,
                             num_checks=10, seed=0)
    print(f"reg = {reg}: " + tr(f"largest relative error at 10 random entries: {errs.max():.1e}",
                                f"10 个随机位置上最大的相对误差：{errs.max():.1e}"))

# %% [markdown]
# ## A gradient check on the worked example
#
# Take the worked example with $\Delta = 2$ and compare your gradient with the centered
# difference of your loss, at these weights:

# %% [markdown] lang="zh"
# ## 在例子上做梯度检验
#
# 取 $\Delta = 2$ 的例子，在这组权重下比较你的梯度和你的损失的中心差分：

# %%
_, analytic = svm_loss_naive(W_ex, X_ex, y_ex, reg=0.0, delta=2.0)
numeric = eval_numerical_gradient(lambda W: svm_loss_naive(W, X_ex, y_ex, 0.0, delta=2.0)[0], W_ex.copy())
print(tr("analytic:", "解析梯度："), analytic[0])
print(tr("numeric: ", "数值梯度："), numeric[0].round(6))
err = rel_error(numeric, analytic)
print(tr(f"relative error: {err:.3f}", f"相对误差：{err:.3f}"))

# %% [markdown]
# **Inline question 2** — The two disagree completely (relative error 1). Is your gradient
# wrong? In a gradient check on real data, a few entries may disagree like this while most agree
# to $10^{-9}$: what could cause it, is it a reason for concern, and how would you tell it from a
# bug?

# %% [markdown] lang="zh"
# **随堂问题 2** — 两者完全不一致（相对误差为 1）。你的梯度错了吗？在真实数据上做梯度检
# 验 (gradient check) 时，也可能有少数几个位置像这样不一致，而其余大多数位置的相对误差只有 $10^{-9}$ 左右。
# 这可能是什么原因造成的？需要担心吗？怎样把它和 bug 区分开？

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

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 不一定错：合页函数 $\max(0, m)$ 在 $m = 0$ 处有一个折点 (kink)，左边斜率为 0，右边为 1。中心差分跨过了折点
# ，返回两者的平均 0.5（正确类别为 −0.5），而代码用的是斜率 0。检验 $\partial L / \partial W_{kc}$ 时，
# $W_{kc}$ 上的步长 $h$ 会让样本 $i$ 的得分移动 $h\,x_{ik}$，所以当某个间隔满足 $|m| < h\,|x_{ik}|$ 时就会跨
# 过折点。这在真实数据上很少见，对训练也无害。区分方法：查看相关样本的间隔（是否有一个离 0 不
# 到 $h|x_{ik}|$？），换一个更小的 $h$、换一个 $W$ 或换一个随机种子再试；折点造成的不一致会消失，而 bug 会在
# 许多位置、许多点上出现。
# <!-- END SOLUTION -->

# %% [markdown]
# Here class 2's margin is $11 - 13 + 2 = 0$ exactly. Moving it away from 0 by more than $h$
# makes the two agree again:

# %% [markdown] lang="zh"
# 这里类别 2 的间隔恰好是 $11 - 13 + 2 = 0$。把它移离 0 超过 $h$，两者就又一致了：

# %%
W_away = W_ex + np.array([[0.0, 0.0, 1e-3]])
_, analytic = svm_loss_naive(W_away, X_ex, y_ex, reg=0.0, delta=2.0)
numeric = eval_numerical_gradient(lambda W: svm_loss_naive(W, X_ex, y_ex, 0.0, delta=2.0)[0], W_away.copy())
print(tr(f"margin 1e-3 away from the kink: relative error {rel_error(numeric, analytic):.1e}",
         f"间隔离折点 1e-3：相对误差 {rel_error(numeric, analytic):.1e}"))

# %% [markdown]
# **Inline question 3** — How does the choice of $\Delta$ change how often a gradient check
# meets a kink? Think of where the margins are when training starts (small $W$), and what
# $\Delta = 0$ would do there.

# %% [markdown] lang="zh"
# **随堂问题 3** — $\Delta$ 的取值如何影响梯度检验碰到折点的频率？想一想训练开始时（$W$ 很小）间隔都在哪里，
# 以及 $\Delta = 0$ 会怎样。

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Kinks are where a margin $s_j - s_{y_i} + \Delta$ is exactly 0. With small weights all scores
# are near 0, so all margins sit near $\Delta$. With $\Delta = 0$ they all sit near 0, on the
# kinks: a gradient check at the start of training would disagree at many entries. A larger
# $\Delta$ (relative to the spread of the score differences) keeps the margins away from 0, so
# kinks are met rarely; as training spreads the scores out, margins cross 0 now and then and a
# check meets a kink only occasionally.
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 折点出现在间隔 $s_j - s_{y_i} + \Delta$ 恰好为 0 的地方。权重很小时所有得分都接近 0，所以所有间隔都
# 在 $\Delta$ 附近。若 $\Delta = 0$，它们全都在 0 附近，正好落在折点上：训练开始时做梯度检验会有很多位置不一
# 致。较大的 $\Delta$（相对于得分差的分布范围）让间隔远离 0，很少碰到折点；随着训练把得分拉开，间隔偶尔会穿
# 过 0，梯度检验也只是偶尔碰到折点。
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

# %% [markdown] lang="zh"
# ## 你的代码：`svm_loss_vectorized`
#
# 补全 `cs231n_lin/classifiers/linear_svm.py` 中的 **`svm_loss_vectorized`**：同样的损失和梯度，但不对样本或
# 类别使用 Python 循环，即向量化 (vectorized) 实现。形状：`X` 为 `(N, D)`，`W` 为 `(D, C)`，得分
# 为 `(N, C)`；需要的中间量都可以是 `(N, C)`，`dW` 为 `(D, C)`。有用的 numpy 操作：整数数组索引（
# `a[np.arange(N), y]` 每行取一个元素）、广播 (broadcasting)、`np.maximum`、比较运算（布尔数组）
# 和 `.astype`、`.sum(axis=...)` 以及矩阵乘法。检查是和存储的结果比较的，所以不依赖你的朴素版
# 本 (naive version)。

# %% tags=["nbval-check-output"]
checks.svm_vectorized(svm_loss_vectorized)

# %% [markdown]
# Compare the two on 1000 training examples: the same loss and gradient up to rounding (a
# difference of about $10^{-15}$; $10^{-3}$ would be a bug in one of them), and how much faster
# the vectorized one is (times vary from machine to machine).

# %% [markdown] lang="zh"
# 在 1000 个训练样本上比较两者：损失和梯度应当在舍入误差范围内相同（差约为 $10^{-15}$；如果差到 $10^{-3}$，其
# 中一个有 bug），再看向量化版本快了多少（时间因机器而异）。

# %%
X_train = add_bias(data.X_train).astype(np.float64)
X_some, y_some = X_train[:1000], data.y_train[:1000]
W_big = 0.01 * rng.standard_normal((X_train.shape[1], num_classes))
t0 = time.perf_counter()
loss_naive, dW_naive = svm_loss_naive(W_big, X_some, y_some, 0.1)
t1 = time.perf_counter()
loss_vec, dW_vec = svm_loss_vectorized(W_big, X_some, y_some, 0.1)
t2 = time.perf_counter()
loss_diff, grad_diff = abs(loss_naive - loss_vec), np.linalg.norm(dW_naive - dW_vec)
print(tr(f"loss difference {loss_diff:.1e}, gradient difference (Frobenius norm) {grad_diff:.1e}",
         f"损失之差 {loss_diff:.1e}，梯度之差（Frobenius 范数）{grad_diff:.1e}"))
ms_naive, ms_vec, n_some = 1000 * (t1 - t0), 1000 * (t2 - t1), X_some.shape[0]
print(tr(f"naive {ms_naive:.1f} ms, vectorized {ms_vec:.2f} ms: "
         f"vectorized is ~{ms_naive / max(ms_vec, 1e-6):.0f}x faster on {n_some} examples",
         f"朴素版本 {ms_naive:.1f} ms，向量化版本 {ms_vec:.2f} ms：在 {n_some} 个样本上"
         f"向量化版本约快 {ms_naive / max(ms_vec, 1e-6):.0f} 倍"))

# %% [markdown]
# ## The scale ambiguity
#
# Stretch the weights by a factor $\alpha > 0$: every score, and every score difference, is
# multiplied by $\alpha$. The argmax does not move, so the predictions are the same for every
# $\alpha$; the loss is not. Suppose $W$ meets every margin (data loss 0): then so does
# $\alpha W$ for any $\alpha > 1$, since the differences only grow. On a small separable toy set,
# with a nearest-centre rule written as a linear classifier:

# %% [markdown] lang="zh"
# ## 尺度的不确定性
#
# 把权重放大 $\alpha > 0$ 倍：每个得分、每个得分差都乘以 $\alpha$。argmax 不变，所以对任何 $\alpha$ 预测都一
# 样；损失却不一样。假设 $W$ 满足所有间隔（数据损失为 0）：那么对任何 $\alpha > 1$，$\alpha W$ 也满足，因为
# 得分差只会变大。在一个线性可分的小型玩具数据集上，用一个写成线性分类器的最近中心规则来看：

# %%
from cs231n_lin.data import make_blobs_2d

X_toy, y_toy = make_blobs_2d(n_per_class=30, spread=0.3, seed=0)
X_toy_b = add_bias(X_toy)
centers = np.stack([X_toy[y_toy == c].mean(axis=0) for c in range(3)])
# Nearest-centre rule as a linear classifier: s_c = 2 c.x - |c|^2 (bias in the last row).
W_toy = np.vstack([2 * centers.T, -(centers**2).sum(axis=1)])
print(tr("  alpha  accuracy  data loss  R(alpha W)", "  alpha    准确率   数据损失  R(alpha W)"))
for alpha in [0.02, 0.05, 0.1, 0.2, 1.0, 10.0]:
    pred = np.argmax(X_toy_b @ (alpha * W_toy), axis=1)
    data_loss, _ = svm_loss_vectorized(alpha * W_toy, X_toy_b, y_toy, reg=0.0)
    penalty = np.sum((alpha * W_toy) ** 2)
    print(f"{alpha:7.2f}  {np.mean(pred == y_toy):8.3f}  {data_loss:9.4f}  {penalty:10.2f}")

# %% [markdown]
# Same accuracy on every row. For small $\alpha$ the score differences are smaller than
# $\Delta$ and the data loss is positive; it shrinks as $\alpha$ grows and is exactly 0 once every
# margin is met (from $\alpha = 0.2$ here). From there on the data loss cannot choose among the
# scaled copies: it no longer pushes $W$ to grow, but it does not hold it back either, so a
# larger $W$ is exactly as good as a smaller one. The regularization term
# $R(\alpha W) = \alpha^2 R(W)$ adds a preference: the smallest $W$ that does the job.

# %% [markdown] lang="zh"
# 每一行的准确率都相同。$\alpha$ 较小时得分差小于 $\Delta$，数据损失为正；随着 $\alpha$ 增大它逐渐减小，一旦
# 所有间隔都满足就恰好为 0（这里从 $\alpha = 0.2$ 开始）。从这以后，数据损失无法在这些放大后的副本中做出选择
# ：它不再推动 $W$ 变大，但也不会拦着它，大一些的 $W$ 和小一些的完全一样好。正则化 (regularization)
# 项 $R(\alpha W) = \alpha^2 R(W)$ 加入了一种偏好：在能完成任务的 $W$ 中选最小的那个。

# %% [markdown]
# ## L2 regularization prefers small, spread-out weights
#
# $$R(W) = \sum_k \sum_l W_{k,l}^2, \qquad L = \frac{1}{N}\sum_i L_i + \lambda R(W)$$
#
# $R$ depends only on the weights, not on the data. Two weight vectors can give the same score
# and still have different penalties:

# %% [markdown] lang="zh"
# ## L2 正则化偏好小而分散的权重
#
# $$R(W) = \sum_k \sum_l W_{k,l}^2, \qquad L = \frac{1}{N}\sum_i L_i + \lambda R(W)$$
#
# $R$ 只取决于权重，与数据无关。两个权重向量可以给出相同的得分，惩罚却不同：

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

# %% [markdown] lang="zh"
# 得分相同，但 $w_2$ 的惩罚只有四分之一。L2 正则化偏好让每个输入维度都出一点力的权重，而不
# 是只重度依赖少数几个维度的权重。
#
# 而且正则化损失完全不依赖数据（用你的向量化损失在两组数据上计算，分别带和不带 `reg`）：

# %%
for name, (Xs, ys) in {"dev": (X_dev, y_dev), "train": (X_train, data.y_train)}.items():
    total, _ = svm_loss_vectorized(W0, Xs, ys, reg=0.1)
    data_only, _ = svm_loss_vectorized(W0, Xs, ys, reg=0.0)
    print(tr(f"{name:5s}: full loss {total:.4f} - data loss {data_only:.4f} = {total - data_only:.4f}",
             f"{name:5s}：总损失 {total:.4f} - 数据损失 {data_only:.4f} = {total - data_only:.4f}"))
print(f"        0.1 * sum(W * W) = {0.1 * np.sum(W0**2):.4f}")

# %% [markdown]
# **Inline question 4** — All the training in this course keeps $\Delta = 1$ and tunes only the
# learning rate and $\lambda$. Why is it safe not to tune $\Delta$ as well? (Hint: what happens
# to the loss if you divide $W$ by $\Delta$?)

# %% [markdown] lang="zh"
# **随堂问题 4** — 本课程的所有训练都固定 $\Delta = 1$，只调学习率和 $\lambda$。为什么不调 $\Delta$ 也没有问
# 题？（提示：把 $W$ 除以 $\Delta$，损失会怎样？）

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

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 把每个间隔项除以 $\Delta$ 得到
# $\max(0, s_j - s_{y_i} + \Delta) = \Delta \max(0, s_j/\Delta - s_{y_i}/\Delta + 1)$，而 $W/\Delta$ 的得分
# 正是 $s/\Delta$。再加上惩罚项 $\lambda \|W\|^2 = \Delta \cdot (\lambda\Delta)
# \|W/\Delta\|^2$，就有 $L(W; \Delta, \lambda) = \Delta \cdot L(W/\Delta; 1, \lambda\Delta)$。
# 对 $W$ 最小化左边，等于对 $V = W/\Delta$ 最小化右边：间隔为 $\Delta$、强度为 $\lambda$ 的 SVM，就是间隔
# 为 1、强度为 $\lambda\Delta$ 的 SVM，只是每个权重都放大了 $\Delta$ 倍（预测相同）。
# $\Delta$ 和 $\lambda$ 控制的是同一个权衡，所以在 $\Delta = 1$ 下调 $\lambda$ 就覆盖了所有 $\Delta$。
# <!-- END SOLUTION -->

# %% [markdown]
# Check the identity $L(W; \Delta, \lambda) = \Delta \cdot L(W/\Delta;\, 1, \lambda\Delta)$
# numerically with your vectorized loss, for a few values of $\Delta$ and $\lambda$:

# %% [markdown] lang="zh"
# 用你的向量化损失，对几组 $\Delta$ 和 $\lambda$ 数值验证恒等
# 式 $L(W; \Delta, \lambda) = \Delta \cdot L(W/\Delta;\, 1, \lambda\Delta)$：

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

# %% [markdown] lang="zh"
# ## 你的代码：SGD 步骤和 `predict`
#
# `LinearSVM` 是一个 scikit-learn 估计器 (estimator)，它用你的向量化损失做小批量 (minibatch) 随机梯度下
# 降 (SGD) 训练；训练循环在它的父类里。打开 **`cs231n_lin/classifiers/linear_classifier.py`**：
#
# * 在 **`LinearClassifier.fit`** 中，在迭代循环里走一步 SGD：从训练样本中（有放回地，用 `rng`）抽
# 取 `batch_size` 个组成一个小批量，用 `self.loss` 计算它的损失和梯度，再按学习率 (learning rate) 更新 `W`。
# 把这个小批量的损失存进 `loss`（它会进入 `loss_history_`）；
# * 在 **`LinearClassifier.predict`** 中，把 `(N, C)` 的得分变成 `N` 个预测标签。
#
# 第一个检查用一个已知梯度的损失来训练，并逐步跟踪每一步；第二个检查给 `predict` 存储好的权重和字符串标签。

# %% tags=["nbval-check-output"]
checks.sgd_step(LinearSVM)

# %% tags=["nbval-check-output"]
checks.predict(LinearSVM)

# %% [markdown]
# ## Training with SGD
#
# The starting hyper-parameters for this dataset come from `defaults_for`.

# %% [markdown] lang="zh"
# ## 用 SGD 训练
#
# 这个数据集的初始超参数来自 `defaults_for`。

# %%
hp = defaults_for(data.name, "svm")
print(hp)
t0 = time.perf_counter()
svm = LinearSVM(random_state=0, **hp).fit(data.X_train, data.y_train)
print(tr(f"trained in {time.perf_counter() - t0:.2f} s", f"训练用时 {time.perf_counter() - t0:.2f} s"))
acc_train, acc_val = svm.score(data.X_train, data.y_train), svm.score(data.X_val, data.y_val)
print(tr(f"train accuracy {acc_train:.3f}, val accuracy {acc_val:.3f}",
         f"训练准确率 {acc_train:.3f}，验证准确率 {acc_val:.3f}"))

# %% [markdown]
# The weights start tiny, so the first loss should be close to your answer to inline question 1,
# $C - 1$ (the dotted line). It then falls by more than an order of magnitude, hence the log
# scale.

# %% [markdown] lang="zh"
# 权重一开始很小，所以第一次的损失应该接近你在随堂问题 1 中的答案 $C - 1$（虚线）。之后它下降了一个数量级以
# 上，所以用对数坐标。

# %%
ax = plot_loss_history({tr("LinearSVM (hinge)", "LinearSVM（合页损失）"): svm.loss_history_},
                       expected_initial=num_classes - 1, logy=True,
                       expected_label=tr(f"expected at the start: C - 1 = {num_classes - 1}",
                                         f"开始时的预期值：C - 1 = {num_classes - 1}"))
ax.set_title(tr(f"SVM training loss on {data.name}", f"{data.name} 上 SVM 的训练损失"))
plt.show()

# %% [markdown]
# ## The scale ambiguity on trained weights
#
# Stretch the trained weights by $\alpha$: the predictions stay, the data loss moves. Split the
# validation data loss into the part from examples the model classifies correctly and the part
# from those it gets wrong:

# %% [markdown] lang="zh"
# ## 训练后权重上的尺度不确定性
#
# 把训练好的权重放大 $\alpha$ 倍：预测不变，数据损失会变。把验证集上的数据损失分成两部分：来自模型分类正确的
# 样本，和来自分类错误的样本：

# %%
Xv, yv = add_bias(data.X_val), data.y_val
print(tr(f"{'alpha':>5} {'same predictions':>16} {'val data loss':>13} "
         f"{'from correct':>12} {'from wrong':>10}",
         f"{'alpha':>5} {'预测相同':>12} {'验证数据损失':>7} {'来自分类正确':>6} {'来自分类错误':>6}"))
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

# %% [markdown] lang="zh"
# 预测始终不变，但损失在变，而且朝两个相反的方向。一个分类正确、但间隔尚未满足的样本只有小的违反量；放大会让
# 正确得分领先更多，它的损失缩小到 0。一个分类错误的样本有一个错误得分高于正确得分；放大会把这个差值成倍放大
# ，它的损失随 $\alpha$ 增长（每个违反量中只有得分差部分被放大，其中的 $\Delta$ 不变）。$\alpha = 3$ 时第一
# 种效应占上风（损失下降）；$\alpha = 10$ 时少数分类错误的样本占主导（损失上升）。所以数据损失并非对尺度一无
# 所知，但一旦间隔满足，它就无法让权重保持较小：这要靠惩罚项 $\lambda R(W)$。

# %% [markdown]
# ## Does penalizing large weights help generalization?
#
# The notes claim that the L2 penalty reduces overfitting. Overfitting shows most with little
# data, so train on random subsets of 50 training images, for 6 values of $\lambda$ and 10
# different subsets each, and measure training and validation accuracy. (With learning rate
# $\eta$, an SGD step multiplies $W$ by $1 - 2\eta\lambda$, which must stay positive:
# $\lambda < 1/(2\eta)$, that is $\lambda < 5$ with this dataset's $\eta = 0.1$. The largest
# $\lambda$ below is 1.)

# %% [markdown] lang="zh"
# ## 惩罚大权重有助于泛化吗？
#
# 笔记里说 L2 惩罚能减少过拟合 (overfitting)。数据少时过拟合最明显，所以在随机选取的 50 张训练图像上训练，
# 取 6 个 $\lambda$ 值、每个值用 10 个不同的子集，测量训练准确率和验证准确率。（学习率为 $\eta$ 时，一步 SGD
# 会把 $W$ 乘以 $1 - 2\eta\lambda$，它必须保持为正：$\lambda < 1/(2\eta)$，在这个数据集的 $\eta = 0.1$ 下
# 就是 $\lambda < 5$。下面最大的 $\lambda$ 是 1。）

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
fig.suptitle(tr(f"Linear SVM on subsets of 50 {data.name} training images",
                f"在 50 张 {data.name} 训练图像的子集上训练的线性 SVM"))
plt.show()
gain = val_acc - val_acc[0]            # paired: the same subset, with and without the penalty
print(tr(f"{'reg':>6} {'val acc':>8} {'gain over reg=0':>16} {'subsets better/same/worse':>26} {'gap':>6}",
         f"{'reg':>6} {'验证准确率':>5} {'相对 reg=0 的提高':>10} {'子集 更好/相同/更差':>16} {'差距':>4}"))
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
# loss stops pushing once the margins are met: as in the toy example above, nothing holds $W$
# back, but nothing pushes it further either, and 300 SGD steps from tiny weights leave it
# moderate even without a penalty. Expect a clearer effect on a harder dataset (run this notebook with
# `CS231N_LIN_DATASET=cifar10` if you have CIFAR-10). Either way $\lambda$ is chosen on
# validation data, as in the search below.

# %% [markdown] lang="zh"
# 数据显示的结果（本 notebook 保存的这次运行用的是 digits 数据集，验证集 200 张图像，所以 0.005 就是一张图像）
# ：小的惩罚有一
# 点帮助，而且相当稳定。$\lambda = 0.03$ 时验证准确率平均提高约 1.3 个百分点（2 到 3 张图像），10 个子集中
# 有 8 个提高；训练与验证之间的差距只略有缩小（约从 0.20 到 0.19）。子集之间的波动（误差线）比这个收益还大：
# 用哪 50 张图像训练，比惩罚项影响更大。更强的惩罚会导致欠拟合 (underfitting)：训练和验证准确率一起下降，差
# 距并不缩小。在 digits 上，合页损失在间隔满足后就不再推动权重：和上面的玩具例子一样，没有什么拦着 $W$ 变大，
# 但也没有什么再推它变大，从很小的权重出发走 300 步 SGD 后，即使没有惩罚，权重也保持适中。在更难的数据集上效
# 果会更明显（如果你有 CIFAR-10，可以用 `CS231N_LIN_DATASET=cifar10` 运行本 notebook）。无论哪种情况
# ，$\lambda$ 都要在验证数据上选，就像下面的搜索那样。

# %% [markdown]
# ## Weight templates
#
# Each column of `W` (without the bias row) has one weight per pixel, so it can be shown as an
# image: the "template" a class's score matches. The inputs were mean-subtracted (the average
# training image was removed from every image), so a weight says how much a pixel that is
# *brighter than average* raises (red) or lowers (blue) that class's score.

# %% [markdown] lang="zh"
# ## 权重模板
#
# `W` 的每一列（去掉偏置那一行）对每个像素有一个权重，所以可以画成一张图像。这张图像就是该类别的“模
# 板 (template)”：类别的得分衡量的是图像与它有多匹配。输入已经减去了均值（每张图像都减去了训练集的平均图像）
# ，所以一个权重表示：某个像素*比平均更亮*时，这个类别的得分是升高（红）还是降低（蓝），以及变化多少。

# %%
fig = plot_weight_templates(svm.W_, data.image_shape, data.class_names,
                            title=tr(f"LinearSVM weight templates ({data.name})",
                                     f"LinearSVM 权重模板（{data.name}）"))
plt.show()

# %% [markdown]
# **Inline question 5** — Describe what the templates look like. Why do they look this way,
# and why are they not simply pictures of an average member of each class?

# %% [markdown] lang="zh"
# **随堂问题 5** — 描述这些模板的样子。为什么会是这样？为什么它们不只是每个类别的一张平均图像？

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

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 它们看起来像各类别粗糙、斑驳的草图，而不是清晰的数字：在本 notebook 保存的这次运行中，0 的模板中间一竖是蓝色
# （负），那里正
# 是 0 的空洞、1 的笔画所在；1 的模板则在顶部中央的一小段笔画上是红色。
# 线性分类器每个类别只有一个模板，用图像与模板的点积来打分，所以每个模板必须同时匹配该类别的所有成员：最后它
# 成了该类别典型笔画的模糊平均（在 CIFAR-10 上则是一个平均颜色加一个模糊的形状：“双头马”、某种主色调的汽车）
# 。但 SVM 只需要每个类别比其他类别高出 $\Delta$，所以模板在*其他*类别有笔迹的地方（0 的空洞、区分 3 和 8 的
# 缺口）也带有负权重：它是一个判别式模板，而不是类别均值。很少变化的像素的权重接近 0（L2 把用不到的权重推
# 向 0），而模板中的噪声来自在小训练集上做 SGD。
# <!-- END SOLUTION -->

# %% [markdown]
# ## Your code: a hyper-parameter search
#
# Choose the learning rate and $\lambda$ on the **validation** split. Both act by their order of
# magnitude, so search a **log grid**: values evenly spaced in $\log$ (e.g. with `np.logspace`).
# First pick the two lists; at least 3 values each, around the defaults printed above.

# %% [markdown] lang="zh"
# ## 你的代码：超参数搜索
#
# 在**验证**集 (validation set) 上选择学习率和 $\lambda$。两者都是按数量级起作用的，所以在**对数网格**上搜索
# ：取值在 $\log$ 尺度上等距（例如用 `np.logspace`）。先定下两个列表；每个至少 3 个值，围绕上面打印的默认值
# 。

# %%
learning_rates, regs = None, None                 # your two lists replace these
# BEGIN SOLUTION
learning_rates = np.logspace(-1, 0.5, 4)          # 0.1 ... 3.2
regs = np.logspace(-4, -1, 4)                     # 1e-4 ... 0.1
# END SOLUTION

# %% tags=["nbval-check-output"]
checks.log_grid(learning_rates, regs)

# %% [markdown]
# Then write `search_hyperparameters`: for every pair (learning rate, $\lambda$) train a fresh
# copy of `estimator` with those two values (`clone(estimator).set_params(...)`), and record its
# accuracy on the training and on the validation data. Return the results and the best pair.

# %% [markdown] lang="zh"
# 然后写 `search_hyperparameters`：对每一对（学习率，$\lambda$），用这两个值训练 `estimator` 的一个全新副本
# （`clone(estimator).set_params(...)`），并记录它在训练数据和验证数据上的准确率。返回结果和最好的那一对。

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


# %% tags=["nbval-check-output"]
checks.search_hyperparameters(search_hyperparameters)

# %% [markdown]
# **Inline question 6** — Below, you run your search and see the validation accuracy of every
# pair as a heat map. Before you run it: suppose the best cell were in a corner, say at the
# largest learning rate and the smallest $\lambda$. What would you conclude, and what would you
# do next? And why must the test split not be used to make that choice?

# %% [markdown] lang="zh"
# **随堂问题 6** — 下面你会运行自己的搜索，看到每一对超参数的验证准确率画成的热力图。运行之前先想一想：假设
# 最好的格子在一个角上，比如最大的学习率和最小的 $\lambda$，你会得出什么结论？下一步做什么？为什么不能用测试
# 集来做这个选择？
# %% [markdown]
# <!-- BEGIN SOLUTION -->
# That the optimum may lie outside the grid: the accuracy might keep improving with a larger
# learning rate or a smaller $\lambda$. Extend the grid past that corner (and, once the best is
# inside, refine it around the best values, still on a log scale) and search again. The test
# split must stay untouched: every choice made by looking at a split fits that split a little,
# so a test accuracy used for choosing would be optimistic and would no longer estimate the
# accuracy on new data.
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 说明最优值可能在网格之外：学习率再大一些或 $\lambda$ 再小一些，准确率可能还会提高。把网格越过那个角向外扩
# 展，重新搜索；等最优值落在网格内部后，再在它附近细化（仍用对数尺度）。测试集必须保持不动：每一个看着某个数据
# 集
# 做出的选择，都会让结果对那个数据集有一点拟合，所以用来做选择的测试准确率会偏乐观，不再能估计新数据上的准确
# 率。
# <!-- END SOLUTION -->

# %% [markdown]
# Run it with shorter training (300 steps instead of 1500, to keep the search quick). The heat
# map boxes the best cell; if it sits on an edge of the grid, the best values may lie outside
# what you searched: widen the grid in that direction and run again.

# %% [markdown] lang="zh"
# 用较短的训练来运行它（300 步而不是 1500 步，让搜索快一些）。热力图会框出最好的格子；如果它落在网格的边上，
# 最优值可能在你搜索的范围之外：朝那个方向扩大网格，再运行一次。

# %%
t0 = time.perf_counter()
results, best = search_hyperparameters(
    LinearSVM(num_iters=300, batch_size=hp["batch_size"], random_state=0), learning_rates, regs,
    data.X_train, data.y_train, data.X_val, data.y_val)
print(tr(f"{len(results)} models in {time.perf_counter() - t0:.1f} s; best on validation: "
         f"learning rate {best[0]:.3g}, reg {best[1]:.3g} (val accuracy {results[best][1]:.3f})",
         f"{len(results)} 个模型，用时 {time.perf_counter() - t0:.1f} s；验证集上最好的："
         f"学习率 {best[0]:.3g}，reg {best[1]:.3g}（验证准确率 {results[best][1]:.3f}）"))
edges = best_on_grid_edge(results, best)
if edges:
    print(tr("WARNING: the best pair is on the edge of the grid (" + "; ".join(edges) + "): widen the grid",
             "警告：最好的一对落在网格的边上（" + "；".join(edges) + "）：请扩大网格"))
plot_search_heatmap(results, best)
plt.show()

# %% [markdown]
# Neighbouring cells that differ by 0.005 differ by one validation image: do not read much into
# such differences. Finally, train the chosen model with the full number of steps, and measure
# the **test** accuracy once, at the very end: it estimates how the model does on new data only
# if nothing was chosen by looking at it.

# %% [markdown] lang="zh"
# 相邻格子如果只相差 0.005，那就只差一张验证图像：不要对这种差别过度解读。最后，用完整的步数训练选出的模型，并
# 在
# 最后只测量一次**测试**准确率：只有在没有根据测试集做过任何选择时，它才能估计模型在新数据上的表现。

# %%
final = LinearSVM(learning_rate=best[0], reg=best[1], num_iters=hp["num_iters"], batch_size=hp["batch_size"],
                  random_state=0).fit(data.X_train, data.y_train)
acc_val, acc_test = final.score(data.X_val, data.y_val), final.score(data.X_test, data.y_test)
print(tr(f"val accuracy {acc_val:.3f}, test accuracy {acc_test:.3f}",
         f"验证准确率 {acc_val:.3f}，测试准确率 {acc_test:.3f}"))
