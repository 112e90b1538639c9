"""Result types shared by ``check`` and ``grade``, in Gradescope's ``results.json`` schema."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Gradescope's visibility values: when a student sees a test.
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


@dataclass
class TestResult:
    """One graded test: what a student sees for it on Gradescope.

    Parameters
    ----------
    name : str
        Short title, e.g. ``"svm_loss_vectorized: hinge loss and gradient (reg > 0)"``.
    score, max_score : float
        Points earned and available (``0 <= score <= max_score``).
    output : str
        Feedback for the student (never the hidden test's code or expected values).
    visibility : str
        One of :data:`VISIBILITIES`.
    """

    __test__ = False  # not a pytest test class

    name: str
    score: float
    max_score: float
    output: str = ""
    visibility: str = "visible"

    def __post_init__(self) -> None:
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {VISIBILITIES}; got {self.visibility!r}")
        if not (math.isfinite(self.max_score) and self.max_score >= 0):
            raise ValueError(f"max_score must be a finite number >= 0; got {self.max_score!r}")
        if not (math.isfinite(self.score) and 0 <= self.score <= self.max_score + 1e-9):
            raise ValueError(f"score must be in [0, max_score={self.max_score}]; got {self.score!r}")

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score - 1e-9

    def to_gradescope(self) -> dict:
        return {
            "name": self.name,
            "score": round(float(self.score), 6),
            "max_score": round(float(self.max_score), 6),
            "output": self.output,
            "visibility": self.visibility,
        }

    @classmethod
    def from_gradescope(cls, data: dict) -> TestResult:
        return cls(
            name=str(data["name"]), score=float(data["score"]), max_score=float(data["max_score"]),
            output=str(data.get("output", "")), visibility=str(data.get("visibility", "visible")),
        )


@dataclass
class SubmissionResult:
    """The grade of one submission.

    Parameters
    ----------
    tests : list of TestResult
        In a fixed order (the hidden cases' order, then notebooks).
    output : str
        Text shown above the tests (summary, warnings).
    execution_time : float
        Seconds spent grading (the only field that differs between two gradings).
    extra : dict
        Grader bookkeeping kept out of the Gradescope schema unless ``to_gradescope(extra=True)``
        (e.g. the submission's hash used to resume a batch).
    data : dict
        Structured facts for the class report, written as Gradescope's ``extra_data`` (which
        Gradescope stores and does not show): ``diagnoses`` (``key``, ``function``, ``message``),
        ``perf`` (per function: ``ratio``, ``graded_ratio``, ``lines_per_example``,
        ``extra_memory_ratio``), ``limits`` (``function``, ``why``, ``kind``: every time limit,
        budget or crash that stopped a run), ``instructor_notes`` (what only the instructor should
        read, e.g. the sandbox mode's weaknesses; never in ``output``) and ``written`` (question id
        -> answer text).
    """

    tests: list[TestResult] = field(default_factory=list)
    output: str = ""
    execution_time: float = 0.0
    extra: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    def to_gradescope(self) -> dict:
        """The ``results.json`` dictionary Gradescope reads."""
        out = {
            "score": self.score,
            "execution_time": round(float(self.execution_time), 3),
            "output": self.output,
            "tests": [t.to_gradescope() for t in self.tests],
        }
        if self.data:
            out["extra_data"] = self.data
        return out

    @classmethod
    def from_gradescope(cls, data: dict) -> SubmissionResult:
        tests = [TestResult.from_gradescope(t) for t in data.get("tests", [])]
        return cls(
            tests=tests, output=str(data.get("output", "")),
            execution_time=float(data.get("execution_time", 0.0)),
            data=dict(data.get("extra_data") or {}),
        )
