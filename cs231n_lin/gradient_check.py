"""Numerical gradients by centered differences, to check analytic gradients against.

``df/dx_k ~ (f(x + h e_k) - f(x - h e_k)) / (2 h)`` has error O(h^2) for smooth f. Near a
kink of the hinge (a margin within ``h`` of 0) the two sides see different slopes, so a
few large relative errors there are expected and not a bug.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def rel_error(a, b) -> float:
    """``max |a - b| / max(1e-8, |a| + |b|)``, elementwise then the largest.

    Below about 1e-7 in float64, two gradients agree.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def _check_x(x) -> np.ndarray:
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(
            "x must be a floating-point numpy array (it is perturbed in place and restored)"
        )
    return x


def eval_numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Gradient of the scalar function ``f`` at ``x`` by centered differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a number; it is called with ``x`` itself, perturbed in one entry.
    x : ndarray of any shape, floating point
        The point. Every entry is restored afterwards, even if ``f`` raises.
    h : float, default=1e-5
        Step size.

    Returns
    -------
    grad : ndarray of the same shape as ``x`` (float64)
    """
    x = _check_x(x)
    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        grad[it.multi_index] = _partial(f, x, it.multi_index, h)
    return grad


def _partial(f, x: np.ndarray, ix: tuple, h: float) -> float:
    """Centered difference of f along entry ``ix`` of ``x``; restores ``x[ix]`` whatever happens."""
    old = x[ix].copy()
    try:
        x[ix] = old + h
        fxph = float(f(x))
        x[ix] = old - h
        fxmh = float(f(x))
    finally:
        x[ix] = old
    return (fxph - fxmh) / (2 * h)


def grad_check_sparse(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    analytic_grad: np.ndarray,
    num_checks: int = 10,
    h: float = 1e-5,
    seed: int | None = None,
) -> np.ndarray:
    """Compare ``analytic_grad`` with centered differences at ``num_checks`` random entries.

    Returns
    -------
    rel_errors : ndarray of shape (num_checks,)
        ``|numeric - analytic| / (|numeric| + |analytic|)`` per checked entry (0 where both are 0).
    """
    x = _check_x(x)
    analytic_grad = np.asarray(analytic_grad)
    if analytic_grad.shape != x.shape:
        raise ValueError(
            f"analytic_grad must have the shape of x {x.shape}; got {analytic_grad.shape}"
        )
    if num_checks < 1:
        raise ValueError(f"num_checks must be >= 1; got {num_checks}")
    rng = np.random.default_rng(seed)
    errors = np.empty(num_checks)
    for k in range(num_checks):
        ix = tuple(int(rng.integers(n)) for n in x.shape)
        numeric = _partial(f, x, ix, h)
        analytic = float(analytic_grad[ix])
        denom = abs(numeric) + abs(analytic)
        errors[k] = 0.0 if denom == 0 else abs(numeric - analytic) / denom
    return errors
