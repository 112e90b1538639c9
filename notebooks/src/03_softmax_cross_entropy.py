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

# %% [markdown] lang="zh"
# # 3. Softmax 与交叉熵损失
#
# Softmax 分类器把得分看作**未归一化的对数概率 (unnormalized log-probabilities)**，把它们变成概率，并用**交
# 叉熵 (cross-entropy)** 损失代替合页损失：
#
# $$L_i = -\log\frac{e^{f_{y_i}}}{\sum_j e^{f_j}} = -f_{y_i} + \log\sum_j e^{f_j}.$$
#
# **你要写的内容**（约 1.5 小时），每一部分后面都有一个检查单元格：
# 1. 本 notebook 单元格中的 `cross_entropy_two_ways` 和 `softmax_score_gradient`；
# 2. `cs231n_lin/classifiers/softmax.py` 中的 `softmax_loss_naive` 和 `softmax_loss_vectorized`；
# 3. 两个随堂问题的答案。
#
# 然后训练这个分类器（用你在 notebook 1 中写的 `fit`），再从两个角度理解这个损失：信息论和概率论。

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
from cs231n_lin.i18n import tr
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

# %% [markdown] lang="zh"
# ## 得分 → 未归一化概率 → 概率
#
# 一个有三个类别的样本，得分 $f = [-2.85, 0.86, 0.28]$，正确类别为 2。取指数让每个得分都变成正数（未归一化概
# 率）；再除以它们的和，使总和为 1。

# %%
f = np.array([-2.85, 0.86, 0.28])
unnormalized = np.exp(f)
probs = unnormalized / unnormalized.sum()
print(tr("scores (log-probabilities up to a constant):", "得分（相差一个常数的对数概率）："), f)
print(tr("exp(scores) (unnormalized probabilities):   ", "exp(得分)（未归一化概率）：        "), unnormalized)
print(tr("probabilities:                              ", "概率：                            "), probs,
      tr(" sum =", " 总和 ="), round(probs.sum(), 12))

# %% [markdown]
# ## Your code: the loss of one example, two ways
#
# Write $L_i$ for one score vector `f` (shape `(C,)`) both as $-\log p_{y_i}$ and as
# $-f_{y_i} + \log\sum_j e^{f_j}$, and return the two numbers.

# %% [markdown] lang="zh"
# ## 你的代码：一个样本的损失，两种算法
#
# 对一个得分向量 `f`（形状 `(C,)`），分别按 $-\log p_{y_i}$ 和 $-f_{y_i} + \log\sum_j e^{f_j}$ 写出 $L_i$，
# 返回这两个数。

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

# %% [markdown] lang="zh"
# 第二种形式就是 $\log(a/b) = \log a - \log b$，再利用 $\log e^{f_{y_i}} = f_{y_i}$。它从不显式算出概率本身
# ，这一点在 notebook 4 中很重要。
#
# 只有两个类别时，softmax 就是得分差的 logistic 函数（即 sigmoid 函数）：softmax 分类器是二元 logistic 回
# 归 (logistic regression) 在多类别上的推广。

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

# %% [markdown] lang="zh"
# ## 你的代码：梯度，逐个得分来看
#
# 从 $L_i = -f_{y_i} + \log\sum_k e^{f_k}$ 出发，自己推导 $\partial L_i / \partial f_j$：对两项分别求导，
# $j = y_i$ 和 $j \neq y_i$ 各做一次，并用概率 $p_j$ 表示结果。然后在 `softmax_score_gradient` 中对一个得分
# 向量写出它：返回形状为 `(C,)` 的数组。检查会在许多随机得分向量上把你的梯度和数值梯度比较。

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

# %% [markdown] lang="zh"
# ## 你的代码：`softmax_loss_naive`
#
# 在 **`cs231n_lin/classifiers/softmax.py`** 中补全 **`softmax_loss_naive`**，对样本使用循环：计算损失和梯
# 度 `dW`。得分是 $f = x_i W$，所以和 notebook 1 完全一样，用链式法则把你的得分梯度传
# 到 $\partial L_i/\partial W$。对样本取平均并加上正则化（约定与 `svm_loss_naive` 相同）。检查会在小例子上把
# 你的损失和 `dW` 与存储的值比较。

