"""Written answers: questions from the reference, answers from a submission, points from a filled CSV."""

from __future__ import annotations

import json
import os

import pytest

from cs231n_lin.cli import main as cli
from cs231n_lin.grading.records import written
from cs231n_lin.grading.records.facts import limit_kind, submission_facts
from cs231n_lin.grading.release.markers import strip_markdown


def _md(cid, source, **meta):
    return {"cell_type": "markdown", "id": cid, "metadata": meta, "source": source}


REF = {"cells": [
    _md("p1", "**Question 1**: what is delta for?"),
    _md("a1", "Intro line kept.\n<!-- BEGIN SOLUTION -->\nA margin.\n<!-- END SOLUTION -->"),
    {"cell_type": "code", "id": "c1", "metadata": {}, "source": "x = 1", "outputs": [],
     "execution_count": None},
    _md("a2", "<!-- BEGIN SOLUTION -->\nOverflow.\n<!-- END SOLUTION -->"),
], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _student(**answers):
    """The released notebook (placeholders), with the given cells' answers written in."""
    nb = json.loads(json.dumps(REF))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and "BEGIN SOLUTION" in cell["source"]:
            cell["source"] = strip_markdown(cell["source"], "test")
            if cell["id"] in answers:
                cell["source"] = cell["source"].replace("Your answer here", answers[cell["id"]])
    return nb


@pytest.fixture
def refdir(tmp_path):
    d = tmp_path / "ref"
    d.mkdir()
    (d / "05_lesson.ipynb").write_text(json.dumps(REF))   # two written tasks in the table
    return d


def test_questions_carry_prompt_table_points_and_reference_answer(refdir):
    from cs231n_lin import tasks

    qs = written.reference_questions(refdir)
    table = [tasks.get(f"written_05_q{k}").points for k in (1, 2)]
    assert [(q.id, q.number, q.max_points) for q in qs] == [("05_lesson/a1", 1, table[0]),
                                                          ("05_lesson/a2", 2, table[1])]
    assert qs[0].prompt == "**Question 1**: what is delta for?" and qs[1].prompt == ""   # code cell before a2
    assert qs[0].reference == "A margin." and qs[0].test_name == "05_lesson: written answer 1 (cell id a1)"


def test_points_come_from_the_table_not_the_cell_metadata():
    from cs231n_lin import tasks

    nb = json.loads(json.dumps(REF))
    nb["cells"][1]["metadata"]["points"] = 7                   # ignored: the table decides
    assert written.questions_of(nb, "05_x")[0].max_points == tasks.get("written_05_q1").points != 7


@pytest.mark.parametrize("stem, number", [("04_x", 2), ("lesson", 1), ("99_x", 1)])
def test_a_question_missing_from_the_table_is_refused(stem, number):
    # notebook 04 has one written task in the table, so its second answer cell is refused;
    # a notebook whose stem names no table notebook has none
    with pytest.raises(ValueError, match=rf"{stem}.ipynb, cell \d+: written answer {number} of notebook "
                                         rf"{stem[:2]} is not in the task table"):
        written.questions_of(json.loads(json.dumps(REF)), stem)


def test_answers_between_markers_placeholder_is_empty_and_deleted_markers_fall_back(refdir, tmp_path):
    nb = _student(a1="Because scores\nscale.")
    got = written.collect_answers({"05_lesson.ipynb": nb}, refdir)
    assert got == {"05_lesson/a1": "Because scores\nscale.", "05_lesson/a2": ""}
    nb["cells"][3]["source"] = "I deleted the markers and wrote here."
    nb["cells"][1]["source"] = "Intro line kept.\nanswer without markers"
    got = written.collect_answers({"05_lesson.ipynb": nb}, refdir)
    assert got == {"05_lesson/a1": "answer without markers",
                   "05_lesson/a2": "I deleted the markers and wrote here."}
    none = {"05_lesson/a1": "", "05_lesson/a2": ""}
    assert written.collect_answers({"05_lesson.ipynb": None}, refdir) == none
    for broken in ([1, 2], {"cells": {"a1": 1}}, {"cells": [{"id": "a1", "cell_type": "markdown",
                                                            "source": [1, None]}]}):
        assert written.collect_answers({"05_lesson.ipynb": broken}, refdir) == none
    # from a submission folder (only read): a missing or broken notebook gives empty answers
    sub = tmp_path / "sub"
    (sub / "notebooks").mkdir(parents=True)
    (sub / "notebooks" / "05_lesson.ipynb").write_text(json.dumps(_student(a2="Shift by the max.")))
    before = os.stat(sub / "notebooks" / "05_lesson.ipynb").st_mtime_ns
    assert written.collect_from_submission(sub, refdir) == {**none, "05_lesson/a2": "Shift by the max."}
    assert os.stat(sub / "notebooks" / "05_lesson.ipynb").st_mtime_ns == before
    (sub / "notebooks" / "05_lesson.ipynb").write_text("{not json")
    assert written.collect_from_submission(sub, refdir) == {"05_lesson/a1": "", "05_lesson/a2": ""}


def test_csv_keeps_points_typed_earlier():
    first = written.csv_text(["bob", "amy"], ["l/a1"])
    assert first == "submission,l/a1\nbob,\namy,\n"
    typed = first.replace("amy,", "amy,2.5")
    assert written.csv_text(["amy", "bob", "cat"], ["l/a1", "l/a2"], typed) == \
        "submission,l/a1,l/a2\namy,2.5,\nbob,,\ncat,,\n"


def _grades(tmp_path, names=("amy", "bob")):
    out = tmp_path / "grades"
    for n in names:
        (out / n).mkdir(parents=True)
        (out / n / "results.json").write_text(json.dumps({
            "score": 1.0, "execution_time": 1.0,
            "output": "Graded 1 tests; hidden tests computed their expected values with the reference.\nok",
            "tests": [{"name": "f: a — loss value", "score": 1.0, "max_score": 2.0, "output": "x",
                       "visibility": "visible"}], "extra_data": {"written": {"05_lesson/a1": "hi"}}}))
    return out


def _snapshot(out):
    return {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("body, where", [
    # a deleted cell would move bob's second mark onto the first question: refused, column named
    ("submission,05_lesson/a1,05_lesson/a2\namy,1,0\nbob,1\n",
     r"row 3, column '05_lesson/a2': the row has 2 cells but the header has 3 columns"),
    ("submission,05_lesson/a1,05_lesson/a2\namy\n",
     r"row 2, column '05_lesson/a1' and the 1 after it: the row has 1 cells"),
    ("submission,05_lesson/a1\namy,1,1\n", r"row 2, after column '05_lesson/a1': the row has 3 cells"),
    ("submission,05_lesson/a1\nzed,1\n", r"row 2, column 'submission': unknown submission 'zed'"),
    ("submission,05_lesson/a1\namy,1.5\n",
     r"row 2, column '05_lesson/a1': 1.5 points is above this question's maximum of 1"),
    ("submission,05_lesson/a1,05_lesson/a2\namy,1,0\nbob,two,1\n",
     r"row 3, column '05_lesson/a1': 'two' is not a number"),
    ("submission,05_lesson/a1\namy,-1\n", r"row 2, column '05_lesson/a1': points must be a number >= 0"),
    ("submission,05_lesson/zz\namy,1\n", r"row 1, column '05_lesson/zz': not a written question"),
    ("name,05_lesson/a1\namy,1\n", r"row 1: the first column must be 'submission'"),
    ("submission,05_lesson/a1\namy,1\namy,2\n",
     r"row 3, column 'submission': submission 'amy' appears twice"),
])
def test_bad_csv_names_row_and_column_and_changes_nothing(tmp_path, refdir, capsys, body, where):
    out = _grades(tmp_path)
    before = _snapshot(out)
    path = tmp_path / "w.csv"
    path.write_text(body)
    with pytest.raises(ValueError, match=where):
        written.merge_points(out, path, refdir)
    assert cli(["grade", "--written", str(path), "--out", str(out), "--notebooks", str(refdir)]) == 2
    assert "w.csv, row" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_merge_adds_tests_keeps_the_rest_and_the_file_mode(tmp_path, refdir):
    out = _grades(tmp_path)
    path = tmp_path / "w.csv"
    path.write_text("submission,05_lesson/a1,05_lesson/a2\namy,0.5,1\nbob,,\n")
    (out / "amy" / "results.json").chmod(0o640)     # a rewritten file keeps its permissions (_io)
    old = os.umask(0o077)
    try:
        assert written.merge_points(out, path, refdir, echo=lambda *a: None) == 2   # bob: unmarked
    finally:
        os.umask(old)
    amy = json.loads((out / "amy" / "results.json").read_text())
    assert [(t["name"], t["score"], t["max_score"]) for t in amy["tests"]] == [
        ("f: a — loss value", 1.0, 2.0), ("05_lesson: written answer 1 (cell id a1)", 0.5, 1.0),
        ("05_lesson: written answer 2 (cell id a2)", 1.0, 1.0)]
    assert amy["score"] == 2.5 and amy["extra_data"] == {"written": {"05_lesson/a1": "hi"}}
    assert (out / "amy" / "results.json").stat().st_mode & 0o777 == 0o640
    # bob's answers are not marked yet: they are there, at 0 points, so his maximum is the assignment's
    bob = json.loads((out / "bob" / "results.json").read_text())
    assert [(t["score"], t["max_score"], t["output"][:14]) for t in bob["tests"][1:]] \
        == [(0.0, 1.0, "not marked yet"), (0.0, 1.0, "not marked yet")]
    assert (out / "summary.csv").read_text().splitlines()[1:] == ["amy,2.5,4,1.00", "bob,1,4,1.00"]


def test_grade_without_submissions_or_written_is_an_error(capsys, tmp_path):
    assert cli(["grade"]) == 2
    assert "give at least one submission" in capsys.readouterr().err
    assert cli(["grade", "--written", str(tmp_path / "w.csv")]) == 2
    assert "--written needs --out" in capsys.readouterr().err


def test_facts_classify_limits_and_keep_one_per_function():
    class T:
        def __init__(self, i, name):
            self.id, self.name = i, name

    class Out:
        def __init__(self, crash, error=""):
            self.crash, self.error = crash, error

    tasks = [T("a", "svm_loss_vectorized"), T("b", "svm_loss_vectorized"), T("c", "LinearSVM.fit"),
             T("d", "softmax")]
    outcomes = {"a": Out("ran out of time (limit 5 s)"), "b": Out("ran out of time (limit 5 s)"),
                "c": Out("was killed (SIGKILL; memory or process limit?)"),
                "d": Out("crashed (segmentation fault)", "not run: an earlier call of softmax crashed")}
    facts = submission_facts(tasks=tasks, outcomes=outcomes,
                             perf={"f": {"ratio": 2.0, "graded_ratio": 4.5}, "g": {"error": "x"}})
    assert facts["limits"] == [
        {"function": "svm_loss_vectorized", "why": "ran out of time (limit 5 s)", "kind": "timeout"},
        {"function": "LinearSVM", "why": "was killed (SIGKILL; memory or process limit?)", "kind": "memory"}]
    assert facts["perf"] == {"f": {"ratio": 2.0, "graded_ratio": 4.5, "lines_per_example": None,
                                   "extra_memory_ratio": None}}
    assert "written" not in facts
    assert [limit_kind(w) for w in ("used too much CPU time (SIGXCPU)", "wrote too much output (SIGXFSZ)",
                                    "exited early (exit code 3)")] == ["timeout", "output", "crash"]


def test_speed_facts_keep_the_ratio_the_points_came_from():
    from cs231n_lin.grading.run import speed

    inside = {"ratio": 1.2, "lines_per_example": 0.0, "extra_memory_ratio": 0.05}
    graded = speed.facts(inside, {"per_call": 0.03, "ref_per_call": 0.01})
    assert graded == {**inside, "graded_ratio": pytest.approx(3.0), "stopped_at_cap": False}
    # the points' measurement stands even when the student's own (inside) measurement failed
    failed_inside = speed.facts({"ratio": None, "error": "ValueError: x"},
                                {"per_call": 0.02, "ref_per_call": 0.01})
    assert "error" not in failed_inside and failed_inside["graded_ratio"] == pytest.approx(2.0)
    assert speed.facts(inside, {"error": "budget used up"})["graded_ratio"] is None
    assert speed.facts({}, {"error": "it raised an exception"}) == {}       # nothing measured
    # a run stopped at the cap is infinitely slow: no finite ratio to plot, so None in the facts
    timed_out = speed.facts(inside, {"per_call": float("inf"), "ref_per_call": 0.01})
    stored = submission_facts(perf={"f": timed_out})["perf"]["f"]
    assert stored["graded_ratio"] is None and stored["stopped_at_cap"] is True
    assert "stopped_at_cap" not in submission_facts(perf={"f": graded})["perf"]["f"]


def test_partly_marked_row_keeps_the_maximum_and_says_what_is_unmarked(tmp_path, refdir):
    out = _grades(tmp_path)
    path = tmp_path / "w.csv"
    path.write_text("submission,05_lesson/a1,05_lesson/a2\namy,0.5,\n")
    said = []
    assert written.merge_points(out, path, refdir, echo=said.append) == 2     # bob has answers too
    amy = json.loads((out / "amy" / "results.json").read_text())
    assert sum(t["max_score"] for t in amy["tests"]) == 2 + 1 + 1            # not 2 + 1: a2 still counts
    assert amy["score"] == 1.5
    lines = amy["output"].splitlines()
    assert lines[0].startswith("Graded 3 tests;")                           # recounted, not "Graded 1"
    assert "Written answers: 1 of 2 marked by hand; 1 not marked yet" in amy["output"]
    assert any("not marked yet: 3 answer(s) of 2 submission(s): amy (1), bob (2)" in s for s in said)
    # marking the rest later keeps the first mark, and the summary lines are replaced, not repeated
    path.write_text("submission,05_lesson/a1,05_lesson/a2\namy,,1\nbob,0,0\n")
    written.merge_points(out, path, refdir, echo=lambda *a: None)
    amy = json.loads((out / "amy" / "results.json").read_text())
    assert [t["score"] for t in amy["tests"]] == [1.0, 0.5, 1.0] and amy["score"] == 2.5
    assert amy["output"].count("Written answers:") == 1 and "2 of 2 marked by hand." in amy["output"]
    assert amy["output"].splitlines()[0].startswith("Graded 3 tests;")


def test_merge_is_all_or_nothing_when_a_write_fails(tmp_path, refdir, monkeypatch):
    out = _grades(tmp_path, names=("amy", "bob", "cat"))
    before = _snapshot(out)
    path = tmp_path / "w.csv"
    path.write_text("submission,05_lesson/a1\namy,1\nbob,0.5\ncat,0\n")
    real, calls = written.Path.write_text, []

    def flaky(self, *a, **k):
        calls.append(self)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(written.Path, "write_text", flaky)
    with pytest.raises(OSError, match="No space"):
        written.merge_points(out, path, refdir, echo=lambda *a: None)
    monkeypatch.undo()
    assert _snapshot(out) == before                      # amy's staged file was not moved into place
    assert not [p for p in out.rglob(".*.tmp")]          # and no staged file is left behind


def test_the_chinese_placeholder_is_an_empty_answer(refdir):
    from cs231n_lin.grading.release.markers import ANSWER_HERE_ZH, strip_markdown

    nb = json.loads(json.dumps(REF))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and "BEGIN SOLUTION" in cell["source"]:
            cell["source"] = strip_markdown(cell["source"], "test", ANSWER_HERE_ZH)
    nb["cells"][3]["source"] = nb["cells"][3]["source"].replace(ANSWER_HERE_ZH, "先减去最大值。")
    got = written.collect_answers({"05_lesson.ipynb": nb}, refdir)
    assert got == {"05_lesson/a1": "", "05_lesson/a2": "先减去最大值。"}


def test_merge_replaces_each_written_test_where_it_stands(tmp_path, refdir):
    # as `grade` writes them: the written tests (not marked yet) between other tests
    out = _grades(tmp_path, names=("amy",))
    res = json.loads((out / "amy" / "results.json").read_text())
    unmarked = written.UNMARKED.format(points=1)
    res["tests"] = [res["tests"][0],
                    {"name": "05_lesson: written answer 2 (cell id a2)", "score": 0.0, "max_score": 1.0,
                     "output": unmarked, "visibility": "visible"},
                    {"name": "g: b — gradient", "score": 0.0, "max_score": 3.0, "output": "y",
                     "visibility": "visible"}]
    (out / "amy" / "results.json").write_text(json.dumps(res))
    path = tmp_path / "w.csv"
    path.write_text("submission,05_lesson/a1,05_lesson/a2\namy,1,0.5\n")
    written.merge_points(out, path, refdir, echo=lambda *a: None)
    got = json.loads((out / "amy" / "results.json").read_text())["tests"]
    # a2 is replaced in place; a1 was absent and is appended; the other tests are unchanged, in place
    assert [(t["name"], t["score"]) for t in got] == [
        ("f: a — loss value", 1.0), ("05_lesson: written answer 2 (cell id a2)", 0.5),
        ("g: b — gradient", 0.0), ("05_lesson: written answer 1 (cell id a1)", 1.0)]
    assert got[0] == res["tests"][0] and got[2] == res["tests"][2]
    # a second merge moves nothing
    path.write_text("submission,05_lesson/a1,05_lesson/a2\namy,0,1\n")
    written.merge_points(out, path, refdir, echo=lambda *a: None)
    again = json.loads((out / "amy" / "results.json").read_text())["tests"]
    assert [t["name"] for t in again] == [t["name"] for t in got]
    assert [t["score"] for t in again] == [1, 1, 0, 0]
