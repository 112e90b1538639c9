"""Hidden grading cases: the inputs of each task's hidden kinds. Grader-only, never shipped.

``CASES[task_id]`` lists the cases of one task of :mod:`cs231n_lin.tasks.table`; each case's
``kind`` is one of that task's ``Hidden`` kinds (whose sentence the student reads when it
fails). Points are the task's, shared equally by its cases; a case earns its share when every
property in ``judge`` holds. The grader builds the inputs from the seeds, runs the student's
code on them in the sandboxed worker and judges here, with the reference implementation.

Case fields:

``function``  a package function or class (``"module:name"``), or ``"notebook:<name>"`` for a
              function of a notebook's solution cells
``inputs``    a generator spec (:func:`cs231n_lin.grading.grade.make_inputs`): ``loss`` (W, X, y:
              shapes N, D, C; ``w_scale``, ``x_scale``; ``integer`` for kinks; ``row_scales``),
              ``scores`` (a score matrix; ``scale``, ``row_scales``), ``labelled_rows``,
              ``predict``; notebook functions take ``args`` (``nbcases.case_inputs``)
``kwargs``    keyword arguments of the call (``reg``, ``delta``, ``squared``, ``axis``)
``judge``     properties: ``loss``, ``grad``, ``dtype``, ``unmodified``, ``probs``, ``logprobs``,
              ``recorded_fit``, ``labels``, ``value`` (a notebook function's data), ``grid``,
              ``search``, ``perf``
"""

SVM = "cs231n_lin.classifiers." + "linear_svm"
SM = "cs231n_lin.classifiers." + "softmax"
LC = "cs231n_lin.classifiers." + "linear_classifier"


def _loss(N, D, C, seed, *, dtype="float64", w_scale=0.5, x_scale=1.0, **extra):
    return {"gen": "loss", "N": N, "D": D, "C": C, "seed": seed, "dtype": dtype,
            "w_scale": w_scale, "x_scale": x_scale, **extra}


def _scores(N, C, seed, scale, dtype="float64", **extra):
    return {"gen": "scores", "N": N, "C": C, "seed": seed, "scale": scale, "dtype": dtype, **extra}


LG = ("loss", "grad")
ROWS = [1.0, 1e-4, 3.0]          # multiplies each row's scores: one row near 1e4, others near 1


def _svm_cases(fn: str, base: int) -> list:
    return [
        {"kind": "random", "function": f"{SVM}:{fn}", "inputs": _loss(30, 8, 4, base + 1),
         "kwargs": {"reg": 0.0}, "judge": (*LG, "unmodified")},
        {"kind": "reg", "function": f"{SVM}:{fn}", "inputs": _loss(25, 10, 5, base + 2),
         "kwargs": {"reg": 0.7},
         "judge": LG},
        {"kind": "delta", "function": f"{SVM}:{fn}", "inputs": _loss(20, 6, 3, base + 3),
         "kwargs": {"reg": 0.05, "delta": 2.5}, "judge": LG},
        {"kind": "float32", "function": f"{SVM}:{fn}", "inputs": _loss(15, 5, 3, base + 4, dtype="float32"),
         "kwargs": {"reg": 0.1}, "judge": (*LG, "dtype")},
        {"kind": "kinks", "function": f"{SVM}:{fn}", "inputs": _loss(24, 6, 4, base + 5, integer=True),
         "kwargs": {"reg": 0.0}, "judge": LG},
    ]


def _squared(fn: str, base: int) -> list:
    return [
        {"kind": "squared", "function": f"{SVM}:{fn}", "inputs": _loss(20, 7, 4, base + 1),
         "kwargs": {"reg": 0.1, "squared": True}, "judge": LG},
        {"kind": "squared", "function": f"{SVM}:{fn}", "inputs": _loss(18, 5, 3, base + 2),
         "kwargs": {"reg": 0.0, "delta": 0.5, "squared": True}, "judge": LG},
        {"kind": "kinks", "function": f"{SVM}:{fn}", "inputs": _loss(24, 6, 4, base + 3, integer=True),
         "kwargs": {"reg": 0.0, "squared": True}, "judge": LG},
    ]


def _softmax_fn(fn: str, prop: str, base: int) -> list:
    return [
        {"kind": "random", "function": f"{SM}:{fn}", "inputs": _scores(10, 5, base + 1, 3.0), "kwargs": {},
         "judge": (prop, "unmodified")},
        {"kind": "axis0", "function": f"{SM}:{fn}", "inputs": _scores(6, 4, base + 2, 2.0),
         "kwargs": {"axis": 0}, "judge": (prop,)},
        {"kind": "overflow64", "function": f"{SM}:{fn}", "inputs": _scores(8, 6, base + 3, 1e4), "kwargs": {},
         "judge": (prop,)},
        {"kind": "overflow32", "function": f"{SM}:{fn}", "inputs": _scores(8, 6, base + 4, 1e4, "float32"),
         "kwargs": {}, "judge": (prop,)},
        {"kind": "row_scales", "function": f"{SM}:{fn}",
         "inputs": _scores(9, 5, base + 5, 1e4, row_scales=ROWS), "kwargs": {}, "judge": (prop,)},
    ]