# %% tags=["nbval-check-output"]
checks.softmax_naive(softmax_loss_naive, large_scores=False)

# %% [markdown]
# A sanity check to run at the start of any training: with tiny random weights, what is the loss?

# %% [markdown] lang="zh"
# 每次开始训练时都值得做的一个合理性检查：权重是很小的随机数时，损失是多少？

# %%
X_dev = add_bias(data.X_dev).astype(np.float64)
y_dev = data.y_dev
C = data.num_classes
rng = np.random.default_rng(0)
W_tiny = 1e-4 * rng.standard_normal((X_dev.shape[1], C))
loss, _ = softmax_loss_naive(W_tiny, X_dev, y_dev, reg=0.0)
print(tr(f"loss with tiny random weights: {loss:.4f};   C = {C}, log C = {np.log(C):.4f}",
         f"权重是很小的随机数时的损失：{loss:.4f}；   C = {C}，log C = {np.log(C):.4f}"))

# %% [markdown]
# **Inline question 1** — Why is the loss with tiny random weights close to $\log C$? If a new
# model of yours started at a loss of $10\log C$, what would you suspect?

# %% [markdown] lang="zh"
# **随堂问题 1** — 为什么权重很小时损失接近 $\log C$？如果你的一个新模型初始损失是 $10\log C$，你会怀疑什么
# ？

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# With tiny weights every score is about 0, so every class gets $p_j = e^0 / \sum_k e^0 = 1/C$ and
# $L_i = -\log(1/C) = \log C$ for every example. A much larger initial loss means the scores are
# not small: weights initialized too large (or unscaled inputs), or a bug in the loss, e.g. the
# data loss summed over the examples instead of averaged.
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 权重很小时每个得分都约为 0，所以每个类别的 $p_j = e^0 / \sum_k e^0 = 1/C$，每个样本
# 的 $L_i = -\log(1/C) = \log C$。初始损失大得多，说明得分并不小：权重初始化过大（或输入没有缩放），或者损失
# 有 bug，例如数据损失对样本求和而不是取平均。
# <!-- END SOLUTION -->

# %% [markdown]
# ## Your code: `softmax_loss_vectorized`
#
# Complete **`softmax_loss_vectorized`** in the same file: no Python loops, the same results.

# %% [markdown] lang="zh"
# ## 你的代码：`softmax_loss_vectorized`
#
# 在同一个文件中补全 **`softmax_loss_vectorized`**：不用 Python 循环，结果相同。

# %% tags=["nbval-check-output"]
checks.softmax_vectorized(softmax_loss_vectorized, large_scores=False)

# %%
W0 = 0.01 * rng.standard_normal((X_dev.shape[1], C))
X_some = add_bias(data.X_train[:1000]).astype(np.float64)
t0 = time.perf_counter()
loss_naive, dW_naive = softmax_loss_naive(W0, X_some, data.y_train[:1000], 0.1)
t1 = time.perf_counter()
loss_vec, dW_vec = softmax_loss_vectorized(W0, X_some, data.y_train[:1000], 0.1)
t2 = time.perf_counter()
ms_naive, ms_vec, n_some = 1000 * (t1 - t0), 1000 * (t2 - t1), X_some.shape[0]
print(tr(f"on {n_some} examples: naive {ms_naive:.1f} ms, vectorized {ms_vec:.2f} ms",
         f"在 {n_some} 个样本上：朴素版本 {ms_naive:.1f} ms，向量化版本 {ms_vec:.2f} ms"))
loss_diff, grad_diff = abs(loss_naive - loss_vec), np.linalg.norm(dW_naive - dW_vec)
print(tr(f"loss difference {loss_diff:.1e}, gradient difference (Frobenius norm) {grad_diff:.1e}",
         f"损失之差 {loss_diff:.1e}，梯度之差（Frobenius 范数）{grad_diff:.1e}"))

