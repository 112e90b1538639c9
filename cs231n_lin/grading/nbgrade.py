"""Notebook grading: points judged outside the kernel, the notebook run for the student's feedback.

For each reference notebook (``notebooks/*.ipynb`` in the grader's repository) with check cells:

* **points.** A check cell earns its points (``cell.metadata["points"]``, default 1) only if every
  judged function it names passed in the grader's process: the package functions of the hidden
  cases, and the notebook's own solution functions judged by :mod:`cs231n_lin.grading.nbcases`
  (hidden inputs, returned data compared with the reference's). A check cell that names no judged
  function cannot earn points (``judged_names`` lets a test keep the notebooks in line). The
  cell must also have run without error in the student's notebook run below: that can only lower
  a grade, never raise it.
* **feedback.** The rebuilt notebook -- the reference's cells, with the student's solution cells
  (by cell id) and the student's own markdown answers -- goes into the sandbox with NO outputs and
  NO instructor answers, cut to the cells that carry points or feedback: the check cells, the
  student's solution cells and the cells they need (``nb_select``); the lesson's demonstrations
  (training runs, sweeps, searches) are not re-run, and an error their outputs show in the
  notebook as submitted is reported as feedback (:func:`submitted_errors`). ``nb_execute.py``
  runs the notebooks one after the other in one kernel with nbclient (kernel launched by
  ``nb_kernel_launch.py``, which drops to the sandbox uid), and the grader compares each check
  cell's output with the reference's here, after nbval's sanitize patterns
  (``nbval_sanitize.cfg``), to tell the student what differed.

The student's notebook may be the English one or the Chinese one (``notebooks/zh/``, same cell
ids); :func:`read_student_notebooks` picks the one with more answers. The kernel always runs in
English (``CS231N_LIN_LANG=en``), so the check cells' output compares with the English reference's.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shutil
from pathlib import Path

from nbval.plugin import get_sanitize_patterns

from cs231n_lin.checks.cells import cell_source, is_check_cell, is_solution_cell
from cs231n_lin.grading import sandbox
from cs231n_lin.grading.nb_select import needed_cells
from cs231n_lin.grading.nbcases import no_magics
from cs231n_lin.grading.results import TestResult
from cs231n_lin.grading.sandbox import Limits
from cs231n_lin.grading.worker import _chown_tree, _hidden_paths, _read_regular
from cs231n_lin.tasks.locate import notebook_candidates

KERNEL_NAME = "cs231n-sandbox"
MAX_RUN_JSON = 4 * 1024**2


def rebuild(reference: dict, student: dict | None, *, needed_only: bool = True,
            ) -> tuple[dict, list[tuple[int, dict]]]:
    """The notebook to run (no outputs, no instructor answers); ``(code_index, reference_cell)`` per check.

    With ``needed_only`` (the default) it holds only the code cells that carry points or feedback
    -- the check cells and the student's solution cells -- and the cells they need
    (:func:`cs231n_lin.grading.nb_select.needed_cells`); the lesson's other cells are not run.
    ``nb["metadata"]["cs231n_lin_skipped"]`` lists the ids of the code cells left out.
    """
    mine = {}
    if isinstance(student, dict) and isinstance(student.get("cells"), list):
        for c in student["cells"]:
            if isinstance(c, dict) and isinstance(c.get("id"), str):
                mine.setdefault((c["id"], c.get("cell_type")), c)
    nb = copy.deepcopy(reference)
    cells = []
    for ref in reference["cells"]:
        cell = {k: copy.deepcopy(v) for k, v in ref.items() if k not in ("outputs", "execution_count")}
        kind = cell.get("cell_type")
        if is_solution_cell(ref):
            own = mine.get((ref.get("id"), kind))
            cell["source"] = cell_source(own) if own is not None else (
                f"raise NotImplementedError({_missing(reference, ref)!r})"
                if kind == "code" else "(your answer is missing from your notebook)")
        if kind == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append((ref, cell))
    code = [(ref, cell) for ref, cell in cells if cell.get("cell_type") == "code"]
    keep = set(range(len(code)))
    if needed_only:
        required = {k for k, (ref, _) in enumerate(code) if is_check_cell(ref) or is_solution_cell(ref)}
        keep = needed_cells([cell_source(cell) for _, cell in code], required)
    dropped = {id(cell) for k, (_, cell) in enumerate(code) if k not in keep}
    checks, code_index, out = [], 0, []
    for ref, cell in cells:
        if id(cell) in dropped:
            continue
        if cell.get("cell_type") == "code":
            if is_check_cell(ref):
                checks.append((code_index, ref))
            code_index += 1
        out.append(cell)
    nb["cells"] = out
    nb.setdefault("metadata", {})["cs231n_lin_skipped"] = [
        str(cell.get("id", "")) for k, (_, cell) in enumerate(code) if k not in keep]
    return nb, checks


def _missing(reference: dict, ref: dict) -> str:
    """The "not written yet" message of a solution cell the student's notebook no longer has."""
    from cs231n_lin.checks.cells import section_heading

    cells = reference["cells"]
    heading = section_heading(cells, cells.index(ref))
    where = f' under "{heading}"' if heading else ""
    return (f"not written yet: the cell with id {ref.get('id')}{where} is missing from your notebook "
            "(deleted?); copy it back from a fresh release")


