"""Where a task is in a student's copy: the notebook (renamed copies too), its check cell, its answer.

Used by ``cs231n-lin check`` and by the grader, before any student code runs: both find the
same cells the same way. Nothing here executes anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cs231n_lin.checks.cells import (
    ANSWER_HERE,
    BEGIN_MD,
    END_MD,
    cell_source,
    is_check_cell,
    section_heading,
)
from cs231n_lin.tasks import Task, normalize_call

__all__ = ["ANSWER_PLACEHOLDERS", "answer_cells", "answer_text", "check_cell_index", "find_notebook",
           "is_empty_answer", "notebook_candidates"]

#: What a released answer cell holds until the student writes: counts as an empty answer.
ANSWER_PLACEHOLDERS = (ANSWER_HERE, "在这里写下你的答案")

# "01_svm_hinge_loss (1).ipynb", "01_svm_hinge_loss-Copy1.ipynb", "01_svm_hinge_loss copy.ipynb"
_COPY_SUFFIX = re.compile(r"^(?P<stem>.+?)(?:\s*\(\d+\)|-Copy\d*|\s+copy\s*\d*|_copy\d*)$", re.IGNORECASE)


def notebook_candidates(folder: Path, name: str) -> list[tuple[Path, str]]:
    """Files in ``folder`` that may be the notebook ``name``: ``(path, note)``, exact name first.

    ``note`` is "" for the exact name, else a sentence saying which renamed copy was used.
    """
    exact = folder / name
    out: list[tuple[Path, str]] = []
    if exact.is_file() and not exact.is_symlink():
        out.append((exact, ""))
    stem = Path(name).stem
    if folder.is_dir() and not folder.is_symlink():
        for path in sorted(folder.glob(f"{stem[:2]}*.ipynb")):
            m = _COPY_SUFFIX.match(path.stem)
            if path == exact or path.is_symlink() or not path.is_file() or not m or m["stem"] != stem:
                continue
            out.append((path, f"{path.name} was used for {name} (it looks like a renamed copy; "
                              f"rename it back to {name})"))
    return out


def find_notebook(root: Path, name: str) -> tuple[Path | None, str]:
    """The student's notebook ``name`` under ``root/notebooks`` (or ``notebooks/zh``), and a note.

    The exact name wins; otherwise a renamed copy (``NN_name (1).ipynb``, ``NN_name-Copy1.ipynb``)
    is used and the note says so. ``(None, note)`` when there is none.
    """
    for folder in (root / "notebooks", root / "notebooks" / "zh"):
        found = notebook_candidates(folder, name)
        if found:
            return found[0]
    return None, f"notebooks/{name} is not in your copy"


def check_cell_index(cells: Sequence[Mapping[str, Any]], task: Task) -> int | None:
    """Index of the task's check cell in ``cells`` (found by its ``call``), or None if it is gone."""
    want = normalize_call(task.call)
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "code" and normalize_call(cell_source(cell)) == want:
            return i
    for i, cell in enumerate(cells):        # an edited check cell that still makes the call
        if is_check_cell(cell) and want in normalize_call(cell_source(cell)):
            return i
    return None


def answer_cells(cells: Sequence[Mapping[str, Any]]) -> list[int]:
    """Indices of the written-answer cells (markdown with an answer region), in notebook order."""
    return [i for i, c in enumerate(cells) if c.get("cell_type") == "markdown"
            and any(ln.strip() == BEGIN_MD for ln in cell_source(c).splitlines())]


def answer_text(cell: Mapping[str, Any]) -> str:
    """The text between the answer markers of an answer cell (the whole cell if they were removed)."""
    text = cell_source(cell)
    lines = text.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == BEGIN_MD)
        end = next(i for i, ln in enumerate(lines) if ln.strip() == END_MD and i > start)
        lines = lines[start + 1:end]
    except StopIteration:
        pass
    return "\n".join(lines).strip()


def is_empty_answer(text: str) -> bool:
    """True for an answer that is blank or still the placeholder (in either language)."""
    body = re.sub(r"[\s*_>`#.。…]+", " ", text).strip()
    return not body or any(body.casefold() == p.casefold() for p in ANSWER_PLACEHOLDERS)


def heading_of(cells: Sequence[Mapping[str, Any]], index: int) -> str:
    return section_heading(list(cells), index)


def load_cells(path: Path) -> list[dict[str, Any]]:
    """The cells of a notebook file (``ValueError`` for a file that is not a notebook)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path.name} cannot be read ({exc})") from exc
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise ValueError(f"{path.name} is not a notebook (no list of cells)")
    return [c for c in cells if isinstance(c, dict)]


def table_problems(root: Path) -> list[str]:
    """Where the notebooks under ``root/notebooks`` (and ``notebooks/zh``) disagree with the task table:
    a code task without its check cell, a check cell of no task, a written task without its answer
    cell. Empty when they agree (``release`` refuses to publish otherwise)."""
    from cs231n_lin import tasks

    problems = []
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
            (root / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb")):
        rel = path.relative_to(root).as_posix()
        cells = load_cells(path)
        mine = tasks.of_notebook(path.name)
        for t in mine:
            if t.kind == "code" and check_cell_index(cells, t) is None:
                problems.append(f"{rel}: no check cell `{t.call}` for task {t.id}")
        for c in cells:
            if is_check_cell(c) and tasks.for_call(path.name, cell_source(c)) is None:
                problems.append(f"{rel}: check cell {c.get('id')} is no task of the table")
        asked = len([t for t in mine if t.kind == "written"])
        if asked != len(answer_cells(cells)):
            problems.append(f"{rel}: {len(answer_cells(cells))} answer cells, {asked} written tasks")
    return problems
