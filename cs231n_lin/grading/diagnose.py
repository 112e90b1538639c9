"""Name the student's mistake from what their code returned on the probes.

For a loss probe the grader recomputes, in float64 from the probe's own inputs, the correct
loss and gradient *and* the result of each common mistake ("computed variants"): the loss
summed instead of averaged, the regularization term missing or with the wrong factor, the
correct class counted in the hinge sum, a hard-coded ``delta = 1``, the squared hinge's
gradient without its factor 2, the one-hot term missing in the softmax gradient, the max
taken over the wrong axis, ... Variants combine (data term x averaging x regularization x
sign), the simplest combination that matches the student's numbers names the bug. When no
variant matches, generic but specific messages describe *how* the result is wrong (same
factor everywhere, opposite sign, only the regularization part, not finite on large scores).

Everything here runs in the grader process on plain arrays; no student code is imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import numpy as np

from cs231n_lin.checks.messages import MESSAGES as _MESSAGES
from cs231n_lin.checks.messages import message
from cs231n_lin.checks.tolerances import scaled_error, tolerance
from cs231n_lin.classifiers.registry import losses_of_function
from cs231n_lin.grading.probes import ARRAY_FUNCTIONS, LOSS_FUNCTIONS, Probe

__all__ = ["VARIANTS", "diagnose", "diagnose_keys", "is_loss_function", "reference_loss", "summarize"]

_FLOAT64_EXP_MAX = 709.0      # exp(x) overflows float64 above this
_FLOAT64_EXP_MIN = -745.0     # exp(x) underflows to 0 below this
_FLOAT32_EXP_MAX = 88.0
_FLOAT32_EXP_MIN = -103.0


# Messages live in cs231n_lin.checks.messages (shared with the student-side checks).

def _msg(key: str, what: str, ctx: dict[str, Any]) -> str:
    return message(key, what, **ctx)


# --------------------------------------------------------------------------------------------
# The correct loss pieces and the computed variants
# --------------------------------------------------------------------------------------------

def _svm_data(W, X, y, delta, squared, *, count_correct=False, slope="exact", correct_grad=True):
    """Unaveraged hinge data loss (sum over examples) and dL/dscores (N, C)."""
    S = X @ W
    rows = np.arange(len(y))
    m = S - S[rows, y][:, None] + delta
    if not count_correct:
        m[rows, y] = 0.0
    h = np.maximum(m, 0.0)
    loss = float(np.sum(h * h)) if squared else float(np.sum(h))
    if squared and slope == "exact":
        dS = 2.0 * h
    elif squared and slope == "no2":
        dS = h.copy()
    else:
        dS = (m > 0).astype(np.float64)
    if not count_correct:
        dS[rows, y] = 0.0
    dS[rows, y] = -dS.sum(axis=1) if correct_grad else 0.0
    return loss, dS


def _softmax_data(W, X, y, *, shift_axis=1, norm_axis=1):
    """Unaveraged cross-entropy (sum over examples) and dL/dscores = p - onehot, from log-probs."""
    S = X @ W
    rows = np.arange(len(y))
    with np.errstate(all="ignore"):
        shifted = S - np.max(S, axis=shift_axis, keepdims=True)
        log_norm = np.log(np.sum(np.exp(shifted), axis=norm_axis, keepdims=True))
        log_p = shifted - log_norm
        loss = float(-np.sum(log_p[rows, y]))
        p = np.exp(log_p)
    onehot = np.zeros_like(S)
    onehot[rows, y] = 1.0
    return loss, p, onehot


def _svm_variants(W, X, y, kw: dict[str, Any]):
    """Hinge / squared-hinge data-term variants: ([(name, sum_loss)], [(name, dS)]), correct first."""
    losses: list[tuple[str, float]] = []
    grads: list[tuple[str, np.ndarray]] = []
    delta = float(kw.get("delta", 1.0))
    squared = bool(kw.get("squared", False))
    L, dS = _svm_data(W, X, y, delta, squared)
    losses.append(("", L))
    grads.append(("", dS))
    Lc, dSc = _svm_data(W, X, y, delta, squared, count_correct=True)
    losses.append(("svm_counted", Lc))
    grads.append(("svm_counted", dSc))
    grads.append(("svm_no_correct_grad", _svm_data(W, X, y, delta, squared, correct_grad=False)[1]))
    if delta != 1.0:
        L1, dS1 = _svm_data(W, X, y, 1.0, squared)
        losses.append(("svm_delta1", L1))
        grads.append(("svm_delta1", dS1))
    if squared:
        # The plain hinge's gradient equals the squared one with slope 1: named svm_sq_slope1
        # (and merged with the loss's svm_hinge_for_squared when both match).
        losses.append(("svm_hinge_for_squared", _svm_data(W, X, y, delta, False)[0]))
        grads.append(("svm_sq_no2", _svm_data(W, X, y, delta, True, slope="no2")[1]))
        grads.append(("svm_sq_slope1", _svm_data(W, X, y, delta, True, slope="one")[1]))
    return losses, grads


def _softmax_variants(W, X, y, kw: dict[str, Any]):
    """Cross-entropy data-term variants: ([(name, sum_loss)], [(name, dS)]), correct first."""
    losses: list[tuple[str, float]] = []
    grads: list[tuple[str, np.ndarray]] = []
    L, p, onehot = _softmax_data(W, X, y)
    losses.append(("", L))
    grads.append(("", p - onehot))
    grads.append(("softmax_no_onehot", p))
    grads.append(("softmax_onehot_plus", p + onehot))
    La, pa, _ = _softmax_data(W, X, y, shift_axis=0)
    losses.append(("softmax_axis0", La))
    grads.append(("softmax_axis0", pa - onehot))
    Ln, pn, _ = _softmax_data(W, X, y, shift_axis=0, norm_axis=0)
    losses.append(("softmax_norm_axis0", Ln))
    grads.append(("softmax_norm_axis0", pn - onehot))
    rows = np.arange(len(y))
    losses.append(("softmax_no_log", float(-np.sum(p[rows, y]))))
    with np.errstate(all="ignore"):
        S = X @ W
        shifted = S - np.max(S, axis=1, keepdims=True)
        losses.append(("softmax_unnormalized", float(-np.sum(shifted[rows, y]))))
        grads.append(("softmax_unnormalized", np.exp(shifted) - onehot))
    return losses, grads


#: The registered losses whose formulas (and common mistakes) the grader knows, by canonical
#: name. A loss registered later (``cs231n_lin.classifiers.registry.register``) has no entry:
#: its probes get the checks that need no formula (errors, shapes, dtype, finiteness) and no
#: "Likely cause" drawn from another loss's formulas. Add an entry to give it variants.
VARIANTS = {"hinge": _svm_variants, "squared_hinge": _svm_variants, "softmax": _softmax_variants}


def _variants_of(function: str):
    """The variant formulas for the loss(es) ``function`` computes, or ``None``.

    The family comes from the loss registry: ``losses_of_function(function)`` gives the
    registered losses of that function (all of one kind); the first one's name picks the
    formulas. No registered loss, or one the grader has no formulas for: ``None``.
    """
    specs = losses_of_function(function)
    if not specs:
        return None
    return VARIANTS.get(specs[0].name)


def is_loss_function(function: str) -> bool:
    """Whether ``function`` names a loss (a probe returning ``(loss, dW)``)."""
    return function in LOSS_FUNCTIONS or bool(losses_of_function(function))


def _data_variants(function: str, kw: dict[str, Any]):
    """(loss variants [(name, sum_loss)], score-gradient variants [(name, dS)], W, X); empty lists
    for a loss without known formulas (see :data:`VARIANTS`)."""
    W = np.asarray(kw["W"], dtype=np.float64)
    X = np.asarray(kw["X"], dtype=np.float64)
    y = np.asarray(kw["y"]).astype(np.int64)
    family = _variants_of(function)
    if family is None:
        return [], [], W, X
    losses, grads = family(W, X, y, kw)
    grads.append(("data_sign", -grads[0][1]))
    return losses, grads, W, X


_CACHE: dict[str, tuple[list, list]] = {}


def _key(function: str, kw: dict[str, Any]) -> str:
    h = hashlib.sha1(function.encode())
    for name in sorted(kw):
        v = np.asarray(kw[name])
        h.update(f"{name}:{v.dtype}:{v.shape}".encode())
        h.update(np.ascontiguousarray(v).tobytes())
    return h.hexdigest()


def _candidates(function: str, kw: dict[str, Any]):
    """All combined variants: [(parts, loss)] and [(parts, dW)], the correct one first (cached)."""
    key = _key(function, kw)
    if key not in _CACHE:
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[key] = _compute_candidates(function, kw)
    return _CACHE[key]


def _compute_candidates(function: str, kw: dict[str, Any]):
    losses, grads, W, X = _data_variants(function, kw)
    if not losses:
        return [], []
    N = X.shape[0]
    reg = float(kw.get("reg", 0.0))
    R = reg * float(np.sum(W * W))
    reg_losses = [("", R), ("reg_missing", 0.0), ("reg_half", 0.5 * R), ("reg_double", 2 * R),
                  ("reg_mean", R / N), ("reg_l1", reg * float(np.sum(np.abs(W))))]
    reg_grads = [("", 2 * reg * W), ("reg_missing", 0 * W), ("reg_factor1", reg * W),
                 ("reg_mean", 2 * reg * W / N), ("reg_l1", reg * np.sign(W)), ("reg_4", 4 * reg * W)]
    C = W.shape[1]
    averages = [("", 1.0 / N), ("avg_sum", 1.0), ("avg_nc", 1.0 / (N * C)), ("avg_twice", 1.0 / N**2)]
    loss_cands = []
    losses = [*losses, ("loss_sign", -losses[0][1])]
    for dname, Ls in losses:
        for aname, f in averages:
            for rname, r in reg_losses:
                loss_cands.append((tuple(p for p in (dname, aname, rname) if p), Ls * f + r))
    grad_cands = []
    for dname, dS in grads:
        G = X.T @ dS
        for aname, f in averages:
            for rname, r in reg_grads:
                total = G * f + r
                parts = tuple(p for p in (dname, aname, rname) if p)
                grad_cands.append((parts, total))
                if not parts and reg > 0:        # with reg == 0 the data_sign variant says it
                    grad_cands.append((("sign",), -total))
    return loss_cands, grad_cands


def _best(cands, value, tol):
    """The simplest candidate within ``tol`` of ``value``: (parts, error) or (None, best error)."""
    scored = [(len(parts), scaled_error(value, v), parts) for parts, v in cands]
    ok = [s for s in scored if s[1] <= tol]
    if ok:
        n, err, parts = min(ok, key=lambda s: (s[0], s[1]))
        return parts, err
    return None, min((s[1] for s in scored), default=float("inf"))


def reference_loss(function: str, kw: dict[str, Any]) -> tuple[float, np.ndarray]:
    """The correct ``(loss, dW)`` of a loss probe, in float64 (the grader's own formulas).

    ``ValueError`` for a loss the grader has no formulas for (see :data:`VARIANTS`).
    """
    loss_cands, grad_cands = _candidates(function, kw)
    if not loss_cands:
        raise ValueError(f"function {function!r}: the grader has no formulas for this loss")
    return float(loss_cands[0][1]), grad_cands[0][1]


# --------------------------------------------------------------------------------------------
# Diagnosis of one probe
# --------------------------------------------------------------------------------------------

def _ctx(probe: Probe) -> dict[str, Any]:
    kw = probe.kwargs
    ctx: dict[str, Any] = {"function": probe.function, "delta": float(kw.get("delta", 1.0))}
    if "X" in kw:
        ctx["N"] = int(np.shape(kw["X"])[0])
    if "X" in kw:
        ctx["N2"] = ctx["N"] ** 2
    if "W" in kw and "X" in kw:
        ctx["NC"] = ctx["N"] * int(np.shape(kw["W"])[1])
    return ctx


def _common(probe: Probe, outcome: dict[str, Any], ref_dtype) -> list[tuple[str, str]]:
    """Checks that do not depend on the values: inputs modified, error text, dtype."""
    out: list[tuple[str, str]] = []
    fn = probe.function
    modified = list(outcome.get("modified_inputs") or [])
    if outcome.get("inputs_modified") or modified:
        names = ", ".join(modified) if modified else "an input"
        out.append(("inputs_modified",
                    f"Your {fn} changed {names} in place (e.g. X -= ..., W += ..., X[:, -1] = 1, "
                    "or writing into a view of an input): inputs must never be modified; work on a copy "
                    "or on new arrays."))
    dtype = outcome.get("dtype") or ""
    if outcome.get("ok") and ref_dtype is not None and dtype and np.dtype(dtype) != np.dtype(ref_dtype):
        out.append(("dtype",
                    f"For {np.dtype(ref_dtype)} inputs your {fn} returns {dtype}: the dtype must be "
                    f"preserved ({np.dtype(ref_dtype)} in, {np.dtype(ref_dtype)} out). Avoid float64 "
                    "accumulators for float32 data, or cast at the end with .astype(W.dtype)."))
    return out


def _score_range(kw: dict[str, Any]) -> tuple[float, float, bool]:
    """(largest score, largest within-row spread, is float32) of a loss probe."""
    W = np.asarray(kw["W"], dtype=np.float64)
    X = np.asarray(kw["X"], dtype=np.float64)
    S = X @ W
    is32 = np.asarray(kw["W"]).dtype.itemsize <= 4
    return float(np.max(S)), float(np.max(S.max(axis=1) - S.min(axis=1))), is32


def _stability_message(kind: str, top: float, spread: float, is32: bool) -> tuple[str, str]:
    emax = _FLOAT32_EXP_MAX if is32 else _FLOAT64_EXP_MAX
    emin = _FLOAT32_EXP_MIN if is32 else _FLOAT64_EXP_MIN
    overflow = top > emax
    underflow = -spread < emin
    prec = "float32" if is32 else "float64"
    if overflow and not underflow:
        return "no_shift", message("no_shift", kind, top=top, prec=prec, emax=emax)
    if underflow and not overflow:
        return "log_underflow", message("log_underflow", kind, spread=spread)
    return "not_finite", message("not_finite", kind,
                                 where=f" (scores up to {top:.4g}, row spread up to {spread:.4g})")


def _error_message(probe: Probe, error: str) -> tuple[str, str]:
    fn = probe.function
    if error.startswith("NotImplementedError"):
        return ("not_implemented", f"{fn} is not implemented yet (it raised NotImplementedError).")
    hint = ""
    low = error.lower()
    if fn.endswith(".predict"):
        hint = (" predict must return one label per example: classes_[argmax of the scores over the "
                "classes, axis=1].")
    elif "bias" in low:
        hint = " Check that the minibatch gets the bias column (the bias trick) before calling the loss."
    elif "y must be in" in low:
        hint = (" The loss needs class INDICES 0..C-1: pass the encoded labels (the index into "
                "classes_), not the original labels.")
    elif any(s in low for s in ("shape", "broadcast", "align", "index")):
        hint = " Check the shapes: X is (N, D), W is (D, C), scores (N, C), dW must be (D, C)."
    return ("error", f"Your {fn} raised {error}.{hint}")


def _diagnose_loss(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    ctx = _ctx(probe)
    W = np.asarray(kw["W"])
    out = _common(probe, outcome, W.dtype)
    fn = probe.function
    top, spread, is32 = _score_range(kw)
    error = outcome.get("error")
    if error:
        low = error.lower()
        if "not finite" in low or "overflow" in low or "nan" in low or "inf" in low:
            out.append(_stability_message(f"loss from your {fn}", top, spread, is32))
        else:
            out.append(_error_message(probe, error))
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
    loss_cands, grad_cands = _candidates(fn, kw)
    if not loss_cands:                  # a registered loss without known formulas: nothing to compare
        return out
    ref_loss, ref_dW = loss_cands[0][1], grad_cands[0][1]
    lparts, _ = _best(loss_cands, loss, tol)
    gparts, _ = (_best(grad_cands, dW, tol) if dW is not None else ((), 0.0))
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
            out.append((part, _msg(part, "loss and dW", ctx)))
            continue
        for what in whats:
            key = f"{what}.{part}" if f"{what}.{part}" in _MESSAGES else part
            out.append((key, _msg(part, what, ctx)))
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


def _softmax_ref(scores: np.ndarray, axis: int, log: bool) -> np.ndarray:
    with np.errstate(all="ignore"):
        shifted = scores - np.max(scores, axis=axis, keepdims=True)
        lse = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        return shifted - lse if log else np.exp(shifted - lse)


def _diagnose_array(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    scores = np.asarray(kw["scores"], dtype=np.float64)
    axis = int(kw.get("axis", -1))
    log = probe.function == "log_softmax"
    out = _common(probe, outcome, np.asarray(kw["scores"]).dtype)
    fn = probe.function
    if outcome.get("error"):
        err = outcome["error"]
        low = err.lower()
        if "overflow" in low or "not finite" in low or "nan" in low:
            out.append(_array_stability(fn, scores, axis, log))
        else:
            out.append(_error_message(probe, err))
        return out
    got = outcome.get("output")
    if got is None or np.shape(got) != scores.shape:
        out.append(("shape", f"Your {fn} returns shape {None if got is None else np.shape(got)}; it must "
                    f"return the shape of scores, {scores.shape}."))
        return out
    got = np.asarray(got, dtype=np.float64)
    ref = _softmax_ref(scores, axis, log)
    if scaled_error(got, ref) <= 1e-6:
        return out
    if not np.isfinite(got).all():
        out.append(_array_stability(fn, scores, axis, log, got))
        return out
    other = 1 - (axis % 2) if scores.ndim == 2 else axis
    with np.errstate(all="ignore"):
        e = np.exp(scores - np.max(scores, axis=axis, keepdims=True))
        variants = [
            ("axis_ignored", _softmax_ref(scores, -1, log),
             f"Your {fn} ignores the axis argument: with axis={axis} it returns the result for axis=-1. "
             "Use axis (with keepdims=True) in every max and sum."),
            ("wrong_axis", _softmax_ref(scores, other, log),
             f"Your {fn} normalizes over the wrong axis: the max and the sum must run along axis={axis}."),
            ("not_normalized", np.log(e) if log else e,
             f"Your {fn} output is not normalized (probabilities do not sum to 1 along the axis): divide "
             "exp(shifted) by its sum along the axis (subtract log of the sum for log_softmax)."),
            ("returns_probs", _softmax_ref(scores, axis, False),
             "Your log_softmax returns the probabilities, not their logs."),
            ("returns_log", _softmax_ref(scores, axis, True),
             "Your softmax returns log-probabilities, not probabilities."),
            ("shift_wrong_axis",
             _shift_wrong_axis(scores, axis, other, log),
             f"Your {fn} subtracts the maximum over the wrong axis: subtract np.max(scores, axis={axis}, "
             "keepdims=True)."),
        ]
    for key, v, text in variants:
        if scaled_error(got, v) <= 1e-6 and not (key == "axis_ignored" and axis % 2 == 1):
            out.append((f"{fn}.{key}", text))
            return out
    if not log:
        sums = got.sum(axis=axis)
        if not np.allclose(sums, 1.0, atol=1e-6):
            out.append((f"{fn}.not_normalized",
                        f"Your {fn} output does not sum to 1 along axis={axis} (sums range "
                        f"{sums.min():.4g}..{sums.max():.4g}): probabilities not normalized."))
            return out
    out.append((f"{fn}.other", f"Your {fn} differs from the correct result by up to "
                f"{float(np.max(np.abs(got - ref))):.3g}."))
    return out


def _shift_wrong_axis(scores, axis, other, log):
    shifted = scores - np.max(scores, axis=other, keepdims=True)
    lse = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return shifted - lse if log else np.exp(shifted) / np.sum(np.exp(shifted), axis=axis, keepdims=True)


def _array_stability(fn: str, scores: np.ndarray, axis: int, log: bool,
                     got: np.ndarray | None = None) -> tuple[str, str]:
    top = float(np.max(scores))
    spread = float(np.max(np.max(scores, axis=axis) - np.min(scores, axis=axis)))
    underflow_only = False
    if got is not None and log:
        bad = ~np.isfinite(got)
        ref = _softmax_ref(scores, axis, True)
        # log(0) of an underflowed probability: -inf only where the true log-probability is tiny
        underflow_only = bool(np.all(np.isneginf(got[bad])) and np.all(ref[bad] < _FLOAT64_EXP_MIN + 45))
    if underflow_only and spread > -_FLOAT64_EXP_MIN:
        return ("log_underflow", f"Your {fn} gives -inf when scores differ by {spread:.4g}: log of a "
                "probability that underflowed to 0. Compute shifted - log(sum(exp(shifted))) instead of "
                "log(softmax(...)).")
    if top > _FLOAT64_EXP_MAX:
        return ("no_shift", f"Your {fn} is not finite for scores around {top:.4g}: np.exp overflows. "
                "Subtract the maximum along the axis before np.exp (the max-shift).")
    return ("not_finite", f"Your {fn} returns NaN or inf for finite scores (max {top:.4g}): use the "
            "max-shift and log-sum-exp.")


# --------------------------------------------------------------------------------------------
# Classifiers: the SGD step and predict
# --------------------------------------------------------------------------------------------

def _diagnose_fit(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    out = _common(probe, outcome, None)
    cls = probe.function.split(".")[0]
    if outcome.get("error"):
        out.append(_error_message(probe, outcome["error"]))
        return out
    lr = float(kw["learning_rate"])
    Ws = outcome.get("W_steps")
    grads = outcome.get("grad_steps")
    k = int(outcome.get("num_loss_calls") or 0)
    if k != int(kw["num_iters"]):
        out.append(("fit.calls", message("fit.calls", cls=cls, k=k, num_iters=kw["num_iters"])))
    if k and grads is not None and Ws is not None:
        Ws = np.asarray(Ws, dtype=np.float64)
        grads = np.asarray(grads, dtype=np.float64)
        steps = Ws[1:] - Ws[:-1]
        checks = [
            ("", -lr * grads, ""),
            ("fit.ascent", lr * grads, message("fit.ascent", cls=cls)),
            ("fit.no_lr", -grads, message("fit.no_lr", cls=cls)),
            ("fit.no_update", 0 * grads, message("fit.no_update", cls=cls)),
        ]
        if not np.all(np.isfinite(steps)):
            out.append(("fit.diverged", f"{cls}.fit produced non-finite weights: check the SGD step."))
        else:
            for key, expected, text in checks:
                frozen = key == "fit.no_update" and np.max(np.abs(steps)) == 0
                if scaled_error(steps, expected) <= 1e-6 or frozen:
                    if key:
                        out.append((key, text))
                    break
            else:
                c = float(np.sum(steps * -grads)) / max(float(np.sum(grads * grads)), 1e-300)
                out.append(("fit.step", message("fit.step", cls=cls, c=c, lr=lr)))
        sizes = np.asarray(outcome.get("batch_sizes", []))
        if sizes.size and not np.all(sizes == int(kw["batch_size"])):
            out.append(("fit.batch_size", message("fit.batch_size", cls=cls, got=int(sizes[0]),
                                                  batch_size=int(kw["batch_size"]))))
        labels = np.asarray(outcome.get("batch_labels", []))
        C = len(np.unique(kw["y"]))
        if labels.size and (labels.min() < 0 or labels.max() >= C):
            out.append(("fit.labels", message("fit.labels", cls=cls)))
        hist = outcome.get("loss_history")
        losses = outcome.get("loss_steps")
        if hist is not None and losses is not None and np.shape(hist) == np.shape(losses):
            if scaled_error(hist, losses) > 1e-6:
                out.append(("fit.history", message("fit.history", cls=cls)))
    return out


def _diagnose_predict(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    out = _common(probe, outcome, None)
    cls = probe.function.split(".")[0]
    if outcome.get("error"):
        out.append(_error_message(probe, outcome["error"]))
        return out
    W = np.asarray(kw["W"], dtype=np.float64)
    X = np.asarray(kw["X"], dtype=np.float64)
    classes = np.asarray(kw["classes"])
    S = X @ W[:-1] + W[-1]
    got = np.asarray(outcome.get("output"))
    ref = classes[np.argmax(S, axis=1)]
    if got.shape == ref.shape and np.array_equal(got, ref):
        return out
    variants = [
        (np.argmax(S, axis=1), message("predict.indices", cls=cls).removeprefix(f"{cls}.predict ")),
        (classes[np.argmin(S, axis=1)], message("predict.argmin", cls=cls).removeprefix(f"{cls}.predict ")),
        (classes[np.argmax(X @ W[:-1], axis=1)], "ignores the bias row of W_ (the last row): scores are "
         "X @ W[:-1] + W[-1]."),
    ]
    for v, text in variants:
        if got.shape == v.shape and np.array_equal(got, v):
            out.append(("predict", f"{cls}.predict {text}"))
            return out
    if got.shape != ref.shape:
        out.append(("predict.shape", message("predict.shape", cls=cls, got=got.shape, expected=ref.shape)))
    else:
        out.append(("predict.other", f"{cls}.predict is wrong for {int(np.sum(got != ref))} of "
                    f"{len(ref)} examples: predict classes_[argmax of the scores X @ W + b, axis=1]."))
    return out


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def diagnose_keys(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    """Like :func:`diagnose`, with a short key per message (for de-duplication and tests)."""
    if is_loss_function(probe.function):
        return _diagnose_loss(probe, outcome)
    if probe.function in ARRAY_FUNCTIONS:
        return _diagnose_array(probe, outcome)
    if probe.function.endswith(".fit"):
        return _diagnose_fit(probe, outcome)
    if probe.function.endswith(".predict"):
        return _diagnose_predict(probe, outcome)
    return []


def diagnose(probe: Probe, outcome: dict[str, Any]) -> list[str]:
    """Messages for a student naming the suspected mistake(s) on one probe.

    Parameters
    ----------
    probe : Probe
        The probe that was run (from :func:`cs231n_lin.grading.probes.probe_cases`).
    outcome : dict
        What :func:`cs231n_lin.grading.probes.run_probe` returned for it in the worker:
        ``ok``, ``loss``, ``dW``, ``dtype``, ``error``, ``inputs_modified`` and the optional
        extra keys (``output``, ``loss_type``, ``modified_inputs``, ``W_steps``, ...).

    Returns
    -------
    list of str
        Empty when the result is correct (or nothing specific can be said).

    Examples
    --------
    >>> from cs231n_lin.grading.probes import probe_cases
    >>> probe = next(p for p in probe_cases() if p.name == "svm_loss_vectorized/reg")
    >>> loss, dW = reference_loss(probe.function, probe.kwargs)
    >>> N = probe.kwargs["X"].shape[0]
    >>> reg_term = probe.kwargs["reg"] * (probe.kwargs["W"] ** 2).sum()
    >>> summed = (loss - reg_term) * N + reg_term          # forgot to divide by N
    >>> msgs = diagnose(probe, {"ok": True, "loss": summed, "dW": dW, "dtype": "float64",
    ...                         "error": None, "inputs_modified": False})
    >>> "divide by N" in msgs[0]
    True
    """
    return [text for _, text in diagnose_keys(probe, outcome)]


def summarize(results: Iterable[tuple[Probe, dict[str, Any]]]) -> dict[str, list[str]]:
    """Diagnoses of many probes grouped by student function, each mistake reported once.

    Parameters
    ----------
    results : iterable of (Probe, outcome)

    Returns
    -------
    dict
        ``{function: [message, ...]}`` for the functions with at least one diagnosis, the
        message of each mistake key taken from the first probe that showed it.
    """
    grouped: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for probe, outcome in results:
        for key, text in diagnose_keys(probe, outcome):
            if (probe.function, key) in seen:
                continue
            seen.add((probe.function, key))
            grouped.setdefault(probe.function, []).append(text)
    return grouped
