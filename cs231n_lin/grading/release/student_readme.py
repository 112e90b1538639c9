"""The student README of a release: the "For students" section of the instructor README.

The section sits between ``<!-- BEGIN STUDENT README -->`` and ``<!-- END STUDENT README -->``
in ``README.md``; the student version's ``README.md`` is a title and that section (markers
included, invisible when rendered), so the two always agree and releasing a student version
again gives the same README.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BEGIN", "BEGIN_ZH", "END", "END_ZH", "student_readme", "student_readme_zh", "write_readmes"]

BEGIN = "<!-- BEGIN STUDENT README -->"
END = "<!-- END STUDENT README -->"
TITLE = "# cs231n-lin: linear classifiers (your copy of the assignment)"
#: The Chinese student section (optional in the instructor README), for ``README.zh.md``.
BEGIN_ZH = "<!-- BEGIN STUDENT README zh -->"
END_ZH = "<!-- END STUDENT README zh -->"
TITLE_ZH = "# cs231n-lin：线性分类器（你的作业副本）"


def student_section(text: str, where: str = "README.md") -> str:
    """The text between the markers (stripped), or ValueError naming what is missing."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ValueError(f"{where} must hold one student section between {BEGIN} and {END}")
    return text[text.index(BEGIN) + len(BEGIN): text.index(END)].strip()


def student_readme(readme: Path) -> str:
    """The student version's README.md made from the instructor's ``readme``."""
    body = student_section(readme.read_text(encoding="utf-8"), str(readme))
    return f"{TITLE}\n\n{BEGIN}\n{body}\n{END}\n"


def student_readme_zh(readme: Path) -> str | None:
    """The Chinese student README (``README.zh.md``), or None when ``readme`` has no Chinese section."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN_ZH not in text and END_ZH not in text:
        return None
    if text.count(BEGIN_ZH) != 1 or text.count(END_ZH) != 1 or text.index(BEGIN_ZH) > text.index(END_ZH):
        raise ValueError(f"{readme} must hold at most one Chinese student section between {BEGIN_ZH} "
                         f"and {END_ZH}")
    body = text[text.index(BEGIN_ZH) + len(BEGIN_ZH): text.index(END_ZH)].strip()
    return f"{TITLE_ZH}\n\n{BEGIN_ZH}\n{body}\n{END_ZH}\n"


def write_readmes(readme: Path, dest: Path, lang: str) -> None:
    """Write the student READMEs into ``dest`` (see :func:`cs231n_lin.grading.release.release.release`).

    ``README.md`` in ``lang`` (and the other language beside it: ``README.zh.md`` or
    ``README.en.md``); for a language other than English, also a ``cs231n-lin.cfg`` selecting it.
    """
    from cs231n_lin.i18n import write_settings

    en, zh = student_readme(readme), student_readme_zh(readme)
    if lang == "zh" and zh is not None:
        (dest / "README.md").write_text(zh, encoding="utf-8")
        (dest / "README.en.md").write_text(en, encoding="utf-8")
    else:
        (dest / "README.md").write_text(en, encoding="utf-8")
        if zh is not None:
            (dest / "README.zh.md").write_text(zh, encoding="utf-8")
    if lang != "en":
        write_settings(dest, lang)
