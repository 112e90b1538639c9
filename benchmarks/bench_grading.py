"""Grading times: a typical submission, the worst case (a serial hang), and a batch with 1 vs 2 jobs.

Targets (issue 13): a typical submission <= 20 s, a pathological one <= 90 s (the default budget),
a batch with ``--jobs 2`` >= 1.7x faster than ``--jobs 1``. Times are wall-clock seconds of this
machine as it is (say how loaded it was: the table prints the load average).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.rows import ratio_row

HANG = '''
import sys as _sys, time as _time
_main = _sys.modules.get("__main__")
if _main is not None and hasattr(_main, "_run_task"):
    _main._run_task = lambda *a, **k: _time.sleep(1000)
'''


def _submission(dest: Path, *, hang: bool = False) -> Path:
    import cs231n_lin

    package = Path(cs231n_lin.__file__).resolve().parent
    shutil.copytree(package, dest / "cs231n_lin", ignore=shutil.ignore_patterns("__pycache__", "grading"))
    if (package.parent / "notebooks").is_dir():
        shutil.copytree(package.parent / "notebooks", dest / "notebooks",
                        ignore=shutil.ignore_patterns("src", "_build.py"))
    if hang:
        path = dest / "cs231n_lin" / "classifiers" / "linear_svm.py"
        text = path.read_text()
        anchor = "from cs231n_lin._validation"
        path.write_text(text.replace(anchor, HANG + anchor, 1))
    return dest


def _grade(subs: list[Path], jobs: int, notebooks: bool) -> float:
    from cs231n_lin.grading import batch
    from cs231n_lin.grading.grade import GradeOptions

    start = time.perf_counter()
    batch.main(submissions=subs, jobs=jobs, options=GradeOptions(notebooks=notebooks), echo=lambda *a: None)
    return time.perf_counter() - start


def grading_times(batch_size: int = 20, *, log=print) -> list[dict]:
    """The three grading rows (see the module docstring); the batch is graded without notebooks."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="cs231n-bench-grade-") as tmp:
        tmp = Path(tmp)
        good = _submission(tmp / "good")
        hang = _submission(tmp / "hang", hang=True)
        _grade([good], 1, False)                                   # warm-up: imports, reference speed
        log("grading a typical submission ...")
        typical = _grade([good], 1, True)
        rows.append(ratio_row("grade_typical_s", "grade one typical submission (package + notebooks)",
                              typical, "<=", 20.0, unit="s"))
        log("grading the worst case (driver replaced by a sleep) ...")
        worst = _grade([hang], 1, True)
        rows.append(ratio_row("grade_serial_hang_s", "grade the worst case: serial hang (+ notebooks)",
                              worst, "<=", 90.0, unit="s"))
        subs = [shutil.copytree(good, tmp / f"s{i}") for i in range(batch_size)]
        log(f"grading a batch of {batch_size} with --jobs 1 and --jobs 2 ...")
        one = _grade(subs, 1, False)
        two = _grade(subs, 2, False)
        rows.append(ratio_row("grade_batch_speedup", f"batch of {batch_size} (package only): jobs 1 / jobs 2",
                              one / two, ">=", 1.7, jobs1_seconds=one, jobs2_seconds=two))
    return rows


if __name__ == "__main__":
    from benchmarks.rows import format_table

    print(format_table(grading_times(int(sys.argv[1]) if len(sys.argv) > 1 else 20)))
