"""Probe inputs for diagnosing student code, and the one way to run a probe.

A probe is a small deterministic problem chosen so that common mistakes give outputs that
are *different from each other*, not only different from the reference:

- several N (7, 13, 40) so "forgot to divide by N" shows up as a factor that changes with N;
- ``reg = 0`` probes isolate the data term, ``reg > 0`` probes with large ``W`` make every
  regularization mistake (missing, ``0.5 *``, ``|W|``, ``reg * W`` in the gradient) visible;
- ``delta != 1`` so a hard-coded 1 shows, ``squared=True`` for the squared hinge;
- large scores (|s| ~ 1000 in float64, ~ 1e4 in float32) so a missing max-shift overflows;
- float32 probes to check that the dtype is preserved;
- margins are kept away from 0 (no kinks) so every correct subgradient convention agrees.

The worker (``cs231n_lin.grading.run.worker``) runs ``run_probe(student_namespace, probe)`` in the
sandbox and sends the returned dict back as plain arrays and JSON; ``diagnose.diagnose``
reads it in the grader process.
"""

from __future__ import annotations

import copy
import types
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["LOSS_FUNCTIONS", "Probe", "probe_cases", "run_probe"]

#: Student functions returning ``(loss, dW)``.
LOSS_FUNCTIONS = (
    "svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized",
)
#: Student functions returning one array of the shape of ``scores`` (in the module
#: ``cs231n_lin.classifiers.softmax``; see :func:`_lookup`).
ARRAY_FUNCTIONS = ("softmax", "log_softmax")
#: Probes of the classifiers: ``"<Class>.fit"`` records the SGD steps, ``"<Class>.predict"``
#: predicts with a given ``W``.
CLASSIFIER_FUNCTIONS = ("LinearSVM.fit", "Softmax.fit", "LinearSVM.predict", "Softmax.predict")


@dataclass(frozen=True)
class Probe:
    """One deterministic call of a student function.

    Attributes
    ----------
    name : str
        Unique, readable name, e.g. ``"svm_loss_vectorized/reg"``.
    function : str
        One of :data:`LOSS_FUNCTIONS`, ``"softmax"``, ``"log_softmax"`` or a classifier probe
        (``"LinearSVM.fit"``, ``"Softmax.fit"``, ``"LinearSVM.predict"``, ``"Softmax.predict"``).
    kwargs : dict
        Keyword arguments: arrays, floats, ints and bools only.
    """

    name: str
    function: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def _no_kinks(W: np.ndarray, X: np.ndarray, y: np.ndarray, delta: float, gap: float = 1e-3) -> bool:
    """True when no hinge margin ``s_j - s_y + delta`` (j != y) is within ``gap`` of 0."""
    S = X.astype(np.float64) @ W.astype(np.float64)
    rows = np.arange(len(y))
    m = S - S[rows, y][:, None] + delta
    m[rows, y] = 1.0
    return bool(np.min(np.abs(m)) > gap)


def _loss_problem(seed: int, N: int, D: int, C: int, w_scale: float, dtype=np.float64, delta: float = 1.0,
                  x_scale: float = 1.0) -> dict[str, np.ndarray]:
    """Random (W, X, y) with every class present and no hinge kink."""
    for attempt in range(100):
        rng = np.random.default_rng(seed * 1000 + attempt)
        X = (x_scale * rng.standard_normal((N, D))).astype(dtype)
        W = (w_scale * rng.standard_normal((D, C))).astype(dtype)
        y = np.concatenate([np.arange(C), rng.integers(0, C, size=N - C)])   # every class present
        y = rng.permutation(y).astype(np.int64)
        if _no_kinks(W, X, y, delta):
            return {"W": W, "X": X, "y": y}
    raise RuntimeError("could not draw a probe without kinks")  # pragma: no cover


