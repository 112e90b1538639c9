"""How long ``cs231n-lin report`` takes on a class of hundreds, and how big its pages are.

The class is built from REAL grades: a few submissions of the mutant catalogue
(``tests/grading/mutants.py``: the correct code, unfinished files, the most common bugs, and a loss
that never returns, stopped by the sandbox) are graded
by ``cs231n-lin grade`` (one result per task of the task table), then
:func:`cs231n_lin.grading.report.classgen.replicate` makes ``n`` students of them (each with its own
blank, partial or full answers in English or Chinese, and varied speed measurements). The seeds'
grades are cached in ``build/bench_report_seeds/`` (keyed by the
package, hidden cases and catalogue sources). Only the report is timed. Targets: 300 submissions
in at most 10 s; every page at most 2 MB.

    python benchmarks/bench_report.py [N]
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_BUGS = ("svm_vec_loss_not_averaged", "softmax_vec_no_shift", "svm_naive_reg_grad_factor1",
             "svm_vec_no_correct_class_grad", "softmax_vec_no_onehot", "fit_no_bias_column")
QUICK_BUGS = ("svm_vec_loss_not_averaged",)
MAX_PAGE_BYTES = 2 * 1024 * 1024


def _catalogue():
    sys.path.insert(0, str(ROOT / "tests" / "grading"))
    try:
        from mutants import BUGS
    finally:
        sys.path.pop(0)
    return BUGS


def _cache_key(bug_names: tuple[str, ...]) -> str:
    h = hashlib.sha256("\n".join(bug_names).encode())
    for folder in (ROOT / "cs231n_lin", ROOT / "tests" / "hidden"):
        for path in sorted(folder.rglob("*.py")):
            h.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    h.update((ROOT / "tests" / "grading" / "mutants.py").read_bytes())
    return h.hexdigest()[:16]


def seed_results(bug_names: tuple[str, ...] = SEED_BUGS, *, log=print) -> dict[str, dict]:
    """Profile (``correct``, ``unfinished``, a bug's name) -> its real ``results.json`` (graded once)."""
    from cs231n_lin.grading.records.written import reference_questions
    from cs231n_lin.grading.report import classgen

    cache = ROOT / "build" / "bench_report_seeds" / _cache_key(bug_names)
    if not (cache / "done").is_file():
        bugs = _catalogue()
        questions = reference_questions(ROOT / "notebooks")
        answers = classgen.plan_class(1, [], questions, seed=1)[0].answers
        plans = [classgen.StudentPlan("correct", answers=answers)]
        if len(bug_names) > 1:        # the quick run grades two seeds only (one batch of --jobs 2)
            plans.append(classgen.StudentPlan("unfinished", unfinished=("cs231n_lin/classifiers/softmax.py",),
                                              answers=answers))
            plans.append(classgen.StudentPlan("hang", hangs=True, answers=answers))   # a sandbox stop
        plans += [classgen.StudentPlan(name, (name,), answers=answers) for name in bug_names]
        with tempfile.TemporaryDirectory() as tmp:
            subs = [classgen.write_submission(p, Path(tmp) / "subs" / p.name, repo=ROOT, bugs=bugs)
                    for p in plans]
            out = Path(tmp) / "grades"
            log(f"grading {len(subs)} seed submissions for the report benchmark (cached afterwards) ...")
            subprocess.run([sys.executable, "-m", "cs231n_lin", "grade", *map(str, subs), "--out", str(out),
                            "--jobs", "2"], check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir(parents=True)
            for p in plans:
                shutil.copy(out / p.name / "results.json", cache / f"{p.name}.json")
        (cache / "done").write_text("ok\n")
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(cache.glob("*.json"))}


def build_class(out_dir: str | Path, n: int, seeds: dict[str, dict], seed: int = 0) -> Path:
    """``n`` results files under ``out_dir``, replicated from ``seeds`` (see the module docstring)."""
    from cs231n_lin.grading.records.written import reference_questions
    from cs231n_lin.grading.report import classgen

    bugs = [b for b in _catalogue() if b.name in seeds]
    plans = classgen.plan_class(n, bugs, reference_questions(ROOT / "notebooks"), seed=seed)
    results = classgen.replicate(seeds, plans, seed=seed)
    return classgen.write_results(results, out_dir)


def page_sizes(grades_dir: str | Path) -> dict[str, int]:
    """Bytes of each report page (``report.html`` and ``report_written/*.html``)."""
    root = Path(grades_dir)
    pages = [root / "report.html", *sorted((root / "report_written").glob("*.html"))]
    return {str(p.relative_to(root)): p.stat().st_size for p in pages}


def measure(n: int = 300, *, bug_names: tuple[str, ...] = SEED_BUGS, keep: str | Path | None = None,
            log=print) -> dict:
    """Seconds of ``report.main`` on a class of ``n`` and the sizes of its pages."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from cs231n_lin.grading.report.report import main

    seeds = seed_results(bug_names, log=log)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(keep) if keep else Path(tmp)
        build_class(root, n, seeds)
        start, cpu = time.perf_counter(), time.process_time()
        main(grades_dir=root, notebooks_dir=ROOT / "notebooks", echo=lambda *a: None)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        sizes = page_sizes(root)
    return {"seconds": seconds, "cpu_seconds": cpu, "load_average": os.getloadavg()[0],
            "pages": len(sizes), "largest_page": max(sizes, key=sizes.get),
            "largest_bytes": max(sizes.values()), "overview_bytes": sizes["report.html"], "sizes": sizes}


def report_row(n: int) -> dict:
    """The benchmark table's row: report build time for ``n`` submissions (target <= 10 s at 300),
    with the page sizes in its details."""
    from benchmarks.rows import ratio_row

    label = f"report of {n} graded submissions (target at 300)"
    try:
        import cs231n_lin.grading.report.report  # noqa: F401 - instructor-only: not in the student version
    except ImportError:
        return ratio_row("report_seconds", label, None, None, None, unit="s",
                         reason="n/a (no grader in this copy)")
    m = measure(n, bug_names=QUICK_BUGS if n < 100 else SEED_BUGS)
    return ratio_row("report_seconds", label, m["seconds"], "<=", 10.0, unit="s", submissions=n,
                     cpu_seconds=m["cpu_seconds"], load_average=m["load_average"],
                     pages=m["pages"], largest_page=m["largest_page"],
                     largest_page_bytes=m["largest_bytes"], overview_bytes=m["overview_bytes"],
                     pages_within_2mb=m["largest_bytes"] <= MAX_PAGE_BYTES)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    keep = os.environ.get("BENCH_REPORT_KEEP")
    m = measure(count, keep=keep)
    print(f"report of {count} submissions: {m['seconds']:.2f} s (target <= 10 s; "
          f"CPU {m['cpu_seconds']:.2f} s, "
          f"load average {m['load_average']:.1f}); {m['pages']} pages, "
          f"overview {m['overview_bytes'] / 1024:.0f} KiB, largest {m['largest_page']} "
          f"{m['largest_bytes'] / 1024:.0f} KiB (limit {MAX_PAGE_BYTES // 1024} KiB)")
