"""A small synthetic instructor repository for the release / check / gradescope tests.

It has solution regions in a ``.py`` file and in notebook cells, a hidden test, grader-only
folders and junk that must never be released. Two canary strings mark secret text.
"""

from __future__ import annotations

import json
from pathlib import Path

SOLUTION_CANARY = "zebra_solution_canary_7f3a"
HIDDEN_CANARY = "okapi_hidden_canary_91c2"

PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "fakepkg"
version = "0.1.0"
dependencies = []

[tool.setuptools.packages.find]
include = ["fakepkg*"]

[tool.ruff]
line-length = 110

[tool.ruff.lint]
select = ["E", "F"]

[tool.ruff.lint.per-file-ignores]
"notebooks/*" = ["E402"]
"""

LOSSES = f'''\
"""Toy losses. A docstring may mention ``# BEGIN SOLUTION`` without being a marker."""

import math


def mean_square(values):
    """Mean of the squares."""
    total = 0.0
    for v in values:
        # BEGIN SOLUTION
        # HINT: add the square of v to total
        total += v * v
        # END SOLUTION
    # BEGIN SOLUTION
    {SOLUTION_CANARY} = total / len(values)
    return {SOLUTION_CANARY}
    # END SOLUTION


class Scaler:
    """Multiplies by a factor."""

    def __init__(self, factor):
        self.factor = factor

    def apply(self, x):
        # BEGIN SOLUTION
        return math.prod([self.factor, x])
        # END SOLUTION
'''

VISIBLE_TEST = """\
from fakepkg.losses import Scaler, mean_square


def test_mean_square():
    assert mean_square([1.0, 3.0]) == 5.0


def test_scaler():
    assert Scaler(2.0).apply(3.0) == 6.0
"""

HIDDEN_TEST = f"""\
from fakepkg.losses import mean_square


def test_hidden_mean_square():
    {HIDDEN_CANARY} = [2.0, 4.0, 6.0]
    assert mean_square({HIDDEN_CANARY}) == 56.0 / 3
"""


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def notebook() -> dict:
    """A notebook with a solution cell (with outputs), a check cell, an answer cell, a plain cell."""
    def code(cid, src, outputs, count):
        return {"cell_type": "code", "execution_count": count, "id": cid, "metadata": {},
                "outputs": outputs, "source": _lines(src)}

    def stream(text):
        return {"name": "stdout", "output_type": "stream", "text": _lines(text)}

    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": _lines("# Squares\n")},
        code("solve", "def double(x):\n    # BEGIN SOLUTION\n    return 2 * x  # "
             f"{SOLUTION_CANARY}\n    # END SOLUTION\n", [stream("defined\n")], 1),
        code("check", "# NBVAL_CHECK_OUTPUT\nprint(double(21))\n", [stream("42\n")], 2),
        {"cell_type": "markdown", "id": "answer", "metadata": {"tags": ["answer"]}, "source": _lines(
            "**Question:** why?\n\n<!-- BEGIN SOLUTION -->\nBecause the answer_canary_prose is "
            "long enough to count.\n<!-- END SOLUTION -->\n")},
        code("plain", "print('plain cell')\n", [stream("plain cell\n")], 3),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                        "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def make_source(root: Path) -> Path:
    """Write the fake instructor repository under ``root`` and return ``root``."""
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": ("# fakepkg\n\nInstructor notes: run `fakepkg grade` with the hidden tests.\n\n"
                      "<!-- BEGIN STUDENT README -->\n## For students\n\nWrite `double` in "
                      "fakepkg/losses.py.\n<!-- END STUDENT README -->\n"),
        "fakepkg/__init__.py": "",
        "fakepkg/losses.py": LOSSES,
        "tests/test_losses.py": VISIBLE_TEST,
        "tests/hidden/test_hidden.py": HIDDEN_TEST,
        "tests/grading/test_tooling.py": "def test_tooling():\n    pass\n",
        "notebooks/squares.ipynb": json.dumps(notebook(), indent=1) + "\n",
        ".git/config": "[core]\n",
        ".venv/pyvenv.cfg": "home = /usr\n",
        "build/old/output.txt": "old build output\n",
        "fakepkg/__pycache__/losses.cpython-311.pyc": "not really bytecode\n",
        "datasets/cache/big.bin": "cached download\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def all_text(root: Path) -> str:
    """Every file's bytes under ``root``, decoded leniently and concatenated."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in files)
