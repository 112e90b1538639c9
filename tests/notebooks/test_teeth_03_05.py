# GRADER ONLY
# (it holds reference solutions of notebook cells, so it stays out of the student release)
"""Every check cell of notebooks 03-05 fails on an unwritten copy and on a plausible wrong function.

Two runs per notebook, each on a copy of the package and of the notebook (the sources are never
touched), executed with errors allowed so that every cell runs:

- **empty**: every solution region (package and notebook cells) replaced by its release stub
  (``cs231n_lin.grading.release.markers.strip_py``): every check cell must print
  ``FAIL: ... not written yet``;
- **wrong**: one plausible mistake per student function at once (a wrong definition appended to the
  package module, or the notebook cell's solution replaced): the check cell of each function must
  print ``FAIL`` and name the likely cause.

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
NAMES = ("03_softmax_cross_entropy", "04_numeric_stability", "05_svm_vs_softmax")

# Package mutants: appended to cs231n_lin/classifiers/softmax.py (they override the right ones).
PACKAGE_MUTANTS = """
_right_naive, _right_vectorized, _right_softmax = softmax_loss_naive, softmax_loss_vectorized, softmax

def softmax_loss_naive(W, X, y, reg):            # data loss summed, not averaged
    loss, dW = _right_naive(W, X, y, reg)
    reg_loss = reg * float(np.sum(W * W))
    return (loss - reg_loss) * X.shape[0] + reg_loss, dW

def softmax_loss_vectorized(W, X, y, reg):       # the -1 at the correct class forgotten
    loss, dW = _right_vectorized(W, X, y, reg)
    onehot = np.eye(W.shape[1], dtype=W.dtype)[y]
    return loss, dW + (X.T @ onehot / X.shape[0]).astype(dW.dtype)

def softmax(scores, axis=-1):                    # no max shift
    e = np.exp(np.asarray(scores, dtype=float))
    return e / np.sum(e, axis=axis, keepdims=True)

def log_softmax(scores, axis=-1):                # log of the (right, shifted) softmax: log(0) = -inf
    return np.log(_right_softmax(scores, axis=axis))
"""

# Notebook-cell mutants: the new body of the cell's solution region, by function name.
CELL_MUTANTS = {
    "cross_entropy_two_ways": "p = np.exp(f) / np.sum(np.exp(f))\n"
                              "return np.log(p[y]), -f[y] + np.log(np.sum(np.exp(f)))",
    "softmax_score_gradient": "return np.exp(f) / np.sum(np.exp(f))",
    "logsumexp_rows": "m = np.max(S)\nreturn m + np.log(np.sum(np.exp(S - m), axis=1))",
    "hinge_and_cross_entropy": "rows = np.arange(S.shape[0])\n"
                               "margins = np.maximum(0.0, S - S[rows, y][:, None] + delta)\n"
                               "return margins.sum(axis=1), -log_softmax(S, axis=1)[rows, y]",
}

# check call in the cell -> text its output must contain in the "wrong" run
EXPECTED_WRONG = {
    "checks.cross_entropy_two_ways(": "Likely cause: the minus sign is missing",
    "checks.softmax_score_gradient(": "Likely cause: the -1 at the correct class is missing",
    "checks.softmax_naive(": "FAIL: softmax_loss_naive",
    "checks.softmax_vectorized(": "FAIL: softmax_loss_vectorized",
    "checks.logsumexp_rows(": "Likely cause: one maximum for the whole matrix",
    "checks.softmax(": "Likely cause: The result of your softmax is not finite",
    "checks.log_softmax(": "Likely cause: Your log_softmax takes the log of probabilities that underflowed",
    "checks.softmax_losses_large_scores(": "FAIL: softmax losses",
    "checks.hinge_and_cross_entropy(": "Likely cause: the correct class adds a margin",
}


def _replace_solution(source: str, body: str) -> str:
    lines = source.splitlines()
    begin = next(i for i, ln in enumerate(lines) if ln.strip() == "# BEGIN SOLUTION")
    end = next(i for i, ln in enumerate(lines) if ln.strip() == "# END SOLUTION")
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    return "\n".join(lines[:begin] + [indent + ln for ln in body.splitlines()] + lines[end + 1:])


def _make_copy(root: Path, kind: str) -> None:
    """The package and notebooks 03-05 under ``root``, emptied or with the mutants."""
    shutil.copytree(ROOT / "cs231n_lin", root / "cs231n_lin", ignore=shutil.ignore_patterns("__pycache__"))
    classifiers = root / "cs231n_lin" / "classifiers"
    for name in ("softmax.py", "linear_svm.py", "linear_classifier.py"):
        path = classifiers / name
        text = path.read_text()
        if kind == "empty":
            text = strip_py(text, f"cs231n_lin/classifiers/{name}")
        elif name == "softmax.py":
            text += "\n# --- mutants for the teeth test ---\n" + PACKAGE_MUTANTS
        path.write_text(text)
    (root / "notebooks").mkdir()
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "# BEGIN SOLUTION" not in cell.source:
                continue
            if kind == "empty":
                cell.source = strip_py(cell.source, f"notebooks/{name}.ipynb", cell=cell.get("id"))
            else:
                function = next(f for f in CELL_MUTANTS if f"def {f}(" in cell.source)
                cell.source = _replace_solution(cell.source, CELL_MUTANTS[function])
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
    """``(kind, notebook) -> executed notebook`` for kind in ("empty", "wrong"); run two at a time."""
    jobs = []
    for kind in ("empty", "wrong"):
        root = tmp_path_factory.mktemp(kind)
        _make_copy(root, kind)
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(root))
        for name in NAMES:
            path = root / "notebooks" / f"{name}.ipynb"
            cmd = [sys.executable, "-c", RUNNER, str(path), str(path.parent)]
            jobs.append(((kind, name), path, cmd, env))
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


def test_every_check_cell_is_known():
    for name in NAMES:
        for cell in _check_cells(nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)):
            known = any(call in cell.source for call in EXPECTED_WRONG)
            assert known, f"{name}: nothing expected of {cell.source}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_check_cells_fail_when_nothing_is_written(name, executed):
    cells = _check_cells(executed[("empty", name)])
    assert cells
    for cell in cells:
        text = _text(cell)
        assert text.startswith("FAIL:") and "not written yet" in text, f"{cell.id}: {cell.source}\n{text}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_check_cells_fail_on_a_wrong_function(name, executed):
    cells = _check_cells(executed[("wrong", name)])
    assert cells
    for cell in cells:
        text = _text(cell)
        expected = next(v for k, v in EXPECTED_WRONG.items() if k in cell.source)
        assert text.startswith("FAIL:") and expected in text, f"{cell.id}: {cell.source}\n{text}"
