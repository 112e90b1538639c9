"""`make demo` exports the Chinese notebooks too: run in notebooks/zh/, they print Chinese feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from cs231n_lin.notebook_run import NOTEBOOK_DIR, export_notebooks


@pytest.mark.slow
def test_a_chinese_notebook_exports_to_html_with_chinese_check_output(tmp_path: Path):
    rows = export_notebooks(tmp_path, src_dir=NOTEBOOK_DIR / "zh", names=["02_squared_hinge"])
    assert [r["notebook"] for r in rows] == ["02_squared_hinge.ipynb"]
    html = Path(rows[0]["html"]).read_text(encoding="utf-8")
    assert "合页损失与平方合页损失" in html                     # the lesson text
    assert "PASS: svm_loss_naive（squared=True）：损失和梯度" in html   # the check cells answered in Chinese
    assert "Likely cause" not in html and "PASS: svm_loss_naive with squared" not in html


def test_demo_exports_both_languages(monkeypatch, tmp_path):
    from cs231n_lin import demo

    calls = []

    def fake_export(out, src_dir=None, names=None):
        calls.append((Path(out), src_dir))
        return [{"notebook": "01_x.ipynb", "html": str(Path(out) / "01_x.html"), "seconds": 0.0}]

    monkeypatch.setattr("cs231n_lin.notebook_run.export_notebooks", fake_export)
    rows = demo.run_notebooks(out_dir=tmp_path)
    assert [c[0] for c in calls] == [tmp_path / "notebooks", tmp_path / "notebooks" / "zh"]
    assert calls[1][1] == NOTEBOOK_DIR / "zh"
    assert [r["notebook"] for r in rows] == ["01_x.ipynb", "zh/01_x.ipynb"]
