"""The report's overview page: scores, what to re-teach, hardest tests, speed, limits, written questions.

One HTML page (inline CSS, figures as base64 PNG) sized for a class of hundreds: lists of students
are folded (``<details>``), long tables are cut with the rest in ``report.json``, and each written
question has its own page (:mod:`~cs231n_lin.grading.report.report_pages`). Everything that came from a
submission (names, messages) is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from cs231n_lin.grading.report.report_figures import all_figures
from cs231n_lin.grading.report.report_pages import PAGES_DIRNAME, inline_code, page, question_title, slug

MAX_TEST_ROWS = 30          # the failing tests listed on the page (report.json has them all)
MAX_ROWS = 40               # mistakes, undiagnosed groups and limits listed (report.json has them all)

def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _img(png: str | None, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{png}">' if png else ""


def _names(names: list[str], limit: int = 12) -> str:
    """Up to ``limit`` names inline; more are folded into a ``<details>`` list."""
    if not names:
        return '<span class="muted">none</span>'
    if len(names) <= limit:
        return ", ".join(escape(n) for n in names)
    return (f'<details><summary>{len(names)} students</summary><div class="names">'
            f'{", ".join(escape(n) for n in names)}</div></details>')


def _table(head: list[str], rows: list[list[str]], num: set[int] = frozenset()) -> str:
    th = "".join(f'<th class="num">{h}</th>' if i in num else f"<th>{h}</th>" for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>"
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _scores(s: dict, figs: dict) -> str:
    t = s["total"]
    cards = "".join(f'<div class="card"><b>{v}</b><span>{k}</span></div>' for k, v in [
        ("submissions", s["submissions"]), ("max score", _num(s["max_score"])), ("mean", _num(t["mean"])),
        ("median", _num(t["median"])), ("zero scores", len(s["zero_score"])),
        ("hit a sandbox limit", len({x["submission"] for x in s["limits"]}))])
    rows = [[escape(p["part"]), _num(p["max_score"]), _num(p["mean"]), _num(p["median"]),
             f'{p["full_marks"]}', f'{p["zero"]}', f'{p["graded"]}'] for p in s["parts"]]
    return (f'<h2 id="scores">Score distribution</h2><div class="cards">{cards}</div>'
            + _img(figs["total"], "histogram of total scores")
            + f"<p><b>Zero scores</b> ({len(s['zero_score'])}): {_names(s['zero_score'])}</p>"
            + "<h3>Per part</h3>" + _img(figs["parts"], "per-part score distributions")
            + _table(["part", "max", "mean", "median", "full marks", "zero", "graded"], rows,
                     {1, 2, 3, 4, 5, 6}))


def _bugs(s: dict, figs: dict) -> str:
    rows = []
    for d in s["diagnoses"][:MAX_ROWS]:
        tests = "".join(f"<li>{inline_code(_test_label(t, s))} <span class=muted>({v['failed']} of "
                        f"{d['count']}, {_num(v['points_lost'])} pts)</span></li>"
                        for t, v in d["tests"].items())
        tests = (f'<details><summary>{len(d["tests"])} tests</summary><ul class="names">{tests}</ul>'
                 '</details>' if d["tests"] else '<span class="muted">no points lost</span>')
        note = ' <span class="muted">(unfinished code, not a mistake)</span>' if d.get("unfinished") else ""
        sections = "<br>".join(inline_code(x) for x in d["sections"]) or '<span class="muted">–</span>'
        rows.append([f"<b>{escape(d['label'])}</b>{note}<div class=msg><code>{escape(d['function'])}</code>"
                     f"</div>", f'<span class="bar" style="width:{max(2, round(60 * d["share"]))}px"></span>'
                     f'{d["count"]}', _names(d["submissions"]), _num(d["points_lost"]),
                     _num(d["points_lost"] / max(1, d["count"])), tests, sections])
    more = len(s["diagnoses"]) - MAX_ROWS
    body = _table(["mistake", "students", "who", "points lost", "per student", "tests it failed",
                   "lesson section"], rows, {1, 3, 4}) if rows else \
        '<p class="muted">No mistake was diagnosed.</p>'
    if more > 0:
        body += f'<p class="muted">… and {more} more diagnoses (all are in report.json).</p>'
    loose = s.get("undiagnosed", [])
    urows = [[inline_code(_test_label(g["test"], s)), str(g["count"]), _names(g["submissions"]),
              _num(g["points_lost"])] for g in loose[:MAX_ROWS]]
    ubody = _table(["failing test", "students", "who", "points lost"], urows, {1, 3}) if urows else \
        '<p class="muted">Every lost point is explained by a diagnosis above.</p>'
    if len(loose) > MAX_ROWS:
        ubody += f'<p class="muted">… and {len(loose) - MAX_ROWS} more tests (all are in report.json).</p>'
    return ('<h2 id="bugs">What to re-teach</h2><p class="muted">Each mistake the grader recognised, '
            'with every point it cost: its function\'s tests, the tests of the estimators trained with it '
            '(a loss bug also costs fit points) and the check cells that use them. A test that two '
            'mistakes of one student both touch counts for both.</p>'
            + _img(figs["diagnoses"], "most common diagnosed mistakes") + body
            + '<h3 id="undiagnosed">Lost points without a diagnosis, by failing test</h3>' + ubody)


def _test_label(name: str, s: dict) -> str:
    """A check cell's test by its notebook section (heading), other tests by their name."""
    return s.get("sections", {}).get(name, name)


