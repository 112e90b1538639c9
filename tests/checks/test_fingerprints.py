"""The shipped fingerprint data is exactly what the instructor's generator writes today."""

from __future__ import annotations

from cs231n_lin.grading.judge import fingerprints


def test_shipped_data_is_up_to_date():
    shipped = fingerprints.DATA_PATH.read_text(encoding="utf-8")
    assert shipped == fingerprints.dumps(fingerprints.build()), (
        "cs231n_lin/checks/fingerprints.json is stale: run python -m cs231n_lin.grading.judge.fingerprints")


def test_every_loss_case_stores_the_six_bug_fingerprints_it_needs():
    data = fingerprints.build()["cases"]
    assert "avg_sum" in {k for k, _ in data["svm"]["loss"]["variants"]}
    assert "reg_factor1" in {k for k, _ in data["svm"]["dW"]["variants"]}
    assert "svm_counted" in {k for k, _ in data["svm"]["dW"]["variants"]}
    assert "softmax_no_onehot" in {k for k, _ in data["softmax"]["dW"]["variants"]}
    assert "fit.ascent" in {k for k, _ in data["fit"]["variants"]}
