"""``cs231n-lin check [PART] [--json]``: every task of the table, judged as its check cell judges it.

For each code task of :mod:`cs231n_lin.tasks` the plan runs the task's ``call`` -- the very source
of its check cell -- in one subprocess (:mod:`cs231n_lin.selfcheck.runner`) with a time limit per
check: package tasks with the package's functions, notebook tasks in the student's notebook
(found as the grader finds it: :mod:`cs231n_lin.tasks.locate`). Written answers are counted
(to be marked by hand) and speed is left to the grader, so the maximum is the grader's.
The printout is :mod:`cs231n_lin.selfcheck.printout`.
"""

from __future__ import annotations

import ast
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

from cs231n_lin import tasks
from cs231n_lin.checks.cells import cell_source, is_solution_cell
from cs231n_lin.tasks import Task, locate

__all__ = ["Item", "Plan", "find_root", "main", "package_names", "plan", "run", "student_notebooks"]

PER_CHECK_SECONDS = 20.0
_LC = "cs231n_lin.classifiers.linear_classifier"


@dataclass
class Item:
    """One task to judge and where the student finds it."""

    task: Task
    mode: str                         # "package", "notebook", "written", "speed" or "missing"
    notebook: str | None = None       # the student's notebook, relative to notebooks/ ("zh/01_x.ipynb")
    section: str = ""
    cell_index: int | None = None
    order: tuple[int, int] = (99, 0)
    result: dict[str, Any] | None = None
    empty: bool = False               # written answers: still empty

    @property
    def id(self) -> str:
        return self.task.id


@dataclass
class Plan:
    root: Path
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    selected: tuple[Task, ...] = ()


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


def _answered(cells: list[dict[str, Any]], ids: set[str]) -> int:
    """How many of the solution cells ``ids`` are written in ``cells`` (no stub left)."""
    return sum(1 for c in cells if c.get("cell_type") == "code" and c.get("id") in ids
               and "NotImplementedError" not in cell_source(c))


def choose_notebook(root: Path, name: str) -> tuple[Path | None, str, list[dict[str, Any]] | None]:
    """The student's notebook ``name``: English, Chinese (``notebooks/zh/``) or a renamed copy of
    either, whichever has the most solution cells written (the exact English name on a tie).

    Returns ``(path, note, cells)``; ``cells`` is None when the chosen file cannot be read.
    """
    candidates = (locate.notebook_candidates(root / "notebooks", name)
                  + locate.notebook_candidates(root / "notebooks" / "zh", name))
    if not candidates:
        return None, f"notebooks/{name} is not in your copy", None
    loaded, unreadable = [], []
    for path, note in candidates:
        try:
            loaded.append((path, note, locate.load_cells(path)))
        except ValueError as exc:
            loaded.append((path, note, None))
            unreadable.append(f"{path.relative_to(root).as_posix()} cannot be read ({exc}); restore it "
                              "from your last saved version")
    # the solution cells of any copy (a written cell may have lost its markers): their ids
    ids = {c.get("id") for _, _, cells in loaded for c in cells or [] if is_solution_cell(c)}
    best: tuple[Path | None, str, list | None, int] = (None, "", None, -2)
    for path, note, cells in loaded:
        score = _answered(cells, ids) if cells is not None else -1
        if score > best[3]:
            best = (path, note, cells, score)
    notes = [n for n in (best[1], *unreadable) if n and (best[2] is not None or n != best[1])]
    _ANSWERED[(root, name)] = best[3]
    return best[0], "; ".join(notes), best[2]


_ANSWERED: dict[tuple[Path, str], int] = {}        # solution cells written in the chosen notebook


def student_notebooks(root: Path) -> list[Path]:
    """The notebooks the student works in, one per lesson (see :func:`choose_notebook`)."""
    names = dict.fromkeys(t.notebook for t in tasks.TASKS)
    return [p for p in (choose_notebook(root, n)[0] for n in names) if p is not None]


def package_names(task: Task) -> dict[str, str]:
    """``name -> "module:attr"`` for the arguments of a package task's call."""
    call = ast.parse(task.call, mode="eval").body
    modules = {w.split(":")[1].split(".")[0]: w.split(":")[0].removesuffix(".py").replace("/", ".")
               for w in task.writes if ":" in w}
    out = {}
    for arg in getattr(call, "args", []):
        if isinstance(arg, ast.Name):
            out[arg.id] = f"{modules.get(arg.id, _LC)}:{arg.id}"
    return out


def _failed(item: Item, what: str, key: str | None = None, not_written: bool = False) -> dict[str, Any]:
    return {"name": item.id, "title": str(item.task.title), "passed": False, "not_written": not_written,
            "failures": [{"what": what, "details": "", "likely_cause": None, "key": key}]}


