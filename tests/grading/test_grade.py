"""``grade``: hidden tests with points, feedback, determinism, read-only submissions, batches, notebooks."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

from cs231n_lin.cli import main as cli
from cs231n_lin.grading.grade import GradeOptions, grade_submission, load_cases, make_inputs
from cs231n_lin.grading.run.sandbox import Limits

sys.path.insert(0, os.path.dirname(__file__))
import grading_nbfixtures as nbf  # noqa: E402
from grading_subs import REPO, make_submission, small_hidden  # noqa: E402

NO_REG = """
def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    import numpy as np
    n = X.shape[0]
    s = X @ W
    m = np.maximum(0, s - s[np.arange(n), y][:, None] + delta)
    m[np.arange(n), y] = 0
    d = (m > 0).astype(W.dtype)
    d[np.arange(n), y] = -d.sum(axis=1)
    return float(m.sum() / n), X.T @ d / n
"""


def _opts(tmp_path, **kw):
    return GradeOptions(hidden_dir=small_hidden(tmp_path), notebooks=False, limits=Limits(wall=30), **kw)


def _tree_state(path):
    out = {}
    for dirpath, _, files in os.walk(path):
        for f in files:
            p = os.path.join(dirpath, f)
            st = os.stat(p)
            with open(p, "rb") as f:
                out[os.path.relpath(p, path)] = (st.st_mtime_ns, hashlib.sha256(f.read()).hexdigest())
    return out


def test_reference_gets_full_marks_and_student_version_gets_zero(shared_batch):
    """Read from the session's shared batch, graded by ``cs231n-lin grade ... --json --jobs 2``."""
    data = shared_batch["json"]
    cases = load_cases(REPO / "tests" / "hidden")
    total = sum(p for c in cases for k, p in c["checks"].items() if k != "perf")

    def package(name):         # the hidden cases' tests (the batch also has a tiny notebook)
        return [t for t in data[name]["tests"] if not t["name"].startswith("tiny:")]

    # speed (present when grading.perf is installed) depends on timing; everything else is exact
    assert sum(t["score"] for t in package("correct") if "— speed" not in t["name"]) == total > 0
    assert sum(t["max_score"] for t in package("correct") if "— speed" not in t["name"]) == total
    assert data["stub"]["score"] == 0
    assert all(t["score"] == 0 and "not implemented yet" in t["output"] for t in package("stub")
               if "speed" not in t["name"])
    names = {t["name"].split(":")[0] for t in package("correct")}
    assert {"svm_loss_naive", "svm_loss_vectorized", "softmax", "softmax_loss_naive",
            "softmax_loss_vectorized", "LinearSVM", "Softmax"} <= names


