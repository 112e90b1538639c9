"""Judging the task table's tasks in the grader's process: hidden cases, then one result per task.

A hidden case is judged here from the data the sandboxed worker returned (nothing here runs
student code), by the same judges the check cells use where one exists (``judge_fit``,
``judge_grid``, ``judge_search``) and against the reference implementation otherwise. A task's
score is its points times the share of its hidden cases that hold -- and 0 when its visible
check (the check cell's call, run in the sandbox by the same runner as ``cs231n-lin check``)
fails: ``grade`` never says "passed" where the notebook says FAIL.
"""

from __future__ import annotations

import importlib

import numpy as np

from cs231n_lin import tasks
from cs231n_lin.grading.judge import nbcases
from cs231n_lin.grading.judge.judge import check as judge_property
from cs231n_lin.grading.records.results import TestResult
from cs231n_lin.grading.run.worker import Opaque, TaskOutcome
from cs231n_lin.i18n import tr
from cs231n_lin.tasks import Task

__all__ = ["judge_case", "task_result"]


def _short(case: dict) -> str:
    return case["function"].split(":")[-1]


def reference_value(case: dict, inputs: dict, references: dict[str, dict], notebook: str):
    """The reference's answer for a case (instructor code, in this process)."""
    fn = case["function"]
    judge = case.get("judge", ("value",))
    if fn.startswith("notebook:"):
        if "grid" in judge or "search" in judge:
            return None
        with np.errstate(all="ignore"):
            return nbcases.reference_value(case, references[notebook], notebook)
    module, name = fn.split(":")
    target = getattr(importlib.import_module(module), name)
    if "labels" in judge:
        est = target(fit_intercept=True)
        est.W_, est.classes_ = inputs["W"], inputs["classes"]
        est.n_features_in_, est.loss_history_ = inputs["X"].shape[1], np.zeros(1)
        return est.predict(inputs["X"])
    if "recorded_fit" in judge or "perf" in judge:
        return None
    return target(**{k: v.copy() for k, v in inputs.items()}, **case.get("kwargs", {}))


def _not_run(outcome: TaskOutcome | None, name: str) -> str | None:
    if outcome is None:
        return tr(f"{name} was not run", f"{name} 没有运行")
    if not outcome.ok:
        error = outcome.error or "no result"
        if error.startswith("NotImplementedError"):
            return tr(f"{name} is not written yet", f"{name} 还没有写")
        return tr(f"{name} did not finish: {error}", f"{name} 没有正常结束：{error}")
    return None


def _recorded(value) -> dict:
    if not isinstance(value, dict):
        raise TypeError("not a record")
    rec = {k: value.get(k) for k in ("W", "X", "y", "final", "history", "returned")}
    for k in ("W", "X", "y"):
        if not isinstance(rec[k], list) or any(not isinstance(a, np.ndarray) for a in rec[k]):
            raise TypeError(k)
    for k in ("history", "returned"):
        if not isinstance(rec[k], np.ndarray):
            raise TypeError(k)
    if rec["final"] is not None and not isinstance(rec["final"], np.ndarray):
        raise TypeError("final")
    return rec


def judge_case(case: dict, inputs: dict, outcome: TaskOutcome | None, expected, *,
               perf_threshold: float = 3.0) -> tuple[bool | float, str]:
    """``(holds, feedback)`` for one hidden case (for speed, the share of its points earned); the
    feedback never shows an expected value."""
    name = _short(case)
    judge = case.get("judge", ("value",))
    if "perf" not in judge:
        missing = _not_run(outcome, name)
        if missing:
            return False, missing
    try:
        if "recorded_fit" in judge:
            from cs231n_lin.checks.estimators import judge_fit

            p = case["params"]
            problems = judge_fit(_recorded(outcome.value), G=inputs["G"], lr=p["learning_rate"],
                                 steps=p["num_iters"], batch=p["batch_size"], D=inputs["X"].shape[1],
                                 y_index=inputs["y_index"], name=name)
            return (not problems), (problems[0][0] if problems else "correct")
        if "labels" in judge:
            got = outcome.value
            ok = (isinstance(got, np.ndarray) and got.shape == expected.shape
                  and got.dtype.kind in "U" and np.array_equal(got, expected))
            wrong = tr("predict does not return the labels (values of classes_) of the highest scores",
                       "predict 返回的不是得分最高者的标签（classes_ 中的值）")
            return ok, ("correct" if ok else wrong)
        if "grid" in judge:
            from cs231n_lin.checks.lesson01 import judge_grid
            from cs231n_lin.hyperparams import defaults_for

            lrs, regs = outcome.value
            problems = judge_grid(lrs, regs, defaults_for("digits", "svm"))
            return (not problems), (problems[0][0] if problems else "correct")
        if "search" in judge:
            from cs231n_lin.checks.lesson01 import judge_search, search_tables

            pairs, best, fits = outcome.value
            results = {(float(a), float(b)): (float(c), float(d)) for a, b, c, d in pairs}
            problems = judge_search((results, tuple(best.tolist())), [tuple(f) for f in fits.tolist()],
                                    *search_tables(case["seed"]))
            return (not problems), (problems[0][0] if problems else "correct")
        if "value" in judge:
            ok = nbcases.same_value(outcome.value, expected)
            return ok, ("correct" if ok else tr(f"{name} returns wrong values", f"{name} 返回的值不对"))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return False, tr(f"{name} returned data of an unexpected kind", f"{name} 返回的数据类型出乎意料")
    compat = {"function": name, "kwargs": case.get("kwargs", {})}
    if "perf" in judge:             # speed earns a share of its points in bands: a fraction, and why
        frac, msg = judge_property("perf", compat, inputs, expected, outcome, perf_threshold)
        return frac, msg
    for prop in sorted(judge, key=lambda n: n == "unmodified"):
        frac, msg = judge_property(prop, compat, inputs, expected, outcome, perf_threshold)
        if frac < 1.0:
            return False, msg
    return True, "correct"


