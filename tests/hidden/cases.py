"""Hidden grading cases: inputs (from seeds), points, tolerances, visibility. Grader-only.

Never shipped to students. Loaded by :mod:`cs231n_lin.grading.grade`, which builds each case's
inputs, runs the student's function on them in the sandboxed worker, computes the expected
values with the instructor's reference implementation in its own process, and awards
``checks[check]`` points per property that holds. Check names (implemented in ``grade.py``):

``loss``        the loss (first returned value) is a finite number equal to the reference's
``grad``        ``dW`` has W's shape and equals the reference's gradient
``dtype``       ``dW`` has the dtype of ``W`` (float32 stays float32) and ``loss`` is a float
``unmodified``  the function left its input arrays unchanged
``probs``       softmax probabilities: same shape, finite, summing to 1 along ``axis``, equal to
                the reference's
``logprobs``    the same for ``log_softmax``
``accuracy``    predictions of ``fit``/``predict`` on held-out data are labels of the data set
                and at most ``accuracy_margin`` less accurate than the reference's
``own_loss``    ``fit`` on identical rows (any minibatch gives the same step) ends at the reference's
                weights: the SGD step uses the estimator's own loss
``perf``        the vectorized loss's CPU time, measured from outside the sandbox, against the
                reference's (``grading.perf.judge``)

Input generators (``inputs["gen"]``): ``loss`` (W, X, y with shapes N, D, C, a W scale and an
X scale), ``scores`` (a score matrix), ``digits`` (the scikit-learn digits data, standardized,
fixed split; ``"labels": "odd"`` relabels class k as 2k + 1). Visibility is Gradescope's.
"""

LOSS = "cs231n_lin.classifiers.linear_svm"
SOFTMAX = "cs231n_lin.classifiers.softmax"
CLASSIFIER = "cs231n_lin.classifiers.linear_classifier"


def _loss(N, D, C, seed, *, dtype="float64", w_scale=0.5, x_scale=1.0):
    return {"gen": "loss", "N": N, "D": D, "C": C, "seed": seed, "dtype": dtype,
            "w_scale": w_scale, "x_scale": x_scale}


