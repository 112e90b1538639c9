"""The student README of a release: the "For students" section of the instructor README.

The section sits between ``<!-- BEGIN STUDENT README -->`` and ``<!-- END STUDENT README -->``
in ``README.md``; the student version's ``README.md`` is a title and that section (markers
included, invisible when rendered), so the two always agree and releasing a student version
again gives the same README.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BEGIN", "END", "student_readme"]

BEGIN = "<!-- BEGIN STUDENT README -->"
END = "<!-- END STUDENT README -->"
TITLE = "# cs231n-lin: linear classifiers (your copy of the assignment)"


def student_section(text: str, where: str = "README.md") -> str:
    """The text between the markers (stripped), or ValueError naming what is missing."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ValueError(f"{where} must hold one student section between {BEGIN} and {END}")
    return text[text.index(BEGIN) + len(BEGIN): text.index(END)].strip()


def student_readme(readme: Path) -> str:
    """The student version's README.md made from the instructor's ``readme``."""
    body = student_section(readme.read_text(encoding="utf-8"), str(readme))
    return f"{TITLE}\n\n{BEGIN}\n{body}\n{END}\n"
