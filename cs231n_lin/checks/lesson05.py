"""Check of notebook 5's cell function ``hinge_and_cross_entropy(S, y, delta)``.

The hinge losses are stored below (worked out by hand for these scores); the cross-entropies
come from ``scipy.special.logsumexp`` (``L_i = logsumexp(S_i) - S_i[y_i]``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import logsumexp

from cs231n_lin.checks._core import Checker, named_check

__all__ = ["hinge_and_cross_entropy"]

SCORES = np.array([
    [-2.85, 0.86, 0.28],        # the notebooks' worked example
    [10.0, -2.0, 3.0],          # every margin met: hinge 0
    [10.0, 8.9, 8.9],           # met by less than delta = 2
    [1.0, 1.0, 1.0],            # all equal
    [1000.0, 0.0, -1000.0],     # exp(1000) overflows float64
    [2.0, 3.0, 1.0],            # the correct class loses
    [-1.0, 0.5, 0.25],
])
LABELS = np.array([2, 0, 0, 1, 2, 0, 1])
#: Hinge loss of every row, by delta.
HINGE = {
    1.0: np.array([1.58, 0.0, 0.0, 2.0, 3002.0, 2.0, 0.75]),
    2.0: np.array([2.58, 0.0, 1.8, 4.0, 3004.0, 4.0, 2.25]),
}
#: The largest single margin of every row (the fingerprint of taking max instead of sum), by delta.
LARGEST_MARGIN = {
    1.0: np.array([1.58, 0.0, 0.0, 1.0, 2001.0, 2.0, 0.75]),
    2.0: np.array([2.58, 0.0, 0.9, 2.0, 2002.0, 3.0, 1.75]),
}

CAUSES = {
    "both.counted": "the correct class adds a margin of exactly Δ to every row: leave out j = y_i "
                    "(set its margin to 0 before summing).",
    "both.delta": "Δ is not used as given: the margins are s_j - s_{y_i} + delta.",
    "both.max": "the hinge loss sums the margins over j != y_i; this takes only the largest one.",
    "both.mean": "return one loss per example, shape (N,), not their mean or sum.",
    "ce.not_finite": "exp overflowed for the row with scores [1000, 0, -1000]: compute -log p_y from "
                     "log_softmax (or subtract each row's max before np.exp).",
    "ce.sign": "the cross-entropy has the wrong sign: it is -log p_y, a positive number.",
    "ce.argmax": "this is -log of the largest probability; the loss needs p of the correct class y_i.",
    "both.modified": "your function changed the score matrix it was given; work on a copy.",
}


def _pair(ck: Checker, fn: Callable, delta: float) -> tuple[np.ndarray, np.ndarray]:
    S = SCORES.copy()
    got = ck.call(fn, S, LABELS.copy(), delta, label="hinge_and_cross_entropy")
    if not np.array_equal(S, SCORES):
        ck.fail("hinge_and_cross_entropy changed its input S", key="both.modified",
                cause=CAUSES["both.modified"], stop=True)
    try:
        hinge, ce = (np.asarray(v, dtype=float) for v in got)
    except (TypeError, ValueError):
        ck.fail(f"hinge_and_cross_entropy returned {type(got).__name__}; expected two arrays "
                "(hinge losses, cross-entropy losses)", stop=True)
    N = len(LABELS)
    for name, value in (("hinge", hinge), ("cross-entropy", ce)):
        if value.shape != (N,):
            ck.fail(f"the {name} losses have shape {value.shape}, expected ({N},)", key="both.mean",
                    cause=CAUSES["both.mean"] if value.ndim == 0 else None, stop=True)
    return hinge, ce


@named_check("hinge_and_cross_entropy")
def hinge_and_cross_entropy(ck: Checker, fn: Callable) -> None:
    """Seven score rows (one with scores of ±1000), with delta 1 and 2."""
    rows = np.arange(len(LABELS))
    expected_ce = logsumexp(SCORES, axis=1) - SCORES[rows, LABELS]
    where = f"scores {SCORES.tolist()}, y = {LABELS.tolist()}"
    for delta in (1.0, 2.0):
        hinge, ce = _pair(ck, fn, delta)
        expected = HINGE[delta]
        if not (np.isfinite(hinge).all() and np.allclose(hinge, expected, rtol=1e-9, atol=1e-9)):
            wrong = [int(i) for i in rows if not np.isclose(hinge[i], expected[i], rtol=1e-9, atol=1e-9)]
            if np.allclose(hinge, expected + delta):
                key = "both.counted"
            elif np.allclose(hinge, LARGEST_MARGIN[delta]):
                key = "both.max"
            elif delta != 1.0 and np.allclose(hinge, HINGE[1.0]):
                key = "both.delta"
            else:
                key = None
            ck.fail(f"hinge losses with delta = {delta:g}: rows {wrong} are "
                    f"{hinge[wrong].round(4).tolist()}, which are wrong", details=where,
                    key=key, cause=CAUSES.get(key), stop=True)
        if not (np.isfinite(ce).all() and np.allclose(ce, expected_ce, rtol=1e-9, atol=1e-12)):
            wrong = [int(i) for i in rows if not (np.isfinite(ce[i]) and np.isclose(ce[i], expected_ce[i]))]
            log_p_max = logsumexp(SCORES, axis=1) - SCORES.max(axis=1)
            if not np.isfinite(ce).all():
                key = "ce.not_finite"
            elif np.allclose(ce, -expected_ce):
                key = "ce.sign"
            elif np.allclose(ce, log_p_max):
                key = "ce.argmax"
            else:
                key = None
            ck.fail(f"cross-entropy losses: rows {wrong} are {ce[wrong].round(4).tolist()}, "
                    "which are wrong", details=where, key=key,
                    cause=CAUSES.get(key), stop=True)
