# GRADER ONLY
# (it grades wrong and right versions of the solutions, so it stays out of the release)
"""The same assignment in either language: a submission from the 中文 release grades like the English one.

From a real release of this repository, four submissions: correct and wrong, each made once from
the English notebooks and once from the Chinese ones (``notebooks/zh/``, the English copies left
as released, unanswered). They are graded with the real hidden cases and reference notebooks, so the
Chinese notebook's answers must be found by cell id, and the feedback follows the submission's language.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cs231n_lin.checks.cells import cell_source, is_solution_cell

ROOT = Path(__file__).resolve().parents[2]
from cs231n_lin.grading.grade import GradeOptions, grade_submission  # noqa: E402
from cs231n_lin.grading.release.release import release  # noqa: E402

NB = "02_squared_hinge.ipynb"
NO_N = '''
def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    import numpy as np
    n = X.shape[0]
    s = X @ W
    m = np.maximum(0, s - s[np.arange(n), y][:, None] + delta)
    m[np.arange(n), y] = 0
    d = (m > 0).astype(W.dtype)
    d[np.arange(n), y] = -d.sum(axis=1)
    return float(m.sum() + reg * np.sum(W * W)), X.T @ d + 2 * reg * W
'''
BAD_MARGIN_LOSS = "def margin_loss(m, squared=False):\n    return (m**2, 2 * m) if squared else (m, m)\n"


def _answer(nb_path: Path, reference: Path, bad: bool) -> None:
    """Fill the solution code cells of ``nb_path`` from ``reference`` (the wrong margin_loss if ``bad``)."""
    ref = {c["id"]: c for c in json.loads(reference.read_text(encoding="utf-8"))["cells"]}
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        mine = ref.get(cell.get("id"))
        if cell["cell_type"] == "code" and mine is not None and is_solution_cell(mine):
            src = cell_source(mine)
            cell["source"] = BAD_MARGIN_LOSS if bad and "def margin_loss" in src else src
    nb_path.write_text(json.dumps(nb), encoding="utf-8")


def _package(sub: Path, bad: bool) -> None:
    """The reference package over the released stubs (with the NO_N mistake if ``bad``)."""
    import re
    import textwrap

    for src in (ROOT / "cs231n_lin" / "classifiers").glob("*.py"):
        text = src.read_text(encoding="utf-8")
        if bad and "def svm_loss_vectorized(" in text:
            pattern = re.compile(r"^def svm_loss_vectorized\(.*?(?=^@|^def |^class |\Z)", re.S | re.M)
            text = pattern.sub(lambda m: textwrap.dedent(NO_N).strip() + "\n\n\n", text, count=1)
        (sub / "cs231n_lin" / "classifiers" / src.name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rel") / "release"
    release(source=ROOT, out_dir=out)
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory, released):
    """Correct and wrong submissions answered in notebook 02 only, from the English or the Chinese
    notebooks, graded with the real hidden cases and reference notebooks (no kernel runs)."""
    tmp = tmp_path_factory.mktemp("bilingual")
    options = GradeOptions(hidden_dir=ROOT / "tests" / "hidden", notebooks_dir=ROOT / "notebooks")
    out = {}
    for lang in ("en", "zh"):
        for bad in (False, True):
            sub = tmp / f"{lang}-{'bad' if bad else 'ok'}"
            shutil.copytree(released, sub)
            _package(sub, bad)
            folder = "notebooks/zh" if lang == "zh" else "notebooks"
            _answer(sub / folder / NB, ROOT / folder / NB, bad)
            out[(lang, bad)] = grade_submission(sub, options)
    out["zh-bad-in-en"] = grade_submission(tmp / "zh-bad", GradeOptions(
        hidden_dir=ROOT / "tests" / "hidden", notebooks_dir=ROOT / "notebooks", lang="en"))
    return out


def _scores(res) -> dict[str, float]:
    return {t.name: t.score for t in res.tests}


def _by_task(res) -> dict[str, object]:
    """Results by task id (the test names are the titles in the submission's language)."""
    from cs231n_lin import tasks

    titles = {str(t.title.en): t.id for t in tasks.TASKS} | {str(t.title.zh): t.id for t in tasks.TASKS}
    return {titles.get(t.name, t.name): t for t in res.tests}


@pytest.mark.slow
def test_the_release_holds_both_languages():
    assert (ROOT / "notebooks" / "zh" / NB).is_file()
    assert (ROOT / "notebooks" / "zh" / "cs231n-lin.cfg").is_file()


@pytest.mark.slow
def test_correct_submissions_get_full_marks_in_either_language(graded):
    en, zh = _by_task(graded[("en", False)]), _by_task(graded[("zh", False)])
    assert {k: t.score for k, t in en.items()} == {k: t.score for k, t in zh.items()}
    assert en["margin_loss"].score == en["margin_loss"].max_score > 0
    assert zh["margin_loss"].score == zh["margin_loss"].max_score, "notebooks/zh/ answers not found"
    assert en["svm_vectorized"].score == en["svm_vectorized"].max_score
    assert graded[("en", False)].extra["lang"] == "en" and graded[("zh", False)].extra["lang"] == "zh"
    assert zh["svm_vectorized"].name == "svm_loss_vectorized：损失和梯度"          # titles in Chinese


@pytest.mark.slow
def test_wrong_submissions_lose_the_same_points_with_the_same_diagnosis(graded):
    en, zh = _by_task(graded[("en", True)]), _by_task(graded[("zh", True)])
    assert {k: t.score for k, t in en.items()} == {k: t.score for k, t in zh.items()}
    assert en["svm_vectorized"].score == 0 and en["margin_loss"].score == 0
    assert zh["margin_loss"].score == 0, "the wrong zh margin_loss was not graded"
    assert "Likely cause: " in en["svm_vectorized"].output and "not averaged" in en["svm_vectorized"].output
    assert "可能的原因：" in zh["svm_vectorized"].output and "没有对样本取平均" in zh["svm_vectorized"].output
    # Forced to English, the Chinese submission's feedback is the English one, word for word.
    forced = graded["zh-bad-in-en"]
    def outputs(res):              # the speed measurements differ from run to run: their ratio aside
        return {t.name: t.output for t in res.tests if "fast" not in t.name}

    assert outputs(forced) == outputs(graded[("en", True)])
    assert forced.score == graded[("en", True)].score


def test_a_chinese_notebook_replacing_the_english_file_is_found(tmp_path):
    from cs231n_lin.grading.records.nbgrade import notebooks_lang, read_student_notebooks

    refs = tmp_path / "refs"
    refs.mkdir()
    shutil.copy(ROOT / "notebooks" / NB, refs / NB)
    sub = tmp_path / "sub" / "notebooks"
    sub.mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "zh" / NB, sub / NB)          # the Chinese file, English name
    found, notes = read_student_notebooks(tmp_path / "sub", refs)
    assert notes == [] and found[NB]["metadata"]["cs231n_lin"]["lang"] == "zh"
    assert notebooks_lang(found, refs) == "zh"          # the solved zh notebook has answers
    os.remove(sub / NB)
    (sub / "zh").mkdir()
    shutil.copy(ROOT / "notebooks" / "zh" / NB, sub / "zh" / NB)
    found, notes = read_student_notebooks(tmp_path / "sub", refs)
    assert notes == [] and notebooks_lang(found, refs) == "zh"
    os.remove(sub / "zh" / NB)
    found, notes = read_student_notebooks(tmp_path / "sub", refs)
    assert found[NB] is None and "notebooks/zh/" in notes[0]


