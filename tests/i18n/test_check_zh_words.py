"""A Chinese student's `cs231n-lin check` is Chinese: no run of English words (code aside)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Three or more English words in a row (code such as `svm_loss_naive` or `np.max(...)` is not words).
ENGLISH_RUN = re.compile(r"(?<![\w.`/])[A-Za-z]{2,}(?:[ ,;]+[A-Za-z]{2,}){2,}(?![\w(`])")


def _zh_copy(tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(ROOT / "cs231n_lin", root / "cs231n_lin",
                    ignore=shutil.ignore_patterns("grading", "__pycache__"))
    shutil.copytree(ROOT / "notebooks" / "zh", root / "notebooks" / "zh")
    return root


def _check(root: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("CS231N_LIN_LANG", None)
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "check", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    return proc.stdout + proc.stderr


@pytest.mark.parametrize("edit", ["dW_push", "stub_vectorized"])
def test_check_in_a_chinese_copy_has_no_english_sentence(tmp_path: Path, edit: str):
    root = _zh_copy(tmp_path)
    path = root / "cs231n_lin/classifiers/linear_svm.py"
    text = path.read_text()
    if edit == "dW_push":               # the naive dW never pushes the correct class up
        text = "".join(ln for ln in text.splitlines(keepends=True)
                       if not (ln.lstrip().startswith("dW[:, y[i]]") and "slope" in ln))
    else:                               # the vectorized loss still to write
        vec = text.index("def svm_loss_vectorized")
        begin, end = text.index("# BEGIN SOLUTION", vec), text.index("# END SOLUTION", vec)
        text = text[:begin] + "# BEGIN SOLUTION\n    raise NotImplementedError\n    " + text[end:]
    path.write_text(text)
    out = _check(root)
    assert "notebooks/zh/01_svm_hinge_loss.ipynb" in out and "下一步" in out, out
    runs = [m.group(0) for line in out.splitlines() for m in ENGLISH_RUN.finditer(line)]
    assert runs == [], out
    data = json.loads(_check(root, "--json").strip().splitlines()[-1])
    assert data["next"]["notebook"] == "zh/01_svm_hinge_loss.ipynb"
