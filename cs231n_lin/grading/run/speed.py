"""Speed points measured from outside: CPU time of the sandbox (``wait4``), the student's vs the reference's.

Timed calls are judged calls. A timed run is an ordinary worker run (:func:`worker.run_tasks`: the
same driver, arguments, environment and paths, a fresh read-only copy of the code) whose tasks are
``calls`` ordinary calls of the function on the timed problem, each with its own ``W`` (so no call
can reuse another's answer). Every call's ``(loss, dW)`` is compared with the reference's for the
same inputs; a run with a wrong or missing result earns no speed points, so code that detects
the timed run gains nothing by answering differently there. Nothing the student's process
reports about time is used: the CPU time of all its processes is read by the grader's ``wait4``.
The reference is measured the same way once per grading process (:func:`reference_perf`, warmed
up by :mod:`cs231n_lin.grading.batch` before it forks).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np

from cs231n_lin.checks.tolerances import rel_tolerance
from cs231n_lin.grading.run import perf, sandbox, worker
from cs231n_lin.grading.run.budget import Budget, safety_wall, why_stopped
from cs231n_lin.grading.run.sandbox import Limits
from cs231n_lin.grading.run.worker import Task

_REFERENCE_OUT: dict[str, list] = {}


def timed_tasks(case: dict, calls: int) -> list[Task]:
    """``calls`` ordinary calls on the timed problem: ``X`` and ``y`` shared, a different ``W`` each."""
    spec = case["perf"]
    base = perf.problem_arrays(spec)
    rng = np.random.default_rng(int(spec.get("seed", 0)) + 7919)
    reg = float(spec.get("reg", 1e-3))
    out = []
    for k in range(calls):
        W = (base["W"] + 0.01 * rng.standard_normal(base["W"].shape)).astype(base["W"].dtype)
        out.append(Task(f"t{k}", "call", case["module"], case["function"],
                        arrays={"W": W, "X": base["X"], "y": base["y"]}, scalars={"reg": reg}))
    return out


def _timed_run(source: Path, box: Path, case: dict, calls: int, limits: Limits, mode: str, cpu: float,
               budget: Budget | None = None):
    """One timed run of ``calls`` calls on a fresh copy of ``source`` in ``box`` (the judged runs'
    scratch directory for a submission: the same paths): (RunResult, outcomes)."""
    runs: list = []
    run_limits = Limits(**{**limits.__dict__, "cpu": max(1, math.ceil(cpu)), "startup": limits.startup})
    outcomes, _ = worker.run_tasks(source, box, timed_tasks(case, calls), limits=run_limits, mode=mode,
                                   max_restarts=0, runs=runs, modules=[case["module"]],
                                   budget=budget if budget is not None else Budget())
    if not runs:        # not started: too little of the budget was left
        return sandbox.RunResult(None, True, "", "", 0.0, mode, stopped="cpu"), outcomes
    return runs[0], outcomes


def _key(case: dict) -> str:
    return repr((case["module"], case["function"], sorted(case["perf"].items())))


def reference_perf(case: dict, limits: Limits, mode: str) -> dict[str, float]:
    """The reference's CPU time for a ``perf`` case (once per process; :mod:`batch` warms it up
    before forking the processes that grade the submissions), and its results for the timed calls."""
    boxes: list[Path] = []

    def reference_run(calls: int) -> sandbox.RunResult:
        if not boxes:
            boxes.append(worker.make_sandbox_dir())
            shutil.copytree(worker.reference_package(), boxes[0] / "submission" / worker.PACKAGE,
                            ignore=shutil.ignore_patterns("__pycache__", "grading"))
        result, outcomes = _timed_run(boxes[0] / "submission", boxes[0], case, calls, limits, mode,
                                      cpu=float(limits.cpu))
        if calls and _key(case) not in _REFERENCE_OUT:
            values = [outcomes[f"t{k}"].value if f"t{k}" in outcomes else None for k in range(calls)]
            if not all(isinstance(v, tuple) and len(v) == 2 for v in values) or result.returncode != 0:
                raise RuntimeError(f"the reference failed its own timed run ({result.stderr[-300:]})")
            _REFERENCE_OUT[_key(case)] = values
        return result

    try:
        return perf.reference_cpu(case, reference_run)
    finally:
        for box in boxes:
            worker.remove_sandbox_dir(box)


def wrong_call(case: dict, outcomes: dict) -> int | None:
    """The first timed call whose result differs from the reference's (None: all agree)."""
    expected = _REFERENCE_OUT[_key(case)]
    tol = rel_tolerance(case["perf"].get("dtype", "float64"))
    for k, (loss, dW) in enumerate(expected):
        out = outcomes.get(f"t{k}")
        value = getattr(out, "value", None)
        if out is None or not out.ok or not isinstance(value, tuple) or len(value) != 2:
            return k
        got_loss, got_dW = value
        if not isinstance(got_loss, float) or not isinstance(got_dW, np.ndarray) or got_dW.shape != dW.shape:
            return k
        if not math.isfinite(got_loss) or abs(got_loss - loss) > tol * max(1.0, abs(loss)):
            return k
        if not np.isfinite(got_dW).all() or \
                np.max(np.abs(got_dW - dW)) > tol * max(1e-8, float(np.max(np.abs(dW)))):
            return k
    return None


