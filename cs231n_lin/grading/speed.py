"""Speed points measured from outside: CPU time of the sandbox (``wait4``), the student's vs the reference's.

Nothing the student's process reports is used for points: :func:`measure_outside` runs the
function ``calls`` times in a sandbox of its own and reads the CPU time the grader's ``wait4``
saw for every process of it; the reference is measured the same way once per grading process
(:func:`reference_perf`, warmed up by :mod:`cs231n_lin.grading.batch` before it forks).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from cs231n_lin.grading import perf, sandbox, worker
from cs231n_lin.grading.sandbox import Limits
from cs231n_lin.grading.worker import Task


def perf_task(case: dict) -> Task:
    return Task("perf", "repeat", case["module"], case["function"], arrays=perf.problem_arrays(case["perf"]),
                scalars={"reg": float(case["perf"].get("reg", 1e-3))})


def reference_perf(case: dict, limits: Limits, mode: str) -> dict[str, float]:
    """The reference's CPU time for a ``perf`` case (once per process; :mod:`batch` warms it up
    before forking the processes that grade the submissions)."""
    task = perf_task(case)

    def reference_run(calls: int) -> sandbox.RunResult:
        ref_box = worker.make_sandbox_dir()
        try:
            ref_dir = ref_box / "submission"
            shutil.copytree(worker.reference_package(), ref_dir / worker.PACKAGE,
                            ignore=shutil.ignore_patterns("__pycache__", "grading"))
            return worker.run_repeat(ref_dir, ref_box, task, calls, limits=limits, mode=mode)
        finally:
            worker.remove_sandbox_dir(ref_box)

    return perf.reference_cpu(case, reference_run)


def measure_outside(case: dict, sub_dir: Path, box: Path, limits: Limits, mode: str, deadline: float,
                    threshold: float = 3.0) -> dict:
    """The student's and the reference's CPU time per call, both measured from outside the sandbox."""
    task = perf_task(case)
    ref = reference_perf(case, limits, mode)
    # stop the student's run once it is clearly past the last band: no need to wait any longer
    cap = ref["base"] + ref["per_call"] * ref["calls"] * 1.2 * threshold * perf.OUTSIDE_BANDS + 2.0
    left = deadline - time.monotonic()
    if left <= 1:
        return {"error": "the submission used its whole time budget before this measurement"}
    run_limits = Limits(**{**limits.__dict__, "cpu": int(cap) + 1,
                           "wall": min(limits.wall, left, 4 * cap + 10)})
    run = worker.run_repeat(sub_dir, box, task, ref["calls"], limits=run_limits, mode=mode)
    if run.timed_out or (run.returncode or 0) > 128:
        return {"per_call": float("inf"), "ref_per_call": ref["per_call"]}
    if run.returncode != 0:
        return {"error": "it raised an exception (see the other tests of this function)"}
    per_call = max(run.cpu_seconds - ref["base"], 1e-6) / ref["calls"]
    if per_call > threshold * ref["per_call"] and deadline - time.monotonic() > 1:
        # Not clearly fast: measure the student's own start-up (imports) too, so that a slow
        # start-up is not counted as slow calls. It can only help, and only up to 1.5 x the
        # reference's start-up (burning CPU in the start-up run gains nothing beyond that).
        start_up = worker.run_repeat(sub_dir, box, task, 0, limits=run_limits, mode=mode)
        if start_up.returncode == 0:
            base = min(max(start_up.cpu_seconds, ref["base"]), 1.5 * ref["base"])
            per_call = max(run.cpu_seconds - base, 1e-6) / ref["calls"]
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