def _tests(s: dict, figs: dict) -> str:
    failing = [r for r in s["tests"] if r["pass_rate"] < 1.0 and r["kind"] != "written"]
    rows = [[inline_code(_test_label(r["name"], s)),
             "check cell" if r["kind"] == "notebook" else "hidden test",
             f'{r["passed"]}/{r["attempts"]}', _pct(r["pass_rate"]), _num(r["max_score"])]
            for r in failing[:MAX_TEST_ROWS]]
    body = _table(["test", "kind", "passed", "pass rate", "points"], rows, {2, 3, 4}) if rows else \
        '<p class="muted">Every test passed for every submission.</p>'
    if len(failing) > MAX_TEST_ROWS:
        body += (f'<p class="muted">… and {len(failing) - MAX_TEST_ROWS} more tests that some submission '
                 "failed (all are in report.json).</p>")
    return ('<h2 id="tests">Hidden tests and notebook check cells that failed most</h2>'
            + _img(figs["tests"], "lowest pass rates") + body)


def _perf(s: dict, figs: dict) -> str:
    p = s["perf"]
    rows = [[escape(fn), str(r["timed"]), _num(r["median"]), _num(r["max"]), _num(r.get("graded_median")),
             str(r["over_threshold"]), f'{len(r["loop_over_n"])}', f'{len(r["temporaries"])}']
            for fn, r in p["functions"].items()]
    lists = "".join(f"<p><b>{escape(fn)}</b>: loop over N: {_names(r['loop_over_n'])}; "
                    f"N×D temporaries: {_names(r['temporaries'])}; "
                    f"timed run stopped at its cap: {_names(r.get('stopped_at_cap', []))}</p>"
                    for fn, r in p["functions"].items())
    body = (_table(["function", "timed", "median ratio", "max ratio", "median CPU vs reference",
                    f"over {p['threshold']:g}x the reference", "loop over N", "N×D temporaries"], rows,
                   {1, 2, 3, 4, 5, 6, 7}) + lists) if rows else \
        '<p class="muted">No speed measurements in these results.</p>'
    return ('<h2 id="perf">Performance across the class</h2><p class="muted">Ratio: time of the '
            'vectorized loss over the time of the two matrix products it needs (X @ W and X.T @ G) on the '
            'same shapes, in the same run (measured inside the student\'s process: a hint). The speed points '
            'come from the CPU time per call over the reference\'s, measured from outside the sandbox: full '
            f'marks up to {p["threshold"]:g}x the reference.</p>' + _img(figs["perf"], "speed ratios") + body)


def _limits(s: dict) -> str:
    groups: dict[tuple[str, str], list[str]] = {}
    whys: dict[tuple[str, str], str] = {}
    for x in s["limits"]:
        key = (x["kind"], x["where"])
        groups.setdefault(key, []).append(x["submission"])
        whys.setdefault(key, x["why"])
    rows = [[f'<span class="tag {escape(kind.replace(" ", "-"))}">{escape(kind)}</span>', escape(where),
             str(len(names)), _names(sorted(names)),
             f'<span class="msg">{escape(whys[(kind, where)])}</span>']
            for (kind, where), names in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    body = _table(["limit", "where", "students", "who", "e.g."], rows, {2}) if rows else \
        '<p class="muted">No submission hit a sandbox limit.</p>'
    return '<h2 id="limits">Submissions stopped at a sandbox limit</h2>' + body


def _written(s: dict) -> str:
    if not s["written"]:
        return ('<h2 id="written">Written answers</h2><p class="muted">No written answers in these results '
                '(they are collected when notebooks are graded).</p>')
    rows = [[f'<a href="{PAGES_DIRNAME}/{slug(q["id"])}.html">{escape(question_title(q))}</a>',
             str(len(q["answers"])),
             f'<span class="{"empty" if q["empty"] else "muted"}">{len(q["empty"])}</span>',
             str(len(q["answers"]) - len(q["graded"])), _num(q.get("max_points"))] for q in s["written"]]
    return ('<h2 id="written">Written answers</h2><p>One page per question, answers side by side with their '
            'marks. Fill in the points in <code>written.csv</code> (next to this page), then run '
            '<code>cs231n-lin grade --written written.csv --out DIR</code>.</p>'
            + _table(["question", "answers", "empty", "unmarked", "points"], rows, {1, 2, 3, 4}))


NAV = ('<nav><a href="#scores">Scores</a><a href="#bugs">What to re-teach</a><a href="#undiagnosed">'
       'Without a diagnosis</a><a href="#tests">Hardest tests</a><a href="#perf">Speed</a>'
       '<a href="#limits">Limits</a><a href="#written">Written answers</a></nav>')


def render(summary: dict[str, Any], *, title: str = "Grading report", mathjax_url: str | None = None) -> str:
    """The overview page for a :func:`cs231n_lin.grading.report.report.summarize` dictionary."""
    figs = all_figures(summary)
    body = (NAV + _scores(summary, figs) + _bugs(summary, figs) + _tests(summary, figs)
            + _perf(summary, figs) + _limits(summary) + _written(summary))
    return page(title, body, mathjax_url=mathjax_url)


__all__ = ["render"]