def _visible_text(visible: tuple) -> str:
    passed, not_written, what, details, cause, key = visible
    from cs231n_lin.i18n import current_lang

    if current_lang() == "zh":           # the check ran in Chinese; its "what" lines are translated here
        from cs231n_lin.checks.messages_zh import lesson_cause_zh, translate_what

        what, details = translate_what(what), translate_what(details)
        cause = lesson_cause_zh(key, cause) or ""
    lines = [f"FAIL: {what}"] + ([f"  {details}"] if details else [])
    if cause:
        lines.append(tr(f"Likely cause: {cause}", f"可能的原因：{cause}"))
    return "\n".join(lines)


def task_result(task: Task, judged: list[tuple[dict, bool, str]], visible: tuple | None,
                diagnoses: list[str], failing: set[str]) -> TestResult:
    """One :class:`TestResult` per task: its points on the one scale of the task table.

    ``judged`` is ``(case, holds, feedback)`` per hidden case, ``visible`` the visible check's
    ``(passed, not_written, what, details, cause, key)`` (None for speed tasks), ``failing`` the ids of
    the tasks that do not pass (to name a dependency that fails first).
    """
    name = str(task.title)
    held = sum(float(ok) for _, ok, _ in judged)
    share = held / len(judged) if judged else 1.0     # no hidden case (a smaller --hidden): the check decides
    lines: list[str] = []
    if task.kind == "speed":
        score = task.points * share
        lines += [msg for _, _, msg in judged]
    elif visible is None or not visible[0]:
        score = 0.0
        if visible is None:
            lines.append(tr("The check of this task did not run on your code (see the notes at the top).",
                            "这一项的检查没有在你的代码上运行（见顶部的说明）。"))
        else:
            lines.append(tr("Your check cell fails (the same check as in your notebook):",
                            "你的检查单元格没有通过（与 notebook 中的检查相同）："))
            lines.append(_visible_text(visible))
    else:
        score = task.points * share
        if held == len(judged):
            lines.append(tr(f"passed: your check cell and {len(judged)} hidden cases",
                            f"通过：你的检查单元格和 {len(judged)} 个隐藏用例") if judged
                         else tr("passed: your check cell", "通过：你的检查单元格"))
        else:
            lines.append(tr("Your check cell passes, but the grader tested more inputs, and these broke "
                            "your code:",
                            "你的检查单元格通过了，但评分程序测试了更多输入，下面这些让你的代码出错："))
            about = {h.kind: h.about for h in task.hidden}
            seen = set()
            for case, ok, msg in judged:
                if ok or (case["kind"], msg) in seen:
                    continue
                seen.add((case["kind"], msg))
                lines.append(f"  - {about[case['kind']]}: {msg}")
    if score < task.points - 1e-9:
        causes = [d for d in diagnoses if "not implemented yet" not in d][:2]
        if causes and not (visible and visible[4]):
            lines.append(tr("Likely cause: ", "可能的原因：") + " ".join(causes))
        first = [tasks.get(d) for d in task.depends if d in failing]
        if first:
            lines.append(tr(f"This builds on {first[0].title.en}, which does not pass yet: fix that first.",
                            f"这一项依赖于 {first[0].title.zh}，而它还没有通过：先改好它。"))
    return TestResult(name, round(score, 6), float(task.points), "\n".join(lines), "visible")


def is_opaque(value) -> bool:
    return isinstance(value, Opaque)
