"""The three judges agree, on every mutant of the catalogue and on the reference.

At the level of the task engine (cheap enough for every mutant): the check cell and
``cs231n-lin check`` both evaluate the task's ``call`` (one engine, so one verdict: that is what
``visible`` is here), and ``grade`` judges the same visible verdict plus the task's hidden cases
with :mod:`cs231n_lin.grading.judge.taskjudge`, the worker's calls made in this process. The wiring
through kernels and the real grader is proven end to end in ``tests/grading`` and by nbval.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from cs231n_lin import checks, tasks
from cs231n_lin.checks.estimators import record_fit
from cs231n_lin.grading.judge import taskcases, taskjudge
from cs231n_lin.grading.run.worker import TaskOutcome

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "checks"))
from conftest import load_mutant, mutants  # noqa: E402

CASES = taskcases.load_cases(ROOT / "tests" / "hidden")
PACKAGE_TASKS = [t for t in tasks.of_kind("code") if all(":" in w for w in t.writes)]


def _module_of(task_file: str) -> str:
    return task_file.removesuffix(".py").replace("/", ".")


def _names(task, swapped: dict[str, object]) -> dict[str, object]:
    ns: dict[str, object] = {"checks": checks}
    from cs231n_lin.selfcheck.plan import package_names

    for name, target in package_names(task).items():
        module, attr = target.split(":")
        ns[name] = getattr(swapped.get(module) or importlib.import_module(module), attr)
    return ns


def _run_case(case: dict, inputs: dict, swapped: dict[str, object]) -> TaskOutcome:
    """What the sandboxed worker would report for ``case``, computed here."""
    module, name = case["function"].split(":")
    target = getattr(swapped.get(module) or importlib.import_module(module), name)
    judge = case.get("judge", ())
    args = {k: np.array(v) for k, v in inputs.items()}
    try:
        with np.errstate(all="ignore"):
            if "recorded_fit" in judge:
                value = record_fit(target, args["X"], args["y"], args["G"], **case["params"])
            elif "labels" in judge:
                est = target(fit_intercept=True)
                est.W_, est.classes_ = args["W"], args["classes"]
                est.n_features_in_, est.loss_history_ = args["X"].shape[1], np.zeros(1)
                value = est.predict(args["X"])
            else:
                value = target(**args, **case.get("kwargs", {}))
    except Exception as exc:  # noqa: BLE001 - the worker reports any error as data
        return TaskOutcome("x", ok=False, error=f"{type(exc).__name__}: {exc}")
    if isinstance(value, tuple):
        value = tuple(float(v) if np.ndim(v) == 0 else np.asarray(v) for v in value)
    return TaskOutcome("x", ok=True, value=value, inputs_after={k: v for k, v in args.items()})


def judges(task, swapped: dict[str, object]):
    """``(visible CheckResult, grade's TestResult)`` of one task on the (possibly mutated) package."""
    visible = eval(compile(task.call, "<check cell>", "eval"), _names(task, swapped))  # noqa: S307
    f = visible.failures[0] if visible.failures else None
    seen = (visible.passed, visible.not_written, f.what if f else "", f.details if f else "",
            (f.likely_cause or "") if f else "", (f.key or "") if f else "")
    rows = []
    for case in CASES[task.id]:
        inputs = taskcases.make_inputs(case["inputs"])
        outcome = _run_case(case, inputs, swapped)
        expected = taskjudge.reference_value(case, inputs, {}, task.notebook)
        ok, msg = taskjudge.judge_case(case, inputs, outcome, expected)
        rows.append((case, ok, msg))
    return visible, taskjudge.task_result(task, rows, seen, [], set())


#: An expected value ("expected 3.034", "expected [0.5, ...]"), a correct value stated, or the solution
#: line of cross_entropy_two_ways. Shapes ("expected (12,)") and the student's own line are fine.
_ANSWER = re.compile(r"expected\s*(-?\d|\[)|correct (loss|value) (is|of)\s*-?\d|-log\(p\[y\]\),")


def _assert_agree(task, visible, graded) -> None:
    for text in (repr(visible), graded.output):          # no expected value, no solution line
        assert not _ANSWER.search(text), f"{task.id}: feedback gives an answer away: {text}"
    if not visible.passed:
        assert graded.score == 0, f"{task.id}: grade gives points where the check cell says FAIL"
        assert visible.failures[0].what in graded.output
    elif graded.score < task.points:
        assert "tested more" in graded.output, f"{task.id}: hidden failure without saying so"
    else:
        assert graded.output.startswith("passed")


@pytest.mark.parametrize("task", PACKAGE_TASKS, ids=lambda t: t.id)
def test_the_reference_passes_every_judge(task):
    visible, graded = judges(task, {})
    assert visible.passed, repr(visible)
    assert graded.score == task.points, graded.output


@pytest.mark.parametrize("mutant", mutants.ALL, ids=lambda m: m.name)
def test_the_judges_agree_on_every_mutant(mutant):
    swapped = {_module_of(mutant.file): load_mutant(mutant)}
    affected = [t for t in PACKAGE_TASKS if any(w.split(":")[0] == mutant.file for w in t.writes)]
    lost = []
    for task in affected:
        visible, graded = judges(task, swapped)
        _assert_agree(task, visible, graded)
        if graded.score < task.points:
            lost.append((task.id, visible.passed))
    if mutant.correct:
        assert lost == [], f"a correct alternative loses points: {lost}"
    else:
        assert lost, f"bug {mutant.name} costs no points in any task of {mutant.file}"


def test_sgd_that_pairs_rows_with_other_labels_is_named_and_a_wrong_loss_is_not_blamed_on_sgd(monkeypatch):
    pairing = next(m for m in mutants.BUGS if m.name == "fit_labels_of_other_rows")
    swapped = {_module_of(pairing.file): load_mutant(pairing)}
    visible, graded = judges(tasks.get("sgd_step"), swapped)
    assert visible.failures[0].key == "fit.minibatch_mismatch" and "SAME indices" in graded.output
    wrong_loss = next(m for m in mutants.BUGS if m.name == "svm_vec_counts_correct_class")
    swapped = {_module_of(wrong_loss.file): load_mutant(wrong_loss)}
    import cs231n_lin.classifiers.linear_svm as svm  # the estimators find their loss here

    monkeypatch.setattr(svm, "svm_loss_vectorized", swapped[_module_of(wrong_loss.file)].svm_loss_vectorized)
    for task_id in ("sgd_step", "predict"):                 # fit is judged with a recorded gradient
        visible, graded = judges(tasks.get(task_id), swapped)
        assert visible.passed and graded.score == tasks.get(task_id).points, graded.output
    visible, graded = judges(tasks.get("svm_vectorized"), swapped)
    assert graded.score == 0 and "correct class" in graded.output
