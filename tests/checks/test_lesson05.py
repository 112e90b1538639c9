# GRADER ONLY
# (it holds reference solutions of notebook cells, so it stays out of the student release)
"""Notebook 5's check of hinge_and_cross_entropy."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import log_loss

from cs231n_lin import checks
from cs231n_lin.checks import lesson05
from cs231n_lin.classifiers.softmax import log_softmax


def both(S, y, delta=1.0):
    """Loops, as a student may write them (the cross-entropy from log_softmax)."""
    hinge = np.zeros(len(y))
    for i in range(len(y)):
        for j in range(S.shape[1]):
            if j != y[i]:
                hinge[i] += max(0.0, S[i, j] - S[i, y[i]] + delta)
    return hinge, -log_softmax(S, axis=1)[np.arange(len(y)), y]


def _largest_margin(S, y, delta):
    rows = np.arange(len(y))
    margins = np.maximum(0.0, S - S[rows, y][:, None] + delta)
    margins[rows, y] = 0.0
    return margins.max(axis=1)


def _unshifted_cross_entropy(S, y):
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    return -np.log(P[np.arange(len(y)), y])


def test_stored_values_agree_with_independent_oracles():
    """The stored hinge values equal the loop above; the cross-entropy oracle equals sklearn's log_loss."""
    for delta, expected in lesson05.HINGE.items():
        np.testing.assert_allclose(both(lesson05.SCORES, lesson05.LABELS, delta)[0], expected, atol=1e-12)
    moderate = np.abs(lesson05.SCORES).max(axis=1) < 100
    S, y = lesson05.SCORES[moderate], lesson05.LABELS[moderate]
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    assert np.isclose(both(S, y)[1].mean(), log_loss(y, P, labels=[0, 1, 2]))


def test_reference_passes():
    expected = "PASS: hinge_and_cross_entropy: both losses of every row"
    assert repr(checks.hinge_and_cross_entropy(both)) == expected


@pytest.mark.parametrize("key, fn", [
    ("both.counted", lambda S, y, delta=1.0: (both(S, y, delta)[0] + delta, both(S, y, delta)[1])),
    ("both.delta", lambda S, y, delta=1.0: both(S, y, 1.0)),
    ("both.max", lambda S, y, delta=1.0: (_largest_margin(S, y, delta), both(S, y, delta)[1])),
    ("both.mean", lambda S, y, delta=1.0: (both(S, y, delta)[0], both(S, y, delta)[1].mean())),
    ("ce.not_finite", lambda S, y, delta=1.0: (both(S, y, delta)[0], _unshifted_cross_entropy(S, y))),
    ("ce.sign", lambda S, y, delta=1.0: (both(S, y, delta)[0], -both(S, y, delta)[1])),
])
def test_mistakes_are_named(key, fn):
    result = checks.hinge_and_cross_entropy(fn)
    assert not result.passed and result.failures[0].key == key, repr(result)
    assert f"Likely cause: {lesson05.CAUSES[key]}" in repr(result)


def test_stored_largest_margins_agree_with_a_loop():
    for delta, expected in lesson05.LARGEST_MARGIN.items():
        largest = _largest_margin(lesson05.SCORES, lesson05.LABELS, delta)
        np.testing.assert_allclose(largest, expected, atol=1e-12)
