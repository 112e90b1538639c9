"""What to re-teach: each diagnosed mistake with every point it cost, its students and its lesson section.

Read from ``results.json`` files and the reference notebooks only (never the grader's internals):

- a diagnosis (``extra_data["diagnoses"]``: ``key``, ``function``) is labelled in words by the
  sentence :mod:`cs231n_lin.checks.messages` holds under its key (:func:`label`);
- the tests it cost points in are the failed tests of the diagnosed submission that use the
  diagnosed function: its own hidden tests, those of the estimators trained with it (``LinearSVM``
  is fitted with the loss the registry names for it, so a loss bug also costs ``fit`` points), and
  the notebook check cells that call any of these (:class:`Lessons`);
- its section is the heading above the first check cell that calls the function;
- a failed test that no diagnosis of its submission explains is listed under "without a diagnosis",
  grouped by test, so that no lost point disappears from the report.
"""

from __future__ import annotations

import ast
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cs231n_lin.checks.cells import cell_source, is_check_cell, section_heading

#: diagnosis keys that say the code is unfinished (not written, or raised), not which mistake it makes
UNFINISHED_KEYS = frozenset({"not_implemented", "error"})
_UNFINISHED_WORDS = {"not_implemented": "not implemented yet (it raises NotImplementedError)",
                     "error": "raises an error when called"}
_CHECK_CELL = re.compile(r"^(?P<nb>.+?): check cell (?P<k>\d+)(?: \(cell id (?P<id>[^)]+)\))?$")
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")
_GENERIC = {"what": "loss", "function": "function", "N": "N", "NC": "N * C", "N2": "N ** 2",
            "delta": "delta", "be": "is", "it": "matches", "it_matches": "it matches", "counts": "counts",
            "subtracts": "subtracts", "uses": "uses"}


def names_in(source: str) -> set[str]:
    """The names and attribute names a cell's code uses (IPython magics and shell lines skipped);
    every identifier-like word when the code does not parse."""
    code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(re.findall(r"\b[A-Za-z_]\w*\b", source))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, ast.Attribute):
            out.add(node.attr)
    return out


def label(key: str) -> str:
    """The mistake in words: the first clause of its sentence in :mod:`~cs231n_lin.checks.messages`,
    with the per-submission numbers left out (``"avg_sum"`` -> ``"Your loss is not averaged over the
    examples"``)."""
    if key in _UNFINISHED_WORDS:
        return _UNFINISHED_WORDS[key]
    from cs231n_lin.checks.messages import MESSAGES

    template = MESSAGES.get(key)
    if template is None:
        return key.replace("_", " ").replace(".", ": ")
    text = template.replace("{cls}.", "").replace("{{", "{").replace("}}", "}")
    text = _PLACEHOLDER.sub(lambda m: _GENERIC.get(m[1], "…"), text)
    cut = min((i for i in (text.find(": "), text.find(". ")) if i > 0), default=len(text))
    return text[:cut].strip().rstrip(".") or key


def check_cell_id(test_name: str) -> tuple[str, str] | None:
    """``(notebook stem, cell id)`` of a check cell's test name, else ``None``."""
    m = _CHECK_CELL.match(test_name)
    return (m["nb"], m["id"] or f"#{m['k']}") if m else None


def estimator_losses() -> dict[str, str]:
    """Estimator name -> the vectorized loss function its ``fit`` calls (from the loss registry)."""
    from cs231n_lin.classifiers import linear_classifier as lc
    from cs231n_lin.classifiers.registry import get_loss

    out = {}
    for cls in (lc.LinearSVM, lc.Softmax):
        spec = get_loss(cls().loss_name)
        target = spec.vectorized
        if isinstance(target, str):
            out[cls.__name__] = target.rsplit(":", 1)[-1]
    return out


