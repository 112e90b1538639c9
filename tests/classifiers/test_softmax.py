"""Tests of softmax, log_softmax and the softmax losses, against numeric gradients, scipy and scikit-learn."""

import math

import numpy as np
import pytest
import scipy.special
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from loss_problems import assert_gradient_check_has_teeth, loss_problems, random_problem, score_arrays
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from cs231n_lin.classifiers.softmax import (
    log_softmax,
    softmax,
    softmax_loss_naive,
    softmax_loss_vectorized,
)

LOSSES = [softmax_loss_naive, softmax_loss_vectorized]
FAST = settings(max_examples=40, deadline=None)


# --- naive == vectorized ------------------------------------------------------------------------

@pytest.mark.parametrize("reg", [0.0, 0.01, 1.0, 5.0])
@pytest.mark.parametrize("w_scale", [0.01, 1.0, 30.0])
def test_naive_equals_vectorized(reg, w_scale):
    for seed in range(3):
        W, X, y = random_problem(seed, N=17, D=6, C=4, w_scale=w_scale)
        loss_n, dW_n = softmax_loss_naive(W, X, y, reg)
        loss_v, dW_v = softmax_loss_vectorized(W, X, y, reg)
        assert loss_v == pytest.approx(loss_n, rel=1e-10, abs=1e-12)
        np.testing.assert_allclose(dW_v, dW_n, rtol=1e-10, atol=1e-12 * np.abs(dW_n).max())


# --- numeric gradients --------------------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("reg", [0.5, 5.0])
def test_gradient_matches_numeric_and_a_wrong_reg_term_fails(loss_fn, reg):
    W, X, y = random_problem(4, N=9, D=4, C=3, w_scale=1.0)

    def correct(w):
        return loss_fn(w, X, y, reg)

    assert_gradient_check_has_teeth(correct, W, reg)


# --- exact values and oracles -------------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("C", [2, 3, 10])
def test_zero_weights_give_log_c(loss_fn, C):
    _, X, y = random_problem(0, N=8, D=5, C=C)
    loss, dW = loss_fn(np.zeros((5, C)), X, y, 3.0)
    assert loss == pytest.approx(math.log(C), rel=1e-12)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_course_notes_example(loss_fn):
    # scores (3.2, 5.1, -1.7) for the cat image (label 0), from x = [1, 2] and a matching W
    x = np.array([[1.0, 2.0]])
    B = np.array([0.5, 1.0, -0.5])
    W = np.vstack([np.array([3.2, 5.1, -1.7]) - 2 * B, B])
    loss, dW = loss_fn(W, x, np.array([0]), 0.0)
    exps = [math.exp(3.2), math.exp(5.1), math.exp(-1.7)]
    assert loss == pytest.approx(-math.log(exps[0] / sum(exps)), rel=1e-12)   # about 2.04
    p = np.array(exps) / sum(exps)
    np.testing.assert_allclose(dW, np.outer(x[0], p - [1.0, 0.0, 0.0]), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_data_loss_equals_sklearn_log_loss(loss_fn, seed):
    W, X, y = random_problem(seed, N=30, D=6, C=5, w_scale=1.0)
    y[y == 4] = 0             # class 4 has no example: labels= tells log_loss that C is still 5
    expected = log_loss(y, softmax(X @ W, axis=1), labels=range(5))
    assert loss_fn(W, X, y, 0.0)[0] == pytest.approx(expected, rel=1e-10)


def test_gradient_vanishes_at_the_logistic_regression_optimum():
    # sklearn minimizes  sum_i L_i + ||W||^2 / (2 C_sk);  with C_sk = 1 / (2 reg N) that is N * (our loss).
    W0, X, y = random_problem(5, N=80, D=5, C=4)
    N, reg = X.shape[0], 0.05
    clf = LogisticRegression(C=1.0 / (2 * reg * N), fit_intercept=False, solver="lbfgs", tol=1e-12,
                             max_iter=10_000).fit(X, y)
    W_opt = clf.coef_.T.copy()
    assert W_opt.shape == (5, 4)
    _, grad_at_zero = softmax_loss_vectorized(np.zeros_like(W_opt), X, y, reg)
    scale = np.linalg.norm(grad_at_zero)
    _, grad_at_opt = softmax_loss_vectorized(W_opt, X, y, reg)
    assert np.linalg.norm(grad_at_opt) < 1e-5 * scale
    # ... and this test can tell: a wrong regularization convention (reg / 2) moves the optimum
    _, grad_half_reg = softmax_loss_vectorized(W_opt, X, y, reg / 2)
    assert np.linalg.norm(grad_half_reg) > 1e-2 * scale


# --- softmax and log_softmax --------------------------------------------------------------------

@FAST
@given(scores=score_arrays())
def test_softmax_is_a_distribution_without_nan(scores):
    before = scores.tobytes()
    p = softmax(scores, axis=1)
    log_softmax(scores, axis=1)
    assert scores.tobytes() == before, "the scores must not be modified"
    assert p.dtype == scores.dtype
    assert np.isfinite(p).all()
    assert ((p >= 0) & (p <= 1)).all()
    tol = 1e-5 if scores.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=tol)
    np.testing.assert_allclose(p, scipy.special.softmax(scores.astype(np.float64), axis=1),
                               rtol=10 * tol, atol=10 * tol)


