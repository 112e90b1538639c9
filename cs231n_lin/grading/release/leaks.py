"""The release's leak check: no solution text, hidden test or answer computation reaches students.

Two kinds of leak are looked for in the student version (see :func:`find_leaks` and
:func:`find_answer_code`):

- **Secret lines**: every non-trivial line of a solution region or of a hidden test, found
  verbatim anywhere in the output (sources, notebook sources and outputs), and the exact bytes
  of a hidden file.
- **Answer code**: code outside the solution regions that computes what a student must write,
  in other words (a demo cell that zeroes the correct class of a margin matrix, a helper that
  shifts scores by each row's maximum ...). :data:`ANSWER_PATTERNS` describes each such
  computation; only Python code is searched (strings, comments and markdown are not), so a
  feedback sentence may still *name* the fix.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cs231n_lin.checks.cells import cell_source

__all__ = ["ANSWER_PATTERNS", "MIN_SECRET_LENGTH", "Secrets", "code_only", "find_answer_code", "find_leaks",
           "hidden_candidates", "is_trivial", "searchable_text"]

#: Where the hidden tests live; every line of them is secret.
HIDDEN = "tests/hidden"
#: Lines shorter than this (after stripping) are too common to count as a leak.
MIN_SECRET_LENGTH = 16


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


_IDX = r"\[\s*[\w.()]+\s*,\s*[\w.]+\s*\]"          # m[rows, y], m[np.arange(N), y]
#: name -> regex over code with strings and comments blanked: computations students must write.
ANSWER_PATTERNS: dict[str, re.Pattern] = {
    "the correct class zeroed in a margin matrix":
        re.compile(rf"\w+{_IDX}\s*=\s*0(\.0*)?\b(?!\s*[,\]])"),
    "vectorized hinge margins (scores minus the correct score as a column)": re.compile(
        rf"\w+\s*-\s*\w+{_IDX}\s*\[\s*:\s*,\s*(None|np\.newaxis)\s*\]"),
    "the one-hot term subtracted from the softmax score gradient":
        re.compile(rf"\w+{_IDX}\s*-=\s*1(\.0*)?\b"),
    "scores shifted by each row's maximum": re.compile(
        r"-\s*(np\.max\(\s*\w+\s*,\s*axis\s*=\s*(1|-1)\s*,\s*keepdims\s*=\s*True\s*\)"
        r"|\w+\.max\(\s*axis\s*=\s*(1|-1)\s*,\s*keepdims\s*=\s*True\s*\))"),
    "predict's label lookup": re.compile(r"classes_\s*\[\s*np\.argmax\("),
}

@dataclass
class Secrets:
    """Text that must not reach students: line -> where it comes from; digests of hidden files."""

    lines: dict[str, str] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    def add(self, line: str, origin: str) -> None:
        text = line.strip()
        if not is_trivial(text):
            self.lines.setdefault(text, origin)


_BLOCK_HEADER = re.compile(r"^(for|while|if|elif|else|try|except|finally|with|def|class)\b.*:$")


def is_trivial(text: str) -> bool:
    """Lines too short or too common to reveal anything: imports, block headers such as
    ``for j in range(num_classes):``, lines under :data:`MIN_SECRET_LENGTH` characters."""
    if len(text) < MIN_SECRET_LENGTH:
        return True
    if text.startswith("import ") or (text.startswith("from ") and " import " in text):
        return True
    if _BLOCK_HEADER.match(text):  # "for j in range(num_classes):" tells nothing on its own
        return True
    return not any(ch.isalnum() for ch in text)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def _notebook_strings(obj: Any) -> Iterable[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        if obj and all(isinstance(x, str) for x in obj):
            yield "".join(obj)        # a multi-line source or output stored as a list of lines
        else:
            for x in obj:
                yield from _notebook_strings(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from _notebook_strings(x)


def searchable_text(path: Path) -> str | None:
    """A file's text as a reader sees it (a notebook's decoded sources and outputs); None if binary."""
    text = _read_text(path)
    if text is None or path.suffix != ".ipynb":
        return text
    try:
        return "\n".join(_notebook_strings(json.loads(text)))
    except json.JSONDecodeError:
        return text


def find_leaks(out_dir: Path, secrets: Secrets) -> list[tuple[str, str, str]]:
    """``(file, leaked text, origin)`` for every secret found anywhere under ``out_dir``."""
    leaks: list[tuple[str, str, str]] = []
    for path in sorted(p for p in Path(out_dir).rglob("*") if p.is_file()):
        rel = _rel(path, Path(out_dir))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in secrets.digests:
            leaks.append((rel, "(the whole file)", secrets.digests[digest]))
        text = searchable_text(path)
        if text is None:
            continue
        leaks.extend((rel, line, origin) for line, origin in secrets.lines.items() if line in text)
    return leaks


def hidden_candidates(source: Path, grader_only: list[str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Lines of the hidden tests (with their origin) and digests of the hidden files."""
    lines: list[tuple[str, str]] = []
    digests: dict[str, str] = {}
    for rel in grader_only:
        if not (rel == HIDDEN or rel.startswith(HIDDEN + "/")):
            continue
        data = (source / rel).read_bytes()
        text = _read_text(source / rel)
        mine = [] if text is None else [
            (line, f"{rel}, line {n}") for n, line in enumerate(text.splitlines(), start=1)
            if not is_trivial(line.strip())
        ]
        if mine or (text is None and len(data) >= 64):
            digests[hashlib.sha256(data).hexdigest()] = rel
        lines.extend(mine)
    return lines, digests




