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

# %% [markdown] lang="zh"
# # 4. Softmax 的数值稳定性
#
# $e^{f}$ 增长得极快，得分到几百时计算机就存不下了。本 notebook 现场展示这种失败、修复它的技巧、
# log-sum-exp、为什么修复必须逐行进行，以及为什么损失应该由对数概率来计算。这就是数值稳定
# 性 (numerical stability) 问题。
#
# **你要写的内容**（约 45 分钟），每一部分后面都有一个检查单元格：
# 1. 本 notebook 单元格中的 `logsumexp_rows`；
# 2. `cs231n_lin/classifiers/softmax.py` 中的 `softmax` 和 `log_softmax`，并
# 在 `softmax_loss_naive` / `softmax_loss_vectorized` 中做同样的处理（它们必须经得起 $10^4$ 的得分）；
# 3. 一个随堂问题的答案。
#
# 最后你会查看你的 `softmax` 给一个训练好的分类器算出的概率。

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from cs231n_lin import checks
from cs231n_lin.classifiers import Softmax
from cs231n_lin.classifiers.softmax import log_softmax, softmax, softmax_loss_naive, softmax_loss_vectorized
from cs231n_lin.data import load_dataset
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.i18n import tr
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

# %% [markdown] lang="zh"
# ## 现场看上溢
#
# float64 能表示的最大数约为 $1.8\times10^{308}$，所以
# 当 $x > \log(1.8\times10^{308}) \approx 709.8$ 时 $e^x$ 就会上溢 (overflow)；float32 在 $x > 88.7$ 时就上
# 溢了。这时 NumPy 返回 `inf` 并发出 `RuntimeWarning`：

# %%
for dtype in (np.float64, np.float32):
    biggest = np.finfo(dtype).max
    print(tr(f"{np.dtype(dtype).name}: largest {biggest:.4g}, log of it {np.log(biggest):.2f}",
             f"{np.dtype(dtype).name}：最大值 {biggest:.4g}，它的对数 {np.log(biggest):.2f}"))
for dtype, x in [(np.float64, 1000.0), (np.float32, 100.0)]:
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn"):
        warnings.simplefilter("always")
        value = np.exp(dtype(x))
    warned = f"{caught[0].category.__name__}: {caught[0].message}" if caught else tr("none", "无")
    print(f"np.exp({np.dtype(dtype).name}({x:g})) = {value}   " + tr("warning: ", "警告：") + warned)

# %% [markdown]
# ## The naive softmax breaks
#
# Take the scores $[123, 456, 789]$. In float64, $e^{123} \approx 2.6\times10^{53}$ and
# $e^{456} \approx 1.1\times10^{198}$ are still finite, but $e^{789}$ overflows to `inf`, so the sum
# is `inf` too. The first two probabilities become finite / `inf` $= 0$ (the true values are about
# $10^{-290}$ and $10^{-145}$: close enough), the third becomes `inf / inf` $=$ `nan` (the true value
# is 1):

# %% [markdown] lang="zh"
# ## 朴素的 softmax 崩溃了
#
# 取得分 $[123, 456, 789]$。在 float64 中，
# $e^{123} \approx 2.6\times10^{53}$ 和 $e^{456} \approx 1.1\times10^{198}$ 仍是有限数，但 $e^{789}$ 上溢
# 为 `inf`，于是总和也是 `inf`。前两个概率变成“有限数 / `inf`”$= 0$（真实值约为 $10^{-290}$ 和 $10^{-145}$：
# 足够接近），第三个变成 `inf / inf` $=$ `nan`（真实值为 1）：

# %%
f = np.array([123.0, 456.0, 789.0])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    e = np.exp(f)
    p_naive = e / np.sum(e)
print("exp(f)      =", e)
print(tr("naive probs =", "朴素概率    ="), p_naive)
for w in caught:
    print(tr("warning:", "警告："), w.message)

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

