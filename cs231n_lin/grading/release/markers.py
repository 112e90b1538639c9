"""Solution markers: find the instructor's solution regions and turn them into student stubs.

In ``.py`` files and notebook code cells a region is::

    # BEGIN SOLUTION
    # HINT: an optional hint, kept for the student
    ...solution lines...
    # END SOLUTION

and in markdown cells the markers are the HTML comments ``<!-- BEGIN SOLUTION -->`` and
``<!-- END SOLUTION -->``, each on a line of its own. Regions cannot be nested; an unbalanced,
nested or misspelled marker raises :class:`MarkerError` naming the file and line.

In the student version the marker lines stay (they show where to write), hint lines are kept,
and the solution lines become one ``raise NotImplementedError("not written yet: ...")``
(code) or the line ``Your answer here`` (markdown).
"""

from __future__ import annotations

import io
import json
import re
import tokenize
import unicodedata
from dataclasses import dataclass

from cs231n_lin.checks.cells import (  # the one home of the marker strings and cell predicates
    ANSWER_HERE,
    BEGIN_CODE,
    BEGIN_MD,
    END_CODE,
    END_MD,
    HINT_PREFIX,
    NOT_WRITTEN,
)

# Anything that looks like a marker but is not spelled exactly like one: an error, because a
# misspelled marker would silently ship its solution to the students.
_CODE_LOOKALIKE = re.compile(r"^#+\s*(begin|end)[\s_-]*(solution\b|sol\w*\s*$)", re.IGNORECASE)
_MD_LOOKALIKE = re.compile(r"<!--\s*(begin|end)[\s_-]*sol", re.IGNORECASE)
_DEF = re.compile(r"^(?P<indent>[ \t]*)(?:async[ \t]+)?def[ \t]+(?P<name>\w+)")
_CLASS = re.compile(r"^(?P<indent>[ \t]*)class[ \t]+(?P<name>\w+)")


class MarkerError(ValueError):
    """Unbalanced, nested or misspelled solution markers; the message names file and line."""


@dataclass(frozen=True)
class Region:
    """One solution region: 0-based indices of its BEGIN and END marker lines."""

    begin: int
    end: int