def _svm_probes(function: str) -> list[Probe]:
    def p(tag, seed, N, D, C, w_scale, reg, delta=1.0, squared=False, dtype=np.float64):
        kw = _loss_problem(seed, N, D, C, w_scale, dtype, delta)
        kw.update(reg=reg, delta=delta, squared=squared)
        return Probe(f"{function}/{tag}", function, kw)

    return [
        p("basic", 1, 13, 5, 4, 0.5, 0.0),
        p("reg", 2, 7, 6, 3, 2.0, 0.7),
        p("delta", 3, 40, 4, 5, 0.5, 0.1, delta=2.5),
        p("squared", 4, 9, 5, 4, 0.5, 0.3, delta=1.5, squared=True),
        p("squared_noreg", 5, 13, 6, 3, 0.4, 0.0, squared=True),
        p("float32", 6, 11, 5, 4, 0.5, 0.2, dtype=np.float32),
    ]


def _designed_problem(seed: int, scores: np.ndarray, dtype=np.float64, scale: float = 100.0):
    """(W, X, y) with ``X @ W == scores`` (up to rounding) and D = C + 1, so large scores are exact."""
    rng = np.random.default_rng(seed)
    N, C = scores.shape
    W = np.vstack([scale * np.eye(C), np.zeros((1, C))]).astype(dtype)
    X = np.hstack([scores / scale, rng.standard_normal((N, 1))]).astype(dtype)
    return {"W": W, "X": X}


def _softmax_loss_probes(function: str) -> list[Probe]:
    def p(tag, seed, N, D, C, w_scale, reg, dtype=np.float64):
        kw = _loss_problem(seed, N, D, C, w_scale, dtype)
        kw.update(reg=reg)
        return Probe(f"{function}/{tag}", function, kw)

    rng = np.random.default_rng(17)
    # High scores, small spread: exp(s) overflows (float64 beyond ~709) unless shifted.
    high = 760.0 + 15.0 * rng.standard_normal((8, 4))
    y_high = np.array([0, 1, 2, 3, 1, 2, 3, 0])
    # Moderate maximum, wide spread: exp(s) never overflows, but p_y underflows to 0 for the
    # correct classes chosen at the bottom, so log(p_y) = -inf unless computed as log-sum-exp.
    wide = rng.uniform(-40.0, 40.0, size=(8, 4))
    y_wide = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    wide[np.arange(8), y_wide] = -800.0 + rng.uniform(0, 10, size=8)
    high32 = 1.0e4 + 20.0 * rng.standard_normal((6, 3))
    y_high32 = np.array([0, 1, 2, 0, 1, 2])
    return [
        p("basic", 11, 13, 5, 4, 0.5, 0.0),
        p("reg", 12, 7, 6, 3, 2.0, 0.7),
        p("many", 13, 40, 4, 5, 0.7, 0.05),
        p("float32", 14, 11, 5, 4, 0.5, 0.2, dtype=np.float32),
        Probe(f"{function}/high_scores", function,
              {**_designed_problem(15, high), "y": y_high, "reg": 0.0}),
        Probe(f"{function}/wide_scores", function,
              {**_designed_problem(16, wide), "y": y_wide, "reg": 0.0}),
        Probe(f"{function}/high_scores_float32", function,
              {**_designed_problem(18, high32, np.float32, scale=1000.0), "y": y_high32, "reg": 0.0}),
    ]


def _softmax_probes(function: str) -> list[Probe]:
    rng = np.random.default_rng(21)
    moderate = rng.standard_normal((6, 5)) * 2.0
    large = rng.standard_normal((5, 4)) * 1000.0
    wide = np.array([[0.0, -800.0, 3.0, -1500.0], [2.0, 1.0, -900.0, 0.5]])   # exp underflows
    return [
        Probe(f"{function}/moderate", function, {"scores": moderate, "axis": -1}),
        Probe(f"{function}/large", function, {"scores": large, "axis": 1}),
        Probe(f"{function}/axis0", function, {"scores": moderate.T.copy(), "axis": 0}),
        Probe(f"{function}/wide", function, {"scores": wide, "axis": -1}),
    ]


