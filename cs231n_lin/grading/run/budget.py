"""The time one submission may use: CPU seconds, never wall-clock time, so machine load cannot change a grade.

A grading run measures the reference implementation on the same worker calls first
(:func:`reference_seconds`, once per process: :mod:`~cs231n_lin.grading.batch` warms it up before
it forks the processes that grade the submissions). A submission may use
``max(budget, BUDGET_FACTOR x reference)`` CPU seconds over all its sandboxed runs (:class:`Budget`);
every run is stopped at what is left, by the CPU time of all its processes summed from outside
(:func:`~cs231n_lin.grading.run.sandbox.run_sandboxed`'s ``cpu_budget``). The wall clock is only a
safety net for a hung machine (:func:`safety_wall`), far beyond what a loaded machine needs; a
run it stops is blamed on the grading machine, not on the student (:func:`why_stopped`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

BUDGET_FACTOR = 10.0   # a submission may use this many times the reference's CPU time
WALL_FACTOR = 10.0     # safety clock: wall seconds per CPU second allowed (two burners and --jobs 2: ~2)
WALL_SLACK = 60.0      # ... plus this many seconds
IDLE_RUN = 10.0        # a run whose processes neither run nor wait for a CPU this long is stopped
IDLE_TOTAL = 20.0      # ... and a submission may wait that way this long in all its runs

_REFERENCE: dict[str, float] = {}


def safety_wall(cpu_seconds: float) -> float:
    """Wall-clock seconds after which a run allowed ``cpu_seconds`` of CPU is stopped anyway."""
    return WALL_FACTOR * cpu_seconds + WALL_SLACK


def reference_seconds(key: str, run: Callable[[], float]) -> float:
    """CPU seconds of the reference on the grading calls, measured once per process (``run()``)."""
    if key not in _REFERENCE:
        _REFERENCE[key] = float(run())
    return _REFERENCE[key]


@dataclass
class Budget:
    """CPU seconds one submission may still use, and the limit stops met so far (for ``extra_data``).

    Parameters
    ----------
    cpu : float
        CPU seconds for every sandboxed run of the submission together (``inf``: no total).
    reference : float or None
        The reference's CPU seconds for the same worker calls (in the messages).
    """

    cpu: float = math.inf
    reference: float | None = None
    used: float = 0.0
    idle_used: float = 0.0
    stops: list[dict] = field(default_factory=list)

    @classmethod
    def for_submission(cls, seconds: float, reference: float | None) -> Budget:
        """``max(seconds, BUDGET_FACTOR x reference)`` CPU seconds."""
        floor = BUDGET_FACTOR * reference if reference else 0.0
        return cls(cpu=max(float(seconds), floor), reference=reference)

    def left(self) -> float:
        return max(0.0, self.cpu - self.used)

    def idle_left(self) -> float:
        """Seconds the submission may still spend waiting without computing (sleep, input, a lock)."""
        return max(0.0, IDLE_TOTAL - self.idle_used)

    def charge(self, cpu_seconds: float) -> None:
        self.used += max(0.0, float(cpu_seconds))

    def record(self, where: str, why: str, kind: str) -> None:
        """Remember a limit stop (``kind``: ``"timeout"`` for the CPU budget, ``"grader"`` for the
        safety clock) for ``extra_data.limits``; each place once."""
        if not any(s["function"] == where for s in self.stops):
            self.stops.append({"function": where, "why": why, "kind": kind})

    def describe(self) -> str:
        binding = self.reference and BUDGET_FACTOR * self.reference >= self.cpu - 1e-9
        ref = f", {BUDGET_FACTOR:g}x the reference's {self.reference:.1f} s" if binding else ""
        return f"{self.cpu:.0f} s of CPU time{ref}"


def why_stopped(stopped: str | None, cpu_limit: float, wall_limit: float) -> str:
    """A sentence fragment for a student: what stopped a run, and why (never a bare ``None``)."""
    if stopped == "cpu":
        return f"ran out of time (it used its CPU-time limit of {cpu_limit:.0f} s)"
    if stopped == "idle":
        return (f"waited for {IDLE_RUN:.0f} s without computing (a sleep, input() or a lock?) and was "
                "stopped at the time limit for waiting")
    if stopped == "wall":
        return (f"was stopped by the grader's safety time limit after {wall_limit:.0f} s of wall-clock "
                "time: the grading machine was too slow, not your code; ask your instructor to grade "
                "it again")
    return "was stopped by the grader"


__all__ = ["BUDGET_FACTOR", "Budget", "reference_seconds", "safety_wall", "why_stopped"]
