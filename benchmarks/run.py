"""Run every benchmark, print one table of ratios and write ``build/benchmarks.json``.

Usage::

    make bench                                  # full sizes + grading times (about 15-25 minutes)
    .venv/bin/python -m benchmarks --quick      # tiny sizes, a few seconds (smoke test)
    .venv/bin/python -m benchmarks --out PATH   # write the JSON somewhere else

Every number in the table is a ratio of two times measured in the same run (round-robin, median
of repeats), so they stay comparable on a noisy shared machine and across commits.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmarks.rows import format_table, ratio_row


@dataclass(frozen=True)
class Sizes:
    """Problem sizes and repeat counts of one run."""

    small_n: int = 500          # naive vs vectorized
    big_n: int = 49000          # vectorized vs the two GEMMs (CIFAR-10's training set)
    dim: int = 3073             # 32 * 32 * 3 + the bias column
    classes: int = 10
    repeats: int = 5
    naive_repeats: int = 3
    fit_repeats: int = 5
    explorer_points: int = 300
    explorer_repeats: int = 20
    grade_batch: int = 20
    report_submissions: int = 300   # cs231n-lin report on a class replicated from real grades


FULL = Sizes()
QUICK = Sizes(small_n=40, big_n=600, dim=101, repeats=2, naive_repeats=1, fit_repeats=1,
              explorer_points=30, explorer_repeats=2, grade_batch=2, report_submissions=40)


def explorer_row(sizes: Sizes) -> dict:
    """The explorer's update time, if ``benchmarks.bench_explorer`` exists (another module's)."""
    label = f"explorer update time ({sizes.explorer_points} points, median of {sizes.explorer_repeats})"
    try:
        from benchmarks.bench_explorer import measure_explorer_update_ms
    except ImportError:
        return ratio_row("explorer_update_ms", label, None, None, None, unit="ms",
                         reason="n/a (explorer not available)")
    ms = measure_explorer_update_ms(n_points=sizes.explorer_points, repeats=sizes.explorer_repeats)
    return ratio_row("explorer_update_ms", label, float(ms), None, None, unit="ms")


def run(sizes: Sizes, *, log=print) -> list[dict]:
    """All sections in order; returns the rows."""
    from benchmarks.bench_fit import fit_on_digits  # imported here: `--help` stays fast
    from benchmarks.bench_losses import naive_vs_vectorized, vectorized_vs_gemm

    rows = []
    for dtype in (np.float32, np.float64):
        log(f"naive vs vectorized, {np.dtype(dtype).name} ...")
        rows += naive_vs_vectorized(sizes.small_n, sizes.dim, sizes.classes, dtype,
                                    sizes.repeats * 3, sizes.naive_repeats)
    for dtype in (np.float32, np.float64):
        log(f"vectorized vs GEMMs at N={sizes.big_n}, {np.dtype(dtype).name} ...")
        rows += vectorized_vs_gemm(sizes.big_n, sizes.dim, sizes.classes, dtype, sizes.repeats)
    log("fitting on digits ...")
    rows += fit_on_digits(sizes.fit_repeats, quick=sizes is QUICK)
    rows.append(explorer_row(sizes))
    log("cs231n-lin check ...")
    from benchmarks.bench_check import check_times

    rows += check_times(1 if sizes is QUICK else 3)
    from benchmarks.bench_report import report_row

    log(f"class report of {sizes.report_submissions} students replicated from real grades ...")
    rows.append(report_row(sizes.report_submissions))
    if sizes is not QUICK:  # grading takes minutes: full runs only
        from benchmarks.bench_grading import grading_times

        log("grading times ...")
        rows += grading_times(sizes.grade_batch, log=log)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a fast smoke run")
    parser.add_argument("--out", default="build/benchmarks.json", help="where to write the JSON results")
    parser.add_argument("--blas-threads", type=int, default=None, metavar="N",
                        help="limit the BLAS to N threads (default: the library's own setting)")
    args = parser.parse_args(argv)
    if args.blas_threads is not None and args.blas_threads < 1:
        parser.error(f"--blas-threads must be a positive integer; got {args.blas_threads}")
    if args.blas_threads is not None:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            return _main(args)
    return _main(args)


def _main(args: argparse.Namespace) -> int:
    from benchmarks.timing import machine_info
    from cs231n_lin._io import atomic_write_text

    sizes = QUICK if args.quick else FULL
    start = time.perf_counter()
    machine = machine_info()
    blas = ", ".join(
        f"{Path(b['filepath']).name}: {b['internal_api']} {b['version']} "
        f"({b['architecture']}, {b['num_threads']} threads)" for b in machine["blas"]
    ) or "none found"
    print(f"numpy {machine['numpy']}, BLAS: {blas}, {machine['cpu_count']} cores, "
          f"load average {machine['load_average']}")
    rows = run(sizes)
    machine["load_average_after"] = machine_info()["load_average"]
    table = format_table(rows)
    print(table)
    print(f"Each ratio is a ratio of medians of {sizes.repeats} round-robin repeats in this run; "
          f"naive losses timed on all {sizes.small_n} rows (median of {sizes.naive_repeats}).")
    if args.quick:
        print("--quick: tiny sizes, so the targets say nothing here; run without --quick to measure.")
    result = {
        "quick": args.quick, "blas_threads": args.blas_threads, "sizes": asdict(sizes), "machine": machine,
        "seconds": time.perf_counter() - start, "rows": rows,
    }
    path = atomic_write_text(args.out, json.dumps(result, indent=2) + "\n")
    print(f"results written to {path} ({result['seconds']:.0f} s)")
    return 0