# %% [markdown] lang="zh"
# ## 乘上一个常数，结果不变
#
# 分子分母同乘一个常数 $K > 0$，再把它移进指数：
#
# $$\frac{e^{f_{y_i}}}{\sum_j e^{f_j}} = \frac{K\,e^{f_{y_i}}}{K\sum_j e^{f_j}}
# = \frac{e^{f_{y_i} + \log K}}{\sum_j e^{f_j + \log K}}$$
#
# 任何 $K$ 都给出相同的值，而且可以对每个样本单独选择。注意 $\log K$ 是加到求和里的*每一个* $f_j$ 上；如果
# 像 $\sum_j e^{f_j} + \log K$ 那样只在求和外面加一次，值就变了。下面的单元格在得分 $[1, 2, 3]$ 上检验这两种
# 写法：

# %%
small = np.array([1.0, 2.0, 3.0])
reference = np.exp(small) / np.exp(small).sum()
for log_k in (-3.0, 5.0, -100.0):
    inside = np.exp(small + log_k) / np.sum(np.exp(small + log_k))
    outside = np.exp(small + log_k) / (np.sum(np.exp(small)) + log_k)
    print(tr(f"log K = {log_k:6.1f}: shift inside the sum equal: {np.allclose(inside, reference)},"
             f"  '+ log K' outside the sum equal: {np.allclose(outside, reference)}",
             f"log K = {log_k:6.1f}：在求和内平移，值相同：{np.allclose(inside, reference)}；"
             f"在求和外 '+ log K'，值相同：{np.allclose(outside, reference)}"))

# %% [markdown]
# **Inline question 1** — Which choice of $\log K$ makes overflow impossible for any finite
# scores? Why does your choice work, and what would go wrong if you subtracted the smallest
# score instead? (Think about the largest exponent, and about the sum.)

# %% [markdown] lang="zh"
# **随堂问题 1** — $\log K$ 取什么值，能让任何有限的得分都不可能上溢？为什么你的选择可行？如果改为减去最小的
# 得分，会出什么问题？（想一想最大的指数，以及求和。）

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# With $\log K = -\max_j f_j$ every exponent $f_j - \max_k f_k$ is $\le 0$, so no $e^{(\cdot)}$
# exceeds 1 and nothing overflows; and one term is exactly $e^0 = 1$, so the sum lies between 1
# and $C$ (the number of classes): it can neither overflow nor underflow to 0, and its log is
# finite. Subtracting the minimum makes every exponent $\ge 0$; with a large spread of scores
# (e.g. $[123, 456, 789] \to [0, 333, 666]$, and $e^{666}$ is about $10^{289}$) the largest term
# overflows as soon as the spread exceeds about 709.8 (88.7 in float32).
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 取 $\log K = -\max_j f_j$ 时，每个指数 $f_j - \max_k f_k$ 都 $\le 0$，所以没有哪个 $e^{(\cdot)}$ 超过 1，
# 不会上溢；而且有一项恰好是 $e^0 = 1$，所以总和在 1 和 $C$（类别数）之间：既不会上溢，也不会下
# 溢 (underflow) 为 0，它的对数是有限的。减去最小值则让每个指数都 $\ge 0$；得分分布很广时（例
# 如 $[123, 456, 789] \to [0, 333, 666]$，而 $e^{666}$ 约为 $10^{289}$），只要差距超过约 709.8（float32 中
# 为 88.7），最大的那一项就会上溢。
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

# %% [markdown] lang="zh"
# ## 你的代码：log-sum-exp
#
# 同样的思路可以不上溢地算出归一化项的对数：
#
# $$\log\sum_j e^{f_j} = m + \log\sum_j e^{f_j - m}, \qquad m = \max_j f_j.$$
#
# 对形状为 `(N, C)` 的得分矩阵 `S` 的每一行写出它，不用 Python 循环；返回形状 `(N,)`。可能用到：
# 带 `axis=1` 的 `np.max`、`np.sum` 和 `np.log`，以及 `keepdims=True`，让 `(N, 1)` 的列能和 `(N, C)` 广播。
# 检查会和 `scipy.special.logsumexp` 比较，并把任何上溢警告都算作失败。

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