CASES = [
    # ---- SVM, naive
    {"name": "svm_loss_naive: hinge, no regularization", "module": LOSS, "function": "svm_loss_naive",
     "inputs": _loss(30, 8, 4, 101), "kwargs": {"reg": 0.0},
     "checks": {"loss": 2, "grad": 2, "unmodified": 1}, "visibility": "visible"},
    {"name": "svm_loss_naive: hinge with regularization", "module": LOSS, "function": "svm_loss_naive",
     "inputs": _loss(25, 10, 5, 102), "kwargs": {"reg": 0.3},
     "checks": {"loss": 1, "grad": 1}, "visibility": "visible"},
    {"name": "svm_loss_naive: delta = 2.5", "module": LOSS, "function": "svm_loss_naive",
     "inputs": _loss(20, 6, 3, 103), "kwargs": {"reg": 0.05, "delta": 2.5},
     "checks": {"loss": 1, "grad": 1}, "visibility": "after_published"},
    {"name": "svm_loss_naive: squared hinge", "module": LOSS, "function": "svm_loss_naive",
     "inputs": _loss(20, 7, 4, 104), "kwargs": {"reg": 0.1, "squared": True},
     "checks": {"loss": 1, "grad": 1}, "visibility": "after_published"},
    {"name": "svm_loss_naive: float32 in, float32 out", "module": LOSS, "function": "svm_loss_naive",
     "inputs": _loss(15, 5, 3, 105, dtype="float32"), "kwargs": {"reg": 0.1},
     "checks": {"dtype": 1}, "visibility": "visible"},
    # ---- SVM, vectorized
    {"name": "svm_loss_vectorized: hinge, no regularization", "module": LOSS,
     "function": "svm_loss_vectorized", "inputs": _loss(50, 12, 6, 201), "kwargs": {"reg": 0.0},
     "checks": {"loss": 2, "grad": 2, "unmodified": 1}, "visibility": "visible"},
    {"name": "svm_loss_vectorized: hinge with regularization", "module": LOSS,
     "function": "svm_loss_vectorized", "inputs": _loss(40, 9, 5, 202), "kwargs": {"reg": 0.5},
     "checks": {"loss": 1, "grad": 1}, "visibility": "visible"},
    {"name": "svm_loss_vectorized: delta = 0.5", "module": LOSS, "function": "svm_loss_vectorized",
     "inputs": _loss(30, 8, 4, 203), "kwargs": {"reg": 0.1, "delta": 0.5},
     "checks": {"loss": 1, "grad": 1}, "visibility": "after_published"},
    {"name": "svm_loss_vectorized: squared hinge", "module": LOSS, "function": "svm_loss_vectorized",
     "inputs": _loss(30, 10, 5, 204), "kwargs": {"reg": 0.2, "squared": True},
     "checks": {"loss": 1, "grad": 1}, "visibility": "after_published"},
    {"name": "svm_loss_vectorized: float32 in, float32 out", "module": LOSS,
     "function": "svm_loss_vectorized", "inputs": _loss(30, 8, 4, 205, dtype="float32"),
     "kwargs": {"reg": 0.1}, "checks": {"dtype": 1, "grad": 1}, "visibility": "visible"},
    # ---- softmax
    {"name": "softmax: probabilities of moderate scores", "module": SOFTMAX, "function": "softmax",
     "inputs": {"gen": "scores", "N": 10, "C": 5, "seed": 301, "scale": 3.0, "dtype": "float64"},
     "kwargs": {}, "checks": {"probs": 1, "unmodified": 1}, "visibility": "visible"},
    {"name": "softmax: numerically stable for scores of 1e4", "module": SOFTMAX, "function": "softmax",
     "inputs": {"gen": "scores", "N": 8, "C": 6, "seed": 302, "scale": 1e4, "dtype": "float64"},
     "kwargs": {}, "checks": {"probs": 2}, "visibility": "visible"},
    {"name": "softmax: along axis 0", "module": SOFTMAX, "function": "softmax",
     "inputs": {"gen": "scores", "N": 6, "C": 4, "seed": 303, "scale": 2.0, "dtype": "float64"},
     "kwargs": {"axis": 0}, "checks": {"probs": 1}, "visibility": "after_published"},
    {"name": "log_softmax: log-probabilities of moderate scores", "module": SOFTMAX,
     "function": "log_softmax",
     "inputs": {"gen": "scores", "N": 10, "C": 5, "seed": 304, "scale": 3.0, "dtype": "float64"},
     "kwargs": {}, "checks": {"logprobs": 1}, "visibility": "visible"},
    {"name": "log_softmax: no underflow for scores of 1e4", "module": SOFTMAX, "function": "log_softmax",
     "inputs": {"gen": "scores", "N": 8, "C": 6, "seed": 305, "scale": 1e4, "dtype": "float64"},
     "kwargs": {}, "checks": {"logprobs": 1}, "visibility": "visible"},
    {"name": "softmax_loss_naive: stable for scores of 1e3", "module": SOFTMAX,
     "function": "softmax_loss_naive", "inputs": _loss(12, 5, 4, 403, w_scale=100.0, x_scale=5.0),
     "kwargs": {"reg": 0.0}, "checks": {"loss": 1}, "visibility": "visible"},
    {"name": "softmax_loss_naive: no regularization", "module": SOFTMAX, "function": "softmax_loss_naive",
     "inputs": _loss(25, 8, 4, 401), "kwargs": {"reg": 0.0},
     "checks": {"loss": 2, "grad": 2, "unmodified": 1}, "visibility": "visible"},
    {"name": "softmax_loss_naive: with regularization", "module": SOFTMAX,
     "function": "softmax_loss_naive", "inputs": _loss(20, 6, 5, 402), "kwargs": {"reg": 0.25},
     "checks": {"loss": 1, "grad": 1}, "visibility": "after_published"},
    {"name": "softmax_loss_vectorized: no regularization", "module": SOFTMAX,
     "function": "softmax_loss_vectorized", "inputs": _loss(50, 12, 6, 501), "kwargs": {"reg": 0.0},
     "checks": {"loss": 2, "grad": 2, "unmodified": 1}, "visibility": "visible"},
    {"name": "softmax_loss_vectorized: with regularization", "module": SOFTMAX,
     "function": "softmax_loss_vectorized", "inputs": _loss(40, 10, 5, 502), "kwargs": {"reg": 0.4},
     "checks": {"loss": 1, "grad": 1}, "visibility": "visible"},
    {"name": "softmax_loss_vectorized: stable for float32 scores of 1e4", "module": SOFTMAX,
     "function": "softmax_loss_vectorized",
     "inputs": _loss(20, 5, 4, 503, dtype="float32", w_scale=100.0, x_scale=50.0),
     "kwargs": {"reg": 0.0}, "checks": {"loss": 2, "dtype": 1}, "visibility": "visible"},
    # ---- estimators
    {"name": "LinearSVM: fit and predict on held-out digits", "module": CLASSIFIER, "function": "LinearSVM",
     "inputs": {"gen": "digits"}, "params": {"learning_rate": 1e-2, "reg": 1e-3, "num_iters": 300,
                                             "batch_size": 100, "random_state": 0},
     "checks": {"accuracy": 3}, "accuracy_margin": 0.05, "visibility": "visible"},
    {"name": "Softmax: fit and predict on held-out digits", "module": CLASSIFIER, "function": "Softmax",
     "inputs": {"gen": "digits"}, "params": {"learning_rate": 5e-2, "reg": 1e-3, "num_iters": 300,
                                             "batch_size": 100, "random_state": 0},
     "checks": {"accuracy": 3}, "accuracy_margin": 0.05, "visibility": "visible"},
    {"name": "LinearSVM: labels that are not 0..C-1, strong regularization", "module": CLASSIFIER,
     "function": "LinearSVM", "inputs": {"gen": "digits", "labels": "odd"},
     "params": {"learning_rate": 1e-2, "reg": 0.5, "num_iters": 200, "batch_size": 50, "random_state": 1},
     "checks": {"accuracy": 2}, "accuracy_margin": 0.05, "visibility": "after_published"},
    {"name": "Softmax: labels that are not 0..C-1, strong regularization", "module": CLASSIFIER,
     "function": "Softmax", "inputs": {"gen": "digits", "labels": "odd"},
     "params": {"learning_rate": 5e-2, "reg": 0.5, "num_iters": 200, "batch_size": 50, "random_state": 1},
     "checks": {"accuracy": 2}, "accuracy_margin": 0.05, "visibility": "after_published"},
    {"name": "LinearSVM: fit steps along the SVM loss", "module": CLASSIFIER, "function": "LinearSVM",
     "inputs": {"gen": "same_rows", "N": 3, "D": 4, "C": 3, "seed": 601},
     "params": {"learning_rate": 0.1, "reg": 1e-3, "num_iters": 3, "batch_size": 30000, "random_state": 0},
     "checks": {"own_loss": 1}, "tolerance": 0.05, "visibility": "visible"},
    {"name": "Softmax: fit steps along the softmax loss", "module": CLASSIFIER, "function": "Softmax",
     "inputs": {"gen": "same_rows", "N": 3, "D": 4, "C": 3, "seed": 602},
     "params": {"learning_rate": 0.1, "reg": 1e-3, "num_iters": 3, "batch_size": 30000, "random_state": 0},
     "checks": {"own_loss": 1}, "tolerance": 0.05, "visibility": "visible"},
    # ---- speed: CPU time of the sandbox measured from outside, against the reference's
    {"name": "svm_loss_vectorized: speed", "module": LOSS, "function": "svm_loss_vectorized",
     "inputs": {"gen": "none"}, "perf": {"N": 2000, "D": 300, "C": 10, "dtype": "float64", "repeats": 3},
     "checks": {"perf": 2}, "visibility": "visible"},
    {"name": "softmax_loss_vectorized: speed", "module": SOFTMAX, "function": "softmax_loss_vectorized",
     "inputs": {"gen": "none"}, "perf": {"N": 2000, "D": 300, "C": 10, "dtype": "float64", "repeats": 3},
     "checks": {"perf": 2}, "visibility": "visible"},
]
