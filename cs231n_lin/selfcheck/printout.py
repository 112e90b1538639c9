"""Scoring and printout of ``cs231n-lin check``: one screen, the first unfinished task first.

Points are the task table's (:mod:`cs231n_lin.tasks`): a code task earns its points when its
check passes; written answers (marked by hand) and speed (measured by the grader) count in the
maximum, so that ``max_score`` is the grader's. Only what the student has reached is reported
as a failure with its cause: the first unfinished task in notebook order, and tasks after it
that are already written and fail (named, without their cause, until the student gets there).
"""

from __future__ import annotations

from typing import Any

from cs231n_lin import tasks
from cs231n_lin.checks.messages_zh import lesson_cause_zh, translate_what
from cs231n_lin.i18n import current_lang, tr

__all__ = ["format_report", "to_json"]

MAX_LATER_SHOWN = 5


def _passed(it) -> bool:
    return bool(it.result and it.result.get("passed"))


def _failure(it) -> dict[str, Any]:
    res = it.result or {}
    fs = res.get("failures") or [{"what": "failed", "details": "", "likely_cause": None}]
    if res.get("not_written"):
        fs = [f for f in fs if f["what"].startswith("not written yet")][:1] or fs[:1]
    keyed = next((f for f in fs if f.get("likely_cause")), None)
    cause, what = (keyed or {}).get("likely_cause"), fs[0]["what"]
    details = fs[0].get("details", "")
    if current_lang() == "zh":
        what, cause = translate_what(what), lesson_cause_zh((keyed or {}).get("key"), cause)
        details = translate_what(details)
    return {"check": it.id, "title": str(it.task.title), "part": it.task.lesson, "notebook": it.notebook,
            "section": it.section, "what": what, "details": details, "likely_cause": cause,
            "key": (keyed or fs[0]).get("key"), "not_written": bool(res.get("not_written")),
            "points": it.task.points}


def to_json(p) -> dict[str, Any]:
    """The report as a JSON-ready dict.

    Keys: ``score`` and ``max_score`` (the grader's maximum for the selected tasks), ``parts`` (per
    notebook: ``name``, ``title``, ``score``, ``max_score``, ``passed``, ``checks``), ``failures``
    (every code task that does not pass, in notebook order: ``check`` (the task id), ``title``,
    ``part``, ``notebook``, ``section``, ``what``, ``details``, ``likely_cause``, ``not_written``),
    ``next`` (the first of them, or None), ``written`` (``points``, ``answers``, ``empty``),
    ``speed_points``, ``notes`` and ``all_passed``.
    """
    code = [it for it in p.items if it.task.kind == "code"]
    failures = [_failure(it) for it in code if not _passed(it)]
    parts = []
    for lesson in dict.fromkeys(it.task.lesson for it in p.items):
        mine = [it for it in p.items if it.task.lesson == lesson]
        judged = [it for it in mine if it.task.kind == "code"]
        parts.append({"name": lesson, "title": mine[0].notebook or mine[0].task.notebook,
                      "score": round(sum(it.task.points for it in judged if _passed(it)), 2),
                      "max_score": round(sum(it.task.points for it in mine), 2),
                      "passed": sum(1 for it in judged if _passed(it)), "checks": len(judged)})
    written = [it for it in p.items if it.task.kind == "written"]
    return {
        "score": round(sum(it.task.points for it in code if _passed(it)), 2),
        "max_score": round(sum(t.points for t in p.selected), 2),
        "parts": parts,
        "next": failures[0] if failures else None,
        "failures": failures,
        "written": {"points": round(sum(it.task.points for it in written), 2), "answers": len(written),
                    "empty": sum(1 for it in written if it.empty)},
        "speed_points": round(sum(it.task.points for it in p.items if it.task.kind == "speed"), 2),
        "notes": list(p.notes),
        "all_passed": not failures,
    }


def _where(f: dict[str, Any]) -> str:
    if not f.get("notebook"):
        return ""
    sec = f' > "{f["section"]}"' if f.get("section") else ""
    return f"notebooks/{f['notebook']}{sec}"


def format_report(p, data: dict[str, Any]) -> str:
    """The human-readable report (about one screen)."""
    judged = sum(t.points for t in p.selected if t.kind == "code")
    lines = [tr(f"cs231n-lin check: {data['score']:g} / {data['max_score']:g} points "
                f"({data['score']:g} / {judged:g} on the visible checks; hidden tests run at grading)",
                f"cs231n-lin check：{data['score']:g} / {data['max_score']:g} 分"
                f"（可见检查 {data['score']:g} / {judged:g}；隐藏测试在评分时运行）")]
    lines += [tr(f"Note: {n}", f"注意：{n}") for n in data["notes"]]
    nxt = data["next"]
    if data["all_passed"]:
        lines.append(tr("All visible checks pass.", "所有可见检查都已通过。"))
    elif nxt:
        head = (tr("Next thing to write: ", "下一步要写：") if nxt["not_written"]
                else tr("Next thing to fix: ", "下一步要修正："))
        lines += ["", f"{head}{nxt['title']}"]
        if _where(nxt):
            lines.append(tr(f"  in {_where(nxt)}", f"  位置：{_where(nxt)}"))
        lines.append(f"  {nxt['what']}")
        if nxt.get("details"):
            lines.append(f"    {nxt['details']}")
        if nxt.get("likely_cause"):
            lines.append(tr(f"  Likely cause: {nxt['likely_cause']}", f"  可能的原因：{nxt['likely_cause']}"))
        later = data["failures"][1:]
        wrong = [f for f in later if not f["not_written"]]
        todo = [f for f in later if f["not_written"]]
        if todo:
            shown = ", ".join(f["title"].split(":")[0] for f in todo[:MAX_LATER_SHOWN])
            more = " ..." if len(todo) > MAX_LATER_SHOWN else ""
            lines.append(tr(f"Then {len(todo)} more to write: {shown}{more}",
                            f"之后还有 {len(todo)} 项要写：{shown}{more}"))
        if wrong:
            lines.append(tr(f"Written further on and not passing yet ({len(wrong)}; they come after the "
                            "one above):", f"后面已写但尚未通过的（{len(wrong)} 项，在上面那一项之后）："))
            lines += [f"  - {f['title']}" + (f"  ({_where(f)})" if _where(f) else "")
                      for f in wrong[:MAX_LATER_SHOWN]]
    w = data["written"]
    if w["answers"]:
        lines += ["", tr(f"To be marked by hand: {w['points']:g} points for {w['answers']} written answers, "
                         f"{w['empty']} still empty.",
                         f"人工评分：{w['answers']} 个书面回答共 {w['points']:g} 分，"
                         f"其中 {w['empty']} 个还是空的。")]
    if data["speed_points"]:
        lines.append(tr(f"Measured by the grader: {data['speed_points']:g} points for the speed of the "
                        "vectorized losses.",
                        f"由评分程序测量：向量化损失的速度，共 {data['speed_points']:g} 分。"))
    lines += ["", tr("Points per notebook (visible checks):", "各 notebook 得分（可见检查）：")]
    for part in data["parts"]:
        lines.append(f"  {part['name']:<4} {part['score']:>6g} / {part['max_score']:<4g} "
                     + tr(f"({part['passed']}/{part['checks']} checks)",
                          f"（{part['passed']}/{part['checks']} 项检查）")
                     + f"  {part['title']}")
    return "\n".join(lines)


def max_points() -> float:
    """The maximum of ``check`` and ``grade``: the task table's."""
    return tasks.max_points()