def test_released_chinese_answers_get_a_chinese_placeholder():
    from cs231n_lin.grading.release import nb_transforms as grading

    cell = {"cell_type": "markdown", "source": "<!-- BEGIN SOLUTION -->\n答案\n<!-- END SOLUTION -->"}
    zh = grading.blank_solution_markdown(cell, path="notebooks/zh/02_squared_hinge.ipynb", label="cell 3")
    en = grading.blank_solution_markdown(cell, path="notebooks/02_squared_hinge.ipynb", label="cell 3")
    assert "在这里写下你的答案" in zh["source"] and "Your answer here" in en["source"]


@pytest.mark.slow
def test_check_reports_in_chinese_on_a_copy_worked_in_notebooks_zh(released, tmp_path, capsys):
    from cs231n_lin.selfcheck import main as check

    sub = tmp_path / "copy"
    shutil.copytree(released, sub)
    _answer(sub / "notebooks" / "zh" / NB, ROOT / "notebooks" / "zh" / NB, bad=True)
    assert check(root=sub, part="02", as_json=True) == 1
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    wrong = [f for f in data["failures"] if f["check"] == "margin_loss"]
    assert wrong and wrong[0]["notebook"] == f"zh/{NB}"            # the answer was found in zh/
    assert wrong[0]["title"].startswith("margin_loss：") and "截断" in wrong[0]["likely_cause"]
    check(root=sub, part="02")
    text = capsys.readouterr().out
    assert "可见检查" in text and "下一步要修正" in text and "可能的原因：" in text
    assert check(root=sub, part="02", lang="en") == 1                 # --lang en wins
    text = capsys.readouterr().out
    assert "on the visible checks" in text and "Likely cause: the hinge is not clipped" in text


@pytest.mark.slow
def test_the_release_has_both_readmes_and_lang_zh_selects_chinese(released, tmp_path):
    from cs231n_lin import i18n

    assert "## For students" in (released / "README.md").read_text(encoding="utf-8")
    zh_readme = (released / "README.zh.md").read_text(encoding="utf-8")
    assert zh_readme.startswith("# cs231n-lin：线性分类器") and "## 学生须知" in zh_readme
    assert "notebooks/zh/01_svm_hinge_loss.ipynb" in zh_readme
    assert not (released / i18n.SETTINGS_NAME).exists() and i18n.lang_of_folder(released) is None
    assert i18n.lang_of_folder(released / "notebooks" / "zh") == "zh"
    answers = json.loads((released / "notebooks" / "zh" / NB).read_text(encoding="utf-8"))
    assert any("在这里写下你的答案" in cell_source(c) for c in answers["cells"])

    out = tmp_path / "zh-release"
    release(source=ROOT, out_dir=out, lang="zh")
    assert (out / "README.md").read_text(encoding="utf-8") == zh_readme
    assert "## For students" in (out / "README.en.md").read_text(encoding="utf-8")
    assert i18n.lang_of_folder(out / "notebooks") == "zh"          # the whole copy answers in Chinese
    with pytest.raises(ValueError, match="lang: 'fr'"):
        release(source=ROOT, out_dir=tmp_path / "fr", lang="fr")
