"""Notebook solution functions judged outside the kernel: hidden inputs in, data out, compared here.

The student's solution cells of a notebook (taken from the notebook file before any student code
ran) are executed by the sandboxed worker after the reference notebook's import lines; the worker
calls each judged function on inputs built from a hidden case (``tests/hidden/cases.py``, functions
named ``notebook:<name>``)
and returns the result as plain data. The reference notebook's solution cells are executed here,
in the grader's process, on the same inputs, and the two results are compared here. Nothing the
notebook prints, and nothing a kernel could replay, takes part.
"""

from __future__ import annotations

import ast

import numpy as np

from cs231n_lin.checks.cells import cell_source, is_solution_cell
from cs231n_lin.grading.run.worker import Opaque


def no_magics(src: str) -> str:
    return "\n".join("# " + ln if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())


def case_inputs(case: dict) -> tuple[dict[str, np.ndarray], dict]:
    """Arrays and scalars of a notebook case, from its seed.

    ``args`` values: ``{"normal": shape, "scale": s}`` (a float array; ``add``: a vector added to
    each row, ``row_scales``: factors per row, ``dtype``), ``{"integers": shape, "low", "high"}``
    (integer-valued floats: margins that are exactly 0), ``{"int": high, "shape": shape}``
    (integers in [0, high)), or a plain number/bool.
    """
    rng = np.random.default_rng(case["seed"])
    arrays, scalars = {}, {}
    for name, spec in case["args"].items():
        if isinstance(spec, dict) and "normal" in spec:
            value = spec.get("scale", 1.0) * rng.standard_normal(tuple(spec["normal"]))
            if "add" in spec:
                value = value + np.asarray(spec["add"], dtype=float)
            if "row_scales" in spec:
                value = value * np.resize(np.asarray(spec["row_scales"], float), value.shape[0])[:, None]
            arrays[name] = value.astype(spec.get("dtype", "float64"))
        elif isinstance(spec, dict) and "integers" in spec:
            arrays[name] = rng.integers(spec["low"], spec["high"], size=tuple(spec["integers"])).astype(float)
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
    """The student's sources of the reference's solution code cells (matched by cell id), in order; a
    cell missing from the student's notebook becomes a ``NotImplementedError`` naming its id and heading."""
    from cs231n_lin.checks.cells import section_heading

    mine = {}
    if isinstance(student, dict) and isinstance(student.get("cells"), list):
        for c in student["cells"]:
            if isinstance(c, dict) and isinstance(c.get("id"), str) and c.get("cell_type") == "code":
                mine.setdefault(c["id"], no_magics(cell_source(c)))
    out = []
    cells = reference.get("cells", [])
    for i, c in enumerate(cells):
        if c.get("cell_type") != "code" or not is_solution_cell(c):
            continue
        if c.get("id") in mine:
            out.append(mine[c["id"]])
            continue
        heading = section_heading(cells, i)
        where = f' under "{heading}"' if heading else ""
        msg = (f"not written yet: the cell with id {c.get('id')}{where} is missing from your notebook "
               "(deleted?); copy it back from a fresh release")
        out.append(f"raise NotImplementedError({msg!r})")
    return out


def reference_namespace(reference: dict, notebook: str) -> dict:
    """The reference notebook's imports and solution cells, executed here (instructor code)."""
    ns: dict = {}
    exec(compile(import_lines(reference), "<imports>", "exec"), ns)  # noqa: S102 - instructor's notebook
    for cell in reference.get("cells", []):
        if cell.get("cell_type") == "code" and is_solution_cell(cell):
            exec(compile(no_magics(cell_source(cell)), f"<{notebook}>", "exec"), ns)  # noqa: S102
    return ns


def reference_value(case: dict, reference: dict, notebook: str):
    """What the reference notebook's function returns on the case's inputs (instructor code, here)."""
    arrays, scalars = case_inputs(case)
    return reference_namespace(reference, notebook)[case["function"].split(":")[-1]](**arrays, **scalars)


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
