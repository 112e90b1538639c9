"""Gradescope autograder zip: layout, determinism, and run_autograder in a fake /autograder."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import cs231n_lin
from cs231n_lin import cli, tasks
from cs231n_lin.grading.records import gradescope as gs
from cs231n_lin.grading.records.results import SubmissionResult

from .fake_source import HIDDEN_CANARY, make_source

# A fast stand-in for `cs231n-lin grade SUBMISSION --json PATH` for run_autograder's plumbing
# (one test per submitted file, in Gradescope's schema); the real grader runs from the zip in
# test_real_run_autograder_grades_a_released_student_version.
FAKE_GRADE = """\
import json, os, sys
submission, flag, out = sys.argv[1:]
assert flag == "--json"
names = sorted(os.listdir(submission))
tests = [{"name": n, "score": 1.0, "max_score": 1.0, "output": "ok", "visibility": "visible"}
         for n in names]
json.dump({"score": float(len(tests)), "execution_time": 0.1, "output": submission, "tests": tests},
          open(out, "w"))
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_source(tmp_path / "source")


@pytest.fixture
def autograder(source: Path, tmp_path: Path) -> Path:
    """A fake /autograder: the zip unpacked into source/, a submission, no results yet."""
    zip_path = tmp_path / "autograder.zip"
    gs.build_zip(source=source, out_zip=zip_path)
    root = tmp_path / "ag"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
        for info in zf.infolist():                      # extractall drops the mode bits
            os.chmod(root / "source" / info.filename, info.external_attr >> 16 & 0o777)
    (root / "submission").mkdir()
    (root / "submission/losses.py").write_text("x = 1\n")
    (root / "submission/notes.md").write_text("hi\n")
    return root


