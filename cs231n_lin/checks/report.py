"""Scoring and the printout of ``cs231n-lin check``: one screen, the next thing to write first."""

from __future__ import annotations

from typing import Any

from cs231n_lin.checks.messages_zh import TITLES_ZH, lesson_cause_zh, translate_what
from cs231n_lin.i18n import current_lang, tr

__all__ = ["format_report", "to_json"]

MAX_FAILURES_SHOWN = 4


def _score(p) -> list[dict[str, Any]]:
    parts = []
    for part in p.parts:
        items = [it for it in p.items if it.part == part.name]
        if not items:
            continue
        passed = sum(1 for it in items if it.result and it.result["passed"])
        score = round(part.points * passed / len(items), 2)
        parts.append({"name": part.name, "title": part.title, "score": score, "max_score": part.points,
                      "passed": passed, "checks": len(items)})
    return parts


def to_json(p) -> dict[str, Any]:
    """The report as a JSON-ready dict.

    Keys: ``score``, ``max_score`` (numbers), ``parts`` (each ``name``, ``title``, ``score``,
    ``max_score``, ``passed``, ``checks``), ``failures`` (one per failing check, in notebook order,
    each ``check``, ``title``, ``part``, ``notebook``, ``section``, ``what`` (the first thing that
    failed), ``details``, ``likely_cause`` (None when unknown) and ``not_written``), ``next``
    (the first failure that is "not written yet", or None) and ``all_passed``.
    """
    parts = _score(p)
    failures = []
    for it in p.items:
        res = it.result or {}
        if res.get("passed"):
            continue
        fs = res.get("failures") or [{"what": "failed", "details": "", "likely_cause": None}]
        if res.get("not_written"):
            fs = [f for f in fs if f["what"].startswith("not written yet")][:1] or fs[:1]
        cause = next((f["likely_cause"] for f in fs if f.get("likely_cause")), None)
        title, what = it.title, fs[0]["what"]
        if current_lang() == "zh":                      # the same report in Chinese
            key = next((f.get("key") for f in fs if f.get("likely_cause")), None)
            title, what = TITLES_ZH.get(it.check or "", title), translate_what(what)
            cause = lesson_cause_zh(key, cause)
        failures.append({"check": it.check or it.id, "title": title, "part": it.part,
                         "notebook": it.notebook, "section": it.section, "what": what,
                         "details": fs[0].get("details", ""), "likely_cause": cause,
                         "not_written": bool(res.get("not_written"))})
    still = [f for f in failures if f["not_written"]]
    return {
        "score": round(sum(x["score"] for x in parts), 2),
        "max_score": round(sum(x["max_score"] for x in parts), 2),
        "parts": parts,
        "next": still[0] if still else None,
        "failures": failures,
        "all_passed": not failures,
    }


def _where(f: dict[str, Any]) -> str:
    if not f.get("notebook"):
        return ""
    sec = f' > "{f["section"]}"' if f.get("section") else ""
    return f"notebooks/{f['notebook']}{sec}"


def _name_of(what: str) -> str:
    """The thing still to write, from a "not written yet" line in either language."""
    for prefix in ("not written yet: ", "尚未完成："):
        what = what.removeprefix(prefix)
    return what


def format_report(p, data: dict[str, Any]) -> str:
    """The human-readable report (about one screen)."""
    lines = [tr(f"cs231n-lin check: {data['score']:g} / {data['max_score']:g} points on the visible checks "
                "(hidden tests run at grading)",
                f"cs231n-lin check：可见检查得分 {data['score']:g} / {data['max_score']:g}"
                "（隐藏测试在评分时运行）")]
    if data["all_passed"]:
        lines.append(tr("All visible checks pass.", "所有可见检查都已通过。"))
    nxt = data["next"]
    if nxt:
        what = _name_of(nxt["what"])
        lines += ["", tr(f"Next thing to write: {what}", f"下一步要写：{what}")]
        if _where(nxt):
            lines.append(tr(f"  asked in {_where(nxt)}", f"  在 {_where(nxt)} 中"))
        first = what.split(" in ")[0]
        names = [_name_of(f["what"]).split(" in ")[0] for f in data["failures"] if f["not_written"]]
        rest = [n for n in dict.fromkeys(names) if n != first]
        if rest:
            shown = ", ".join(rest[:5])
            more = " ..." if len(rest) > 5 else ""
            lines.append(tr(f"  then {len(rest)} more: {shown}{more}",
                            f"  然后还有 {len(rest)} 个：{shown}{more}"))
    wrong = [f for f in data["failures"] if not f["not_written"]]
    if wrong:
        lines += ["", tr(f"To fix ({len(wrong)}):", f"要修正的（{len(wrong)} 个）：")]
        for f in wrong[:MAX_FAILURES_SHOWN]:
            where = _where(f)
            lines.append(f"  FAIL [{f['part']}] {f['title']}" + (f"  ({where})" if where else ""))
            lines.append(f"    {f['what']}")
            if f.get("details"):
                lines.append(f"    {f['details']}")
            if f.get("likely_cause"):
                lines.append(tr(f"    Likely cause: {f['likely_cause']}",
                                f"    可能的原因：{f['likely_cause']}"))
        if len(wrong) > MAX_FAILURES_SHOWN:
            extra = len(wrong) - MAX_FAILURES_SHOWN
            lines.append(tr(f"  ... and {extra} more: run `cs231n-lin check PART` for one part",
                            f"  ……还有 {extra} 个：用 `cs231n-lin check PART` 只检查一部分"))
    lines += ["", tr("Points per part:", "各部分得分：")]
    for part in data["parts"]:
        lines.append(f"  {part['name']:<8} {part['score']:>6g} / {part['max_score']:<4g} "
                     + tr(f"({part['passed']}/{part['checks']} checks)",
                          f"（{part['passed']}/{part['checks']} 项检查）")
                     + f"  {part['title']}")
    return "\n".join(lines)
