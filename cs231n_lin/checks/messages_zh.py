# ruff: noqa: E501  (a table of Chinese sentences: one sentence per line reads and diffs best)
"""The Chinese feedback sentences, keyed exactly as the English ones.

- :data:`MESSAGES_ZH` — the same keys and fields as :data:`cs231n_lin.checks.messages.MESSAGES`
  (:func:`cs231n_lin.checks.messages.message` picks it when the language is ``zh``);
- :data:`CAUSES_ZH` — per lesson check module, the same keys as its ``CAUSES``;
- :data:`WHAT_ZH` — patterns for the most frequent "what failed" lines (others stay in English).

The terms follow ``docs/GLOSSARY.md``; code, formulas and numbers are the English ones.
"""

from __future__ import annotations

import re

__all__ = ["CAUSES_ZH", "LIKELY_CAUSE_ZH", "MESSAGES_ZH", "WHAT_ZH", "render_zh", "tidy",
           "translate_what", "what_zh"]

LIKELY_CAUSE_ZH = "可能的原因"

MESSAGES_ZH: dict[str, str] = {
    "avg_sum": ("你的 {what} 没有对样本取平均：它等于 N = {N} 个样本的总和（大了 N 倍）。"
                "是不是忘了除以样本数 N？"),
    "avg_nc": ("你的 {what} 除以的是 N * C = {NC}，而不是 N = {N}：对整个 (N, C) 矩阵用 np.mean "
               "会把类别也平均掉。先对类别求和，再除以 N。"),
    "avg_twice": "你的 {what} 除了两次 N（除以 N ** 2 = {N2}）：数据项只需除以 N = {N} 一次。",
    "loss_sign": ("你的损失中数据部分的符号反了：每个 L_i 都 >= 0（合页项之和，或 -log p_y），"
                  "所以平均值也必须 >= 0。"),
    "loss.reg_missing": "你的损失没有正则化项：在对数据损失取平均之后，加上 reg * np.sum(W * W)。",
    "dW.reg_missing": "你的 dW 没有正则化梯度：加上 reg * sum(W * W) 的导数，即 2 * reg * W。",
    "loss.reg_half": ("你的正则化项是 0.5 * reg * sum(W * W)；本作业的损失是 "
                      "data_loss + reg * sum(W * W)，没有 0.5。"),
    "loss.reg_l1": "你的正则化项是 reg * sum(|W|)（L1 惩罚）；这里的损失用的是 L2 惩罚 reg * sum(W * W)。",
    "loss.reg_double": ("你的正则化项是 2 * reg * sum(W * W)：因子 2 属于梯度 (2 * reg * W)，"
                        "不属于损失。"),
    "loss.reg_mean": "你的正则化项被除以了 N：只对数据损失取平均，然后再加上 reg * sum(W * W)。",
    "dW.reg_factor1": "你的正则化梯度是 reg * W，但 reg * sum(W * W) 的导数是 2 * reg * W（少了因子 2）。",
    "dW.reg_l1": "你的正则化梯度是 reg * sign(W)（这是 L1 惩罚的梯度）；reg * sum(W * W) 的导数是 2 * reg * W。",
    "dW.reg_mean": "你的正则化梯度被除以了 N：只对数据梯度取平均，然后再加上 2 * reg * W。",
    "dW.reg_4": "你的正则化梯度是 4 * reg * W：reg * sum(W * W) 的导数是 2 * reg * W（是不是乘了两次 2？）。",
    "sign": "你的 dW 数值对但符号相反（它是 -loss 的梯度）：检查梯度的符号。",
    "data_sign": ("你的 dW 中数据部分的符号反了（正则化部分是对的）：一个正的间隔会把得分 j 往下推，"
                  "所以它对类别 j 的梯度是 +x_i，对 y_i 是 -x_i。"),
    "svm_counted": ("你的 {what} 在合页求和中把正确类别也算进去了：j == y_i 时间隔等于 delta，"
                    "于是每个样本都多加了 delta。跳过 j == y_i（或者在取 max 之前把这些间隔设为 0）。"),
    "svm_delta1": ("你的 {what} 用的是 delta = 1，但这个测试用的是 delta = {delta:g}：请使用 delta 参数，"
                   "不要把 1 写死（delta 被忽略了）。"),
    "svm_hinge_for_squared": ("squared=True 时你的 {what} 仍是普通合页损失：平方合页损失把每个正的间隔平方，"
                              "max(0, m) ** 2，其梯度是 2 * max(0, m)。"),
    "svm_sq_no2": "你的平方合页梯度少了因子 2：d/ds max(0, m) ** 2 = 2 * max(0, m)。",
    "svm_sq_slope1": ("你的平方合页梯度对每个正的间隔都用斜率 1（这是普通合页损失的）；max(0, m) ** 2 "
                      "的斜率是 2 * max(0, m)（因子 2 和间隔都漏了）。"),
    "svm_no_correct_grad": ("你的 dW 从不把正确类别往上推：对每个正的间隔，还要从第 y_i 列减去 x_i"
                            "（dW[:, y_i] -= x_i，或者 dscores[i, y_i] = -(正间隔的个数)）。"),
    "softmax_axis0": ("你的 {what} 减去的是错误轴上的最大值（axis=0，跨样本）：应减去每一行自己的最大值，"
                      "np.max(scores, axis=1, keepdims=True)。"),
    "softmax_norm_axis0": "你的概率在错误的轴上归一化（跨样本，axis=0）：每一行在类别上 (axis=1) 求和应为 1。",
    "softmax_no_onehot": ("你的 dW 少了独热项：得分梯度是 p_j - 1[j == y_i]，所以要在正确类别处减 1"
                          "（dscores[np.arange(N), y] -= 1）。"),
    "softmax_onehot_plus": ("你的 dW 把独热项加上了，而不是减去：得分梯度是 p_j - 1[j == y_i]"
                            "（dscores[np.arange(N), y] -= 1）。"),
    "softmax_unnormalized": ("你的 {what} 用的概率没有归一化：p_j = exp(s_j) / sum_k exp(s_k)，所以 "
                             "log p_y = shifted_y - log(sum(exp(shifted)))（漏了求和的对数）。"),
    "softmax_no_log": "你的损失用了正确类别的概率，却没有取对数：L_i = -log(p_{{y_i}})。",
    "fit.ascent": ("{cls}.fit 沿梯度方向把 W 往上走 (W += learning_rate * grad)：SGD 的一步是 "
                   "W -= learning_rate * grad（梯度下降）。"),
    "fit.no_lr": "{cls}.fit 直接按原始梯度走：SGD 的一步是 W -= learning_rate * grad（漏了学习率）。",
    "fit.no_update": ("{cls}.fit 从不改变 W：把更新作用到下一步要用的 W 上"
                      "（W -= learning_rate * grad，原地修改或重新赋值给 W）。"),
    "fit.step": ("{cls}.fit 的一步不是 W -= learning_rate * grad（看起来像 W -= {c:.4g} * grad；"
                 "learning_rate 是 {lr:g}）。"),
    "fit.calls": "{cls}.fit 计算了 {k} 次小批量损失；每次迭代应只走一步 SGD（num_iters = {num_iters}）。",
    "fit.no_loss": ("{cls}.fit 从不调用 self.loss(W, X_batch, y_batch)：小批量的损失及其梯度"
                    "（包括正则化，self.reg）必须来自 self.loss。"),
    "fit.reg_missing": ("{cls}.fit 计算损失时没有正则化：调用 self.loss(W, X_batch, y_batch)，"
                        "它会加上 reg * sum(W * W) (self.reg)。"),
    "fit.batch_size": "{cls}.fit 用的小批量有 {got} 个样本；batch_size 是 {batch_size}。",
    "fit.labels": "{cls}.fit 把原始标签传给了损失：应传类别索引 0..C-1（y_index，即在 classes_ 中的位置）。",
    "fit.minibatch_mismatch": ("{cls}.fit 的小批量把 X 的行和其他样本的标签配在了一起：X 和 y 要用"
                               "同一组索引（idx = rng.integers(...)；X[idx], y_index[idx]）。"),
    "fit.no_bias": "{cls}.fit 传入的小批量没有偏置列：使用 self._with_bias(X[idx])（偏置技巧）。",
    "fit.history": "{cls}.fit 的 loss_history_ 不是每一步的小批量损失（存入 self.loss 返回的损失）。",
    "fit.not_random": ("{cls}.fit 每一步都用同一个小批量：每次迭代用 "
                       "rng.integers(0, num_train, size=self.batch_size) 抽取新的索引。"),
    "predict.indices": "{cls}.predict 返回的是最高得分的列索引：用 self.classes_[index] 把它映射成标签。",
    "predict.argmin": "{cls}.predict 选的是得分*最低*的类别 (argmin)：预测应是得分的 argmax。",
    "predict.shape": ("{cls}.predict 返回的形状是 {got}，应为 {expected}：在类别上 (axis=1) 取 argmax，"
                      "每个样本一个标签。"),
    "predict.other": "{cls}.predict 在 {n} 个样本中错了 {bad} 个：预测 classes_[得分的 argmax, axis=1]。",
    "transposed_W": ("W 的形状是 (C, D)，而应为 (D, C)：是不是把 W 转置后传进来了？得分是 X @ W，"
                     "W 的形状为 (D, C)。"),
    "transposed": ("你的 dW 形状是 {got}，是 W 的形状 {expected} 的转置：dW 必须与 W 同形 (D, C)；"
                   "用 X.T @ dscores 计算。"),
    "dW_shape": "你的 dW 形状是 {got}，但它必须与 W 的形状 {expected} 相同。",
    "shapes": "检查形状：X 为 (N, D)，W 为 (D, C)，得分为 (N, C)，dW 必须是 (D, C)。",
    "no_shift": ("得分在 {top:.4g} 附近时，{what} 不是有限值：np.exp 上溢了（{prec} 的 exp 在约 {emax:g} "
                 "以上就上溢）。在 np.exp 之前减去每一行的最大得分（最大值平移），结果不会改变。"),
    "log_underflow": ("当一行中的得分相差 {spread:.4g} 时，{what} 不是有限值：正确类别的概率下溢为 0，"
                      "log(0) = -inf。用 shifted_y - log(sum(exp(shifted)))（log-sum-exp）计算 log p_y，"
                      "而不是对概率取对数。"),
    "not_finite": ("{what} 不是有限值{where}：在 np.exp 之前做最大值平移，并用 "
                   "shifted - log(sum(exp(shifted))) 计算对数概率，这样既不会上溢，也不会出现 log(0)。"),
    "loss_type": "你的 {function} 返回的损失是 numpy 数组（{got}），而不是 Python float：对所有轴求和并返回 float(loss)。",
    "inputs_modified": "你的 {function} 原地修改了 {names}：永远不要修改输入；在副本或新数组上计算。",
    "dtype": ("输入为 {expected} 时，你的 {function} 返回 {got}：必须保持 dtype 不变"
              "（{expected} 进，{expected} 出），例如最后用 .astype(W.dtype) 转换。"),
    "returns": "你的 {function} 必须返回两个值 (loss, dW)；它返回的是 {got}。",
    "softmax.axis_ignored": ("你的 {function} 忽略了 axis 参数：axis={axis} 时它返回的是 axis=-1 的结果。"
                             "在每个 max 和 sum 中都使用 axis（以及 keepdims=True）。"),
    "softmax.wrong_axis": "你的 {function} 在错误的轴上归一化：max 和 sum 都必须沿 axis={axis} 进行。",
    "softmax.not_normalized": ("你的 {function} 的输出没有归一化：把 exp(shifted) 除以它沿该轴的和"
                               "（对 log_softmax 则减去和的对数）。"),
    "softmax.returns_probs": "你的 log_softmax 返回的是概率，而不是概率的对数。",
    "softmax.returns_log": "你的 softmax 返回的是对数概率，而不是概率。",
    "softmax.shift_wrong_axis": ("你的 {function} 减去的是错误轴上的最大值：应减去 "
                                 "np.max(scores, axis={axis}, keepdims=True)。"),
    "softmax.log_of_softmax": ("你的 log_softmax 对已经下溢为 0 的概率取了对数 (-inf)：用 "
                               "shifted - log(sum(exp(shifted))) 计算，而不是 log(softmax(...))。"),
}

