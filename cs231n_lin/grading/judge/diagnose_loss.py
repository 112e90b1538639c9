"""Diagnosis of a loss probe: the student's ``(loss, dW)`` against the computed variants.

The simplest combination of variants (:mod:`cs231n_lin.grading.judge.variants`) that matches the
student's numbers names the bug. When none matches, generic but specific messages describe
*how* the result is wrong (same factor everywhere, opposite sign, only the regularization
part, not finite on large scores).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cs231n_lin.checks.messages import MESSAGES as _MESSAGES
from cs231n_lin.checks.messages import message
from cs231n_lin.checks.tolerances import scaled_error, tolerance
from cs231n_lin.grading.judge.diagnose_common import (
    FLOAT32_EXP_MAX,
    FLOAT32_EXP_MIN,
    FLOAT64_EXP_MAX,
    FLOAT64_EXP_MIN,
    common,
    error_message,
    msg,
    probe_context,
)
from cs231n_lin.grading.judge.variants import best, candidates
from cs231n_lin.grading.run.probes import Probe


def _score_range(kw: dict[str, Any]) -> tuple[float, float, bool]:
    """(largest score, largest within-row spread, is float32) of a loss probe."""
    W = np.asarray(kw["W"], dtype=np.float64)
    X = np.asarray(kw["X"], dtype=np.float64)
    S = X @ W
    is32 = np.asarray(kw["W"]).dtype.itemsize <= 4
    return float(np.max(S)), float(np.max(S.max(axis=1) - S.min(axis=1))), is32


def _stability_message(kind: str, top: float, spread: float, is32: bool) -> tuple[str, str]:
    emax = FLOAT32_EXP_MAX if is32 else FLOAT64_EXP_MAX
    emin = FLOAT32_EXP_MIN if is32 else FLOAT64_EXP_MIN
    overflow = top > emax
    underflow = -spread < emin
    prec = "float32" if is32 else "float64"
    if overflow and not underflow:
        return "no_shift", message("no_shift", kind, top=top, prec=prec, emax=emax)
    if underflow and not overflow:
        return "log_underflow", message("log_underflow", kind, spread=spread)
    return "not_finite", message("not_finite", kind,
                                 where=f" (scores up to {top:.4g}, row spread up to {spread:.4g})")



def diagnose_loss(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    ctx = probe_context(probe)
    W = np.asarray(kw["W"])
    out = common(probe, outcome, W.dtype)
    fn = probe.function
    top, spread, is32 = _score_range(kw)
    error = outcome.get("error")
    if error:
        low = error.lower()
        if "not finite" in low or "overflow" in low or "nan" in low or "inf" in low:
            out.append(_stability_message(f"loss from your {fn}", top, spread, is32))
        else:
            out.append(error_message(probe, error))
        return out
    loss = outcome.get("loss")
    dW = outcome.get("dW")
    loss_type = outcome.get("loss_type") or "float"
    if loss_type.startswith("ndarray"):
        out.append(("loss_type",
                    f"Your {fn} returns the loss as a numpy array ({loss_type}), not a Python float: "
                    "sum over every axis and return float(loss)."))
    if dW is None or np.shape(dW) != W.shape:
        shape = None if dW is None else tuple(np.shape(dW))
        if shape == W.shape[::-1]:
            out.append(("transposed",
                        f"Your dW has shape {shape}, the transpose of W's {W.shape}: dW must have W's "
                        "shape (D, C); compute it as X.T @ dscores."))
        else:
            out.append(("dW_shape", f"Your dW has shape {shape}, but it must have W's shape {W.shape}."))
        dW = None
    nonfinite = (loss is None or not np.isfinite(loss)) or (dW is not None and not np.isfinite(dW).all())
    if nonfinite:
        out.append(_stability_message(f"loss from your {fn}", top, spread, is32))
        return out
    tol = tolerance(W.dtype)
    loss_cands, grad_cands = candidates(fn, kw)
    if not loss_cands:                  # a registered loss without known formulas: nothing to compare
        return out
    ref_loss, ref_dW = loss_cands[0][1], grad_cands[0][1]
    lparts, _ = best(loss_cands, loss, tol)
    gparts, _ = (best(grad_cands, dW, tol) if dW is not None else ((), 0.0))
    found: dict[str, list[str]] = {}
    for what, parts in (("loss", lparts), ("dW", gparts)):
        for part in parts or ():
            found.setdefault(part, []).append(what)
    if found.get("svm_sq_slope1") == ["dW"] and found.get("svm_hinge_for_squared") == ["loss"]:
        del found["svm_sq_slope1"]          # plain hinge throughout: one mistake, one message
        found["svm_hinge_for_squared"].append("dW")
    mergeable = ("avg_sum", "avg_nc", "avg_twice", "svm_counted", "svm_delta1", "svm_hinge_for_squared",
                 "softmax_axis0", "softmax_unnormalized")
    for part, whats in found.items():
        if len(whats) == 2 and part in mergeable:
            out.append((part, msg(part, "loss and dW", ctx)))
            continue
        for what in whats:
            key = f"{what}.{part}" if f"{what}.{part}" in _MESSAGES else part
            out.append((key, msg(part, what, ctx)))
    if lparts is None:
        out.append(_generic_loss(loss, ref_loss, kw, ctx))
    if gparts is None and dW is not None:
        out.append(_generic_grad(np.asarray(dW, dtype=np.float64), ref_dW, kw, loss_ok=lparts == ()))
    return out


def _generic_loss(loss: float, ref: float, kw: dict[str, Any], ctx: dict[str, Any]) -> tuple[str, str]:
    W = np.asarray(kw["W"], dtype=np.float64)
    reg = float(kw.get("reg", 0.0))
    R = reg * float(np.sum(W * W))
    text = f"Your loss is {loss:.6g} but the correct loss is {ref:.6g}"
    if ref != 0:
        text += f" ({loss / ref:.3g} times it)"
    text += "."
    N = ctx.get("N")
    if ref != 0 and N and abs(loss / ref - N) < 1e-3 * N:
        text += f" That factor is N = {N}: is a sum over the examples not divided by N?"
    if R > 0:
        k = (loss - ref) / R
        if abs(k) > 1e-3 and abs(k - round(k * 2) / 2) < 1e-3:
            text += (f" The difference is {k:g} x reg * sum(W * W): check the regularization term.")
    return ("loss.other", text)


def _generic_grad(dW: np.ndarray, ref: np.ndarray, kw: dict[str, Any], *, loss_ok: bool) -> tuple[str, str]:
    W = np.asarray(kw["W"], dtype=np.float64)
    reg = float(kw.get("reg", 0.0))
    head = "Your loss is correct but dW is not: " if loss_ok else "Your dW is not the gradient of the loss: "
    denom = float(np.sum(ref * ref))
    if denom > 0:
        c = float(np.sum(dW * ref)) / denom
        if scaled_error(dW, c * ref) < 1e-4:
            if abs(c + 1) < 1e-6:
                return ("sign", head + "it has the right values with the opposite sign.")
            N = int(np.shape(kw["X"])[0])
            if abs(c - N) < 1e-4 * N:
                hint = f"that factor is N = {N}: is a sum over the examples not divided by N?"
            else:
                hint = "look for a wrong constant: N, C, delta, 2, or the learning rate"
            return ("scale", head + f"it is off by the same factor {c:.4g} in every entry ({hint}).")
    diff = dW - ref
    if reg > 0:
        wn = float(np.sum(W * W))
        a = float(np.sum(diff * W)) / wn if wn else 0.0
        rel_size = float(np.max(np.abs(diff))) / max(np.max(np.abs(ref)), 1e-12)
        if scaled_error(diff, a * W) < 1e-3 * max(1.0, rel_size):
            return ("reg_grad_other",
                    head + f"it differs from the correct gradient by {a / reg:.4g} x reg * W, i.e. in the "
                    "regularization part: the derivative of reg * sum(W * W) is 2 * reg * W.")
    cols = np.max(np.abs(diff), axis=0) > 1e-6 * max(float(np.max(np.abs(ref))), 1e-12)
    where = "in every column" if cols.all() else f"in columns {np.flatnonzero(cols).tolist()} only"
    return ("dW.other", head + f"it differs from the correct gradient {where} (largest difference "
            f"{float(np.max(np.abs(diff))):.3g}, largest correct entry {float(np.max(np.abs(ref))):.3g}); "
            "check the score gradient dscores and dW = X.T @ dscores / N.")

