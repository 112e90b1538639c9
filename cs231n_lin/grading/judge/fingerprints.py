"""Write ``cs231n_lin/checks/fingerprints.json``: expected outputs of the visible checks (instructor only).

For each fixed, visible input of a named check this stores the correct output and the output
of each known mistake ("fingerprints"), computed by the grader's own formulas in
:mod:`cs231n_lin.grading.judge.variants`. The student-side checks only compare the student's
output with these stored numbers; no shipped code computes an answer. ``tests/checks``
regenerates the data and compares, so the shipped file cannot go stale.

Run ``python -m cs231n_lin.grading.judge.fingerprints`` after changing a case or a formula.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from cs231n_lin._io import atomic_write_text
from cs231n_lin.checks._data import DATA_PATH
from cs231n_lin.checks.tolerances import scaled_error
from cs231n_lin.grading.judge import variants as formulas

__all__ = ["build", "main", "DATA_PATH"]

VERSION = 1
_MAX_PARTS = 2          # mistakes combined at most in pairs (the simplest match names the bug)


def _r(a: Any) -> Any:
    """JSON-ready floats, rounded to 12 significant digits."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        return float(f"{float(arr):.12g}")
    return [_r(v) for v in arr]


def _loss_inputs(seed: int, N: int, D: int, C: int, scale: float) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D)).round(3)
    X[:, -1] = 1.0                                            # the bias column
    W = (scale * rng.normal(size=(D, C))).round(4)
    y = rng.permutation(np.arange(N) % C)
    return {"W": W, "X": X, "y": y}


def _large_inputs(seed: int) -> dict[str, Any]:
    """Scores of about 1000 + a few: exp overflows without the max-shift, nothing underflows."""
    inputs = _loss_inputs(seed, 6, 4, 3, 1.0)
    inputs["W"][-1] += 1000.0                                 # the bias row lifts every score
    return inputs


def _spread_inputs(seed: int) -> dict[str, Any]:
    """Scores within a row 800 apart: log(p) of a tiny probability underflows without log-sum-exp."""
    inputs = _loss_inputs(seed, 6, 4, 3, 1.0)
    inputs["W"][-1] += np.array([0.0, -800.0, 5.0])
    inputs["y"] = np.array([1, 0, 2, 1, 1, 0])
    return inputs


def _row_scale_inputs(seed: int) -> dict[str, Any]:
    """Rows of very different scale: half the examples score near +1e4, the others near -1e4. One
    maximum for the whole matrix pushes the low rows to exp(-2e4) = 0 and their loss to log(0)."""
    inputs = _loss_inputs(seed, 6, 4, 3, 1.0)
    inputs["X"][:, -1] = [1.0, -1.0, 1.0, -1.0, -1.0, 1.0]     # the "bias" feature flips sign per row
    inputs["W"][-1] += 1e4
    return inputs


#: The visible loss cases: name -> (function whose formulas apply, inputs, extra keywords).
LOSS_CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "svm": ("svm_loss_vectorized", _loss_inputs(231, 8, 5, 4, 0.6), {"reg": 0.1, "delta": 1.0}),
    "svm_delta": ("svm_loss_vectorized", _loss_inputs(232, 9, 4, 3, 0.8), {"reg": 0.05, "delta": 0.5}),
    "svm_squared": ("svm_loss_vectorized", _loss_inputs(233, 8, 5, 4, 0.6),
                    {"reg": 0.1, "delta": 1.0, "squared": True}),
    "softmax": ("softmax_loss_vectorized", _loss_inputs(234, 8, 5, 4, 0.8), {"reg": 0.1}),
    "softmax_large": ("softmax_loss_vectorized", _large_inputs(235), {"reg": 0.0}),
    "softmax_spread": ("softmax_loss_vectorized", _spread_inputs(238), {"reg": 0.0}),
    "softmax_rowscales": ("softmax_loss_vectorized", _row_scale_inputs(239), {"reg": 0.0}),
}


