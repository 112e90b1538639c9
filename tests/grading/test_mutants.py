"""Every catalogued bug loses points and (mostly) gets a diagnosis naming it; every correct
alternative gets full marks.

``evaluate(submission_dir)`` is the one place that grades a submission. It currently runs the
probes in a subprocess on the mutated copy (standing in for the grade helper's worker) and
scores them with ``local_score``; once ``cs231n_lin.grading.grade`` works end to end, replace
its body by a call to ``grade`` and keep the rest of this file unchanged.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import cs231n_lin.classifiers as reference
from cs231n_lin.checks.tolerances import scaled_error as _rel
from cs231n_lin.checks.tolerances import tolerance as _tol
from cs231n_lin.grading import probes as probes_mod
from cs231n_lin.grading.diagnose import probe_correct, summarize
from cs231n_lin.grading.probes import ARRAY_FUNCTIONS, LOSS_FUNCTIONS, Probe, run_probe

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RUNNER = HERE / "_probe_runner.py"


def _load_catalogue():
    spec = importlib.util.spec_from_file_location("_mutant_catalogue", HERE / "mutants.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["_mutant_catalogue"] = module
    spec.loader.exec_module(module)
    return module


catalogue = _load_catalogue()


# --------------------------------------------------------------------------------------------
# Scoring (local stand-in for the grade helper's hidden tests)
# --------------------------------------------------------------------------------------------

def _expected(probe: Probe) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_probe(reference, probe)


def probe_passes(probe: Probe, got: dict) -> bool:
    """One point per probe: the student's outcome agrees with the reference's."""
    if not got.get("ok") or got.get("inputs_modified"):
        return False
    exp = _expected(probe)
    if probe.function in LOSS_FUNCTIONS:
        W = probe.kwargs["W"]
        tol = _tol(W.dtype)
        if str(got.get("loss_type", "")).startswith("ndarray") or got.get("dtype") != str(W.dtype):
            return False
        if got.get("loss") is None or abs(got["loss"] - exp["loss"]) > tol * max(1.0, abs(exp["loss"])):
            return False
        return _rel(got["dW"], exp["dW"]) <= tol
    if probe.function in ARRAY_FUNCTIONS or probe.function.endswith(".predict"):
        out = got.get("output")
        if out is None or got.get("dtype") != exp["dtype"] or np.shape(out) != np.shape(exp["output"]):
            return False
        if probe.function.endswith(".predict"):
            return bool(np.array_equal(out, exp["output"]))
        return _rel(out, exp["output"]) <= 1e-6
    # *.fit: the SGD loop itself (sampling may differ from the reference's)
    kw = probe.kwargs
    k = int(got.get("num_loss_calls") or 0)
    if k != kw["num_iters"]:
        return False
    steps = np.diff(got["W_steps"], axis=0)
    C = len(np.unique(kw["y"]))
    labels = got["batch_labels"]
    return bool(
        _rel(steps, -kw["learning_rate"] * got["grad_steps"]) <= 1e-9
        and np.all(got["batch_sizes"] == kw["batch_size"])
        and labels.min() >= 0 and labels.max() < C
        and _rel(got["loss_history"], got["loss_steps"]) <= 1e-12
    )


def local_score(results: list[tuple[Probe, dict]]) -> tuple[float, float]:
    verdicts = [probe_passes(p, o) for p, o in results]
    # two oracles must agree: the reference package here, the grader's own formulas in diagnose
    own = [probe_correct(p, o) for p, o in results]
    disagree = [p.name for (p, _), a, b in zip(results, verdicts, own, strict=True) if a != b]
    assert not disagree, f"reference package and diagnose.probe_correct disagree on {disagree}"
    return float(sum(verdicts)), float(len(results))


def run_probes_in_subprocess(submission_dirs: list[Path]) -> list[list[tuple[Probe, dict]]]:
    """Probe outcomes of each submission (one subprocess, one forked child per submission)."""
    args = []
    for d in submission_dirs:
        args += [str(d), str(Path(d) / "_outcomes.json")]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, str(RUNNER), probes_mod.__file__, *args],
                          cwd=submission_dirs[0], env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"probe runner failed:\n{proc.stderr[-3000:]}")
    by_name = {p.name: p for p in probes_mod.probe_cases()}
    all_results = []
    for d in submission_dirs:
        results = []
        for item in json.loads((Path(d) / "_outcomes.json").read_text()):
            outcome = probes_mod.outcome_from_json(item["outcome"])
            results.append((by_name[item["name"]], outcome))
        all_results.append(results)
    return all_results


def evaluate_end_to_end(submission_dirs: list[Path]) -> list[tuple[float, float, list[str]]]:
    """Grade through the grade helper's ``grade_submission`` (sandboxed worker, hidden tests)."""
    from cs231n_lin.grading.grade import GradeOptions, grade_submission

    options = GradeOptions(notebooks=False)
    graded = []
    for d in submission_dirs:
        result = grade_submission(Path(d), options)
        graded.append((sum(t.score for t in result.tests), sum(t.max_score for t in result.tests),
                       [t.output for t in result.tests]))
    return graded


