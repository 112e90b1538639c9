"""Named checks of ``softmax(scores, axis)`` and ``log_softmax(scores, axis)``."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cs231n_lin.checks._core import Checker, named_check
from cs231n_lin.checks._data import best_variant, case
from cs231n_lin.checks.messages import message
from cs231n_lin.checks.tolerances import FLOAT64_TOL, scaled_error

__all__ = ["log_softmax", "softmax"]


def _judge(ck: Checker, fn: Callable, case_name: str, fn_name: str) -> None:
    c = case(case_name)
    scores = np.array(c["inputs"]["scores"], dtype=np.float64)
    axis = int(c["inputs"]["axis"])
    original = scores.copy()
    got = ck.call(fn, scores, axis=axis, label=fn_name)
    where = f"scores of shape {scores.shape} (largest {scores.max():.4g}), axis={axis}"
    if not np.array_equal(scores, original):
        ck.fail(f"{fn_name} changed its input scores", key="inputs_modified",
                cause=message("inputs_modified", function=fn_name, names="scores"), stop=True)
    got = np.asarray(got, dtype=np.float64) if got is not None else None
    if got is None or got.shape != scores.shape:
        shape = None if got is None else got.shape
        ck.fail(f"{fn_name} returned shape {shape}, expected {scores.shape}", details=where, stop=True)
    if not np.isfinite(got).all():
        top = float(scores.max())
        if fn_name == "log_softmax" and np.isneginf(got).any() and top < 709:
            key, cause = "softmax.log_of_softmax", message("softmax.log_of_softmax")
        elif top > 709:
            key, cause = "no_shift", message("no_shift", f"result of your {fn_name}", top=top,
                                             prec="float64", emax=709.0)
        else:
            key, cause = "not_finite", message("not_finite", f"result of your {fn_name}", where="")
        ck.fail("the result is not finite (NaN or inf)", details=where, key=key, cause=cause, stop=True)
    expected = np.asarray(c["correct"])
    if scaled_error(got, expected) <= FLOAT64_TOL:
        return
    parts = best_variant(got, c["variants"], FLOAT64_TOL)
    key = parts[0] if parts else None
    cause = message(key, function=fn_name, axis=axis) if key else None
    ck.fail(f"{fn_name} differs from the expected result by up to {np.max(np.abs(got - expected)):.3g}",
            details=where, key=key, cause=cause, stop=True)


@named_check("softmax_fn")
def softmax(ck: Checker, fn: Callable) -> None:
    """Rows (axis=1), columns (axis=0) and scores of about +-1000 against stored probabilities."""
    for name in ("fn_softmax_rows", "fn_softmax_cols", "fn_softmax_large"):
        _judge(ck, fn, name, "softmax")


@named_check("log_softmax_fn")
def log_softmax(ck: Checker, fn: Callable) -> None:
    """Rows, columns, scores of about +-1000 and rows whose scores differ by 900."""
    for name in ("fn_log_softmax_rows", "fn_log_softmax_cols", "fn_log_softmax_large",
                 "fn_log_softmax_spread"):
        _judge(ck, fn, name, "log_softmax")