def _run_autograder(root: Path, grade_cmd: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "CS231N_LIN_GRADE_CMD": grade_cmd}
    return subprocess.run([str(root / "source/run_autograder")], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_zip_layout(source: Path, tmp_path: Path):
    names = gs.build_zip(source=source, out_zip=tmp_path / "ag.zip")
    with zipfile.ZipFile(tmp_path / "ag.zip") as zf:
        assert sorted(zf.namelist()) == sorted(names)
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        assert HIDDEN_CANARY in zf.read("cs231n-lin/tests/hidden/test_hidden.py").decode()
    assert names[:2] == ["setup.sh", "run_autograder"]
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert "cs231n-lin/fakepkg/losses.py" in names and "cs231n-lin/notebooks/squares.ipynb" in names
    assert not [n for n in names if "/.git/" in n or "/.venv/" in n or "/build/" in n or "__pycache__" in n]


def test_zip_is_deterministic(source: Path, tmp_path: Path):
    gs.build_zip(source=source, out_zip=tmp_path / "a.zip")
    os.utime(source / "fakepkg/losses.py", (0, 0))
    gs.build_zip(source=source, out_zip=tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_refuses_a_student_version(source: Path, tmp_path: Path):
    student = tmp_path / "student"
    from cs231n_lin.grading.release.release import release

    release(source=source, out_dir=student)
    with pytest.raises(ValueError, match="has no tests/hidden/"):
        gs.build_zip(source=student, out_zip=tmp_path / "ag.zip")
    assert not (tmp_path / "ag.zip").exists()


def test_run_autograder_writes_valid_results(autograder: Path, tmp_path: Path):
    script = tmp_path / "fake_grade.py"
    script.write_text(FAKE_GRADE)
    proc = _run_autograder(autograder, f"{sys.executable} {script}")
    assert proc.returncode == 0, proc.stderr
    results = json.loads((autograder / "results/results.json").read_text())
    assert SubmissionResult.from_gradescope(results).to_gradescope() == results   # the grader's schema
    assert results["output"] == str(autograder / "submission")
    assert [t["name"] for t in results["tests"]] == ["losses.py", "notes.md"]


def test_run_autograder_reports_a_crashed_grader(autograder: Path):
    proc = _run_autograder(autograder, f"{sys.executable} -c exit(3)")
    assert proc.returncode == 0
    results = json.loads((autograder / "results/results.json").read_text())
    assert SubmissionResult.from_gradescope(results).to_gradescope() == results   # the grader's schema
    assert results["score"] == 0 and results["tests"] == []
    assert "exit code 3" in results["output"] and "nothing was graded" in results["output"]


def test_run_autograder_never_keeps_stale_results(autograder: Path):
    (autograder / "results").mkdir()
    stale = {"score": 100, "execution_time": 1, "output": "old", "tests": []}
    (autograder / "results/results.json").write_text(json.dumps(stale))
    _run_autograder(autograder, "false")
    assert json.loads((autograder / "results/results.json").read_text())["score"] == 0


def test_setup_sh_makes_a_venv_and_installs_the_repository(autograder: Path, tmp_path: Path):
    log = tmp_path / "calls.log"
    shim = tmp_path / "python3"       # records its arguments; `-m venv DIR` makes DIR/bin/python
    shim.write_text(f'#!/usr/bin/env bash\necho "$@" >> "{log}"\n'
                    'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; fi\n')
    shim.chmod(0o755)
    env = {**os.environ, "AUTOGRADER_ROOT": str(autograder), "PYTHON": str(shim)}
    proc = subprocess.run(["bash", str(autograder / "source/setup.sh")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == f"-m venv {autograder}/venv"
    assert calls[-1] == f"-m pip install -e {autograder}/source/cs231n-lin"
    assert (autograder / "source/cs231n-lin/pyproject.toml").is_file()


def test_cli_gradescope(source: Path, tmp_path: Path, capsys):
    assert cli.main(["gradescope", str(tmp_path / "ag.zip"), "--source", str(source)]) == 0
    assert "autograder zip written" in capsys.readouterr().out
    assert zipfile.is_zipfile(tmp_path / "ag.zip")


def _function_source(text: str, name: str) -> str:
    """The top-level ``def name(...)`` of a module's source, up to the next top-level def/class."""
    m = re.search(rf"^def {name}\(.*?(?=^def |^class |\Z)", text, re.S | re.M)
    assert m, f"no top-level def {name} found"
    return m.group(0)


def test_real_run_autograder_grades_a_released_student_version(tmp_path: Path):
    """The whole Gradescope path with the real grader: instructor repo -> zip -> run_autograder ->
    results.json, for the released student version with two functions filled in (from the reference)."""
    from cs231n_lin.grading.release.release import release

    repo = Path(cs231n_lin.__file__).resolve().parent.parent
    zip_path = tmp_path / "autograder.zip"
    gs.build_zip(source=repo, out_zip=zip_path)
    root = tmp_path / "ag"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
        for info in zf.infolist():
            os.chmod(root / "source" / info.filename, info.external_attr >> 16 & 0o777)
    # A student: the released version, svm_loss_naive and softmax written (as the reference does).
    sub = root / "submission"
    release(source=repo, out_dir=sub)
    filled = {"linear_svm.py": "svm_loss_naive", "softmax.py": "softmax"}
    for module, name in filled.items():
        student = sub / "cs231n_lin/classifiers" / module
        reference = (repo / "cs231n_lin/classifiers" / module).read_text()
        text = student.read_text()
        assert "NotImplementedError" in _function_source(text, name)
        student.write_text(text.replace(_function_source(text, name), _function_source(reference, name)))
    ours = root / "source" / gs.REPO_DIR
    hidden, notebooks = ours / "tests/hidden", ours / "notebooks"    # the zip's own hidden tests, lessons
    grade_cmd = f"{sys.executable} -m cs231n_lin grade --hidden {hidden} --notebooks {notebooks}"
    # a safety net only (a timing is never asserted): the whole grade, notebooks included, is
    # seconds on a quiet machine, but minutes on a loaded one
    proc = _run_autograder(root, grade_cmd, timeout=600)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((root / "results/results.json").read_text())
    assert SubmissionResult.from_gradescope(results).to_gradescope() == results, results
    print(f"run_autograder graded one submission, notebooks included, in {results['execution_time']:.1f} s")
    tests = results["tests"]
    max_score = sum(t["max_score"] for t in tests)
    assert 0 < results["score"] < max_score
    assert results["score"] == pytest.approx(sum(t["score"] for t in tests))
    titles = {str(t.title): t for t in tasks.of_kind("code")
              if t.functions and set(t.functions) <= set(filled.values())}   # tasks of the filled functions
    mine = [t for t in tests if t["name"] in titles]
    assert {f for t in mine for f in titles[t["name"]].functions} == set(filled.values())
    assert all(t["score"] == t["max_score"] > 0 for t in mine if "speed" not in t["name"]), mine
    stubbed = [t for t in tests if t["name"].startswith("svm_loss_vectorized")]
    assert stubbed and all(t["score"] == 0 and "not written yet" in t["output"] for t in stubbed
                           if "fast" not in t["name"]), stubbed
    # the lessons were graded too: a notebook task whose solution cell was left as released earns nothing
    hinge = next(t for t in tests if t["name"] == str(tasks.get("hinge_score_gradient").title))
    assert hinge["score"] == 0 < hinge["max_score"] and "not written yet" in hinge["output"], hinge
