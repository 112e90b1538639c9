"""A generated class, graded for real, reported, and opened in Chromium (offline).

Five students from :mod:`cs231n_lin.grading.report.classgen` (the catalogue's bugs, unfinished files, blank
and partial answers in English and Chinese) are graded by ``cs231n-lin grade`` with the real reference
notebooks (grading runs no notebook: the written answers are collected by cell id, one 0-point
"not marked yet" test per written question), and ``cs231n-lin report`` runs on them. Every
number is checked against the plans and the results files; then a class of 300 is replicated from
these five real grades and its pages are measured: at most 2 MB each, at most 20,000 px tall in a
1280 px wide Chromium.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
from pathlib import Path

import pytest

from cs231n_lin.cli import main as cli
from cs231n_lin.grading.records.written import reference_questions
from cs231n_lin.grading.report import classgen
from cs231n_lin.grading.report.report_pages import PAGES_DIRNAME, slug
from cs231n_lin.grading.report.report_teach import label

sys.path.insert(0, os.path.dirname(__file__))
from grading_subs import REPO  # noqa: E402
from mutants import BUGS  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MAX_BYTES, MAX_HEIGHT = 2 * 1024 * 1024, 20_000
NOTEBOOKS = REPO / "notebooks"
#: (bugs, unfinished files, language) per student: a loss bug that also costs fit points, a
#: stability bug, two bugs at once, unfinished softmax code, and a correct student
PROFILES = [((), (), "en"), (("svm_vec_no_correct_class_grad",), (), "en"),
            (("softmax_vec_no_shift",), (), "zh"),
            (("svm_vec_loss_not_averaged", "fit_original_labels"), (), "en"),
            ((), ("cs231n_lin/classifiers/softmax.py",), "zh")]


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    message = f"{' and '.join(missing)} not found; install with `apt-get install -y chromium chromium-driver`"
    if os.environ.get("CI"):
        pytest.fail("CI is set, so the browser test must run, but " + message)
    pytest.skip(message)


@contextlib.contextmanager
def chromium(profile: Path):
    """Headless Chromium, 1280 px wide, that can resolve no host name (offline)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,900",
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--allow-file-access-from-files"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        yield driver
    finally:
        driver.quit()


def _typeset(driver) -> None:
    """Wait until MathJax (if the page loads it) has typeset the page."""
    driver.execute_async_script(
        "var done=arguments[arguments.length-1];"
        "if(!window.MathJax||!MathJax.Hub){done(0);return;}"
        "MathJax.Hub.Queue(function(){done(1);});")


