"""The named checks of package functions: pass on the reference, fail on every catalogued bug with its cause.

The mutants are the grader's catalogue (tests/grading/mutants.py): each is a small edit of the
reference solution; ``keyword`` is what the likely cause must say.
"""

from __future__ import annotations

import importlib

import pytest

from cs231n_lin import checks
from cs231n_lin.classifiers import LinearSVM, Softmax

from .conftest import load_mutant, mutants

svm_mod = importlib.import_module("cs231n_lin.classifiers.linear_svm")
softmax_mod = importlib.import_module("cs231n_lin.classifiers.softmax")


def _results_for(name: str, module) -> list:
    """The checks that judge the function a mutant of this name edits."""
    if name.startswith("svm_naive"):
        fn = module.svm_loss_naive
        return [checks.svm_naive_loss(fn), checks.svm_naive_gradient(fn), checks.svm_squared(fn)]
    if name.startswith("svm_vec"):
        fn = module.svm_loss_vectorized
        return [checks.svm_vectorized(fn), checks.svm_squared(fn)]
    if name.startswith("softmax_naive"):
        return [checks.softmax_naive(module.softmax_loss_naive)]
    if name.startswith("softmax_vec"):
        return [checks.softmax_vectorized(module.softmax_loss_vectorized)]
    if name.startswith("softmax_fn"):
        return [checks.softmax(module.softmax)]
    if name.startswith("log_softmax"):
        return [checks.log_softmax(module.log_softmax)]
    if name.startswith("fit"):
        return [checks.sgd_step(module.LinearSVM), checks.sgd_step(module.Softmax)]
    if name.startswith("predict"):
        return [checks.predict(module.LinearSVM)]
    raise AssertionError(f"no check for mutant {name}")


@pytest.mark.parametrize("result", [
    checks.svm_naive_loss(svm_mod.svm_loss_naive), checks.svm_naive_gradient(svm_mod.svm_loss_naive),
    checks.svm_vectorized(svm_mod.svm_loss_vectorized), checks.svm_squared(svm_mod.svm_loss_naive),
    checks.svm_squared(svm_mod.svm_loss_vectorized), checks.softmax_naive(softmax_mod.softmax_loss_naive),
    checks.softmax_vectorized(softmax_mod.softmax_loss_vectorized), checks.softmax(softmax_mod.softmax),
    checks.log_softmax(softmax_mod.log_softmax), checks.sgd_step(LinearSVM), checks.sgd_step(Softmax),
    checks.predict(LinearSVM), checks.predict(Softmax),
], ids=lambda r: r.title)
def test_reference_passes(result):
    assert result.passed, repr(result)
    assert repr(result) == f"PASS: {result.title}"


@pytest.mark.parametrize("mutant", mutants.BUGS, ids=lambda m: m.name)
def test_bug_fails_with_its_cause(mutant):
    results = _results_for(mutant.name, load_mutant(mutant))
    failed = [r for r in results if not r.passed]
    assert failed, f"{mutant.name} passed every check"
    causes = " ".join(f.likely_cause or "" for r in failed for f in r.failures)
    assert mutant.keyword.lower() in causes.lower(), "\n".join(repr(r) for r in failed)


@pytest.mark.parametrize("mutant", mutants.CORRECT, ids=lambda m: m.name)
def test_correct_alternative_passes(mutant):
    for result in _results_for(mutant.name, load_mutant(mutant)):
        assert result.passed, repr(result)
