"""The hidden cases of the task table: loaded, checked against the table, turned into worker calls.

``tests/hidden/cases.py`` holds ``CASES[task_id]``; this module refuses a case whose task or kind
the table (:mod:`cs231n_lin.tasks`) does not declare (a task without cases scores nothing; the
repository's cases cover every task: ``tests/tasks/test_table.py``). It
builds each case's inputs from its seed (:func:`make_inputs`) and the sandboxed worker's call
(:func:`worker_task`); the judging is :mod:`cs231n_lin.grading.judge.taskjudge`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from cs231n_lin import tasks
from cs231n_lin.grading.judge import nbcases
from cs231n_lin.grading.run.worker import Task as WorkerTask

__all__ = ["load_cases", "make_inputs", "worker_task"]

PROPERTIES = ("loss", "grad", "dtype", "unmodified", "probs", "logprobs", "recorded_fit", "labels", "value",
              "grid", "search", "perf")


def load_cases(hidden_dir: Path) -> dict[str, list[dict]]:
    """``task id -> cases`` from ``hidden_dir/cases.py``, checked against the task table."""
    path = Path(hidden_dir) / "cases.py"
    spec = importlib.util.spec_from_file_location("_cs231n_hidden_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = dict(module.CASES)
    for task_id, listed in cases.items():
        task = tasks.get(task_id)                      # KeyError names the known tasks
        kinds = {h.kind for h in task.hidden}
        for c in listed:
            if c["kind"] not in kinds:
                raise ValueError(f"hidden case of {task_id!r} has kind {c['kind']!r}, which the task table "
                                 f"does not declare for it (declared: {sorted(kinds)})")
            unknown = set(c.get("judge", ("value",))) - set(PROPERTIES)
            if unknown:
                raise ValueError(f"hidden case of {task_id!r} judges unknown properties {sorted(unknown)}")
    for task in tasks.of_kind("code", "speed"):   # the repository's cases cover every task (tested);
        cases.setdefault(task.id, [])               # a smaller folder (--hidden) grades what it has
    return cases


def make_inputs(spec: dict) -> dict[str, np.ndarray]:
    """Deterministic inputs of a case from its generator spec (see ``tests/hidden/cases.py``)."""
    gen = spec["gen"]
    rng = np.random.default_rng(spec.get("seed", 0))
    if gen == "loss":
        dtype = np.dtype(spec.get("dtype", "float64"))
        N, D, C = spec["N"], spec["D"], spec["C"]
        if spec.get("integer"):                      # integer scores: some margins are exactly 0
            W = rng.integers(-2, 3, size=(D, C)).astype(dtype)
            X = rng.integers(-1, 2, size=(N, D)).astype(dtype)
        else:
            W = (spec.get("w_scale", 0.5) * rng.standard_normal((D, C))).astype(dtype)
            X = spec.get("x_scale", 1.0) * rng.standard_normal((N, D))
            X = _scale_rows(X, spec.get("row_scales")).astype(dtype)
        return {"W": W, "X": X, "y": rng.integers(0, C, size=N)}
    if gen == "scores":
        scores = spec["scale"] * rng.standard_normal((spec["N"], spec["C"]))
        return {"scores": _scale_rows(scores, spec.get("row_scales")).astype(spec.get("dtype", "float64"))}
    if gen == "labelled_rows":
        from cs231n_lin.checks.estimators import training_data

        D, C = spec["D"], spec["C"]
        X, y, y_index = training_data(spec.get("N", 37), D, C, spec["seed"])
        G = rng.standard_normal((D + 1, C)).round(3)
        return {"X": X, "y": y, "y_index": y_index, "G": G}
    if gen == "predict":
        N, D, C = spec["N"], spec["D"], spec["C"]
        classes = np.array([f"label_{2 * k + 1}" for k in range(C)])
        return {"X": rng.standard_normal((N, D)), "W": rng.standard_normal((D + 1, C)), "classes": classes}
    if gen == "none":
        return {}
    raise ValueError(f"unknown input generator {gen!r}")


def _scale_rows(M: np.ndarray, scales) -> np.ndarray:
    if not scales:
        return M
    factors = np.resize(np.asarray(scales, dtype=float), M.shape[0])[:, None]
    return M * factors


def notebook_of(task_id: str) -> str:
    return tasks.get(task_id).notebook


def worker_task(wid: str, task_id: str, case: dict, inputs: dict, references: dict[str, dict],
                students: dict[str, dict | None]) -> WorkerTask | None:
    """The sandboxed worker's call for one case (None when its notebook has no reference)."""
    fn = case["function"]
    judge = case.get("judge", ("value",))
    if fn.startswith("notebook:"):
        name = fn.split(":", 1)[1]
        nb = notebook_of(task_id)
        ref = references.get(nb)
        if ref is None:
            return None
        params = {"notebook": nb, "imports": nbcases.import_lines(ref),
                  "cells": nbcases.solution_sources(ref, students.get(nb))}
        if "grid" in judge:
            return WorkerTask(wid, "nbvalue", "cs231n_lin", name,
                              params={**params, "names": ["learning_rates", "regs"]})
        if "search" in judge:
            return WorkerTask(wid, "nbsearch", "cs231n_lin", name, params={**params, "seed": case["seed"]})
        arrays, scalars = nbcases.case_inputs(case)
        return WorkerTask(wid, "nbfunc", "cs231n_lin", name, arrays=arrays, scalars=scalars, params=params)
    module, name = fn.split(":")
    if "recorded_fit" in judge:
        arrays = {k: inputs[k] for k in ("X", "y", "G")}
        return WorkerTask(wid, "fit_recorded", module, name, arrays=arrays, params=dict(case["params"]))
    if "labels" in judge:
        return WorkerTask(wid, "predict_weights", module, name, arrays=dict(inputs))
    if "perf" in judge:
        return WorkerTask(wid, "perf", module, name, perf=dict(case["perf"]))
    return WorkerTask(wid, "call", module, name, arrays=inputs, scalars=dict(case.get("kwargs", {})))


def speed_cases(cases: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """``(task id, case)`` of every speed case, the case in the form :mod:`speed` measures
    (``module``, ``function``, ``perf``)."""
    out = []
    for task in tasks.of_kind("speed"):
        for case in cases[task.id]:
            module, fn = case["function"].split(":")
            out.append((task.id, {"module": module, "function": fn, "perf": case["perf"], "name": task.id}))
    return out
