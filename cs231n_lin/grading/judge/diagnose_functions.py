"""Diagnosis of the other student functions: ``softmax``/``log_softmax`` (their output against
the usual mistakes), ``<Class>.fit`` (the recorded SGD steps) and ``<Class>.predict``."""

from __future__ import annotations

from typing import Any

import numpy as np

from cs231n_lin.checks.messages import message
from cs231n_lin.checks.tolerances import scaled_error
from cs231n_lin.grading.judge.diagnose_common import FLOAT64_EXP_MAX, FLOAT64_EXP_MIN, common, error_message
from cs231n_lin.grading.judge.variants import shift_wrong_axis, softmax_ref
from cs231n_lin.grading.run.probes import Probe


def diagnose_array(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    scores = np.asarray(kw["scores"], dtype=np.float64)
    axis = int(kw.get("axis", -1))
    log = probe.function == "log_softmax"
    out = common(probe, outcome, np.asarray(kw["scores"]).dtype)
    fn = probe.function
    if outcome.get("error"):
        err = outcome["error"]
        low = err.lower()
        if "overflow" in low or "not finite" in low or "nan" in low:
            out.append(_array_stability(fn, scores, axis, log))
        else:
            out.append(error_message(probe, err))
        return out
    got = outcome.get("output")
    if got is None or np.shape(got) != scores.shape:
        out.append(("shape", f"Your {fn} returns shape {None if got is None else np.shape(got)}; it must "
                    f"return the shape of scores, {scores.shape}."))
        return out
    got = np.asarray(got, dtype=np.float64)
    ref = softmax_ref(scores, axis, log)
    if scaled_error(got, ref) <= 1e-6:
        return out
    if not np.isfinite(got).all():
        out.append(_array_stability(fn, scores, axis, log, got))
        return out
    other = 1 - (axis % 2) if scores.ndim == 2 else axis
    with np.errstate(all="ignore"):
        e = np.exp(scores - np.max(scores, axis=axis, keepdims=True))
        variants = [
            ("axis_ignored", softmax_ref(scores, -1, log),
             f"Your {fn} ignores the axis argument: with axis={axis} it returns the result for axis=-1. "
             "Use axis (with keepdims=True) in every max and sum."),
            ("wrong_axis", softmax_ref(scores, other, log),
             f"Your {fn} normalizes over the wrong axis: the max and the sum must run along axis={axis}."),
            ("not_normalized", np.log(e) if log else e,
             f"Your {fn} output is not normalized (probabilities do not sum to 1 along the axis): divide "
             "exp(shifted) by its sum along the axis (subtract log of the sum for log_softmax)."),
            ("returns_probs", softmax_ref(scores, axis, False),
             "Your log_softmax returns the probabilities, not their logs."),
            ("returns_log", softmax_ref(scores, axis, True),
             "Your softmax returns log-probabilities, not probabilities."),
            ("shift_wrong_axis",
             shift_wrong_axis(scores, axis, other, log),
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



def _array_stability(fn: str, scores: np.ndarray, axis: int, log: bool,
                     got: np.ndarray | None = None) -> tuple[str, str]:
    top = float(np.max(scores))
    spread = float(np.max(np.max(scores, axis=axis) - np.min(scores, axis=axis)))
    underflow_only = False
    if got is not None and log:
        bad = ~np.isfinite(got)
        ref = softmax_ref(scores, axis, True)
        # log(0) of an underflowed probability: -inf only where the true log-probability is tiny
        underflow_only = bool(np.all(np.isneginf(got[bad])) and np.all(ref[bad] < FLOAT64_EXP_MIN + 45))
    if underflow_only and spread > -FLOAT64_EXP_MIN:
        return ("log_underflow", f"Your {fn} gives -inf when scores differ by {spread:.4g}: log of a "
                "probability that underflowed to 0. Compute shifted - log(sum(exp(shifted))) instead of "
                "log(softmax(...)).")
    if top > FLOAT64_EXP_MAX:
        return ("no_shift", f"Your {fn} is not finite for scores around {top:.4g}: np.exp overflows. "
                "Subtract the maximum along the axis before np.exp (the max-shift).")
    return ("not_finite", f"Your {fn} returns NaN or inf for finite scores (max {top:.4g}): use the "
            "max-shift and log-sum-exp.")



# --------------------------------------------------------------------------------------------
# Classifiers: the SGD step and predict
# --------------------------------------------------------------------------------------------

def diagnose_fit(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    out = common(probe, outcome, None)
    cls = probe.function.split(".")[0]
    if outcome.get("error"):
        out.append(error_message(probe, outcome["error"]))
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


def diagnose_predict(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    kw = probe.kwargs
    out = common(probe, outcome, None)
    cls = probe.function.split(".")[0]
    if outcome.get("error"):
        out.append(error_message(probe, outcome["error"]))
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

