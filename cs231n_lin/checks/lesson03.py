"""Checks of notebook 3's cell functions: ``cross_entropy_two_ways`` and ``softmax_score_gradient``.

Expected values come from a library oracle (``scipy.special.logsumexp``) and from centered
differences (:func:`cs231n_lin.gradient_check.eval_numerical_gradient`), never from a formula
the student is asked to write. Likely causes are found by comparing the student's numbers with
those of known mistakes, which are built from the oracle's numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import logsumexp

from cs231n_lin.checks._core import Checker, named_check
from cs231n_lin.gradient_check import eval_numerical_gradient

__all__ = ["cross_entropy_two_ways", "softmax_score_gradient"]

#: (scores, correct class) of the checks: the notebook's example first, then others.
SCORE_CASES: tuple[tuple[tuple[float, ...], int], ...] = (
    ((-2.85, 0.86, 0.28), 2),
    ((1.0, 2.0, 3.0, 4.0), 0),
    ((0.0, 0.0, 0.0), 1),
    ((5.0, -3.0), 1),
    ((0.5, -1.5, 2.5, 0.0, 1.0), 3),
)

#: Scores where p_y underflows to 0 in float64 (the first form gives -log 0 = inf).
UNDERFLOW_SCORES, UNDERFLOW_Y = (0.0, -900.0, 1.5), 1

CAUSES = {
    "ce.same_formula": "both numbers come from the same formula: compute the first from the "
                       "probabilities, p = exp(f) / sum(exp(f)) and then -log(p[y]); on scores where p_y "
                       "underflows to 0 it becomes inf, while the second form stays finite.",
    "ce.sign": "the minus sign is missing: the loss is -log p_y (positive), not log p_y.",
    "ce.argmax": "this uses the largest probability; the loss needs p of the correct class, p[y].",
    "ce.log10": "np.log is the natural logarithm; this looks like log base 10 (np.log10).",
    "ce.prob": "this returns a probability; the loss is -log of p[y].",
    "ce.no_log": "the log around the sum is missing: -f_y + log(sum_j exp(f_j)).",
    "ce.fy_sign": "f_y has the wrong sign: the second form is -f_y + log(sum_j exp(f_j)).",
    "grad.no_minus_one": "the -1 at the correct class is missing: dL/df_j = p_j for j != y, "
                         "and p_y - 1 for j = y.",
    "grad.sign": "the gradient has the wrong sign everywhere: differentiate -f_y + log(sum_k exp(f_k)), "
                 "the probabilities come in with a plus sign.",
    "grad.minus_one_everywhere": "1 is subtracted at every class; only the correct class y gets the -1.",
    "grad.modified": "your function changed the scores it was given; work on a copy.",
}


def _loss(f: np.ndarray, y: int) -> float:
    """The oracle: -f_y + log sum_j exp f_j via scipy."""
    return float(logsumexp(f) - f[y])


@named_check("cross_entropy_two_ways")
def cross_entropy_two_ways(ck: Checker, fn: Callable) -> None:
    """Both returned numbers against ``logsumexp(f) - f[y]`` on five score vectors."""
    for scores, y in SCORE_CASES:
        f = np.array(scores)
        got = ck.call(fn, f.copy(), y, label="cross_entropy_two_ways")
        try:
            first, second = (float(v) for v in got)
        except (TypeError, ValueError):
            ck.fail(f"cross_entropy_two_ways returned {type(got).__name__}; expected two numbers (a tuple: "
                    "the first form, then the second)", stop=True)
        expected = _loss(f, y)
        where = f"on scores {list(scores)}, y = {y}"
        p = np.exp(f - logsumexp(f))
        first_variants = {
            "ce.sign": -expected, "ce.argmax": -np.log(p.max()), "ce.log10": expected / np.log(10),
            "ce.prob": p[y], "ce.no_log": None,
        }
        second_variants = {
            "ce.sign": -expected, "ce.fy_sign": expected + 2 * f[y], "ce.no_log": np.sum(np.exp(f)) - f[y],
            "ce.log10": expected / np.log(10),
        }
        for label, value, variants in (("-log p_y (first)", first, first_variants),
                                       ("-f_y + log sum exp f (second)", second, second_variants)):
            if np.isfinite(value) and abs(value - expected) <= 1e-9 * max(1.0, abs(expected)):
                continue
            key = next((k for k, v in variants.items() if v is not None and np.isfinite(value)
                        and abs(value - v) <= 1e-6 * max(1.0, abs(v))), None)
            if key == "ce.argmax" and abs(p.max() - p[y]) < 1e-12:
                key = None
            ck.fail(f"the {label} number is {value:.6g}, which is not the loss", details=where,
                    key=key, cause=CAUSES.get(key), stop=True)
    # Two ways really computed two ways: where p_y underflows to 0, -log p_y is inf (or huge) while
    # -f_y + log sum exp f stays finite. The same number twice means one formula was used for both.
    f, y = np.array(UNDERFLOW_SCORES), UNDERFLOW_Y
    got = ck.call(fn, f.copy(), y, label="cross_entropy_two_ways")
    try:
        first, second = (float(v) for v in got)
    except (TypeError, ValueError):
        ck.fail("cross_entropy_two_ways did not return two numbers", stop=True)
    if np.isfinite(first) and np.isfinite(second) and abs(first - second) <= 1e-6 * max(1.0, abs(second)):
        ck.fail(f"on scores {list(UNDERFLOW_SCORES)}, y = {y}, both numbers are {first:.6g}",
                key="ce.same_formula", cause=CAUSES["ce.same_formula"], stop=True)


@named_check("softmax_score_gradient")
def softmax_score_gradient(ck: Checker, fn: Callable) -> None:
    """The worked example and 20 random score vectors against centered differences."""
    rng = np.random.default_rng(231)
    cases = [(np.array(s), y) for s, y in SCORE_CASES]
    for _ in range(20):
        C = int(rng.integers(2, 8))
        cases.append((rng.normal(scale=3.0, size=C), int(rng.integers(C))))
    for f, y in cases:
        original = f.copy()
        got = ck.call(fn, f, y, label="softmax_score_gradient")
        where = f"on scores {np.round(original, 3).tolist()}, y = {y}"
        if not np.array_equal(f, original):
            ck.fail("softmax_score_gradient changed its input scores", details=where, key="grad.modified",
                    cause=CAUSES["grad.modified"], stop=True)
        got = np.asarray(got, dtype=float) if got is not None else None
        if got is None or got.shape != f.shape:
            ck.fail(f"the gradient has shape {None if got is None else got.shape}, expected {f.shape} "
                    "(one number per class)", details=where, stop=True)
        numeric = eval_numerical_gradient(lambda v, y=y: _loss(v, y), f.copy(), h=1e-5)
        if np.isfinite(got).all() and np.allclose(got, numeric, rtol=1e-5, atol=1e-7):
            continue
        onehot = np.eye(len(f))[y]
        variants = {"grad.no_minus_one": numeric + onehot, "grad.sign": -numeric,
                    "grad.minus_one_everywhere": numeric + onehot - 1.0}
        key = next((k for k, v in variants.items()
                    if np.isfinite(got).all() and np.allclose(got, v, rtol=1e-5, atol=1e-6)), None)
        ck.fail(f"your gradient {np.round(got, 4).tolist()} differs from the numeric gradient "
                f"{np.round(numeric, 4).tolist()}", details=where, key=key, cause=CAUSES.get(key), stop=True)