def evaluate_many(submission_dirs: list[Path]) -> list[tuple[float, float, list[str]]]:
    """Grade submissions: (score, max_score, diagnosis messages) for each.

    The single switch point to the end-to-end grader: with ``MUTANTS_END_TO_END=1`` in the
    environment the submissions go through ``cs231n_lin.grading.grade`` (about 15 s each, so
    opt-in); by default the probes run in a subprocess and ``local_score`` scores them.
    """
    if os.environ.get("MUTANTS_END_TO_END") == "1":
        return evaluate_end_to_end(submission_dirs)
    graded = []
    for results in run_probes_in_subprocess(list(submission_dirs)):
        score, max_score = local_score(results)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            messages = [m for msgs in summarize(results).values() for m in msgs]
        graded.append((score, max_score, messages))
    return graded


def evaluate(submission_dir: Path) -> tuple[float, float, list[str]]:
    """Grade one submission (see :func:`evaluate_many`)."""
    return evaluate_many([submission_dir])[0]


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------

def test_catalogue_is_large_and_covers_every_student_function():
    bugs, correct = catalogue.BUGS, catalogue.CORRECT
    assert len(bugs) >= 30 and len(correct) >= 5
    names = [m.name for m in catalogue.ALL]
    assert len(set(names)) == len(names), "mutant names must be unique"
    covered = " ".join(m.name for m in bugs)
    for part in ("svm_naive", "svm_vec", "softmax_naive", "softmax_vec", "softmax_fn", "log_softmax",
                 "fit_", "predict_"):
        assert part in covered, f"no mutant of {part}"


@pytest.mark.parametrize("mutant", catalogue.ALL + catalogue.HELD_OUT, ids=lambda m: m.name)
def test_every_snippet_occurs_exactly_once(mutant):
    text = (REPO / mutant.file).read_text()
    for old, new in mutant.edits:
        assert text.count(old) == 1, f"{mutant.name}: stale snippet {old!r}"
        assert old != new


def test_apply_refuses_a_stale_snippet(tmp_path):
    stale = catalogue.Mutant("stale", catalogue.SVM, (("this text is not in the file", "x"),), "x")
    with pytest.raises(AssertionError, match="occurs 0 times"):
        catalogue.make_copy(stale, REPO, tmp_path / "stale")


def test_local_score_accepts_the_reference_and_rejects_a_modified_outcome():
    results = [(p, _expected(p)) for p in probes_mod.probe_cases()]
    score, max_score = local_score(results)
    assert score == max_score
    probe, outcome = next((p, o) for p, o in results if p.function == "svm_loss_vectorized")
    bad = copy.deepcopy(outcome)
    bad["loss"] = outcome["loss"] * 1.01
    assert not probe_passes(probe, bad)


@pytest.mark.slow
def test_mutants_lose_points_and_get_named(tmp_path, capsys):
    baseline = catalogue.Mutant("reference", catalogue.SVM, (), None)

    mutants = [baseline, *catalogue.ALL, *catalogue.HELD_OUT]
    held_out = {m.name for m in catalogue.HELD_OUT}
    dirs = [catalogue.make_copy(m, REPO, tmp_path / m.name) for m in mutants]
    halves = [dirs[0::2], dirs[1::2]]             # two runners in parallel (2 cores)
    with ThreadPoolExecutor(max_workers=2) as pool:
        graded = list(pool.map(evaluate_many, halves))
    by_dir = dict(zip(halves[0] + halves[1], graded[0] + graded[1], strict=True))
    outcomes = [(m, by_dir[d]) for m, d in zip(mutants, dirs, strict=True)]

    problems, caught, named, rows = [], 0, 0, []
    held_caught = held_named = 0
    for mutant, (score, max_score, messages) in outcomes:
        text = " ".join(messages)
        if mutant.correct:
            ok = score == max_score
            if not ok:
                problems.append(f"correct alternative {mutant.name} got {score}/{max_score}: {messages}")
            rows.append(f"  {'OK ' if ok else 'BAD'} {mutant.name:40s} {score:.0f}/{max_score:.0f} (correct)")
            continue
        lost = score < max_score
        hit = mutant.keyword.lower() in text.lower()
        if mutant.name in held_out:
            held_caught += lost
            held_named += hit
        else:
            caught += lost
            named += hit
        if not lost:
            problems.append(f"bug {mutant.name} got full marks")
        rows.append(f"  {'caught' if lost else 'MISSED'} {'named ' if hit else 'UNNAMED'} {mutant.name:40s} "
                    f"{score:.0f}/{max_score:.0f}  {text[:160] if not hit else ''}")
    n = len(catalogue.BUGS)
    summary = (f"catch rate {caught}/{n} = {caught / n:.0%}, diagnosis rate {named}/{n} = {named / n:.0%}, "
               f"correct alternatives {len(catalogue.CORRECT)}; held-out bugs: caught {held_caught}/"
               f"{len(held_out)}, named {held_named}/{len(held_out)} (not gated)")
    with capsys.disabled():
        print("\n" + "\n".join(rows) + "\n" + summary)
    assert not problems and named >= 0.8 * n, summary + "\n" + "\n".join(problems)