def plan(root: Path, part: str | None = None) -> Plan:
    """Every task of the copy at ``root`` (only those of ``part`` when given), in notebook order."""
    selected = tasks.TASKS if part is None else tasks.of_part(part)
    p = Plan(root=root, selected=selected)
    for k, name in enumerate(dict.fromkeys(t.notebook for t in tasks.TASKS)):
        mine = [t for t in selected if t.notebook == name]
        if not mine:
            continue
        path, note, cells = choose_notebook(root, name)
        rel = path.relative_to(root / "notebooks").as_posix() if path else None
        if note:
            p.notes.append(note)
        answers = locate.answer_cells(cells) if cells else []
        for j, task in enumerate(mine):
            item = Item(task, "missing", notebook=rel, order=(k, 10_000 + j))
            p.items.append(item)
            if task.kind == "speed":
                item.mode = "speed"
                continue
            if task.kind == "written":
                item.mode = "written"
                n = int(task.cell[1:])
                if cells and n <= len(answers):
                    idx = answers[n - 1]
                    item.empty = locate.is_empty_answer(locate.answer_text(cells[idx]))
                    item.section, item.order = locate.heading_of(cells, idx), (k, idx)
                else:
                    item.empty = True
                continue
            idx = locate.check_cell_index(cells, task) if cells else None
            if idx is not None:
                item.cell_index, item.order = idx, (k, idx)
                item.section = locate.heading_of(cells, idx)
            package = all(":" in w for w in task.writes)
            if package:
                item.mode = "package"
            elif idx is not None:
                item.mode = "notebook"
            elif path is None:
                item.result = _failed(item, note)
            elif cells is None:
                item.result = _failed(item, f"notebooks/{rel} cannot be read: restore it from your last "
                                            "saved version", "notebook_unreadable")
            else:
                item.result = _failed(item, f"the check cell `{task.call}` is missing from notebooks/{rel}: "
                                            "put that line back in a code cell right after the code it "
                                            "checks", "cell_missing")
    p.items.sort(key=lambda it: it.order)
    return p


def _runner_input(items: list[Item], root: Path) -> dict[str, Any]:
    package = [{"id": it.id, "call": it.task.call, "names": package_names(it.task)}
               for it in items if it.mode == "package"]
    by_nb: dict[str, list] = {}
    for it in items:
        if it.mode == "notebook":
            by_nb.setdefault(it.notebook, []).append([it.cell_index, it.id])
    notebooks = [{"path": str(root / "notebooks" / nb), "cells": cells} for nb, cells in by_nb.items()]
    return {"package": package, "notebooks": notebooks}


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run_once(items: list[Item], root: Path, per_check: float) -> list[Item]:
    """Run ``items`` in one runner process; returns the items left when a check had to be stopped."""
    todo = {it.id: it for it in items if it.result is None and it.mode in ("package", "notebook")}
    if not todo:
        return []
    proc = subprocess.Popen([sys.executable, "-m", "cs231n_lin.selfcheck.runner"], cwd=root, env=_env(root),
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
        it.result = _failed(it, f"did not finish within {per_check:g} s (an endless loop?)", "timeout")
        for other in left:
            if other is not it and it.mode == "notebook" and other.notebook == it.notebook:
                other.result = _failed(other, "not run: a check above it in the notebook did not finish",
                                       "timeout")
        return [x for x in left if x.result is None]
    for it in left:                                       # the runner died without saying why
        it.result = _failed(it, "not run: the check process stopped (out of memory, or your code exited "
                                "Python?)")
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
    working directory or ``root`` up), else Chinese when most chosen notebooks are Chinese."""
    from cs231n_lin import i18n

    if lang is not None:
        return i18n.validate_lang(lang)
    if os.environ.get(i18n.LANG_ENV, "").strip():
        return i18n.current_lang()
    found = i18n.lang_of_folder(Path.cwd()) or i18n.lang_of_folder(root)
    if found:
        return found
    worked = []                                   # the chosen notebooks that have answers
    for name in dict.fromkeys(t.notebook for t in tasks.TASKS):
        path = choose_notebook(root, name)[0]
        if path is not None and _ANSWERED.get((root, name), 0) > 0:
            worked.append(path)
    zh = sum(1 for nb in worked if nb.parent.name == "zh")
    return "zh" if worked and 2 * zh > len(worked) else "en"


def main(*, root: str | os.PathLike | None = None, part: str | None = None, as_json: bool = False,
         per_check: float = PER_CHECK_SECONDS, lang: str | None = None) -> int:
    """Run the checks and print the report; exit status 0 when every visible check passes."""
    from cs231n_lin import i18n
    from cs231n_lin.selfcheck.printout import format_report, to_json

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
