"""Release: write the student version of the instructor source (``cs231n-lin release OUT_DIR``).

What happens, in order:

1. **Select files.** Everything under the source except caches and tool directories
   (:data:`SKIPPED_NAMES`), files git ignores (in a git checkout), and grader-only paths
   (:data:`GRADER_ONLY`: hidden tests, the grading tool's own tests, the datasets cache, the
   grading package except the student's ``check`` (:data:`STUDENT_TOOLS`); and any ``.py``
   file that says ``# GRADER ONLY`` on a line of its own among its first five lines).
2. **Transform each file.** ``.py``: every solution region becomes a ``NotImplementedError``
   stub (:func:`cs231n_lin.grading.markers.strip_py`), and the result must still compile.
   ``.ipynb``: the ordered cell transforms in :data:`CELL_TRANSFORMS`; cell ids, metadata and
   check cells' reference outputs are kept. Anything else is copied byte for byte.
3. **Leak check** (:func:`find_leaks`): no solution line and no hidden-test line may occur
   anywhere in the output (nor a hidden file's exact bytes). A leak stops the release and
   removes the output. Not secret: trivial lines (:func:`is_trivial`: short lines, imports,
   block headers) and lines that the same file shows as code outside its solution regions
   (say, a notebook's visible cell repeating a call).
4. **Publish**: all of this happens in a temporary directory beside ``OUT_DIR``, renamed to
   ``OUT_DIR`` only at the end, so ``OUT_DIR`` is either complete or absent. An ``OUT_DIR``
   that exists and is not empty is refused: release never overwrites anyone's files.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cs231n_lin.grading.markers import (
    MarkerError,
    cell_source,
    code_regions,
    is_check_cell,
    is_solution_cell,
    markdown_regions,
    solution_lines,
    strip_markdown,
    strip_py,
)

#: Directory or file names never released, wherever they are.
SKIPPED_NAMES = frozenset({
    ".git", ".venv", "venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache",
    ".mypy_cache", ".hypothesis", ".ipynb_checkpoints", ".tox", ".eggs", "node_modules",
    ".DS_Store",
})
#: Suffixes of names never released.
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".egg-info")
#: Paths (relative to the source, "/"-separated) that only the grader may see.
GRADER_ONLY = ("tests/hidden", "tests/grading", "datasets/cache", "cs231n_lin/grading")
#: Exceptions inside :data:`GRADER_ONLY`: the student's own tool, ``cs231n-lin check``.
STUDENT_TOOLS = ("cs231n_lin/grading/__init__.py", "cs231n_lin/grading/check.py",
                 "cs231n_lin/grading/points.py", "cs231n_lin/grading/markers.py")
#: A ``.py`` file with this comment in its first five lines is grader-only wherever it is.
GRADER_ONLY_MARK = "# GRADER ONLY"
#: Where the hidden tests live; every line of them is secret.
HIDDEN = "tests/hidden"
#: Lines shorter than this (after stripping) are too common to count as a leak.
MIN_SECRET_LENGTH = 16


class LeakError(ValueError):
    """The student version would contain solution or hidden-test text."""


@dataclass
class ReleaseReport:
    """What a release did (printed by :func:`main`)."""

    out_dir: Path
    files: int = 0
    regions: int = 0
    notebooks: int = 0
    answers: int = 0
    secrets: int = 0
    left_out: list[str] = field(default_factory=list)
    shown_anyway: int = 0
    stubbed: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- selecting files

def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _skipped(name: str) -> bool:
    return name in SKIPPED_NAMES or name.endswith(SKIPPED_SUFFIXES)


def _grader_only(rel: str, path: Path) -> bool:
    if rel in STUDENT_TOOLS:
        return False
    if any(rel == g or rel.startswith(g + "/") for g in GRADER_ONLY):
        return True
    if path.suffix != ".py":
        return False
    with open(path, encoding="utf-8", errors="replace") as fh:
        head = [fh.readline() for _ in range(5)]
    return any(line.strip() == GRADER_ONLY_MARK for line in head)


def walk(source: Path) -> tuple[list[str], list[str]]:
    """``(released, grader_only)`` relative file paths under ``source``, sorted.

    Skipped names (``.git``, ``.venv``, caches, ``build/`` ...) are in neither list, nor, in a
    git checkout, files git ignores; symbolic links to directories are not followed.
    """
    released: list[str] = []
    hidden: list[str] = []
    for dirpath, dirnames, filenames in os.walk(source):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not _skipped(d) and not (here / d).is_symlink())
        for name in sorted(filenames):
            if _skipped(name) or not (here / name).is_file():
                continue
            rel = _rel(here / name, source)
            (hidden if _grader_only(rel, here / name) else released).append(rel)
    known = _git_files(source)
    if known is not None:
        released = [r for r in released if r in known]
        hidden = [r for r in hidden if r in known]
    return sorted(released), sorted(hidden)


def _git_files(source: Path) -> set[str] | None:
    """Files git does not ignore (tracked or not), if ``source`` is the top of a git checkout.

    So data an instructor downloaded into a git-ignored folder is never released or zipped.
    """
    if not (source / ".git").exists():
        return None
    try:
        proc = subprocess.run(["git", "-C", str(source), "ls-files", "-z", "--cached", "--others",
                               "--exclude-standard"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return {name for name in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if name}


def find_source() -> Path:
    """The repository the installed ``cs231n_lin`` package comes from (an editable install).

    Raises
    ------
    ValueError
        If the package does not sit in a checkout (e.g. installed into site-packages).
    """
    import cs231n_lin

    root = Path(cs231n_lin.__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if not (pyproject.is_file() and 'name = "cs231n-lin"' in pyproject.read_text(encoding="utf-8")):
        raise ValueError(
            f"cannot find the instructor repository: {root} has no cs231n-lin pyproject.toml "
            "(is the package installed from site-packages?); pass --source DIR"
        )
    return root


# ---------------------------------------------------------------------------- notebook transforms

CellTransform = Callable[..., dict]


def stub_solution_code(cell: dict, *, path: str, label: str) -> dict:
    """A code cell's solution regions become ``NotImplementedError`` stubs."""
    if cell.get("cell_type") != "code":
        return cell
    text = cell_source(cell)
    new = strip_py(text, path, cell=label)
    return _with_source(cell, new) if new != text else cell