def _loss_case(function: str, inputs: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    kw = {**inputs, **extra}
    loss_cands, grad_cands = formulas.candidates(function, kw)   # correct one first
    correct_loss, correct_dW = loss_cands[0][1], grad_cands[0][1]

    def keep(cands, correct):
        out, seen = [], []
        for parts, value in cands[1:]:
            if not parts or len(parts) > _MAX_PARTS or not np.all(np.isfinite(value)):
                continue
            if scaled_error(value, correct) < 1e-9 or any(scaled_error(value, v) < 1e-12 for v in seen):
                continue
            seen.append(value)
            out.append(["+".join(parts), _r(value)])
        return out

    return {
        "function": function,
        "inputs": {"W": _r(inputs["W"]), "X": _r(inputs["X"]), "y": [int(v) for v in inputs["y"]], **extra},
        "loss": {"correct": _r(correct_loss), "variants": keep(loss_cands, correct_loss)},
        "dW": {"correct": _r(correct_dW), "variants": keep(grad_cands, correct_dW)},
    }


def _array_case(scores: np.ndarray, axis: int, log: bool) -> dict[str, Any]:
    ref = formulas.softmax_ref(scores, axis, log)
    other = 1 - (axis % 2)
    with np.errstate(all="ignore"):
        e = np.exp(scores - np.max(scores, axis=axis, keepdims=True))
        variants = [
            ("softmax.axis_ignored", formulas.softmax_ref(scores, -1, log)),
            ("softmax.wrong_axis", formulas.softmax_ref(scores, other, log)),
            ("softmax.not_normalized", np.log(e) if log else e),
            ("softmax.returns_probs" if log else "softmax.returns_log",
             formulas.softmax_ref(scores, axis, not log)),
            ("softmax.shift_wrong_axis", formulas.shift_wrong_axis(scores, axis, other, log)),
        ]
    kept = [[k, _r(v)] for k, v in variants
            if np.all(np.isfinite(v)) and scaled_error(v, ref) > 1e-9]
    return {"inputs": {"scores": _r(scores), "axis": axis}, "correct": _r(ref), "variants": kept}


def _array_cases() -> dict[str, Any]:
    rng = np.random.default_rng(236)
    small = rng.normal(size=(4, 5)).round(3) * 2
    large = (rng.normal(size=(3, 4)) * 3 + np.array([[1e4], [-1e4], [8000.0]])).round(3)
    out: dict[str, Any] = {}
    for log, fn in ((False, "softmax"), (True, "log_softmax")):
        out[f"fn_{fn}_rows"] = _array_case(small, 1, log)
        out[f"fn_{fn}_cols"] = _array_case(small, 0, log)
        out[f"fn_{fn}_large"] = _array_case(large, -1, log)
    spread = np.array([[0.0, -900.0, 10.0], [5.0, 5.0, -800.0]])
    out["fn_log_softmax_spread"] = _array_case(spread, -1, True)
    return out


def _predict_case() -> dict[str, Any]:
    rng = np.random.default_rng(237)
    X = rng.normal(size=(12, 3)).round(3)
    W = rng.normal(size=(4, 4)).round(3)          # 3 features + the bias row, 4 classes
    W[-1] = [0.0, 2.5, -2.5, 0.5]                 # a bias that changes some predictions
    classes = ["cat", "dog", "frog", "ship"]
    S = X @ W[:-1] + W[-1]
    labels = np.asarray(classes)[np.argmax(S, axis=1)]
    return {"inputs": {"X": _r(X), "W": _r(W), "classes": classes},
            "correct": labels.tolist(),
            "variants": [["predict.indices", np.argmax(S, axis=1).tolist()],
                         ["predict.argmin", np.asarray(classes)[np.argmin(S, axis=1)].tolist()]]}


def _fit_case() -> dict[str, Any]:
    """The SGD probe: W_0 from the estimator's own initialization, a constant gradient G."""
    seed, D, C, steps, lr = 7, 3, 3, 4, 0.5
    rng = np.random.default_rng(seed)
    W0 = 0.001 * rng.standard_normal((D + 1, C))   # what LinearClassifier.fit draws first
    G = np.arange(1.0, (D + 1) * C + 1).reshape(D + 1, C) / 10.0
    traj = {"correct": [W0 - t * lr * G for t in range(steps + 1)],
            "fit.ascent": [W0 + t * lr * G for t in range(steps + 1)],
            "fit.no_lr": [W0 - t * G for t in range(steps + 1)],
            "fit.no_update": [W0 for _ in range(steps + 1)]}
    return {"inputs": {"random_state": seed, "D": D, "C": C, "num_iters": steps, "learning_rate": lr,
                       "G": _r(G)},
            "correct": _r(traj["correct"]),
            "variants": [[k, _r(v)] for k, v in traj.items() if k != "correct"]}


def build() -> dict[str, Any]:
    """The whole fingerprint data (deterministic)."""
    cases: dict[str, Any] = {name: _loss_case(fn, inputs, extra)
                             for name, (fn, inputs, extra) in LOSS_CASES.items()}
    cases.update(_array_cases())
    cases["predict"] = _predict_case()
    cases["fit"] = _fit_case()
    return {"version": VERSION, "generated_by": "python -m cs231n_lin.grading.judge.fingerprints",
            "cases": cases}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"


def main(path: str | Path = DATA_PATH) -> int:
    """Write the data file; returns 0."""
    atomic_write_text(Path(path), dumps(build()))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
