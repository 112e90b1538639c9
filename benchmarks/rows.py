"""One result row of the benchmark table, and the table's text form."""

from __future__ import annotations

import math
import operator

_OPS = {">=": operator.ge, "<=": operator.le, "<": operator.lt}


def ratio_row(row_id: str, label: str, value: float | None, op: str | None, target: float | None,
              *, unit: str = "x", **details) -> dict:
    """A row: ``value`` (a ratio unless ``unit`` says otherwise), its target and whether it is met.

    ``value`` is ``None`` when the measurement is not available (then ``met`` is ``None``).
    """
    met = None
    if op is not None and value is not None and math.isfinite(value):
        met = bool(_OPS[op](value, target))
    return {
        "id": row_id, "label": label, "value": value, "unit": unit,
        "target": None if op is None else {"op": op, "value": target},
        "met": met, "details": details,
    }


def format_table(rows: list[dict]) -> str:
    """The rows as a fixed-width text table: measurement, value, target, met."""
    width = max(len(r["label"]) for r in rows)
    header = f"{'measurement':<{width}}  {'value':>12}  {'target':>8}  met"
    lines = [header, "-" * len(header)]
    for r in rows:
        if r["value"] is None:
            value = r["details"].get("reason", "n/a")
        elif r["unit"] == "x":
            value = f"{r['value']:.3g}x" if r["value"] >= 10 else f"{r['value']:.2f}x"
        else:
            value = f"{r['value']:.4g} {r['unit']}"
        target = "" if r["target"] is None else f"{r['target']['op']} {r['target']['value']:g}"
        met = {True: "yes", False: "NO", None: ""}[r["met"]]
        lines.append(f"{r['label']:<{width}}  {value:>12}  {target:>8}  {met}")
    return "\n".join(lines)