def blank_solution_markdown(cell: dict, *, path: str, label: str) -> dict:
    """A markdown cell's answer regions become ``Your answer here``."""
    if cell.get("cell_type") != "markdown":
        return cell
    text = cell_source(cell)
    new = strip_markdown(text, f"{path}, {label}")
    return _with_source(cell, new) if new != text else cell


def clear_outputs(cell: dict, *, path: str, label: str) -> dict:
    """Outputs and execution counts go, except in check cells (nbval compares against them).

    Outputs of any other cell were made by the solution (or by code that calls it), so they
    could show what the student is asked to produce.
    """
    if cell.get("cell_type") != "code" or is_check_cell(cell):
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


def _cell_label(index: int, cell: dict) -> str:
    cid = cell.get("id")
    return f"cell {index + 1}" + (f" (id {cid})" if cid else "")


def release_notebook(nb: dict, path: str) -> dict:
    """The student version of a notebook (given and returned as its JSON dict)."""
    nb = copy.deepcopy(nb)
    cells = []
    for k, cell in enumerate(nb.get("cells", [])):
        for transform in CELL_TRANSFORMS:
            cell = transform(cell, path=path, label=_cell_label(k, cell))
        cells.append(cell)
    nb["cells"] = cells
    return nb


def _load_notebook(text: str, path: str) -> dict:
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not a valid notebook (JSON error: {exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path} is not a valid notebook (no list of cells)")
    return nb


def _validate_notebook(text: str, path: str) -> None:
    import nbformat

    try:
        nbformat.validate(nbformat.reads(text, as_version=nbformat.NO_CONVERT))
    except nbformat.ValidationError as exc:
        raise ValueError(f"the student version of {path} is not a valid notebook: {exc.message}") from None


def _dump_notebook(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- secrets and leaks

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


def _hidden_candidates(source: Path, grader_only: list[str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
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


# ---------------------------------------------------------------------------- the release

@dataclass
class _Collected:
    """While releasing: candidate secrets, and per file the code lines it shows students anyway."""

    candidates: list[tuple[str, str, str]] = field(default_factory=list)   # (line, origin, file)
    public: dict[str, set[str]] = field(default_factory=dict)

    def text(self, text: str, secret_lines: list[tuple[int, str]], origin: str, *, file: str,
             code: bool) -> None:
        """Record a source text: its solution lines are candidates; with ``code=True`` its other
        lines are visible code of ``file`` (a solution line of that same file equal to one of
        them is no secret: the student sees it there anyway)."""
        secret_numbers = {n for n, _ in secret_lines}
        self.candidates.extend((line, f"{origin}, line {n}", file) for n, line in secret_lines)
        if code:
            self.public.setdefault(file, set()).update(
                ln.strip() for n, ln in enumerate(text.splitlines(), start=1) if n not in secret_numbers)


def _release_file(source: Path, rel: str, dest: Path, seen: _Collected, report: ReleaseReport) -> None:
    src = source / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix == ".py":
        text = src.read_text(encoding="utf-8")
        seen.text(text, solution_lines(text, rel), rel, file=rel, code=True)
        new = strip_py(text, rel)
        if new != text:
            _check_compiles(text, new, rel)
            report.regions += len(code_regions(text, rel))
            report.stubbed.append(rel)
        dest.write_text(new, encoding="utf-8")
        shutil.copymode(src, dest)
    elif src.suffix == ".ipynb":
        nb = _load_notebook(src.read_text(encoding="utf-8"), rel)
        for k, cell in enumerate(nb["cells"]):
            where = f"{rel}, {_cell_label(k, cell)}"
            kind = cell.get("cell_type")
            text = cell_source(cell)
            secret = solution_lines(text, where, markdown=kind == "markdown") if kind in (
                "code", "markdown") and is_solution_cell(cell) else []
            seen.text(text, secret, where, file=rel, code=kind == "code")
            label = _cell_label(k, cell)
            if kind == "markdown" and blank_solution_markdown(cell, path=rel, label=label) is not cell:
                report.answers += len(markdown_regions(text, where))
            elif kind == "code" and stub_solution_code(cell, path=rel, label=label) is not cell:
                report.regions += len(code_regions(text, where))
        text = _dump_notebook(release_notebook(nb, rel))
        if any(is_solution_cell(c) for c in nb["cells"]):
            report.stubbed.append(rel)
        _validate_notebook(text, rel)
        dest.write_text(text, encoding="utf-8")
        report.notebooks += 1
    else:
        shutil.copy2(src, dest)
    report.files += 1


def _check_compiles(original: str, new: str, rel: str) -> None:
    try:
        compile(original, rel, "exec", dont_inherit=True)
    except SyntaxError:
        return  # not ours to judge: the instructor's file does not compile either
    try:
        compile(new, rel, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise MarkerError(
            f"{rel}, line {exc.lineno}: the student version does not compile ({exc.msg}); "
            "a solution region must hold whole statements of one block"
        ) from None


_PER_FILE_IGNORES = "[tool.ruff.lint.per-file-ignores]"


def _relax_lint(pyproject: Path, stubbed: list[str]) -> None:
    """Let ruff accept the stubbed files: names used only by the solution are unused/undefined."""
    if not stubbed or not pyproject.is_file():
        return
    text = pyproject.read_text(encoding="utf-8")
    if "[tool.ruff" not in text:
        return
    entries = "".join(f'"{rel}" = ["F821", "F841"]\n' for rel in stubbed if f'"{rel}" =' not in text)
    if not entries:
        return
    note = "# Added by `cs231n-lin release`: until you write your code, names used only by it are unused.\n"
    if _PER_FILE_IGNORES + "\n" in text:
        text = text.replace(_PER_FILE_IGNORES + "\n", _PER_FILE_IGNORES + "\n" + note + entries, 1)
    else:
        text = text.rstrip("\n") + "\n\n" + _PER_FILE_IGNORES + "\n" + note + entries
    try:
        import tomllib
    except ImportError:  # Python 3.10: trust the edit
        pass
    else:
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return  # an unusual layout (say, an inline table): leave the file as the instructor wrote it
    pyproject.write_text(text, encoding="utf-8")


def _check_out_dir(out: Path, source: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(
            f"{out} already exists and is not empty; release never overwrites files: "
            "give a new directory (or empty this one yourself)"
        )
    try:
        inside = out.resolve().relative_to(source)
    except ValueError:
        return
    if not any(_skipped(part) for part in inside.parts):
        raise ValueError(
            f"{out} is inside the source {source}; the next release would copy it: "
            "put the student version outside the source or under build/"
        )


def release(*, source: Path, out_dir: Path) -> ReleaseReport:
    """Write the student version of ``source`` to ``out_dir`` (see the module docstring).

    Parameters
    ----------
    source : Path
        The instructor repository (with solutions and ``tests/hidden/``).
    out_dir : Path
        Where the student version goes; must not exist or be an empty directory.

    Returns
    -------
    ReleaseReport

    Raises
    ------
    MarkerError
        Unbalanced, nested or misspelled markers, or a stub that would not compile.
    LeakError
        Solution or hidden-test text found in the output (which is then removed).
    ValueError
        Bad ``source`` or ``out_dir``.
    """
    source = Path(source).resolve()
    out = Path(out_dir).absolute()
    if not source.is_dir():
        raise ValueError(f"source {source} is not a directory")
    _check_out_dir(out, source)
    released, grader_only = walk(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    report = ReleaseReport(out_dir=out)
    report.left_out = sorted({next((g for g in GRADER_ONLY if r == g or r.startswith(g + "/")), r)
                              for r in grader_only})
    try:
        seen = _Collected()
        for rel in released:
            _release_file(source, rel, tmp / rel, seen, report)
        _relax_lint(tmp / "pyproject.toml", report.stubbed)
        hidden_lines, digests = _hidden_candidates(source, grader_only)
        secrets = Secrets(digests=digests)
        for line, origin, file in seen.candidates + [(ln, o, "") for ln, o in hidden_lines]:
            if line.strip() in seen.public.get(file, ()):
                report.shown_anyway += 1
            else:
                secrets.add(line, origin)
        report.secrets = len(secrets.lines)
        leaks = find_leaks(tmp, secrets)
        if leaks:
            shown = "\n".join(f"  {f}: {text!r} (from {origin})" for f, text, origin in leaks[:20])
            more = f"\n  ... and {len(leaks) - 20} more" if len(leaks) > 20 else ""
            raise LeakError(
                f"release stopped, nothing written: {len(leaks)} solution or hidden-test text(s) "
                f"would reach the students:\n{shown}{more}"
            )
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def main(*, out_dir: str | os.PathLike, source: str | os.PathLike | None = None) -> int:
    """``cs231n-lin release OUT_DIR [--source DIR]``: release and print what was done."""
    src = Path(source) if source is not None else find_source()
    report = release(source=src, out_dir=Path(out_dir))
    print(f"student version written to {report.out_dir}")
    print(f"  {report.files} files, {report.notebooks} notebooks; {report.regions} solution regions "
          f"stubbed, {report.answers} written answers blanked")
    print(f"  left out (grader only): {', '.join(report.left_out) or 'nothing found'}")
    print(f"  leak check passed: none of {report.secrets} solution/hidden-test lines is in the output")
    if report.shown_anyway:
        print(f"  note: {report.shown_anyway} solution lines also occur as visible code of their own "
              "file, so they are not treated as secret")
    return 0
