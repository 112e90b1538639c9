"""Performance feedback: the named cause comes from deterministic measurements (line counts,
tracemalloc), so these tests assert on causes, never on exact timings."""

from __future__ import annotations

import numpy as np
import pytest

from cs231n_lin.classifiers import softmax_loss_vectorized, svm_loss_naive, svm_loss_vectorized
from cs231n_lin.grading.run import perf

SIZE = {"N": 2000, "D": 500, "C": 10, "dtype": "float64", "repeats": 3}


def svm_with_nd_temporary(W, X, y, reg):
    """Correct values, but dW is built from X * column, an N x D temporary per class."""
    N = X.shape[0]
    rows = np.arange(N)
    scores = X @ W
    margins = np.maximum(scores - scores[rows, y][:, None] + 1.0, 0.0)
    margins[rows, y] = 0.0
    dscores = (margins > 0).astype(X.dtype)
    dscores[rows, y] = -dscores.sum(axis=1)
    dW = np.empty_like(W)
    for c in range(W.shape[1]):
        dW[:, c] = (X * dscores[:, c:c + 1]).sum(axis=0)
    return float(margins.sum() / N + reg * np.sum(W * W)), dW / N + 2 * reg * W


def softmax_loop_over_examples(W, X, y, reg):
    """Correct values with one Python iteration per example."""
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(X.shape[0]):
        s = X[i] @ W
        s = s - s.max()
        p = np.exp(s) / np.exp(s).sum()
        loss -= np.log(p[y[i]])
        p[y[i]] -= 1.0
        dW += np.outer(X[i], p)
    N = X.shape[0]
    return loss / N + reg * np.sum(W * W), dW / N + 2 * reg * W


def test_nd_temporary_implementation_is_correct():
    rng = np.random.default_rng(0)
    W, X, y = rng.standard_normal((6, 4)), rng.standard_normal((9, 6)), rng.integers(0, 4, 9)
    for fn, ref in ((svm_with_nd_temporary, svm_loss_vectorized),
                    (softmax_loop_over_examples, softmax_loss_vectorized)):
        loss, dW = fn(W, X, y, 0.3)
        rloss, rdW = ref(W, X, y, 0.3)
        assert np.isclose(loss, rloss) and np.allclose(dW, rdW)


@pytest.mark.parametrize("fn", [svm_loss_vectorized, softmax_loss_vectorized], ids=["svm", "softmax"])
def test_reference_is_named_fast_and_lean(fn):
    m = perf.measure(fn, **SIZE)
    assert m["error"] is None
    assert m["lines_per_example"] < perf.LOOP_LINES_PER_EXAMPLE
    assert m["extra_memory_ratio"] < perf.TEMP_MEMORY_RATIO
    assert m["ratio"] < 25, m            # ~1-2 in practice; generous for a loaded machine
    _, message = perf.feedback(m)
    assert "loop over the examples" not in message and "N x D" not in message


def test_nd_temporary_is_named():
    m = perf.measure(svm_with_nd_temporary, **SIZE)
    assert m["extra_memory_ratio"] >= perf.TEMP_MEMORY_RATIO
    assert m["lines_per_example"] < perf.LOOP_LINES_PER_EXAMPLE
    _, message = perf.feedback(m)
    assert "N x D intermediate" in message
    assert "loop over the examples" not in message


@pytest.mark.parametrize("fn", [softmax_loop_over_examples, svm_loss_naive], ids=["loop", "naive"])
def test_loop_over_examples_is_named_and_capped(fn):
    m = perf.measure(fn, N=600, D=200, C=10, dtype="float64", repeats=1)
    assert m["lines_per_example"] >= perf.LOOP_LINES_PER_EXAMPLE
    fraction, message = perf.feedback(m)
    assert "loop over the examples" in message
    assert fraction <= perf.LOOP_MAX_FRACTION


def test_float32_problem_runs_in_float32():
    seen = []

    def spy(W, X, y, reg):
        seen.append((W.dtype, X.dtype))
        return svm_loss_vectorized(W, X, y, reg)

    m = perf.measure(spy, N=300, D=50, C=5, dtype="float32", repeats=1)
    assert m["dtype"] == "float32" and set(seen) == {(np.dtype("float32"), np.dtype("float32"))}


def _m(ratio, mem=0.01, lines=0.0):
    return {"ratio": ratio, "extra_memory_ratio": mem, "lines_per_example": lines, "N": 4000, "D": 1000,
            "error": None}


def test_feedback_points_full_up_to_threshold_then_decreasing():
    ratios = [0.5, 1.0, 2.9, 3.0, 3.5, 6.0, 12.0, 29.0, 30.0, 100.0]
    fractions = [perf.feedback(_m(r))[0] for r in ratios]
    assert fractions[:4] == [1.0] * 4
    assert all(a > b for a, b in zip(fractions[3:-1], fractions[4:-1], strict=False))
    assert fractions[-2] == 0.0 and fractions[-1] == 0.0


def test_feedback_threshold_is_configurable():
    assert perf.feedback(_m(5.0), threshold=3.0)[0] < 1.0
    assert perf.feedback(_m(5.0), threshold=6.0)[0] == 1.0
    with pytest.raises(ValueError, match="threshold"):
        perf.feedback(_m(1.0), threshold=0)


def test_feedback_message_gives_ratio_and_memory():
    fraction, message = perf.feedback(_m(11.7, mem=3.0))
    assert "11.7x the time" in message and "3x the size of X" in message
    assert "N x D intermediate" in message
    assert f"{fraction:.0%}" in message


def test_slow_without_loop_or_temporaries_names_extra_passes():
    _, message = perf.feedback(_m(8.0, mem=0.05, lines=0.0))
    assert "extra passes over the N x C arrays" in message
    _, fast = perf.feedback(_m(1.2, mem=0.05, lines=0.0))
    assert "extra passes" not in fast and "full marks" in fast


def test_failing_function_gets_zero_with_the_error():
    def broken(W, X, y, reg):
        raise NotImplementedError("todo")

    m = perf.measure(broken, N=100, D=10, C=3, dtype="float64", repeats=1)
    assert m["error"].startswith("NotImplementedError") and m["ratio"] is None
    fraction, message = perf.feedback(m, name="svm_loss_vectorized")
    assert fraction == 0.0 and "NotImplementedError" in message and "svm_loss_vectorized" in message


def test_measure_rejects_bad_repeats():
    with pytest.raises(ValueError, match="repeats"):
        perf.measure(svm_loss_vectorized, N=10, D=3, C=2, dtype="float64", repeats=0)
