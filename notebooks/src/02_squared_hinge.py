# Source of notebooks/02_squared_hinge.ipynb (built by notebooks/_build.py).

# %% [markdown]
# # 2. Hinge vs squared hinge (L2-SVM)
#
# The squared hinge squares each margin violation:
#
# $$L_i = \sum_{j \neq y_i} \max(0,\; s_j - s_{y_i} + \Delta)^2$$
#
# It punishes large violations more (quadratically instead of linearly) and small ones less.
# In this notebook: the loss of one margin and its slope, the squared hinge in your loss
# functions, and both classifiers trained on the same split, one of them chosen on validation.
#
# **What you will write** (about 1 hour; notebook 1 must be done first). Each piece is followed
# right away by a check cell.
#
# | where | what | about |
# |---|---|---|
# | this notebook | `margin_loss`: loss and slope of one margin, both losses | 15 min |
# | `cs231n_lin/classifiers/linear_svm.py` | `squared=True` in both loss functions | 30 min |
# | this notebook | two inline questions | 15 min |

# %% [markdown] lang="zh"
# # 2. 合页损失与平方合页损失 (L2-SVM)
#
# 平方合页损失 (squared hinge loss) 把每个违反间隔的量平方：
#
# $$L_i = \sum_{j \neq y_i} \max(0,\; s_j - s_{y_i} + \Delta)^2$$
#
# 它对大的违反惩罚更重（二次而不是线性），对小的违反惩罚更轻。本 notebook 的内容：单个间隔的损失及其斜率，在
# 你的损失函数中加入平方合页损失，以及在同一划分上训练两种分类器，并在验证集上选出其中一个。
#
# **你要写的内容**（约 1 小时；需要先完成 notebook 1）。每完成一部分，紧接着就有一个检查单元格。
#
# | 位置 | 内容 | 用时 |
# |---|---|---|
# | 本 notebook | `margin_loss`：单个间隔在两种损失下的损失和斜率 | 15 分钟 |
# | `cs231n_lin/classifiers/linear_svm.py` | 两个损失函数中的 `squared=True` | 30 分钟 |
# | 本 notebook | 两个随堂问题 | 15 分钟 |

# %%
# %load_ext autoreload
# %autoreload 2
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from cs231n_lin import checks
from cs231n_lin.classifiers import LinearSVM
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.data import add_bias, load_dataset
from cs231n_lin.gradient_check import eval_numerical_gradient
from cs231n_lin.hyperparams import defaults_for
from cs231n_lin.i18n import tr
from cs231n_lin.vis import per_example_losses, plot_loss_history, plot_margin_loss_and_slope

np.set_printoptions(precision=4, suppress=True)
data = load_dataset()
print(data.summary())

# %% [markdown]
# ## The worked example, both ways
#
# Scores $[13, -7, 11]$, correct class 0, $\Delta = 10$ (notebook 1): class 1's margin is
# $-10$ (met), class 2's is $8$ (violated). The hinge loss is $\max(0, -10) + \max(0, 8) = 8$;
# the squared hinge loss is $0^2 + 8^2 = 64$.
#
# ## Your code: one margin, both losses and their slopes
#
# For a single margin $m = s_j - s_{y_i} + \Delta$, the two losses are $\ell(m) = \max(0, m)$
# (hinge) and $\ell(m) = \max(0, m)^2$ (squared hinge). Work out the slope $d\ell/dm$ of each
# (at $m = 0$, where the hinge has a corner, use the slope 0), then write both losses and slopes
# in `margin_loss`, elementwise on an array of margins of any shape.