CAUSES_ZH: dict[str, dict[str, str]] = {
    "lesson01": {
        "hsg.counted": "正确类别被当成了违反自己间隔的类别 (s_y - s_y + delta = delta > 0)：计数时不要算 j = y。",
        "hsg.correct_sign": "正确类别的符号反了：提高 s_y 会让每个被违反的间隔变小，所以 dL_i/ds_y 是负的。",
        "hsg.correct_one": "不管有多少类别违反间隔，正确类别都只得到 -1：s_y 出现在每个被违反的项中，每项各贡献 -1。",
        "hsg.correct_zero": "正确类别得到 0：s_y（带负号）出现在 L_i 的每个被违反的项中。",
        "hsg.margins": "这里返回的是间隔 max(0, m)，而不是损失对每个得分的斜率。",
        "hsg.delta1": "delta 被忽略了（写死成 1？）：在间隔中使用 delta 参数。",
        "hsg.kink": "间隔恰好为 0 时这里用了斜率 1 (m >= 0)；本课程约定在那里取斜率 0（只有 m > 0 才计入）。",
        "hsg.modified": "你的函数修改了传入的得分；请在副本上计算。",
        "grid.linear": "这些值是等距的，而不是对数等距：学习率和正则化强度按数量级起作用，所以用 np.logspace（或 10 的幂）。",
        "grid.small": "每个超参数至少搜索 3 个值，这样最优值才可能落在网格内部。",
        "grid.bracket": "网格必须把上面打印的初始值包在中间（有的值比它小，有的比它大），搜索才能看出该往哪个方向走。",
        "grid.positive": "学习率必须 > 0，正则化强度必须 >= 0（对数网格中没有 0；需要的话手动加上 0）。",
        "search.missing": "缺少一些 (learning_rate, reg) 组合：对每个学习率循环，并在这个循环内部对每个 reg 循环（嵌套循环，而不是 zip）。",
        "search.keys": "键必须是 (learning_rate, reg) 元组，顺序也是这样。",
        "search.swapped": "两个准确率的位置反了：应存 (train_accuracy, val_accuracy)。",
        "search.val_on_train": "验证准确率是在训练数据上测的：应在 X_val, y_val 上评分。",
        "search.best_train": "最优组合是按*训练*准确率选的；应按验证准确率选。",
        "search.best_min": "最优组合的验证准确率是*最低*的：应取最大值。",
        "search.params": "模型不是用它所存键对应的组合训练的：给每个模型设置它的 learning_rate 和 reg（clone(estimator).set_params(learning_rate=lr, reg=reg)）。",
        "search.fit_on_val": "模型是在验证数据上训练的：应在 X_train, y_train 上拟合。",
        "search.best_form": "best 必须就是 (learning_rate, reg) 这个组合本身，即 results 的一个键。",
    },
    "lesson02": {
        "ml.no_clip": "合页函数没有在 0 处截断：负的间隔（间隔已满足）不产生损失。",
        "ml.kink": "m = 0 时这里用了斜率 1 (m >= 0)；本课程在那里取斜率 0 (m > 0)。",
        "ml.slope_is_loss": "合页的斜率被写成了损失本身；max(0, m) 的斜率在 m > 0 时为 1，否则为 0。",
        "ml.sq_no_clip": "平方合页在平方之前没有在 0 处截断：负的间隔必须给出损失 0 和斜率 0。",
        "ml.sq_not_squared": "squared=True 时损失仍是普通合页：要对 max(0, m) 取平方。",
        "ml.sq_no2": "少了因子 2：max(0, m)**2 对 m 的导数是 2 max(0, m)。",
        "ml.sq_hinge_slope": "squared=True 时斜率仍是合页的（每个正间隔都是 1）；应对 max(0, m)**2 求导。",
        "ml.sq_slope_squared": "斜率等于损失：对 max(0, m)**2 求导（链式法则）。",
        "ml.sq_slope_2m2": "斜率写成了 2 m**2；m**2 的导数是 2 m。",
        "ml.modified": "你的函数修改了传入的间隔；请在副本上计算。",
    },
    "lesson03": {
        "ce.sign": "漏了负号：损失是 -log p_y（正数），不是 log p_y。",
        "ce.same_formula": ("两个数是用同一个公式算出来的：第一个要从概率算，p = exp(f) / sum(exp(f))，再取 "
                            "-log(p[y])；在 p_y 下溢为 0 的得分上它会变成 inf，而第二种写法仍然有限。"),
        "ce.argmax": "这里用的是最大的概率；损失需要的是正确类别的概率 p[y]。",
        "ce.log10": "np.log 是自然对数；这里看起来用的是以 10 为底的对数 (np.log10)。",
        "ce.prob": "这里返回的是一个概率；损失是 p[y] 的 -log。",
        "ce.no_log": "求和外面漏了 log：-f_y + log(sum_j exp(f_j))。",
        "ce.fy_sign": "f_y 的符号反了：第二种形式是 -f_y + log(sum_j exp(f_j))。",
        "grad.no_minus_one": "正确类别处漏了 -1：j != y 时 dL/df_j = p_j，j = y 时为 p_y - 1。",
        "grad.sign": "梯度处处符号相反：对 -f_y + log(sum_k exp(f_k)) 求导，概率项带的是正号。",
        "grad.minus_one_everywhere": "每个类别都减了 1；只有正确类别 y 才减 1。",
        "grad.modified": "你的函数修改了传入的得分；请在副本上计算。",
    },
    "lesson04": {
        "softmax_global_max": ("减去的是整个矩阵的一个最大值，而不是每一行自己的最大值：得分小得多的行平移后 exp "
                               "下溢为 0，损失变成 log(0)。应使用 np.max(scores, axis=1, keepdims=True)。"),
        "lse.no_shift": "得分没有平移，np.exp 上溢了（或下溢为 0）：在 np.exp 之前减去每一行的最大得分，np.log 之后再加回来。",
        "lse.global_max": "减去的是整个矩阵的一个最大值；得分小得多的行会下溢成 log(0) = -inf。应取每一行的最大值（axis=1, keepdims=True）。",
        "lse.no_add_back": "减去了最大值却没有加回来：log sum_j exp(f_j) = m + log sum_j exp(f_j - m)。",
        "lse.keepdims": "结果的形状是 (N, 1)：每行返回一个数，形状为 (N,)（例如最后取 [:, 0]）。",
        "lse.wrong_axis": "求和或取最大值的轴错了：每一行 i 是一个样本，所以要沿 axis=1 归约。",
        "lse.modified": "你的函数修改了传入的得分矩阵；请在副本上计算。",
        "loss.not_finite": "1e4 的 exp 会让 float32 上溢（超过 88.7），说明这个损失对未平移的得分取了指数：先减去每一行的最大得分（或基于 log_softmax 来写）。",
        "loss.dtype": "梯度必须保持 W 的 dtype（这里是 float32）。",
    },
    "lesson05": {
        "both.counted": "正确类别给每一行都加了恰好为 Δ 的间隔：去掉 j = y_i（求和前把它的间隔设为 0）。",
        "both.delta": "没有按给定值使用 Δ：间隔是 s_j - s_{y_i} + delta。",
        "both.max": "合页损失对 j != y_i 的间隔求和；这里只取了最大的一个。",
        "both.mean": "每个样本返回一个损失，形状为 (N,)，而不是它们的平均或总和。",
        "ce.not_finite": "得分为 [1000, 0, -1000] 的那一行 exp 上溢了：用 log_softmax 计算 -log p_y（或在 np.exp 之前减去每一行的最大值）。",
        "ce.sign": "交叉熵的符号反了：它是 -log p_y，一个正数。",
        "ce.argmax": "这里是最大概率的 -log；损失需要的是正确类别 y_i 的概率。",
        "both.modified": "你的函数修改了传入的得分矩阵；请在副本上计算。",
    },
}


