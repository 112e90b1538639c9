"""Input checks shared by every loss function (the contract's "bad input" rules).

Each check raises :class:`ValueError` whose message names the argument and says what is
wrong, in words a student can act on. The checks are cheap: nothing here copies ``X``.
:func:`validated_loss` wraps a loss with all of them, so that its body is the math only.
"""

from __future__ import annotations

import functools
import inspect
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
        Scan ``X`` for NaN/inf here. The vectorized losses pass False: a NaN or inf anywhere in
        ``X`` reaches every column of the gradient ``X.T @ dscores`` (``NaN * 0`` is NaN), so
        :func:`finish_loss` reveals it without another pass over the N x D data (which would
        cost as much as a third matrix product).

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


def finish_loss(loss, dW, W: np.ndarray, X: np.ndarray) -> tuple[float, np.ndarray]:
    """Return ``(float(loss), dW)`` with ``dW`` in ``W``'s dtype, checking both are finite.

    A non-finite result means either ``X`` holds NaN/inf (named as such) or the scores
    overflowed, which in training usually means the learning rate is too large.
    """
    loss = float(loss)
    dW = np.asarray(dW, dtype=W.dtype)
    if np.isfinite(loss) and np.isfinite(dW).all():
        return loss, dW
    if X.dtype.kind == "f" and not _all_finite(X):
        raise ValueError("X contains NaN or infinity")
    raise ValueError(
        "the loss or its gradient is not finite although W and X are: the scores X @ W overflowed "
        "(if this happens while training, the learning rate is probably too large)"
    )


def _check_returned(name: str, result, W: np.ndarray):
    """``(loss, dW)`` from what a loss function ``name`` returned, or an error a student can act on."""
    if result is None:
        raise TypeError(f"{name} returned None: did you forget `return loss, dW` at the end?")
    if not isinstance(result, tuple | list) or len(result) != 2:
        got = f"a {type(result).__name__}" + (f" of length {len(result)}" if isinstance(result, tuple | list)
                                              else "")
        raise TypeError(f"{name} must return the pair `loss, dW`; it returned {got}")
    loss, dW = result
    if loss is None or dW is None:
        which = "loss" if loss is None else "dW"
        raise TypeError(f"{name} returned {which} = None: is it computed before `return loss, dW`?")
    if np.ndim(loss) != 0:
        raise ValueError(
            f"{name} returned a loss of shape {np.shape(loss)}; the loss must be one number "
            "(the mean over the examples plus the regularization)"
        )
    if np.shape(dW) != W.shape:
        hint = " (transposed?)" if np.shape(dW) == W.shape[::-1] else ""
        raise ValueError(
            f"{name} returned dW of shape {np.shape(dW)}{hint}; it must have the shape of W, {W.shape}"
        )
    return loss, dW


def validated_loss(*, scan_X: bool = False, nonnegative: tuple[str, ...] = ()):
    """Decorate a loss ``f(W, X, y, reg, ...) -> (loss, dW)`` with the contract's checks.

    The decorated function's body is the math only. Before it runs, ``W, X, y, reg`` go through
    :func:`check_loss_inputs` (and every name in ``nonnegative`` through :func:`check_scalar`), so
    the body receives arrays and floats; after it returns, its ``(loss, dW)`` is checked (a clear
    message for ``None``, a missing ``dW``, a loss that is not one number, a ``dW`` not shaped like
    ``W``) and goes through :func:`finish_loss` (Python float loss, ``dW`` in ``W``'s dtype, finite).

    Parameters
    ----------
    scan_X : bool, default=False
        Scan ``X`` for NaN/inf before the body runs. Loops that compare margins need it
        (``NaN > 0`` is False, so a NaN can vanish). Without it, a NaN/inf in ``X`` still shows
        up, for free, as a non-finite loss that :func:`finish_loss` names.
    nonnegative : tuple of str
        Keyword parameters of the body that must be finite real numbers ``>= 0`` (e.g. ``delta``).

    Returns
    -------
    callable
        ``decorator(f)``; the decorated function keeps ``f``'s name, docstring and signature,
        and ``f`` itself is its ``__wrapped__``.

    Examples
    --------
    >>> @validated_loss(nonnegative=("delta",))
    ... def zero_loss(W, X, y, reg, delta=1.0):
    ...     return 0.0, np.zeros_like(W)
    >>> zero_loss(np.ones((2, 3), np.float32), np.ones((4, 2)), np.array([0, 1, 2, 0]), 0.0)[1].dtype
    dtype('float32')
    """

    def decorator(fn):
        signature = inspect.signature(fn)
        names = list(signature.parameters)
        if names[:4] != ["W", "X", "y", "reg"]:
            raise TypeError(f"{fn.__name__}: a loss takes (W, X, y, reg, ...); got {signature}")
        for name in nonnegative:
            if name not in signature.parameters:
                raise TypeError(f"{fn.__name__} has no parameter {name!r} to check")
        checked = ("W", "X", "y", "reg", *nonnegative)
        if any(signature.parameters[n].kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD for n in checked):
            raise TypeError(f"{fn.__name__}: {checked} must be ordinary (positional or keyword) parameters")
        index = {name: i for i, name in enumerate(names)}
        defaults = {n: p.default for n, p in signature.parameters.items() if p.default is not p.empty}

        # Arguments are found by hand rather than with Signature.bind, which costs as much as the
        # checks themselves on a minibatch; anything unusual (an unknown keyword, a value given
        # twice, too many arguments) is left for the call of fn to report, in Python's words.
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            args = list(args)
            values = {}
            for name in checked:
                i = index[name]
                if i < len(args):
                    values[name] = args[i]
                elif name in kwargs:
                    values[name] = kwargs[name]
                elif name in defaults:
                    values[name] = defaults[name]
                else:
                    raise TypeError(f"{fn.__name__}() missing required argument: {name!r}")
            values["W"], values["X"], values["y"], values["reg"] = check_loss_inputs(
                values["W"], values["X"], values["y"], values["reg"], check_finite_X=scan_X)
            for name in nonnegative:
                values[name] = check_scalar(values[name], name)
            for name, value in values.items():
                if index[name] < len(args):
                    args[index[name]] = value
                else:
                    kwargs[name] = value
            W = values["W"]
            loss, dW = _check_returned(fn.__name__, fn(*args, **kwargs), W)
            return finish_loss(loss, dW, W, values["X"])

        return wrapper

    return decorator
