"""Grade notebooks with nbval, on notebooks rebuilt from the reference, inside the sandbox.

For each reference notebook (``notebooks/*.ipynb`` in the grader's repository) that has check
cells (first line ``# NBVAL_CHECK_OUTPUT``):

* rebuild it: every cell comes from the reference (check cells with their reference outputs)
  except solution cells (code cells whose reference source contains ``# BEGIN SOLUTION``), whose
  source is taken from the student's notebook cell with the same id. Edited check cells and saved
  fake outputs in the student's notebook are thus ignored. Before each check cell a grader
  guard cell prints what ``numpy.allclose``/``array_equal`` and ``abs`` say on known inputs; if a
  solution cell monkeypatched them, the guard fails and so does the check it protects;
* run ``pytest --nbval-lax`` on it in the sandbox. pytest runs with no conftest, no ini file of
  the submission and no plugin autoload; the kernel is started by ``nb_kernel_launch.py``, which
  drops to the sandbox uid first, so student code never shares a process (or a uid) with the
  checker. A small plugin (``nb_guard.py``) also fails a cell whose ``execute_reply`` says
  ``error`` -- so overriding IPython's ``showtraceback`` does not hide an exception;
* award each check cell's points (``cell.metadata["points"]``, default 1) if nbval passed it and
  its guard. A ``nbval_sanitize.cfg`` next to the reference notebooks is passed to nbval.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from cs231n_lin.checks.cells import CHECK_OUTPUT, cell_source, is_check_cell, is_solution_cell
from cs231n_lin.grading import sandbox
from cs231n_lin.grading.results import TestResult
from cs231n_lin.grading.sandbox import Limits

CHECK_MARKER = f"# {CHECK_OUTPUT}"
KERNEL_NAME = "cs231n-sandbox"
ANSI = re.compile(r"(\x1b|#x1B)\[[0-9;]*m")
GUARD_SOURCE = (
    "# NBVAL_CHECK_OUTPUT\n# grader guard: the checking functions must be untouched\n"
    "import numpy as _grader_np\n"
    "print(_grader_np.allclose([0.0], [1.0]), _grader_np.array_equal([1], [2]), abs(-3), 0.1 + 0.2 == 0.3)"
)
GUARD_OUTPUT = "False False 3 False\n"


def rebuild(reference: dict, student: dict | None) -> tuple[dict, list[tuple[int, int, dict]]]:
    """The notebook to run, and ``(guard_index, check_index, check_cell)`` code-cell indices per check."""
    by_id = {}
    if isinstance(student, dict) and isinstance(student.get("cells"), list):
        for c in student["cells"]:
            if isinstance(c, dict) and isinstance(c.get("id"), str) and c.get("cell_type") == "code":
                by_id.setdefault(c["id"], c)
    nb = copy.deepcopy(reference)
    cells, checks = [], []
    code_index = 0
    for cell in reference["cells"]:
        cell = copy.deepcopy(cell)
        if is_solution_cell(cell):
            mine = by_id.get(cell.get("id"))
            src = cell_source(mine) if mine is not None else (
                f"raise NotImplementedError('solution cell {cell.get('id')} is missing from your notebook')")
            cell["source"] = src
            cell["outputs"] = []
            cell["execution_count"] = None
        elif is_check_cell(cell):
            guard = {"cell_type": "code", "id": f"grader-guard-{len(checks)}", "metadata": {},
                     "execution_count": 1, "source": GUARD_SOURCE,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": GUARD_OUTPUT}]}
            cells.append(guard)
            checks.append((code_index, code_index + 1, cell))
            code_index += 1
            if cell.get("execution_count") is None:
                cell["execution_count"] = 1
        if cell.get("cell_type") == "code":
            code_index += 1
        cells.append(cell)
    nb["cells"] = cells
    return nb, checks


def _failures(junit: Path) -> tuple[set[int], dict[int, str], bool]:
    """Failed code-cell indices, their messages, and whether the report was complete."""
    failed, messages, seen = set(), {}, False
    try:
        tree = ET.parse(junit)
    except (OSError, ET.ParseError):
        return failed, messages, False
    for case in tree.iter("testcase"):
        name = case.get("name", "")
        if not name.startswith("Cell "):
            continue
        seen = True
        idx = int(name.split()[1])
        for tag in ("failure", "error", "skipped"):
            el = case.find(tag)
            if el is not None:
                failed.add(idx)
                text = (el.get("message") or "") + "\n" + (el.text or "")
                messages[idx] = _cell_message(ANSI.sub("", text))
    return failed, messages, seen


def _cell_message(text: str, limit: int = 1500) -> str:
    """nbval's report of a failed cell for a student: what went wrong on the first line (the
    exception, or the first ``FAIL`` line the check printed), then the report, its middle cut
    out if it is long (the end holds the exception, the start the cell's code)."""
    report = text.split("Traceback:", 1)[-1]
    errors = re.findall(r"^([A-Za-z_][\w.]*(?:Error|Exception)(?::.*)?)$", report, re.MULTILINE)
    fails = re.findall(r"^[ \t+-]*((?:\S.*)?\bFAIL\b.*)$", report, re.MULTILINE)
    said = errors[-1].strip() if errors else (fails[0].strip() if fails else "")
    if len(text) > limit:
        text = text[: limit // 2] + "\n[...]\n" + text[-limit // 2:]
    return f"{said}\n\n{text}" if said else text


#: Where a student's notebook may be, first the Chinese one (``notebooks/zh/``), then the English one.
LANG_FOLDERS = ("zh", "")


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
        candidates = [folder / sub / ref_path.name for sub in LANG_FOLDERS]
        present = [m for m in candidates if folder.is_dir() and not folder.is_symlink()
                   and not m.parent.is_symlink() and m.is_file() and not m.is_symlink()]
        if not present:
            notes.append(f"{ref_path.name}: not found in your submission "
                         f"(expected notebooks/{ref_path.name} or notebooks/zh/{ref_path.name})")
            continue
        try:
            reference = _read_json(ref_path)
            solution_ids = {c.get("id") for c in reference.get("cells", []) if is_solution_cell(c)}
        except (ValueError, OSError):
            solution_ids = set()
        best, best_answered = None, -1
        for mine in present:
            try:
                nb = _read_json(mine)
            except (ValueError, UnicodeDecodeError):
                notes.append(f"{mine.relative_to(submission_dir)}: your notebook is not valid JSON; "
                             "solution cells were not found")
                continue
            answered = _answered(nb, solution_ids) if isinstance(nb, dict) else -1
            if answered >= best_answered:          # candidates end with English: it wins a tie
                best, best_answered = nb, answered
        found[ref_path.name] = best
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


def grade_notebooks(submission_dir: Path, sandbox_dir: Path, notebooks_dir: Path, *, limits: Limits,
                    mode: str | None = None, student_notebooks: tuple[dict, list[str]] | None = None
                    ) -> tuple[list[TestResult], list[str]]:
    """TestResults for the check cells of every reference notebook (see the module docstring).

    ``student_notebooks`` is :func:`read_student_notebooks`'s result, taken before any student
    code ran on ``submission_dir`` (read here if not given).
    """
    mode = mode or sandbox.detect_mode()
    tests: list[TestResult] = []
    found, notes = student_notebooks or read_student_notebooks(submission_dir, notebooks_dir)
    notes = list(notes)
    refs = sorted(Path(notebooks_dir).glob("*.ipynb"))
    nbio = sandbox_dir / "nbio"
    if os.geteuid() == 0 and mode != "none":
        from cs231n_lin.grading.worker import _chown_tree

        _chown_tree(submission_dir, sandbox.sandbox_uid())
    for ref_path in refs:
        reference = json.loads(ref_path.read_text(encoding="utf-8"))
        if not any(is_check_cell(c) for c in reference.get("cells", [])):
            continue
        nb, checks = rebuild(reference, found.get(ref_path.name))
        sanitize = Path(notebooks_dir) / "nbval_sanitize.cfg"
        failed, messages, complete = _run_nbval(nb, ref_path.name, submission_dir, sandbox_dir, nbio,
                                                limits=limits, mode=mode,
                                                sanitize=sanitize if sanitize.is_file() else None)
        if not complete:
            notes.append(f"{ref_path.name}: the notebook run did not finish (time limit {limits.wall:g} s?)")
        for k, (guard, idx, cell) in enumerate(checks, start=1):
            points = float(cell.get("metadata", {}).get("points", 1))
            cid = cell.get("id")
            name = f"{ref_path.stem}: check cell {k}" + (f" (cell id {cid})" if cid else "")
            if not complete:
                ok, msg = False, "the notebook did not run to the end"
            elif guard in failed:
                ok, msg = False, ("numpy's checking functions (allclose/array_equal) or builtins were "
                                  "changed by a solution cell before this check; it cannot count")
            elif idx in failed:
                ok, msg = False, "this check cell did not pass:\n" + messages.get(idx, "").strip()
            else:
                ok, msg = True, "passed"
            tests.append(TestResult(name, points if ok else 0.0, points, msg, "visible"))
    if nbio.exists():
        shutil.rmtree(nbio, ignore_errors=True)
    return tests, notes


def _run_nbval(nb: dict, name: str, submission_dir: Path, sandbox_dir: Path, nbio: Path, *,
               limits: Limits, mode: str, sanitize: Path | None = None
               ) -> tuple[set[int], dict[int, str], bool]:
    if nbio.exists():
        shutil.rmtree(nbio)
    (nbio / "out").mkdir(parents=True)
    (nbio / "jupyter" / "kernels" / KERNEL_NAME).mkdir(parents=True)
    here = Path(__file__).parent
    for helper in ("nb_guard.py", "nb_kernel_launch.py", "nb_run.py"):
        shutil.copyfile(here / helper, nbio / helper)
    (nbio / "pytest.ini").write_text("[pytest]\n")
    # The rebuilt notebook lives in the root-owned nbio/ (the kernel cannot replace it); the
    # kernel itself starts in the student's notebooks folder (nb_kernel_launch chdirs there).
    target = nbio / name
    target.write_text(json.dumps(nb), encoding="utf-8")
    os.chmod(target, 0o644)
    paths = sandbox.python_paths()
    ins = (lambda p: sandbox.inside(str(p), str(sandbox_dir), mode))  # noqa: E731
    drop = os.geteuid() == 0 and mode != "none"
    uid = sandbox.sandbox_uid()
    kernel_env = {"PYTHONPATH": ins(submission_dir), "HOME": "/tmp", "MPLBACKEND": "Agg",
                  "MPLCONFIGDIR": "/tmp/mpl", "IPYTHONDIR": "/tmp/ipython", "OMP_NUM_THREADS": "1",
                  "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin",
                  "LANG": "C.UTF-8", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime-kernel",
                  # the reference outputs are the English ones, whatever language the student chose
                  "CS231N_LIN_LANG": "en"}
    settings = {"uid": uid if drop else None, "limits": {"cpu": limits.cpu, "memory": limits.memory,
                                                         "nproc": limits.nproc, "fsize": limits.fsize},
                "python": paths["executable"], "env": kernel_env,
                "cwd": ins(submission_dir / "notebooks") if (submission_dir / "notebooks").is_dir()
                else ins(submission_dir)}
    (nbio / "kernel.json").write_text(json.dumps(settings))
    spec = {"argv": [paths["executable"], "-I", "-S", ins(nbio / "nb_kernel_launch.py"),
                     ins(nbio / "kernel.json"), "{connection_file}"],
            "display_name": "cs231n sandbox", "language": "python"}
    (nbio / "jupyter" / "kernels" / KERNEL_NAME / "kernel.json").write_text(json.dumps(spec))
    cell_timeout = max(5, int(limits.wall / 2))
    argv = [paths["executable"], "-I", ins(nbio / "nb_run.py"), "-p", "nb_guard", "--nbval-lax",
            "--nbval-kernel-name", KERNEL_NAME, "--nbval-cell-timeout", str(cell_timeout),
            "--noconftest", "-c", ins(nbio / "pytest.ini"), "--rootdir", ins(nbio), "-p", "no:cacheprovider",
            "-q", "--junitxml", ins(nbio / "out" / "junit.xml"), ins(target)]
    if sanitize is not None:  # the reference's output sanitizer (timings, addresses), as `make test` uses
        shutil.copyfile(sanitize, nbio / "sanitize.cfg")
        argv[-1:-1] = ["--nbval-sanitize-with", ins(nbio / "sanitize.cfg")]
    # pytest (root inside the sandbox) reads nothing the kernel's uid can write: every Jupyter and
    # IPython directory it uses is under the root-owned nbio/.
    for d in ("runtime", "jdata", "jconfig", "ipython"):
        (nbio / d).mkdir(mode=0o700)
    env = {"PATH": "/usr/bin:/bin", "HOME": ins(nbio), "LANG": "C.UTF-8",
           "JUPYTER_PATH": ins(nbio / "jupyter"),
           "JUPYTER_RUNTIME_DIR": ins(nbio / "runtime"), "JUPYTER_DATA_DIR": ins(nbio / "jdata"),
           "JUPYTER_CONFIG_DIR": ins(nbio / "jconfig"), "IPYTHONDIR": ins(nbio / "ipython"),
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1",
           "JUPYTER_PLATFORM_DIRS": "1"}
    run = sandbox.run_sandboxed(argv, sandbox_dir=str(sandbox_dir), cwd=ins(nbio), limits=limits, env=env,
                          hide=_hidden(), mode=mode, drop_privileges=False)
    if os.environ.get("CS231N_GRADE_DEBUG"):
        print(run.stdout, run.stderr)
    return _failures(nbio / "out" / "junit.xml")


def _hidden() -> list[str]:
    from cs231n_lin.grading.worker import _hidden_paths

    return _hidden_paths()
