"""What every diagnosis shares: the message context of a probe, the checks that need no formula
(inputs modified, dtype), a student's exception turned into a message, the exp() limits."""

from __future__ import annotations

from typing import Any

import numpy as np

from cs231n_lin.checks.messages import message
from cs231n_lin.grading.run.probes import Probe

FLOAT64_EXP_MAX = 709.0      # exp(x) overflows float64 above this
FLOAT64_EXP_MIN = -745.0     # exp(x) underflows to 0 below this
FLOAT32_EXP_MAX = 88.0
FLOAT32_EXP_MIN = -103.0


# Messages live in cs231n_lin.checks.messages (shared with the student-side checks).

def msg(key: str, what: str, ctx: dict[str, Any]) -> str:
    return message(key, what, **ctx)


def probe_context(probe: Probe) -> dict[str, Any]:
    kw = probe.kwargs
    ctx: dict[str, Any] = {"function": probe.function, "delta": float(kw.get("delta", 1.0))}
    if "X" in kw:
        ctx["N"] = int(np.shape(kw["X"])[0])
    if "X" in kw:
        ctx["N2"] = ctx["N"] ** 2
    if "W" in kw and "X" in kw:
        ctx["NC"] = ctx["N"] * int(np.shape(kw["W"])[1])
    return ctx


def common(probe: Probe, outcome: dict[str, Any], ref_dtype) -> list[tuple[str, str]]:
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



def error_message(probe: Probe, error: str) -> tuple[str, str]:
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