# %% [markdown] lang="zh"
# ## 用两种损失计算同一个例子
#
# 得分 $[13, -7, 11]$，正确类别为 0，$\Delta = 10$（见 notebook 1）：类别 1 的间隔是 $-10$（满足），类
# 别 2 的是 $8$（违反）。合页损失 (hinge loss) 是 $\max(0, -10) + \max(0, 8) = 8$；平方合页损失
# 是 $0^2 + 8^2 = 64$。
#
# ## 你的代码：单个间隔，两种损失及其斜率
#
# 对单个间隔 $m = s_j - s_{y_i} + \Delta$，两种损失分别是 $\ell(m) = \max(0, m)$（合页）
# 和 $\ell(m) = \max(0, m)^2$（平方合页）。推出各自的斜率 $d\ell/dm$（在合页损失有折点 (kink) 的 $m = 0$ 处取
# 斜率 0），
# 然后在 `margin_loss` 中写出两种损失和斜率，对任意形状的间隔数组逐元素计算。

# %%
def margin_loss(m, squared=False):
    """Loss and slope of each margin in the array m; returns two arrays of m's shape."""
    # BEGIN SOLUTION
    positive = np.maximum(0.0, m)
    if squared:
        return positive**2, 2.0 * positive
    return positive, (m > 0).astype(float)
    # END SOLUTION


# %% tags=["nbval-check-output"]
checks.margin_loss(margin_loss)

# %% [markdown]
# ## The two curves
#
# Your `margin_loss`, drawn. Left: the loss of one margin. Right: its slope. An SGD step moves
# against the slope (downhill), by an amount proportional to it.

# %% [markdown] lang="zh"
# ## 两条曲线
#
# 把你的 `margin_loss` 画出来。左图：单个间隔的损失。右图：它的斜率。SGD 的一步朝斜率的反方向（下坡）走，步
# 子的大小与斜率成正比。

# %%
fig = plot_margin_loss_and_slope(margin_loss)
plt.show()

# %% [markdown]
# * For $0 < m < 1$ the squared hinge is *smaller* (0.5 becomes 0.25); for $m > 1$ it is larger
#   and keeps growing faster.
# * The hinge slope jumps from 0 to 1 at $m = 0$; the squared-hinge slope is continuous, so the
#   squared hinge has no kink there.
#
# ## Your code: the squared hinge in the loss functions
#
# Both `svm_loss_naive` and `svm_loss_vectorized` in **`cs231n_lin/classifiers/linear_svm.py`**
# take `squared=True`. Make both compute the squared hinge and its gradient: the loss of each
# margin is now the squared one, and its slope is the one you derived above; the chain rule from
# the scores to `W` is the same as in notebook 1.

# %% [markdown] lang="zh"
# * 当 $0 < m < 1$ 时，平方合页损失*更小*（0.5 变成 0.25）；当 $m > 1$ 时它更大，而且增长得越来越快。
# * 合页损失的斜率在 $m = 0$ 处从 0 跳到 1；平方合页损失的斜率是连续的，所以它在那里没有折点。
#
# ## 你的代码：损失函数中的平方合页损失
#
# **`cs231n_lin/classifiers/linear_svm.py`** 中的 `svm_loss_naive` 和 `svm_loss_vectorized` 都接
# 受 `squared=True`。让两者都计算平方合页损失及其梯度：每个间隔的损失现在是平方后的，斜率就是你上面推出的那
# 个；从得分到 `W` 的链式法则与 notebook 1 相同。

# %% tags=["nbval-check-output"]
checks.svm_squared(svm_loss_naive)

# %% tags=["nbval-check-output"]
checks.svm_squared(svm_loss_vectorized)

# %% [markdown]
# ## No kink, so the gradient check agrees even at $m = 0$
#
# The worked example with $\Delta = 2$ puts class 2's margin exactly at 0 (see notebook 1).
# Your analytic gradient against the centered difference of your loss, both losses:

# %% [markdown] lang="zh"
# ## 没有折点，所以梯度检验在 $m = 0$ 处也一致
#
# $\Delta = 2$ 的例子让类别 2 的间隔恰好为 0（见 notebook 1）。在两种损失下，比较你的解析梯度和你的损失的中
# 心差分：

