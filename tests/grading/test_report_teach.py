"""What to re-teach, on hand-made results files: every lost point lands under a mistake or a test."""

from __future__ import annotations

import json

import pytest

from cs231n_lin.checks.messages import MESSAGES
from cs231n_lin.grading.report.report_teach import Lessons, check_cell_id, estimator_losses, label, reteach


def _t(name, score, top=1.0):
    return {"name": name, "score": score, "max_score": top, "output": "", "visibility": "visible"}


def _nb(tmp_path):
    cells = [
        {"cell_type": "markdown", "id": "h1", "metadata": {},
         "source": "## Your code: `svm_loss_vectorized`"},
        {"cell_type": "code", "id": "c1", "metadata": {"tags": ["nbval-check-output"]}, "outputs": [],
         "execution_count": None, "source": "checks.svm_vectorized(svm_loss_vectorized)"},
        {"cell_type": "markdown", "id": "h2", "metadata": {}, "source": "## Training with SGD"},
        {"cell_type": "code", "id": "c2", "metadata": {"tags": ["nbval-check-output"]}, "outputs": [],
         "execution_count": None, "source": "checks.sgd_step(LinearSVM)"},
    ]
    (tmp_path / "01_svm.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                       "nbformat_minor": 5}))
    return Lessons.from_notebooks(tmp_path)


SVM, FIT = "svm_loss_vectorized: hinge — loss value", "LinearSVM: fit and predict — held-out accuracy"
C1, C2 = "01_svm: check cell 1 (cell id c1)", "01_svm: check cell 2 (cell id c2)"
SM = "softmax: moderate — probabilities"
AVG = {"key": "avg_sum", "function": "svm_loss_vectorized", "message": "m"}
RESULTS = {
    "amy": {"tests": [_t(SVM, 0.0, 2.0), _t(FIT, 1.0, 3.0), _t(C1, 0.0), _t(C2, 0.0), _t(SM, 0.0),
                      _t("01_svm: written answer 1 (cell id q1)", 0.0, 2.0)],
            "extra_data": {"diagnoses": [AVG]}},
    "bob": {"tests": [_t(SVM, 2.0, 2.0), _t(FIT, 0.0, 3.0), _t(C1, 1.0), _t(C2, 0.0), _t(SM, 1.0)],
            "extra_data": {"diagnoses": []}},
}


def test_a_loss_mistake_is_charged_with_its_fit_points_and_check_cells(tmp_path):
    got = reteach(RESULTS, _nb(tmp_path))
    (row,) = got["mistakes"]
    assert (row["key"], row["function"], row["submissions"]) == ("avg_sum", "svm_loss_vectorized", ["amy"])
    # its own test (2), the estimator trained with it (2 of 3 lost) and both check cells that use them (1 + 1)
    assert row["tests"] == {SVM: {"failed": 1, "points_lost": 2.0}, FIT: {"failed": 1, "points_lost": 2.0},
                            C1: {"failed": 1, "points_lost": 1.0}, C2: {"failed": 1, "points_lost": 1.0}}
    assert row["points_lost"] == 6.0 and row["label"] == "Your loss is not averaged over the examples"
    assert row["sections"] == ["01_svm — Your code: `svm_loss_vectorized`"]
    # what no diagnosis explains stays on the page, by failing test (written answers are marks, not losses)
    loose = {g["test"]: (g["submissions"], g["points_lost"], g["section"]) for g in got["undiagnosed"]}
    assert loose == {SM: (["amy"], 1.0, SM), FIT: (["bob"], 3.0, FIT),
                     C2: (["bob"], 1.0, "01_svm — Training with SGD")}


def test_labels_come_from_the_feedback_sentences():
    for key in MESSAGES:
        words = label(key)
        assert words and "{" not in words and words != key and " " in words, key
    assert label("svm_no_correct_grad") == "Your dW never pushes the correct class up"
    assert label("fit.minibatch_mismatch") == "fit's minibatch pairs rows of X with labels of other examples"
    assert label("not_implemented").startswith("not implemented yet")


def test_estimators_and_check_cell_names():
    assert estimator_losses() == {"LinearSVM": "svm_loss_vectorized", "Softmax": "softmax_loss_vectorized"}
    assert check_cell_id("01_svm: check cell 3 (cell id 01-044)") == ("01_svm", "01-044")
    assert check_cell_id("svm_loss_naive: hinge — loss value") is None


@pytest.mark.parametrize("count", [1, 3])
def test_a_mistake_is_counted_once_per_student(tmp_path, count):
    data = {"tests": [_t(SVM, 0.0)], "extra_data": {"diagnoses": [AVG] * count}}
    (row,) = reteach({"amy": data, "bob": data}, _nb(tmp_path))["mistakes"]
    assert row["count"] == 2 and row["points_lost"] == 2.0 and row["share"] == 1.0
    assert row["tests"] == {SVM: {"failed": 2, "points_lost": 2.0}}