def _height(driver) -> int:
    return int(driver.execute_script("return document.documentElement.scrollHeight"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    questions = reference_questions(NOTEBOOKS)
    drawn = classgen.plan_class(len(PROFILES), BUGS, questions, seed=7)
    plans = [dataclasses.replace(p, name=f"{lang}_{i}", bugs=bugs, unfinished=unfinished, lang=lang,
                                 answers={q: (a if lang == "en" or not a else "中文：" + a)
                                          for q, a in p.answers.items()})
             for i, (p, (bugs, unfinished, lang)) in enumerate(zip(drawn, PROFILES, strict=True))]
    subs = [classgen.write_submission(p, root / "subs" / p.name, repo=REPO, bugs=BUGS) for p in plans]
    out = root / "grades"
    assert cli(["grade", *map(str, subs), "--out", str(out), "--jobs", "2",
                "--notebooks", str(NOTEBOOKS)]) == 0
    assert cli(["report", str(out), "--notebooks", str(NOTEBOOKS)]) == 0
    results = {p.parent.name: json.loads(p.read_text()) for p in sorted(out.glob("*/results.json"))}
    return {"root": root, "out": out, "plans": {p.name: p for p in plans}, "results": results,
            "questions": questions, "report": json.loads((out / "report.json").read_text())}


def test_plans_are_a_realistic_mix():
    questions = reference_questions(NOTEBOOKS)
    plans = classgen.plan_class(300, BUGS, questions, seed=0)
    counts = classgen.summarize_plans(plans)
    assert counts["students"] == 300 and len({p.name for p in plans}) == 300
    assert 60 <= counts["correct"] <= 150 and 8 <= counts["unfinished"] <= 45 and 40 <= counts["zh"] <= 110
    assert 1 <= counts["hang"] <= 12                         # a few loops the sandbox has to stop
    answers = [a for p in plans for a in p.answers.values()]
    assert 0.05 < counts["blank_answers"] / len(answers) < 0.25
    # common mistakes are made more often than rare ones
    assert counts["bugs"].get("svm_vec_loss_not_averaged", 0) > counts["bugs"].get("predict_argmin", 0)
    assert plans == classgen.plan_class(300, BUGS, questions, seed=0)          # seeded


def test_answers_in_both_languages_reach_the_report(graded):
    rep, plans = graded["report"], graded["plans"]
    assert {q["id"] for q in rep["written"]} == {q.id for q in graded["questions"]}
    for q in rep["written"]:
        assert q["answers"] == {n: p.answers[q["id"]] for n, p in plans.items()}, q["id"]
        assert q["empty"] == sorted(n for n, p in plans.items() if not p.answers[q["id"]])
        assert q["graded"] == {}                                              # nothing marked yet
    assert any("中文" in a for q in rep["written"] for a in q["answers"].values())


def test_every_lost_point_is_under_a_mistake_or_a_failing_test(graded):
    rep, res = graded["report"], graded["results"]
    assert rep["submissions"] == 5
    assert rep["scores"] == {n: round(sum(t["score"] for t in d["tests"]), 6) for n, d in res.items()}
    covered = {(s, t) for d in rep["diagnoses"] for s in d["submissions"] for t in d["tests"]
               if t in {x["name"] for x in res[s]["tests"] if x["score"] < x["max_score"]}}
    covered |= {(s, g["test"]) for g in rep["undiagnosed"] for s in g["submissions"]}
    # written answers are marked by hand, not diagnosed: before marking, every submission has one
    # 0-point "not marked yet" test per written question, and those are the only written tests
    written = {(n, t["name"]) for n, d in res.items() for t in d["tests"] if ": written answer " in t["name"]}
    assert written == {(n, q.test_name) for n in res for q in graded["questions"]}
    assert all(t["score"] == 0 and t["output"].startswith("not marked yet") for d in res.values()
               for t in d["tests"] if ": written answer " in t["name"])
    assert {t for _, t in covered}.isdisjoint({t for _, t in written})
    lost = {(n, t["name"]) for n, d in res.items() for t in d["tests"]
            if t["score"] < t["max_score"]} - written
    assert lost and lost == covered
    assert not any(s.startswith("en_0") for d in rep["diagnoses"] for s in d["submissions"])   # correct


def test_mistakes_are_in_words_with_their_students_tests_and_sections(graded):
    rep = graded["report"]
    rows = {(d["key"], d["function"]): d for d in rep["diagnoses"]}
    for d in rep["diagnoses"]:
        assert d["label"] == label(d["key"]) and d["label"] != d["key"] and " " in d["label"]
    svm = next(d for d in rep["diagnoses"] if d["function"] == "svm_loss_vectorized"
               and "en_1" in d["submissions"])
    assert "svm_loss_vectorized" in "".join(svm["tests"])
    assert any(s.startswith("01_svm_hinge_loss — Your code: `svm_loss_vectorized`") for s in svm["sections"])
    # a loss bug is charged with the fit points it cost too (the estimator is trained with that loss)
    fit_lost = [t for t in graded["results"]["en_1"]["tests"] if t["name"].startswith("LinearSVM")
                and t["score"] < t["max_score"]]
    assert {t["name"] for t in fit_lost} <= set(svm["tests"])
    assert svm["points_lost"] == pytest.approx(sum(
        t["max_score"] - t["score"] for t in graded["results"]["en_1"]["tests"] if t["name"] in svm["tests"]))
    stable = rows[("no_shift", "softmax_loss_vectorized")]
    assert "zh_2" in stable["submissions"] and stable["label"].startswith("The loss is not finite")
    assert any("04_numeric_stability" in s for s in stable["sections"])


def _open(driver, path: Path) -> None:
    driver.get(path.as_uri())
    _typeset(driver)


@pytest.mark.browser
def test_pages_in_chromium_offline(graded, tmp_path):
    _require_browser()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, rep, plans = graded["out"], graded["report"], graded["plans"]
    q = next(x for x in rep["written"] if x["empty"] and len(x["empty"]) < len(plans))
    qpage = out / PAGES_DIRNAME / f"{slug(q['id'])}.html"
    with chromium(tmp_path / "profile") as driver:
        _open(driver, out / "report.html")
        text = driver.find_element(By.TAG_NAME, "body").get_attribute("textContent")
        for d in rep["diagnoses"]:
            assert d["label"] in text and all(s in text for s in d["submissions"])
        assert "svm_no_correct_grad" not in text                       # no internal key as a label
        links = driver.find_elements(By.CSS_SELECTOR, f'a[href^="{PAGES_DIRNAME}/"]')
        assert len(links) == len(rep["written"])
        _open(driver, qpage)
        assert driver.find_elements(By.CSS_SELECTOR, ".prompt .MathJax, .prompt .MathJax_Display"), \
            "MathJax did not typeset the prompt offline"
        cards = driver.find_elements(By.CSS_SELECTOR, "#answers .ans")
        assert len(cards) == len(plans)
        shown = lambda: [c.get_attribute("data-name") for c in cards if c.is_displayed()]  # noqa: E731
        Select(driver.find_element(By.ID, "show")).select_by_value("empty")
        assert sorted(shown()) == q["empty"]
        Select(driver.find_element(By.ID, "show")).select_by_value("unmarked")
        assert len(shown()) == len(plans)
        Select(driver.find_element(By.ID, "show")).select_by_value("all")
        order = lambda: [c.get_attribute("data-name") for c in  # noqa: E731
                         driver.find_elements(By.CSS_SELECTOR, "#answers .ans")]
        Select(driver.find_element(By.ID, "sort")).select_by_value("length")
        lengths = [len(q["answers"][n]) for n in order()]
        assert lengths == sorted(lengths, reverse=True) and lengths[0] > lengths[-1]
        Select(driver.find_element(By.ID, "sort")).select_by_value("name")
        assert order() == sorted(plans)
        word = next(a for a in q["answers"].values() if a).split()[0]
        driver.find_element(By.ID, "q").send_keys(word)
        assert sorted(shown()) == sorted(n for n, a in q["answers"].items() if word.lower() in a.lower())


def test_marks_show_on_the_question_page_and_unmarked_is_counted(graded, tmp_path):
    out, rep = graded["out"], graded["report"]
    q = rep["written"][0]
    csv = tmp_path / "w.csv"
    csv.write_text(f"submission,{q['id']}\nen_0,1\n")
    assert cli(["grade", "--written", str(csv), "--out", str(out), "--notebooks", str(NOTEBOOKS)]) == 0
    assert cli(["report", str(out), "--notebooks", str(NOTEBOOKS)]) == 0
    again = json.loads((out / "report.json").read_text())
    first = next(x for x in again["written"] if x["id"] == q["id"])
    assert first["graded"] == {"en_0": 1.0}                           # the others are unmarked, not 0
    html = (out / PAGES_DIRNAME / f"{slug(q['id'])}.html").read_text()
    assert html.count('class="mark none">unmarked<') == len(graded["plans"]) - 1
    res = json.loads((out / "en_0" / "results.json").read_text())
    total = sum(t["max_score"] for t in res["tests"])
    # the written tests were there (unmarked) from the start: marking one replaces it, the maximum stays
    before = graded["results"]["en_0"]["tests"]
    assert total == pytest.approx(sum(t["max_score"] for t in before)) == pytest.approx(100)
    assert [t["name"] for t in res["tests"]] == [t["name"] for t in before]
    assert res["score"] == pytest.approx(sum(t["score"] for t in before) + 1)


@pytest.mark.browser
def test_a_class_of_300_fits_every_page(graded, tmp_path):
    _require_browser()
    seeds = {}
    for name, plan in graded["plans"].items():
        if name == "en_3":
            continue                                   # two bugs: not one profile
        seeds[classgen.profile(plan)] = graded["results"][name]
    questions = graded["questions"]
    plans = classgen.plan_class(300, [b for b in BUGS if b.name in seeds], questions, seed=3)
    results = classgen.replicate(seeds, plans)
    out = classgen.write_results(results, tmp_path / "c300")
    assert cli(["report", str(out), "--notebooks", str(NOTEBOOKS)]) == 0
    rep = json.loads((out / "report.json").read_text())
    assert rep["submissions"] == 300 and len(rep["written"]) == len(questions)
    # one result per task: no check-cell tests, so no check-cell sections to name
    assert rep["sections"] == {} and not any(": check cell " in t["name"] for t in rep["tests"])
    pages = [out / "report.html", *sorted((out / PAGES_DIRNAME).glob("*.html"))]
    assert len(pages) == 1 + len(questions)
    for p in pages:
        assert p.stat().st_size <= MAX_BYTES, (p.name, p.stat().st_size)
    with chromium(tmp_path / "profile") as driver:
        for p in (pages[0], max(pages[1:], key=lambda x: x.stat().st_size)):
            _open(driver, p)
            assert _height(driver) <= MAX_HEIGHT, (p.name, _height(driver))