def code_only(source: str) -> str:
    """Python source with strings and comments blanked, magics dropped (as is if it won't tokenize)."""
    lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()]
    text = "\n".join(lines)
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.STRING, tokenize.COMMENT):
                spans.append((tok.start, tok.end))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return text
    for (r0, c0), (r1, c1) in reversed(spans):       # 1-based rows; later spans first
        if r0 == r1:
            lines[r0 - 1] = lines[r0 - 1][:c0] + '""' + lines[r0 - 1][c1:]
        else:
            lines[r0 - 1] = lines[r0 - 1][:c0] + '""'
            for r in range(r0, r1 - 1):
                lines[r] = ""
            lines[r1 - 1] = lines[r1 - 1][c1:]
    return "\n".join(lines)


def _code_texts(path: Path) -> Iterable[tuple[str, str, str]]:
    """``(where, code, source)`` of a ``.py`` file or of each code cell of a notebook."""
    if path.suffix == ".py":
        text = path.read_text(encoding="utf-8", errors="replace")
        yield "", code_only(text), text
    elif path.suffix == ".ipynb":
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return
        for k, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") == "code":
                yield f"cell {k + 1}", code_only(cell_source(cell)), cell_source(cell)


def find_answer_code(out_dir: Path, *, exclude: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """``(file, code, what it computes)`` for each :data:`ANSWER_PATTERNS` match in the output.

    ``exclude``: relative paths not searched (none by default).
    """
    skip = set(exclude)
    found: list[tuple[str, str, str]] = []
    files = sorted(p for p in Path(out_dir).rglob("*") if p.is_file() and p.suffix in (".py", ".ipynb"))
    for path in files:
        rel = path.relative_to(out_dir).as_posix()
        if rel in skip:
            continue
        for where, code, source in _code_texts(path):
            lines = source.splitlines()
            for what, pattern in ANSWER_PATTERNS.items():
                for m in pattern.finditer(code):
                    n = code.count("\n", 0, m.start())           # code_only keeps the line numbers
                    line = lines[n] if n < len(lines) else m.group(0)
                    found.append((f"{rel}{', ' + where if where else ''}, line {n + 1}", line.strip(), what))
    return found
