"""Tolerances and the error measure used to compare a student's numbers with expected ones.

One home for them: the named checks, the fingerprint matching and the grader's diagnosis all
use :func:`tolerance` and :func:`scaled_error`; the grader's judge (hidden tests) uses
:func:`rel_tolerance` with the contract's elementwise relative error
:func:`cs231n_lin.gradient_check.rel_error` (the only relative-error function of the package).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["FLOAT32_REL_TOL", "FLOAT32_TOL", "FLOAT64_TOL", "rel_tolerance", "scaled_error", "tolerance"]

FLOAT64_TOL = 1e-6     # float64 results agree to this (relative to the result's size)
FLOAT32_TOL = 2e-3     # float32 accumulates rounding over N * D products
#: The hidden tests' float32 tolerance for the elementwise ``rel_error`` and for a loss value
#: (relative to max(1, |loss|)); float64 uses :data:`FLOAT64_TOL`.
FLOAT32_REL_TOL = 1e-3


def tolerance(dtype: Any) -> float:
    """The tolerance for results computed in ``dtype`` (float32 or narrower: :data:`FLOAT32_TOL`)."""
    return FLOAT32_TOL if np.dtype(dtype).itemsize <= 4 else FLOAT64_TOL


def rel_tolerance(dtype: Any) -> float:
    """The hidden tests' tolerance in ``dtype`` (float32: :data:`FLOAT32_REL_TOL`, else
    :data:`FLOAT64_TOL`), for :func:`cs231n_lin.gradient_check.rel_error` and loss values."""
    return FLOAT32_REL_TOL if np.dtype(dtype) == np.float32 else FLOAT64_TOL


def scaled_error(a: Any, b: Any) -> float:
    """``max |a - b| / max |b|``: the largest difference relative to the size of ``b``.

    ``inf`` when the shapes differ or either holds NaN/inf; 0.0 for two empty arrays.
    Unlike an elementwise relative error it does not blow up at entries that are ~0.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.isfinite(a).all() or not np.isfinite(b).all():
        return float("inf")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(b))), 1e-12)
    return float(np.max(np.abs(a - b))) / scale
