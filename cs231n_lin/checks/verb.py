"""``cs231n-lin check [PART] [--json]``: the visible checks of a student's copy, with points.

Plans the checks (package checks of :mod:`cs231n_lin.checks.points`, then every check cell
of the notebooks), runs the student's code in one subprocess (:mod:`cs231n_lin.checks.runner`)
with a time limit per check, and reports: first the next thing to write in notebook order,
then failures with their likely cause, then points per part.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cs231n_lin.checks.cells import (
    cell_source,
    is_check_cell,
    is_solution_cell,
    named_check_call,
    section_heading,
)
from cs231n_lin.checks.points import PACKAGE_PARTS, Part, part_for_notebook

__all__ = ["Planned", "find_root", "main", "plan", "run"]

PER_CHECK_SECONDS = 20.0


@dataclass
class Planned:
    """One check to run and where a student finds it."""

    id: str
    part: str
    title: str
    check: str | None = None          # named check, if any
    target: str | None = None         # package checks: "module:attr"
    notebook: str | None = None       # notebook file name where it is asked (if any)
    section: str = ""
    cell_index: int | None = None
    order: tuple[int, int] = (99, 0)  # notebook order
    result: dict[str, Any] | None = None

    @property
    def where(self) -> str:
        if self.notebook:
            return f'notebooks/{self.notebook}, section "{self.section}"' if self.section else \
                f"notebooks/{self.notebook}"
        return ""


@dataclass
class Plan:
    root: Path
    parts: list[Part]
    items: list[Planned] = field(default_factory=list)


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The student's copy: ``start`` (or the working directory) or a parent holding ``cs231n_lin/``."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "cs231n_lin" / "__init__.py").is_file() and (d / "notebooks").is_dir():
            return d
    if start is not None:
        raise ValueError(f"{here} is not a copy of the assignment (no cs231n_lin/ and notebooks/ in it)")
    raise ValueError("run this inside your copy of the assignment (the folder with cs231n_lin/ and "
                     "notebooks/), or pass --root DIR")


def _load_notebook(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh).get("cells", [])


_UNREADABLE: list[dict[str, Any]] = []      # marks a notebook file that cannot be read


def _cells_or_none(path: Path) -> list[dict[str, Any]] | None:
    try:
        return _load_notebook(path) if path.is_file() else None
    except (json.JSONDecodeError, UnicodeDecodeError, OSError):
        return _UNREADABLE


def _answered(cells: list[dict[str, Any]] | None, ids: set[str]) -> int:
    """How many of the solution cells ``ids`` are written in ``cells`` (-1: no notebook; an
    unreadable notebook counts as the most written, so that its error is reported, not hidden)."""
    if cells is None:
        return -1
    if cells is _UNREADABLE:
        return 10**6
    return sum(1 for c in cells if c.get("cell_type") == "code" and c.get("id") in ids
               and "NotImplementedError" not in cell_source(c))


def student_notebooks(root: Path) -> list[Path]:
    """The notebooks the student works in: for each lesson the English ``notebooks/NN_*.ipynb``
    or the Chinese ``notebooks/zh/NN_*.ipynb`` (same cell ids), whichever has more solution cells
    written (English on a tie)."""
    return [path for path, _ in _choices(root)]


def _choices(root: Path) -> list[tuple[Path, int]]:
    """:func:`student_notebooks`, each with its number of solution cells written."""
    folder = root / "notebooks"
    names = sorted({p.name for p in folder.glob("[0-9][0-9]_*.ipynb")}
                   | {p.name for p in (folder / "zh").glob("[0-9][0-9]_*.ipynb")})
    chosen = []
    for name in names:
        en, zh = folder / name, folder / "zh" / name
        en_cells, zh_cells = _cells_or_none(en), _cells_or_none(zh)
        ids = {c.get("id") for cells in (en_cells or [], zh_cells or []) for c in cells
               if is_solution_cell(c)}
        n_en, n_zh = _answered(en_cells, ids), _answered(zh_cells, ids)
        chosen.append((zh, n_zh) if zh.is_file() and (not en.is_file() or n_zh > n_en) else (en, n_en))
    return chosen


def plan(root: Path, part: str | None = None) -> Plan:
    """Every visible check of the copy at ``root`` (only those of ``part`` when given)."""
    from cs231n_lin import checks

    notebooks = student_notebooks(root)
    nb_parts = [part_for_notebook(p.name) for p in notebooks]
    parts = [*PACKAGE_PARTS, *nb_parts]
    names = {p.name for p in parts} | {f"nb{p.name}" for p in nb_parts}
    if part is not None and part not in names and not any(p.notebook and p.notebook.startswith(part)
                                                          for p in nb_parts):
        raise ValueError(f"unknown part {part!r}; the parts are: {', '.join(p.name for p in parts)}")
    items: list[Planned] = []
    asked: dict[str, tuple[str, str, tuple[int, int]]] = {}     # package check -> where it is asked
    for k, path in enumerate(notebooks):
        rel = path.relative_to(root / "notebooks").as_posix()      # NN_name.ipynb or zh/NN_name.ipynb
        try:
            cells = _load_notebook(path)
        except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
            items.append(Planned(id=f"{path.name}:unreadable", part=path.name[:2], title="the notebook opens",
                                 notebook=rel, order=(k, 0), result={
                                     "name": path.name, "title": "the notebook opens", "passed": False,
                                     "not_written": False, "failures": [{
                                         "what": f"notebooks/{rel} cannot be read ({exc}); restore it "
                                                 "from your last saved version", "details": "",
                                         "likely_cause": None, "key": "notebook_unreadable"}]}))
            continue
        for i, cell in enumerate(cells):
            if not is_check_cell(cell):
                continue
            name = named_check_call(cell)
            section = section_heading(cells, i)
            if name in checks.PACKAGE_CHECKS:
                asked.setdefault(name, (rel, section, (k, i)))
                continue
            title = getattr(getattr(checks, name, None), "title", None) if name else None
            items.append(Planned(id=f"{path.name}:{cell.get('id') or i}", part=path.name[:2],
                                 title=title or f'check cell in "{section or path.name}"', check=name,
                                 notebook=rel, section=section, cell_index=i, order=(k, i)))
    for p in PACKAGE_PARTS:
        for pc in p.checks:
            nb, section, order = asked.get(pc.check, (None, "", (len(notebooks), len(items))))
            title = getattr(checks, pc.check).title
            items.append(Planned(id=pc.key, part=p.name, title=title, check=pc.check, target=pc.target,
                                 notebook=nb, section=section, order=order))
    items.sort(key=lambda it: it.order)
    if part is not None:
        wanted = part[2:] if part.startswith("nb") else part
        package = {p.name for p in PACKAGE_PARTS}
        items = [it for it in items
                 if it.part == wanted or (Path(it.notebook or "").name.startswith(part)
                                          and it.part not in package)]
        parts = [p for p in parts if p.name == wanted or (p.notebook or "").startswith(part)]
    return Plan(root=root, parts=parts, items=items)


def _runner_input(items: list[Planned], root: Path) -> dict[str, Any]:
    package = [{"id": it.id, "check": it.check, "target": it.target} for it in items if it.target]
    by_nb: dict[str, list] = {}
    for it in items:
        if not it.target:
            by_nb.setdefault(it.notebook, []).append([it.cell_index, it.id])
    notebooks = [{"path": str(root / "notebooks" / nb), "cells": cells} for nb, cells in by_nb.items()]
    return {"package": package, "notebooks": notebooks}


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run_once(items: list[Planned], root: Path, per_check: float) -> list[Planned]:
    """Run ``items`` in one runner process; returns the items left when a check had to be stopped."""
    todo = {it.id: it for it in items if it.result is None}
    if not todo:
        return []
    proc = subprocess.Popen([sys.executable, "-m", "cs231n_lin.checks.runner"], cwd=root, env=_env(root),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stdout] + [lines.put(None)],
                     daemon=True).start()
    proc.stdin.write(json.dumps(_runner_input(list(todo.values()), root)))
    proc.stdin.close()
    current: str | None = None
    deadline = time.monotonic() + max(60.0, per_check * 3)   # loading numpy and scikit-learn
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "start" in event:
                current = event["start"]
                deadline = time.monotonic() + per_check
            elif "id" in event and event["id"] in todo:
                todo[event["id"]].result = event["result"]
                current = None
                deadline = time.monotonic() + max(60.0, per_check * 3)   # cells between two checks
            elif event.get("done"):
                break
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, 9)
            except ProcessLookupError:
                pass
        proc.wait()
    left = [it for it in todo.values() if it.result is None]
    if current is not None and current in todo and todo[current].result is None:
        it = todo[current]
        it.result = {"name": it.check or it.id, "title": it.title, "passed": False, "not_written": False,
                     "failures": [{"what": f"did not finish within {per_check:g} s (an endless loop?)",
                                   "details": "", "likely_cause": None, "key": "timeout"}]}
        stuck_nb = it.notebook if not it.target else None
        for other in left:
            if other is not it and stuck_nb and not other.target and other.notebook == stuck_nb:
                other.result = {"name": other.check or other.id, "title": other.title, "passed": False,
                                "not_written": False, "failures": [{
                                    "what": "not run: a check above it in the notebook did not finish",
                                    "details": "", "likely_cause": None, "key": "timeout"}]}
        return [x for x in left if x.result is None]
    for it in left:                                       # the runner died without saying why
        it.result = {"name": it.check or it.id, "title": it.title, "passed": False, "not_written": False,
                     "failures": [{"what": "not run: the check process stopped (out of memory, or your "
                                   "code exited Python?)", "details": "", "likely_cause": None, "key": None}]}
    return []


def run(p: Plan, *, per_check: float = PER_CHECK_SECONDS) -> Plan:
    """Run every planned check, restarting the runner after a check that had to be stopped."""
    left = list(p.items)
    for _ in range(len(left) + 1):
        left = _run_once(left, p.root, per_check)
        if not left:
            break
    return p


def report_lang(root: Path, lang: str | None = None) -> str:
    """The language of the report: ``lang``, else CS231N_LIN_LANG or a cs231n-lin.cfg (from the
    working directory or ``root`` up), else Chinese when most notebooks with answers are Chinese."""
    from cs231n_lin import i18n

    if lang is not None:
        return i18n.validate_lang(lang)
    if os.environ.get(i18n.LANG_ENV, "").strip():
        return i18n.current_lang()
    found = i18n.lang_of_folder(Path.cwd()) or i18n.lang_of_folder(root)
    if found:
        return found
    worked = [path for path, answered in _choices(root) if answered > 0]
    zh = sum(1 for nb in worked if nb.parent.name == "zh")
    return "zh" if 2 * zh > len(worked) else "en"


def main(*, root: str | os.PathLike | None = None, part: str | None = None, as_json: bool = False,
         per_check: float = PER_CHECK_SECONDS, lang: str | None = None) -> int:
    """Run the checks and print the report; exit status 0 when every visible check passes."""
    from cs231n_lin import i18n
    from cs231n_lin.checks.report import format_report, to_json

    r = find_root(root)
    chosen = report_lang(r, lang)
    saved = os.environ.get(i18n.LANG_ENV)
    os.environ[i18n.LANG_ENV] = chosen            # the check process answers in the same language
    try:
        with i18n.using_lang(chosen):
            p = run(plan(r, part), per_check=per_check)
            data = to_json(p)
            text = json.dumps(data) if as_json else format_report(p, data)
    finally:
        if saved is None:
            os.environ.pop(i18n.LANG_ENV, None)
        else:
            os.environ[i18n.LANG_ENV] = saved
    print(text)
    return 0 if data["all_passed"] else 1
