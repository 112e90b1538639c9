"""What a task of the assignment is: the record type of the task table (:mod:`cs231n_lin.tasks.table`).

A task is one thing a student writes and one verdict about it: a package function (or a part of
one), a function or a value written in a notebook cell, a written answer, or the speed of a
vectorized loss. Every tool reads tasks from the table -- the notebook check cells (their source
is :attr:`Task.call`), ``cs231n-lin check``, ``grade``, ``release`` and the class report -- so
that points, cases and sentences are defined once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Hidden", "Task", "Text"]


@dataclass(frozen=True)
class Text:
    """A sentence in English and in Chinese (``docs/GLOSSARY.md`` terms)."""

    en: str
    zh: str

    def __str__(self) -> str:
        from cs231n_lin.i18n import current_lang

        return self.zh if current_lang() == "zh" else self.en

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Hidden:
    """A kind of input the grader judges a task on, beyond the visible check's.

    The inputs themselves (seeds, shapes, scales) are the instructor's and live in
    ``tests/hidden/cases.py`` under the task's id and this ``kind``; what the student reads when
    such a case fails is :attr:`about` ("the grader tested more: <about>").
    """

    kind: str
    about: Text


@dataclass(frozen=True)
class Task:
    """One row of the task table.

    Attributes
    ----------
    id : str
        Stable identifier (``"svm_naive_loss"``); the key of hidden cases and of results.
    kind : str
        ``"code"`` (judged by a check cell, ``check`` and the hidden cases), ``"speed"`` (judged
        only by the grader, CPU time against the reference) or ``"written"`` (marked by hand).
    title : Text
        What is judged, in the student's words (``PASS: <title>`` in a check cell).
    notebook : str
        The notebook that asks for it (``"01_svm_hinge_loss.ipynb"``).
    cell : str
        The cell id of its check cell (code), or of its answer cell (written).
    writes : tuple of str
        Where the student writes it: ``"cs231n_lin/classifiers/linear_svm.py:svm_loss_naive"``
        or notebook solution cell ids (``"01-014"``).
    call : str
        The check cell's source, e.g. ``"checks.svm_naive_loss(svm_loss_naive)"``.
    points : float
        Its points; ``check`` and ``grade`` share this one scale.
    part : str
        The part of the package it belongs to (``"svm"``, ``"softmax"``, ``"sgd"``) or ``""``.
    depends : tuple of str
        Ids of tasks that must be written before this one can pass.
    hidden : tuple of Hidden
        The kinds of hidden inputs the grader adds (code and speed tasks).
    mistakes : tuple of str
        Diagnosis keys of the named mistakes its check can report (sentences in
        :mod:`cs231n_lin.checks.messages` and ``messages_zh``).
    """

    id: str
    kind: str
    title: Text
    notebook: str
    cell: str
    points: float
    writes: tuple[str, ...] = ()
    call: str = ""
    part: str = ""
    depends: tuple[str, ...] = ()
    hidden: tuple[Hidden, ...] = ()
    mistakes: tuple[str, ...] = field(default=())

    @property
    def check_name(self) -> str | None:
        """The named check its cell calls (``checks.<name>(...)``), or None."""
        if not self.call.startswith("checks."):
            return None
        return self.call[len("checks."):].split("(", 1)[0]

    @property
    def functions(self) -> tuple[str, ...]:
        """Names of the package functions or classes it judges (``svm_loss_naive``)."""
        return tuple(w.split(":", 1)[1] for w in self.writes if ":" in w)

    @property
    def lesson(self) -> str:
        """The two-digit number of its notebook (``"01"``)."""
        return self.notebook[:2]