@pytest.fixture(scope="module")
def noreg(tmp_path_factory):
    """A read-only submission whose svm_loss_vectorized forgets the regularization, graded once."""
    tmp = tmp_path_factory.mktemp("noreg")
    sub = make_submission(tmp / "alice", replace={"svm_loss_vectorized": NO_REG})
    for dirpath, dirs, files in os.walk(sub):
        for name in files + dirs:
            p = os.path.join(dirpath, name)
            os.chmod(p, os.stat(p).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    os.chmod(sub, 0o555)
    before = _tree_state(sub)
    res = grade_submission(sub, _opts(tmp))
    return tmp, sub, before, res


def test_a_bug_loses_exactly_its_points_and_feedback_hides_expected_values(noreg):
    tmp, _, _, res = noreg
    by = {t.name: t for t in res.tests}
    assert by["svm vectorized — loss value"].score == 0
    assert by["svm vectorized — gradient dW"].score == 0
    # it did not modify its inputs, but that point counts only with correct results
    assert by["svm vectorized — inputs left unchanged"].score == 0
    assert by["softmax — probabilities"].score == 1
    assert res.score == 1 and res.max_score == 4
    # the expected loss (computed here with the reference) appears nowhere in the feedback
    from cs231n_lin.classifiers import svm_loss_vectorized

    case = load_cases(small_hidden(tmp))[0]
    ref_loss, _ = svm_loss_vectorized(**make_inputs(case["inputs"]), reg=0.1)
    text = json.dumps(res.to_gradescope())
    assert f"{ref_loss:.4f}"[:6] not in text and "not the correct value" in text


def test_same_result_twice_and_read_only_submission_untouched(noreg):
    tmp, sub, before, first = noreg
    second = grade_submission(sub, _opts(tmp))
    assert _tree_state(sub) == before
    a, b = first.to_gradescope(), second.to_gradescope()
    a.pop("execution_time")
    b.pop("execution_time")
    assert a == b


def test_zip_with_a_top_level_folder_grades_like_the_directory(noreg, tmp_path):
    _, sub, _, res = noreg
    zpath = tmp_path / "alice.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for dirpath, _, files in os.walk(sub):
            for f in files:
                p = os.path.join(dirpath, f)
                zf.write(p, os.path.join("alice", os.path.relpath(p, sub)))
    b = grade_submission(zpath, _opts(tmp_path)).to_gradescope()
    assert [t["score"] for t in res.to_gradescope()["tests"]] == [t["score"] for t in b["tests"]]


def test_missing_package_is_zero_with_an_explanation(tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "readme.txt").write_text("hi")
    res = grade_submission(tmp_path / "junk", _opts(tmp_path))
    assert res.score == 0 and res.max_score == 4 and "cs231n_lin/__init__.py" in res.output


def test_batch_out_dir_is_resumable_after_a_kill(tmp_path, capsys):
    good = make_submission(tmp_path / "subs" / "good")
    slow = make_submission(tmp_path / "subs" / "slow", replace={"svm_loss_vectorized": NO_REG.replace(
        "import numpy as np", "import numpy as np, time\n    time.sleep(60)")})
    bad = make_submission(tmp_path / "subs" / "bad", replace={"svm_loss_vectorized": NO_REG})
    out = tmp_path / "out"
    hidden = str(small_hidden(tmp_path))
    args = ["grade", str(good), str(slow), str(bad), "--out", str(out), "--hidden", hidden, "--no-notebooks",
            "--wall", "30"]
    # kill the batch (SIGKILL) while it grades "slow", after "good" is written
    proc = subprocess.Popen([sys.executable, "-m", "cs231n_lin", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (out / "good" / "results.json").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    first = json.loads((out / "good" / "results.json").read_text())
    assert first["score"] == 4 and not (out / "bad").exists()
    # resume: "good" is not graded again, the others are (the sleeping one now runs out of time)
    capsys.readouterr()
    assert cli(args + ["--wall", "3"]) == 0
    log = capsys.readouterr().out
    assert "good: already graded" in log and "bad: 1/4" in log and "slow: 1/4" in log
    summary = (out / "summary.csv").read_text().splitlines()
    assert summary[0].startswith("submission,score") and len(summary) == 4
    # a changed submission is graded again
    (good / "cs231n_lin" / "classifiers" / "softmax.py").write_text(
        (good / "cs231n_lin" / "classifiers" / "softmax.py").read_text() + "\n# edited\n")
    capsys.readouterr()
    cli([a for a in args if a != str(slow)])
    log = capsys.readouterr().out
    assert "good: already graded" not in log and "bad: already graded" in log


def test_cli_rejects_a_missing_submission(tmp_path, capsys):
    assert cli(["grade", str(tmp_path / "nope"), "--no-notebooks"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_notebook_points_come_from_functions_judged_outside_the_kernel(tmp_path):
    ref_dir = tmp_path / "refnb"
    nbf.write(ref_dir / "tiny.ipynb", nbf.notebook())
    # student: wrong solution, edited check cell that would print 42, a faked saved output, and
    # package code that (when the package is graded) swaps its notebooks/ for a symlink to the
    # grader's reference notebooks
    swap = f"""
        def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
            import os, shutil
            shutil.rmtree("/sandbox/submission/notebooks", ignore_errors=True)
            os.symlink({str(ref_dir)!r}, "/sandbox/submission/notebooks")
            return 0.0, W
    """
    sub = make_submission(tmp_path / "nbsub", replace={"svm_loss_vectorized": swap})
    nbf.write(sub / "notebooks" / "tiny.ipynb",
              nbf.notebook("def double(x):\n    return 3 * x", check1="# NBVAL_CHECK_OUTPUT\nprint(42)"))
    good = make_submission(tmp_path / "nbgood")
    nbf.write(good / "notebooks" / "tiny.ipynb", nbf.notebook("def double(x):\n    return x + x"))
    out = tmp_path / "out"
    hidden = small_hidden(tmp_path)
    (hidden / "notebook_cases.py").write_text(
        'NB_CASES = [{"notebook": "tiny.ipynb", "function": "double", "seed": 3, '
        '"args": {"x": {"normal": [4], "scale": 3.0}}}]\n')
    assert cli(["grade", str(sub), str(good), "--out", str(out), "--jobs", "2", "--hidden",
                str(hidden), "--notebooks", str(ref_dir), "--wall", "60"]) == 0
    scores = {}
    for name in ("nbsub", "nbgood"):
        res = json.loads((out / name / "results.json").read_text())
        scores[name] = [t["score"] for t in res["tests"] if t["name"].startswith("tiny")]
    assert scores == {"nbsub": [0.0, 1.0], "nbgood": [1.0, 1.0]}


def test_hidden_inputs_are_deterministic():
    for case in load_cases(REPO / "tests" / "hidden"):
        a, b = make_inputs(case["inputs"]), make_inputs(case["inputs"])
        assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


FAKE_PROBES = '''
from dataclasses import dataclass, field
import numpy as np
import pytest

@dataclass(frozen=True)
class Probe:
    name: str
    function: str
    kwargs: dict = field(default_factory=dict)

def probe_cases():
    rng = np.random.default_rng(5)
    return [Probe("svm/n7", "svm_loss_vectorized",
                  {"W": rng.standard_normal((4, 3)), "X": rng.standard_normal((7, 4)),
                   "y": np.arange(7) % 3, "reg": 0.0})]

def run_probe(namespace, probe):
    loss, dW = getattr(namespace, probe.function)(**probe.kwargs)
    return {"ok": True, "loss": float(loss), "dW": np.asarray(dW), "dtype": str(np.asarray(dW).dtype),
            "error": None, "inputs_modified": False}
'''

FAKE_DIAGNOSE = '''
from cs231n_lin.classifiers import svm_loss_vectorized

def diagnose(probe, outcome):
    ref, _ = svm_loss_vectorized(**probe.kwargs)
    if outcome["ok"] and abs(outcome["loss"] - 7 * ref) < 1e-9:
        return ["Your loss is 7 times too large: did you forget to divide by N?"]
    return []

def summarize_keyed(results):
    return [{"key": m, "function": probe.function.split(".")[0], "message": m}
            for probe, outcome in results for m in diagnose(probe, outcome)]
'''

NO_N = NO_REG.replace("float(m.sum() / n), X.T @ d / n", "float(m.sum()), X.T @ d")


def test_diagnoses_from_the_probe_interface_reach_the_feedback(tmp_path, monkeypatch):
    """The diagnose helper's interface: probes run in the worker, summarize_keyed() in the grader."""
    import importlib.util

    from cs231n_lin.grading.run import worker

    mods = {}
    for name, src in (("probes", FAKE_PROBES), ("diagnose", FAKE_DIAGNOSE)):
        path = tmp_path / f"fake_{name}.py"
        path.write_text(src)
        spec = importlib.util.spec_from_file_location(f"cs231n_lin.grading.{name}", path)
        mods[name] = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, f"cs231n_lin.grading.{name}", mods[name])
        spec.loader.exec_module(mods[name])
        monkeypatch.setattr(f"cs231n_lin.grading.{name}", mods[name], raising=False)
    real = worker._helper_module
    monkeypatch.setattr(worker, "_helper_module",
                        lambda n: tmp_path / "fake_probes.py" if n == "probes" else real(n))
    sub = make_submission(tmp_path / "non", replace={"svm_loss_vectorized": NO_N})
    res = grade_submission(sub, _opts(tmp_path))
    loss_test = next(t for t in res.tests if t.name == "svm vectorized — loss value")
    assert loss_test.score == 0 and "did you forget to divide by N?" in loss_test.output
    softmax_test = next(t for t in res.tests if t.name == "softmax — probabilities")
    assert softmax_test.score == 1 and "Likely cause" not in softmax_test.output


def test_real_diagnosis_of_a_missing_divide_by_n_is_named_once_without_expected_values(tmp_path):
    """End to end with the real probes and diagnose(): one mistake, one message per test output."""
    sub = make_submission(tmp_path / "non", replace={"svm_loss_vectorized": NO_N})
    res = grade_submission(sub, _opts(tmp_path))
    by = {t.name: t for t in res.tests}
    for name in ("svm vectorized — loss value", "svm vectorized — gradient dW"):
        out = by[name].output
        assert by[name].score == 0
        assert out.count("divide by N") == 1, out     # seen on probes with N = 7, 13, ...: said once
    softmax = by["softmax — probabilities"]
    assert softmax.score == 1 and "Likely cause" not in softmax.output
    from cs231n_lin.classifiers import svm_loss_vectorized

    case = load_cases(small_hidden(tmp_path))[0]
    ref_loss, ref_dW = svm_loss_vectorized(**make_inputs(case["inputs"]), reg=0.1)
    text = json.dumps(res.to_gradescope())
    for value in (ref_loss, ref_dW.flat[0]):
        assert f"{value:.4f}" not in text
