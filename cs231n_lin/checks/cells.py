"""Solution markers and notebook cell predicates: the one home of both (student side and grader).

Marker strings of the instructor source, and what makes a notebook cell a *check cell* (its
output is compared by nbval: the cell tag ``nbval-check-output``, or the legacy comment line
``# NBVAL_CHECK_OUTPUT``) or a *solution cell* (holds a solution region).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "ANSWER_HERE", "BEGIN_CODE", "BEGIN_MD", "CHECK_OUTPUT", "CHECK_TAG", "END_CODE", "END_MD", "HINT_PREFIX",
    "NOT_WRITTEN", "cell_source", "is_check_cell", "is_solution_cell", "named_check_call", "section_heading",
]

BEGIN_CODE = "# BEGIN SOLUTION"
END_CODE = "# END SOLUTION"
BEGIN_MD = "<!-- BEGIN SOLUTION -->"
END_MD = "<!-- END SOLUTION -->"
HINT_PREFIX = "# HINT:"
CHECK_OUTPUT = "NBVAL_CHECK_OUTPUT"       # nbval's legacy comment marker (``# NBVAL_CHECK_OUTPUT``)
CHECK_TAG = "nbval-check-output"          # nbval's cell tag, set by notebooks/_build.py
ANSWER_HERE = "Your answer here"
NOT_WRITTEN = "not written yet"

_CHECK_CALL = re.compile(r"^\s*(?:\w+\s*=\s*)?checks\.(?P<name>[A-Za-z_]\w*)\s*\(", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<text>.+?)\s*#*\s*$")


def cell_source(cell: Mapping[str, Any]) -> str:
    """A notebook cell's source as one string (the JSON may store a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _is_marker_line(line: str, marker: str) -> bool:
    text = line.strip()
    return text == marker or text.startswith(marker + " ")


def is_solution_cell(cell: Mapping[str, Any]) -> bool:
    """True for a code cell with a ``# BEGIN SOLUTION`` region or a markdown cell with an answer region."""
    text = cell_source(cell)
    if cell.get("cell_type") == "code":
        return any(_is_marker_line(ln, BEGIN_CODE) for ln in text.splitlines())
    if cell.get("cell_type") == "markdown":
        return any(ln.strip() == BEGIN_MD for ln in text.splitlines())
    return False


def is_check_cell(cell: Mapping[str, Any]) -> bool:
    """True for a code cell whose output nbval compares: the ``nbval-check-output`` tag or the comment.

    nbval's own rule: the cell tag ``nbval-check-output``, or any comment line reading
    ``NBVAL_CHECK_OUTPUT`` (``# NBVAL_CHECK_OUTPUT``).
    """
    if cell.get("cell_type") != "code":
        return False
    tags = cell.get("metadata", {}).get("tags", [])
    if isinstance(tags, list) and CHECK_TAG in tags:
        return True
    return any(
        ln.strip().startswith("#") and ln.strip().lstrip("#").strip() == CHECK_OUTPUT
        for ln in cell_source(cell).splitlines()
    )


def named_check_call(cell: Mapping[str, Any]) -> str | None:
    """The name ``X`` of the last ``checks.X(...)`` call in a code cell's source, or None."""
    if cell.get("cell_type") != "code":
        return None
    names = [m["name"] for m in _CHECK_CALL.finditer(cell_source(cell))]
    return names[-1] if names else None


def section_heading(cells: list[Mapping[str, Any]], index: int) -> str:
    """The text of the last markdown heading above cell ``index`` ("" when there is none)."""
    for cell in reversed(cells[:index]):
        if cell.get("cell_type") != "markdown":
            continue
        for line in reversed(cell_source(cell).splitlines()):
            m = _HEADING.match(line)
            if m:
                return m["text"].strip()
    return ""
