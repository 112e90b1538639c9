"""Checks of what students write in notebook 2's cells: ``margin_loss``.

Expected values are stored constants for margins chosen by hand (one exactly on the kink at 0);
likely causes come from the stored outputs of known mistakes. Nothing here computes a hinge.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cs231n_lin.checks._core import Checker, named_check

__all__ = ["margin_loss"]

#: The margins of the check, a 2 x 3 array (the function must work elementwise on any shape).
MARGINS = ((-2.0, -0.5, 0.0), (0.5, 2.0, 3.0))
#: squared -> (loss, slope) for MARGINS.
EXPECTED = {
    False: (((0.0, 0.0, 0.0), (0.5, 2.0, 3.0)), ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0))),
    True: (((0.0, 0.0, 0.0), (0.25, 4.0, 9.0)), ((0.0, 0.0, 0.0), (1.0, 4.0, 6.0))),
}
#: (squared, "loss" or "slope") -> {mistake key: what that mistake returns}.
MISTAKES = {
    (False, "loss"): {"ml.no_clip": ((-2.0, -0.5, 0.0), (0.5, 2.0, 3.0))},
    (False, "slope"): {"ml.kink": ((0.0, 0.0, 1.0), (1.0, 1.0, 1.0)),
                       "ml.slope_is_loss": ((0.0, 0.0, 0.0), (0.5, 2.0, 3.0))},
    (True, "loss"): {"ml.sq_no_clip": ((4.0, 0.25, 0.0), (0.25, 4.0, 9.0)),
                     "ml.sq_not_squared": ((0.0, 0.0, 0.0), (0.5, 2.0, 3.0))},
    (True, "slope"): {"ml.sq_no2": ((0.0, 0.0, 0.0), (0.5, 2.0, 3.0)),
                      "ml.sq_no_clip": ((-4.0, -1.0, 0.0), (1.0, 4.0, 6.0)),
                      "ml.sq_hinge_slope": ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
                      "ml.sq_slope_squared": ((0.0, 0.0, 0.0), (0.25, 4.0, 9.0)),
                      "ml.sq_slope_2m2": ((0.0, 0.0, 0.0), (0.5, 8.0, 18.0))},
}
CAUSES = {
    "ml.no_clip": "the hinge is not clipped at 0: a negative margin (the margin is met) adds no loss.",
    "ml.kink": "at m = 0 this uses slope 1 (m >= 0); this course uses the slope 0 there (m > 0).",
    "ml.slope_is_loss": "the hinge slope is the loss itself; the slope of max(0, m) is 1 where m > 0, "
                        "else 0.",
    "ml.sq_no_clip": "the squared hinge is not clipped at 0 before squaring: a negative margin must "
                     "give loss 0 and slope 0.",
    "ml.sq_not_squared": "with squared=True the loss is the plain hinge: square max(0, m).",
    "ml.sq_no2": "the factor 2 is missing: d/dm of max(0, m)**2 is 2 max(0, m).",
    "ml.sq_hinge_slope": "with squared=True the slope is the hinge's (1 for every positive margin); "
                         "differentiate max(0, m)**2 instead.",
    "ml.sq_slope_squared": "the slope equals the loss: differentiate max(0, m)**2 (chain rule).",
    "ml.sq_slope_2m2": "the slope is 2 m**2; the derivative of m**2 is 2 m.",
    "ml.modified": "your function changed the margins it was given; work on a copy.",
}


def _show(a) -> str:
    return np.array2string(np.asarray(a, dtype=float), separator=", ").replace("\n", "")


@named_check("margin_loss")
def margin_loss(ck: Checker, fn: Callable) -> None:
    """``fn(m, squared) -> (loss, slope)`` on a 2 x 3 array of margins (one at the kink m = 0)."""
    m = np.array(MARGINS)
    for squared in (False, True):
        given = m.copy()
        out = ck.call(fn, given, squared, label="margin_loss")
        if not np.array_equal(given, m):
            ck.fail(f"the margins changed during the call (squared={squared})", key="ml.modified",
                    cause=CAUSES["ml.modified"], stop=True)
        try:
            loss, slope = (np.asarray(v, dtype=float) for v in out)
        except (TypeError, ValueError):
            ck.fail(f"margin_loss returned {out!r}; expected two arrays, (loss, slope)", stop=True)
        expected_loss, expected_slope = EXPECTED[squared]
        for part, got, expected in (("loss", loss, expected_loss), ("slope", slope, expected_slope)):
            where = f"squared={squared}, margins {_show(m)}"
            if got.shape != m.shape:
                ck.fail(f"the {part} has shape {got.shape}, expected {m.shape} (elementwise, like m)",
                        details=where, stop=True)
            if np.allclose(got, expected, rtol=0, atol=1e-12):
                continue
            key = next((k for k, v in MISTAKES[(squared, part)].items()
                        if np.allclose(got, v, rtol=0, atol=1e-12)), None)
            n_wrong = int(np.sum(~np.isclose(got, expected)))
            ck.fail(f"the {part} is {_show(got)}, which is wrong at {n_wrong} of "
                    f"{np.size(expected)} margins", details=where, key=key,
                    cause=CAUSES.get(key), stop=True)
