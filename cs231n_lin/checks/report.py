"""Scoring and the printout of ``cs231n-lin check``: one screen, the next thing to write first."""

from __future__ import annotations

from typing import Any

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
        failures.append({"check": it.check or it.id, "title": it.title, "part": it.part,
                         "notebook": it.notebook, "section": it.section, "what": fs[0]["what"],
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


def format_report(p, data: dict[str, Any]) -> str:
    """The human-readable report (about one screen)."""
    lines = [f"cs231n-lin check: {data['score']:g} / {data['max_score']:g} points on the visible checks "
             "(hidden tests run at grading)"]
    if data["all_passed"]:
        lines.append("All visible checks pass.")
    nxt = data["next"]
    if nxt:
        what = nxt["what"].removeprefix("not written yet: ")
        lines += ["", f"Next thing to write: {what}"]
        if _where(nxt):
            lines.append(f"  asked in {_where(nxt)}")
        first = what.split(" in ")[0]
        names = [f["what"].removeprefix("not written yet: ").split(" in ")[0]
                 for f in data["failures"] if f["not_written"]]
        rest = [n for n in dict.fromkeys(names) if n != first]
        if rest:
            shown = ", ".join(rest[:5])
            lines.append(f"  then {len(rest)} more: {shown}{' ...' if len(rest) > 5 else ''}")
    wrong = [f for f in data["failures"] if not f["not_written"]]
    if wrong:
        lines += ["", f"To fix ({len(wrong)}):"]
        for f in wrong[:MAX_FAILURES_SHOWN]:
            where = _where(f)
            lines.append(f"  FAIL [{f['part']}] {f['title']}" + (f"  ({where})" if where else ""))
            lines.append(f"    {f['what']}")
            if f.get("details"):
                lines.append(f"    {f['details']}")
            if f.get("likely_cause"):
                lines.append(f"    Likely cause: {f['likely_cause']}")
        if len(wrong) > MAX_FAILURES_SHOWN:
            lines.append(f"  ... and {len(wrong) - MAX_FAILURES_SHOWN} more: run `cs231n-lin check PART` "
                         "for one part")
    lines += ["", "Points per part:"]
    for part in data["parts"]:
        lines.append(f"  {part['name']:<8} {part['score']:>6g} / {part['max_score']:<4g} "
                     f"({part['passed']}/{part['checks']} checks)  {part['title']}")
    return "\n".join(lines)
