"""The result type of a named check and the wrapper that runs one without ever raising.

A check body receives a :class:`Checker` as its first argument. It calls the student's code
through :meth:`Checker.call` (which turns ``NotImplementedError`` into "not written yet", any
other exception into its type, message and the student's line, and silences numpy warnings),
and records what is wrong with :meth:`Checker.fail`. :func:`named_check` wraps the body so that
calling the check returns a :class:`CheckResult` whatever the student's code does.
"""

from __future__ import annotations

import functools
import inspect
import linecache
import os
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CheckResult", "Checker", "Failure", "StopCheck", "named_check", "where_defined"]

NOT_WRITTEN = "not written yet"


@dataclass(frozen=True)
class Failure:
    """One thing a check found wrong.

    Attributes
    ----------
    what : str
        One line saying what failed, e.g. ``"the loss is 18.2, expected 3.03"``.
    details : str
        Optional extra line (the student's line of code, the input used ...).
    likely_cause : str or None
        A sentence naming the probable mistake and its fix, when one is known.
    key : str or None
        The diagnosis key of ``likely_cause`` (see :mod:`cs231n_lin.checks.messages`).
    """

    what: str
    details: str = ""
    likely_cause: str | None = None
    key: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "details": self.details, "likely_cause": self.likely_cause,
                "key": self.key}

    @property
    def not_written(self) -> bool:
        return self.what.startswith(NOT_WRITTEN)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one named check; its ``repr`` is the printout a check cell shows.

    ``repr`` is exactly ``PASS: <title>``, or ``FAIL: <title>`` followed by, for each failure,
    ``  <what failed>``, optionally ``    <details>``, and ``  Likely cause: <cause>``.
    """

    name: str
    title: Any                    # a str, or a tasks.Text shown in the current language
    failures: tuple[Failure, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.failures

    def __bool__(self) -> bool:
        return self.passed

    @property
    def not_written(self) -> bool:
        """True when the check stopped because the student's code is not written yet."""
        return any(f.not_written for f in self.failures)

    def __repr__(self) -> str:
        from cs231n_lin.i18n import current_lang

        if current_lang() == "zh":                       # the same layout, in Chinese
            from cs231n_lin.checks.messages_zh import render_zh
            return render_zh(self)
        if self.passed:
            return f"PASS: {self.title}"
        lines = [f"FAIL: {self.title}"]
        for f in self.failures:
            lines.append(f"  {f.what}")
            if f.details:
                lines.append(f"    {f.details}")
            if f.likely_cause:
                lines.append(f"  Likely cause: {f.likely_cause}")
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_pretty_(self, p, cycle) -> None:      # IPython: print the same text
        p.text(repr(self))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": str(self.title), "passed": self.passed,
                "not_written": self.not_written, "failures": [f.to_json() for f in self.failures]}


class StopCheck(Exception):
    """Raised inside a check body to stop it (the failure is already recorded)."""


def where_defined(fn: Any) -> tuple[str, str]:
    """``(qualified name, file)`` of a student's function or class, for messages.

    The file is relative to the folder holding the ``cs231n_lin`` package when possible;
    functions defined in a notebook cell are "in this notebook".
    """
    target = inspect.unwrap(getattr(fn, "__func__", fn))   # the student's function, not a decorator
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None) or repr(target)
    name = name.rsplit("<locals>.", 1)[-1]
    try:
        path = inspect.getsourcefile(target) or ""
    except TypeError:
        path = ""
    if not path or path.startswith("<") or "ipykernel" in path or "/tmp/ipykernel" in path:
        return name, "this notebook"
    p = Path(path)
    parts = p.parts
    if "cs231n_lin" in parts:
        i = len(parts) - 1 - parts[::-1].index("cs231n_lin")
        return name, "/".join(parts[i:])
    return name, p.name