# %%
W_kink = np.array([[13.0, -7.0, 11.0]])
X_one, y_one = np.array([[1.0]]), np.array([0])
for squared in (False, True):
    _, dW = svm_loss_naive(W_kink, X_one, y_one, reg=0.0, delta=2.0, squared=squared)
    num = eval_numerical_gradient(lambda W, sq=squared: svm_loss_naive(W, X_one, y_one, 0.0, 2.0, sq)[0],
                                  W_kink.copy())
    print(tr(f"squared={squared!s:5}: analytic {dW[0]}, numeric {num[0].round(4) + 0.0}, "
             f"largest difference {np.abs(num - dW).max():.1e}",
             f"squared={squared!s:5}：解析 {dW[0]}，数值 {num[0].round(4) + 0.0}，"
             f"最大差值 {np.abs(num - dW).max():.1e}"))

# %% [markdown]
# ## Both classifiers on the same split
#
# Each starts from its own default hyper-parameters (the squared hinge has larger gradients for
# large margins, so it usually needs a smaller learning rate); both take the same 1500 SGD steps.
# Which loss is better is a choice like any hyper-parameter: make it on the **validation**
# split, then measure the chosen model's test accuracy once.

# %% [markdown] lang="zh"
# ## 在同一划分上训练两种分类器
#
# 两者各自从自己的默认超参数开始（平方合页损失在间隔大时梯度更大，所以通常需要更小的学习率）；两者都走同样
# 的 1500 步 SGD。哪种损失更好，和任何超参数一样是一种选择：在**验证**集上做出选择，然后只测量一次所选模型的
# 测试准确率。

# %%
models = {
    "hinge": LinearSVM(random_state=0, **defaults_for(data.name, "svm")),
    "squared hinge": LinearSVM(squared=True, random_state=0, **defaults_for(data.name, "svm_squared")),
}
label = {"hinge": tr("hinge", "合页损失"), "squared hinge": tr("squared hinge", "平方合页损失")}
val_accuracy = {}
print(tr(f"{'loss':15} {'train':>6} {'val':>6}", f"{'损失':13} {'训练':>4} {'验证':>4}"))
for name, model in models.items():
    model.fit(data.X_train, data.y_train)
    val_accuracy[name] = model.score(data.X_val, data.y_val)
    print(tr(f"{name:15}", f"{label[name]:{15 - len(label[name])}}")
          + f" {model.score(data.X_train, data.y_train):6.3f} {val_accuracy[name]:6.3f}")
chosen = max(val_accuracy, key=val_accuracy.get)        # on a tie, the first: the plain hinge
print(tr(f"chosen on validation: {chosen}; its test accuracy: ",
         f"在验证集上选出：{label[chosen]}；它的测试准确率：")
      + f"{models[chosen].score(data.X_test, data.y_test):.3f}")

# %% [markdown]
# With small weights every margin is about $\Delta = 1$, so both losses start near
# $(C - 1) \cdot 1 = C - 1$ (for the squared hinge, $1^2 = 1$ per wrong class): the dotted line.

# %% [markdown] lang="zh"
# 权重很小时每个间隔都约为 $\Delta = 1$，所以两种损失都从 $(C - 1) \cdot 1 = C - 1$ 附近开始（平方合页损失每
# 个错误类别贡献 $1^2 = 1$）：即图中的虚线。

# %%
ax = plot_loss_history({label[name]: m.loss_history_ for name, m in models.items()},
                       expected_initial=data.num_classes - 1,
                       expected_label=tr(f"expected at the start: C - 1 = {data.num_classes - 1}",
                                         f"开始时的预期值：C - 1 = {data.num_classes - 1}"), logy=True)
ax.set_title(tr(f"Training loss on {data.name}: hinge vs squared hinge",
                f"{data.name} 上的训练损失：合页损失与平方合页损失"))
plt.show()

# %% [markdown]
# Their losses are on different scales (a violation of 0.5 costs 0.5 or 0.25), so compare
# accuracies, not loss values.

# %% [markdown] lang="zh"
# 两种损失的尺度不同（违反 0.5 的代价是 0.5 或 0.25），所以要比较准确率，而不是损失值。

# %% [markdown]
# **Inline question 1** — Your training data has a few mislabelled images. Which loss would you
# expect to suffer more from them, and why? (Answer before reading on: the next section measures
# it.)

