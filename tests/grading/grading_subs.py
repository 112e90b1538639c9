"""Build submissions for the grading tests: copies of the repo's package with functions edited."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import cs231n_lin

PACKAGE = Path(cs231n_lin.__file__).resolve().parent
REPO = PACKAGE.parent

SMALL_CASES = '''
LOSS = "cs231n_lin.classifiers.linear_svm"
SOFTMAX = "cs231n_lin.classifiers.softmax"
CASES = {
    "svm_vectorized": [
        {"kind": "random", "function": LOSS + ":svm_loss_vectorized",
         "inputs": {"gen": "loss", "N": 20, "D": 6, "C": 4, "seed": 1}, "kwargs": {"reg": 0.1},
         "judge": ("loss", "grad", "unmodified")}],
    "softmax_fn": [
        {"kind": "overflow64", "function": SOFTMAX + ":softmax",
         "inputs": {"gen": "scores", "N": 5, "C": 3, "seed": 2, "scale": 1e4}, "kwargs": {},
         "judge": ("probs",)}],
}
'''


def small_hidden(tmp: Path) -> Path:
    """A two-case hidden folder (two tasks of the table), so machinery tests stay fast."""
    d = tmp / "hidden"
    d.mkdir(parents=True, exist_ok=True)
    (d / "cases.py").write_text(SMALL_CASES)
    return d


def make_submission(dest: Path, *, replace: dict[str, str] | None = None, files: dict[str, str] | None = None,
                    stub: bool = False) -> Path:
    """Copy the package to ``dest/cs231n_lin``.

    ``replace`` maps a function name to new source for it (replacing the top-level ``def`` in
    whichever classifiers module defines it); ``files`` writes extra files (relative to ``dest``);
    ``stub`` replaces every solution region by ``raise NotImplementedError`` (the student version).
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PACKAGE, dest / "cs231n_lin", ignore=shutil.ignore_patterns("__pycache__", "grading"))
    for path in (dest / "cs231n_lin").rglob("*.py"):
        text = path.read_text()
        if stub and "# BEGIN SOLUTION" in text:
            text = re.sub(r"( *)# BEGIN SOLUTION\n.*?# END SOLUTION\n",
                          lambda m: f"{m.group(1)}raise NotImplementedError\n", text, flags=re.S)
        for name, src in (replace or {}).items():
            pattern = re.compile(rf"^def {name}\(.*?(?=^@|^def |^class |\Z)", re.S | re.M)
            if pattern.search(text):
                text = pattern.sub(lambda m, s=src: textwrap.dedent(s).strip() + "\n\n\n", text, count=1)
        path.write_text(text)
    for rel, content in (files or {}).items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(textwrap.dedent(content))
    return dest
