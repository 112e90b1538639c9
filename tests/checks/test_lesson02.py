# GRADER ONLY
# (it holds reference solutions of notebook cells, so it stays out of the student release)
"""Notebook 2's cell check (margin_loss): the reference passes, each known mistake gets its cause."""

from __future__ import annotations

import numpy as np
import pytest

from cs231n_lin import checks
from cs231n_lin.checks import lesson02
from cs231n_lin.gradient_check import eval_numerical_gradient


def reference(m, squared=False):
    positive = np.maximum(0.0, m)
    if squared:
        return positive**2, 2.0 * positive
    return positive, (m > 0).astype(float)


def mistake(kind):
    def fn(m, squared=False):
        pos = np.maximum(0.0, m)
        if not squared:
            if kind == "no_clip":
                return m.copy(), (m > 0).astype(float)
            if kind == "kink":
                return pos, (m >= 0).astype(float)
            if kind == "slope_is_loss":
                return pos, pos
            if kind == "modified":
                m *= 2
            return reference(m, False)
        loss, slope = {
            "sq_no_clip": (m**2, 2 * m), "sq_not_squared": (pos, 2 * pos), "sq_no2": (pos**2, pos),
            "sq_hinge_slope": (pos**2, (m > 0).astype(float)), "sq_slope_squared": (pos**2, pos**2),
            "sq_slope_2m2": (pos**2, 2 * pos**2),
        }.get(kind, reference(m, True))
        return loss, slope
    return fn


def test_reference_passes():
    assert checks.margin_loss(reference).passed


@pytest.mark.parametrize("kind", ["no_clip", "kink", "slope_is_loss", "modified", "sq_no_clip",
                                  "sq_not_squared", "sq_no2", "sq_hinge_slope", "sq_slope_squared",
                                  "sq_slope_2m2"])
def test_each_mistake_fails_with_its_cause(kind):
    result = checks.margin_loss(mistake(kind))
    assert not result.passed
    assert result.failures[0].key == f"ml.{kind}", repr(result)
    assert f"Likely cause: {lesson02.CAUSES['ml.' + kind]}" in repr(result)


def test_unwritten_and_scalar_only_functions_fail():
    def stub(m, squared=False):
        raise NotImplementedError
    assert checks.margin_loss(stub).failures[0].what.startswith("not written yet")

    def scalar_only(m, squared=False):
        return float(max(0.0, m)), 1.0                # fails on an array
    assert not checks.margin_loss(scalar_only).passed


def test_stored_values_agree_with_centered_differences_away_from_the_kink():
    m = np.array(lesson02.MARGINS)
    for squared in (False, True):
        loss, slope = (np.array(v) for v in lesson02.EXPECTED[squared])
        for idx in zip(*np.nonzero(np.abs(m) > 0.1), strict=True):
            def f(v, squared=squared):
                return float(max(0.0, v[0]) ** (2 if squared else 1))
            assert np.isclose(eval_numerical_gradient(f, np.array([m[idx]]))[0], slope[idx])
            assert np.isclose(f(np.array([m[idx]])), loss[idx])
