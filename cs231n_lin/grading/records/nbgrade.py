"""The student's notebooks as submitted, read before any student code runs, and rebuilt for the checks.

:func:`read_student_notebooks` finds each reference notebook's counterpart in a submission (the
English one, the Chinese one in ``notebooks/zh/``, or a renamed copy such as
``NN_name (1).ipynb``, which the notes then mention) and picks the one with more solution cells
written. :func:`rebuild` makes the notebook the grader's visible checks run on
(:mod:`cs231n_lin.grading.judge.visible`): the reference's cells -- its check cells, whatever the student
did to theirs -- with the student's solution cells by cell id, no outputs and no instructor
answers; a solution cell the student deleted becomes a "not written yet" naming its id and heading.
No kernel runs at grading: every point is judged outside the student's process
(:mod:`cs231n_lin.grading.judge.taskjudge`).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from cs231n_lin.checks.cells import cell_source, is_check_cell, is_solution_cell
from cs231n_lin.grading.run.worker import read_regular
from cs231n_lin.tasks.locate import notebook_candidates

KERNEL_NAME = "cs231n-sandbox"


def rebuild(reference: dict, student: dict | None) -> dict:
    """The notebook the visible checks run on: the reference's cells without outputs, with the
    student's solution cells (and markdown answers) by cell id."""
    mine = {}
    if isinstance(student, dict) and isinstance(student.get("cells"), list):
        for c in student["cells"]:
            if isinstance(c, dict) and isinstance(c.get("id"), str):
                mine.setdefault((c["id"], c.get("cell_type")), c)
    nb = copy.deepcopy(reference)
    cells = []
    for ref in reference["cells"]:
        cell = {k: copy.deepcopy(v) for k, v in ref.items() if k not in ("outputs", "execution_count")}
        kind = cell.get("cell_type")
        if is_solution_cell(ref):
            own = mine.get((ref.get("id"), kind))
            cell["source"] = cell_source(own) if own is not None else (
                f"raise NotImplementedError({_missing(reference, ref)!r})"
                if kind == "code" else "(your answer is missing from your notebook)")
        if kind == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    nb["cells"] = cells
    return nb


def _missing(reference: dict, ref: dict) -> str:
    """The "not written yet" message of a solution cell the student's notebook no longer has."""
    from cs231n_lin.checks.cells import section_heading

    cells = reference["cells"]
    heading = section_heading(cells, cells.index(ref))
    where = f' under "{heading}"' if heading else ""
    return (f"not written yet: the cell with id {ref.get('id')}{where} is missing from your notebook "
            "(deleted?); copy it back from a fresh release")


def missing_cell(reference: dict, student: dict, cell_id: str) -> str | None:
    """The :func:`_missing` message when ``student`` has no cell ``cell_id`` of ``reference`` (else None)."""
    cells = student.get("cells")
    ids = {c.get("id") for c in cells if isinstance(c, dict)} if isinstance(cells, list) else set()
    ref = next((c for c in reference.get("cells", []) if c.get("id") == cell_id), None)
    if ref is None or cell_id in ids:
        return None
    return _missing(reference, ref)


#: Where a student's notebook may be: the English one (``notebooks/``) first, then the Chinese one.
LANG_FOLDERS = ("", "zh")


def _answered(student: dict, solution_ids: set[str]) -> int:
    """How many of the reference's solution code cells the student's notebook has answered."""
    n = 0
    cells = student.get("cells")
    for c in cells if isinstance(cells, list) else []:
        if (isinstance(c, dict) and c.get("cell_type") == "code" and c.get("id") in solution_ids
                and "NotImplementedError" not in cell_source(c)):
            n += 1
    return n


def _read_json(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8"))


def read_student_notebooks(submission_dir: Path, notebooks_dir: Path) -> tuple[dict, list[str]]:
    """The student's notebooks matching the reference ones, read BEFORE any student code runs.

    A notebook may be the English one (``notebooks/NN_name.ipynb``) or the Chinese one
    (``notebooks/zh/NN_name.ipynb``); both have the same cell ids. When both are there, the one
    with more solution cells answered is graded (on a tie, the English one).

    (Student code may later replace files or folders of its scratch copy with symlinks; nothing
    of the scratch copy is read by the grader after that.)
    """
    found, notes = {}, []
    folder = submission_dir / "notebooks"
    for ref_path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        found[ref_path.name] = None
        present, renamed = [], {}
        for sub in LANG_FOLDERS:
            place = folder / sub if sub else folder
            if not folder.is_dir() or folder.is_symlink() or place.is_symlink():
                continue
            for path, note in notebook_candidates(place, ref_path.name):
                present.append(path)
                renamed[path] = note
        if not present:
            notes.append(f"{ref_path.name}: not found in your submission "
                         f"(expected notebooks/{ref_path.name} or notebooks/zh/{ref_path.name})")
            continue
        try:
            reference = _read_json(ref_path)
            solution_ids = {c.get("id") for c in reference.get("cells", []) if is_solution_cell(c)}
        except (ValueError, OSError):
            solution_ids = set()
        best, best_answered, used = None, -1, None
        for mine in present:
            try:
                nb = json.loads(read_regular(mine).decode("utf-8"))
            except (ValueError, UnicodeDecodeError, OSError):
                notes.append(f"{mine.relative_to(submission_dir)}: your notebook is not valid JSON; "
                             "solution cells were not found")
                continue
            answered = _answered(nb, solution_ids) if isinstance(nb, dict) else -1
            if answered > best_answered:
                best, best_answered, used = nb, answered, mine
        found[ref_path.name] = best
        if best is not None and renamed.get(used):
            notes.append(renamed[used])
    return found, notes


def notebooks_lang(found: dict, notebooks_dir: Path) -> str:
    """``"zh"`` when most of the chosen notebooks that have answers are the Chinese ones."""
    langs = []
    for name, nb in found.items():
        if not isinstance(nb, dict):
            continue
        try:
            reference = _read_json(Path(notebooks_dir) / name)
            ids = {c.get("id") for c in reference.get("cells", []) if is_solution_cell(c)}
        except (ValueError, OSError):
            continue
        if _answered(nb, ids) > 0:
            langs.append(((nb.get("metadata") or {}).get("cs231n_lin") or {}).get("lang", "en"))
    return "zh" if langs and langs.count("zh") * 2 > len(langs) else "en"


def reference_notebooks(notebooks_dir: Path) -> dict[str, dict]:
    """The reference notebooks that have check cells, by file name."""
    out = {}
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        if any(is_check_cell(c) for c in nb.get("cells", [])):
            out[path.name] = nb
    return out
