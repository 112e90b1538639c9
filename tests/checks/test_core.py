"""CheckResult's printout and the wrapper that never raises because of the student's code."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cs231n_lin import checks
from cs231n_lin.checks import CheckResult, Failure, named_check


def test_printout_format_is_exact():
    ok = CheckResult("x", "the title")
    assert repr(ok) == "PASS: the title" and ok and ok.passed
    bad = CheckResult("x", "the title", (Failure("loss is 2, expected 1", "on N=3", "divide by N", "avg_sum"),
                                         Failure("dW is wrong")))
    assert not bad
    assert repr(bad) == ("FAIL: the title\n  loss is 2, expected 1\n    on N=3\n  Likely cause: divide by N\n"
                         "  dW is wrong")
    data = json.loads(json.dumps(bad.to_json()))
    assert data["passed"] is False and data["failures"][0]["likely_cause"] == "divide by N"


def test_not_implemented_is_not_written_yet_with_function_and_file():
    def svm_loss_naive(W, X, y, reg):
        raise NotImplementedError
    result = checks.svm_naive_loss(svm_loss_naive)
    assert not result and result.not_written
    assert repr(result).splitlines()[1] == "  not written yet: svm_loss_naive in test_core.py"


def test_stub_message_of_the_release_is_kept():
    def f(W, X, y, reg):
        raise NotImplementedError("not written yet: svm_loss_naive in cs231n_lin/classifiers/linear_svm.py")
    assert "in cs231n_lin/classifiers/linear_svm.py" in repr(checks.svm_naive_loss(f))


def test_other_exception_names_type_message_and_student_line():
    def f(W, X, y, reg):
        scores = X @ W.T          # the student's bug
        return scores, W
    text = repr(checks.svm_naive_loss(f))
    assert "raised ValueError" in text and "scores = X @ W.T" in text
    assert "Likely cause: Check the shapes" in text


def test_garbage_return_value_is_reported_not_raised():
    assert "not (loss, dW)" in repr(checks.svm_vectorized(lambda W, X, y, reg: None))
    assert "could not be checked" in repr(checks.softmax(lambda s, axis=-1: "x"))


def test_numpy_warnings_are_silenced_in_checks(recwarn):
    def f(W, X, y, reg):
        return float(np.log(np.zeros(1))[0]), np.zeros_like(W)
    result = checks.svm_naive_loss(f)
    assert not result and not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_named_check_body_error_is_a_failure():
    @named_check("margin_loss")
    def body(ck, fn):
        a, b = fn()
    assert "could not be checked" in repr(body(lambda: 1))
    assert repr(body(lambda: 1)).startswith("FAIL: margin_loss: loss and slope")      # the task's title


def test_a_check_needs_a_task_of_the_table():
    with pytest.raises(TypeError, match="needs the id of the task"):
        named_check()


def test_results_are_deterministic():
    def f(W, X, y, reg):
        return 2.0, 0 * W
    assert repr(checks.svm_vectorized(f)) == repr(checks.svm_vectorized(f))
