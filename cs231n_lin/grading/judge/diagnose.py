"""Name the student's mistake from what their code returned on the probes.

One job per module: :mod:`~cs231n_lin.grading.judge.variants` (the grader's formulas: correct
results and computed variants of common mistakes), :mod:`~cs231n_lin.grading.judge.diagnose_loss`
(loss probes), :mod:`~cs231n_lin.grading.judge.diagnose_functions` (softmax/log_softmax, fit,
predict), :mod:`~cs231n_lin.grading.judge.diagnose_common` (shared pieces); here the dispatch and
the summary over many probes.

Everything here runs in the grader process on plain arrays; no student code is imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cs231n_lin.grading.judge.diagnose_functions import diagnose_array, diagnose_fit, diagnose_predict
from cs231n_lin.grading.judge.diagnose_loss import diagnose_loss
from cs231n_lin.grading.judge.variants import VARIANTS, is_loss_function, reference_loss
from cs231n_lin.grading.run.probes import ARRAY_FUNCTIONS, Probe

__all__ = ["VARIANTS", "diagnose", "diagnose_keys", "is_loss_function", "reference_loss", "summarize"]


def diagnose_keys(probe: Probe, outcome: dict[str, Any]) -> list[tuple[str, str]]:
    """Like :func:`diagnose`, with a short key per message (for de-duplication and tests)."""
    if is_loss_function(probe.function):
        return diagnose_loss(probe, outcome)
    if probe.function in ARRAY_FUNCTIONS:
        return diagnose_array(probe, outcome)
    if probe.function.endswith(".fit"):
        return diagnose_fit(probe, outcome)
    if probe.function.endswith(".predict"):
        return diagnose_predict(probe, outcome)
    return []


def diagnose(probe: Probe, outcome: dict[str, Any]) -> list[str]:
    """Messages for a student naming the suspected mistake(s) on one probe.

    Parameters
    ----------
    probe : Probe
        The probe that was run (from :func:`cs231n_lin.grading.run.probes.probe_cases`).
    outcome : dict
        What :func:`cs231n_lin.grading.run.probes.run_probe` returned for it in the worker:
        ``ok``, ``loss``, ``dW``, ``dtype``, ``error``, ``inputs_modified`` and the optional
        extra keys (``output``, ``loss_type``, ``modified_inputs``, ``W_steps``, ...).

    Returns
    -------
    list of str
        Empty when the result is correct (or nothing specific can be said).

    Examples
    --------
    >>> from cs231n_lin.grading.run.probes import probe_cases
    >>> probe = next(p for p in probe_cases() if p.name == "svm_loss_vectorized/reg")
    >>> loss, dW = reference_loss(probe.function, probe.kwargs)
    >>> N = probe.kwargs["X"].shape[0]
    >>> reg_term = probe.kwargs["reg"] * (probe.kwargs["W"] ** 2).sum()
    >>> summed = (loss - reg_term) * N + reg_term          # forgot to divide by N
    >>> msgs = diagnose(probe, {"ok": True, "loss": summed, "dW": dW, "dtype": "float64",
    ...                         "error": None, "inputs_modified": False})
    >>> "divide by N" in msgs[0]
    True
    """
    return [text for _, text in diagnose_keys(probe, outcome)]


def summarize_keyed(results: Iterable[tuple[Probe, dict[str, Any]]]) -> list[dict[str, str]]:
    """Each mistake once per student function, with its key, for feedback and the class report.

    ``LinearSVM.fit`` and ``LinearSVM.predict`` count for ``LinearSVM``. A probe whose diagnosis
    itself fails is skipped: a bug in a diagnosis must not stop a grade.

    Returns
    -------
    list of dict
        ``{"key", "function", "message"}`` in the order the mistakes were first seen.
    """
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for probe, outcome in results:
        function = probe.function.split(".")[0]
        try:
            pairs = diagnose_keys(probe, outcome)
        except Exception:  # noqa: BLE001 - see the docstring
            continue
        for key, text in pairs:
            if (function, str(key)) not in seen:
                seen.add((function, str(key)))
                out.append({"key": str(key), "function": function, "message": str(text)})
    return out


def summarize(results: Iterable[tuple[Probe, dict[str, Any]]]) -> dict[str, list[str]]:
    """Diagnoses of many probes grouped by student function, each mistake reported once.

    Parameters
    ----------
    results : iterable of (Probe, outcome)

    Returns
    -------
    dict
        ``{function: [message, ...]}`` for the functions with at least one diagnosis, the
        message of each mistake key taken from the first probe that showed it.
    """
    grouped: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for probe, outcome in results:
        for key, text in diagnose_keys(probe, outcome):
            if (probe.function, key) in seen:
                continue
            seen.add((probe.function, key))
            grouped.setdefault(probe.function, []).append(text)
    return grouped
