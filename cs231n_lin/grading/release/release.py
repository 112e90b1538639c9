"""Release: write the student version of the instructor source (``cs231n-lin release OUT_DIR``).

What happens, in order:

1. **Select files.** Everything under the source except caches and tool directories
   (:data:`SKIPPED_NAMES`), files git ignores (in a git checkout), and grader-only paths
   (:data:`GRADER_ONLY`: hidden tests, the grading tools' and checks' own tests, the datasets
   cache, the whole grading package -- the student's tools live in ``cs231n_lin/checks``; and any ``.py``
   file that says ``# GRADER ONLY`` on a line of its own among its first five lines, and any test
   that imports the grading package).
2. **Transform each file.** ``.py``: every solution region becomes a ``NotImplementedError``
   stub (:func:`cs231n_lin.grading.release.markers.strip_py`), and the result must still compile.
   ``.ipynb``: the ordered cell transforms in :data:`CELL_TRANSFORMS` (every output cleared);
   cell ids and metadata are kept. Anything else is copied byte for byte.
3. **Student README and Makefile**: ``README.md`` becomes the student section of the instructor
   README (:func:`cs231n_lin.grading.release.student_readme.student_readme`); ``Makefile`` keeps only the
   students' targets (:func:`cs231n_lin.grading.release.student_makefile.student_makefile`).
4. **Leak check** (:mod:`cs231n_lin.grading.release.leaks`): no solution line and no hidden-test line
   may occur anywhere in the output (nor a hidden file's exact bytes), and no code outside the
   regions may compute what students write (:data:`~cs231n_lin.grading.release.leaks.ANSWER_PATTERNS`).
   A leak stops the release and removes the output. Not secret: trivial lines (short lines,
   imports, block headers) and lines that the same file shows as code outside its solution
   regions (say, a notebook's visible cell repeating a call).
5. **Publish**: all of this happens in a temporary directory beside ``OUT_DIR``, renamed to
   ``OUT_DIR`` only at the end, so ``OUT_DIR`` is either complete or absent. An ``OUT_DIR``
   that exists and is not empty is refused: release never overwrites anyone's files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cs231n_lin.checks.cells import cell_source, is_solution_cell
from cs231n_lin.grading.release.leaks import (
    HIDDEN,
    Secrets,
    find_answer_code,
    find_leaks,
    hidden_candidates,
    is_trivial,
)
from cs231n_lin.grading.release.markers import (
    MarkerError,
    code_regions,
    markdown_regions,
    solution_lines,
    strip_py,
)
from cs231n_lin.grading.release.nb_transforms import (
    CELL_TRANSFORMS,
    blank_solution_markdown,
    cell_label,
    clear_outputs,
    dump_notebook,
    load_notebook,
    release_notebook,
    stub_solution_code,
    validate_notebook,
)
from cs231n_lin.grading.release.student_makefile import student_makefile
from cs231n_lin.grading.release.student_readme import write_readmes
from cs231n_lin.tasks.locate import table_problems

__all__ = ["CELL_TRANSFORMS", "GRADER_ONLY", "HIDDEN", "LeakError", "ReleaseReport",
           "blank_solution_markdown", "clear_outputs", "find_source", "is_trivial", "main", "release",
           "release_notebook", "stub_solution_code", "walk"]

#: Directory or file names never released, wherever they are.
SKIPPED_NAMES = frozenset({
    ".git", ".venv", "venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache",
    ".mypy_cache", ".hypothesis", ".ipynb_checkpoints", ".tox", ".eggs", "node_modules",
    ".DS_Store",
})
#: Suffixes of names never released.
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".egg-info")
#: Paths (relative to the source, "/"-separated) that only the grader may see: the hidden tests,
#: the tests of the grading tools and of the checks (they need the solutions), the grading package;
#: and the instructor's material: how the grader works, the benchmarks (they time the grader), the
#: lesson sources and their build (which would rebuild a student's notebooks from stubbed sources)
#: and the tests that need them.
GRADER_ONLY = ("tests/hidden", "tests/grading", "tests/checks", "tests/student", "datasets/cache",
               "cs231n_lin/grading", "docs/ARCHITECTURE.md", "docs/CHECKS.md", "docs/report.png",
               "benchmarks", "tests/benchmarks", "notebooks/src", "notebooks/_build.py", "tests/notebooks",
               "tests/i18n/test_bilingual_sources.py")
#: A ``.py`` file with this comment in its first five lines is grader-only wherever it is.
GRADER_ONLY_MARK = "# GRADER ONLY"
#: A test that imports the grading package cannot run in a student copy: grader-only too.
_IMPORTS_GRADING = re.compile(r"^\s*(from|import)\s+cs231n_lin\.grading\b", re.MULTILINE)


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
    if any(rel == g or rel.startswith(g + "/") for g in GRADER_ONLY):
        return True
    if path.suffix != ".py":
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    return any(line.strip() == GRADER_ONLY_MARK for line in text.splitlines()[:5]) or (
        rel.startswith("tests/") and _IMPORTS_GRADING.search(text) is not None)


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
    from cs231n_lin._paths import PACKAGE_DIR, repo_root

    root = repo_root()
    if root is None:
        raise ValueError(
            f"cannot find the instructor repository: {PACKAGE_DIR.parent} has no cs231n-lin "
            "pyproject.toml (is the package installed from site-packages?); pass --source DIR"
        )
    return root


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
        nb = load_notebook(src.read_text(encoding="utf-8"), rel)
        for k, cell in enumerate(nb["cells"]):
            where = f"{rel}, {cell_label(k, cell)}"
            kind = cell.get("cell_type")
            text = cell_source(cell)
            secret = solution_lines(text, where, markdown=kind == "markdown") if kind in (
                "code", "markdown") and is_solution_cell(cell) else []
            seen.text(text, secret, where, file=rel, code=kind == "code")
            label = cell_label(k, cell)
            if kind == "markdown" and blank_solution_markdown(cell, path=rel, label=label) is not cell:
                report.answers += len(markdown_regions(text, where))
            elif kind == "code" and stub_solution_code(cell, path=rel, label=label) is not cell:
                report.regions += len(code_regions(text, where))
        text = dump_notebook(release_notebook(nb, rel))
        if any(is_solution_cell(c) for c in nb["cells"]):
            report.stubbed.append(rel)
        validate_notebook(text, rel)
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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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


def release(*, source: Path, out_dir: Path, lang: str = "en") -> ReleaseReport:
    """Write the student version of ``source`` to ``out_dir`` (see the module docstring).

    Parameters
    ----------
    source : Path
        The instructor repository (with solutions and ``tests/hidden/``).
    out_dir : Path
        Where the student version goes; must not exist or be an empty directory.
    lang : str
        The students' language: ``"en"`` (default) or ``"zh"``. Both languages' notebooks are
        always released, with ``README.md`` (English) and ``README.zh.md`` (中文); with ``"zh"`` the
        Chinese README is ``README.md`` (the English one ``README.en.md``) and a ``cs231n-lin.cfg``
        at the top selects Chinese for the feedback.

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
    from cs231n_lin.i18n import validate_lang

    validate_lang(lang, "lang")
    source = Path(source).resolve()
    out = Path(out_dir).absolute()
    if not source.is_dir():
        raise ValueError(f"source {source} is not a directory")
    _check_out_dir(out, source)
    released, grader_only = walk(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    os.chmod(tmp, 0o777 & ~_umask())           # mkdtemp makes 0700; the folder gets the usual mode
    report = ReleaseReport(out_dir=out)
    report.left_out = sorted({next((g for g in GRADER_ONLY if r == g or r.startswith(g + "/")), r)
                              for r in grader_only})
    try:
        seen = _Collected()
        for rel in released:
            _release_file(source, rel, tmp / rel, seen, report)
        _relax_lint(tmp / "pyproject.toml", report.stubbed)
        if (source / "Makefile").is_file():
            (tmp / "Makefile").write_text(student_makefile((source / "Makefile").read_text(encoding="utf-8")),
                                          encoding="utf-8")
        if (source / "README.md").is_file():
            write_readmes(source / "README.md", tmp, lang)
        hidden_lines, digests = hidden_candidates(source, grader_only)
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
        mismatch = table_problems(tmp)
        if mismatch:
            raise LeakError("release stopped, nothing written: the notebooks and the task table "
                            "(cs231n_lin/tasks/table.py) disagree:\n  " + "\n  ".join(mismatch[:20]))
        answers = find_answer_code(tmp)
        if answers:
            shown = "\n".join(f"  {f}: {code!r} computes {what}" for f, code, what in answers[:20])
            raise LeakError(
                f"release stopped, nothing written: {len(answers)} place(s) outside the solution regions "
                f"compute what students must write (rewrite them, e.g. with a loop, or move them into "
                f"a solution region):\n{shown}"
            )
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def main(*, out_dir: str | os.PathLike, source: str | os.PathLike | None = None, lang: str = "en") -> int:
    """``cs231n-lin release OUT_DIR [--source DIR] [--lang zh]``: release and print what was done."""
    src = Path(source) if source is not None else find_source()
    report = release(source=src, out_dir=Path(out_dir), lang=lang)
    print(f"student version written to {report.out_dir}")
    print(f"  {report.files} files, {report.notebooks} notebooks; {report.regions} solution regions "
          f"stubbed, {report.answers} written answers blanked")
    print(f"  left out (grader only): {', '.join(report.left_out) or 'nothing found'}")
    print(f"  leak check passed: none of {report.secrets} solution/hidden-test lines is in the output")
    if report.shown_anyway:
        print(f"  note: {report.shown_anyway} solution lines also occur as visible code of their own "
              "file, so they are not treated as secret")
    return 0