@FAST
@given(scores=score_arrays())
def test_log_softmax_is_finite_and_matches_logsumexp(scores):
    lp = log_softmax(scores, axis=1)
    assert lp.dtype == scores.dtype
    assert np.isfinite(lp).all()
    assert (lp <= 0).all()
    s64 = scores.astype(np.float64)
    expected = s64 - scipy.special.logsumexp(s64, axis=1, keepdims=True)
    tol = 1e-6 * max(1.0, np.abs(s64).max()) if scores.dtype == np.float32 else 1e-9
    np.testing.assert_allclose(lp, expected, rtol=0, atol=tol)


@FAST
@given(scores=score_arrays(max_abs=100.0),
       shift=st.floats(-1e3, 1e3, allow_nan=False))
def test_softmax_is_shift_invariant(scores, shift):
    scores = scores.astype(np.float64)
    row_shift = shift * np.linspace(-1.0, 1.0, scores.shape[0])[:, None]   # a different constant per row
    np.testing.assert_allclose(softmax(scores + row_shift, axis=1), softmax(scores, axis=1),
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(log_softmax(scores + row_shift, axis=1), log_softmax(scores, axis=1),
                               rtol=1e-9, atol=1e-9)


def test_softmax_axis_and_integer_input():
    scores = np.array([[1, 2, 3], [1, 1, 1]])
    p0 = softmax(scores, axis=0)
    assert p0.dtype == np.float64
    np.testing.assert_allclose(p0.sum(axis=0), 1.0)
    np.testing.assert_allclose(softmax([0.0, 0.0, 0.0, 0.0]), 0.25)
    np.testing.assert_allclose(np.exp(log_softmax(scores)), softmax(scores))


@pytest.mark.parametrize("fn", [softmax, log_softmax])
@pytest.mark.parametrize("bad, match", [
    (np.zeros((0, 3)), "scores is empty"),
    (np.array([[0.0, np.nan]]), "scores contains NaN"),
    (np.array([[0.0, -np.inf]]), "scores contains NaN or infinity"),
])
def test_softmax_bad_scores(fn, bad, match):
    with pytest.raises(ValueError, match=match):
        fn(bad)


# --- loss properties ----------------------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", LOSSES)
@FAST
@given(problem=loss_problems())
def test_properties(loss_fn, problem):
    W, X, y, reg = problem
    before = [a.tobytes() for a in (W, X, y)]
    loss, dW = loss_fn(W, X, y, reg)
    assert [a.tobytes() for a in (W, X, y)] == before, "the inputs must not be modified"
    assert type(loss) is float
    assert loss >= 0.0
    assert dW.shape == W.shape
    assert dW.dtype == W.dtype
    assert np.isfinite(dW).all()


@pytest.mark.parametrize("loss_fn", LOSSES)
@FAST
@given(problem=loss_problems(max_abs=1.0, max_classes=6))
def test_loss_finite_for_scores_up_to_1e4(loss_fn, problem):
    W, X, y, _ = problem
    top = np.abs(X.astype(np.float64) @ W.astype(np.float64)).max()
    assume(top > 1e-3)                         # otherwise scaling X up would overflow X itself
    X = (X * (1e4 / top)).astype(X.dtype)      # now the largest |score| is about 1e4
    assert np.abs(X.astype(np.float64) @ W).max() == pytest.approx(1e4, rel=1e-3)
    loss, dW = loss_fn(W, X, y, 0.0)
    assert np.isfinite(loss)
    assert loss >= 0.0
    assert np.isfinite(dW).all()
    assert dW.dtype == W.dtype


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_scores_give_the_margin_as_loss(loss_fn, dtype):
    # scores (1e4, 0) with the label on the small one: the loss is 1e4 (not inf, not nan)
    W = np.array([[1e4, 0.0]], dtype=dtype)
    X = np.ones((1, 1), dtype=dtype)
    loss, dW = loss_fn(W, X, np.array([1]), 0.0)
    assert loss == pytest.approx(1e4, rel=1e-6)
    np.testing.assert_allclose(dW, [[1.0, -1.0]], atol=1e-6)
    assert dW.dtype == dtype
