"""``cs231n-lin check``: the report of a solved copy, a copy with a bug, an empty copy, a copy that hangs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cs231n_lin.checks import verb
from cs231n_lin.checks.report import format_report, to_json
from cs231n_lin.grading.markers import strip_py

from .conftest import ROOT, mutants

CLASSIFIERS = ("linear_svm", "softmax", "linear_classifier")


def _copy(tmp_path: Path) -> Path:
    """A student-like copy of this repository: the package without grading/, and the notebooks."""
    dest = tmp_path / "copy"
    shutil.copytree(ROOT / "cs231n_lin", dest / "cs231n_lin",
                    ignore=shutil.ignore_patterns("grading", "__pycache__"))
    shutil.copytree(ROOT / "notebooks", dest / "notebooks",
                    ignore=shutil.ignore_patterns("src", "__pycache__"))
    return dest


def _check(root: Path, *args: str, timeout: float = 120) -> tuple[int, str, dict | None]:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONPATH"] = str(root)
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "check", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)
    data = None
    if "--json" in args and proc.stdout.strip():
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    return proc.returncode, proc.stdout + proc.stderr, data


def test_solved_copy_passes_everything_and_exits_0():
    code, out, data = _check(ROOT, "--json")
    assert code == 0, out
    assert data["score"] == data["max_score"] == 90 and data["failures"] == [] and data["next"] is None
    assert {p["name"] for p in data["parts"]} >= {"svm", "softmax", "sgd", "01", "02", "03", "04", "05"}
    p = verb.plan(ROOT, "svm")
    text = format_report(verb.run(p), to_json(p))
    assert "All visible checks pass." in text and "20 / 20" in text


def test_a_bug_is_reported_with_its_likely_cause(tmp_path: Path):
    root = _copy(tmp_path)
    bug = next(m for m in mutants.BUGS if m.name == "svm_vec_counts_correct_class")
    bug.apply_to(root)
    code, out, data = _check(root, "svm", "--json")
    assert code == 1 and data["score"] < data["max_score"] == 20
    failure = next(f for f in data["failures"] if f["check"] == "svm_vectorized")
    assert "correct class in the hinge sum" in failure["likely_cause"]
    assert failure["notebook"] == "01_svm_hinge_loss.ipynb" or failure["notebook"] is None
    code, out, _ = _check(root, "svm")
    assert "Likely cause:" in out and "FAIL [svm]" in out and len(out.splitlines()) <= 30


def test_an_empty_copy_scores_0_and_names_the_first_function_to_write(tmp_path: Path):
    root = _copy(tmp_path)
    for name in CLASSIFIERS:
        path = root / f"cs231n_lin/classifiers/{name}.py"
        path.write_text(strip_py(path.read_text(), f"cs231n_lin/classifiers/{name}.py"))
    code, out, data = _check(root, "svm", "--json")
    assert code == 1 and data["score"] == 0
    assert data["next"]["what"] == "not written yet: svm_loss_naive in cs231n_lin/classifiers/linear_svm.py"
    code, out, _ = _check(root, "sgd")
    assert "Next thing to write:" in out and "Traceback" not in out and "Warning" not in out


def test_a_check_that_hangs_is_stopped_and_the_others_still_run(tmp_path: Path):
    root = _copy(tmp_path)
    path = root / "cs231n_lin/classifiers/linear_svm.py"
    text = path.read_text()
    path.write_text(text.replace("    num_train, num_classes = X.shape[0], W.shape[1]\n",
                                 "    num_train, num_classes = X.shape[0], W.shape[1]\n    while True:\n"
                                 "        pass\n", 1))
    p = verb.run(verb.plan(root, "svm"), per_check=3)
    results = {it.id: it.result for it in p.items}
    assert "did not finish within 3 s" in results["svm_naive_loss"]["failures"][0]["what"]
    assert results["svm_vectorized"]["passed"]


def test_unknown_part_is_refused_with_the_list_of_parts():
    code, out, _ = _check(ROOT, "nonsense")
    assert code == 2 and "unknown part 'nonsense'" in out and "svm" in out


def test_check_leaves_the_environment_alone():
    before = dict(os.environ)
    verb.run(verb.plan(ROOT, "02"))
    assert dict(os.environ) == before


@pytest.mark.parametrize("part", ["svm", "softmax", "sgd"])
def test_parts_only_run_their_checks(part):
    p = verb.plan(ROOT, part)
    assert p.items and all(it.part == part for it in p.items)


def test_an_unreadable_notebook_is_a_failure_not_a_crash(tmp_path: Path):
    root = _copy(tmp_path)
    (root / "notebooks/02_squared_hinge.ipynb").write_text("{ not json")
    p = verb.run(verb.plan(root, "02"))
    data = to_json(p)
    assert data["score"] == 0 and "cannot be read" in data["failures"][0]["what"]
