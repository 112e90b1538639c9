"""The structured facts ``grade`` stores per submission for the class report (``extra_data``).

``grade`` writes feedback for one student as text; the report needs the same facts as data:
which diagnosed mistakes (by key), how fast the vectorized losses were, which sandbox limits
were hit, and the written answers. :func:`submission_facts` gathers them from what ``grade``
already has in hand, in one JSON-ready dictionary (see :class:`~.results.SubmissionResult`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PERF_FIELDS = ("ratio", "graded_ratio", "lines_per_example", "extra_memory_ratio")


def limit_kind(why: str) -> str:
    """``"timeout"``, ``"memory"``, ``"output"`` or ``"crash"`` for a worker's ``why`` text."""
    text = why.lower()
    if "out of time" in text or "cpu time" in text or "time limit" in text:
        return "timeout"
    if "memory" in text or "sigkill" in text:
        return "memory"
    if "too much output" in text:
        return "output"
    return "crash"


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def submission_facts(*, diagnoses: Iterable[Mapping[str, str]] = (), tasks: Iterable[Any] = (),
                     outcomes: Mapping[str, Any] | None = None,
                     perf: Mapping[str, Mapping[str, Any]] | None = None,
                     written: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``extra_data`` dictionary of one graded submission.

    Parameters
    ----------
    diagnoses : iterable of dict
        ``{"key", "function", "message"}`` per diagnosed mistake (each once per function).
    tasks, outcomes
        The worker tasks (with ``.id`` and ``.name``) and their outcomes (with ``.crash``).
    perf : dict
        Function name -> the ``perf.measure`` measurement of its speed case (inside the student's
        process: ``ratio`` to the two matrix products, hints) plus ``graded_ratio``, the CPU-time
        ratio to the reference that the speed points came from, and ``stopped_at_cap`` when the
        timed run was stopped at its cap (:func:`~.speed.facts`).
    written : dict or None
        Question id -> the submission's answer text (``None``: notebooks were not read).

    Returns
    -------
    dict
        ``diagnoses``, ``perf``, ``limits`` (``function``, ``why``, ``kind``) and, when given,
        ``written``.
    """
    outcomes = outcomes or {}
    limits, seen = [], set()
    for task in tasks:
        out = outcomes.get(task.id)
        why = getattr(out, "crash", None)
        function = str(task.name).split(".")[0]
        error = str(getattr(out, "error", "") or "")
        if not why or error.startswith("not run:") or function in seen:
            continue
        seen.add(function)
        limits.append({"function": function, "why": str(why), "kind": limit_kind(str(why))})
    speed = {}
    for function, measurement in (perf or {}).items():
        if measurement and not measurement.get("error"):
            speed[function] = {k: _number(measurement.get(k)) for k in PERF_FIELDS}
            if measurement.get("stopped_at_cap"):
                speed[function]["stopped_at_cap"] = True
    facts: dict[str, Any] = {
        "diagnoses": [{"key": str(d["key"]), "function": str(d["function"]), "message": str(d["message"])}
                      for d in diagnoses],
        "perf": speed,
        "limits": limits,
    }
    if written is not None:
        facts["written"] = {str(k): str(v) for k, v in written.items()}
    return facts


__all__ = ["PERF_FIELDS", "limit_kind", "submission_facts"]