def _classifier_probes() -> list[Probe]:
    rng = np.random.default_rng(31)
    N, D = 30, 3
    centers = np.array([[2.0, 0.0, 0.0], [-1.0, 2.0, 0.0], [-1.0, -2.0, 1.0]])
    idx = np.arange(N) % 3
    X = centers[idx] + 0.5 * rng.standard_normal((N, D))
    y = np.array([3, 7, 11])[idx]                  # labels that are not 0..C-1
    fit_kw = {"X": X, "y": y, "learning_rate": 0.05, "reg": 0.01, "num_iters": 6, "batch_size": 8,
              "random_state": 0}
    W = rng.standard_normal((D + 1, 3))
    Xp = rng.standard_normal((12, D)) * 2.0
    pred_kw = {"W": W, "X": Xp, "classes": np.array([3, 7, 11])}
    return [
        Probe("LinearSVM.fit/steps", "LinearSVM.fit", {**fit_kw, "delta": 1.0}),
        Probe("Softmax.fit/steps", "Softmax.fit", dict(fit_kw)),
        Probe("LinearSVM.predict/given_W", "LinearSVM.predict", dict(pred_kw)),
        Probe("Softmax.predict/given_W", "Softmax.predict", dict(pred_kw)),
    ]


def probe_cases() -> list[Probe]:
    """All probes, in a fixed order (same arrays on every call).

    Returns
    -------
    list of Probe
        Loss probes have N <= 40, D <= 6, C <= 5; the classifier probes N = 30, D = 3, C = 3.
    """
    probes: list[Probe] = []
    for fn in ("svm_loss_naive", "svm_loss_vectorized"):
        probes += _svm_probes(fn)
    for fn in ("softmax_loss_naive", "softmax_loss_vectorized"):
        probes += _softmax_loss_probes(fn)
    for fn in ARRAY_FUNCTIONS:
        probes += _softmax_probes(fn)
    probes += _classifier_probes()
    return probes


# --------------------------------------------------------------------------------------------
# Running a probe (inside the worker sandbox, on the student's code)
# --------------------------------------------------------------------------------------------

def _lookup(namespace: Any, name: str):
    """``namespace[name]`` or ``namespace.name``; a module found under that name (the package
    attribute ``cs231n_lin.classifiers.softmax`` is the module ``softmax.py``) is searched for a
    function of the same name (``cs231n_lin.classifiers.softmax.softmax``)."""
    value = namespace[name] if isinstance(namespace, dict) else getattr(namespace, name)
    if isinstance(value, types.ModuleType):
        value = getattr(value, name)
    return value


def _type_name(value: Any) -> str:
    """``"float"``, ``"numpy.float32"``, ``"ndarray(1, 1)"``, ... (for messages to the student)."""
    if isinstance(value, np.ndarray):
        return f"ndarray{value.shape}"
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__.split('.')[0]}.{t.__name__}"


def _modified(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    names = []
    for k, v in before.items():
        if isinstance(v, np.ndarray):
            a = after[k]
            if not (isinstance(a, np.ndarray) and a.dtype == v.dtype and a.shape == v.shape
                    and np.array_equal(a, v, equal_nan=True)):
                names.append(k)
    return names


def _empty_outcome() -> dict[str, Any]:
    return {"ok": False, "loss": None, "dW": None, "dtype": "", "error": None, "inputs_modified": False,
            "modified_inputs": [], "loss_type": "", "output": None}


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:500]}"


def _run_fit(cls, kw: dict[str, Any], out: dict[str, Any]) -> None:
    """Fit with the student's SGD loop, recording every call of ``self.loss``."""
    params = {k: v for k, v in kw.items() if k not in ("X", "y")}
    clf = cls(**params)
    calls: list[tuple] = []
    loss_method = clf.loss

    def recording_loss(W, X, y):
        W_before = np.array(W, copy=True)
        loss, grad = loss_method(W, X, y)
        calls.append((W_before, np.array(grad, copy=True), int(np.shape(X)[0]),
                      np.asarray(y).copy(), float(loss)))
        return loss, grad

    clf.loss = recording_loss      # instance attribute: fit's self.loss(...) goes through it
    clf.fit(kw["X"], kw["y"])
    k = len(calls)
    out["num_loss_calls"] = k
    if k:
        out["W_steps"] = np.stack([c[0] for c in calls] + [np.asarray(clf.W_)])
        out["grad_steps"] = np.stack([c[1] for c in calls])
        out["batch_sizes"] = np.array([c[2] for c in calls])
        out["batch_labels"] = np.concatenate([c[3].ravel() for c in calls]).astype(np.float64)
        out["loss_steps"] = np.array([c[4] for c in calls])
    else:
        out["W_steps"] = np.asarray(clf.W_)[None]
    out["loss_history"] = np.asarray(clf.loss_history_, dtype=np.float64)
    out["dW"] = np.asarray(clf.W_)
    out["dtype"] = str(np.asarray(clf.W_).dtype)


