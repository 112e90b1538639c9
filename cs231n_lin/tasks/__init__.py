"""The tasks of the assignment: one table, read by every tool.

>>> from cs231n_lin import tasks
>>> tasks.get("svm_naive_loss").points
4
>>> tasks.max_points() == sum(t.points for t in tasks.TASKS)
True

See :mod:`cs231n_lin.tasks.table` for the rows and :class:`cs231n_lin.tasks.model.Task` for the
fields. Lookups: :func:`get`, :func:`for_call` (the task of a check cell),
:func:`of_notebook`, :func:`of_part`; :func:`max_points` is the assignment's one maximum.
"""

from __future__ import annotations

from cs231n_lin.tasks.model import Hidden, Task, Text
from cs231n_lin.tasks.table import TASKS

__all__ = ["PARTS", "TASKS", "Hidden", "Task", "Text", "for_call", "get", "max_points", "normalize_call",
           "of_kind", "of_notebook", "of_part"]

_BY_ID = {t.id: t for t in TASKS}
if len(_BY_ID) != len(TASKS):                      # pragma: no cover - a table error, caught by tests
    raise RuntimeError("two tasks share an id in cs231n_lin/tasks/table.py")

#: Selectors of ``cs231n-lin check PART`` besides the notebook numbers: package parts.
PARTS = {
    "svm": "SVM losses (cs231n_lin/classifiers/linear_svm.py)",
    "softmax": "Softmax (cs231n_lin/classifiers/softmax.py)",
    "sgd": "SGD step and predict (cs231n_lin/classifiers/linear_classifier.py)",
}


def get(task_id: str) -> Task:
    """The task with this id (``KeyError`` names the known ids)."""
    try:
        return _BY_ID[task_id]
    except KeyError:
        raise KeyError(f"no task {task_id!r}; the tasks are: {', '.join(_BY_ID)}") from None


def normalize_call(source: str) -> str:
    """A check cell's source without comments, blank lines and spaces (to compare with a ``call``)."""
    lines = [ln.split("#", 1)[0] for ln in source.splitlines()]
    return "".join("".join(lines).split())


def for_call(notebook: str, source: str) -> Task | None:
    """The code task whose check cell in ``notebook`` (file name) has this source, if any."""
    key = normalize_call(source)
    for t in TASKS:
        if t.kind == "code" and t.notebook == notebook and normalize_call(t.call) == key:
            return t
    return None


def of_kind(*kinds: str) -> tuple[Task, ...]:
    return tuple(t for t in TASKS if t.kind in kinds)


def of_notebook(notebook: str) -> tuple[Task, ...]:
    """The tasks a notebook asks for (file name, ``"01_svm_hinge_loss.ipynb"``, or its number ``"01"``)."""
    return tuple(t for t in TASKS if t.notebook == notebook or t.lesson == notebook)


def of_part(part: str) -> tuple[Task, ...]:
    """The tasks of ``cs231n-lin check PART``: a package part (``svm``), or a notebook (``01``, ``nb01``)."""
    if part in PARTS:
        return tuple(t for t in TASKS if t.part == part)
    number = part[2:] if part.startswith("nb") else part[:2]
    found = tuple(t for t in TASKS if t.lesson == number)
    if not found:
        raise ValueError(f"unknown part {part!r}; the parts are: {', '.join(PARTS)}, "
                         f"{', '.join(sorted({t.lesson for t in TASKS}))}")
    return found


def max_points() -> float:
    """The assignment's maximum: every task, written answers and speed included."""
    return float(sum(t.points for t in TASKS))
