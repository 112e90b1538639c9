"""Wall time of ``cs231n-lin check`` (the student's self-check) on this copy, as measured figures.

Targets (issue 11): the whole check of a solved copy, notebooks included, within 30 s on 2
cores, and one part (``check svm``) within 5 s. Each run is a fresh process, as a student
starts it; the median of the repeats is reported.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.rows import ratio_row

ROOT = Path(__file__).resolve().parents[1]


def _seconds(args: list[str], repeats: int) -> tuple[float, int]:
    times, code = [], 0
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "check", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - start)
        code = proc.returncode
    return statistics.median(times), code


def check_times(repeats: int = 3) -> list[dict]:
    """Rows: ``check`` on this (solved) copy, and ``check svm``."""
    rows = []
    for row_id, args, target, label in (
        ("check_all_s", [], 30.0, "cs231n-lin check, solved copy incl. notebooks"),
        ("check_svm_s", ["svm"], 5.0, "cs231n-lin check svm"),
    ):
        seconds, code = _seconds(args, repeats)
        rows.append(ratio_row(row_id, f"{label} (median of {repeats})", seconds, "<=", target, unit="s",
                              exit_code=code))
    return rows