# %% [markdown]
# The two must agree to rounding (a difference of about $10^{-15}$, not $10^{-3}$); the
# vectorized one is the one training uses.
#
# ## Information theory: cross-entropy = entropy + KL divergence
#
# For a "true" distribution $p$ and an estimate $q$:
# $H(p, q) = -\sum_x p(x)\log q(x)$, $H(p) = -\sum_x p(x)\log p(x)$ and
# $D_{KL}(p\,\|\,q) = \sum_x p(x)\log\frac{p(x)}{q(x)}$. Then $H(p,q) = H(p) + D_{KL}(p\|q)$.
# Check it on real numbers, with $q$ the softmax of our example scores:

# %% [markdown] lang="zh"
# 两者必须一致到舍入误差的程度（差约为 $10^{-15}$，而不是 $10^{-3}$）；训练用的是向量化版本。
#
# ## 信息论：交叉熵 = 熵 + KL 散度
#
# 对“真实”分布 $p$ 和估计分布 $q$：
# $H(p, q) = -\sum_x p(x)\log q(x)$，$H(p) = -\sum_x p(x)\log p(x)$，
# $D_{KL}(p\,\|\,q) = \sum_x p(x)\log\frac{p(x)}{q(x)}$。于是 $H(p,q) = H(p) + D_{KL}(p\|q)$。
# 代入具体的数验证一下，$q$ 取我们例子得分的 softmax：

# %%
q = probs                                               # the softmax of f, from the first cell


def cross_entropy(p, q):
    return -np.sum(p[p > 0] * np.log(q[p > 0]))


def entropy(p):
    return 0.0 - np.sum(p[p > 0] * np.log(p[p > 0]))   # 0.0 - x avoids printing -0.0


def kl(p, q):
    return np.sum(p[p > 0] * np.log(p[p > 0] / q[p > 0]))


for name, p in [(tr("soft p", "非独热的 p"), np.array([0.1, 0.3, 0.6])),
                (tr("one-hot p (class 2)", "独热的 p（类别 2）"), np.array([0.0, 0.0, 1.0]))]:
    print(f"{name}: H(p,q) = {cross_entropy(p, q):.6f}, H(p) = {entropy(p):.6f}, "
          f"KL(p||q) = {kl(p, q):.6f}, H(p) + KL = {entropy(p) + kl(p, q):.6f}")
print(tr("softmax loss of the example (your cross_entropy_two_ways): ",
         "例子的 softmax 损失（用你的 cross_entropy_two_ways）：") + f"{cross_entropy_two_ways(f, 2)[0]:.6f}")

# %% [markdown]
# The identity alone does not say where the cross-entropy is smallest. Sweep the estimate $q$:
# with two classes, $q = (1 - q_1, q_1)$ for every $q_1$ in $(0, 1)$; with three classes, 20 000
# random $q$ from the probability simplex.

# %% [markdown] lang="zh"
# 单凭这个恒等式还看不出交叉熵在哪里最小。让估计 $q$ 扫过各种取值：两个类别时，对 $(0, 1)$ 中的每
# 个 $q_1$ 取 $q = (1 - q_1, q_1)$；三个类别时，从概率单纯形 (probability simplex) 中随机取 20 000 个 $q$。

# %%
plot_cross_entropy_vs_q(0.7)
plt.show()

p3 = np.array([0.1, 0.3, 0.6])
Q = np.random.default_rng(1).dirichlet(np.ones(3), size=20_000)
H_all = -(np.log(Q) @ p3)                               # H(p, q) for every row q of Q
best = Q[np.argmin(H_all)]
print(tr(f"3 classes, p = {p3}: smallest H(p, q) over the random q = {H_all.min():.5f} "
         f"(H(p) = {entropy(p3):.5f}) at q = {best.round(3)}",
         f"3 个类别，p = {p3}：在随机的 q 中，最小的 H(p, q) = {H_all.min():.5f}"
         f"（H(p) = {entropy(p3):.5f}），在 q = {best.round(3)} 处"))
