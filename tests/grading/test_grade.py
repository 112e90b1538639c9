"""``grade``: one result per task of the task table, on the 100-point scale, judged on real copies.

The reference (package + solved lesson notebooks) and the released student version come from the
session's shared batch (``shared_batch.py``); the other submissions here are reference copies with
one edit each, graded with the real hidden cases (``tests/hidden``) and the real notebooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from cs231n_lin import tasks
from cs231n_lin.cli import main as cli
from cs231n_lin.grading.grade import GradeOptions, grade_submission, load_cases, make_inputs
from cs231n_lin.grading.run.sandbox import Limits, detect_mode

sys.path.insert(0, os.path.dirname(__file__))
from grading_subs import REPO  # noqa: E402
from shared_batch import reference_copy, replace_vectorized  # noqa: E402

HIDDEN = REPO / "tests" / "hidden"
CODE = [t for t in tasks.of_kind("code", "speed")]
TITLE = {str(t.title): t for t in tasks.TASKS}
NO_REG = '''@validated_loss(nonnegative=("delta",))
def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    n = X.shape[0]
    s = X @ W
    m = np.maximum(0, s - s[np.arange(n), y][:, None] + delta)
    m[np.arange(n), y] = 0
    if squared:
        d = 2 * m
        loss = float((m ** 2).sum() / n)
    else:
        d = (m > 0).astype(W.dtype)
        loss = float(m.sum() / n)
    d[np.arange(n), y] = -d.sum(axis=1)
    return loss, (X.T @ d / n).astype(W.dtype)


'''
#: An expected value, a correct value stated, or a solution line (as in tests/tasks/test_agreement.py).
ANSWER = re.compile(r"expected\s*(-?\d|\[)|correct (loss|value) (is|of)\s*-?\d|-log\(p\[y\]\),")


def _opts(**kw):
    return GradeOptions(hidden_dir=HIDDEN, notebooks_dir=REPO / "notebooks", limits=Limits(wall=60),
                        allow_unprotected=detect_mode() == "none", **kw)


def _by_task(tests) -> dict[str, tuple[float, float, str]]:
    out = {}
    for t in tests:
        t = t if isinstance(t, dict) else t.to_gradescope() if hasattr(t, "to_gradescope") else vars(t)
        task = TITLE.get(t["name"])
        if task is not None:
            out[task.id] = (float(t["score"]), float(t["max_score"]), t.get("output", ""))
    return out


SPEED_TITLES = {str(t.title) for t in tasks.of_kind("speed")}


def _tests(res) -> list[dict]:
    return res.to_gradescope()["tests"]


def test_reference_gets_full_marks_and_student_version_gets_zero(shared_batch):
    data = shared_batch["json"]
    code_points = sum(t.points for t in CODE)
    correct = _by_task(data["correct"]["tests"])
    assert set(correct) >= {t.id for t in CODE}
    # speed depends on the machine's load; every other task is exact
    assert {k: v[0] for k, v in correct.items() if tasks.get(k).kind == "code"} == {
        t.id: float(t.points) for t in tasks.of_kind("code")}
    assert sum(t["max_score"] for t in data["correct"]["tests"]) == tasks.max_points() == 100
    assert data["correct"]["score"] >= code_points - sum(t.points for t in tasks.of_kind("speed"))
    assert code_points < 100                                 # the written answers are still to be marked
    stub = _by_task(data["stub"]["tests"])
    assert data["stub"]["score"] == 0 and sum(t["max_score"] for t in data["stub"]["tests"]) == 100
    assert all("not written yet" in stub[t.id][2] for t in tasks.of_kind("code"))


@pytest.fixture(scope="module")
def noreg(tmp_path_factory):
    """A read-only reference copy whose svm_loss_vectorized forgets the regularization, graded once."""
    tmp = tmp_path_factory.mktemp("noreg")
    sub = reference_copy(tmp / "alice")
    replace_vectorized(sub, NO_REG)
    for dirpath, dirs, files in os.walk(sub):
        for name in files + dirs:
            p = os.path.join(dirpath, name)
            os.chmod(p, os.stat(p).st_mode & ~0o222)
    os.chmod(sub, 0o555)
    res = grade_submission(sub, _opts())
    yield tmp, sub, res
    for dirpath, _dirs, _ in os.walk(sub):
        os.chmod(dirpath, 0o755)


def test_a_bug_loses_exactly_the_points_of_the_tasks_it_breaks(noreg, shared_batch):
    _, _, res = noreg
    got, ref = _by_task(_tests(res)), _by_task(shared_batch["json"]["correct"]["tests"])
    lost = {k for k, v in got.items() if v[0] < v[1]}
    vec = {t.id for t in CODE if "linear_svm.py:svm_loss_vectorized" in " ".join(t.writes)}
    assert "svm_vectorized" in lost and lost <= vec | {"svm_speed"}, lost
    assert got["svm_vectorized"][0] == 0                 # its check cell fails: reg is part of it
    untouched = {k: v[0] for k, v in got.items() if k not in vec and tasks.get(k).kind == "code"}
    assert untouched == {k: ref[k][0] for k in untouched}
    assert res.score == sum(v[0] for v in got.values())
    assert sum(t["max_score"] for t in _tests(res)) == 100


def test_feedback_shows_no_expected_value(noreg):
    _, _, res = noreg
    from cs231n_lin.classifiers import svm_loss_vectorized

    text = json.dumps(res.to_gradescope(), ensure_ascii=False)
    assert not ANSWER.search(text), ANSWER.search(text)
    for case in load_cases(HIDDEN)["svm_vectorized"]:
        if "inputs" in case and "kwargs" in case:
            ref_loss, _ = svm_loss_vectorized(**make_inputs(case["inputs"]), **case["kwargs"])
            assert f"{ref_loss:.4f}" not in text


def test_same_result_twice_read_only_untouched_and_zip_equals_directory(noreg, tmp_path):
    _, sub, first = noreg
    second = grade_submission(sub, _opts())
    a, b = first.to_gradescope(), second.to_gradescope()
    for r in (a, b):          # the time taken and the speed measurements (timings) are not the grade
        r.pop("execution_time")
        r["extra_data"].pop("perf")
        for t in r["tests"]:  # a speed test's text quotes the measured ratio; its points are compared
            if t["name"] in SPEED_TITLES:
                t["output"] = ""
    assert a == b
    zpath = tmp_path / "alice.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for dirpath, _, files in os.walk(sub):
            for f in files:
                p = os.path.join(dirpath, f)
                zf.write(p, os.path.join("alice", os.path.relpath(p, sub)))
    z = grade_submission(zpath, _opts()).to_gradescope()
    assert [(t["name"], t["score"]) for t in a["tests"]] == [(t["name"], t["score"]) for t in z["tests"]]


def test_missing_package_is_zero_with_an_explanation(tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "readme.txt").write_text("hi")
    res = grade_submission(tmp_path / "junk", _opts())
    assert res.score == 0 and res.max_score == 100 and "cs231n_lin/__init__.py" in res.output


def _edit_cell(path, cell_id, fn):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, c in enumerate(nb["cells"]):
        if c.get("id") == cell_id:
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            new = fn(src)
            if new is None:
                del nb["cells"][i]
            else:
                c["source"] = new
            break
    else:
        raise AssertionError(f"no cell {cell_id} in {path.name}")
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """A reference copy with notebook edits: 03 renamed, 02's margin_loss cell deleted, a Chinese
    placeholder answer, logsumexp_rows without a shift."""
    tmp = tmp_path_factory.mktemp("edited")
    sub = reference_copy(tmp / "bob")
    nbs = sub / "notebooks"
    shutil.move(nbs / "03_softmax_cross_entropy.ipynb", nbs / "03_softmax_cross_entropy (1).ipynb")
    _edit_cell(nbs / "02_squared_hinge.ipynb", "02-003", lambda s: None)
    _edit_cell(nbs / "01_svm_hinge_loss.ipynb", "01-009", lambda s: re.sub(
        r"(<!-- BEGIN SOLUTION -->\n).*?(\n<!-- END SOLUTION -->)", r"\1在这里写下你的答案\2", s, flags=re.S))
    no_shift = ("def logsumexp_rows(S):\n    return np.log(np.sum(np.exp(S), axis=1))\n")
    _edit_cell(nbs / "04_numeric_stability.ipynb", "04-011", lambda s: no_shift)
    return grade_submission(sub, _opts())


def test_notebook_edits_are_found_named_and_judged(edited, shared_batch):
    got = _by_task(_tests(edited))
    ref = _by_task(shared_batch["json"]["correct"]["tests"])
    text = edited.output + "\n".join(t["output"] for t in _tests(edited))
    # the renamed notebook 03 is used (its tasks keep their points) and mentioned
    for t in tasks.TASKS:
        if t.kind == "code" and t.notebook.startswith("03") and ":" not in t.writes[0]:
            assert got[t.id][0] == t.points, (t.id, got[t.id])
    assert "03_softmax_cross_entropy (1).ipynb" in text
    # the deleted solution cell is named by its id and heading, and costs exactly its task
    assert got["margin_loss"][0] == 0
    assert "02-003" in got["margin_loss"][2] and "KeyError" not in text
    # logsumexp_rows without any shift: 0 on that task (its visible check overflows)
    assert got["logsumexp_rows"][0] == 0
    others = {k for k in got if k not in ("margin_loss", "logsumexp_rows") and tasks.get(k).kind == "code"}
    assert {k: got[k][0] for k in others} == {k: ref[k][0] for k in others}
    # the Chinese placeholder counts as an empty answer
    answers = edited.to_gradescope()["extra_data"]["written"]
    assert answers["01_svm_hinge_loss/01-009"] == "", answers


def test_heading_of_a_deleted_cell_is_given(edited):
    out = _by_task(_tests(edited))["margin_loss"][2]
    from cs231n_lin.tasks.locate import heading_of, load_cells

    cells = load_cells(REPO / "notebooks" / "02_squared_hinge.ipynb")
    idx = next(i for i, c in enumerate(cells) if c.get("id") == "02-003")
    heading = heading_of(cells, idx)
    assert heading and heading in out, (heading, out)


def test_unshifted_softmax_loss_vectorized_keeps_03_and_loses_the_stable_task(shared_batch):
    got = _by_task(shared_batch["json"]["mut_softmax"]["tests"])
    for t in tasks.of_kind("code"):
        if t.notebook.startswith("03"):
            assert got[t.id][0] == t.points, (t.id, got[t.id])
    assert got["softmax_losses_stable"][0] < tasks.get("softmax_losses_stable").points


def test_check_has_the_same_maximum_as_grade(shared_batch, tmp_path):
    sub = tmp_path / "student"
    shutil.copytree(shared_batch["release"], sub)
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "check", "--json"], cwd=sub,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(sub)})
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    grade_max = sum(t["max_score"] for t in shared_batch["json"]["stub"]["tests"])
    assert data["max_score"] == grade_max == 100


def test_batch_out_dir_is_resumable_after_a_kill(tmp_path, capsys):
    good = reference_copy(tmp_path / "subs" / "good")
    slow = reference_copy(tmp_path / "subs" / "slow")
    replace_vectorized(slow, NO_REG.replace("    n = X.shape[0]", "    import time\n    time.sleep(60)\n"
                                                                   "    n = X.shape[0]"))
    bad = reference_copy(tmp_path / "subs" / "bad")
    replace_vectorized(bad, NO_REG)
    out = tmp_path / "out"
    extra = ["--unprotected"] if detect_mode() == "none" else []
    args = ["grade", str(good), str(slow), str(bad), "--out", str(out), "--hidden", str(HIDDEN),
            "--notebooks", str(REPO / "notebooks"), "--wall", "30", *extra]
    proc = subprocess.Popen([sys.executable, "-m", "cs231n_lin", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while not (out / "good" / "results.json").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    first = json.loads((out / "good" / "results.json").read_text())
    assert first["score"] > 0 and not (out / "bad").exists()
    capsys.readouterr()
    assert cli(args + ["--wall", "5"]) == 0
    log = capsys.readouterr().out
    assert "good: already graded" in log and "bad: " in log and "slow: " in log
    summary = (out / "summary.csv").read_text().splitlines()
    assert summary[0].startswith("submission,score") and len(summary) == 4
    (good / "cs231n_lin" / "classifiers" / "softmax.py").write_text(
        (good / "cs231n_lin" / "classifiers" / "softmax.py").read_text() + "\n# edited\n")
    capsys.readouterr()
    cli([a for a in args if a != str(slow)])
    log = capsys.readouterr().out
    assert "good: already graded" not in log and "bad: already graded" in log


def test_cli_rejects_a_missing_submission(tmp_path, capsys):
    assert cli(["grade", str(tmp_path / "nope"), "--no-notebooks"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_hidden_inputs_are_deterministic():
    import numpy as np

    for cases in load_cases(HIDDEN).values():
        for case in cases:
            if "inputs" not in case:
                continue
            a, b = make_inputs(case["inputs"]), make_inputs(case["inputs"])
            assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
