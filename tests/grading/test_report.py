"""``cs231n-lin report``: built from a real graded batch, every number checked against the results files.

The batch (the seven report submissions of the session's shared batch, ``shared_batch.py``: real
copies of the repository graded with the real hidden cases and lesson notebooks; one test per task,
100 points with the written answers): the reference solution, the same mutant twice, another
mutant, a vectorized loss that is a loop over N, the released student version (zero), and an
attack (an infinite loop: a sandbox timeout). Each wrote its own answer to notebook 01's first
inline question (``shared_batch.ANSWERS``).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
import statistics
import sys
from collections import Counter
from html import escape

import pytest

from cs231n_lin.cli import main as cli
from cs231n_lin.grading.report import report
from cs231n_lin.grading.report.report_html import MAX_ROWS, MAX_TEST_ROWS
from cs231n_lin.grading.report.report_pages import PAGES_DIRNAME, slug

sys.path.insert(0, os.path.dirname(__file__))
from shared_batch import ANSWERS, WRITTEN_CELL  # noqa: E402

from cs231n_lin import tasks  # noqa: E402
from cs231n_lin.grading.records import written  # noqa: E402

NOTEBOOKS = os.path.join(os.path.dirname(__file__), "..", "..", "notebooks")
QUESTIONS = written.reference_questions(NOTEBOOKS)
Q1 = next(q for q in QUESTIONS if q.cell_id == WRITTEN_CELL)


@pytest.fixture(scope="module")
def graded(shared_batch, tmp_path_factory):
    """The report of the shared batch's seven report submissions (their results copied to a folder
    of their own, so that merging written marks below changes nothing the other tests read)."""
    out = tmp_path_factory.mktemp("report") / "grades"
    for name in ANSWERS:
        shutil.copytree(shared_batch["out"] / name, out / name)
    refnb = shared_batch["refnb"]
    assert cli(["report", str(out), "--notebooks", str(refnb)]) == 0
    results = {p.parent.name: json.loads(p.read_text()) for p in sorted(out.glob("*/results.json"))}
    return {"out": out, "refnb": refnb, "results": results,
            "report": json.loads((out / "report.json").read_text()),
            "html": (out / "report.html").read_text()}


def _part(name):
    """The notebook of the task titled ``name`` (from the task table), or "<notebook> (written)"."""
    if ": written answer " in name:
        return name.split(": ", 1)[0] + " (written)"
    return next(t.notebook.removesuffix(".ipynb") for t in tasks.TASKS if name in (t.title.en, t.title.zh))


def test_batch_graded_as_expected(graded):
    r = graded["results"]
    assert set(r) == set(ANSWERS)
    assert all(sum(t["max_score"] for t in d["tests"]) == tasks.max_points() == 100 for d in r.values())
    full = r["correct"]["score"]             # every code task; speed as measured; written still unmarked
    assert full >= sum(t.points for t in tasks.of_kind("code"))
    assert r["stub"]["score"] == 0
    for name in ("mut_avg_1", "mut_avg_2", "mut_softmax", "loop_svm", "attack_loop"):
        assert 0 < r[name]["score"] < full, name


def test_every_score_number_matches_the_results_files(graded):
    rep, res = graded["report"], graded["results"]
    totals = {n: round(sum(t["score"] for t in d["tests"]), 6) for n, d in res.items()}
    assert rep["submissions"] == len(res) == 7
    assert rep["scores"] == totals
    assert all(abs(totals[n] - d["score"]) < 1e-6 for n, d in res.items())   # == grade's own total
    assert rep["total"]["mean"] == pytest.approx(statistics.fmean(totals.values()), abs=1e-4)
    assert rep["total"]["median"] == pytest.approx(statistics.median(totals.values()), abs=1e-4)
    assert rep["max_score"] == max(sum(t["max_score"] for t in d["tests"]) for d in res.values())
    assert rep["zero_score"] == sorted(n for n, s in totals.items() if s == 0) == ["stub"]
    # per part: recompute from the test names
    for p in rep["parts"]:
        mine = [[t for t in d["tests"] if _part(t["name"]) == p["part"]] for d in res.values()]
        pairs = [(sum(t["score"] for t in ts), sum(t["max_score"] for t in ts)) for ts in mine]
        assert p["mean"] == pytest.approx(statistics.fmean(s for s, _ in pairs), abs=1e-4), p["part"]
        assert p["median"] == pytest.approx(statistics.median(s for s, _ in pairs), abs=1e-4)
        assert p["full_marks"] == sum(1 for s, m in pairs if m > 0 and s >= m - 1e-9)
        assert p["zero"] == sum(1 for s, m in pairs if s <= 1e-9)
    assert {p["part"] for p in rep["parts"]} >= {"01_svm_hinge_loss", "03_softmax_cross_entropy",
                                                f"{Q1.notebook} (written)"}


def test_pass_rates_match_the_results_files(graded):
    rep, res = graded["report"], graded["results"]
    names = {t["name"] for d in res.values() for t in d["tests"]}
    assert {t["name"] for t in rep["tests"]} == names
    for row in rep["tests"]:
        got = [t for d in res.values() for t in d["tests"] if t["name"] == row["name"]]
        passed = sum(1 for t in got if t["score"] >= t["max_score"])
        assert (row["attempts"], row["passed"]) == (len(got), passed), row["name"]
        assert row["pass_rate"] == pytest.approx(passed / len(got), abs=1e-4)
    rates = [r["pass_rate"] for r in rep["tests"]]
    assert rates == sorted(rates)                             # failed most first
    kinds = {r["name"]: r["kind"] for r in rep["tests"]}
    assert kinds[Q1.test_name] == "written"
    assert any(k == "hidden" for k in kinds.values())


def test_diagnoses_counted_once_per_submission_with_their_tests(graded):
    rep, res = graded["report"], graded["results"]
    expected = Counter()
    for d in res.values():
        expected.update({(x["key"], x["function"]) for x in d["extra_data"]["diagnoses"]})
    assert {(d["key"], d["function"]): d["count"] for d in rep["diagnoses"]} == dict(expected)
    order = [(d["unfinished"], -d["count"]) for d in rep["diagnoses"]]
    assert order == sorted(order)                  # mistakes by count, then "not written"/"raised"
    assert {d["key"] for d in rep["diagnoses"] if d["unfinished"]} == {"not_implemented", "error"}
    assert "stub" in next(d for d in rep["diagnoses"] if d["key"] == "not_implemented")["submissions"]
    for d in rep["diagnoses"]:
        assert d["share"] == pytest.approx(d["count"] / 7, abs=1e-4)
        assert d["example"] in {x["message"] for r in res.values() for x in r["extra_data"]["diagnoses"]}
        assert d["label"] != d["key"] and "{" not in d["label"]                   # in words
        lost = sum(t["max_score"] - t["score"] for s in d["submissions"] for t in res[s]["tests"]
                   if t["name"] in d["tests"])
        assert d["points_lost"] == pytest.approx(lost)
    # the mutant made twice is the most common bug; every svm_loss_vectorized test it failed is listed
    top = rep["diagnoses"][0]
    assert top["count"] >= 2 and {"mut_avg_1", "mut_avg_2"} <= set(top["submissions"])
    failed = {t["name"] for t in res["mut_avg_1"]["tests"] if t["name"].startswith("svm_loss_vectorized")
              and t["score"] < t["max_score"]}
    assert failed and failed <= set(top["tests"]) and all(top["tests"][t]["failed"] == 2 for t in failed)
    assert "correct" not in {s for d in rep["diagnoses"] for s in d["submissions"]}


def test_performance_and_sandbox_limits(graded):
    rep, res = graded["report"], graded["results"]
    svm = rep["perf"]["functions"]["svm_loss_vectorized"]
    ratios = {n: d["extra_data"]["perf"]["svm_loss_vectorized"]["ratio"] for n, d in res.items()
              if d["extra_data"]["perf"].get("svm_loss_vectorized", {}).get("ratio") is not None}
    assert svm["ratios"] == pytest.approx(ratios)
    assert svm["timed"] == len(ratios) and "correct" in ratios
    assert svm["median"] == pytest.approx(statistics.median(ratios.values()), abs=1e-4)
    assert svm["loop_over_n"] == ["loop_svm"]                 # the loop over N is named, nothing else
    assert ratios["loop_svm"] > ratios["correct"]
    # the ratio the speed points came from (CPU time over the reference's, measured from outside)
    stored = {n: d["extra_data"]["perf"].get("svm_loss_vectorized", {}) for n, d in res.items()}
    graded_ratios = {n: m["graded_ratio"] for n, m in stored.items() if m.get("graded_ratio") is not None}
    assert svm["graded_ratios"] == pytest.approx(graded_ratios)
    stopped = sorted(n for n, m in stored.items() if m.get("stopped_at_cap"))
    assert svm["stopped_at_cap"] == stopped
    assert svm["over_threshold"] == len(stopped) + sum(1 for r in graded_ratios.values()
                                                       if r > rep["perf"]["threshold"])
    assert "correct" in graded_ratios and "attack_loop" not in graded_ratios
    assert graded_ratios.get("loop_svm", float("inf")) > graded_ratios["correct"]
    assert "loop_svm" in stopped or "loop_svm" in graded_ratios
    speed_title = str(tasks.get("svm_speed").title)
    speed = {n: next(t for t in d["tests"] if t["name"] == speed_title)
             for n, d in res.items() if n in graded_ratios}
    for n, r in graded_ratios.items():                      # the stored ratio is the one in the feedback
        assert f"{r:.1f}x the CPU time" in speed[n]["output"], n
    # the endless loop hits its limit; the loop over N may use up its CPU budget (a budget stop is a limit)
    assert "attack_loop" in {x["submission"] for x in rep["limits"]} <= {"attack_loop", "loop_svm"}
    assert {"submission": "attack_loop", "where": "svm_loss_vectorized", "kind": "timeout"}.items() <= \
        next(x for x in rep["limits"] if x["where"] == "svm_loss_vectorized").items()
    stored = [x for n in ("attack_loop", "loop_svm") for x in res[n]["extra_data"]["limits"]]
    assert len(rep["limits"]) == len(stored) and all(x["kind"] == "timeout" for x in stored)
    assert all("CPU" in x["why"] for x in res["loop_svm"]["extra_data"]["limits"])


def test_html_shows_the_numbers_and_is_self_contained(graded):
    html, rep = graded["html"], graded["report"]
    for d in rep["diagnoses"][:MAX_ROWS]:
        assert f"<b>{escape(d['label'])}</b>" in html and f"<code>{escape(d['function'])}</code>" in html
    failing = [r for r in rep["tests"] if r["pass_rate"] < 1 and r["kind"] != "written"]
    for r in failing[:MAX_TEST_ROWS]:
        shown = rep["sections"].get(r["name"], r["name"])           # a check cell by its section
        assert f"{escape(shown)}</td><td>" in html and f">{r['passed']}/{r['attempts']}<" in html
    hidden_rows = failing[MAX_TEST_ROWS:]
    if hidden_rows:                      # more failing tests than the page lists: it says how many more
        assert f"and {len(hidden_rows)} more tests that some submission failed" in html
    else:
        assert "more tests that some submission failed" not in html
    assert "<b>7</b><span>submissions</span>" in html
    hit = len({x["submission"] for x in graded["report"]["limits"]})      # 1 or 2: see the limits test
    assert hit >= 1 and f"<b>{hit}</b><span>hit a sandbox limit</span>" in html
    assert re.search(r"<b>Zero scores</b> \(1\): stub", html)
    # offline: no external resource, figures are embedded PNGs, MathJax from the folder beside the page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert len(scripts) == 1
    assert scripts[0].startswith("_mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full")
    assert (graded["out"] / "_mathjax" / "MathJax.js").is_file()
    pngs = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(pngs) >= 4 and all(base64.b64decode(p)[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def _question_page(graded):
    return (graded["out"] / PAGES_DIRNAME / f"{slug(Q1.id)}.html").read_text()


def test_written_answers_page_and_csv(graded):
    q = graded["report"]["written"]
    assert [x["id"] for x in q] == [x.id for x in QUESTIONS]
    page = next(x for x in q if x["id"] == Q1.id)
    assert page["max_points"] == Q1.max_points == tasks.get("written_01_q1").points
    assert page["prompt"] == Q1.prompt and page["reference"] == Q1.reference
    html = _question_page(graded)
    assert "<summary>Reference answer</summary>" in html
    assert "<strong>Inline question 1</strong>" in html                # the prompt's markdown, rendered
    assert page["answers"] == {n: (a or "") for n, a in ANSWERS.items()}
    assert page["empty"] == ["attack_loop", "stub"]
    assert html.count('<span class="empty">EMPTY</span>') == 2
    assert html.count('class="mark none">unmarked<') == len(ANSWERS)
    assert "<script>alert" not in html and escape("<script>alert('x')</script>") in html   # answers escaped
    assert f'href="{PAGES_DIRNAME}/{slug(Q1.id)}.html"' in graded["html"]
    rows = list(csv.reader(io.StringIO((graded["out"] / "written.csv").read_text())))
    assert rows[0] == ["submission", *(x.id for x in QUESTIONS)]
    assert sorted(r[0] for r in rows[1:]) == sorted(ANSWERS) and all(set(r[1:]) == {""} for r in rows[1:])


def test_written_points_merge_into_results_and_report(graded, tmp_path):
    out, refnb = graded["out"], graded["refnb"]
    before = {n: json.loads((out / n / "results.json").read_text()) for n in ANSWERS}
    filled = tmp_path / "written.csv"
    filled.write_text(f"submission,{Q1.id}\ncorrect,1\nmut_avg_1,0.5\nstub,\n")
    assert cli(["grade", "--written", str(filled), "--out", str(out), "--notebooks", str(refnb)]) == 0
    after = {n: json.loads((out / n / "results.json").read_text()) for n in ANSWERS}
    name = Q1.test_name

    def others(result):
        return [t for t in result["tests"] if t["name"] != name]

    for n, pts in (("correct", 1.0), ("mut_avg_1", 0.5)):
        added = [t for t in after[n]["tests"] if t["name"] == name]
        assert len(added) == 1 and added[0]["score"] == pts and added[0]["max_score"] == 1
        assert others(after[n]) == others(before[n])                   # nothing already graded lost
        assert sum(t["max_score"] for t in after[n]["tests"]) == 100
        assert after[n]["score"] == pytest.approx(before[n]["score"] + pts)
        assert after[n]["extra_data"] == before[n]["extra_data"]
        assert after[n]["output"].splitlines()[0].startswith(f"Graded {len(after[n]['tests'])} tests")
    # an empty cell: the answer is listed as not marked yet, at 0 of its 1 point (the maximum stays)
    (unmarked,) = [t for t in after["stub"]["tests"] if t["name"] == name]
    assert (unmarked["score"], unmarked["max_score"]) == (0.0, 1.0)
    assert unmarked["output"].startswith("not marked yet")
    assert others(after["stub"]) == others(before["stub"])
    summary = {r["submission"]: r for r in csv.DictReader(io.StringIO((out / "summary.csv").read_text()))}
    assert float(summary["mut_avg_1"]["score"]) == pytest.approx(after["mut_avg_1"]["score"])
    # merging again replaces instead of adding; the report then shows the points, and keeps them in the csv
    assert cli(["grade", "--written", str(filled), "--out", str(out), "--notebooks", str(refnb)]) == 0
    again = json.loads((out / "correct" / "results.json").read_text())
    assert [t["name"] for t in again["tests"]].count(name) == 1
    (out / "written.csv").write_text(filled.read_text())
    assert report.main(grades_dir=out, notebooks_dir=refnb, echo=lambda *a: None) == 0
    rep = json.loads((out / "report.json").read_text())
    q1 = next(x for x in rep["written"] if x["id"] == Q1.id)
    assert q1["graded"] == {"correct": 1.0, "mut_avg_1": 0.5}                     # unmarked is not a mark
    kept = {r["submission"]: r[Q1.id] for r in csv.DictReader(io.StringIO(
        (out / "written.csv").read_text()))}
    assert kept["correct"] == "1" and kept["mut_avg_1"] == "0.5" and kept["stub"] == ""


def test_a_folder_without_results_is_an_error_for_the_instructor(tmp_path, capsys):
    assert cli(["report", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert cli(["report", str(tmp_path)]) == 2
    assert "holds no <name>/results.json" in capsys.readouterr().err
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "results.json").write_text("{\"tests\": 3}")
    assert cli(["report", str(tmp_path)]) == 2
    assert "bob/results.json: not a Gradescope results file" in capsys.readouterr().err
    assert not (tmp_path / "report.html").exists()
