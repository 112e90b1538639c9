"""Every bad-input path of the loss functions raises ValueError naming the argument."""

import functools

import numpy as np
import pytest

from cs231n_lin._validation import check_scalar
from cs231n_lin.classifiers import (
    softmax_loss_naive,
    softmax_loss_vectorized,
    svm_loss_naive,
    svm_loss_vectorized,
)

LOSSES = [svm_loss_naive, svm_loss_vectorized, softmax_loss_naive, softmax_loss_vectorized]
SVM_LOSSES = LOSSES[:2]


def good():
    """A valid problem: D=3, C=4, N=5."""
    rng = np.random.default_rng(0)
    return rng.standard_normal((3, 4)), rng.standard_normal((5, 3)), np.array([0, 1, 2, 3, 0]), 0.1


def with_nan(a, value=np.nan):
    a = a.copy()
    a[1, 1] = value
    return a


W, X, Y, REG = good()

BAD_INPUTS = {
    # name: (W, X, y, reg, message pattern)
    "W 1-D": (W[:, 0], X, Y, REG, r"W must be a 2-D array"),
    "W 3-D": (W[None], X, Y, REG, r"W must be a 2-D array"),
    "W integer": (W.astype(int), X, Y, REG, r"W must be a floating-point array"),
    "W no columns": (W[:, :0], X, Y, REG, r"W must have at least one column"),
    "W nan": (with_nan(W), X, Y, REG, r"W contains NaN or infinity"),
    "W inf": (with_nan(W, np.inf), X, Y, REG, r"W contains NaN or infinity"),
    "X 1-D": (W, X[0], Y, REG, r"X must be a 2-D array"),
    "X strings": (W, X.astype(str), Y, REG, r"X must hold real numbers"),
    "X complex": (W, X.astype(complex), Y, REG, r"X must hold real numbers"),
    "X empty (N == 0)": (W, X[:0], Y[:0], REG, r"X is empty: N == 0"),
    "X/W mismatch": (W, X[:, :2], Y, REG, r"X and W do not agree.*bias column"),
    "X nan": (W, with_nan(X), Y, REG, r"X contains NaN or infinity"),
    "X inf": (W, with_nan(X, np.inf), Y, REG, r"X contains NaN or infinity"),
    "X -inf": (W, with_nan(X, -np.inf), Y, REG, r"X contains NaN or infinity"),
    "y 2-D": (W, X, Y[:, None], REG, r"y must be a 1-D array"),
    "y too short": (W, X, Y[:3], REG, r"y has 3 labels but X has N=5"),
    "y float": (W, X, Y.astype(float), REG, r"y must hold integer class indices"),
    "y bool": (W, X, Y > 0, REG, r"y must hold integer class indices"),
    "y negative": (W, X, np.array([0, 1, -1, 3, 0]), REG, r"y must be in \[0, 4\).*found label -1"),
    "y == C": (W, X, np.array([0, 1, 4, 3, 0]), REG, r"y must be in \[0, 4\).*found label 4"),
    "reg negative": (W, X, Y, -0.1, r"reg must be >= 0"),
    "reg nan": (W, X, Y, float("nan"), r"reg must be finite"),
    "reg inf": (W, X, Y, np.inf, r"reg must be finite"),
    "reg string": (W, X, Y, "0.1", r"reg must be a real number"),
    "reg bool": (W, X, Y, True, r"reg must be a real number"),
    "reg None": (W, X, Y, None, r"reg must be a real number"),
}


@pytest.mark.parametrize("loss_fn", LOSSES)
@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_raises_value_error_naming_it(loss_fn, case):
    W_, X_, y_, reg, match = BAD_INPUTS[case]
    with pytest.raises(ValueError, match=match):
        loss_fn(W_, X_, y_, reg)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_the_good_problem_is_accepted(loss_fn):
    # the cases above differ from this one in a single argument
    loss, dW = loss_fn(W, X, Y, REG)
    assert np.isfinite(loss)


@pytest.mark.parametrize("loss_fn", SVM_LOSSES)
@pytest.mark.parametrize("delta, match", [
    (-0.5, r"delta must be >= 0"),
    (float("nan"), r"delta must be finite"),
    (np.inf, r"delta must be finite"),
    ("1", r"delta must be a real number"),
])
def test_bad_delta(loss_fn, delta, match):
    with pytest.raises(ValueError, match=match):
        loss_fn(W, X, Y, REG, delta=delta)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize("loss_fn", LOSSES)
def test_overflowing_scores_are_reported(loss_fn):
    # finite W and X whose scores overflow float64
    with pytest.raises(ValueError, match=r"scores X @ W overflowed.*learning rate"):
        loss_fn(np.full((3, 4), 1e200) * [1, -1, 1, -1], np.full((5, 3), 1e200), Y, 0.0)


@pytest.mark.parametrize("loss_fn", LOSSES)
def test_numpy_scalars_and_integers_are_fine(loss_fn):
    a = loss_fn(W, X, Y.astype(np.int32), np.float32(0.1))[0]
    b = loss_fn(W, X, Y, 0.1)[0]
    assert a == pytest.approx(b, rel=1e-6)
    assert loss_fn(W, X.round().astype(int), Y, 0)[1].dtype == np.float64   # integer X is data too


def test_check_scalar_minimum_and_name():
    check = functools.partial(check_scalar, name="learning_rate", minimum=1e-3)
    assert check(0.5) == 0.5
    assert type(check(np.float32(0.5))) is float
    with pytest.raises(ValueError, match=r"learning_rate must be >= 0.001; got 0.0001"):
        check(1e-4)
