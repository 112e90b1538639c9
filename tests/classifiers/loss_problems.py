"""Random loss-function problems shared by the classifier tests: plain makers and hypothesis strategies."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def random_problem(seed: int, N: int = 13, D: int = 7, C: int = 5, *, w_scale: float = 0.5,
                   dtype=np.float64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(W, X, y)`` with Gaussian ``W`` (scaled by ``w_scale``) and ``X``, uniform labels."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D)).astype(dtype)
    W = (w_scale * rng.standard_normal((D, C))).astype(dtype)
    y = rng.integers(0, C, size=N)
    return W, X, y


def margins(W: np.ndarray, X: np.ndarray, y: np.ndarray, delta: float) -> np.ndarray:
    """The hinge margins ``s_j - s_y + delta`` of the classes ``j != y_i``, flattened.

    One example and one class at a time, on purpose: this file is shipped to students, and
    the vectorized margin computation is theirs to write.
    """
    out = []
    for x_i, y_i in zip(X, y, strict=True):
        s = [float(np.dot(x_i, W[:, j])) for j in range(W.shape[1])]
        out.extend(s[j] - s[y_i] + delta for j in range(W.shape[1]) if j != y_i)
    return np.array(out)


def kink_free_problem(seed: int, delta: float, min_gap: float = 1e-3, **kwargs):
    """Like :func:`random_problem`, but no margin is within ``min_gap`` of the kink at 0
    (so centered differences see a single slope), and some margins are on each side."""
    for s in range(seed, seed + 1000):
        W, X, y = random_problem(s, **kwargs)
        m = margins(W, X, y, delta)
        if np.abs(m).min() > min_gap and (m > 0).any() and (m < 0).any():
            return W, X, y
    raise AssertionError("no kink-free problem found")  # pragma: no cover


FLOAT_DTYPES = st.sampled_from([np.float32, np.float64])


def assert_gradient_check_has_teeth(correct, W: np.ndarray, reg: float) -> None:
    """``correct(w) -> (loss, dW)`` passes a numeric gradient check at ``W``, and the same check
    fails for the two classic regularization mistakes (``reg * W`` in dW; no reg in the loss)."""
    from cs231n_lin.gradient_check import eval_numerical_gradient, rel_error

    def check(fn):
        _, dW = fn(W)
        return rel_error(eval_numerical_gradient(lambda w: fn(w)[0], W), dW)

    def grad_with_reg_not_doubled(w):          # dW uses reg * W instead of 2 * reg * W
        loss, dW = correct(w)
        return loss, dW - reg * w

    def loss_without_reg(w):                   # the loss forgets reg * sum(W * W)
        loss, dW = correct(w)
        return loss - reg * float(np.sum(w * w)), dW

    assert check(correct) < 1e-7
    assert check(grad_with_reg_not_doubled) > 1e-3
    assert check(loss_without_reg) > 1e-3


def _floats(dtype, max_abs: float):
    return st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False,
                     width=32 if dtype == np.float32 else 64)


@st.composite
def loss_problems(draw, max_abs: float = 10.0, max_classes: int = 5):
    """A valid ``(W, X, y, reg)`` of random small shape and float dtype (both arrays share it)."""
    dtype = draw(FLOAT_DTYPES)
    N = draw(st.integers(1, 6))
    D = draw(st.integers(1, 5))
    C = draw(st.integers(1, max_classes))
    W = draw(hnp.arrays(dtype, (D, C), elements=_floats(dtype, max_abs)))
    X = draw(hnp.arrays(dtype, (N, D), elements=_floats(dtype, max_abs)))
    y = draw(hnp.arrays(np.int64, (N,), elements=st.integers(0, C - 1)))
    reg = draw(st.floats(0.0, 10.0))
    return W, X, y, reg


@st.composite
def score_arrays(draw, max_abs: float = 1e4):
    """2-D finite scores of either float dtype with entries in ``[-max_abs, max_abs]``."""
    dtype = draw(FLOAT_DTYPES)
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6))
    return draw(hnp.arrays(dtype, shape, elements=_floats(dtype, max_abs)))
