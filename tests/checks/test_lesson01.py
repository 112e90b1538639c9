# GRADER ONLY
# (it holds reference solutions of notebook cells, so it stays out of the student release)
"""Notebook 1's cell checks: pass on the reference, fail with the right likely cause on known mistakes."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from cs231n_lin import checks
from cs231n_lin.checks import lesson01


def hsg_reference(scores, y, delta=1.0):
    """The solution of the notebook cell (a loop, as a student may write it)."""
    grad = np.zeros_like(scores, dtype=float)
    for j in range(len(scores)):
        if j != y and scores[j] - scores[y] + delta > 0:
            grad[j] += 1.0
            grad[y] -= 1.0
    return grad


def _mistake(kind):
    def fn(scores, y, delta=1.0):
        d = 1.0 if kind == "delta1" else delta
        m = scores - scores[y] + d
        positive = (m >= 0) if kind == "kink" else (m > 0)
        if kind != "counted":
            positive[y] = False
        if kind == "margins":
            out = np.maximum(0.0, m)
            out[y] = 0.0
            return out
        grad = positive.astype(float)
        grad[y] = {"correct_sign": positive.sum(), "correct_one": -1.0 if positive.any() else 0.0,
                   "correct_zero": 0.0}.get(kind, -positive.sum())
        if kind == "modified":
            scores += 1.0
        return grad
    return fn


def test_reference_passes_and_prints_pass():
    result = checks.hinge_score_gradient(hsg_reference)
    assert result.passed, repr(result)
    assert repr(result) == "PASS: hinge_score_gradient: dL_i/ds for one example"


@pytest.mark.parametrize("kind", ["counted", "correct_sign", "correct_one", "correct_zero", "margins",
                                  "delta1", "kink", "modified"])
def test_each_mistake_fails_with_its_cause(kind):
    result = checks.hinge_score_gradient(_mistake(kind))
    assert not result.passed
    assert result.failures[0].key == f"hsg.{kind}", repr(result)
    assert result.failures[0].likely_cause == lesson01.CAUSES[f"hsg.{kind}"]
    assert "Likely cause:" in repr(result)


def test_unwritten_cell_is_named():
    def stub(scores, y, delta=1.0):
        raise NotImplementedError
    result = checks.hinge_score_gradient(stub)
    assert not result.passed and result.failures[0].what.startswith("not written yet: ")


def test_wrong_shape_is_reported():
    result = checks.hinge_score_gradient(lambda s, y, delta=1.0: hsg_reference(s, y, delta).sum())
    assert "shape ()" in repr(result)


def test_stored_gradients_are_one_sided_slopes_of_the_hinge():
    """The stored expected values against centered differences of the hinge (away from kinks)."""
    from cs231n_lin.gradient_check import eval_numerical_gradient

    for scores, y, delta, expected, _ in lesson01.SCORE_GRADIENT_CASES:
        s = np.array(scores)
        def hinge(v, y=y, delta=delta):
            return sum(max(0.0, v[j] - v[y] + delta) for j in range(len(v)) if j != y)
        margins = [s[j] - s[y] + delta for j in range(len(s)) if j != y]
        if min(abs(m) for m in margins) < 1e-3:      # the kink case: the convention, slope 0
            assert list(expected) == [0.0, 0.0, 0.0]
            continue
        assert np.allclose(eval_numerical_gradient(hinge, s.copy()), expected, atol=1e-7)


def test_log_grid():
    assert checks.log_grid(np.logspace(-3, -1, 3), [1e-4, 1e-3, 1e-2, 1e-1]).passed
    linear = checks.log_grid([0.1, 0.2, 0.3], [1e-4, 1e-3, 1e-2])
    assert not linear.passed and linear.failures[0].key == "grid.linear"
    assert checks.log_grid([0.1, 1.0], [1e-4, 1e-3, 1e-2]).failures[0].key == "grid.small"
    assert checks.log_grid([0.1, 1.0, 10.0], [0.0, 1e-3, 1e-2]).failures[0].key == "grid.positive"
    unwritten = checks.log_grid(None, None)
    assert repr(unwritten).startswith("FAIL: the search grid")
    assert "not written yet: learning_rates" in repr(unwritten)


def search_reference(estimator, learning_rates, regs, X_train, y_train, X_val, y_val):
    results = {}
    for lr in learning_rates:
        for reg in regs:
            model = clone(estimator).set_params(learning_rate=lr, reg=reg).fit(X_train, y_train)
            results[(lr, reg)] = (model.score(X_train, y_train), model.score(X_val, y_val))
    return results, max(results, key=lambda k: results[k][1])


def _search_mistake(kind):
    def fn(estimator, learning_rates, regs, X_train, y_train, X_val, y_val):
        results = {}
        pairs = zip(learning_rates, regs, strict=False) if kind == "missing" else \
            [(lr, reg) for lr in learning_rates for reg in regs]
        for lr, reg in pairs:
            model = clone(estimator)
            if kind != "params":
                model.set_params(learning_rate=lr, reg=reg)
            model.fit(X_val if kind == "fit_on_val" else X_train, y_train)
            tr, va = model.score(X_train, y_train), model.score(X_val, y_val)
            if kind == "val_on_train":
                va = model.score(X_train, y_train)
            key = (reg, lr) if kind == "keys" else (lr, reg)
            results[key] = (va, tr) if kind == "swapped" else (tr, va)
        pick = {"best_train": lambda k: results[k][0], "best_min": lambda k: -results[k][1]}
        best = max(results, key=pick.get(kind, lambda k: results[k][1]))
        return results, (results[best][1] if kind == "best_form" else best)
    return fn


def test_search_reference_passes():
    result = checks.search_hyperparameters(search_reference)
    assert result.passed, repr(result)


@pytest.mark.parametrize("kind", ["missing", "keys", "swapped", "val_on_train", "best_train", "best_min",
                                  "params", "fit_on_val", "best_form"])
def test_search_mistake_fails_with_its_cause(kind):
    result = checks.search_hyperparameters(_search_mistake(kind))
    assert not result.passed
    assert result.failures[0].key == f"search.{kind}", repr(result)
    assert result.failures[0].likely_cause


def test_search_that_returns_one_thing_is_explained():
    result = checks.search_hyperparameters(lambda *a: {})
    assert "expected two things, (results, best)" in repr(result)