# %% [markdown] lang="zh"
# ## 平移必须逐行进行
#
# 从整个矩阵中减去同一个全局最大值，可以修复最大值所在那一行的上溢，但会把得分小得多的行压得太低，以致它们所
# 有的指数都下溢为 0，而 $0/0$ 是 `nan`。用你逐行计算的 log-sum-exp，
# $p_{ij} = e^{S_{ij} - \mathrm{lse}_i}$ 在每一行都没问题：

# %%
S2 = np.array([[1000.0, 1001.0, 1002.0], [1.0, 2.0, 3.0]])
with np.errstate(under="ignore", invalid="ignore"):
    E = np.exp(S2 - S2.max())                            # one global max
    p_global = E / E.sum(axis=1, keepdims=True)
p_row = np.exp(S2 - logsumexp_rows(S2)[:, None])         # your log-sum-exp, one per row
print(tr("one global shift:\n", "整个矩阵只平移一次：\n"), p_global)
print(tr("per row, from your logsumexp_rows:\n", "逐行平移（用你的 logsumexp_rows）：\n"), p_row)

# %% [markdown]
# ## Don't take the log of a probability that underflowed
#
# With scores $[123, 456, 789]$ and correct class 0, $p_0 = e^{123 - \mathrm{lse}} \approx
# 10^{-289}$: fine in float64 but 0 in float32 (the smallest float32 is about $10^{-45}$), and
# $-\log 0 = \infty$. Computing the loss from log-probabilities, $-f_{y_i} + \log\sum_j e^{f_j}$,
# never forms $p_0$ and gives 666 in both. It does so only because your `logsumexp_rows` shifted
# the scores first: the unshifted $\log\sum_j e^{f_j}$ is $\log(\infty) = \infty$ already in float64.

# %% [markdown] lang="zh"
# ## 不要对已经下溢的概率取对数
#
# 得分 $[123, 456, 789]$、正确类别为 0 时，$p_0 = e^{123 - \mathrm{lse}} \approx 10^{-289}$：在 float64 中没
# 问题，但在 float32 中是 0（float32 最小约为 $10^{-45}$），而 $-\log 0 = \infty$。由对数概率计算损失，
# 即 $-f_{y_i} + \log\sum_j e^{f_j}$，从不显式算出 $p_0$，两种精度下都得到 666。这只是因为你
# 的 `logsumexp_rows` 先平移了得分：不平移的 $\log\sum_j e^{f_j}$ 在 float64 中就已经
# 是 $\log(\infty) = \infty$。

# %%
for dtype in (np.float64, np.float32):
    fd = f.astype(dtype)
    lse = logsumexp_rows(fd[None, :])[0]
    with np.errstate(divide="ignore", under="ignore", over="ignore"):
        p0 = np.exp(fd[0] - lse)
        via_prob = -np.log(p0)
        unshifted = -fd[0] + np.log(np.sum(np.exp(fd)))
    print(f"{np.dtype(dtype).name}: p_0 = {p0:.3e}, -log(p_0) = {via_prob:.1f}, "
          f"-f_0 + logsumexp_rows = {lse - fd[0]:.1f}, "
          + tr("without the shift", "不平移") + f" = {unshifted}")

# %% [markdown]
# ## Your code: a softmax that survives scores of $10^4$
#
# In **`cs231n_lin/classifiers/softmax.py`**, write **`softmax`** and **`log_softmax`**: the same
# shift as in your `logsumexp_rows`, but along any `axis` (the probabilities sum to one along
# it). `log_softmax` must not take the log of `softmax`: compute it from shifted scores, as above.
# The checks use scores far beyond where `np.exp` overflows, and rows whose scores differ by
# hundreds (where `log(softmax)` would be `log 0`); they must see no `nan` and no `inf`.