CASES = {
    # ==== hidden cases: notebook 01
    "svm_naive_loss": [
        {"kind": "random", "function": f"{SVM}:svm_loss_naive", "inputs": _loss(30, 8, 4, 101),
         "kwargs": {"reg": 0.0}, "judge": ("loss",)},
        {"kind": "reg", "function": f"{SVM}:svm_loss_naive", "inputs": _loss(25, 10, 5, 102),
         "kwargs": {"reg": 0.3}, "judge": ("loss",)},
        {"kind": "delta", "function": f"{SVM}:svm_loss_naive", "inputs": _loss(20, 6, 3, 103),
         "kwargs": {"reg": 0.05, "delta": 2.5}, "judge": ("loss",)},
    ],
    "hinge_score_gradient": [
        {"kind": "random", "function": "notebook:hinge_score_gradient", "seed": 7101,
         "args": {"scores": {"normal": [6], "scale": 1.5}, "y": 2, "delta": 1.0}},
        {"kind": "delta", "function": "notebook:hinge_score_gradient", "seed": 7102,
         "args": {"scores": {"normal": [4], "scale": 0.3}, "y": 0, "delta": 0.5}},
        {"kind": "kinks", "function": "notebook:hinge_score_gradient", "seed": 7103,
         "args": {"scores": {"integers": [7], "low": -2, "high": 3}, "y": 1, "delta": 1.0}},
    ],
    "svm_naive_gradient": _svm_cases("svm_loss_naive", 110),
    "svm_vectorized": _svm_cases("svm_loss_vectorized", 200),
    "sgd_step": [
        {"kind": "recorded", "function": f"{LC}:LinearSVM", "inputs": {"gen": "labelled_rows", "C": 3, "D": 4,
                                                                        "seed": 601},
         "params": {"learning_rate": 0.3, "num_iters": 4, "batch_size": 20000, "random_state": 3},
         "judge": ("recorded_fit",)},
        {"kind": "recorded", "function": f"{LC}:Softmax", "inputs": {"gen": "labelled_rows", "C": 4, "D": 3,
                                                                      "seed": 602},
         "params": {"learning_rate": 0.05, "num_iters": 3, "batch_size": 20000, "random_state": 5},
         "judge": ("recorded_fit",)},
    ],
    "predict": [
        {"kind": "labels", "function": f"{LC}:LinearSVM",
         "inputs": {"gen": "predict", "N": 30, "D": 5, "C": 4,
                                                                      "seed": 611},
         "judge": ("labels",)},
        {"kind": "labels", "function": f"{LC}:Softmax", "inputs": {"gen": "predict", "N": 25, "D": 3, "C": 6,
                                                                    "seed": 612},
         "judge": ("labels",)},
    ],
    "log_grid": [{"kind": "grid", "function": "notebook:log_grid", "judge": ("grid",)}],
    "search_hyperparameters": [
        {"kind": "search", "function": "notebook:search_hyperparameters", "seed": 621, "judge": ("search",)},
    ],
    # ==== hidden cases: notebook 02
    "margin_loss": [
        {"kind": "random", "function": "notebook:margin_loss", "seed": 7201,
         "args": {"m": {"normal": [9], "scale": 2.0}, "squared": False}},
        {"kind": "random", "function": "notebook:margin_loss", "seed": 7202,
         "args": {"m": {"normal": [3, 4], "scale": 2.0}, "squared": True}},
        {"kind": "kinks", "function": "notebook:margin_loss", "seed": 7203,
         "args": {"m": {"integers": [8], "low": -2, "high": 3}, "squared": False}},
    ],
    "svm_squared_naive": _squared("svm_loss_naive", 300),
    "svm_squared_vectorized": _squared("svm_loss_vectorized", 310),
    # ==== hidden cases: notebook 03
    "cross_entropy_two_ways": [
        {"kind": "random", "function": "notebook:cross_entropy_two_ways", "seed": 7301,
         "args": {"f": {"normal": [5], "scale": 2.0}, "y": 3}},
        {"kind": "underflow", "function": "notebook:cross_entropy_two_ways", "seed": 7304,
         "args": {"f": {"normal": [4], "scale": 1.0, "add": [0.0, -900.0, 0.0, 0.0]}, "y": 1}},
    ],
    "softmax_score_gradient": [
        {"kind": "random", "function": "notebook:softmax_score_gradient", "seed": 7302,
         "args": {"f": {"normal": [5], "scale": 2.0}, "y": 1}},
        {"kind": "random", "function": "notebook:softmax_score_gradient", "seed": 7303,
         "args": {"f": {"normal": [3], "scale": 0.5}, "y": 2}},
    ],
    "softmax_naive": [
        {"kind": "random", "function": f"{SM}:softmax_loss_naive", "inputs": _loss(25, 8, 4, 401),
         "kwargs": {"reg": 0.0}, "judge": (*LG, "unmodified")},
        {"kind": "reg", "function": f"{SM}:softmax_loss_naive", "inputs": _loss(20, 6, 5, 402),
         "kwargs": {"reg": 0.25}, "judge": LG},
    ],
    "softmax_vectorized": [
        {"kind": "random", "function": f"{SM}:softmax_loss_vectorized", "inputs": _loss(50, 12, 6, 501),
         "kwargs": {"reg": 0.0}, "judge": (*LG, "unmodified")},
        {"kind": "reg", "function": f"{SM}:softmax_loss_vectorized", "inputs": _loss(40, 10, 5, 502),
         "kwargs": {"reg": 0.4}, "judge": LG},
        {"kind": "float32", "function": f"{SM}:softmax_loss_vectorized",
         "inputs": _loss(30, 8, 4, 503, dtype="float32"), "kwargs": {"reg": 0.1}, "judge": (*LG, "dtype")},
    ],
    # ==== hidden cases: notebook 04
    "logsumexp_rows": [
        {"kind": "random", "function": "notebook:logsumexp_rows", "seed": 7401,
         "args": {"S": {"normal": [6, 4], "scale": 3.0}}},
        {"kind": "overflow64", "function": "notebook:logsumexp_rows", "seed": 7402,
         "args": {"S": {"normal": [5, 4], "scale": 1e4}}},
        {"kind": "overflow32", "function": "notebook:logsumexp_rows", "seed": 7403,
         "args": {"S": {"normal": [5, 4], "scale": 1e4, "dtype": "float32"}}},
        {"kind": "row_scales", "function": "notebook:logsumexp_rows", "seed": 7404,
         "args": {"S": {"normal": [6, 5], "scale": 1e4, "row_scales": ROWS}}},
    ],
    "softmax_fn": _softmax_fn("softmax", "probs", 300),
    "log_softmax_fn": _softmax_fn("log_softmax", "logprobs", 310),
    "softmax_losses_stable": [
        {"kind": kind, "function": f"{SM}:{fn}", "inputs": inputs, "kwargs": {"reg": 0.0}, "judge": LG}
        for fn in ("softmax_loss_naive", "softmax_loss_vectorized")
        for kind, inputs in (
            ("overflow64", _loss(12, 5, 4, 403, w_scale=100.0, x_scale=50.0)),
            ("overflow32", _loss(20, 5, 4, 404, dtype="float32", w_scale=100.0, x_scale=50.0)),
            ("row_scales", _loss(12, 5, 4, 405, w_scale=100.0, x_scale=50.0, row_scales=ROWS)),
        )
    ],
    # ==== hidden cases: notebook 05
    "hinge_and_cross_entropy": [
        {"kind": "random", "function": "notebook:hinge_and_cross_entropy", "seed": 7501,
         "args": {"S": {"normal": [7, 4], "scale": 2.0}, "y": {"int": 4, "shape": [7]}, "delta": 1.0}},
        {"kind": "delta", "function": "notebook:hinge_and_cross_entropy", "seed": 7502,
         "args": {"S": {"normal": [5, 3], "scale": 4.0}, "y": {"int": 3, "shape": [5]}, "delta": 2.5}},
        {"kind": "overflow64", "function": "notebook:hinge_and_cross_entropy", "seed": 7503,
         "args": {"S": {"normal": [5, 3], "scale": 1e4}, "y": {"int": 3, "shape": [5]}, "delta": 1.0}},
        {"kind": "row_scales", "function": "notebook:hinge_and_cross_entropy", "seed": 7504,
         "args": {"S": {"normal": [6, 4], "scale": 1e4, "row_scales": ROWS}, "y": {"int": 4, "shape": [6]},
                  "delta": 1.0}},
    ],
    # ==== hidden cases: speed
    "svm_speed": [
        {"kind": "speed", "function": f"{SVM}:svm_loss_vectorized", "inputs": {"gen": "none"},
         "perf": {"N": 2000, "D": 300, "C": 10, "dtype": "float64", "repeats": 3}, "judge": ("perf",)},
    ],
    "softmax_speed": [
        {"kind": "speed", "function": f"{SM}:softmax_loss_vectorized", "inputs": {"gen": "none"},
         "perf": {"N": 2000, "D": 300, "C": 10, "dtype": "float64", "repeats": 3}, "judge": ("perf",)},
    ],
}