# %% [markdown] lang="zh"
# **随堂问题 1** — 你的训练数据中有几张图像的标签标错了。你预计哪种损失受它们的影响更大？为什么？（先作答再往
# 下读：下一节会测量它。）

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# The squared hinge. A mislabelled image tends to have a large margin violation; its penalty
# grows quadratically and its gradient ($2m$) grows with the violation, so a few such examples
# pull the weights hard (the next section shows how much of the loss a few examples carry). The
# hinge caps each violation's slope at 1, which makes it more robust to outliers. The squared
# hinge can be preferable when the data are clean, because it also pushes small violations
# smoothly (no kink) and treats large ones as more urgent.
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 平方合页损失。标错的图像往往有很大的间隔违反量；它的惩罚按二次增长，梯度 ($2m$) 也随违反量增长，所以少数这
# 样的样本就会强烈地拉动权重（下一节显示了少数样本承担了多少损失）。合页损失把每个违反量的斜率上限定
# 为 1，因此对离群点 (outlier) 更稳健。数据干净时平方合页损失可能更好，因为它也会平滑地推动小的违反（没有折
# 点），并把大的违反看得更紧迫。
# <!-- END SOLUTION -->

# %% [markdown]
# ## Who dominates the loss?
#
# At the trained hinge weights, take each training example's loss $L_i$ under both losses (from
# your `svm_loss_vectorized`, one example at a time) and compare the share of the total that
# comes from the worst 5% of the examples:

# %% [markdown] lang="zh"
# ## 谁主导了损失？
#
# 在训练好的合页损失权重下，分别用两种损失计算每个训练样本的损失 $L_i$（用你的 `svm_loss_vectorized`，一次一
# 个样本），比较最差的 5% 样本在总损失中所占的份额：

# %%
S_tr = add_bias(data.X_train).astype(np.float64) @ models["hinge"].W_.astype(np.float64)
for loss in ("hinge", "squared_hinge"):
    per_example = per_example_losses(S_tr, data.y_train, loss)
    worst = np.sort(per_example)[::-1][: max(1, len(per_example) // 20)]
    share = 100 * worst.sum() / per_example.sum()
    print(tr(f"{loss:13}: worst 5% of examples carry {share:.0f}% of the loss",
             f"{label[loss.replace('_', ' ')]}：最差的 5% 样本承担了 {share:.0f}% 的损失"))

# %% [markdown]
# **Inline question 2** — The validation split has 200 images here. The two validation
# accuracies above differ by a few images. How confident are you that the chosen loss is really
# better on new data, and what would make you more confident?

# %% [markdown] lang="zh"
# **随堂问题 2** — 这里验证集有 200 张图像。上面两个验证准确率只相差几张图像。你有多大把握认为选出的损失在新
# 数据上真的更好？怎样才能更有把握？

# %% [markdown]
# <!-- BEGIN SOLUTION -->
# Not very: with 200 images one image is 0.005 of accuracy, and a difference of a few images is
# within what a different random seed, minibatch order or split would change. To be more
# confident: repeat the comparison over several seeds and splits (or use k-fold cross-validation)
# and look at the spread of the difference, tune each loss's learning rate and $\lambda$ before
# comparing (here each uses its defaults), and use a larger validation set. The test split is
# still used only once, for the model finally chosen.
# <!-- END SOLUTION -->

# %% [markdown] lang="zh"
# <!-- BEGIN SOLUTION -->
# 把握不大：200 张图像中一张就是 0.005 的准确率，相差几张图像的差别，换一个随机种子、小批量顺序或数据划分就
# 可能改变。要更有把握：用多个随机种子和划分重复比较（或用 k 折交叉验证 (k-fold cross-validation)），看差值
# 的波动范围；比较之前先分别为每种损失调好学习率和 $\lambda$（这里都用默认值）；并使用更大的验证集。测试集仍
# 然只用一次，只用于最终选出的模型。
# <!-- END SOLUTION -->