def _comment_only_lines(text: str) -> set[int] | None:
    """0-based indices of the lines that hold nothing but a comment (None if not tokenizable).

    Using the tokenizer means text inside string literals (docstrings that *mention* a marker)
    is never mistaken for a marker.
    """
    code_lines: set[int] = set()
    comment_lines: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                comment_lines.add(tok.start[0] - 1)
            elif tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                                  tokenize.ENDMARKER):
                code_lines.update(range(tok.start[0] - 1, tok.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return None
    return comment_lines - code_lines


def _find(lines: list[str], where: str, begin: str, end: str, lookalike: re.Pattern,
          candidates: set[int] | None) -> list[Region]:
    regions: list[Region] = []
    open_at: int | None = None
    for i, line in enumerate(lines):
        if candidates is not None and i not in candidates:
            continue
        text = line.strip()
        if text == begin or text.startswith(begin + " "):
            kind = "begin"
        elif text == end or text.startswith(end + " "):
            kind = "end"
        elif lookalike.search(text):
            raise MarkerError(
                f"{where}, line {i + 1}: {text!r} looks like a solution marker but is not spelled "
                f"exactly {begin!r} or {end!r}"
            )
        else:
            continue
        if kind == "begin":
            if open_at is not None:
                raise MarkerError(
                    f"{where}, line {i + 1}: {begin!r} inside the solution region opened at line "
                    f"{open_at + 1} (regions cannot be nested; close the first one with {end!r})"
                )
            open_at = i
        else:
            if open_at is None:
                raise MarkerError(f"{where}, line {i + 1}: {end!r} without a {begin!r} before it")
            regions.append(Region(open_at, i))
            open_at = None
    if open_at is not None:
        raise MarkerError(f"{where}, line {open_at + 1}: {begin!r} is never closed by {end!r}")
    return regions


def code_regions(text: str, where: str) -> list[Region]:
    """Solution regions of Python source (a ``.py`` file or a notebook code cell).

    Parameters
    ----------
    text : str
        The source.
    where : str
        Names the source in error messages, e.g. ``"cs231n_lin/classifiers/softmax.py"``.

    Raises
    ------
    MarkerError
        For an unbalanced, nested or misspelled marker.
    """
    return _find(text.splitlines(), where, BEGIN_CODE, END_CODE, _CODE_LOOKALIKE,
                 _comment_only_lines(text))


def markdown_regions(text: str, where: str) -> list[Region]:
    """Solution regions of a markdown cell (``<!-- BEGIN SOLUTION -->`` ... ``<!-- END SOLUTION -->``)."""
    return _find(text.splitlines(), where, BEGIN_MD, END_MD, _MD_LOOKALIKE, None)


def _is_hint(line: str) -> bool:
    return line.strip().startswith(HINT_PREFIX)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _enclosing_function(lines: list[str], index: int, indent: str) -> str | None:
    """``name`` or ``Class.name`` of the innermost ``def`` around line ``index`` (None at top level)."""
    for i in range(index - 1, -1, -1):
        m = _DEF.match(lines[i])
        if m and len(m["indent"]) < len(indent):
            for j in range(i - 1, -1, -1):  # the first statement outside the def: a class?
                text = lines[j].strip()
                if text and not text.startswith(("@", "#")) and len(_indent(lines[j])) < len(m["indent"]):
                    c = _CLASS.match(lines[j])
                    return f"{c['name']}.{m['name']}" if c else m["name"]
            return m["name"]
    return None


def stub_message(lines: list[str], region: Region, path: str, cell: str | None) -> str:
    """The ``NotImplementedError`` message for one region, e.g. ``not written yet: f in x.py``."""
    body = [ln for ln in lines[region.begin + 1: region.end] if ln.strip() and not _is_hint(ln)]
    indent = _indent(body[0]) if body else _indent(lines[region.begin])
    func = _enclosing_function(lines, region.begin, indent)
    what = func or cell or "the code here"
    return f"{NOT_WRITTEN}: {what} in {path}"


def _width(text: str) -> int:
    """A line's width as ruff counts it for the line length (a CJK character is 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _raise_line(indent: str, message: str, limit: int = 100) -> str:
    # The message as written (a Chinese heading stays Chinese, not \\u escapes): a JSON string
    # without ensure_ascii is a valid Python string literal. A long one is split at spaces into
    # adjacent literals, one per line, so that the student's copy passes `ruff check`.
    literal = json.dumps(message, ensure_ascii=False)
    one = f"{indent}raise NotImplementedError({literal})"
    if _width(one) <= limit:
        return one + "\n"
    pieces: list[str] = []
    for word in re.split(r"(?<= )", message):          # keep each space with the word before it
        if pieces and _width(indent + "    " + json.dumps(pieces[-1] + word, ensure_ascii=False)) <= limit:
            pieces[-1] += word
        else:
            pieces.append(word)
    body = "".join(f"{indent}    {json.dumps(p, ensure_ascii=False)}\n" for p in pieces)
    return f"{indent}raise NotImplementedError(\n{body}{indent})\n"


def answer_comment_regions(text: str, where: str) -> list[Region]:
    """Written-answer regions kept as comments in a percent-format notebook source (``.py``).

    There a markdown cell's lines start with ``# ``, so its markers read
    ``# <!-- BEGIN SOLUTION -->`` and ``# <!-- END SOLUTION -->``.
    """
    return _find(text.splitlines(), where, "# " + BEGIN_MD, "# " + END_MD, _MD_LOOKALIKE,
                 _comment_only_lines(text))


def _py_regions(text: str, where: str) -> list[tuple[Region, bool]]:
    """Code regions (False) and commented answer regions (True), in order, never overlapping."""
    both = sorted([(r, False) for r in code_regions(text, where)]
                  + [(r, True) for r in answer_comment_regions(text, where)], key=lambda x: x[0].begin)
    for (a, _), (b, _) in zip(both, both[1:], strict=False):
        if b.begin < a.end:
            raise MarkerError(f"{where}, line {b.begin + 1}: a solution region starts inside the one "
                              f"opened at line {a.begin + 1} (regions cannot be nested)")
    return both


def strip_py(text: str, path: str, *, cell: str | None = None, name: str | None = None) -> str:
    """The student version of Python source: each solution region becomes a stub.

    The marker lines and any ``# HINT:`` lines stay; the other lines of the region become one
    ``raise NotImplementedError("not written yet: <function> in <path>")``, indented like the
    region's first code line (so the surrounding block stays valid Python). A commented answer
    region (``# <!-- BEGIN SOLUTION -->``, see :func:`answer_comment_regions`) becomes the
    comment ``# Your answer here``.

    Parameters
    ----------
    text : str
        Instructor source.
    path : str
        The file's path relative to the repository (used in messages).
    cell : str, optional
        For a notebook code cell, how to name the cell in errors (e.g. ``"cell 4 (id 01-004)"``).
    name : str, optional
        How the stub message names a notebook cell for the student (default: ``cell``), e.g.
        ``'the cell under "Your code: a search"'``.

    Returns
    -------
    str
        The stubbed source; unchanged if there is no region.
    """
    where = path if cell is None else f"{path}, {cell}"
    regions = _py_regions(text, where)
    if not regions:
        return text
    lines = text.splitlines(keepends=True)
    plain = [ln.rstrip("\r\n") for ln in lines]
    out: list[str] = []
    pos = 0
    for r, answer in regions:
        out.extend(lines[pos: r.begin + 1])
        if answer:
            out.append(f"{_indent(plain[r.begin])}# {ANSWER_HERE}\n")
        else:
            body = [ln for ln in plain[r.begin + 1: r.end] if ln.strip()]
            code = [ln for ln in body if not _is_hint(ln)]
            indent = _indent(code[0]) if code else _indent(plain[r.begin])
            out.extend(f"{indent}{ln.strip()}\n" for ln in body if _is_hint(ln))
            out.append(_raise_line(indent, stub_message(plain, r, path, name or cell)))
        out.append(lines[r.end])
        pos = r.end + 1
    out.extend(lines[pos:])
    return "".join(out)


#: The answer placeholder of the Chinese notebooks (``notebooks/zh/``).
ANSWER_HERE_ZH = "在这里写下你的答案"


def strip_markdown(text: str, where: str, answer: str = ANSWER_HERE) -> str:
    """The student version of a markdown cell: each answer region becomes ``answer``
    (``Your answer here``; :data:`ANSWER_HERE_ZH` in a Chinese notebook)."""
    regions = markdown_regions(text, where)
    if not regions:
        return text
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    for r in regions:
        out.extend(lines[pos: r.begin + 1])
        out.append(f"{answer}\n")
        out.append(lines[r.end])
        pos = r.end + 1
    out.extend(lines[pos:])
    return "".join(out)


def solution_lines(text: str, where: str, *, markdown: bool = False) -> list[tuple[int, str]]:
    """``(line number, line)`` of every solution line (markers, hints and stubs excluded), 1-based.

    For Python source (``markdown=False``) both code regions and commented answer regions count.
    """
    if markdown:
        regions = markdown_regions(text, where)
    else:
        regions = [r for r, _ in _py_regions(text, where)]
    lines = text.splitlines()
    return [
        (i + 1, lines[i])
        for r in regions
        for i in range(r.begin + 1, r.end)
        if lines[i].strip() and not _is_hint(lines[i]) and not _is_stub(lines[i])
    ]


def _is_stub(line: str) -> bool:
    """A line this module writes into a region (so releasing a student version again works)."""
    text = line.strip()
    return (text.startswith("raise NotImplementedError(") or text.startswith(f'"{NOT_WRITTEN}: ')
            or text.lstrip("# ") in (ANSWER_HERE, ANSWER_HERE_ZH))