def measure_outside(case: dict, sub_dir: Path, box: Path, limits: Limits, mode: str, budget: Budget,
                    threshold: float = 3.0) -> dict:
    """The student's and the reference's CPU time per call, both measured from outside the sandbox.

    ``sub_dir`` is the submission's pristine scratch copy (each timed run gets its own copy of it);
    the CPU time of the timed runs is charged to ``budget``.
    """
    ref = reference_perf(case, limits, mode)
    calls = int(ref["calls"])
    # stop the student's run once it is clearly past the last band: no need to wait any longer
    cap = ref["base"] + ref["per_call"] * calls * 1.2 * threshold * perf.OUTSIDE_BANDS + 2.0
    where = case["function"]
    if budget.left() < worker.MIN_RUN_CPU:
        why = f"your submission used up its CPU-time budget ({budget.describe()}) before this measurement"
        budget.record(where, why, "timeout")
        return {"error": why}
    cpu = min(cap, budget.left())
    run, outcomes = _timed_run(sub_dir, box, case, calls, limits, mode, cpu=cpu, budget=budget)
    if run.stopped == "wall":
        why = why_stopped("wall", cpu, safety_wall(cpu))
        budget.record(where, f"the timed run {why}", "grader")
        return {"error": f"the timed run {why}"}
    if run.stopped in ("cpu", "idle") or (run.returncode or 0) > 128:
        if cpu < cap:
            budget.record(where, "your submission used up its CPU-time budget during the timed run",
                          "timeout")
        return {"per_call": float("inf"), "ref_per_call": ref["per_call"]}
    wrong = wrong_call(case, outcomes)
    if wrong is not None:
        out = outcomes.get(f"t{wrong}")
        detail = f" (it raised {out.error})" if out is not None and out.error else ""
        return {"error": f"call {wrong + 1} of the {calls} timed calls returned a result that differs from "
                         f"the reference's{detail}; speed counts only for correct results"}
    per_call = max(run.cpu_seconds - ref["base"], 1e-6) / calls
    if per_call > threshold * ref["per_call"] and budget.left() > worker.MIN_RUN_CPU:
        # Not clearly fast: measure the student's own start-up (imports) too, so that a slow
        # start-up is not counted as slow calls. It can only help, and only up to 1.5 x the
        # reference's start-up (burning CPU in the start-up run gains nothing beyond that).
        start_up, _ = _timed_run(sub_dir, box, case, 0, limits, mode, cpu=min(cap, budget.left()),
                                 budget=budget)
        if start_up.returncode == 0:
            base = min(max(start_up.cpu_seconds, ref["base"]), 1.5 * ref["base"])
            per_call = max(run.cpu_seconds - base, 1e-6) / calls
    return {"per_call": per_call, "ref_per_call": ref["per_call"]}


def facts(inside: dict | None, outside: dict | None) -> dict:
    """The speed facts of one ``perf`` case for the class report.

    ``inside`` is the student process's own :func:`perf.measure` (``ratio`` to the two matrix
    products, ``lines_per_example``, ``extra_memory_ratio``: hints only); ``graded_ratio`` is the
    ratio the points came from (CPU time per call over the reference's, measured from outside by
    :func:`measure_outside`), or None when it could not be measured or the run was stopped at its
    time cap (then ``stopped_at_cap`` is True).
    """
    out = dict(inside or {})
    graded = None
    if outside and not outside.get("error"):
        graded = float(outside["per_call"]) / max(float(outside["ref_per_call"]), 1e-9)
    if graded is None and (not out or out.get("error")):
        return out                      # nothing was measured (e.g. the function is not written)
    # a run stopped at the time cap has no finite ratio: say so instead (no speed points either)
    out["stopped_at_cap"] = graded == float("inf")
    out["graded_ratio"] = None if out["stopped_at_cap"] else graded
    if out.get("error") and graded is not None:
        out.pop("error")     # the inside hints failed, the graded measurement did not
    return out
