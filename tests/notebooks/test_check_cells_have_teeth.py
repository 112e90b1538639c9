"""Each student function, replaced by a plausible wrong version, makes a check cell of its notebook fail.

The package is copied to a temporary folder, a wrong definition is appended to the module (it
overrides the right one), and that copy is put first on PYTHONPATH for an nbval run of the one
notebook that checks the function. The run must fail, and the failure must show the check
cell's own message to the student.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"

# function -> (module file, notebook, code appended to the module, text the failing check prints)
MUTANTS = {
    "svm_loss_naive": (
        "classifiers/linear_svm.py", "01_svm_hinge_loss.ipynb",
        # forgets `if j == y[i]: continue`: the correct class adds a margin of delta
        "_right = svm_loss_naive\n"
        "def svm_loss_naive(W, X, y, reg, delta=1.0, squared=False):\n"
        "    loss, dW = _right(W, X, y, reg, delta=delta, squared=squared)\n"
        "    return loss + (delta ** 2 if squared else delta), dW\n",
        "FAIL: expected 8",
    ),
    "svm_loss_vectorized": (
        "classifiers/linear_svm.py", "01_svm_hinge_loss.ipynb",
        # forgets to divide the data gradient by N
        "_right = svm_loss_vectorized\n"
        "def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n"
        "    loss, dW = _right(W, X, y, reg, delta=delta, squared=squared)\n"
        "    return loss, (dW - 2 * reg * W) * X.shape[0] + 2 * reg * W\n",
        "FAIL: dW differs from svm_loss_naive",
    ),
    "softmax_loss_naive": (
        "classifiers/softmax.py", "03_softmax_cross_entropy.ipynb",
        # sums the data loss over the examples instead of averaging it
        "_right = softmax_loss_naive\n"
        "def softmax_loss_naive(W, X, y, reg):\n"
        "    loss, dW = _right(W, X, y, reg)\n"
        "    reg_loss = reg * float(np.sum(W * W))\n"
        "    return (loss - reg_loss) * X.shape[0] + reg_loss, dW\n",
        "FAIL: with tiny weights the loss should be about log C",
    ),
    "softmax_loss_vectorized": (
        "classifiers/softmax.py", "03_softmax_cross_entropy.ipynb",
        # forgets the -1 at the correct class in dL/ds = p - 1[j == y]
        "_right = softmax_loss_vectorized\n"
        "def softmax_loss_vectorized(W, X, y, reg):\n"
        "    loss, dW = _right(W, X, y, reg)\n"
        "    onehot = np.eye(W.shape[1], dtype=W.dtype)[y]\n"
        "    return loss, dW + (X.T @ onehot / X.shape[0]).astype(dW.dtype)\n",
        "FAIL: dW differs from softmax_loss_naive",
    ),
    "softmax": (
        "classifiers/softmax.py", "04_numeric_stability.ipynb",
        # no max shift
        "def softmax(scores, axis=-1):\n"
        "    scores = _as_float_scores(scores)\n"
        "    e = np.exp(scores)\n"
        "    return e / np.sum(e, axis=axis, keepdims=True)\n",
        "FAIL: numpy warned inside softmax/log_softmax",
    ),
}


def start_nbval(notebook: Path, pythonpath: Path, cwd: Path) -> subprocess.Popen:
    """Start ``pytest --nbval-lax NOTEBOOK`` with ``pythonpath`` first on the kernel's import path."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-x", "-q",
           "-p", "no:cacheprovider", "--nbval-sanitize-with", str(NOTEBOOKS / "nbval_sanitize.cfg"),
           str(notebook)]
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


@pytest.fixture(scope="module")
def mutant_runs(tmp_path_factory) -> dict[str, tuple[int, str]]:
    """Run every mutant's notebook at once (they are independent); ``function -> (exit code, output)``."""
    running = {}
    for function, (module, notebook, wrong_code, _) in MUTANTS.items():
        root = tmp_path_factory.mktemp(function)
        shutil.copytree(ROOT / "cs231n_lin", root / "cs231n_lin",
                        ignore=shutil.ignore_patterns("__pycache__"))
        target = root / "cs231n_lin" / module
        target.write_text(target.read_text() + "\n\n# --- mutant for the teeth test ---\n" + wrong_code)
        running[function] = start_nbval(NOTEBOOKS / notebook, root, cwd=root)
    results = {}
    for function, proc in running.items():
        output, _ = proc.communicate(timeout=900)
        results[function] = (proc.returncode, output)
    return results


@pytest.mark.slow
@pytest.mark.parametrize("function", list(MUTANTS))
def test_wrong_function_fails_a_check_cell(function, mutant_runs):
    _, notebook, _, message = MUTANTS[function]
    returncode, output = mutant_runs[function]
    assert returncode != 0, f"{notebook} still passes with a wrong {function}:\n{output[-3000:]}"
    assert "NBVAL_CHECK_OUTPUT" in output, f"the failure is not in a check cell:\n{output[-3000:]}"
    assert message in output, f"expected the check to print {message!r}:\n{output[-3000:]}"
