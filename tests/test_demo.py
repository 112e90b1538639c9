"""The demo end to end: accuracy table, figures, and Softmax keeping up with scikit-learn."""

import numpy as np
import pytest

from cs231n_lin.data import DATASET_ENV
from cs231n_lin.demo import format_table, run_demo

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo_out")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(DATASET_ENV, raising=False)          # the default data (digits), whatever the shell says
        rows = run_demo(out_dir=out)
    return out / "demo", rows


@pytest.mark.slow
def test_demo_writes_accuracy_table(demo):
    out, rows = demo
    text = (out / "accuracy.txt").read_text(encoding="utf-8")
    assert text == format_table(rows) + "\n"
    for row in rows:
        assert row["model"] in text
        for split in ("train", "val", "test"):
            assert 0.0 <= row[split] <= 1.0
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")], "no temporary files left"


@pytest.mark.slow
def test_demo_writes_png_figures(demo):
    out, _ = demo
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == [
        "loss_curves.png",
        "weights_linearsvm_hinge.png",
        "weights_linearsvm_squared_hinge.png",
        "weights_softmax.png",
    ]
    for name in pngs:
        data = (out / name).read_bytes()
        assert data[:8] == PNG_MAGIC, name
        assert len(data) > 5000, name


@pytest.mark.slow
def test_demo_softmax_keeps_up_with_logistic_regression(demo):
    _, rows = demo
    test = {row["model"]: row["test"] for row in rows}
    assert test["Softmax"] >= test["sklearn LogisticRegression"] - 0.01, test
    assert min(test.values()) > 0.9, test


def test_format_table():
    rows = [{"model": "m", "train": 1.0, "val": 0.5, "test": 0.25, "fit_seconds": 1.5}]
    lines = format_table(rows).splitlines()
    assert lines[0].split() == ["model", "train", "val", "test", "fit", "(s)"]
    assert set(lines[1]) == {"-"}
    assert lines[2].split() == ["m", "1.000", "0.500", "0.250", "1.50"]
    assert np.isfinite(float(lines[2].split()[-1]))