#: ``(pattern, replacement)`` for "what failed" lines, tried in order; the first match wins.
WHAT_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in [
    (r"^on the check's example: (.+)$", r"在检查的例子上：\1"),
    (r"^on scores (.+), y = (\d+)$", r"在得分 \1、y = \2 上"),
    (r"^the (-log p_y \(first\)|-f_y \+ log sum exp f \(second\)) number is (\S+), which is not the loss$",
     r"\1 这个数是 \2，它不是损失"),
    (r"^not written yet: (.+) in the cell under \"(.+)\"$", r"尚未完成：“\2”下面单元格中的 \1"),
    (r"^not written yet: (.+) \(the search grid\) in this notebook$", r"尚未完成：\1（搜索网格）"),
    (r"^not written yet: (.+) in this notebook$", r"尚未完成：\1"),
    (r"^not written yet: (.+) in (.+)$", r"尚未完成：\2 中的 \1"),
    (r"^not written yet: (.+)$", r"尚未完成：\1"),
    (r"^(\S+) raised (\w+): (.*)$", r"\1 抛出了 \2：\3"),
    (r"^the result could not be checked: (.*)$", r"无法检查结果：\1"),
    (r"^dW is wrong \(largest difference (\S+) x the size of the correct dW\)$",
     r"dW 不对（最大差值是正确 dW 大小的 \1 倍）"),
    (r"^and also$", r"另外"),
    (r"^the result is not finite \(NaN or inf\)$", r"结果不是有限值（NaN 或 inf）"),
    (r"^the result has shape (.+), expected (.+)$", r"结果的形状是 \1，应为 \2"),
    (r"^dW has shape (.+), expected (.+)$", r"dW 的形状是 \1，应为 \2"),
    (r"^(\S+) changed its input (.+)$", r"\1 修改了它的输入 \2"),
    (r"^(\S+) returned (\S+), not \(loss, dW\)$", r"\1 返回了 \2，而不是 (loss, dW)"),
    (r"^(\S+) differs from the expected result by up to (\S+)$", r"\1 与期望结果最多相差 \2"),
    (r"^dL_i/ds is (.+), which is not the slope of L_i at these scores$", r"dL_i/ds 是 \1，它不是 L_i 在这些得分处的斜率"),
    (r"^the loss is (.+), which is too large$", r"损失是 \1，太大了"),
    (r"^the loss is (.+), which is too small$", r"损失是 \1，太小了"),
    (r"^the (loss|slope) is (.+), which is wrong at (\d+) of (\d+) margins$", r"\1 是 \2，在 \4 个间隔中有 \3 个不对"),
    (r"^wrong rows: (.+)$", r"出错的行：\1"),
    (r"^your gradient (.+) differs from the numeric gradient (.+)$", r"你的梯度 \1 与数值梯度 \2 不一致"),
    (r"^the margins are (.+), expected (.+)$", r"间隔是 \1，应为 \2"),
    (r"^predict is wrong for (\d+) of (\d+) examples$", r"predict 在 \2 个样本中错了 \1 个"),
    (r"^the weights after each step are not W - learning_rate \* grad$",
     r"每一步之后的权重不是 W - learning_rate * grad"),
    (r"^loss_history_ is not the minibatch loss of each step$", r"loss_history_ 不是每一步的小批量损失"),
    (r"^every step uses the same minibatch$", r"每一步都用同一个小批量"),
    (r"^did not finish within (\S+) s \(an endless loop\?\)$", r"没有在 \1 秒内结束（死循环？）"),
]]