def names_in(source: str) -> set[str]:
    """Identifiers a cell's code uses (names and attribute names)."""
    try:
        tree = ast.parse(no_magics(source))
    except SyntaxError:
        return set(re.findall(r"\b[A-Za-z_]\w*\b", source))
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def student_names(reference: dict) -> set[str]:
    """Names the reference's solution code cells define (what the student's cells must define)."""
    out: set[str] = set()
    for cell in reference.get("cells", []):
        if cell.get("cell_type") == "code" and is_solution_cell(cell):
            try:
                tree = ast.parse(cell_source(cell))
            except SyntaxError:
                continue
            for stmt in tree.body:  # top-level definitions only (not a function's local variables)
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    out.add(stmt.name)
                elif isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                    out.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return out


def judged_names(reference: dict, judged: set[str]) -> list[tuple[str, set[str]]]:
    """``(cell id, judged names it uses)`` for every check cell of ``reference``."""
    return [(str(c.get("id")), names_in(cell_source(c)) & judged)
            for c in reference.get("cells", []) if is_check_cell(c)]


#: Where a student's notebook may be: the English one (``notebooks/``) first, then the Chinese one.
LANG_FOLDERS = ("", "zh")


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
        present, renamed = [], {}
        for sub in LANG_FOLDERS:
            place = folder / sub if sub else folder
            if not folder.is_dir() or folder.is_symlink() or place.is_symlink():
                continue
            for path, note in notebook_candidates(place, ref_path.name):
                present.append(path)
                renamed[path] = note
        if not present:
            notes.append(f"{ref_path.name}: not found in your submission "
                         f"(expected notebooks/{ref_path.name} or notebooks/zh/{ref_path.name})")
            continue
        try:
            reference = _read_json(ref_path)
            solution_ids = {c.get("id") for c in reference.get("cells", []) if is_solution_cell(c)}
        except (ValueError, OSError):
            solution_ids = set()
        best, best_answered, used = None, -1, None
        for mine in present:
            try:
                nb = json.loads(_read_regular(mine).decode("utf-8"))
            except (ValueError, UnicodeDecodeError, OSError):
                notes.append(f"{mine.relative_to(submission_dir)}: your notebook is not valid JSON; "
                             "solution cells were not found")
                continue
            answered = _answered(nb, solution_ids) if isinstance(nb, dict) else -1
            if answered > best_answered:
                best, best_answered, used = nb, answered, mine
        found[ref_path.name] = best
        if best is not None and renamed.get(used):
            notes.append(renamed[used])
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


def reference_notebooks(notebooks_dir: Path) -> dict[str, dict]:
    """The reference notebooks that have check cells, by file name."""
    out = {}
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        if any(is_check_cell(c) for c in nb.get("cells", [])):
            out[path.name] = nb
    return out


def _plain(text: str, patterns: list) -> str:
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return "\n".join(ln.rstrip() for ln in text.strip().splitlines())


def _reference_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(cell_source({"source": out.get("text", "")}))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append(cell_source({"source": out.get("data", {}).get("text/plain", "")}) + "\n")
    return "".join(parts)


