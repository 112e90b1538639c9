"""Named checks: the one feedback engine of notebook check cells, ``cs231n-lin check`` and the grader.

A named check takes the student's function (or estimator class) and returns a
:class:`CheckResult` whose ``repr`` is the printout of a check cell::

    >>> from cs231n_lin import checks
    >>> checks.svm_naive_loss(svm_loss_naive)            # doctest: +SKIP
    FAIL: svm_loss_naive: the loss
      the loss is 24.27, expected 3.034
        on the check's example: N=8, D=5, C=4, reg=0.1, delta=1.0, float64
      Likely cause: Your loss is not averaged over the examples: ...

It never raises because of the student's code: ``NotImplementedError`` becomes
``not written yet: <function> in <file>``, any other exception its type, message and the
student's line. Results are deterministic (fixed inputs, rounded numbers in the text).

Checks of package functions (this package): :func:`svm_naive_loss`, :func:`svm_naive_gradient`,
:func:`svm_vectorized`, :func:`svm_squared`, :func:`softmax_naive`, :func:`softmax_vectorized`,
:func:`softmax`, :func:`log_softmax`, :func:`sgd_step` and :func:`predict` (the last two take
the estimator class, e.g. ``LinearSVM``).
"""

from __future__ import annotations

import importlib
from typing import Any

from cs231n_lin.checks._core import Checker, CheckResult, Failure, named_check
from cs231n_lin.checks.estimators import predict, sgd_step
from cs231n_lin.checks.losses import (
    softmax_naive,
    softmax_vectorized,
    svm_naive_gradient,
    svm_naive_loss,
    svm_squared,
    svm_vectorized,
)
from cs231n_lin.checks.softmax_fn import log_softmax, softmax

__all__ = [
    "CheckResult", "Checker", "Failure", "PACKAGE_CHECKS", "log_softmax", "named_check", "predict",
    "sgd_step", "softmax", "softmax_naive", "softmax_vectorized", "svm_naive_gradient", "svm_naive_loss",
    "svm_squared", "svm_vectorized",
]

#: The checks of package functions, by name.
PACKAGE_CHECKS = {
    "svm_naive_loss": svm_naive_loss, "svm_naive_gradient": svm_naive_gradient,
    "svm_vectorized": svm_vectorized, "svm_squared": svm_squared, "softmax_naive": softmax_naive,
    "softmax_vectorized": softmax_vectorized, "softmax": softmax, "log_softmax": log_softmax,
    "sgd_step": sgd_step, "predict": predict,
}

#: Lesson modules whose public checks are re-exported here (written by the lesson helpers).
_LESSONS = ("lesson01", "lesson02", "lesson03", "lesson04", "lesson05")


def __getattr__(name: str) -> Any:
    """``checks.<lesson check>``: looked up in the lesson modules on first use."""
    for lesson in _LESSONS:
        try:
            module = importlib.import_module(f"{__name__}.{lesson}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{lesson}":
                continue
            raise
        if hasattr(module, name) and not name.startswith("_"):
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no check named {name!r}")
