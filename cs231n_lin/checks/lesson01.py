"""Checks of what students write in notebook 1's cells: ``hinge_score_gradient``, the search grid,
and ``search_hyperparameters``.

Expected values are stored constants (worked out by hand: the score vectors have margins far
from 0, except the one case that sits exactly on a kink) or come from a fake estimator whose
accuracy is a known function of its hyper-parameters and of the data it is scored on. Nothing
here computes a hinge loss or its gradient. Likely causes come from stored outputs of known
mistakes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from cs231n_lin.checks._core import NOT_WRITTEN, Checker, named_check

__all__ = ["hinge_score_gradient", "judge_grid", "judge_search", "log_grid", "run_search",
           "search_hyperparameters"]

#: (scores, correct class, delta, expected dL_i/ds, {mistake key: what that mistake returns}).
SCORE_GRADIENT_CASES: tuple[tuple[tuple[float, ...], int, float, tuple[float, ...], dict], ...] = (
    # the worked example: only class 2 violates the margin (by 8)
    ((13.0, -7.0, 11.0), 0, 10.0, (-1.0, 0.0, 1.0),
     {"hsg.counted": (-2.0, 0.0, 1.0), "hsg.correct_sign": (1.0, 0.0, 1.0),
      "hsg.margins": (0.0, 0.0, 8.0), "hsg.correct_zero": (0.0, 0.0, 1.0), "hsg.delta1": (0.0, 0.0, 0.0)}),
    # three violators: the correct class gets -3
    ((0.5, -1.25, 2.0, 1.0, 0.25, -0.5), 3, 1.0, (1.0, 0.0, 1.0, -3.0, 1.0, 0.0),
     {"hsg.counted": (1.0, 0.0, 1.0, -4.0, 1.0, 0.0), "hsg.correct_sign": (1.0, 0.0, 1.0, 3.0, 1.0, 0.0),
      "hsg.correct_one": (1.0, 0.0, 1.0, -1.0, 1.0, 0.0),
      "hsg.correct_zero": (1.0, 0.0, 1.0, 0.0, 1.0, 0.0)}),
    # no violator: every margin is met, the gradient is zero
    ((2.0, 1.0, 3.0), 2, 0.5, (0.0, 0.0, 0.0), {"hsg.counted": (0.0, 0.0, -1.0)}),
    # every class violates, the correct class is the last one; delta = 3 (not the default 1)
    ((1.0, 1.5, 0.5, 0.0), 3, 3.0, (1.0, 1.0, 1.0, -3.0),
     {"hsg.counted": (1.0, 1.0, 1.0, -4.0), "hsg.correct_sign": (1.0, 1.0, 1.0, 3.0),
      "hsg.correct_one": (1.0, 1.0, 1.0, -1.0), "hsg.correct_zero": (1.0, 1.0, 1.0, 0.0),
      "hsg.margins": (4.0, 4.5, 3.5, 0.0)}),
    # delta ignored (a hard-coded 1) shows here: with delta = 0.25 no class violates
    ((0.0, -0.5, 0.6), 2, 0.25, (0.0, 0.0, 0.0),
     {"hsg.delta1": (1.0, 0.0, -1.0), "hsg.counted": (0.0, 0.0, -1.0)}),
    # a kink: class 2's margin is exactly 0 (11 - 13 + 2); the convention is slope 0 there
    ((13.0, -7.0, 11.0), 0, 2.0, (0.0, 0.0, 0.0),
     {"hsg.kink": (-1.0, 0.0, 1.0), "hsg.counted": (-1.0, 0.0, 0.0)}),
)

CAUSES = {
    "hsg.counted": "the correct class is counted as a violator of its own margin (s_y - s_y + delta = "
                   "delta > 0): leave j = y out of the count.",
    "hsg.correct_sign": "the correct class has the wrong sign: raising s_y makes every violated margin "
                        "smaller, so dL_i/ds_y is negative.",
    "hsg.correct_one": "the correct class gets -1 however many classes violate: s_y appears in every "
                       "violated term, so it gets -1 from each of them.",
    "hsg.correct_zero": "the correct class gets 0: s_y appears (with a minus sign) in every violated "
                        "term of L_i.",
    "hsg.margins": "this returns the margins max(0, m), not the slope of the loss with respect to each "
                   "score.",
    "hsg.delta1": "delta is ignored (a hard-coded 1?): use the delta argument in the margin.",
    "hsg.kink": "at a margin of exactly 0 this uses slope 1 (m >= 0); the convention of this course "
                "is the slope 0 there (count a margin only when m > 0).",
    "hsg.modified": "your function changed the scores it was given; work on a copy.",
    "grid.linear": "the values are evenly spaced, not log-spaced: learning rates and regularization "
                   "strengths matter by their order of magnitude, so use np.logspace (or powers of 10).",
    "grid.bracket": "the grid must surround the starting value printed above (some values below it, "
                    "some above), so that the search can tell which way to go.",
    "grid.small": "search at least 3 values of each hyper-parameter, so the best can be inside the grid.",
    "grid.positive": "learning rates must be > 0 and regularization strengths >= 0 (a log grid has no "
                     "0; add 0 by hand if you want it).",
    "search.missing": "some (learning_rate, reg) pairs are missing: loop over every learning rate AND, "
                      "inside that loop, over every reg (nested loops, not zip).",
    "search.keys": "the keys must be (learning_rate, reg) tuples, in that order.",
    "search.swapped": "the two accuracies are swapped: store (train_accuracy, val_accuracy).",
    "search.val_on_train": "the validation accuracy is measured on the training data: score on X_val, y_val.",
    "search.best_train": "the best pair is chosen by TRAINING accuracy; choose it by validation accuracy.",
    "search.best_min": "the best pair has the LOWEST validation accuracy: take the max.",
    "search.params": "the models were not trained with the pair they are stored under: give each model "
                     "its learning_rate and reg (clone(estimator).set_params(learning_rate=lr, reg=reg)).",
    "search.fit_on_val": "the models were trained on the validation data: fit on X_train, y_train.",
    "search.best_form": "best must be the (learning_rate, reg) pair itself, a key of results.",
}


def _show(values) -> str:
    return "[" + ", ".join(f"{v:g}" for v in np.asarray(values, dtype=float).ravel()) + "]"


@named_check("hinge_score_gradient")
def hinge_score_gradient(ck: Checker, fn: Callable) -> None:
    """``fn(scores, y, delta)`` against stored gradients of six score vectors (one on a kink)."""
    for scores, y, delta, expected, mistakes in SCORE_GRADIENT_CASES:
        s = np.array(scores)
        given = s.copy()
        got = ck.call(fn, given, y, delta=delta, label="hinge_score_gradient")
        where = f"scores {list(scores)}, correct class {y}, delta {delta:g}"
        if not np.array_equal(given, s):
            ck.fail(f"the scores changed during the call ({where})", key="hsg.modified",
                    cause=CAUSES["hsg.modified"], stop=True)
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            ck.fail(f"hinge_score_gradient returned {got!r}; expected an array of {len(s)} numbers",
                    details=where, stop=True)
        if got.shape != s.shape:
            ck.fail(f"the result has shape {got.shape}, expected {s.shape} (one slope per class)",
                    details=where, stop=True)
        if np.allclose(got, expected, rtol=0, atol=1e-12):
            continue
        key = next((k for k, v in mistakes.items() if np.allclose(got, v, rtol=0, atol=1e-12)), None)
        ck.fail(f"dL_i/ds is {_show(got)}, which is not the slope of L_i at these scores", details=where,
                key=key,
                cause=CAUSES.get(key), stop=True)


def judge_grid(learning_rates, regs, around: Mapping[str, float]) -> list[tuple[str, str | None]]:
    """What is wrong with a search grid, as ``(what, mistake key)`` pairs (empty: nothing).

    Each list needs at least 3 positive values with a constant ratio (a log grid) whose range
    holds the starting value ``around[name]`` (the defaults the notebook prints). Used by the
    check cell and, on the student's own grid, by the grader.
    """
    out: list[tuple[str, str | None]] = []
    for name, values, start in (("learning_rates", learning_rates, around["learning_rate"]),
                                ("regs", regs, around["reg"])):
        if values is None:
            return [(f"{NOT_WRITTEN}: {name} (the search grid) in this notebook", None)]
        try:
            v = np.sort(np.asarray(values, dtype=float).ravel())
        except (TypeError, ValueError):
            return [(f"{name} is a {type(values).__name__}; expected a list or array of numbers", None)]
        if v.size < 3:
            out.append((f"{name} has {v.size} value(s)", "grid.small"))
            continue
        if not np.all(np.isfinite(v)) or v[0] <= 0:
            out.append((f"{name} has values <= 0 or not finite", "grid.positive"))
            continue
        ratios = v[1:] / v[:-1]
        if not np.allclose(ratios, ratios[0], rtol=0.05) or ratios[0] <= 1.0 + 1e-9:
            linear = np.allclose(np.diff(v), v[1] - v[0], rtol=0.05)
            out.append((f"{name} is not a log grid (ratios between neighbours {_show(ratios.round(3))})",
                        "grid.linear" if linear else None))
            continue
        if not v[0] <= start <= v[-1]:
            side = "above" if start > v[-1] else "below"
            out.append((f"{name} runs from {v[0]:g} to {v[-1]:g}: the starting value {start:g} is {side} "
                        "all of it", "grid.bracket"))
    return out


@named_check("log_grid")
def log_grid(ck: Checker, learning_rates, regs) -> None:
    """At least 3 positive values of each, a constant ratio (a log grid), around the starting values."""
    from cs231n_lin.data import dataset_name
    from cs231n_lin.hyperparams import defaults_for

    for what, key in judge_grid(learning_rates, regs, defaults_for(dataset_name(), "svm")):
        ck.fail(what, key=key, cause=CAUSES.get(key) if key else None, stop=what.startswith(NOT_WRITTEN))


def fake_model(train: Mapping[tuple, float], val: Mapping[tuple, float]) -> type:
    """An estimator class whose accuracy is a known function of its hyper-parameters and the data.

    ``fit`` records what it was trained with (in the class attribute ``fits``, which survives
    ``sklearn.base.clone``); ``score`` returns the stored accuracy of the pair it was fitted with
    (``train`` on the training data, ``val`` on the validation data), halved when it was trained
    on the wrong data.
    """

    class FakeModel(ClassifierMixin, BaseEstimator):
        fits: list = []

        def __init__(self, learning_rate: float = 1.0, reg: float = 1.0):
            self.learning_rate = learning_rate
            self.reg = reg

        def fit(self, X, y):
            self.fitted_with_ = (float(self.learning_rate), float(self.reg), float(np.asarray(X)[0, 0]))
            self.fits.append(self.fitted_with_)
            self.classes_ = np.unique(y)
            return self

        def score(self, X, y, sample_weight=None):
            lr, reg, data = self.fitted_with_
            table = train if float(np.asarray(X)[0, 0]) == _TRAIN_MARK else val
            value = _lookup(table, (lr, reg), 0.0)
            return value if data == _TRAIN_MARK else value / 2

    FakeModel.fits = []
    return FakeModel


def _lookup(table: Mapping[tuple, float], key: tuple, default: float) -> float:
    for k, v in table.items():
        if np.allclose(k, key, rtol=1e-9, atol=0):
            return v
    return default


_TRAIN_MARK, _VAL_MARK = 0.0, 1.0
_SEARCH_LRS = (1e-3, 1e-2, 1e-1)
_SEARCH_REGS = (1e-4, 1e-2)
#: Accuracies of the fake model, chosen so that the best pair on validation is neither the best on
#: training data, nor the first or last pair of the loops, nor the best with the keys swapped.
_SEARCH_TRAIN = {(1e-3, 1e-4): 0.71, (1e-3, 1e-2): 0.62, (1e-2, 1e-4): 0.93, (1e-2, 1e-2): 0.84,
                 (1e-1, 1e-4): 0.99, (1e-1, 1e-2): 0.77}
_SEARCH_VAL = {(1e-3, 1e-4): 0.52, (1e-3, 1e-2): 0.55, (1e-2, 1e-4): 0.68, (1e-2, 1e-2): 0.81,
               (1e-1, 1e-4): 0.74, (1e-1, 1e-2): 0.49}


def search_tables(seed: int) -> tuple[tuple, tuple, dict, dict]:
    """Another grid and accuracy table (the grader's hidden search case), from ``seed``: the best
    pair on validation is never the best on training data, nor the first or last of the loops."""
    rng = np.random.default_rng(seed)
    lrs = tuple(float(v) for v in 10.0 ** np.sort(rng.choice(np.arange(-5, 1), 3, replace=False)))
    regs = tuple(float(v) for v in 10.0 ** np.sort(rng.choice(np.arange(-6, 0), 3, replace=False)))
    keys = [(lr, reg) for lr in lrs for reg in regs]
    acc = rng.permutation(np.linspace(0.3, 0.9, len(keys))).round(3)
    val = dict(zip(keys, acc.tolist(), strict=True))
    best = max(val, key=val.get)
    if best in (keys[0], keys[-1]):                       # move the best inside the loops
        other = keys[len(keys) // 2]
        val[best], val[other] = val[other], val[best]
        best = other
    train = {k: round(min(0.99, v + 0.05), 3) for k, v in val.items()}
    train[keys[-1]], train[best] = 0.995, round(val[best] + 0.01, 3)   # best on train is another pair
    return lrs, regs, train, val


def _search_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    y = np.array([0, 1, 0, 1])
    return np.full((4, 2), _TRAIN_MARK), y, np.full((4, 2), _VAL_MARK), y.copy()


def run_search(fn: Callable, lrs, regs, train: Mapping, val: Mapping) -> tuple[object, list]:
    """Call ``fn`` with a fake estimator on the grid ``lrs`` x ``regs``: ``(what it returned, fits)``."""
    Model = fake_model(train, val)
    X_train, y_train, X_val, y_val = _search_data()
    out = fn(Model(), list(lrs), list(regs), X_train, y_train, X_val, y_val)
    return out, list(Model.fits)


def judge_search(out, fits, lrs, regs, train: Mapping, val: Mapping) -> list[tuple[str, str | None]]:
    """What is wrong with what ``search_hyperparameters`` returned (``(what, key)``, first only)."""
    try:
        results, best = out
    except (TypeError, ValueError):
        return [(f"search_hyperparameters returned {type(out).__name__}; expected two things, "
                 "(results, best)", None)]
    if not isinstance(results, Mapping):
        return [(f"results is a {type(results).__name__}; expected a dict (learning_rate, reg) -> "
                 "(train_accuracy, val_accuracy)", None)]
    expected_keys = {(lr, reg) for lr in lrs for reg in regs}

    def canon(k):
        if not isinstance(k, (tuple, list)) or len(k) != 2:
            return k
        return next((e for e in expected_keys | {(r, lr) for lr, r in expected_keys}
                     if np.allclose([float(v) for v in k], e, rtol=1e-9, atol=0)), tuple(float(v) for v in k))

    keys = {canon(k) for k in results}
    if keys == {(reg, lr) for lr, reg in expected_keys} and keys != expected_keys:
        return [("the keys of results are (reg, learning_rate)", "search.keys")]
    if keys != expected_keys:
        missing = len(expected_keys - keys)
        extra = f" and {len(keys - expected_keys)} other keys" if keys - expected_keys else ""
        return [(f"results has {len(keys & expected_keys)} of the {len(expected_keys)} pairs ({missing} "
                 f"missing){extra}", "search.missing" if missing else "search.keys")]
    fitted = {canon((lr, reg)) for lr, reg, _ in fits}
    if any(data != _TRAIN_MARK for _, _, data in fits):
        return [("a model was fitted on the validation data", "search.fit_on_val")]
    if fitted != expected_keys:
        return [(f"the models were trained with {len(fitted)} different (learning_rate, reg) pairs, "
                 f"expected {len(expected_keys)}", "search.params")]
    for key in sorted(expected_keys):
        value = results[next(k for k in results if canon(k) == key)]
        try:
            train_acc, val_acc = (float(v) for v in value)
        except (TypeError, ValueError):
            return [(f"results[{key}] is not a pair (train_accuracy, val_accuracy)", None)]
        right = (_lookup(train, key, -1), _lookup(val, key, -1))
        if np.allclose((train_acc, val_acc), right):
            continue
        if np.allclose((val_acc, train_acc), right):
            mistake = "search.swapped"
        elif np.isclose(val_acc, right[0]):
            mistake = "search.val_on_train"
        else:
            mistake = "search.params"
        return [(f"results[{key}] does not hold the accuracies of the model trained with that pair",
                 mistake)]
    right_best = max(val, key=val.get)
    try:
        best_key = canon(tuple(float(v) for v in best))
    except (TypeError, ValueError):
        return [("best is not a (learning_rate, reg) pair", "search.best_form")]
    if best_key != right_best:
        mistake = {max(train, key=train.get): "search.best_train",
                   min(val, key=val.get): "search.best_min"}.get(best_key, "search.best_form")
        return [(f"best is {best_key}, which does not have the highest validation accuracy", mistake)]
    return []


@named_check("search_hyperparameters")
def search_hyperparameters(ck: Checker, fn: Callable) -> None:
    """``fn(estimator, learning_rates, regs, X_train, y_train, X_val, y_val) -> (results, best)``,
    run with a fake estimator on a 3 x 2 grid whose accuracies are stored above."""
    args = (_SEARCH_LRS, _SEARCH_REGS, _SEARCH_TRAIN, _SEARCH_VAL)
    out, fits = ck.call(run_search, fn, *args, label="search_hyperparameters")
    for what, key in judge_search(out, fits, *args):
        ck.fail(what, key=key, cause=CAUSES.get(key) if key else None, stop=True)