# %% [markdown] lang="zh"
# ## 你的代码：经得起 $10^4$ 得分的 softmax
#
# 在 **`cs231n_lin/classifiers/softmax.py`** 中写出 **`softmax`** 和 **`log_softmax`**：与你
# 的 `logsumexp_rows` 相同的平移，但沿任意 `axis`（概率沿该轴求和为 1）。`log_softmax` 不能对 `softmax` 取对
# 数：要像上面那样由平移后的得分计算。检查用的得分远超 `np.exp` 上溢的范围，还有得分相差几百的行（那
# 里 `log(softmax)` 会是 `log 0`）；结果中不能出现 `nan` 或 `inf`。

# %% tags=["nbval-check-output"]
checks.softmax(softmax)

# %% tags=["nbval-check-output"]
checks.log_softmax(log_softmax)

# %% [markdown]
# The losses need the same care. If your `softmax_loss_naive` and `softmax_loss_vectorized`
# from notebook 3 exponentiate unshifted scores, fix them now (`log_softmax` may help). This
# check feeds them scores of $\pm 10^4$ in float32, where the exact mean loss is 5000:

# %% [markdown] lang="zh"
# 损失也需要同样的处理。如果你在 notebook 3 中写的 `softmax_loss_naive` 和 `softmax_loss_vectorized` 对没有
# 平移的得分取指数，现在就修正它们（`log_softmax` 可能有用）。这个检查给它们 float32 的 $\pm 10^4$ 得分，这
# 时精确的平均损失是 5000：

# %% tags=["nbval-check-output"]
checks.softmax_losses_large_scores(softmax_loss_naive, softmax_loss_vectorized)

# %% [markdown]
# ## Your softmax at work
#
# `Softmax.predict_proba` is your `softmax` applied to a trained classifier's scores. Three
# validation images chosen to teach something: the most confident right answer, the image the
# model is least sure about, and its most confident mistake (inputs shown as images; the model
# sees them with the mean image subtracted).

# %% [markdown] lang="zh"
# ## 你的 softmax 用在训练好的分类器上
#
# `Softmax.predict_proba` 就是把你的 `softmax` 作用在训练好的分类器的得分上。这里挑了三张能说明问题的验证图
# 像：模型最有把握的正确答案、模型最没把握的图像，以及它最有把握的错误（输入显示为图像；模型看到的是减去平均
# 图像之后的输入）。

# %%
clf = Softmax(random_state=0, **defaults_for(data.name, "softmax")).fit(data.X_train, data.y_train)
P = clf.predict_proba(data.X_val)
picked = teaching_examples(P, data.y_val)
idx = list(picked.values())
images = (data.X_val[idx] + data.mean_image).reshape(-1, *data.image_shape)
captions = {"confident and right": tr("confident and right", "有把握且正确"),
            "least certain": tr("least certain", "最没把握"),
            "confidently wrong": tr("confidently wrong", "有把握却错了")}
fig = plot_probability_bars(images, P[idx], data.y_val[idx], data.class_names,
                            captions=[captions[c] for c in picked])
fig.legend(handles=[Patch(color="tab:green", label=tr("true class", "真实类别")),
                    Patch(color="tab:red", label=tr("wrong prediction", "错误的预测")),
                    Patch(color="0.6", label=tr("other classes", "其他类别"))],
           loc="outside lower center", ncol=3, fontsize=9)
plt.show()
for caption, i in picked.items():
    print(tr(f"{caption:>20}: image {i}, largest probability {P[i].max():.2f}, "
             f"probability of the true class {P[i, data.y_val[i]]:.2f}",
             f"{captions[caption]}：图像 {i}，最大概率 {P[i].max():.2f}，"
             f"真实类别的概率 {P[i, data.y_val[i]]:.2f}"))
