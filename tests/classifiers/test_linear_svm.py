"""Tests of the multiclass SVM losses: naive vs vectorized, numeric gradients, exact values, properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from loss_problems import (
    assert_gradient_check_has_teeth,
    kink_free_problem,
    loss_problems,
    margins,
    random_problem,
)

from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized

LOSSES = [svm_loss_naive, svm_loss_vectorized]
FAST = settings(max_examples=40, deadline=None)


# --- naive == vectorized ------------------------------------------------------------------------

@pytest.mark.parametrize("delta", [0.0, 1.0, 2.5])
@pytest.mark.parametrize("squared", [False, True])
@pytest.mark.parametrize("reg", [0.0, 0.1, 3.0])
def test_naive_equals_vectorized(delta, squared, reg):
    for seed in range(3):
        W, X, y = random_problem(seed, N=17, D=6, C=4)
        m = margins(W, X, y, delta)
        assert (m > 0).any() and (m < 0).any(), "the problem should have active and inactive margins"
        loss_n, dW_n = svm_loss_naive(W, X, y, reg, delta=delta, squared=squared)
        loss_v, dW_v = svm_loss_vectorized(W, X, y, reg, delta=delta, squared=squared)
        ratio = f" = {loss_v / loss_n:.4g} x naive" if loss_n else ""
        assert loss_v == pytest.approx(loss_n, rel=1e-10, abs=1e-12), (
            f"svm_loss_vectorized and svm_loss_naive disagree (N={X.shape[0]}, reg={reg}, delta={delta}, "
            f"squared={squared}): vectorized loss {loss_v:.6g}{ratio}, naive loss {loss_n:.6g}")
        np.testing.assert_allclose(dW_v, dW_n, rtol=1e-10, atol=1e-12 * np.abs(dW_n).max())


# --- numeric gradients --------------------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("squared", [False, True])
@pytest.mark.parametrize("reg", [0.5, 5.0])
def test_gradient_matches_numeric_and_a_wrong_reg_term_fails(loss_fn, squared, reg):
    delta = 1.0
    W, X, y = kink_free_problem(10, delta, N=9, D=4, C=3, w_scale=1.0)

    def correct(w):
        return loss_fn(w, X, y, reg, delta=delta, squared=squared)

    assert_gradient_check_has_teeth(correct, W, reg)


# --- exact values -------------------------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("C", [2, 3, 10])
@pytest.mark.parametrize("delta", [0.5, 1.0, 3.0])
def test_zero_weights_give_c_minus_one_times_delta(loss_fn, C, delta):
    _, X, y = random_problem(0, N=8, D=5, C=C)
    W = np.zeros((5, C))
    assert loss_fn(W, X, y, 2.0, delta=delta)[0] == pytest.approx((C - 1) * delta, rel=1e-12)
    assert loss_fn(W, X, y, 2.0, delta=delta, squared=True)[0] == pytest.approx(
        (C - 1) * delta**2, rel=1e-12
    )


# The three-example illustration of the course notes: scores of (cat, car, frog) images,
# classes in the order (cat, car, frog). With X = identity, row i of W is example i's scores.
NOTES_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
NOTES_LABELS = np.array([0, 1, 2])


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_course_notes_example_hinge(loss_fn):
    # The cat example alone, from a two-feature x and a W chosen so that x @ W = (3.2, 5.1, -1.7).
    x = np.array([[1.0, 2.0]])
    B = np.array([0.5, 1.0, -0.5])
    W = np.vstack([NOTES_SCORES[0] - 2 * B, B])
    np.testing.assert_allclose(x @ W, NOTES_SCORES[:1], rtol=1e-14)
    loss, dW = loss_fn(W, x, np.array([0]), 0.0)
    # max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1)
    assert loss == pytest.approx(2.9, abs=1e-12)
    np.testing.assert_allclose(dW, np.outer(x[0], [-1.0, 1.0, 0.0]), atol=1e-12)

    # All three: losses 2.9, 0 and 12.9, averaged.
    loss, dW = loss_fn(NOTES_SCORES.copy(), np.eye(3), NOTES_LABELS, 0.0)
    assert loss == pytest.approx((2.9 + 0.0 + 12.9) / 3, abs=1e-12)
    expected = np.array([[-1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, -2.0]]) / 3
    np.testing.assert_allclose(dW, expected, atol=1e-12)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_course_notes_example_squared_hinge(loss_fn):
    loss, dW = loss_fn(NOTES_SCORES.copy(), np.eye(3), NOTES_LABELS, 0.0, squared=True)
    # cat: 2.9^2; car: no active margin; frog: 6.3^2 + 6.6^2
    assert loss == pytest.approx((2.9**2 + 0.0 + 6.3**2 + 6.6**2) / 3, abs=1e-12)
    expected = np.array([[-5.8, 5.8, 0.0], [0.0, 0.0, 0.0], [12.6, 13.2, -25.8]]) / 3
    np.testing.assert_allclose(dW, expected, atol=1e-12)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_regularization_adds_reg_times_squared_norm(loss_fn):
    W, X, y = random_problem(3)
    loss0, dW0 = loss_fn(W, X, y, 0.0)
    loss1, dW1 = loss_fn(W, X, y, 0.7)
    assert loss1 - loss0 == pytest.approx(0.7 * np.sum(W * W), rel=1e-12)
    np.testing.assert_allclose(dW1 - dW0, 1.4 * W, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_margin_exactly_zero_contributes_nothing(loss_fn):
    # scores (1, 2, 0), label 0, delta 1: class 1 has margin 2 > 0, class 2 has margin exactly 0.
    W = np.array([[1.0, 2.0, 0.0]])
    x = np.array([[1.0]])
    loss, dW = loss_fn(W, x, np.array([0]), 0.0)
    assert loss == 2.0
    np.testing.assert_array_equal(dW, [[-1.0, 1.0, 0.0]])
    # The same margin just above 0 does count: the zero above is the convention at the kink.
    _, dW_above = loss_fn(W, x, np.array([0]), 0.0, delta=1.0 + 1e-9)
    np.testing.assert_allclose(dW_above, [[-2.0, 1.0, 1.0]])
    # With delta = 0 and W = 0 every margin is 0: no loss and no gradient at all.
    loss, dW = loss_fn(np.zeros((4, 3)), np.ones((5, 4)), np.array([0, 1, 2, 0, 1]), 0.0, delta=0.0)
    assert loss == 0.0
    assert not dW.any()


# --- properties ---------------------------------------------------------------------------------

@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("squared", [False, True])
@FAST
@given(problem=loss_problems())
def test_properties(loss_fn, squared, problem):
    W, X, y, reg = problem
    before = [a.tobytes() for a in (W, X, y)]
    loss, dW = loss_fn(W, X, y, reg, delta=1.0, squared=squared)
    assert [a.tobytes() for a in (W, X, y)] == before, "the inputs must not be modified"
    assert type(loss) is float
    assert loss >= 0.0
    assert np.isfinite(loss)
    assert dW.shape == W.shape
    assert dW.dtype == W.dtype
    assert np.isfinite(dW).all()


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_follows_w(loss_fn, dtype):
    W, X, y = random_problem(0, dtype=dtype)
    assert loss_fn(W, X, y, 0.1)[1].dtype == dtype
    # float64 data with float32 weights: the gradient is still float32, like W
    assert loss_fn(W.astype(np.float32), X.astype(np.float64), y, 0.1)[1].dtype == np.float32
