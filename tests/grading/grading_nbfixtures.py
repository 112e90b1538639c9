"""A tiny synthetic reference notebook for the notebook-grading tests (shared by the test modules)."""

from __future__ import annotations

import json
from pathlib import Path

SETUP = "import numpy as np\nfrom cs231n_lin.classifiers.softmax import softmax"
SOLUTION = "def double(x):\n    # BEGIN SOLUTION\n    return 2 * x\n    # END SOLUTION"
STUB = "def double(x):\n    raise NotImplementedError"
CHECK1 = "# NBVAL_CHECK_OUTPUT\n# double works\nprint(double(21))"
CHECK2 = "# NBVAL_CHECK_OUTPUT\n# softmax of equal scores\nprint(np.round(softmax(np.array([0.0, 0.0])), 3))"


def _code(cid: str, src: str, out: str | None = None, count: int | None = None) -> dict:
    outputs = [] if out is None else [{"output_type": "stream", "name": "stdout", "text": out}]
    return {"cell_type": "code", "id": cid, "metadata": {}, "execution_count": count,
            "source": src, "outputs": outputs}


def notebook(solution: str = SOLUTION, *, check1: str = CHECK1, out1: str = "42\n",
             extra: list[dict] = ()) -> dict:
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "# Tiny"},
        _code("setup", SETUP, None, 1),
        _code("sol1", solution, None, 2),
        *extra,
        _code("check1", check1, out1, 3),
        _code("check2", CHECK2, "[0.5 0.5]\n", 4),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                         "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def write(path: Path, nb: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path
