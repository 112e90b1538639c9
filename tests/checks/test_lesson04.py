# GRADER ONLY
# (it holds reference solutions of notebook cells, so it stays out of the student release)
"""Notebook 4's checks: logsumexp_rows and the softmax losses at scores of 1e4."""

from __future__ import annotations

import numpy as np
import pytest

from cs231n_lin import checks
from cs231n_lin.checks import lesson04
from cs231n_lin.classifiers.softmax import softmax_loss_naive, softmax_loss_vectorized


def lse(S):
    """A loop over rows, as a student may write it."""
    out = np.empty(S.shape[0])
    for i, row in enumerate(S):
        m = row.max()
        out[i] = m + np.log(np.sum(np.exp(row - m)))
    return out


MISTAKES = {
    "lse.no_shift": lambda S: np.log(np.sum(np.exp(S), axis=1)),
    "lse.global_max": lambda S: S.max() + np.log(np.sum(np.exp(S - S.max()), axis=1)),
    "lse.no_add_back": lambda S: np.log(np.sum(np.exp(S - S.max(axis=1, keepdims=True)), axis=1)),
    "lse.keepdims": lambda S: lse(S)[:, None],
    "lse.wrong_axis": lambda S: S.max(axis=0) + np.log(np.sum(np.exp(S - S.max(axis=0)), axis=0)),
}


def test_reference_passes():
    expected = "PASS: logsumexp_rows: log sum exp of every row, without overflow"
    assert repr(checks.logsumexp_rows(lse)) == expected


@pytest.mark.parametrize("key", list(MISTAKES))
def test_mistakes_are_named(key):
    result = checks.logsumexp_rows(MISTAKES[key])
    assert not result.passed and result.failures[0].key == key, repr(result)
    assert f"Likely cause: {lesson04.CAUSES[key]}" in repr(result)


def test_input_changed_is_caught():
    def fn(S):
        out = lse(S)
        S -= S.max(axis=1, keepdims=True)
        return out
    assert checks.logsumexp_rows(fn).failures[0].key == "lse.modified"


def test_the_package_losses_pass_and_an_unshifted_loss_fails():
    assert checks.softmax_losses_large_scores(softmax_loss_naive, softmax_loss_vectorized).passed

    def unshifted(W, X, y, reg):
        e = np.exp(X @ W)
        p = e / e.sum(axis=1, keepdims=True)
        rows = np.arange(len(y))
        loss = -np.mean(np.log(p[rows, y]))
        p[rows, y] -= 1
        return float(loss), (X.T @ p / len(y)).astype(W.dtype)

    result = checks.softmax_losses_large_scores(softmax_loss_naive, unshifted)
    assert not result.passed and result.failures[0].key == "loss.not_finite", repr(result)
    assert "unshifted" in result.failures[0].what


def test_a_loss_that_drops_float32_or_is_off_fails():
    def float64_grad(W, X, y, reg):
        loss, dW = softmax_loss_vectorized(W, X, y, reg)
        return loss, dW.astype(np.float64)

    result = checks.softmax_losses_large_scores(softmax_loss_naive, float64_grad)
    assert result.failures[0].key == "loss.dtype"

    def summed(W, X, y, reg):
        loss, dW = softmax_loss_vectorized(W, X, y, reg)
        return loss * len(y), dW

    out = repr(checks.softmax_losses_large_scores(summed, softmax_loss_vectorized))
    assert "the loss is 10000.0000, which is wrong" in out and "5000" not in out        # no expected value
