"""Named checks of the loss functions students write in ``cs231n_lin/classifiers``.

Each runs the student's function on fixed visible inputs and compares ``loss`` and ``dW``
with stored expected values (never with another function of the student's). A wrong
result is matched against stored fingerprints of known mistakes to name the likely cause.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from cs231n_lin.checks._core import Checker, named_check
from cs231n_lin.checks._data import best_variant, case
from cs231n_lin.checks.messages import message
from cs231n_lin.checks.tolerances import scaled_error, tolerance

__all__ = ["softmax_naive", "softmax_vectorized", "svm_naive_gradient", "svm_naive_loss", "svm_squared",
           "svm_vectorized"]

_EXP_MAX = {4: 88.0, 8: 709.0}
#: Mistakes found in both the loss and dW that are one mistake (said once, "loss and dW").
_MERGEABLE = ("avg_sum", "avg_nc", "avg_twice", "svm_counted", "svm_delta1", "svm_hinge_for_squared",
              "softmax_axis0", "softmax_unnormalized")


def _inputs(c: dict[str, Any], dtype: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    inp = c["inputs"]
    W = np.array(inp["W"], dtype=dtype)
    X = np.array(inp["X"], dtype=dtype)
    y = np.array(inp["y"], dtype=np.int64)
    extra = {k: inp[k] for k in ("reg", "delta", "squared") if k in inp}
    if extra.get("delta") == 1.0:
        del extra["delta"]             # the default: a function without a delta argument works too
    if extra.get("squared") is False:
        del extra["squared"]
    return W, X, y, extra


def _describe(c: dict[str, Any], dtype: Any) -> str:
    inp = c["inputs"]
    N, D, C = len(inp["X"]), len(inp["W"]), len(inp["W"][0])
    args = ", ".join(f"{k}={inp[k]}" for k in ("reg", "delta", "squared") if k in inp)
    return f"on the check's example: N={N}, D={D}, C={C}, {args}, {np.dtype(dtype).name}"


def _stability_cause(c: dict[str, Any], fn_name: str, dtype: Any) -> tuple[str, str]:
    W, X, _, _ = _inputs(c, np.float64)
    scores = X @ W
    top = float(np.max(scores))
    spread = float(np.max(scores.max(axis=1) - scores.min(axis=1)))
    prec = np.dtype(dtype).name
    emax = _EXP_MAX.get(np.dtype(dtype).itemsize, 709.0)
    if top > emax:
        return "no_shift", message("no_shift", f"loss from your {fn_name}", top=top, prec=prec, emax=emax)
    if spread > 700:
        return "log_underflow", message("log_underflow", f"loss from your {fn_name}", spread=spread)
    return "not_finite", message("not_finite", f"loss from your {fn_name}", where="")


def _on_error(c: dict[str, Any], fn_name: str, dtype: Any) -> Callable[[BaseException], tuple]:
    def explain(exc: BaseException) -> tuple[str | None, str | None]:
        text = str(exc).lower()
        if isinstance(exc, (ValueError, TypeError)) and text.startswith(
                (f"{fn_name} returned".lower(), f"{fn_name} must return".lower())):
            # The loss decorator describes what the function returned, already in a student's words.
            return "bad_return", str(exc)
        if "not finite" in text or "overflow" in text or "nan" in text:
            return _stability_cause(c, fn_name, dtype)
        if "transposed" in text:
            return "transposed_W", message("transposed_W")
        if any(s in text for s in ("shape", "broadcast", "align", "mismatch", "dimension")):
            return "shapes", message("shapes")
        return None, None
    return explain


def _causes(c: dict[str, Any], lparts, gparts, ctx: dict[str, Any]) -> list[tuple[str, str]]:
    """Sentences for the matched mistake parts of the loss and of dW (merged when they agree)."""
    found: dict[str, list[str]] = {}
    for what, parts in (("loss", lparts), ("dW", gparts)):
        for part in parts or ():
            found.setdefault(part, []).append(what)
    if found.get("svm_sq_slope1") == ["dW"] and found.get("svm_hinge_for_squared") == ["loss"]:
        del found["svm_sq_slope1"]
        found["svm_hinge_for_squared"].append("dW")
    out = []
    for part, whats in found.items():
        if len(whats) == 2 and part in _MERGEABLE:
            out.append((part, message(part, "loss and dW", **ctx)))
            continue
        for what in whats:
            out.append((f"{what}.{part}", message(part, what, **ctx)))
    return out


def judge_loss(ck: Checker, fn: Callable, case_name: str, *, check_loss: bool = True,
               check_dW: bool = True, dtype: Any = np.float64) -> None:
    """Run ``fn(W, X, y, reg, ...)`` on a stored case and record what is wrong in ``ck``.

    Parameters
    ----------
    ck : Checker
    fn : callable
        The student's loss function, ``(W, X, y, reg, [delta, squared]) -> (loss, dW)``.
    case_name : str
        A loss case of ``fingerprints.json`` (``"svm"``, ``"svm_delta"``, ``"svm_squared"``,
        ``"softmax"``, ``"softmax_large"``).
    check_loss, check_dW : bool
        Which outputs are judged (the naive loss's first check looks at the loss only).
    dtype : float32 or float64
        The dtype of ``W`` and ``X``; the result must keep it.
    """
    c = case(case_name)
    W, X, y, extra = _inputs(c, dtype)
    originals = {"W": W.copy(), "X": X.copy(), "y": y.copy()}
    fn_name = getattr(fn, "__name__", "your function")
    reg = extra.pop("reg")
    out = ck.call(fn, W, X, y, reg, on_error=_on_error(c, fn_name, dtype), **extra)
    where = _describe(c, dtype)
    if not isinstance(out, tuple | list) or len(out) != 2:
        ck.fail(f"{fn_name} returned {type(out).__name__}, not (loss, dW)", key="returns",
                cause=message("returns", function=fn_name, got=type(out).__name__), stop=True)
    loss, dW = out
    modified = [k for k, v in (("W", W), ("X", X), ("y", y)) if not np.array_equal(v, originals[k])]
    if modified:
        ck.fail(f"{fn_name} changed its input {', '.join(modified)}", key="inputs_modified",
                cause=message("inputs_modified", function=fn_name, names=", ".join(modified)))
    if np.ndim(loss) != 0:
        ck.fail(f"the loss has shape {np.shape(loss)}, expected a single number", key="loss_type",
                cause=message("loss_type", function=fn_name, got=f"shape {np.shape(loss)}"), stop=True)
    loss = float(loss)
    dW = np.asarray(dW)
    expected_dW = np.asarray(c["dW"]["correct"])
    if check_dW and dW.shape != expected_dW.shape:
        key = "transposed" if dW.shape == expected_dW.shape[::-1] else "dW_shape"
        ck.fail(f"dW has shape {dW.shape}, expected {expected_dW.shape}", key=key,
                cause=message(key, got=dW.shape, expected=expected_dW.shape), stop=True)
    if not np.isfinite(loss) or (check_dW and not np.isfinite(dW).all()):
        key, cause = _stability_cause(c, fn_name, dtype)
        ck.fail("the result is not finite (NaN or inf)", details=where, key=key, cause=cause, stop=True)
    if check_dW and dW.dtype != np.dtype(dtype):
        ck.fail(f"dW is {dW.dtype} for {np.dtype(dtype).name} inputs", key="dtype",
                cause=message("dtype", function=fn_name, expected=np.dtype(dtype).name, got=dW.dtype))
    tol = tolerance(dtype)
    expected_loss = float(c["loss"]["correct"])
    loss_ok = scaled_error(loss, expected_loss) <= tol
    dW_ok = scaled_error(dW, expected_dW) <= tol if check_dW else True
    if (loss_ok or not check_loss) and dW_ok:
        return
    lparts = () if loss_ok or not check_loss else best_variant(loss, c["loss"]["variants"], tol)
    gparts = () if dW_ok else best_variant(dW, c["dW"]["variants"], tol)
    inp = c["inputs"]
    ctx = {"N": len(inp["X"]), "NC": len(inp["X"]) * len(inp["W"][0]), "N2": len(inp["X"]) ** 2,
           "delta": float(inp.get("delta", 1.0))}
    causes = _causes(c, lparts, gparts, ctx)
    first = len(ck.failures)
    if check_loss and not loss_ok:
        ck.fail(f"the loss is {loss:.6g}, which is too {'large' if loss > expected_loss else 'small'}",
                details=where)
    if not dW_ok:
        err = scaled_error(dW, expected_dW)
        ck.fail(f"dW is wrong (largest difference {err:.3g} x the size of the correct dW)",
                details="" if len(ck.failures) > first else where)
    if causes:                                   # the cause goes right under the first wrong thing
        key, cause = causes[0]
        ck.failures[first] = replace(ck.failures[first], likely_cause=cause, key=key)
        for key, cause in causes[1:]:
            ck.fail("and also", cause=cause, key=key)


@named_check("svm_naive_loss")
def svm_naive_loss(ck: Checker, fn: Callable) -> None:
    """The SVM loss (not yet its gradient) of ``fn(W, X, y, reg)`` on a stored example."""
    judge_loss(ck, fn, "svm", check_dW=False)


def _judge_until_first_failure(ck: Checker, fn: Callable, *cases) -> None:
    """:func:`judge_loss` on each stored case (a name, or ``(name, dtype)``) until one fails."""
    for stored in cases:
        name, dtype = stored if isinstance(stored, tuple) else (stored, np.float64)
        judge_loss(ck, fn, name, dtype=dtype)
        if ck.failures:
            return


@named_check("svm_naive_gradient")
def svm_naive_gradient(ck: Checker, fn: Callable) -> None:
    """Loss and gradient of ``fn(W, X, y, reg, delta)`` on two stored examples (delta 1 and 0.5)."""
    _judge_until_first_failure(ck, fn, "svm", "svm_delta", ("svm", np.float32))


@named_check("svm_vectorized")
def svm_vectorized(ck: Checker, fn: Callable) -> None:
    """Loss and gradient against stored values (not against your naive function), float64 and float32."""
    _judge_until_first_failure(ck, fn, "svm", "svm_delta", ("svm", np.float32))


@named_check("svm_squared_naive", "svm_squared_vectorized")
def svm_squared(ck: Checker, fn: Callable) -> None:
    """``fn(W, X, y, reg, delta, squared=True)`` (naive or vectorized) on a stored example."""
    judge_loss(ck, fn, "svm_squared")


@named_check("softmax_naive")
def softmax_naive(ck: Checker, fn: Callable, *, large_scores: bool = True) -> None:
    """Loss and gradient; with ``large_scores`` also scores of about 1000 (the max-shift)."""
    judge_loss(ck, fn, "softmax")
    if ck.failures or not large_scores:
        return
    judge_loss(ck, fn, "softmax_large")
    if ck.failures:
        return
    judge_loss(ck, fn, "softmax_spread")


@named_check("softmax_vectorized")
def softmax_vectorized(ck: Checker, fn: Callable, *, large_scores: bool = True) -> None:
    """Loss and gradient against stored values and float32 inputs; with ``large_scores`` also
    scores of about 1000 (the max-shift, which notebook 4 asks for: notebook 3 passes False)."""
    judge_loss(ck, fn, "softmax")
    if ck.failures:
        return
    if large_scores:
        judge_loss(ck, fn, "softmax_large")
        if ck.failures:
            return
        judge_loss(ck, fn, "softmax_spread")
        if ck.failures:
            return
    judge_loss(ck, fn, "softmax", dtype=np.float32)