@dataclass
class Lessons:
    """The reference notebooks' check cells: their headings, and which functions each one calls."""

    headings: dict[tuple[str, str], str] = field(default_factory=dict)   # (stem, cell id) -> heading
    calls: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (stem, cell id) -> names
    order: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_notebooks(cls, notebooks_dir: str | Path | None) -> Lessons:
        out = cls()
        if notebooks_dir is None or not Path(notebooks_dir).is_dir():
            return out
        for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
            try:
                cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            except (OSError, ValueError):
                continue
            k = 0
            for i, cell in enumerate(cells):
                if not is_check_cell(cell):
                    continue
                k += 1
                cid = str(cell.get("id") or f"#{k}")
                key = (path.stem, cid)
                out.order.append(key)
                out.headings[key] = section_heading(cells, i) or path.stem
                out.calls[key] = names_in(cell_source(cell))
        return out

    def section(self, test_name: str) -> str:
        """``"<notebook> — <heading>"`` of a check cell's test name (the name itself otherwise)."""
        where = check_cell_id(test_name)
        if where is None or where not in self.headings:
            return test_name
        return f"{where[0]} — {self.headings[where]}"

    def sections_for(self, functions: set[str]) -> list[str]:
        """The sections (notebook — heading) of the check cells that call any of ``functions``."""
        out: list[str] = []
        for key in self.order:
            if self.calls[key] & functions:
                text = f"{key[0]} — {self.headings[key]}"
                if text not in out:
                    out.append(text)
        return out

    def cells_using(self, functions: set[str]) -> set[tuple[str, str]]:
        return {key for key in self.order if self.calls[key] & functions}


def _part(test_name: str) -> str:
    return test_name.split(": ", 1)[0].strip()


def _lost(t: Mapping[str, Any]) -> float:
    return max(0.0, float(t.get("max_score", 0.0)) - float(t.get("score", 0.0)))


def reteach(results: Mapping[str, dict], lessons: Lessons) -> dict[str, list[dict]]:
    """``{"mistakes": [...], "undiagnosed": [...]}`` (see the module docstring).

    Each mistake: ``key``, ``function``, ``label``, ``unfinished``, ``count``, ``share``,
    ``submissions``, ``points_lost`` (summed over its submissions), ``tests`` (test name ->
    ``{"failed", "points_lost"}``), ``sections``, ``example`` (one stored message). Each undiagnosed
    group: ``test``, ``section``, ``count``, ``submissions``, ``points_lost``.
    """
    users = defaultdict(set)                      # function -> functions whose tests it can fail
    for est, loss in estimator_losses().items():
        users[loss].add(est)
    n = max(1, len(results))
    rows: dict[tuple[str, str], dict] = {}
    loose: dict[str, dict] = {}
    for name, data in results.items():
        failed = {str(t.get("name", "")): _lost(t) for t in data.get("tests", [])
                  if _lost(t) > 1e-9 and ": written answer " not in str(t.get("name", ""))}
        explained: set[str] = set()
        for d in (data.get("extra_data") or {}).get("diagnoses", []):
            key, fn = str(d.get("key", "")), str(d.get("function", ""))
            reach = {fn} | users[fn]
            cells = lessons.cells_using(reach)
            hit = {t: pts for t, pts in failed.items() if _part(t) in reach or check_cell_id(t) in cells}
            explained |= set(hit)
            row = rows.setdefault((key, fn), {
                "key": key, "function": fn, "label": label(key), "unfinished": key in UNFINISHED_KEYS,
                "submissions": [], "tests": {}, "points_lost": 0.0, "example": str(d.get("message", "")),
                "sections": lessons.sections_for({fn})})
            if name in row["submissions"]:
                continue
            row["submissions"].append(name)
            for t, pts in hit.items():
                cell = row["tests"].setdefault(t, {"failed": 0, "points_lost": 0.0})
                cell["failed"] += 1
                cell["points_lost"] = round(cell["points_lost"] + pts, 6)
            row["points_lost"] = round(row["points_lost"] + sum(hit.values()), 6)
        for t, pts in failed.items():
            if t in explained:
                continue
            group = loose.setdefault(t, {"test": t, "section": lessons.section(t), "submissions": [],
                                         "points_lost": 0.0})
            group["submissions"].append(name)
            group["points_lost"] = round(group["points_lost"] + pts, 6)
    mistakes = []
    for row in rows.values():
        row["count"] = len(row["submissions"])
        row["share"] = round(row["count"] / n, 4)
        row["submissions"].sort()
        row["tests"] = dict(sorted(row["tests"].items(), key=lambda kv: (-kv[1]["failed"], kv[0])))
        mistakes.append(row)
    mistakes.sort(key=lambda r: (r["unfinished"], -r["count"], -r["points_lost"], r["key"], r["function"]))
    undiagnosed = sorted(loose.values(), key=lambda g: (-len(g["submissions"]), g["test"]))
    for g in undiagnosed:
        g["count"] = len(g["submissions"])
        g["submissions"].sort()
    return {"mistakes": mistakes, "undiagnosed": undiagnosed}


__all__ = ["Lessons", "UNFINISHED_KEYS", "check_cell_id", "estimator_losses", "label", "names_in", "reteach"]