_WHAT_WORDS = [(re.compile(p), r) for p, r in [
    (r"^loss and dW$", "损失和 dW"), (r"^loss$", "损失"), (r"^dW$", "dW"),
    (r"^loss from your (.+)$", r"你的 \1 算出的损失"), (r"^result of your (.+)$", r"你的 \1 的结果"),
]]


def translate_what(line: str) -> str:
    """The Chinese form of one "what failed" line, or the line itself when no pattern knows it."""
    for pattern, repl in WHAT_ZH:
        if pattern.match(line):
            return pattern.sub(repl, line, count=1)
    return line


_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def tidy(text: str) -> str:
    """``text`` without the spaces a filled-in field leaves between two Chinese characters."""
    return _CJK_SPACE.sub("", text)


def what_zh(what: str) -> str:
    """The Chinese for a message's ``{what}`` ("loss", "dW", "loss and dW", "loss from your f" ...)."""
    for pattern, repl in _WHAT_WORDS:
        if pattern.match(what):
            return pattern.sub(repl, what, count=1)
    return what


def lesson_cause_zh(key: str | None, cause: str | None) -> str | None:
    """The Chinese of ``cause`` when it is the English sentence a lesson module stores under ``key``."""
    if not key or not cause:
        return cause
    import importlib

    for module, table in CAUSES_ZH.items():
        if key in table:
            english = getattr(importlib.import_module(f"cs231n_lin.checks.{module}"), "CAUSES", {})
            if english.get(key) == cause:
                return table[key]
    return cause


def render_zh(result) -> str:
    """The Chinese printout of a :class:`~cs231n_lin.checks.CheckResult` (same layout as English)."""
    title = result.title.zh if hasattr(result.title, "zh") else result.title
    if result.passed:
        return f"PASS: {title}"
    lines = [f"FAIL: {title}"]
    for f in result.failures:
        lines.append(f"  {translate_what(f.what)}")
        if f.details:
            lines.append(f"    {f.details}")
        cause = lesson_cause_zh(f.key, f.likely_cause)
        if cause:
            lines.append(f"  {LIKELY_CAUSE_ZH}：{cause}")
    return "\n".join(lines)
