"""Every bad-input path of the loss functions raises ValueError naming the argument."""

import functools
import inspect

import numpy as np
import pytest

from cs231n_lin._validation import check_scalar, validated_loss
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


# --- the validated_loss decorator: loss bodies are math only -----------------------------------

def _decorated(result, **kwargs):
    """A loss named like a student's whose body returns ``result`` (called with W, X, y, reg)."""
    @validated_loss(**kwargs)
    def svm_loss_naive(W, X, y, reg, delta=1.0):
        return result(W, X, y, reg) if callable(result) else result
    return svm_loss_naive


@pytest.mark.parametrize("result, error, match", [
    (None, TypeError, r"svm_loss_naive returned None: did you forget `return loss, dW`"),
    ((1.0,), TypeError, r"svm_loss_naive must return the pair `loss, dW`; it returned a tuple of length 1"),
    (1.0, TypeError, r"must return the pair `loss, dW`; it returned a float"),
    ((1.0, None), TypeError, r"returned dW = None"),
    ((np.ones((1, 1)), np.zeros((3, 4))), ValueError, r"a loss of shape \(1, 1\); the loss must be one"),
    ((1.0, np.zeros((4, 3))), ValueError, r"dW of shape \(4, 3\) \(transposed\?\); it must have the shape"),
    ((1.0, np.zeros(12)), ValueError, r"dW of shape \(12,\); it must have the shape of W, \(3, 4\)"),
])
def test_a_wrong_return_is_named_for_the_student(result, error, match):
    with pytest.raises(error, match=match):
        _decorated(result)(W, X, Y, REG)


def test_not_written_yet_passes_through_unchanged():
    def stub(W, X, y, reg):
        raise NotImplementedError("write svm_loss_naive")
    with pytest.raises(NotImplementedError, match="^write svm_loss_naive$"):
        _decorated(stub)(W, X, Y, REG)


def test_the_body_gets_checked_arrays_and_the_caller_gets_the_contract():
    seen = {}

    def body(W_, X_, y_, reg_):
        seen.update(W=W_, X=X_, y=y_, reg=reg_)
        return np.float32(2.5), np.ones(W_.shape, dtype=np.float64)   # float64 dW from float32 W

    loss, dW = _decorated(body)(W.astype(np.float32), X.tolist(),
                                Y.tolist(), np.float32(0.25))
    assert isinstance(seen["X"], np.ndarray) and isinstance(seen["y"], np.ndarray)
    assert type(seen["reg"]) is float and seen["reg"] == 0.25
    assert type(loss) is float and loss == 2.5
    assert dW.dtype == np.float32


def test_nonnegative_parameters_are_checked_and_passed_as_floats():
    seen = []

    @validated_loss(nonnegative=("delta",))
    def loss_fn(W, X, y, reg, delta=1.0):
        seen.append(delta)
        return 0.0, np.zeros_like(W)

    loss_fn(W, X, Y, REG, np.float32(0.5))
    loss_fn(W, X, Y, REG)
    assert seen == [0.5, 1.0] and all(type(d) is float for d in seen)
    with pytest.raises(ValueError, match=r"delta must be >= 0"):
        loss_fn(W, X, Y, REG, delta=-1)
    with pytest.raises(TypeError, match=r"loss_fn\(\) got an unexpected keyword argument 'squared'"):
        loss_fn(W, X, Y, REG, squared=True)
    with pytest.raises(TypeError, match=r"loss_fn\(\) missing required argument: 'reg'"):
        loss_fn(W, X, Y)
    with pytest.raises(TypeError, match=r"multiple values for argument 'delta'"):
        loss_fn(W, X, Y, REG, 0.5, delta=0.5)
    loss_fn(X=X, W=W, reg=REG, y=Y, delta=np.float64(2.0))            # all by keyword
    assert seen[-1] == 2.0 and type(seen[-1]) is float


def test_nan_in_X_is_named_with_and_without_the_up_front_scan():
    def ignores_x(W_, X_, y_, reg_):            # a loop over "NaN > 0" margins skips the NaN
        return 0.0, np.zeros_like(W_)

    def uses_x(W_, X_, y_, reg_):               # any gradient X.T @ dscores carries a NaN of X
        return 0.0, X_.T @ np.ones((X_.shape[0], W_.shape[1]))

    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        _decorated(ignores_x, scan_X=True)(W, with_nan(X), Y, REG)
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        _decorated(uses_x)(W, with_nan(X), Y, REG)


def test_the_decorated_function_keeps_its_name_docstring_and_signature():
    assert svm_loss_naive.__name__ == "svm_loss_naive" and "explicit loops" in svm_loss_naive.__doc__
    assert inspect.signature(svm_loss_naive) == inspect.signature(svm_loss_naive.__wrapped__)
    assert list(inspect.signature(softmax_loss_vectorized).parameters) == ["W", "X", "y", "reg"]


def test_the_decorator_refuses_a_function_that_is_not_a_loss():
    with pytest.raises(TypeError, match=r"a loss takes \(W, X, y, reg, ...\)"):
        validated_loss()(lambda scores, y: 0.0)
    with pytest.raises(TypeError, match="has no parameter 'delta'"):
        validated_loss(nonnegative=("delta",))(lambda W, X, y, reg: 0.0)
