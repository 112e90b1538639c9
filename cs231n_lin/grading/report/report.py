"""``cs231n-lin report GRADES_DIR``: what the class got wrong, across a graded batch.

Reads every ``GRADES_DIR/<name>/results.json`` that ``grade --out GRADES_DIR`` wrote (never the
grader's internals) and writes, atomically:

- ``report.json`` — the numbers (:func:`summarize`);
- ``report.html`` — the overview (scores, what to re-teach, hardest tests, speed, limit stops,
  the written questions), PNG figures embedded, and ``report_written/<question>.html``, one page
  per written question; MathJax is copied into ``_mathjax/`` beside them (the pages open offline);
- ``written.csv`` — one row per submission, one column per written question, for the points
  (points already typed into an earlier ``written.csv`` are kept).

A test's *part* is the text of its name before the first ``": "`` (the function for hidden tests,
the notebook for check cells; ``"<notebook> (written)"`` for hand-graded written answers). A
diagnosis is charged with the failed tests of its submissions that use the diagnosed function
(:mod:`~cs231n_lin.grading.report.report_teach`: its own tests, the estimators trained with it and the
check cells that call either); a failed test no diagnosis explains is grouped by test. Diagnoses
that only say the code is unfinished (:data:`UNFINISHED_KEYS`) are listed after the mistakes.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cs231n_lin._io import atomic_write_text
from cs231n_lin.grading.records import written as written_mod
from cs231n_lin.grading.records.facts import limit_kind
from cs231n_lin.grading.report.report_teach import UNFINISHED_KEYS, Lessons, reteach

UNMARKED_PREFIX = written_mod.UNMARKED.split(":", 1)[0]
NOTEBOOK_UNFINISHED = "the notebook did not run to the end"
GRADER_FAILED = "The grader failed on this submission"
NOT_GRADED = "This submission could not be graded"
PERF_THRESHOLD = 3.0            # grade's default: full speed points up to 3x the reference's CPU time


def _perf_constants() -> tuple[float, float]:
    try:
        from cs231n_lin.grading.run.perf import LOOP_LINES_PER_EXAMPLE, TEMP_MEMORY_RATIO
    except ImportError:            # pragma: no cover - perf is part of the grader
        return 0.5, 0.5
    return float(LOOP_LINES_PER_EXAMPLE), float(TEMP_MEMORY_RATIO)


def part_of(test_name: str) -> str:
    """The part a test belongs to: the notebook that asks for its task (the task table's, as
    ``cs231n-lin check`` groups them), ``"<notebook> (written)"`` for a hand-graded answer; a test
    of no task, its name up to the first ``": "``."""
    part = test_name.split(": ", 1)[0].strip()
    if kind_of(test_name) == "written":
        return f"{part} (written)"
    task = _TASK_BY_TITLE.get(test_name)
    return task.notebook.removesuffix(".ipynb") if task else part


def _titles() -> dict:
    from cs231n_lin import tasks

    return {**{t.title.en: t for t in tasks.TASKS}, **{t.title.zh: t for t in tasks.TASKS}}


_TASK_BY_TITLE = _titles()


def kind_of(test_name: str) -> str:
    """``"notebook"`` (a check cell), ``"written"`` (a hand-graded answer) or ``"hidden"``."""
    if ": written answer " in test_name:
        return "written"
    if ": check cell " in test_name:
        return "notebook"
    return "hidden"


def load_results(grades_dir: str | Path) -> dict[str, dict]:
    """Submission name -> its parsed ``results.json``, sorted by name.

    Raises
    ------
    ValueError
        If ``grades_dir`` is not a folder, holds no results, or a results file is not valid JSON
        with a ``tests`` list (the message names the file).
    """
    root = Path(grades_dir)
    if not root.is_dir():
        raise ValueError(f"GRADES_DIR {root} is not a folder (give the folder `grade --out` wrote)")
    results = {}
    for path in sorted(root.glob("*/results.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable results file ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
            raise ValueError(f"{path}: not a Gradescope results file (no 'tests' list)")
        results[path.parent.name] = data
    if not results:
        raise ValueError(f"GRADES_DIR {root} holds no <name>/results.json (run `cs231n-lin grade ... "
                         f"--out {root}` first)")
    return results


def _stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {"mean": round(statistics.fmean(values), 4), "median": round(statistics.median(values), 4),
            "min": round(min(values), 4), "max": round(max(values), 4)}


def _score(data: dict) -> float:
    return round(sum(float(t.get("score", 0.0)) for t in data["tests"]), 6)


def _max_score(data: dict) -> float:
    return round(sum(float(t.get("max_score", 0.0)) for t in data["tests"]), 6)


def _parts(results: Mapping[str, dict]) -> tuple[list[dict], dict[str, dict[str, tuple[float, float]]]]:
    """Per-part statistics, and per submission {part: (score, max)}."""
    per_sub: dict[str, dict[str, list[float]]] = {}
    order: list[str] = []
    for name, data in results.items():
        acc: dict[str, list[float]] = {}
        for t in data["tests"]:
            part = part_of(str(t.get("name", "")))
            if part not in order:
                order.append(part)
            s = acc.setdefault(part, [0.0, 0.0])
            s[0] += float(t.get("score", 0.0))
            s[1] += float(t.get("max_score", 0.0))
        per_sub[name] = {p: (round(v[0], 6), round(v[1], 6)) for p, v in acc.items()}
    parts = []
    for part in order:
        pairs = [per_sub[n][part] for n in results if part in per_sub[n]]
        scores = [p[0] for p in pairs]
        top = max(p[1] for p in pairs)
        parts.append({"part": part, "max_score": top, "graded": len(pairs), **_stats(scores),
                      "full_marks": sum(1 for s, m in pairs if m > 0 and s >= m - 1e-9),
                      "zero": sum(1 for s, m in pairs if m > 0 and s <= 1e-9)})
    return parts, per_sub


def _tests(results: Mapping[str, dict]) -> list[dict]:
    rows: dict[str, dict] = {}
    for data in results.values():
        for t in data["tests"]:
            name = str(t.get("name", ""))
            row = rows.setdefault(name, {"name": name, "part": part_of(name), "kind": kind_of(name),
                                         "max_score": float(t.get("max_score", 0.0)), "attempts": 0,
                                         "passed": 0})
            row["attempts"] += 1
            row["passed"] += int(float(t.get("score", 0.0)) >= float(t.get("max_score", 0.0)) - 1e-9)
    out = []
    for row in rows.values():
        row["pass_rate"] = round(row["passed"] / row["attempts"], 4)
        out.append(row)
    return sorted(out, key=lambda r: (r["pass_rate"], -r["max_score"], r["name"]))


def _perf(results: Mapping[str, dict]) -> dict[str, Any]:
    loop_at, temp_at = _perf_constants()
    functions: dict[str, dict] = defaultdict(lambda: {"ratios": {}, "graded": {}, "stopped": [],
                                                      "loop_over_n": [], "temporaries": []})
    for name, data in results.items():
        for fn, m in ((data.get("extra_data") or {}).get("perf") or {}).items():
            row = functions[fn]
            if m.get("ratio") is not None:
                row["ratios"][name] = float(m["ratio"])
            if m.get("graded_ratio") is not None:
                row["graded"][name] = float(m["graded_ratio"])
            if m.get("stopped_at_cap"):
                row["stopped"].append(name)
            if (m.get("lines_per_example") or 0.0) >= loop_at:
                row["loop_over_n"].append(name)
            if (m.get("extra_memory_ratio") or 0.0) >= temp_at:
                row["temporaries"].append(name)
    out = {}
    for fn in sorted(functions):
        row = functions[fn]
        ratios = list(row["ratios"].values())
        graded = list(row["graded"].values())
        out[fn] = {"timed": len(ratios), **_stats(ratios),
                   "graded_median": round(statistics.median(graded), 4) if graded else None,
                   "over_threshold": sum(1 for r in graded if r > PERF_THRESHOLD) + len(row["stopped"]),
                   "stopped_at_cap": sorted(row["stopped"]),
                   "loop_over_n": sorted(row["loop_over_n"]), "temporaries": sorted(row["temporaries"]),
                   "ratios": dict(sorted(row["ratios"].items())),
                   "graded_ratios": dict(sorted(row["graded"].items()))}
    return {"threshold": PERF_THRESHOLD, "loop_lines_per_example": loop_at, "temp_memory_ratio": temp_at,
            "functions": out}


def _limits(results: Mapping[str, dict]) -> list[dict]:
    out = []
    for name, data in results.items():
        for lim in (data.get("extra_data") or {}).get("limits", []):
            why = str(lim.get("why", ""))
            out.append({"submission": name, "where": str(lim.get("function", "")),
                        "kind": str(lim.get("kind") or limit_kind(why)), "why": why})
        for nb in sorted({part_of(str(t.get("name", ""))) for t in data["tests"]
                          if str(t.get("output", "")).startswith(NOTEBOOK_UNFINISHED)}):
            out.append({"submission": name, "where": nb, "kind": "timeout",
                        "why": "the notebook run did not finish"})
        text = str(data.get("output", ""))
        if text.startswith((GRADER_FAILED, NOT_GRADED)):
            out.append({"submission": name, "where": "submission", "kind": "not graded",
                        "why": text.splitlines()[0]})
    return out


def _written(results: Mapping[str, dict], questions: list[written_mod.Question]) -> list[dict]:
    if not any("written" in (d.get("extra_data") or {}) for d in results.values()):
        return []                  # graded without notebooks: no answers were collected
    known = {q.id: q for q in questions}
    ids = list(known)
    for data in results.values():
        for qid in (data.get("extra_data") or {}).get("written") or {}:
            if qid not in known and qid not in ids:
                ids.append(qid)
    out = []
    for qid in ids:
        q = known.get(qid)
        answers = {}
        for name, data in results.items():
            got = (data.get("extra_data") or {}).get("written")
            if got is not None:
                answers[name] = str(got.get(qid, ""))
        graded = {}                # a mark given by hand (an unmarked answer's test is not one)
        for name, data in results.items():
            for t in data["tests"]:
                if q is not None and t.get("name") == q.test_name and \
                        not str(t.get("output", "")).startswith(UNMARKED_PREFIX):
                    graded[name] = float(t.get("score", 0.0))
        out.append({"id": qid, "notebook": q.notebook if q else qid.split("/")[0],
                    "number": q.number if q else None, "prompt": q.prompt if q else "",
                    "reference": q.reference if q else "",
                    "max_points": q.max_points if q else None, "answers": answers,
                    "empty": sorted(n for n, a in answers.items() if not a.strip()),
                    "graded": graded})
    return out


def summarize(results: Mapping[str, dict], questions: list[written_mod.Question] | None = None,
              lessons: Lessons | None = None) -> dict[str, Any]:
    """Every number of the report from the parsed results files (see the module docstring).

    Parameters
    ----------
    results : dict
        Submission name -> parsed ``results.json`` (from :func:`load_results`).
    questions : list of Question, optional
        The reference notebooks' written questions (prompt and maximum points for their pages).
    lessons : Lessons, optional
        The reference notebooks' check cells (section headings, the functions each one calls).
    """
    lessons = lessons or Lessons()
    scores = {n: _score(d) for n, d in results.items()}
    maxes = [_max_score(d) for d in results.values()]
    parts, per_sub = _parts(results)
    tests = _tests(results)
    teach = reteach(results, lessons)
    return {
        "submissions": len(results),
        "max_score": max(maxes) if maxes else 0.0,
        "total": _stats(list(scores.values())),
        "scores": scores,
        "zero_score": sorted(n for n, s in scores.items() if s <= 1e-9),
        "parts": parts,
        "per_submission_parts": {n: {p: list(v) for p, v in ps.items()} for n, ps in per_sub.items()},
        "diagnoses": teach["mistakes"],
        "undiagnosed": teach["undiagnosed"],
        "tests": tests,
        "sections": {t["name"]: lessons.section(t["name"]) for t in tests if t["kind"] == "notebook"},
        "perf": _perf(results),
        "limits": _limits(results),
        "written": _written(results, questions or []),
    }


def write_pages(root: Path, summary: dict[str, Any], title: str) -> list[Path]:
    """``report.html`` and one page per written question under ``report_written/``, with MathJax
    copied beside them (offline); returns the pages written."""
    from cs231n_lin.grading.report.report_html import render
    from cs231n_lin.grading.report.report_pages import PAGES_DIRNAME, question_page, slug
    from cs231n_lin.notebook_run import install_mathjax

    url = install_mathjax(root)
    pages = [atomic_write_text(root / "report.html", render(summary, title=title, mathjax_url=url))]
    qs = summary["written"]
    for i, q in enumerate(qs):
        html = question_page(q, prev=qs[i - 1] if i else None, nxt=qs[i + 1] if i + 1 < len(qs) else None,
                             mathjax_url=f"../{url}", report_title=title)
        pages.append(atomic_write_text(root / PAGES_DIRNAME / f"{slug(q['id'])}.html", html))
    return pages


def main(*, grades_dir: str | Path, notebooks_dir: str | Path | None = None, echo=print) -> int:
    """Write ``report.json``, ``report.html`` (+ a page per written question) and ``written.csv``."""
    root = Path(grades_dir)
    results = load_results(root)
    if notebooks_dir is None:
        from cs231n_lin.grading.run.worker import reference_package

        notebooks_dir = reference_package().parent / "notebooks"
    questions = written_mod.reference_questions(notebooks_dir)
    summary = summarize(results, questions, Lessons.from_notebooks(notebooks_dir))
    atomic_write_text(root / "report.json", json.dumps(summary, indent=1, sort_keys=False) + "\n")
    pages = write_pages(root, summary, f"Grading report: {root.name}")
    qids = [q["id"] for q in summary["written"]]
    if qids:
        previous = (root / "written.csv").read_text(encoding="utf-8") if (root / "written.csv").is_file() \
            else None
        atomic_write_text(root / "written.csv", written_mod.csv_text(sorted(results), qids, previous))
    echo(f"report of {len(results)} submissions: {root / 'report.html'} ({len(pages) - 1} question pages) "
         f"and {root / 'report.json'}"
         + (f"; written answers to mark in {root / 'written.csv'}" if qids else ""))
    return 0


__all__ = ["UNFINISHED_KEYS", "kind_of", "load_results", "main", "part_of", "summarize", "write_pages"]
