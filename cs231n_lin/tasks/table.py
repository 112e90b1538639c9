"""The task table: every task of the assignment, declared once.

Check cells (their source is a task's ``call``), ``cs231n-lin check``, ``grade``, ``release``
and the class report read this table; nothing else defines a task's points, where it is
written, the kinds of input it is judged on or its title. The hidden inputs of each ``Hidden``
kind are the instructor's (``tests/hidden/cases.py``, keyed by task id and kind).

To add a task: add a row here, its check cell in ``notebooks/src/`` (the ``call``), its named
check in ``cs231n_lin/checks/`` and its hidden cases in ``tests/hidden/cases.py``;
``tests/tasks/test_table.py`` says what is missing.
"""

from __future__ import annotations

from cs231n_lin.tasks.model import Hidden, Task, Text

__all__ = ["TASKS"]

_SVM = "cs231n_lin/classifiers/linear_svm.py"
_SM = "cs231n_lin/classifiers/softmax.py"
_LC = "cs231n_lin/classifiers/linear_classifier.py"
NB1, NB2, NB3 = "01_svm_hinge_loss.ipynb", "02_squared_hinge.ipynb", "03_softmax_cross_entropy.ipynb"
NB4, NB5 = "04_numeric_stability.ipynb", "05_svm_vs_softmax.ipynb"

# Kinds of hidden input, with what a student reads when one of them breaks the code.
RANDOM = Hidden("random", Text("other random weights and data, of other sizes",
                               "其他随机的权重和数据（其他尺寸）"))
REG = Hidden("reg", Text("a larger regularization strength", "更大的正则化强度"))
DELTA = Hidden("delta", Text("a margin Δ other than 1", "Δ 不等于 1 的间隔"))
FLOAT32 = Hidden("float32", Text("float32 inputs (the result must stay float32)",
                                 "float32 输入（结果必须保持 float32）"))
KINKS = Hidden("kinks", Text("inputs where some margins are exactly 0 (kinks)",
                             "某些间隔恰好为 0 的输入（折点）"))
SQUARED = Hidden("squared", Text("the squared hinge with other Δ and data", "其他 Δ 和数据下的平方合页损失"))
OVERFLOW64 = Hidden("overflow64", Text("float64 scores past exp's overflow (about ±1e4)",
                                       "超过 exp 上溢界限的 float64 得分（约 ±1e4）"))
OVERFLOW32 = Hidden("overflow32", Text("float32 scores past exp's overflow (about ±1e4)",
                                       "超过 exp 上溢界限的 float32 得分（约 ±1e4）"))
ROW_SCALES = Hidden("row_scales", Text("rows of very different scale (one row near 1e4, another near 1)",
                                       "尺度相差很大的行（一行约 1e4，另一行约 1）"))
AXIS0 = Hidden("axis0", Text("axis=0 (probabilities down each column)", "axis=0（沿每一列的概率）"))
UNDERFLOW = Hidden("underflow", Text("scores where p_y underflows to 0", "p_y 下溢为 0 的得分"))
RECORDED = Hidden("recorded", Text("another training run with a recorded gradient, other batch size and "
                                   "learning rate", "另一次训练：记录的梯度、其他批大小和学习率"))
LABELS = Hidden("labels", Text("other weights and labels that are not 0..C-1",
                               "其他权重，以及不是 0..C-1 的标签"))
GRID = Hidden("grid", Text("your grid itself, as the notebook defines it", "你在 notebook 中定义的网格本身"))
SEARCH = Hidden("search", Text("another grid and other accuracies", "另一个网格和另一组准确率"))
SPEED = Hidden("speed", Text("N=2000, D=300, C=10 (float64), CPU time against the reference solution",
                             "N=2000、D=300、C=10（float64），CPU 时间与参考解相比"))

_LOSS_MISTAKES = ("avg_sum", "avg_nc", "avg_twice", "loss.reg_missing", "dW.reg_missing", "dW.reg_factor1",
                  "sign", "data_sign", "dtype", "inputs_modified")


def _written(notebook: str, number: int, points: float = 1.0) -> Task:
    n = notebook[:2]
    return Task(f"written_{n}_q{number}", "written",
                Text(f"notebook {n}, inline question {number}", f"notebook {n}，随堂问题 {number}"),
                notebook, f"Q{number}", points)


