"""The reference's CPU time on a submission's worker calls: the yardstick of every CPU budget.

Measured once per grading process and hidden-cases file, before a batch forks (``batch._warm_up``),
by running the same calls on the instructor's package in the same kind of sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cs231n_lin.grading.run.budget import reference_seconds

__all__ = ["reference_for"]


def reference_for(options, tasks: Callable[[Path], list]) -> float:
    """CPU seconds of the reference package on the worker calls ``tasks(reference_copy)`` (the
    visible checks', the hidden cases' and the probes'), measured once per process and
    hidden-cases file (``options.hidden_dir``, ``options.limits``, ``options.mode``)."""
    import hashlib
    import shutil

    from cs231n_lin.grading.run import worker

    cases_text = (options.hidden_dir / "cases.py").read_bytes()
    key = hashlib.sha256(cases_text + repr(options.mode).encode()).hexdigest()

    def run() -> float:
        box = worker.make_sandbox_dir()
        try:
            ref = box / "reference"
            shutil.copytree(worker.reference_package(), ref / worker.PACKAGE,
                            ignore=shutil.ignore_patterns("__pycache__", "grading"))
            runs: list = []
            worker.run_tasks(ref, box, list(tasks(ref)), limits=options.limits, mode=options.mode, runs=runs)
            return sum(r.cpu_seconds for r in runs)
        finally:
            worker.remove_sandbox_dir(box)

    return reference_seconds(key, run)
