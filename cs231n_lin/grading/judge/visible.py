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

__all__ = ["FOLDER", "results", "worker_task"]

FOLDER = ".grader_notebooks"
VISIBLE_ID = "visible"


def worker_task(sub_dir: Path, references: dict[str, dict], students: dict[str, dict | None]) -> WorkerTask:
    """The worker call that runs every code task's visible check on the scratch copy ``sub_dir``."""
    package, notebooks = [], []
    for task in tasks.of_kind("code"):
        if all(":" in w for w in task.writes):
            package.append({"id": task.id, "call": task.call, "names": package_names(task)})
    folder = Path(sub_dir) / FOLDER
    folder.mkdir(exist_ok=True)
    for name, reference in references.items():
        nb = rebuild(reference, students.get(name))
        (folder / name).write_text(json.dumps(nb), encoding="utf-8")
        cells = [[locate.check_cell_index(nb["cells"], t), t.id] for t in tasks.of_notebook(name)
                 if t.kind == "code" and not all(":" in w for w in t.writes)]
        cells = [c for c in cells if c[0] is not None]
        if cells:
            notebooks.append({"path": f"{FOLDER}/{name}", "cells": cells})
    return WorkerTask(VISIBLE_ID, "visible", "cs231n_lin", "visible",
                      params={"plan": {"package": package, "notebooks": notebooks}})


def results(outcome: TaskOutcome | None) -> dict[str, tuple]:
    """``task id -> (passed, not_written, what, details, cause, key)`` from the worker's answer
    (validated: anything malformed is left out, which counts as a failed check)."""
    out: dict[str, tuple] = {}
    if outcome is None or not outcome.ok or not isinstance(outcome.value, dict):
        return out
    for task_id, value in outcome.value.items():
        if (isinstance(value, tuple) and len(value) == 6 and isinstance(value[0], bool)
                and isinstance(value[1], bool) and all(isinstance(v, str) for v in value[2:])):
            out[task_id] = value
    return out