print(tr(f"random q with H(p, q) < H(p): {int(np.sum(H_all < entropy(p3)))} of {len(Q)}",
         f"H(p, q) < H(p) 的随机 q：{len(Q)} 个中有 {int(np.sum(H_all < entropy(p3)))} 个"))

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

# %% [markdown] lang="zh"
# $H(p, q)$ 从不低于 $H(p)$，并且只在 $q = p$ 时取到它：差值就是 $D_{KL}(p\|q) \ge 0$（吉布斯不等
# 式 (Gibbs' inequality)）。对于带标签样本的独热 (one-hot) 分布 $p$，$H(p) = 0$，所以交叉熵*就是* KL 散
# 度 (KL divergence)，两者都等于 softmax 损失 $-\log q_{y_i}$。最小化损失就是把 $q$ 的全部概率质量移到正确类
# 别上。
#
# ## 概率论：最大似然与 MAP
#
# $q_{y_i} = P(y_i \mid x_i; W)$，所以 $\sum_i L_i = -\log \prod_i P(y_i \mid x_i; W)$：最小化数据损失就是
# **最大似然估计 (maximum likelihood)**。加上 $\lambda R(W)$ 则是带高斯先
# 验 $W_{kl} \sim \mathcal N(0, \sigma^2)$ 的**最大后验估计 (MAP)**：先验的负对数密度
# 是 $\frac{1}{2\sigma^2}\sum W_{kl}^2 + \text{const}$。我们的损失是 $N$ 个样本的*平均*，所
# 以 $\lambda R(W) = \frac{1}{N}(-\log P(W)) + \text{const}$，其中 $\lambda = \frac{1}{2N\sigma^2}$。与一个
# 独立实现的高斯密度对照：

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
    print(tr(f"W scaled by {scale}: ", f"W 乘以 {scale}：") + f"reg * R(W) = {reg_term:.6f},  "
          f"-log P(W)/N - const = {neg_log_prior - const:.6f}")

# %% [markdown]
# The two columns agree: the regularization term is the negative log of a Gaussian prior (per
# example), up to a constant that does not depend on $W$. A larger $\lambda$ is a narrower prior.
#
# ## Training the softmax classifier

# %% [markdown] lang="zh"
# 两列一致：正则化项就是（每个样本分摊的）高斯先验的负对数，相差一个与 $W$ 无关的常数。$\lambda$ 越大，先验
# 越窄。
#
# ## 训练 softmax 分类器

# %%
hp = defaults_for(data.name, "softmax")
clf = Softmax(random_state=0, **hp).fit(data.X_train, data.y_train)
print(hp)
acc_train, acc_val = clf.score(data.X_train, data.y_train), clf.score(data.X_val, data.y_val)
print(tr(f"train accuracy {acc_train:.3f}, val accuracy {acc_val:.3f}",
         f"训练准确率 {acc_train:.3f}，验证准确率 {acc_val:.3f}"))
print(tr(f"first loss {clf.loss_history_[0]:.3f} (log C = {np.log(C):.3f}), "
         f"last loss {clf.loss_history_[-1]:.3f}",
         f"第一次的损失 {clf.loss_history_[0]:.3f}（log C = {np.log(C):.3f}），"
         f"最后的损失 {clf.loss_history_[-1]:.3f}"))

# %%
ax = plot_loss_history({"Softmax": clf.loss_history_}, logy=True, expected_initial=np.log(C),
                       expected_label=tr(f"log C = {np.log(C):.2f}: the loss of\nuniform probabilities",
                                         f"log C = {np.log(C):.2f}：均匀概率\n的损失"))
ax.set_title(tr(f"Softmax training loss on {data.name}", f"{data.name} 上 softmax 的训练损失"))
plt.show()

