"""The student version's ``Makefile``: only the targets a student uses.

The instructor ``Makefile`` is written in paragraphs (separated by blank lines), one target per
paragraph with its comment above it. The student version keeps the paragraphs whose targets
are all in :data:`STUDENT_TARGETS` (plus variable paragraphs and internal targets such as
``$(STAMP)``), keeps only those names on the ``.PHONY`` line, and replaces the leading comment
by :data:`STUDENT_HEADER`. So ``make notebooks`` (which rebuilds the notebooks from the lesson
sources and would overwrite a student's work), ``make test`` and ``make bench`` are not there.
"""

from __future__ import annotations

import re

__all__ = ["STUDENT_HEADER", "STUDENT_TARGETS", "makefile_targets", "student_makefile"]

#: The targets a student copy keeps.
STUDENT_TARGETS = frozenset({"setup", "lab", "check", "demo", "lint", "clean"})
STUDENT_HEADER = (
    "# Your copy of the assignment: `make setup` once, then `make lab` (JupyterLab on the notebooks)\n"
    "# and `make check` (the visible checks). None of these targets changes your notebooks or code.\n"
)
_RULE = re.compile(r"^(?P<targets>[^\s#=:][^=:]*?)\s*::?(?!=)")


def makefile_targets(paragraph: str) -> list[str]:
    """The target names of the rule lines (not recipe lines) in a piece of Makefile text."""
    names: list[str] = []
    for line in paragraph.splitlines():
        if line.startswith("\t") or line.lstrip().startswith("#"):
            continue
        m = _RULE.match(line)
        if m:
            names.extend(m.group("targets").split())
    return names


def _kept(paragraph: str) -> bool:
    public = [t for t in makefile_targets(paragraph) if not t.startswith(("$(", "."))]
    return all(t in STUDENT_TARGETS for t in public)


def student_makefile(text: str) -> str:
    """The student ``Makefile`` made from the instructor's ``text`` (see the module docstring).

    Raises
    ------
    ValueError
        If the result lacks the ``setup`` target (the instructor Makefile's layout changed).
    """
    paragraphs = re.split(r"\n\s*\n", text.strip("\n"))
    if paragraphs and all(ln.startswith("#") for ln in paragraphs[0].splitlines()):
        paragraphs = paragraphs[1:]
    kept = []
    for para in paragraphs:
        if not _kept(para):
            continue
        lines = []
        for line in para.splitlines():
            if line.startswith(".PHONY:"):
                names = [n for n in line.split(":", 1)[1].split() if n in STUDENT_TARGETS]
                line = ".PHONY: " + " ".join(names)
            lines.append(line)
        kept.append("\n".join(lines))
    out = STUDENT_HEADER + "\n" + "\n\n".join(kept) + "\n"
    if "setup" not in makefile_targets(out):
        raise ValueError("Makefile: no `setup` target left for the student version; keep one target "
                         "per paragraph (blank line between targets)")
    return out
