"""The notebook transforms of the release, applied to every cell in the order of :data:`CELL_TRANSFORMS`.

Each transform takes a cell (a dict from the notebook's JSON) with keywords ``path``, ``label``
(how errors name the cell) and ``heading`` (the section it sits in, how a student finds it),
and returns the student's cell; none changes the cell's ``id`` or ``metadata``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

from cs231n_lin.checks.cells import ANSWER_HERE, cell_source, section_heading
from cs231n_lin.grading.release.markers import ANSWER_HERE_ZH, strip_markdown, strip_py

__all__ = ["CELL_TRANSFORMS", "blank_solution_markdown", "cell_label", "clear_outputs", "dump_notebook",
           "load_notebook", "release_notebook", "stub_solution_code", "validate_notebook"]

CellTransform = Callable[..., dict]


def stub_solution_code(cell: dict, *, path: str, label: str, heading: str = "") -> dict:
    """A code cell's solution regions become ``NotImplementedError`` stubs."""
    if cell.get("cell_type") != "code":
        return cell
    text = cell_source(cell)
    name = f'the cell under "{heading}"' if heading else label      # as a student finds it
    new = strip_py(text, path, cell=label, name=name)
    return _with_source(cell, new) if new != text else cell


def blank_solution_markdown(cell: dict, *, path: str, label: str, heading: str = "") -> dict:
    """A markdown cell's answer regions become ``Your answer here``."""
    if cell.get("cell_type") != "markdown":
        return cell
    text = cell_source(cell)
    answer = ANSWER_HERE_ZH if "/zh/" in f"/{path}" else ANSWER_HERE       # notebooks/zh/: Chinese
    new = strip_markdown(text, f"{path}, {label}", answer)
    return _with_source(cell, new) if new != text else cell


def clear_outputs(cell: dict, *, path: str, label: str, heading: str = "") -> dict:
    """Outputs and execution counts go, from every code cell, check cells included.

    Outputs were made by the solution (or by code that calls it), so they could show what the
    student is asked to produce; a check cell's stored "PASS" would pass before anything is
    written. (The grader compares check cells with the instructor's notebooks.)
    """
    if cell.get("cell_type") != "code":
        return cell
    cell = dict(cell)
    cell["outputs"] = []
    cell["execution_count"] = None
    return cell


#: Applied to every cell, in this order. Each takes a cell (a dict from the notebook's JSON)
#: and returns the student's cell; none changes the cell's ``id`` or ``metadata``.
CELL_TRANSFORMS: tuple[CellTransform, ...] = (stub_solution_code, blank_solution_markdown, clear_outputs)


def _with_source(cell: dict, text: str) -> dict:
    cell = dict(cell)
    cell["source"] = text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text
    return cell


def cell_label(index: int, cell: dict) -> str:
    cid = cell.get("id")
    return f"cell {index + 1}" + (f" (id {cid})" if cid else "")


def release_notebook(nb: dict, path: str) -> dict:
    """The student version of a notebook (given and returned as its JSON dict)."""
    nb = copy.deepcopy(nb)
    cells = []
    for k, cell in enumerate(nb.get("cells", [])):
        heading = section_heading(nb["cells"], k)
        for transform in CELL_TRANSFORMS:
            cell = transform(cell, path=path, label=cell_label(k, cell), heading=heading)
        cells.append(cell)
    nb["cells"] = cells
    return nb


def load_notebook(text: str, path: str) -> dict:
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not a valid notebook (JSON error: {exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path} is not a valid notebook (no list of cells)")
    return nb


def validate_notebook(text: str, path: str) -> None:
    import nbformat

    try:
        nbformat.validate(nbformat.reads(text, as_version=nbformat.NO_CONVERT))
    except nbformat.ValidationError as exc:
        raise ValueError(f"the student version of {path} is not a valid notebook: {exc.message}") from None


def dump_notebook(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
