"""Grading times, notebooks included: a typical submission, a looping one, a batch with 1 vs 2 jobs.

Targets (issue 20, a quiet 2-core machine): a typical submission <= 8 s, a looping one (its
``svm_loss_vectorized`` calls the naive loss: a Python loop over the examples) <= 60 s, a batch of
20 with ``--jobs 2`` >= 1.7x faster than with ``--jobs 1``, and so a class of 300 in <= 30 minutes
(300 / 20 times the batch's ``--jobs 2`` time). Times are wall-clock seconds of this machine as it
is: the table's header prints the load average, say how loaded it was.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.rows import ratio_row

#: Appended to linear_svm.py: a later definition replaces the vectorized loss.
LOOPING = '''

@validated_loss(nonnegative=("delta",))
def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    """Correct, but a Python loop over the examples (it calls the naive loss)."""
    return svm_loss_naive(W, X, y, reg, delta=delta, squared=squared)
'''

CLASS_SIZE = 300


def _submission(dest: Path, *, looping: bool = False) -> Path:
    """A copy of the reference package and the solved notebooks (``looping``: the slow loss)."""
    import cs231n_lin

    package = Path(cs231n_lin.__file__).resolve().parent
    shutil.copytree(package, dest / "cs231n_lin", ignore=shutil.ignore_patterns("__pycache__", "grading"))
    if (package.parent / "notebooks").is_dir():
        shutil.copytree(package.parent / "notebooks", dest / "notebooks",
                        ignore=shutil.ignore_patterns("src", "_build.py"))
    if looping:
        path = dest / "cs231n_lin" / "classifiers" / "linear_svm.py"
        path.write_text(path.read_text() + LOOPING)
    return dest


def _grade(subs: list[Path], jobs: int, notebooks: bool = True) -> float:
    from cs231n_lin.grading import batch
    from cs231n_lin.grading.grade import GradeOptions

    start = time.perf_counter()
    batch.main(submissions=subs, jobs=jobs, options=GradeOptions(notebooks=notebooks), echo=lambda *a: None)
    return time.perf_counter() - start


def grading_times(batch_size: int = 20, *, log=print) -> list[dict]:
    """The four grading rows (see the module docstring), notebooks included in every one."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="cs231n-bench-grade-") as tmp:
        tmp = Path(tmp)
        good = _submission(tmp / "good")
        looping = _submission(tmp / "looping", looping=True)
        _grade([good], 1)                                          # warm-up: imports, reference speed
        log("grading a typical submission ...")
        typical = min(_grade([good], 1) for _ in range(2))
        rows.append(ratio_row("grade_typical_s", "grade one typical submission (package + notebooks)",
                              typical, "<=", 8.0, unit="s"))
        log("grading a looping submission (svm_loss_vectorized calls the naive loss) ...")
        slow = _grade([looping], 1)
        rows.append(ratio_row("grade_looping_s", "grade one looping submission (package + notebooks)",
                              slow, "<=", 60.0, unit="s"))
        subs = [shutil.copytree(good, tmp / f"s{i}") for i in range(batch_size)]
        log(f"grading a batch of {batch_size} with --jobs 1 and --jobs 2 ...")
        one = _grade(subs, 1)
        two = _grade(subs, 2)
        label = f"batch of {batch_size} (with notebooks): jobs 1 / jobs 2"
        rows.append(ratio_row("grade_batch_speedup", label, one / two, ">=", 1.7,
                              jobs1_seconds=one, jobs2_seconds=two))
        label = f"a class of {CLASS_SIZE} with --jobs 2 (from the batch)"
        minutes = CLASS_SIZE / batch_size * two / 60.0
        rows.append(ratio_row("grade_class_minutes", label, minutes, "<=", 30.0, unit="min"))
    return rows


if __name__ == "__main__":
    from benchmarks.rows import format_table

    print(format_table(grading_times(int(sys.argv[1]) if len(sys.argv) > 1 else 20)))
