"""Notebook solution functions judged outside the kernel: hidden inputs in, data out, compared here.

The student's solution cells of a notebook (taken from the notebook file before any student code
ran) are executed by the sandboxed worker after the reference notebook's import lines; the worker
calls each judged function on inputs built from a hidden case (``tests/hidden/notebook_cases.py``)
and returns the result as plain data. The reference notebook's solution cells are executed here,
in the grader's process, on the same inputs, and the two results are compared here. Nothing the
notebook prints, and nothing a kernel could replay, takes part.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import numpy as np

from cs231n_lin.checks.cells import cell_source, is_solution_cell
from cs231n_lin.grading.worker import Opaque, Task, TaskOutcome


def no_magics(src: str) -> str:
    return "\n".join("# " + ln if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())


def load_nb_cases(hidden_dir: Path) -> list[dict]:
    """The hidden notebook cases (empty if ``notebook_cases.py`` is absent from ``hidden_dir``)."""
    path = Path(hidden_dir) / "notebook_cases.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("_cs231n_hidden_nb_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.NB_CASES)


def case_inputs(case: dict) -> tuple[dict[str, np.ndarray], dict]:
    """Arrays and scalars of a notebook case, from its seed."""
    rng = np.random.default_rng(case["seed"])
    arrays, scalars = {}, {}
    for name, spec in case["args"].items():
        if isinstance(spec, dict) and "normal" in spec:
            arrays[name] = spec.get("scale", 1.0) * rng.standard_normal(tuple(spec["normal"]))
        elif isinstance(spec, dict) and "int" in spec:
            arrays[name] = rng.integers(0, spec["int"], size=tuple(spec.get("shape", ())))
        elif isinstance(spec, (bool, int, float)):
            scalars[name] = spec
        else:
            raise ValueError(f"notebook case {case['function']}: argument {name!r} has an unknown "
                             f"spec {spec!r}")
    return arrays, scalars


def import_lines(notebook: dict) -> str:
    """The import statements of a notebook's code cells (what its solution cells may rely on)."""
    lines = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell_source(cell)
        try:
            tree = ast.parse(no_magics(src))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                lines.append(ast.unparse(node))
    return "\n".join(dict.fromkeys(lines))


def solution_sources(reference: dict, student: dict | None) -> list[str]:
    """The student's sources of the reference's solution code cells (matched by cell id), in order."""
    mine = {}
    if isinstance(student, dict) and isinstance(student.get("cells"), list):
        for c in student["cells"]:
            if isinstance(c, dict) and isinstance(c.get("id"), str) and c.get("cell_type") == "code":
                mine.setdefault(c["id"], no_magics(cell_source(c)))
    return [mine.get(c.get("id"), "") for c in reference.get("cells", [])
            if c.get("cell_type") == "code" and is_solution_cell(c)]


def tasks(cases: list[dict], references: dict[str, dict], students: dict[str, dict | None]) -> list[Task]:
    """One worker task per notebook case whose notebook exists among ``references``."""
    out = []
    for i, case in enumerate(cases):
        ref = references.get(case["notebook"])
        if ref is None:
            continue
        arrays, scalars = case_inputs(case)
        out.append(Task(f"n{i}", "nbfunc", "cs231n_lin", case["function"], arrays=arrays, scalars=scalars,
                        params={"notebook": case["notebook"], "imports": import_lines(ref),
                                "cells": solution_sources(ref, students.get(case["notebook"]))}))
    return out


def reference_value(case: dict, reference: dict):
    """What the reference notebook's function returns on the case's inputs (instructor code, here)."""
    ns: dict = {}
    exec(compile(import_lines(reference), "<imports>", "exec"), ns)  # noqa: S102 - instructor's notebook
    for cell in reference.get("cells", []):
        if cell.get("cell_type") == "code" and is_solution_cell(cell):
            exec(compile(no_magics(cell_source(cell)), f"<{case['notebook']}>", "exec"), ns)  # noqa: S102
    arrays, scalars = case_inputs(case)
    return ns[case["function"]](**arrays, **scalars)


def same_value(got, want, *, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether returned data ``got`` matches the reference's ``want`` (structure, shapes, values)."""
    if isinstance(got, Opaque):
        return False
    if isinstance(want, (tuple, list)):
        return (isinstance(got, (tuple, list)) and len(got) == len(want)
                and all(same_value(g, w, rtol=rtol, atol=atol) for g, w in zip(got, want, strict=True)))
    if isinstance(want, (bool, np.bool_)):
        return isinstance(got, bool) and got == bool(want)
    want_arr = np.asarray(want)
    if want_arr.dtype.kind not in "biuf":
        return False
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        got_arr = np.asarray(float(got))
    elif isinstance(got, np.ndarray) and got.dtype.kind in "biuf":
        got_arr = got
    else:
        return False
    if got_arr.shape != want_arr.shape:
        return False
    return bool(np.allclose(got_arr.astype(np.float64), want_arr.astype(np.float64), rtol=rtol, atol=atol))


def judge(cases: list[dict], references: dict[str, dict], task_list: list[Task],
          outcomes: dict[str, TaskOutcome]) -> dict[str, tuple[bool, str]]:
    """``function -> (passed, why)`` over every case of that function."""
    result: dict[str, tuple[bool, str]] = {}
    by_id = {t.id: t for t in task_list}
    for i, case in enumerate(cases):
        task = by_id.get(f"n{i}")
        if task is None:
            continue
        out = outcomes.get(task.id)
        fn = case["function"]
        if out is None or not out.ok:
            why = f"{fn} did not run on the grader's inputs: {(out.error if out else None) or 'no result'}"
            ok = False
        else:
            ok = same_value(out.value, reference_value(case, references[case["notebook"]]))
            why = ("correct on the grader's inputs" if ok
                   else f"{fn} returns wrong values on the grader's inputs")
        prev = result.get(fn)
        if prev is None or (prev[0] and not ok):
            result[fn] = (ok, why)
    return result
