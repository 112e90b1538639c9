"""The grader's formulas: the correct loss and gradient of a probe, and each common mistake.

For a loss probe the grader recomputes, in float64 from the probe's own inputs, the correct
loss and gradient *and* the result of each common mistake ("computed variants"): the loss
summed instead of averaged, the regularization term missing or with the wrong factor, the
correct class counted in the hinge sum, a hard-coded ``delta = 1``, the squared hinge's
gradient without its factor 2, the one-hot term missing in the softmax gradient, the max
taken over the wrong axis, ... Variants combine (data term x averaging x regularization x
sign). Which formulas apply to a function comes from the loss registry (:data:`VARIANTS`).
Also the softmax function's reference and its wrong-axis shift. Read by
:mod:`cs231n_lin.grading.judge.diagnose` and :mod:`cs231n_lin.grading.judge.fingerprints`.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from cs231n_lin.checks.tolerances import scaled_error
from cs231n_lin.classifiers.registry import losses_of_function
from cs231n_lin.grading.run.probes import LOSS_FUNCTIONS

__all__ = ["VARIANTS", "is_loss_function", "reference_loss"]


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


def candidates(function: str, kw: dict[str, Any]):
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


def best(cands, value, tol):
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
    loss_cands, grad_cands = candidates(function, kw)
    if not loss_cands:
        raise ValueError(f"function {function!r}: the grader has no formulas for this loss")
    return float(loss_cands[0][1]), grad_cands[0][1]


def softmax_ref(scores: np.ndarray, axis: int, log: bool) -> np.ndarray:
    with np.errstate(all="ignore"):
        shifted = scores - np.max(scores, axis=axis, keepdims=True)
        lse = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        return shifted - lse if log else np.exp(shifted - lse)



def shift_wrong_axis(scores, axis, other, log):
    shifted = scores - np.max(scores, axis=other, keepdims=True)
    lse = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return shifted - lse if log else np.exp(shifted) / np.sum(np.exp(shifted), axis=axis, keepdims=True)