def _student_line(exc: BaseException, fn: Any) -> str:
    """``line N of FILE: code`` of the deepest frame in the student's file (or the last frame)."""
    target = inspect.unwrap(getattr(fn, "__func__", fn))   # the student's function, not a decorator
    code = getattr(target, "__code__", None)
    student_file = code.co_filename if code else None
    frames = traceback.extract_tb(exc.__traceback__)
    chosen = None
    for fr in frames:
        if student_file and fr.filename == student_file:
            chosen = fr
    if chosen is None:
        return ""
    text = (chosen.line or linecache.getline(chosen.filename, chosen.lineno)).strip()
    _, where = where_defined(fn)
    return f"line {chosen.lineno} of {where}: {text}" if text else f"line {chosen.lineno} of {where}"


class Checker:
    """What a check body uses to call student code and record failures."""

    def __init__(self, name: str, title: Any):
        self.name = name
        self.title = title
        self.failures: list[Failure] = []

    def fail(self, what: str, *, details: str = "", cause: str | None = None, key: str | None = None,
             stop: bool = False) -> None:
        """Record a failure; with ``stop=True`` end the check here."""
        self.failures.append(Failure(what=what, details=details, likely_cause=cause, key=key))
        if stop:
            raise StopCheck

    def call(self, fn: Callable, *args: Any, label: str | None = None,
             on_error: Callable[[BaseException], tuple[str | None, str | None]] | None = None,
             **kwargs: Any) -> Any:
        """Call the student's ``fn``; on an exception record it and stop the check.

        ``on_error(exc)`` may return ``(key, likely cause)`` for exceptions a check can explain.
        numpy floating-point warnings and Python warnings are silenced: a check reports results,
        never a library's warning.
        """
        name, where = where_defined(fn)
        label = label or name
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                return fn(*args, **kwargs)
        except NotImplementedError as exc:
            msg = str(exc)
            if not msg.startswith(NOT_WRITTEN):
                msg = f"{NOT_WRITTEN}: {label} in {where}"
            self.fail(msg, stop=True)
        except StopCheck:
            raise
        except Exception as exc:  # noqa: BLE001 - any error of the student's code is reported
            key, cause = on_error(exc) if on_error else (None, None)
            self.fail(f"{label} raised {type(exc).__name__}: {exc}", details=_student_line(exc, fn),
                      cause=cause, key=key, stop=True)
        return None  # pragma: no cover - fail(stop=True) raised

    def result(self) -> CheckResult:
        return CheckResult(self.name, self.title, tuple(self.failures))


def _title_for(task_ids: tuple[str, ...], args: tuple[Any, ...]) -> Any:
    """The title of the task a check is judging: the one whose functions include the first argument's
    name when a check serves several tasks (``svm_squared`` on the naive or the vectorized loss)."""
    from cs231n_lin import tasks

    rows = [tasks.get(t) for t in task_ids]
    first = inspect.unwrap(getattr(args[0], "__func__", args[0])) if args else None
    name = getattr(first, "__name__", "")
    for row in rows:
        if name and any(f.split(".")[-1] == name or f.split(".")[0] == name for f in row.functions):
            return row.title
    return rows[0].title


def named_check(*task_ids: str) -> Callable[[Callable[..., None]], Callable[..., CheckResult]]:
    """Make a check body ``body(checker, *args)`` into a check ``check(*args) -> CheckResult``.

    The returned function never raises because of the student's code. An exception raised by
    the body itself outside :meth:`Checker.call` (e.g. the student's function returned something
    that cannot be unpacked) is recorded as a failure naming its type and message.

    Parameters
    ----------
    *task_ids : str
        The task(s) of :mod:`cs231n_lin.tasks` this check judges; the title shown after
        ``PASS:``/``FAIL:`` is the task's (in the student's language).
    """
    if not task_ids:
        raise TypeError("named_check needs the id of the task it judges")

    def decorate(body: Callable[..., None]) -> Callable[..., CheckResult]:
        @functools.wraps(body)
        def check(*args: Any, **kwargs: Any) -> CheckResult:
            checker = Checker(body.__name__, _title_for(task_ids, args))
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    body(checker, *args, **kwargs)
            except StopCheck:
                pass
            except Exception as exc:  # noqa: BLE001 - never raise because of student code
                checker.fail(f"the result could not be checked: {type(exc).__name__}: {exc}")
            return checker.result()

        check.task_ids = task_ids  # type: ignore[attr-defined]
        return check

    return decorate


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")
