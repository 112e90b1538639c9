# GRADER ONLY
# (it holds reference solutions of notebook cells, so it stays out of the student release)
"""Notebook 3's cell checks: pass on reference code, fail with the right likely cause on known mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from cs231n_lin import checks
from cs231n_lin.checks import lesson03


def two_ways(f, y):
    """A loop-free reference a student may write (the notebook's solution)."""
    p = np.exp(f) / np.sum(np.exp(f))
    return -np.log(p[y]), -f[y] + np.log(np.sum(np.exp(f)))


def two_ways_mistake(kind):
    def fn(f, y):
        a, b = two_ways(f, y)
        p = np.exp(f) / np.sum(np.exp(f))
        if kind == "ce.sign":
            return -a, b
        if kind == "ce.argmax":
            return -np.log(p.max()), b
        if kind == "ce.log10":
            return a / np.log(10), b
        if kind == "ce.prob":
            return p[y], b
        if kind == "ce.no_log":
            return a, -f[y] + np.sum(np.exp(f))
        if kind == "ce.fy_sign":
            return a, f[y] + np.log(np.sum(np.exp(f)))
        raise AssertionError(kind)
    return fn


def score_gradient(f, y):
    """A loop, as a student may write it: p_j, then -1 at the correct class."""
    out = np.empty_like(f, dtype=float)
    total = np.sum(np.exp(f - f.max()))
    for j in range(len(f)):
        out[j] = np.exp(f[j] - f.max()) / total - (j == y)
    return out


def test_references_pass():
    assert repr(checks.cross_entropy_two_ways(two_ways)).startswith("PASS: cross_entropy_two_ways")
    assert checks.softmax_score_gradient(score_gradient).passed


@pytest.mark.parametrize("kind", ["ce.sign", "ce.argmax", "ce.log10", "ce.prob", "ce.no_log", "ce.fy_sign"])
def test_two_ways_mistakes_are_named(kind):
    result = checks.cross_entropy_two_ways(two_ways_mistake(kind))
    assert not result.passed
    assert result.failures[0].key == kind, repr(result)
    assert f"Likely cause: {lesson03.CAUSES[kind]}" in repr(result)


@pytest.mark.parametrize("kind, fn", [
    ("grad.no_minus_one", lambda f, y: score_gradient(f, y) + np.eye(len(f))[y]),
    ("grad.sign", lambda f, y: -score_gradient(f, y)),
    ("grad.minus_one_everywhere", lambda f, y: score_gradient(f, y) + np.eye(len(f))[y] - 1.0),
])
def test_gradient_mistakes_are_named(kind, fn):
    result = checks.softmax_score_gradient(fn)
    assert not result.passed and result.failures[0].key == kind, repr(result)


def test_gradient_that_modifies_its_input_is_caught():
    def fn(f, y):
        g = score_gradient(f, y)
        f -= f.max()
        return g
    result = checks.softmax_score_gradient(fn)
    assert result.failures[0].key == "grad.modified", repr(result)


def test_wrong_shape_and_unwritten_and_bad_return():
    assert "expected (3,)" in repr(checks.softmax_score_gradient(lambda f, y: score_gradient(f, y)[None, :]))

    def stub(f, y):
        raise NotImplementedError
    assert "not written yet: " in repr(checks.cross_entropy_two_ways(stub))
    assert "expected two numbers" in repr(checks.cross_entropy_two_ways(lambda f, y: 1.0))
