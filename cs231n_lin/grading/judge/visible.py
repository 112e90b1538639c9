"""The visible checks inside the grader's sandbox: the check cells' calls, run as ``check`` runs them.

The grader writes the rebuilt notebooks (the reference's cells, check cells included, with the
student's solution cells by cell id: :func:`cs231n_lin.grading.records.nbgrade.rebuild`) into the
scratch copy and asks the sandboxed worker to run every code task's ``call`` with the runner of
``cs231n-lin check`` (:mod:`cs231n_lin.selfcheck.runner`). The verdicts come back as data; they can
only take points away (a task whose visible check fails scores 0), never give them.
"""

from __future__ import annotations

import json
from pathlib import Path

from cs231n_lin import tasks
from cs231n_lin.grading.records.nbgrade import rebuild
from cs231n_lin.grading.run.worker import Task as WorkerTask
from cs231n_lin.grading.run.worker import TaskOutcome
from cs231n_lin.selfcheck.plan import package_names
from cs231n_lin.tasks import locate

__all__ = ["FOLDER", "PREFIX", "outcome_of", "results", "worker_tasks"]

FOLDER = ".grader_notebooks"
PREFIX = "visible:"


def worker_tasks(sub_dir: Path, references: dict[str, dict], students: dict[str, dict | None],
                 lang: str = "en") -> list[WorkerTask]:
    """The worker calls that run every code task's visible check on the scratch copy ``sub_dir``:
    one per package task (named by its function, so that a hang there stops only that function's
    calls) and one per notebook."""
    calls = []
    for task in tasks.of_kind("code"):
        if all(":" in w for w in task.writes):
            item = {"id": task.id, "call": task.call, "names": package_names(task)}
            calls.append(WorkerTask(f"{PREFIX}{task.id}", "visible", "cs231n_lin", task.functions[0],
                                    params={"plan": {"package": [item], "notebooks": []}, "lang": lang}))
    folder = Path(sub_dir) / FOLDER
    folder.mkdir(exist_ok=True)
    for name, reference in references.items():
        nb = rebuild(reference, students.get(name))
        (folder / name).write_text(json.dumps(nb), encoding="utf-8")
        cells = [[locate.check_cell_index(nb["cells"], t), t.id] for t in tasks.of_notebook(name)
                 if t.kind == "code" and not all(":" in w for w in t.writes)]
        cells = [c for c in cells if c[0] is not None]
        if cells:
            plan = {"package": [], "notebooks": [{"path": f"{FOLDER}/{name}", "cells": cells}]}
            calls.append(WorkerTask(f"{PREFIX}{name}", "visible", "cs231n_lin", f"notebook {name[:2]}",
                                    params={"plan": plan, "lang": lang}))
    return calls


def outcome_of(task_id: str, notebook: str, outcomes: dict[str, TaskOutcome]) -> TaskOutcome | None:
    """The worker's outcome of the call that ran ``task_id``'s visible check."""
    return outcomes.get(f"{PREFIX}{task_id}") or outcomes.get(f"{PREFIX}{notebook}")


def results(outcomes: dict[str, TaskOutcome]) -> dict[str, tuple]:
    """``task id -> (passed, not_written, what, details, cause, key)`` from the worker's answers
    (validated: anything malformed is left out, which counts as a failed check)."""
    out: dict[str, tuple] = {}
    for wid, outcome in outcomes.items():
        if not wid.startswith(PREFIX) or not outcome.ok or not isinstance(outcome.value, dict):
            continue
        out.update(_valid(outcome.value))
    return out


def _valid(values: dict) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for task_id, value in values.items():
        if (isinstance(value, tuple) and len(value) == 6 and isinstance(value[0], bool)
                and isinstance(value[1], bool) and all(isinstance(v, str) for v in value[2:])):
            out[task_id] = value
    return out
