"""Checks of notebook 4: ``logsumexp_rows`` (a notebook cell) and the softmax losses at scores of 1e4.

``logsumexp_rows`` is compared with ``scipy.special.logsumexp``; the losses with the exact values
of a one-feature example written out below (scores ``[1e4, 0, -1e4]`` in float32).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from scipy.special import logsumexp

from cs231n_lin.checks._core import Checker, StopCheck, named_check
from cs231n_lin.checks.losses import judge_loss

_NOT_FINITE = ("no_shift", "not_finite", "log_underflow", "loss.not_finite")

__all__ = ["logsumexp_rows", "softmax_losses_large_scores"]

#: Rows: overflow without a shift (0, 3), ordinary (1), underflow without a shift (2), mixed (4).
LSE_SCORES = np.array([
    [123.0, 456.0, 789.0],
    [1.0, 2.0, 3.0],
    [-1000.0, -1000.0, -1000.0],
    [1e4, 0.0, -1e4],
    [0.5, -0.25, 2.0],
])

CAUSES = {
    "lse.no_shift": "np.exp overflowed (or underflowed to 0) because the scores were not shifted: "
                    "subtract each row's largest score before np.exp and add it back after np.log.",
    "lse.global_max": "one maximum for the whole matrix was subtracted; rows with much smaller "
                      "scores then underflow to log(0) = -inf. Take the max of each row "
                      "(axis=1, keepdims=True).",
    "lse.no_add_back": "the maximum was subtracted but not added back: "
                       "log sum_j exp(f_j) = m + log sum_j exp(f_j - m).",
    "lse.keepdims": "the result has shape (N, 1): return one number per row, shape (N,) "
                    "(e.g. take [:, 0] at the end).",
    "lse.wrong_axis": "the sum or max runs over the wrong axis: each row i is one example, "
                      "so reduce over axis=1.",
    "lse.modified": "your function changed the score matrix it was given; work on a copy.",
    "loss.not_finite": "exp of 1e4 overflows float32 (above 88.7), so this loss exponentiates unshifted "
                       "scores: apply the max-shift, subtracting each row's largest score first (or build "
                       "the loss on log_softmax).",
    "loss.dtype": "the gradient must keep the dtype of W (float32 here).",
    "softmax_global_max": "one maximum of the whole score matrix was subtracted, not each row's own: rows "
                          "with much smaller scores then underflow to exp(...) = 0 and their loss to log(0). "
                          "Use np.max(scores, axis=1, keepdims=True).",
}


@named_check("logsumexp_rows")
def logsumexp_rows(ck: Checker, fn: Callable) -> None:
    """Five rows with scores up to 1e4 and down to -1000, against ``scipy.special.logsumexp``."""
    S = LSE_SCORES.copy()
    got = ck.call(fn, S, label="logsumexp_rows")
    if not np.array_equal(S, LSE_SCORES):
        ck.fail("logsumexp_rows changed its input S", key="lse.modified", cause=CAUSES["lse.modified"],
                stop=True)
    expected = logsumexp(LSE_SCORES, axis=1)
    N, C = LSE_SCORES.shape
    got = np.asarray(got, dtype=float) if got is not None else None
    if got is None or got.shape != (N,):
        shape = None if got is None else got.shape
        key = "lse.keepdims" if shape == (N, 1) else "lse.wrong_axis" if shape in ((C,), (1, C)) else None
        ck.fail(f"the result has shape {shape}, expected ({N},) for a score matrix of shape {(N, C)}",
                key=key, cause=CAUSES.get(key), stop=True)
    bad = [i for i in range(N)
           if not np.isfinite(got[i]) or abs(got[i] - expected[i]) > 1e-9 * max(1, abs(expected[i]))]
    if not bad:
        return
    rows = ", ".join(f"row {i}: {got[i]:.6g}" for i in bad)
    row_max = LSE_SCORES.max(axis=1)
    if np.allclose(got, expected - row_max, rtol=1e-9):
        key = "lse.no_add_back"
    elif np.isposinf(got).any() or not np.isfinite(got[3]):
        key = "lse.no_shift"            # exp(1e4) overflowed
    elif np.isneginf(got).any():
        key = "lse.global_max"          # row 3 fine, smaller rows pushed to log(0)
    else:
        key = None
    ck.fail(f"wrong rows: {rows}", details=f"scores: {LSE_SCORES.tolist()}", key=key, cause=CAUSES.get(key),
            stop=True)


#: One feature equal to 1, so the scores are the row of W; example 0 has label 1, example 1 label 0.
#: Exact: L_0 = log(e^1e4 + 1 + e^-1e4) - 0 = 1e4 (to float32), L_1 = 0, mean 5000;
#: p = [1, e^-1e4, e^-2e4] = [1, 0, 0] in float32, so dW = mean of p - onehot(y) = [[0.5, -0.5, 0]].
LARGE_W = np.array([[1e4, 0.0, -1e4]], dtype=np.float32)
LARGE_X = np.ones((2, 1), dtype=np.float32)
LARGE_Y = np.array([1, 0])
LARGE_LOSS = 5000.0
LARGE_DW = np.array([[0.5, -0.5, 0.0]])


def _explain_not_finite(exc: BaseException) -> tuple[str | None, str | None]:
    """The loss functions refuse to return NaN/inf: that refusal means exp overflowed."""
    if "not finite" in str(exc):
        return "loss.not_finite", CAUSES["loss.not_finite"]
    return None, None


@named_check("softmax_losses_stable")
def softmax_losses_large_scores(ck: Checker, naive: Callable, vectorized: Callable) -> None:
    """Both loss functions on scores [1e4, 0, -1e4] (float32): loss 5000, dW [[0.5, -0.5, 0]]."""
    for fn in (naive, vectorized):
        name = getattr(fn, "__name__", "the loss")
        result = ck.call(fn, LARGE_W.copy(), LARGE_X.copy(), LARGE_Y.copy(), 0.0, label=name,
                         on_error=_explain_not_finite)
        try:
            loss, dW = result
            loss = float(loss)
            dW = np.asarray(dW)
        except (TypeError, ValueError):
            ck.fail(f"{name} returned {type(result).__name__}; expected (loss, dW)", stop=True)
        where = "W = [[1e4, 0, -1e4]] (float32), X = ones((2, 1)), y = [1, 0], reg = 0"
        if not np.isfinite(loss) or dW.shape != LARGE_W.shape or not np.isfinite(dW).all():
            ck.fail(f"{name}: the loss is {loss} and dW is {np.asarray(dW).tolist()}; expected finite values",
                    details=where, key="loss.not_finite", cause=CAUSES["loss.not_finite"], stop=True)
        if abs(loss - LARGE_LOSS) > 1e-2:
            ck.fail(f"{name}: the loss is {loss:.4f}, which is wrong for these scores", details=where,
                    stop=True)
        if not np.allclose(dW, LARGE_DW, atol=1e-5):
            ck.fail(f"{name}: dW is {np.round(dW, 4).tolist()}, which is not the gradient at these scores",
                    details=where,
                    stop=True)
        if dW.dtype != LARGE_W.dtype:
            ck.fail(f"{name}: dW has dtype {dW.dtype}, expected float32", key="loss.dtype",
                    cause=CAUSES["loss.dtype"], stop=True)
        for stored in ("softmax_large", "softmax_rowscales"):     # float64: ~1000, then rows of ±1e4
            try:
                judge_loss(ck, fn, stored)
            except StopCheck:
                pass
            if ck.failures:
                if stored == "softmax_rowscales" and ck.failures[0].key in _NOT_FINITE:
                    ck.failures[0] = replace(ck.failures[0], key="softmax_global_max",
                                             likely_cause=CAUSES["softmax_global_max"])
                raise StopCheck
