"""The student path, walked end to end on a real release (issue 11).

Starting from ``cs231n-lin release``, the solution regions are written one at a time in the
order the notebooks ask for them (taking the reference's code). After each step every cell up
to the next unwritten region must run without error, and the check cell right after the region
must fail before and pass after. At the end ``cs231n-lin check`` exits 0. Notebooks run in a
real kernel (nbclient); a kernel is restarted after a package file changes, as a student would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from cs231n_lin import tasks
from cs231n_lin.checks.cells import (
    cell_source,
    is_check_cell,
    is_solution_cell,
    named_check_call,
    section_heading,
)
from cs231n_lin.grading.release import release as rel

from .walk import (
    ROOT,
    STUB,
    WRITES,
    cell_text,
    errored,
    kernel_env,
    reference_cells,
    unwritten,
    write_function,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("walk") / "student"
    rel.release(source=ROOT, out_dir=out)
    return out


class Walker:
    """One notebook in one kernel; cells run in order, the kernel restarted when a package file changes."""

    def __init__(self, root: Path, path: Path):
        self.root, self.path = root, path
        self.nb = nbformat.read(path, as_version=4)
        self.ref = reference_cells(path.name)
        self.problems: list[str] = []
        self._ctx = None
        self.client: NotebookClient | None = None

    def where(self, i: int) -> str:
        heading = section_heading(self.nb.cells, i)
        return f'{self.path.name} > "{heading}" (cell id {self.nb.cells[i].get("id")})'

    def start(self) -> None:
        self.client = NotebookClient(self.nb, timeout=600, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(self.root / "notebooks")}})
        self._ctx = self.client.setup_kernel(env=kernel_env(self.root))
        self._ctx.__enter__()

    def stop(self) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(None, None, None)
            self._ctx = None

    def run(self, i: int):
        cell = self.nb.cells[i]
        self.client.execute_cell(cell, i)
        return cell

    def restart_and_run_to(self, i: int) -> None:
        self.stop()
        self.start()
        for k in range(i):
            if self.nb.cells[k].cell_type == "code":
                cell = self.run(k)
                if errored(cell):
                    self.problems.append(f"after a restart, {self.where(k)} raised {errored(cell)}")

    def next_check(self, i: int) -> int | None:
        for k in range(i + 1, len(self.nb.cells)):
            if is_check_cell(self.nb.cells[k]):
                return k
        return None


def _failed(cell) -> bool:
    text = cell_text(cell)
    return bool(errored(cell)) or "FAIL" in text or "PASS" not in text


def _walk_notebook(w: Walker, steps: list[str]) -> None:
    cells = w.nb.cells
    must_pass: set[int] = set()
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.cell_type != "code":
            i += 1
            continue
        name = named_check_call(cell) if is_check_cell(cell) else None
        stem, functions = WRITES.get(name, ("", ()))
        todo = [f for f in functions if unwritten(w.root, stem, f)]
        if todo:                                                   # a package function is asked for here
            before = w.run(i)
            if not _failed(before):
                w.problems.append(f"{w.where(i)} passes before {', '.join(todo)} is written")
            for function in todo:
                write_function(w.root, stem, function)
            steps.append(f"{', '.join(todo)} (asked in {w.where(i)})")
            w.restart_and_run_to(i)
            after = w.run(i)
            if _failed(after):
                w.problems.append(f"{w.where(i)} still fails after writing {todo}: {cell_text(after)[:300]}")
            i += 1
            continue
        if is_solution_cell(cell) and STUB in cell.source:         # a notebook solution cell
            check = w.next_check(i)
            w.run(i)
            if check is not None:
                before = w.run(check)
                if not _failed(before):
                    w.problems.append(f"{w.where(check)} passes before {w.where(i)} is written")
                must_pass.add(check)
            cell.source = w.ref[cell["id"]].source
            steps.append(f"the solution cell {w.where(i)}")
            ran = w.run(i)
            if errored(ran):
                w.problems.append(f"{w.where(i)} with the reference code raised {errored(ran)}")
            i += 1
            continue
        ran = w.run(i)
        if errored(ran):
            w.problems.append(f"{w.where(i)} raised {errored(ran)} (using something not asked for yet?)")
        elif is_check_cell(cell) and _failed(ran):
            w.problems.append(f"{w.where(i)} fails although everything above is written: "
                              f"{cell_text(ran)[:300]}")
        i += 1


def test_student_walk(released: Path, tmp_path: Path):
    root = tmp_path / "student"
    shutil.copytree(released, root)                  # the release itself stays unmodified
    steps: list[str] = []
    problems: list[str] = []
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        w = Walker(root, path)
        w.start()
        try:
            _walk_notebook(w, steps)
        finally:
            w.stop()
        nbformat.write(w.nb, path)                       # the student saves the notebook
        problems += w.problems
    left = sorted({f"{stem}.{f}" for stem, fs in WRITES.values() for f in fs if unwritten(root, stem, f)})
    assert not left, f"package regions no notebook asks for: {left}"
    assert not problems, "\n".join(problems)
    assert len(steps) >= 10, steps
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "check", "--json"], cwd=root,
                          env=kernel_env(root), capture_output=True, text=True, timeout=300)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    code_points = sum(t.points for t in tasks.of_kind("code"))
    assert proc.returncode == 0 and data["score"] == code_points and data["failures"] == [], data["failures"]
    assert data["max_score"] == tasks.max_points() and data["written"]["empty"] == data["written"]["answers"]


def test_unmodified_release_scores_0_and_says_what_to_write_first(released: Path, tmp_path: Path):
    root = tmp_path / "copy"
    shutil.copytree(released, root)
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "check", "--json"], cwd=root,
                          env=kernel_env(root), capture_output=True, text=True, timeout=300)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 1 and data["score"] == 0, data
    assert data["next"]["what"] == "not written yet: svm_loss_naive in cs231n_lin/classifiers/linear_svm.py"
    assert data["next"]["notebook"] == "01_svm_hinge_loss.ipynb"
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "demo", "--no-notebooks", "--out",
                           str(tmp_path / "build")], cwd=root, env=kernel_env(root), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "cs231n-lin check" in proc.stderr


# ---------------------------------------------------------------------------- six typical bugs

def _catalogue():
    """The grader's mutant catalogue (tests/grading/mutants.py), loaded once."""
    import importlib.util

    name = "_mutant_catalogue"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests/grading/mutants.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