def grade_notebooks(submission_dir: Path, sandbox_dir: Path, notebooks_dir: Path, *, limits: Limits,
                    judged: dict[str, tuple[bool, str]], mode: str | None = None,
                    student_notebooks: tuple[dict, list[str]] | None = None,
                    ) -> tuple[list[TestResult], list[str]]:
    """TestResults for the check cells of every reference notebook (see the module docstring).

    ``judged`` maps each function judged in the grader (package and notebook cases) to
    ``(passed, why)``; ``student_notebooks`` is :func:`read_student_notebooks`'s result, taken
    before any student code ran on ``submission_dir``.
    """
    mode = mode or sandbox.detect_mode()
    found, notes = student_notebooks or read_student_notebooks(submission_dir, notebooks_dir)
    notes = list(notes)
    sanitize = Path(notebooks_dir) / "nbval_sanitize.cfg"
    patterns = get_sanitize_patterns(sanitize.read_text()) if sanitize.is_file() else []
    if os.geteuid() == 0 and mode != "none":
        _chown_tree(submission_dir, sandbox.sandbox_uid())
    tests: list[TestResult] = []
    refs = reference_notebooks(notebooks_dir)
    rebuilt = {name: rebuild(reference, found.get(name)) for name, reference in refs.items()}
    runs = _execute({name: nb for name, (nb, _) in rebuilt.items()}, submission_dir, sandbox_dir,
                    limits=limits, mode=mode)
    for name, reference in refs.items():
        checks = rebuilt[name][1]
        own = student_names(reference)
        run = runs[name]
        if run.get("stopped"):
            notes.append(f"{name}: your notebook did not run to the end ({run['stopped'][:200]})")
        notes += submitted_errors(name, found.get(name),
                                  rebuilt[name][0].get("metadata", {}).get("cs231n_lin_skipped", []))
        ran = {c.get("index"): c for c in run.get("cells", []) if isinstance(c, dict)}
        for k, (idx, ref) in enumerate(checks, start=1):
            points = float(ref.get("metadata", {}).get("points", 1))
            cid = ref.get("id")
            title = f"{Path(name).stem}: check cell {k}" + (f" (cell id {cid})" if cid else "")
            names = names_in(cell_source(ref))
            uses = sorted(names & set(judged))
            failed = [judged[f][1] for f in uses if not judged[f][0]]
            mine = ran.get(idx) or {}
            status, text = mine.get("status"), str(mine.get("text", ""))
            same = status is not None and _plain(text, patterns) == _plain(_reference_text(ref), patterns)
            if points == 0:  # a feedback-only cell (metadata points=0): the notebook run is shown, no points
                ok = status == "ok" and same
                msg = "feedback only, no points: " + ("passed" if ok else "your notebook's output differs")
            elif not uses and names & own:
                ok, msg = False, ("this check cell uses " + ", ".join(sorted(names & own)) + ", which the "
                                  "grader cannot judge outside the notebook (no hidden case): "
                                  "ask your instructor")
            elif not uses:  # depends on nothing the student writes: the notebook run decides
                ok = status == "ok" and same
                msg = "passed" if ok else "this cell's output differs from the reference's"
            elif failed:
                ok, msg = False, "not passed: " + "; ".join(failed[:3])
            elif status != "ok":
                ok, msg = False, ("your functions are correct on the grader's inputs, but this cell did "
                                  "not run "
                                  "in your notebook: " + (text.strip()[-600:] or str(status)))
            else:
                ok, msg = True, "passed: " + ", ".join(uses) + " correct on the grader's inputs"
            if status is not None and not same:
                msg += "\nIn your notebook this cell printed:\n" + text.strip()[:1200]
            tests.append(TestResult(title, points if ok else 0.0, points, msg, "visible"))
    return tests, notes


MAX_SUBMITTED_NOTES = 3


def submitted_errors(name: str, student: dict | None, skipped: list[str]) -> list[str]:
    """Feedback (no points) on the cells the grader did not run: errors shown in the notebook as submitted.

    The lesson's demonstrations (training runs, sweeps, searches) are not re-run to grade; what the
    student's own run of them shows is read from the submitted notebook.
    """
    if not isinstance(student, dict) or not isinstance(student.get("cells"), list) or not skipped:
        return []
    wanted, notes = set(skipped), []
    for cell in student["cells"]:
        if not (isinstance(cell, dict) and cell.get("cell_type") == "code" and cell.get("id") in wanted):
            continue
        outputs = cell.get("outputs")
        for out in outputs if isinstance(outputs, list) else []:
            if isinstance(out, dict) and out.get("output_type") == "error":
                what = f"{out.get('ename', '')}: {out.get('evalue', '')}"[:200]
                notes.append(f"{name}: cell {cell['id']} (not re-run by the grader; shown as in your "
                             f"notebook as submitted, no points) raised {what}")
                break
        if len(notes) >= MAX_SUBMITTED_NOTES:
            break
    return notes


