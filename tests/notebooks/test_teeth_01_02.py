# GRADER ONLY
# (it holds wrong versions of the solutions, written from the reference, so it stays out of the release)
"""Every check cell of notebooks 01-02 fails on an unwritten copy and on a plausible wrong function.

Runs on copies of the package and of the two notebooks (the sources are never touched), executed
with errors allowed so that every cell runs:

- **empty**: every solution region (package and notebook cells) replaced by its release stub
  (``cs231n_lin.grading.release.markers.strip_py``): every check cell must print ``FAIL: ... not written
  yet`` -- no free points;
- **wrong**, **wrong2**: plausible mistakes written into the solution regions (package edits, or
  a notebook cell's solution replaced), one per student function and run: each check cell must
  print ``FAIL`` and name the likely cause. The six typical bugs of the student-walk issue that
  belong to these notebooks are among them: (a) the data loss not divided by N, (b) ``reg * W``
  in the gradient, (c) the correct class not zeroed in the vectorized hinge, (f) ``W += lr * grad``.

The checks take one student function each, so the mistakes of one run cannot hide each other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cs231n_lin.grading.release.markers import strip_py

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ("01_svm_hinge_loss", "02_squared_hinge")
SVM, FIT = "classifiers/linear_svm.py", "classifiers/linear_classifier.py"

#: run -> package edits (file under cs231n_lin/, the solution's text, the mistake). Each must match once.
PACKAGE_EDITS: dict[str, list[tuple[str, str, str]]] = {
    "wrong": [
        (SVM, "    loss = loss / num_train + reg * np.sum(W * W)\n",              # (a) not divided by N
         "    loss = loss + reg * np.sum(W * W)\n"),
        (SVM, "    margins[rows, y] = 0.0                                       # j == y_i does not count\n",
         ""),                                                                    # (c) correct class counted
        (SVM, "                slope = 2.0 * margin if squared else 1.0\n",      # squared slope without 2
         "                slope = margin if squared else 1.0\n"),
        (FIT, "            W -= self.learning_rate * grad ",                 # (f) up the gradient
         "            W += self.learning_rate * grad "),
        (FIT, "        return self.classes_[np.argmax(scores, axis=1)]\n",       # indices, not labels
         "        return np.argmax(scores, axis=1)\n"),
    ],
    "wrong2": [
        (SVM, "    dW = dW / num_train + 2 * reg * W\n",                         # (b) reg * W
         "    dW = dW / num_train + reg * W\n"),
        (SVM, "        dscores = 2.0 * margins                                  # dL/ds_j = 2 max(0, m_j)\n",
         "        dscores = margins\n"),                                         # squared slope without 2
    ],
}

#: run -> {function defined in a notebook cell (or "grid"): new body of its solution region}.
CELL_EDITS: dict[str, dict[str, str]] = {
    "wrong": {
        "hinge_score_gradient": "positive = (scores - scores[y] + delta) > 0\n"      # j == y counted
                                "grad = positive.astype(float)\n"
                                "grad[y] = -positive.sum()\n"
                                "return grad",
        "grid": "learning_rates = np.linspace(0.1, 3.2, 4)\nregs = np.linspace(1e-4, 0.1, 4)",
        "search_hyperparameters": "results = {}\n"
                                  "for lr in learning_rates:\n"
                                  "    for reg in regs:\n"
                                  "        m = clone(estimator).set_params(learning_rate=lr, reg=reg)\n"
                                  "        m.fit(X_train, y_train)\n"
                                  "        results[(lr, reg)] = (m.score(X_train, y_train),\n"
                                  "                              m.score(X_val, y_val))\n"
                                  "return results, max(results, key=lambda k: results[k][0])",
        "margin_loss": "positive = np.maximum(0.0, m)\n"
                       "if squared:\n"
                       "    return positive**2, positive\n"
                       "return positive, (m > 0).astype(float)",
    },
}

#: (run, check call in the cell) -> text the cell's output must contain.
EXPECTED = {
    ("wrong", "checks.svm_naive_loss("): "Likely cause: Your loss is not averaged over the examples",
    ("wrong", "checks.hinge_score_gradient("): "Likely cause: the correct class is counted as a violator",
    ("wrong", "checks.svm_naive_gradient("): "Likely cause: Your loss is not averaged",
    ("wrong", "checks.svm_vectorized("): "the correct class in the hinge sum",
    ("wrong", "checks.sgd_step("): "Likely cause: LinearSVM.fit moves W UP the gradient",
    ("wrong", "checks.predict("): "Likely cause: LinearSVM.predict returns the column index",
    ("wrong", "checks.log_grid("): "Likely cause: the values are evenly spaced, not log-spaced",
    ("wrong", "checks.search_hyperparameters("): "Likely cause: the best pair is chosen by TRAINING accuracy",
    ("wrong", "checks.margin_loss("): "Likely cause: the factor 2 is missing",
    ("wrong", "checks.svm_squared(svm_loss_naive)"): "FAIL: svm_loss_naive with squared=True",
    ("wrong2", "checks.svm_naive_gradient("): "Likely cause: Your regularization gradient is reg * W",
    ("wrong2", "checks.svm_squared(svm_loss_vectorized)"): "FAIL: svm_loss_vectorized with squared=True",
}


def _replace_solution(source: str, body: str) -> str:
    lines = source.splitlines()
    begin = next(i for i, ln in enumerate(lines) if ln.strip() == "# BEGIN SOLUTION")
    end = next(i for i, ln in enumerate(lines) if ln.strip() == "# END SOLUTION")
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    return "\n".join(lines[:begin] + [indent + ln for ln in body.splitlines()] + lines[end + 1:])


def _cell_function(source: str) -> str:
    return next((f for f in ("hinge_score_gradient", "search_hyperparameters", "margin_loss")
                 if f"def {f}(" in source), "grid")


def _make_copy(root: Path, run: str) -> None:
    """The package and notebooks 01-02 under ``root``: emptied (run "empty") or with the run's mistakes."""
    shutil.copytree(ROOT / "cs231n_lin", root / "cs231n_lin", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("linear_svm.py", "softmax.py", "linear_classifier.py"):
        path = root / "cs231n_lin" / "classifiers" / name
        if run == "empty":
            path.write_text(strip_py(path.read_text(), f"cs231n_lin/classifiers/{name}"))
    for file, old, new in PACKAGE_EDITS.get(run, []):
        path = root / "cs231n_lin" / file
        text = path.read_text()
        assert text.count(old) == 1, f"stale mistake for {file}: {old!r}"
        path.write_text(text.replace(old, new))
    (root / "notebooks").mkdir()
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "# BEGIN SOLUTION" not in cell.source:
                continue
            if run == "empty":
                cell.source = strip_py(cell.source, f"notebooks/{name}.ipynb", cell=cell.get("id"))
            elif _cell_function(cell.source) in CELL_EDITS.get(run, {}):
                cell.source = _replace_solution(cell.source, CELL_EDITS[run][_cell_function(cell.source)])
        nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")


RUNNER = """
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
               resources={"metadata": {"path": str(sys.argv[2])}}).execute()
nbformat.write(nb, path)
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[tuple[str, str], nbformat.NotebookNode]:
    """``(run, notebook) -> executed notebook``; two notebooks at a time (the machine has 2 cores)."""
    jobs = []
    for run in ("empty", "wrong", "wrong2"):
        root = tmp_path_factory.mktemp(run)
        _make_copy(root, run)
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(root))
        for name in NAMES:
            path = root / "notebooks" / f"{name}.ipynb"
            jobs.append(((run, name), path, [sys.executable, "-c", RUNNER, str(path), str(path.parent)], env))
    results, running = {}, []
    while jobs or running:
        while jobs and len(running) < 2:
            key, path, cmd, env = jobs.pop(0)
            running.append((key, path, subprocess.Popen(cmd, env=env, cwd=path.parent)))
        key, path, proc = running.pop(0)
        assert proc.wait(timeout=900) == 0, f"running {key} failed"
        results[key] = nbformat.read(path, as_version=4)
    return results


def _check_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells
            if c.cell_type == "code" and "nbval-check-output" in c.metadata.get("tags", [])]


def _text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.outputs:
        parts.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
        if out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "\n".join(parts)


def _expected(run: str, source: str) -> str | None:
    return next((text for (r, call), text in EXPECTED.items() if r == run and call in source), None)


def test_every_check_cell_is_guarded_by_a_wrong_function():
    for name in NAMES:
        cells = _check_cells(nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4))
        assert cells, f"{name} has no check cells"
        for cell in cells:
            assert _expected("wrong", cell.source) or _expected("wrong2", cell.source), (
                f"{name}: no wrong function is expected to fail the check cell {cell.source!r}")


def test_every_edit_still_matches_the_reference():
    for run, edits in PACKAGE_EDITS.items():
        for file, old, _ in edits:
            assert (ROOT / "cs231n_lin" / file).read_text().count(old) == 1, f"{run}: stale edit {old!r}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_check_cells_fail_when_nothing_is_written(name, executed):
    cells = _check_cells(executed[("empty", name)])
    assert cells
    for cell in cells:
        text = _text(cell)
        assert text.startswith("FAIL:") and "not written yet" in text, f"{cell.id}: {cell.source}\n{text}"


@pytest.mark.slow
@pytest.mark.parametrize("run", ["wrong", "wrong2"])
@pytest.mark.parametrize("name", NAMES)
def test_check_cells_fail_on_a_wrong_function(run, name, executed):
    """The check cells a run targets fail, naming the cause (the others may pass)."""
    targeted = 0
    for cell in _check_cells(executed[(run, name)]):
        expected = _expected(run, cell.source)
        if expected is None:
            continue
        targeted += 1
        text = _text(cell)
        assert text.startswith("FAIL:") and expected in text, f"{cell.id}: {cell.source}\n{text}"
    assert targeted, f"run {run} targets no check cell of {name}"