#: (issue label, mutant of the catalogue, named check of the notebook cell that introduces it, cause)
SIX_BUGS = [
    ("a: data loss not divided by N", "svm_naive_not_averaged", "svm_naive_loss", "divide by N"),
    ("b: reg * W in the gradient", "svm_naive_reg_grad_factor1", "svm_naive_gradient", "2 * reg * W"),
    ("c: correct class not zeroed", "svm_vec_counts_correct_class", "svm_vectorized",
     "correct class in the hinge sum"),
    ("d: softmax without the max shift", "softmax_fn_no_shift", "softmax", "max-shift"),
    ("d: softmax loss without the max shift", "softmax_vec_no_shift", "softmax_vectorized", "max-shift"),
    ("e: softmax gradient without -1", "softmax_vec_no_onehot", "softmax_vectorized", "one-hot term"),
    ("f: W += lr * grad in fit", "fit_gradient_ascent", "sgd_step", "moves W UP the gradient"),
]
#: Bugs whose notebook check cell is not the first one calling the package check: notebook 03 checks the
#: losses on moderate scores, and the max shift is asked for (and checked on large scores) in notebook 04.
NOTEBOOK_CHECK = {"softmax_vec_no_shift": "softmax_losses_large_scores"}


@pytest.fixture(scope="module")
def solved(released: Path, tmp_path_factory) -> Path:
    from .walk import write_everything

    root = tmp_path_factory.mktemp("solved") / "student"
    shutil.copytree(released, root)
    write_everything(root)
    return root


def _asking_cell(root: Path, check: str) -> tuple[Path, int]:
    """The notebook and index of the first check cell calling ``checks.<check>(...)``."""
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            if is_check_cell(cell) and named_check_call(cell) == check:
                return path, i
    raise AssertionError(f"no notebook has a check cell calling checks.{check}(...)")


@pytest.mark.parametrize(("label", "mutant", "check", "cause"), SIX_BUGS, ids=[b[0][:1] + "-" + b[1]
                                                                               for b in SIX_BUGS])
def test_six_typical_bugs_each_fail_with_their_cause(solved: Path, tmp_path: Path, label, mutant, check,
                                                     cause):
    root = tmp_path / "copy"
    shutil.copytree(solved, root)
    next(m for m in _catalogue().BUGS if m.name == mutant).apply_to(root)
    # In the notebook that introduces the function: its imports, then its check cell, in a kernel.
    path, index = _asking_cell(root, NOTEBOOK_CHECK.get(mutant, check))
    nb = nbformat.read(path, as_version=4)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(root / "notebooks")}})
    with client.setup_kernel(env=kernel_env(root)):
        client.execute_cell(nb.cells[first_code], first_code)
        cell = client.execute_cell(nb.cells[index], index)
    text = cell_text(cell)
    assert text.startswith("FAIL") and "Likely cause:" in text and cause in text, text
    # And in `cs231n-lin check NN` (the notebook that asks for it): the same task, the same cause.
    task = tasks.for_call(path.name, cell_source(nb.cells[index]))
    part = path.name[:2]
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "check", part, "--json"], cwd=root,
                          env=kernel_env(root), capture_output=True, text=True, timeout=300)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    causes = [f["likely_cause"] or "" for f in data["failures"] if f["check"] == task.id]
    assert proc.returncode == 1 and any(cause in c for c in causes), data["failures"]