def _execute(notebooks: dict[str, dict], submission_dir: Path, sandbox_dir: Path, *, limits: Limits,
             mode: str) -> dict[str, dict]:
    """Run the rebuilt notebooks in one sandbox run with ``nb_execute.py``; per notebook, what each
    code cell did (each report size-checked)."""
    nbio = sandbox_dir / "nbio"
    if nbio.exists():
        shutil.rmtree(nbio)
    (nbio / "out").mkdir(parents=True)
    (nbio / "jupyter" / "kernels" / KERNEL_NAME).mkdir(parents=True)
    here = Path(__file__).parent
    for helper in ("nb_execute.py", "nb_kernel_launch.py"):
        shutil.copyfile(here / helper, nbio / helper)
    for name, nb in notebooks.items():
        (nbio / name).write_text(json.dumps(nb), encoding="utf-8")
    paths = sandbox.python_paths()
    ins = (lambda p: sandbox.inside(str(p), str(sandbox_dir), mode))  # noqa: E731
    drop = os.geteuid() == 0 and mode != "none"
    kernel_env = {"PYTHONPATH": ins(submission_dir), "HOME": "/tmp", "MPLBACKEND": "Agg",
                  "MPLCONFIGDIR": "/tmp/mpl", "IPYTHONDIR": "/tmp/ipython", "OMP_NUM_THREADS": "1",
                  "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin",
                  "LANG": "C.UTF-8", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime-kernel",
                  # the reference outputs are the English ones, whatever language the student chose
                  "CS231N_LIN_LANG": "en"}
    settings = {"uid": sandbox.sandbox_uid() if drop else None,
                "limits": {"cpu": limits.cpu, "memory": limits.memory, "nproc": limits.nproc,
                           "fsize": limits.fsize},
                "python": paths["executable"], "env": kernel_env,
                "cwd": ins(submission_dir / "notebooks") if (submission_dir / "notebooks").is_dir()
                else ins(submission_dir)}
    (nbio / "kernel.json").write_text(json.dumps(settings))
    spec = {"argv": [paths["executable"], "-I", "-S", ins(nbio / "nb_kernel_launch.py"),
                     ins(nbio / "kernel.json"), "{connection_file}"],
            "display_name": "cs231n sandbox", "language": "python"}
    (nbio / "jupyter" / "kernels" / KERNEL_NAME / "kernel.json").write_text(json.dumps(spec))
    for d in ("runtime", "jdata", "jconfig", "ipython"):
        (nbio / d).mkdir(mode=0o700)
    env = {"PATH": "/usr/bin:/bin", "HOME": ins(nbio), "LANG": "C.UTF-8",
           "JUPYTER_PATH": ins(nbio / "jupyter"), "JUPYTER_RUNTIME_DIR": ins(nbio / "runtime"),
           "JUPYTER_DATA_DIR": ins(nbio / "jdata"), "JUPYTER_CONFIG_DIR": ins(nbio / "jconfig"),
           "IPYTHONDIR": ins(nbio / "ipython"), "PYTHONDONTWRITEBYTECODE": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    cell_timeout = max(5, int(limits.wall / 2))
    run = sandbox.run_sandboxed(
        [paths["executable"], "-I", ins(nbio / "nb_execute.py"), ins(nbio / "out"), KERNEL_NAME,
         str(cell_timeout), *[ins(nbio / name) for name in notebooks]],
        sandbox_dir=str(sandbox_dir), cwd=ins(nbio), limits=limits, env=env, hide=_hidden_paths(), mode=mode,
        drop_privileges=False)
    if os.environ.get("CS231N_GRADE_DEBUG"):
        print(run.stdout, run.stderr)
    why = "time limit" if run.timed_out else f"exit code {run.returncode}"
    out = {}
    for name in notebooks:
        try:
            data = json.loads(_read_regular(nbio / "out" / (name + ".json"), MAX_RUN_JSON).decode(
                "utf-8", errors="replace"))
            out[name] = data if isinstance(data, dict) else {"stopped": "unreadable run report"}
        except (OSError, ValueError):
            out[name] = {"stopped": f"the notebook run stopped ({why})"}
    return out