# %% [markdown]
# ## Maximum likelihood, measured
#
# The claim above, on the trained model: its mean data loss (your `softmax_loss_vectorized`
# with `reg=0`) against the log-likelihood of the training labels, $\sum_i \log P(y_i \mid x_i; W)$,
# computed from the probabilities of an independent softmax (SciPy's). A model that knows nothing (every
# $P = 1/C$) has log-likelihood $N \log(1/C)$, for comparison.

# %% [markdown] lang="zh"
# ## 最大似然：算一算
#
# 在训练好的模型上验证上面的说法：它的平均数据损失（用你的 `softmax_loss_vectorized`，`reg=0`），和训练标签的
# 对数似然 (log-likelihood) $\sum_i \log P(y_i \mid x_i; W)$（由一个独立实现的 softmax，即 SciPy 的，给出的概
# 率算出）对比。作为参照，一个什么都不
# 知道的模型（每
# 个 $P = 1/C$）的对数似然是 $N \log(1/C)$。

# %%
from scipy.special import softmax as scipy_softmax

X_train_b = add_bias(data.X_train).astype(np.float64)
W_fit, N_train = clf.W_.astype(np.float64), len(data.y_train)
data_loss, _ = softmax_loss_vectorized(W_fit, X_train_b, data.y_train, reg=0.0)
P_fit = scipy_softmax(X_train_b @ W_fit, axis=1)                     # an independent softmax
log_likelihood = np.sum(np.log(P_fit[np.arange(N_train), data.y_train]))
per_example = -log_likelihood / N_train
print(tr(f"mean data loss {data_loss:.6f};  -(1/N) log-likelihood {per_example:.6f}  (N = {N_train})",
         f"平均数据损失 {data_loss:.6f}；  -(1/N) 对数似然 {per_example:.6f}  (N = {N_train})"))
exp10, exp10_uniform = log_likelihood / np.log(10), N_train * np.log(1 / C) / np.log(10)
print(tr(f"likelihood of the training labels: 10^{exp10:.1f}; uniform guessing: 10^{exp10_uniform:.1f}",
         f"训练标签的似然：10^{exp10:.1f}；均匀猜测：10^{exp10_uniform:.1f}"))

# %% [markdown]
# The two numbers are the same: training lowered the mean loss from $\log C$ to this value, which
# is exactly raising the likelihood of the labels by that many powers of 10. The likelihood itself
# is far below the smallest float32 (about $10^{-45}$), which is why one works with its log.

# %% [markdown] lang="zh"
# 两个数相同：训练把平均损失从 $\log C$ 降到这个值，正好就是把标签的似然提高了这么多个数量级。似然本身远
# 小于 float32 能表示的最小数（约 $10^{-45}$），所以总是用它的对数来计算。

# %%
fig = plot_weight_templates(clf.W_, data.image_shape, data.class_names,
                            title=tr(f"Softmax weight templates ({data.name})",
                                     f"Softmax 权重模板（{data.name}）"))
plt.show()

# %% [markdown]
# What to see: put these beside the SVM templates of notebook 1. The same kind of blotchy sketch
# of each class appears, red where an image of the class tends to be brighter than average and
# blue where other classes have ink; the two losses reach nearly the same patterns from different
# objectives. The softmax's weights have another overall size, so compare the patterns, not the
# strength of the colours. Notebook 5 puts both side by side and measures how similar they are.

# %% [markdown] lang="zh"
# 要看什么：把它们和 notebook 1 中 SVM 的权重模板放在一起比较。每个类别都出现同一类斑驳的草图：该类别图像往往
# 比平均更亮的地方是红色，其他类别有笔迹的地方是蓝色；两种损失目标不同，却得到几乎相同的图案。softmax 权重的
# 整体大小不同，所以要比较图案，而不是颜色的深浅。notebook 5 会把两者并排放在一起，并度量它们有多相似。

