"""How long ``cs231n-lin report`` takes on a large class: generated results files, then the report.

The results files are made up (no grading): the real hidden cases' test names, five notebooks'
check cells, written answers, diagnoses, speed measurements and a few sandbox limits, each drawn
from a seeded generator, in the schema ``grade --out`` writes. Target: 500 submissions in at most
10 s (the report only; generating the files is not timed).

    python benchmarks/bench_report.py [N]
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from cs231n_lin._io import atomic_write_text

# (key, function, message) as `grade` stores them (taken from a real graded batch)
KEYS = [
    ("avg_sum", "svm_loss_vectorized", "Your loss is not averaged over the examples: it matches the SUM over "
     "the N = 13 examples (N times too large). Did you forget to divide by N, the number of examples?"),
    ("no_shift", "softmax_loss_vectorized", "The loss from your softmax_loss_vectorized is not finite for "
     "scores around 790.4: np.exp overflows. Subtract each row's maximum score before np.exp."),
    ("loss.reg_half", "svm_loss_vectorized", "Your regularization term is 0.5 * reg * sum(W * W); this "
     "assignment's loss is data_loss + reg * sum(W * W), without the 0.5."),
    ("softmax_no_onehot", "softmax_loss_vectorized", "Your dW misses the one-hot term: the score gradient is "
     "p_j - 1[j == y_i], so subtract 1 at the correct class."),
    ("fit.ascent", "LinearSVM", "LinearSVM.fit moves W UP the gradient (W += learning_rate * grad): the SGD "
     "step is W -= learning_rate * grad (gradient descent)."),
    ("svm_counted", "svm_loss_naive", "Your loss and dW count the correct class in the hinge sum: for "
     "j == y_i the margin is delta, so every example adds delta."),
    ("not_implemented", "softmax", "softmax is not implemented yet (it raised NotImplementedError)."),
]
NOTEBOOKS = ["01_svm_hinge_loss", "02_squared_hinge", "03_softmax_cross_entropy", "04_numeric_stability",
             "05_svm_vs_softmax"]


def _hidden_tests() -> list[tuple[str, float, str]]:
    from cs231n_lin.grading.grade import CHECK_TITLES, load_cases
    from cs231n_lin.grading.worker import reference_package

    cases = load_cases(reference_package().parent / "tests" / "hidden")
    return [(f"{c['name']} — {CHECK_TITLES[k]}", float(p), c["function"])
            for c in cases for k, p in c["checks"].items()]


def _question_ids() -> list[str]:
    from cs231n_lin.grading.worker import reference_package
    from cs231n_lin.grading.written import reference_questions

    return [q.id for q in reference_questions(reference_package().parent / "notebooks")]


def generate(out_dir: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` plausible ``<out_dir>/s<k>/results.json`` files; returns ``out_dir``."""
    rng = random.Random(seed)
    out = Path(out_dir)
    hidden = _hidden_tests()
    questions = _question_ids()
    for k in range(n):
        skill = rng.random()
        bugs = [b for b in KEYS if rng.random() > 0.55 + 0.45 * skill]
        broken = {fn for _, fn, _ in bugs}
        tests = []
        for name, pts, fn in hidden:
            ok = fn not in broken and rng.random() < 0.6 + 0.4 * skill
            tests.append({"name": name, "score": pts if ok else 0.0, "max_score": pts,
                          "output": "correct" if ok else "the loss is not the correct value",
                          "visibility": "visible"})
        for nb in NOTEBOOKS:
            for c in range(1, 4):
                ok = rng.random() < 0.5 + 0.5 * skill
                tests.append({"name": f"{nb}: check cell {c} (cell id {nb[:2]}-{c:03d})", "score": 1.0 if ok
                              else 0.0, "max_score": 1.0, "output": "passed" if ok else "FAIL: ...",
                              "visibility": "visible"})
        if k % 97 == 5:
            tests = [dict(t, score=0.0) for t in tests]
        perf = {fn: {"ratio": round(rng.lognormvariate(0.7 + 1.2 * (1 - skill), 0.5), 3),
                     "graded_ratio": round(rng.lognormvariate(0.2 + 1.5 * (1 - skill), 0.5), 3),
                     "lines_per_example": 3.0 if rng.random() < 0.1 else 0.0,
                     "extra_memory_ratio": 1.0 if rng.random() < 0.15 else 0.1}
                for fn in ("svm_loss_vectorized", "softmax_loss_vectorized")}
        limits = [{"function": "svm_loss_vectorized", "why": "ran out of time (limit 60 s)",
                   "kind": "timeout"}] if k % 53 == 7 else []
        written = {q: "" if rng.random() < 0.1
                   else f"Answer of student {k} to {q}: " + "words " * rng.randint(5, 60) for q in questions}
        data = {"score": round(sum(t["score"] for t in tests), 6), "execution_time": 30.0,
                "output": "Graded.", "tests": tests,
                "extra_data": {"diagnoses": [{"key": key, "function": fn, "message": msg}
                                             for key, fn, msg in bugs],
                               "perf": perf, "limits": limits, "written": written}}
        atomic_write_text(out / f"s{k:04d}" / "results.json", json.dumps(data))
    return out


def measure_report_seconds(n: int = 500, seed: int = 0) -> float:
    """Wall-clock seconds of ``report.main`` on ``n`` generated results files."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from cs231n_lin.grading.report import main

    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp, n, seed)
        start = time.perf_counter()
        main(grades_dir=tmp, echo=lambda *a: None)
        return time.perf_counter() - start


def report_row(n: int) -> dict:
    """The benchmark table's row: report build time for ``n`` submissions (target <= 10 s at 500)."""
    from benchmarks.rows import ratio_row

    label = f"report of {n} graded submissions (target at 500)"
    try:
        import cs231n_lin.grading.report  # noqa: F401 - instructor-only: not in the student version
    except ImportError:
        return ratio_row("report_seconds", label, None, None, None, unit="s",
                         reason="n/a (no grader in this copy)")
    seconds = measure_report_seconds(n)
    return ratio_row("report_seconds", label, seconds, "<=", 10.0, unit="s", submissions=n)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    print(f"report of {count} submissions: {measure_report_seconds(count):.2f} s")