def _run_predict(cls, kw: dict[str, Any], out: dict[str, Any]) -> None:
    """Predict with a given ``W`` (no fitting involved)."""
    clf = cls()
    clf.classes_ = np.asarray(kw["classes"]).copy()
    clf.W_ = np.asarray(kw["W"]).copy()
    clf.n_features_in_ = np.asarray(kw["X"]).shape[1]
    clf.loss_history_ = np.zeros(0)
    clf.fit_intercept = True
    out["output"] = np.asarray(clf.predict(kw["X"]))
    out["dtype"] = str(out["output"].dtype)


def run_probe(namespace: Any, probe: Probe) -> dict[str, Any]:
    """Call the student's function on the probe and describe what happened.

    Parameters
    ----------
    namespace : module or dict
        Where the student's functions live (``cs231n_lin.classifiers`` of the submission):
        the loss functions, ``log_softmax``, ``LinearSVM``, ``Softmax`` and the module
        ``softmax`` (or, in a dict, the function ``softmax``).
    probe : Probe
        What to call.

    Returns
    -------
    dict
        Always ``ok`` (bool), ``loss`` (float or None), ``dW`` (ndarray or None), ``dtype`` (str,
        dtype of ``dW`` or of the output), ``error`` (``"<ExcType>: <msg>"`` or None),
        ``inputs_modified`` (bool), plus ``modified_inputs`` (names), ``loss_type`` (e.g.
        ``"float"``, ``"numpy.float32"``, ``"ndarray(1,)"``), ``output`` (the returned array of
        ``softmax``/``log_softmax``/``predict``), and for ``*.fit`` probes ``W_steps``,
        ``grad_steps``, ``batch_sizes``, ``batch_labels``, ``loss_steps``, ``loss_history``,
        ``num_loss_calls``.
        Values are floats, ints, bools, strings, lists of strings or numpy arrays only, so they
        can be sent as .npz + JSON.
    """
    out = _empty_outcome()
    kwargs = copy.deepcopy(probe.kwargs)
    before = copy.deepcopy(probe.kwargs)
    try:
        if probe.function in CLASSIFIER_FUNCTIONS:
            cls_name, method = probe.function.split(".")
            cls = _lookup(namespace, cls_name)
            (_run_fit if method == "fit" else _run_predict)(cls, kwargs, out)
        elif probe.function in ARRAY_FUNCTIONS:
            result = _lookup(namespace, probe.function)(**kwargs)
            arr = np.asarray(result)
            out["output"] = arr
            out["dtype"] = str(arr.dtype)
        else:
            result = _lookup(namespace, probe.function)(**kwargs)
            if not (isinstance(result, tuple | list) and len(result) == 2):
                raise TypeError(f"expected (loss, dW), got {_type_name(result)}")
            loss, dW = result
            out["loss_type"] = _type_name(loss)
            loss_arr = np.asarray(loss, dtype=np.float64)
            out["loss"] = float(loss_arr.ravel()[0]) if loss_arr.size >= 1 else None
            dW_arr = np.asarray(dW)
            out["dW"] = dW_arr
            out["dtype"] = str(dW_arr.dtype)
        out["ok"] = True
    except Exception as exc:  # the student's bug, reported to the grader
        out["error"] = _error_text(exc)
    modified = _modified(before, kwargs)
    out["modified_inputs"] = modified
    out["inputs_modified"] = bool(modified)
    return out