# %% [markdown]
# ## Choosing the learning rate and $\lambda$ for the softmax
#
# As for the SVM in notebook 1: a log grid around the defaults, scored on the **validation**
# split, with shorter training (300 steps). A target makes the search concrete: a tuned linear
# softmax should reach a validation accuracy of at least **0.94 on digits** (about 0.35 on
# CIFAR-10). If the best pair misses it, or sits on an edge of the grid, widen the grid in that
# direction and run the cell again.

# %% [markdown] lang="zh"
# ## 为 softmax 选择学习率和 $\lambda$
#
# 和 notebook 1 中的 SVM 一样：在默认值附近取对数网格，在**验证**集上评分，训练步数减少（300 步）。定一个目
# 标，搜索才有方向：调好的线性 softmax 在验证集上的准确率应该至少达到 **digits 上的 0.94**（CIFAR-10 上约
# 为 0.35）。如果最好的那一对没有达到目标，或者落在网格的边上，就朝那个方向扩大网格，再运行一次这个单元格。

# %%
target = {"digits": 0.94, "cifar10": 0.35}.get(data.name, 0.0)
lrs_sm = hp["learning_rate"] * np.logspace(-1, 2, 4)
regs_sm = hp["reg"] * np.logspace(-1, 1, 3)
search = {}
for lr in lrs_sm:
    for reg in regs_sm:
        m = Softmax(learning_rate=lr, reg=reg, num_iters=300, batch_size=hp["batch_size"],
                    random_state=0).fit(data.X_train, data.y_train)
        search[(lr, reg)] = m.score(data.X_val, data.y_val)
print(tr("val accuracy  ", "验证准确率    ") + "".join(f"  reg={reg:<8.2g}" for reg in regs_sm))
for lr in lrs_sm:
    print(f"lr={lr:<9.3g}" + "".join(f"  {search[(lr, reg)]:<12.3f}" for reg in regs_sm))
best_sm = max(search, key=search.get)
print(tr(f"best: learning rate {best_sm[0]:.3g}, reg {best_sm[1]:.3g}, val accuracy {search[best_sm]:.3f}; "
         f"target {target}: " + ("met" if search[best_sm] >= target else "NOT met, widen the grid"),
         f"最好：学习率 {best_sm[0]:.3g}，reg {best_sm[1]:.3g}，验证准确率 {search[best_sm]:.3f}；"
         f"目标 {target}：" + ("已达到" if search[best_sm] >= target else "未达到，请扩大网格")))

# %% [markdown]
# The classifier gives every class a probability, through `softmax`. You write a `softmax` that
# cannot overflow in notebook 4, and look at the probabilities of single images there.

# %% [markdown] lang="zh"
# 分类器通过 `softmax` 给每个类别一个概率。在 notebook 4 中你会写一个不会上溢的 `softmax`，并在那里查看单张
# 图像的概率。

# %% [markdown]
# **Inline question 2** — What are the smallest and largest values the softmax loss $L_i$ can
# take? Can it reach them with finite scores?

# %% [markdown] lang="zh"
# **随堂问题 2** — softmax 损失 $L_i$ 的最小值和最大值分别是多少？用有限的得分能取到吗？

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# $L_i = -\log q_{y_i}$ with $0 < q_{y_i} < 1$ for finite scores, so $0 < L_i < \infty$. The minimum 0
# needs $q_{y_i} = 1$ (the correct score infinitely above the others); the maximum $\infty$ needs
# $q_{y_i} = 0$ (infinitely below). Neither is reached with finite scores in exact arithmetic;
# in floating point a loss below about $10^{-16}$ rounds to exactly 0 (notebook 5 shows it).
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# $L_i = -\log q_{y_i}$，对有限的得分有 $0 < q_{y_i} < 1$，所以 $0 < L_i < \infty$。最小值 0 需
# 要 $q_{y_i} = 1$（正确得分比其他得分高出无穷多）；最大值 $\infty$ 需要 $q_{y_i} = 0$（低出无穷多）。在精确
# 算术下，有限的得分都取不到；在浮点数中，小于约 $10^{-16}$ 的损失会被舍入为恰好 0（notebook 5 会展示这一点
# ）。
# <!-- END SOLUTION -->
