"""What the lesson notebooks print follows the notebook's language: Chinese in notebooks/zh/."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
NAMES = sorted(p.stem for p in (NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))
#: Three English words in a row (identifiers and formulas have fewer, or underscores and digits).
ENGLISH_RUN = re.compile(r"(?<![\w.])[A-Za-z]{2,}(?:[ ,;]+[A-Za-z]{2,}){2,}(?![\w(])")
#: Runs that are not sentences of ours: numpy's own warning texts, a formula, a printed array.
NOT_OURS = ("overflow encountered in exp", "invalid value encountered in divide", "log sum exp",
            "nan nan nan")
CJK = re.compile(r"[\u3400-\u9fff]")

solved_notebooks_only = pytest.mark.skipif(
    not (ROOT / "tests" / "hidden").is_dir(),
    reason="reads the stored outputs, which only the instructor repository has")


def _printed(path: Path) -> list[tuple[str, str]]:
    nb = nbformat.read(path, as_version=4)
    return [(cell.id, out.text) for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "stream"]


def english_sentences(text: str) -> list[str]:
    """Runs of three or more English words in ``text``, those in :data:`NOT_OURS` aside."""
    runs = [m.group(0) for m in ENGLISH_RUN.finditer(" ".join(text.split()))]
    return [r for r in runs if not any(r in ok or ok in r for ok in NOT_OURS)]


def test_the_detector_finds_english_sentences_and_spares_identifiers():
    assert english_sentences("trained in TIME, val accuracy 0.95") == ["trained in TIME, val accuracy"]
    assert english_sentences("the two agree on 98.7% of the test images") == ["the two agree on",
                                                                             "of the test images"]
    assert not english_sentences("PASS: svm_loss_naive：损失 X_dev: (100, 65) W: (65, 10)")
    assert not english_sentences("警告：RuntimeWarning: overflow encountered in exp")
    assert not english_sentences("float64: p_0 = 5.753e-290, -log(p_0) = 666.0")


@solved_notebooks_only
@pytest.mark.parametrize("name", NAMES)
def test_a_chinese_notebook_prints_no_english_sentence(name):
    found = [(cell, run) for cell, text in _printed(NOTEBOOKS / "zh" / f"{name}.ipynb")
             for run in english_sentences(text)]
    assert not found, f"zh/{name}: English printed: {found}"


@solved_notebooks_only
@pytest.mark.parametrize("name", NAMES)
def test_an_english_notebook_prints_no_chinese(name):
    found = [cell for cell, text in _printed(NOTEBOOKS / f"{name}.ipynb") if CJK.search(text)]
    assert not found, f"{name}: Chinese printed in cells {found}"