TASKS: tuple[Task, ...] = (
    # ---------------------------------------------------------------- notebook 01: hinge loss, SGD
    Task("svm_naive_loss", "code", Text("svm_loss_naive: the loss", "svm_loss_naive：损失"), NB1, "", 4,
         writes=(f"{_SVM}:svm_loss_naive",), call="checks.svm_naive_loss(svm_loss_naive)", part="svm",
         hidden=(RANDOM, REG, DELTA), mistakes=("avg_sum", "svm_counted", "svm_delta1", "loss.reg_missing")),
    Task("hinge_score_gradient", "code",
         Text("hinge_score_gradient: dL_i/ds for one example", "hinge_score_gradient：单个样本的 dL_i/ds"),
         NB1, "", 3, writes=("01-014",), call="checks.hinge_score_gradient(hinge_score_gradient)",
         hidden=(RANDOM, DELTA, KINKS)),
    Task("svm_naive_gradient", "code", Text("svm_loss_naive: the gradient dW", "svm_loss_naive：梯度 dW"),
         NB1, "", 6, writes=(f"{_SVM}:svm_loss_naive",), call="checks.svm_naive_gradient(svm_loss_naive)",
         part="svm", depends=("svm_naive_loss",), hidden=(RANDOM, REG, DELTA, FLOAT32, KINKS),
         mistakes=_LOSS_MISTAKES + ("svm_no_correct_grad", "svm_counted")),
    Task("svm_vectorized", "code",
         Text("svm_loss_vectorized: loss and gradient", "svm_loss_vectorized：损失和梯度"), NB1, "", 8,
         writes=(f"{_SVM}:svm_loss_vectorized",), call="checks.svm_vectorized(svm_loss_vectorized)",
         part="svm", hidden=(RANDOM, REG, DELTA, FLOAT32, KINKS),
         mistakes=_LOSS_MISTAKES + ("svm_no_correct_grad", "svm_counted", "svm_delta1")),
    Task("sgd_step", "code", Text("fit: the SGD step and the minibatch", "fit：SGD 步骤与小批量"), NB1, "", 7,
         writes=(f"{_LC}:LinearClassifier.fit",), call="checks.sgd_step(LinearSVM)", part="sgd",
         hidden=(RECORDED,),
         mistakes=("fit.step", "fit.minibatch_mismatch", "fit.batch_size", "fit.no_bias")),
    Task("predict", "code", Text("predict: the label with the highest score", "predict：得分最高的标签"),
         NB1, "", 3, writes=(f"{_LC}:LinearClassifier.predict",), call="checks.predict(LinearSVM)",
         part="sgd", hidden=(LABELS,), mistakes=("predict.indices", "predict.argmin")),
    Task("log_grid", "code",
         Text("the search grid: log-spaced, around the default learning rate and regularization strength",
              "搜索网格：对数等距，包住默认的学习率和正则化强度"),
         NB1, "", 2, writes=("01-061",), call="checks.log_grid(learning_rates, regs)", hidden=(GRID,),
         mistakes=("grid.linear", "grid.bracket")),
    Task("search_hyperparameters", "code",
         Text("search_hyperparameters: every pair trained and scored, best chosen on validation",
              "search_hyperparameters：每个组合都训练并评分，在验证集上选出最优"),
         NB1, "", 3, writes=("01-064",), call="checks.search_hyperparameters(search_hyperparameters)",
         depends=("log_grid",), hidden=(SEARCH,), mistakes=("search.swapped", "search.best_train")),
    # ---------------------------------------------------------------- notebook 02: squared hinge
    Task("margin_loss", "code",
         Text("margin_loss: loss and slope of each margin, hinge and squared hinge",
              "margin_loss：每个间隔的损失和斜率（合页与平方合页）"),
         NB2, "", 3, writes=("02-003",), call="checks.margin_loss(margin_loss)", hidden=(RANDOM, KINKS)),
    Task("svm_squared_naive", "code",
         Text("svm_loss_naive with squared=True: loss and gradient",
              "svm_loss_naive（squared=True）：损失和梯度"),
         NB2, "", 3, writes=(f"{_SVM}:svm_loss_naive",), call="checks.svm_squared(svm_loss_naive)",
         part="svm", depends=("svm_naive_gradient",), hidden=(SQUARED, KINKS),
         mistakes=("svm_hinge_for_squared", "svm_sq_no2", "svm_sq_slope1")),
    Task("svm_squared_vectorized", "code",
         Text("svm_loss_vectorized with squared=True: loss and gradient",
              "svm_loss_vectorized（squared=True）：损失和梯度"),
         NB2, "", 3, writes=(f"{_SVM}:svm_loss_vectorized",), call="checks.svm_squared(svm_loss_vectorized)",
         part="svm", depends=("svm_vectorized",), hidden=(SQUARED, KINKS),
         mistakes=("svm_hinge_for_squared", "svm_sq_no2", "svm_sq_slope1")),
    # ---------------------------------------------------------------- notebook 03: softmax
    Task("cross_entropy_two_ways", "code",
         Text("cross_entropy_two_ways: -log p_y and -f_y + log sum exp f, computed two ways",
              "cross_entropy_two_ways：-log p_y 与 -f_y + log sum exp f，用两种方法计算"),
         NB3, "", 3, writes=("03-005",), call="checks.cross_entropy_two_ways(cross_entropy_two_ways)",
         hidden=(RANDOM, UNDERFLOW), mistakes=("ce.sign", "ce.same_formula")),
    Task("softmax_score_gradient", "code",
         Text("softmax_score_gradient: dL/df matches a numeric gradient",
              "softmax_score_gradient：dL/df 与数值梯度一致"),
         NB3, "", 3, writes=("03-010",), call="checks.softmax_score_gradient(softmax_score_gradient)",
         hidden=(RANDOM,), mistakes=("grad.no_minus_one", "grad.sign")),
    Task("softmax_naive", "code",
         Text("softmax_loss_naive: loss and gradient", "softmax_loss_naive：损失和梯度"), NB3, "", 5,
         writes=(f"{_SM}:softmax_loss_naive",),
         call="checks.softmax_naive(softmax_loss_naive, large_scores=False)", part="softmax",
         hidden=(RANDOM, REG), mistakes=_LOSS_MISTAKES),
    Task("softmax_vectorized", "code",
         Text("softmax_loss_vectorized: loss and gradient", "softmax_loss_vectorized：损失和梯度"),
         NB3, "", 7,
         writes=(f"{_SM}:softmax_loss_vectorized",),
         call="checks.softmax_vectorized(softmax_loss_vectorized, large_scores=False)", part="softmax",
         hidden=(RANDOM, REG, FLOAT32), mistakes=_LOSS_MISTAKES + ("softmax_axis0",)),
    # ---------------------------------------------------------------- notebook 04: numeric stability
    Task("logsumexp_rows", "code",
         Text("logsumexp_rows: log sum exp of every row, without overflow",
              "logsumexp_rows：每一行的 log sum exp，不上溢"),
         NB4, "", 3, writes=("04-011",), call="checks.logsumexp_rows(logsumexp_rows)",
         hidden=(RANDOM, OVERFLOW64, OVERFLOW32, ROW_SCALES),
         mistakes=("lse.no_shift", "lse.global_max", "lse.no_add_back")),
    Task("softmax_fn", "code",
         Text("softmax(scores, axis): probabilities, also for scores of ±1e4",
              "softmax(scores, axis)：概率，得分为 ±1e4 时也正确"),
         NB4, "", 3, writes=(f"{_SM}:softmax",), call="checks.softmax(softmax)", part="softmax",
         hidden=(RANDOM, AXIS0, OVERFLOW64, OVERFLOW32, ROW_SCALES),
         mistakes=("no_shift", "softmax.shift_wrong_axis", "softmax.axis_ignored")),
    Task("log_softmax_fn", "code",
         Text("log_softmax(scores, axis): log-probabilities without overflow or log(0)",
              "log_softmax(scores, axis)：对数概率，不上溢、不出现 log(0)"),
         NB4, "", 3, writes=(f"{_SM}:log_softmax",), call="checks.log_softmax(log_softmax)", part="softmax",
         hidden=(RANDOM, AXIS0, OVERFLOW64, OVERFLOW32, ROW_SCALES),
         mistakes=("no_shift", "softmax.log_of_softmax", "log_underflow")),
    Task("softmax_losses_stable", "code",
         Text("softmax losses: finite and right for scores of ±1e4 (float32 and float64)",
              "softmax 损失：得分为 ±1e4 时有限且正确（float32 与 float64）"),
         NB4, "", 6, writes=(f"{_SM}:softmax_loss_naive", f"{_SM}:softmax_loss_vectorized"),
         call="checks.softmax_losses_large_scores(softmax_loss_naive, softmax_loss_vectorized)",
         part="softmax", depends=("softmax_naive", "softmax_vectorized"),
         hidden=(OVERFLOW64, OVERFLOW32, ROW_SCALES), mistakes=("no_shift", "softmax_global_max")),
    # ---------------------------------------------------------------- notebook 05: SVM vs softmax
    Task("hinge_and_cross_entropy", "code",
         Text("hinge_and_cross_entropy: both losses of every row",
              "hinge_and_cross_entropy：每一行的两种损失"),
         NB5, "", 5, writes=("05-003",), call="checks.hinge_and_cross_entropy(hinge_and_cross_entropy)",
         hidden=(RANDOM, DELTA, OVERFLOW64, ROW_SCALES)),
    # ---------------------------------------------------------------- speed (judged by the grader only)
    Task("svm_speed", "speed",
         Text("svm_loss_vectorized: as fast as a vectorized loss should be",
              "svm_loss_vectorized：达到向量化实现应有的速度"),
         NB1, "", 2, writes=(f"{_SVM}:svm_loss_vectorized",), part="svm", depends=("svm_vectorized",),
         hidden=(SPEED,)),
    Task("softmax_speed", "speed",
         Text("softmax_loss_vectorized: as fast as a vectorized loss should be",
              "softmax_loss_vectorized：达到向量化实现应有的速度"),
         NB3, "", 2, writes=(f"{_SM}:softmax_loss_vectorized",), part="softmax",
         depends=("softmax_vectorized",), hidden=(SPEED,)),
    # ---------------------------------------------------------------- written answers (marked by hand)
    *(_written(NB1, k) for k in range(1, 7)),
    *(_written(NB2, k) for k in range(1, 3)),
    *(_written(NB3, k) for k in range(1, 3)),
    _written(NB4, 1),
    *(_written(NB5, k) for k in range(1, 3)),
)
