"""Input checks shared by every loss function (the contract's "bad input" rules).

Each check raises :class:`ValueError` whose message names the argument and says what is
wrong, in words a student can act on. The checks are cheap: nothing here copies ``X``.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_weights(W) -> np.ndarray:
    """Return ``W`` as a floating 2-D array, or raise ``ValueError``."""
    W = np.asarray(W)
    if W.ndim != 2:
        raise ValueError(f"W must be a 2-D array of shape (D, C); got {W.ndim}-D with shape {W.shape}")
    if W.dtype.kind != "f":
        raise ValueError(f"W must be a floating-point array (float32 or float64); got dtype {W.dtype}")
    if W.shape[1] < 1:
        raise ValueError("W must have at least one column (one per class); got shape " f"{W.shape}")
    if not np.isfinite(W).all():
        raise ValueError("W contains NaN or infinity")
    return W


def check_scalar(value, name: str, *, minimum: float = 0.0) -> float:
    """Return ``value`` as a float if it is a finite real number ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | np.number):
        raise ValueError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum:g}; got {value:g}")
    return value


def _all_finite(X: np.ndarray) -> bool:
    """Whether a float array holds no NaN or infinity, in one pass without an N x D temporary.

    A NaN or infinity anywhere makes the sum non-finite; only when the sum is not finite (which
    finite values that overflow can also cause) is every element checked.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(X)):
            return True
    return bool(np.isfinite(X).all())


def check_loss_inputs(
    W, X, y, reg, *, check_finite_X: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Validate the arguments of a loss function.

    Parameters
    ----------
    W : array-like of shape (D, C)
        Weights, floating point and finite.
    X : array-like of shape (N, D)
        Data, real-valued and finite. Checked here, before any arithmetic: a NaN in ``X`` does
        not always reach the loss (``NaN > 0`` is False, so a loop over hinge margins skips it).
    y : array-like of shape (N,)
        Integer labels in ``[0, C)``.
    reg : float
        Regularization strength, ``>= 0``.
    check_finite_X : bool, default=True
        Scan ``X`` for NaN/inf here. The vectorized losses pass False and call
        :func:`check_scores` on ``X @ W`` instead: a NaN or inf anywhere in a row of ``X`` makes
        that row's scores non-finite, so the N x C scores reveal it without another pass over
        the N x D data (which would cost as much as a third matrix product).

    Returns
    -------
    W, X, y, reg
        The same data as arrays (no copies are made).
    """
    W = check_weights(W)
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (N, D); got {X.ndim}-D with shape {X.shape}")
    if X.dtype.kind not in "fiu":
        raise ValueError(f"X must hold real numbers; got dtype {X.dtype}")
    if X.shape[0] == 0:
        raise ValueError("X is empty: N == 0, so the average loss is undefined")
    if check_finite_X and X.dtype.kind == "f" and not _all_finite(X):
        raise ValueError("X contains NaN or infinity")
    if X.shape[1] != W.shape[0] and X.shape[1] == W.shape[1]:
        raise ValueError(
            f"X and W do not agree: X has D={X.shape[1]} columns but W has {W.shape[0]} rows; W has "
            f"shape {W.shape}, did you pass W transposed? W must be (D, C) = ({X.shape[1]}, C)"
        )
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X and W do not agree: X has D={X.shape[1]} columns but W has {W.shape[0]} rows "
            f"(X is {X.shape}, W is {W.shape}; did you forget the bias column?)"
        )
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of N labels; got shape {y.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} labels but X has N={X.shape[0]} rows")
    if y.dtype.kind not in "iu":
        raise ValueError(f"y must hold integer class indices; got dtype {y.dtype}")
    C = W.shape[1]
    if y.min() < 0 or y.max() >= C:
        bad = y[(y < 0) | (y >= C)][0]
        raise ValueError(f"y must be in [0, {C}) (C={C} classes, the columns of W); found label {bad}")
    reg = check_scalar(reg, "reg")
    return W, X, y, reg


def check_scores(scores: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Raise ``ValueError`` if the scores ``X @ W`` (N, C) are not all finite; return them.

    With finite ``W`` (checked by :func:`check_loss_inputs`), non-finite scores mean that
    ``X`` holds NaN or inf, or that the product overflowed; the message says which.
    """
    if np.isfinite(scores).all():
        return scores
    if X.dtype.kind == "f" and not _all_finite(X):
        raise ValueError("X contains NaN or infinity")
    raise ValueError(
        "the scores X @ W overflowed although W and X are finite "
        "(if this happens while training, the learning rate is probably too large)"
    )


def finish_loss(loss, dW, W: np.ndarray, X: np.ndarray) -> tuple[float, np.ndarray]:
    """Return ``(float(loss), dW)`` with ``dW`` in ``W``'s dtype, checking both are finite.

    A non-finite result means either ``X`` holds NaN/inf (named as such) or the scores
    overflowed, which in training usually means the learning rate is too large.
    """
    loss = float(loss)
    dW = np.asarray(dW, dtype=W.dtype)
    if np.isfinite(loss) and np.isfinite(dW).all():
        return loss, dW
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinity")
    raise ValueError(
        "the loss or its gradient is not finite although W and X are: the scores X @ W overflowed "
        "(if this happens while training, the learning rate is probably too large)"
    )
