"""The report as one self-contained HTML page (inline CSS, figures as base64 PNG, no scripts).

Everything that came from a submission (names, answers, messages) is HTML-escaped: a student's
written answer is shown as text, never interpreted.
"""

from __future__ import annotations

from html import escape
from string import Template
from typing import Any

from cs231n_lin.grading.report_figures import all_figures

MAX_TEST_ROWS = 30          # the failing tests listed on the page (report.json has them all)

PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;
background:#f6f7f9}
main{max-width:1000px;margin:0 auto;padding:16px 28px 60px;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #e3e6ea;
padding-bottom:3px}h3{font-size:15px;margin:18px 0 6px}
nav{font-size:13px;margin:6px 0 14px}nav a{margin-right:12px;color:#3b6ea8}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:10px 0}
.card{background:#f0f4f9;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:20px}.card span{font-size:12px;color:#555}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid #e3e6ea;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f6f7f9;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:9px;background:#b83a3a;border-radius:2px;vertical-align:middle;margin-right:5px}
.msg{color:#444;font-size:12px;white-space:pre-wrap}.muted{color:#777}
.empty{color:#b83a3a;font-weight:600}.answer{white-space:pre-wrap;font-size:13px}
.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:11px;background:#e8edf3;margin:1px}
.timeout{background:#fde8c8}.memory{background:#f6d5d5}.crash,.not-graded{background:#e5d5f6}
img{max-width:100%;display:block;margin:6px 0}
section.question{border-top:1px dashed #ccc;margin-top:22px;break-before:page}
.prompt{background:#f6f7f9;border-left:3px solid #3b6ea8;padding:6px 10px;white-space:pre-wrap;font-size:13px;
margin:4px 0}.key{border-left-color:#3a8a4a;background:#f1f8f2}
</style></head><body><main>
<h1>$title</h1>
<nav><a href="#scores">Scores</a><a href="#bugs">Common bugs</a><a href="#tests">Failed tests</a>
<a href="#perf">Performance</a><a href="#limits">Sandbox limits</a>
<a href="#written">Written answers</a></nav>
$body
</main></body></html>
""")


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _img(png: str | None, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{png}">' if png else ""


def _names(names: list[str], limit: int = 40) -> str:
    shown = ", ".join(escape(n) for n in names[:limit])
    more = f" <span class=muted>and {len(names) - limit} more</span>" if len(names) > limit else ""
    return (shown + more) if names else '<span class="muted">none</span>'


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
    if not s["diagnoses"]:
        return '<h2 id="bugs">Most common diagnosed bugs</h2><p class="muted">No mistake was diagnosed.</p>'
    rows = []
    for d in s["diagnoses"]:
        parts = ", ".join(f"{escape(p)} ({c})" for p, c in d["parts"].items()) or \
            '<span class="muted">no points lost</span>'
        note = ' <span class="muted">(unfinished code, not a mistake)</span>' if d.get("unfinished") else ""
        rows.append([f"<code>{escape(d['key'])}</code>{note}", str(d["count"]),
                     f'<span class="bar" style="width:{max(2, round(80 * d["share"]))}px"></span>'
                     f'{_pct(d["share"])}', parts, f'<div class="msg">{escape(d["example"])}</div>'])
    return ('<h2 id="bugs">Most common diagnosed bugs</h2>'
            '<p class="muted">Each mistake the grader recognised, by how many submissions made it; '
            '"parts" counts the submissions in which it cost points there.</p>'
            + _img(figs["diagnoses"], "most common diagnosed bugs")
            + _table(["diagnosis", "submissions", "share", "parts it cost points in", "example message"],
                     rows, {1}))


def _tests(s: dict, figs: dict) -> str:
    failing = [r for r in s["tests"] if r["pass_rate"] < 1.0 and r["kind"] != "written"]
    rows = [[escape(r["name"]), "check cell" if r["kind"] == "notebook" else "hidden test",
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
    rows = [[escape(x["submission"]),
             f'<span class="tag {escape(x["kind"].replace(" ", "-"))}">{escape(x["kind"])}</span>',
             escape(x["where"]), f'<span class="msg">{escape(x["why"])}</span>'] for x in s["limits"]]
    body = _table(["submission", "limit", "where", "what happened"], rows) if rows else \
        '<p class="muted">No submission hit a sandbox limit.</p>'
    return '<h2 id="limits">Submissions that hit a sandbox limit</h2>' + body


def _written(s: dict) -> str:
    if not s["written"]:
        return ('<h2 id="written">Written answers</h2><p class="muted">No written answers in these results '
                '(they are collected when notebooks are graded).</p>')
    toc = "".join(f'<li><a href="#q-{escape(q["id"])}">{escape(q["id"])}</a> — {len(q["answers"])} answers, '
                  f'<span class="{"empty" if q["empty"] else "muted"}">{len(q["empty"])} empty</span></li>'
                  for q in s["written"])
    out = [f'<h2 id="written">Written answers</h2><p>Fill in the points in <code>written.csv</code> '
           f'(next to this page), then run <code>cs231n-lin grade --written written.csv --out DIR</code>.</p>'
           f"<ul>{toc}</ul>"]
    for q in s["written"]:
        title = f"{q['notebook']}, written answer {q['number']}" if q["number"] else q["id"]
        pts = "" if q["max_points"] is None else \
            f" ({_num(q['max_points'])} point{'' if q['max_points'] == 1 else 's'})"
        key = f'<div class="prompt key"><b>Reference answer:</b> {escape(q["reference"])}</div>' \
            if q.get("reference") else ""
        rows = []
        for name, answer in q["answers"].items():
            given = q["graded"].get(name)
            cell = f'<div class="answer">{escape(answer)}</div>' if answer.strip() else \
                '<span class="empty">EMPTY</span>'
            rows.append([escape(name), cell, "" if given is None else _num(given)])
        out.append(f'<section class="question" id="q-{escape(q["id"])}"><h3>{escape(title)}{pts}</h3>'
                   f'<div class="prompt">{escape(q["prompt"])}</div>{key}'
                   + _table(["submission", "answer", "points"], rows, {2}) + "</section>")
    return "".join(out)


def render(summary: dict[str, Any], *, title: str = "Grading report") -> str:
    """The HTML page for a :func:`cs231n_lin.grading.report.summarize` dictionary."""
    figs = all_figures(summary)
    body = (_scores(summary, figs) + _bugs(summary, figs) + _tests(summary, figs) + _perf(summary, figs)
            + _limits(summary) + _written(summary))
    return PAGE.substitute(title=escape(title), body=body)


__all__ = ["render"]
