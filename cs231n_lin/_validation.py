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
    if not np.issubdtype(W.dtype, np.floating):
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


def check_loss_inputs(W, X, y, reg) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
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

    Returns
    -------
    W, X, y, reg
        The same data as arrays (no copies are made).
    """
    W = check_weights(W)
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (N, D); got {X.ndim}-D with shape {X.shape}")
    if not (np.issubdtype(X.dtype, np.floating) or np.issubdtype(X.dtype, np.integer)):
        raise ValueError(f"X must hold real numbers; got dtype {X.dtype}")
    if X.shape[0] == 0:
        raise ValueError("X is empty: N == 0, so the average loss is undefined")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinity")
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
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class indices; got dtype {y.dtype}")
    C = W.shape[1]
    if y.min() < 0 or y.max() >= C:
        bad = y[(y < 0) | (y >= C)][0]
        raise ValueError(f"y must be in [0, {C}) (C={C} classes, the columns of W); found label {bad}")
    reg = check_scalar(reg, "reg")
    return W, X, y, reg


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
