"""Student self-check: runs the visible tests and notebook checks of a copy, reports points."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from cs231n_lin import cli
from cs231n_lin.grading import check
from cs231n_lin.grading.release import release

from .fake_source import make_source

MORE_TESTS = """\
import pytest


def test_passes():
    assert 1 + 1 == 2


def test_assertion():
    loss = 3.0
    assert loss == 2.0, "loss should be 2"


def test_crash():
    return 1 / 0


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass
"""

POINTS = {"tests/test_losses.py": 10.0, "tests/test_more.py": 4.0, "notebooks/squares.ipynb": 6.0,
          "tests/test_missing.py": 1.0}


@pytest.fixture
def student(tmp_path: Path) -> Path:
    out = tmp_path / "student"
    release(source=make_source(tmp_path / "source"), out_dir=out)
    (out / "tests/test_more.py").write_text(MORE_TESTS)
    return out


def _row(text: str, part: str) -> tuple[str, str]:
    m = re.search(rf"^{re.escape(part)}\s+(\d+/\d+)\s+(\S+ / \S+|practice)$", text, re.MULTILINE)
    assert m, f"no row for {part} in:\n{text}"
    return m.group(1), m.group(2)


def test_fresh_student_copy(student: Path, monkeypatch, capsys):
    monkeypatch.setattr(check, "VISIBLE_POINTS", POINTS)
    code = cli.main(["check", "--root", str(student), "--timeout", "300"])
    out = capsys.readouterr().out
    assert code == 1
    assert _row(out, "tests/test_losses.py") == ("0/2", "0 / 10")
    assert _row(out, "tests/test_more.py") == ("1/3", "1.33 / 4")
    assert _row(out, "notebooks/squares.ipynb") == ("0/1", "0 / 6")   # only the check cell counts
    assert "nothing in them ran):\n  tests/test_missing.py (1 points)\n" in out
    assert "- not written yet: mean_square in fakepkg/losses.py" in out
    assert "- not written yet: Scaler.apply in fakepkg/losses.py" in out
    assert "- not written yet: double in notebooks/squares.ipynb" in out     # from the check cell
    assert "- check failed: loss should be 2" in out
    assert re.search(r"- ZeroDivisionError: division by zero \(at tests/test_more\.py:\d+\)", out)
    assert "Not run here: 1 skipped." in out
    assert "checks that ran here passed" not in out
    assert "Hidden tests exist and will be run at grading" in out


def test_complete_copy_passes_and_hidden_tests_are_not_run(tmp_path: Path, monkeypatch, capsys):
    root = make_source(tmp_path / "instructor")   # solutions present, tests/hidden too
    shutil.rmtree(root / "notebooks")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")    # no notebooks: skip slow plugin imports
    assert check.main(root=root, timeout=300) == 0
    out = capsys.readouterr().out
    assert _row(out, "tests/test_losses.py") == ("2/2", "practice")
    assert "hidden" not in out.split("Hidden tests exist")[0]        # tests/hidden never ran
    assert "The 2 visible checks that ran here passed." in out
    assert "Hidden tests exist and will be run at grading" in out


def test_nothing_ran_is_not_a_pass(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "cs231n_lin").mkdir()
    (tmp_path / "tests").mkdir()
    monkeypatch.setattr(check, "run_checks", lambda root, timeout: check.CheckReport(returncode=5))
    assert check.main(root=tmp_path) == 1
    out = capsys.readouterr().out
    assert "No checks ran, so nothing is known to pass yet." in out
    assert "passed." not in out
    assert "Hidden tests exist and will be run at grading" in out


def test_endless_loop_is_stopped_with_everything_it_started(tmp_path: Path, monkeypatch):
    (tmp_path / "cs231n_lin").mkdir()
    (tmp_path / "tests").mkdir()
    pid_file = tmp_path / "child.pid"
    (tmp_path / "tests/test_loop.py").write_text(
        "import subprocess, time\n\ndef test_loop():\n"
        "    child = subprocess.Popen(['sleep', '120'])\n"
        f"    open({str(pid_file)!r}, 'w').write(str(child.pid))\n    time.sleep(120)\n")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    report = check.run_checks(tmp_path, timeout=5)
    assert "stopped after 5 s" in report.problem
    assert "Problem: the checks were stopped" in check.format_report(report, tmp_path)
    pid = int(pid_file.read_text())
    for _ in range(50):                       # killed; give init a moment to reap it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"process {pid} started by the test is still running")


def test_root_must_be_a_copy(tmp_path: Path):
    with pytest.raises(ValueError, match="not a copy of the assignment"):
        check.find_root(tmp_path)


def _outcome(message, details="", part="tests/test_x.py", status="failed"):
    return check.Outcome(part, "t", status, message, details)


def test_explain_messages():
    nie = _outcome("NotImplementedError", "    def loss(W):\n>       raise NotImplementedError\n"
                   "E       NotImplementedError\n\npkg/mod.py:12: NotImplementedError")
    assert check.explain(nie) == "not written yet: loss in pkg/mod.py"
    group = _outcome("ExceptionGroup: Hypothesis found 2 distinct failures.",
                     "E   NotImplementedError: not written yet: f in pkg/m.py\n")
    assert check.explain(group) == "not written yet: f in pkg/m.py"
    plain = _outcome("AssertionError: assert 3 == 2\n+ where ...")
    assert check.explain(plain) == "check failed: assert 3 == 2"
    nb = _outcome("#x1B[91mNotebook cell execution failed#x1B[0m",
                  "#x1B[31mValueError#x1B[39m: W has shape (3, 2), expected (2, 3)\n", part="nb/a.ipynb")
    assert check.explain(nb) == "ValueError: W has shape (3, 2), expected (2, 3)"
    undefined = _outcome("failed", "NameError: name 'clf' is not defined\n", part="nb/a.ipynb")
    assert check.explain(undefined) == ("NameError: name 'clf' is not defined (an earlier cell that "
                                        "defines it failed: fix that one first)")
    differ = _outcome("Notebook cell execution failed", "Cell 3: Cell outputs differ\n", part="nb/a.ipynb")
    assert "different from the expected output" in check.explain(differ)
    said = _outcome("Notebook cell execution failed",
                    "Cell 3: Cell outputs differ\nInput:\nprint('PASS' if ok else 'FAIL: x')\nTraceback:\n"
                    " mismatch 'stdout'\n  - loss FAIL (naive 1.5, vectorized 15.0)\n  + loss PASS\n",
                    part="nb/a.ipynb")
    assert check.explain(said) == "a check cell printed: loss FAIL (naive 1.5, vectorized 15.0)"
    said = said.__class__(said.part, said.name, said.status, said.message,
                          said.details.replace("loss FAIL", "FAIL: loss differs"))
    assert check.explain(said) == "a check cell printed: FAIL: loss differs (naive 1.5, vectorized 15.0)"
    collect = _outcome("collection failure", "ImportError while importing test module\n"
                       "tests/test_x.py:3: in <module>\nE   ImportError: no", status="error")
    assert check.explain(collect).startswith("the test file could not be loaded")


def test_points_are_shared_by_the_tests_that_ran():
    outcomes = [_outcome("", status="passed"), _outcome("x"), _outcome("", status="skipped"),
                _outcome("", part="b.py", status="passed")]
    scores = check.score_parts(outcomes, {"tests/test_x.py": 3.0})
    assert [(s.part, s.passed, s.total, s.earned) for s in scores] == [
        ("b.py", 1, 1, None), ("tests/test_x.py", 1, 2, 1.5)]


def test_not_written_message_is_cut_out_of_a_repr():
    """A subprocess test shows the stub's message inside a repr: only "<function> in <file>" is kept."""
    shown = _outcome("AssertionError: assert 1 == 0",
                     "E   + where 1 = CompletedProcess(stderr='NotImplementedError: not written yet: "
                     "svm_loss_vectorized in cs231n_lin/classifiers/linear_svm.py\\n').returncode")
    expected = "not written yet: svm_loss_vectorized in cs231n_lin/classifiers/linear_svm.py"
    assert check.explain(shown) == expected


def test_a_parametrized_test_is_one_entry_and_parts_with_points_come_first():
    def failed(part, name, message):
        return check.Outcome(part, name, "failed", message, "")

    outcomes = [failed("tests/test_b.py", "test_other", "AssertionError: assert 2 == 1"),
                *(failed("tests/test_a.py", f"test_same[{k}]", f"AssertionError\nassert {k * 17} == {k}")
                  for k in range(1, 6))]
    report = check.CheckReport(outcomes=outcomes)
    text = check.format_report(report, Path("/x"), points={"tests/test_a.py": 4.0})
    fix = text.split("What to fix:")[1].splitlines()
    entries = [line for line in fix if line.startswith("  - ")]
    assert entries == ["  - check failed: assert 17 == 1 (first of 5 failing cases of this test)",
                       "  - check failed: assert 2 == 1"]
    assert "(5 tests: tests/test_a.py::test_same[1], tests/test_a.py::test_same[2] and 3 more)" in text
