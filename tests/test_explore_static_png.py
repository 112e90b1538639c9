"""The explorer keeps a PNG beside its widget, so saved notebooks show it without a widget frontend."""

from __future__ import annotations

import base64
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402

from cs231n_lin.data import make_blobs_2d  # noqa: E402
from cs231n_lin.explore import Explorer, ExplorerState  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


def test_mimebundle_has_the_widget_and_a_png_of_the_figure():
    X, y = make_blobs_2d(n_per_class=10, num_classes=3, seed=0)
    app = Explorer(ExplorerState(X, y, seed=0), resolution=40)
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.widget.model_id
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(PNG) and png == app.image.value


def test_notebook_05_stores_the_explorer_as_an_image():
    nb = nbformat.read(ROOT / "notebooks" / "05_svm_vs_softmax.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "explore(" in c.source)
    data = [o.data for o in cell.outputs if "data" in o]
    assert any("image/png" in d and base64.b64decode(d["image/png"]).startswith(PNG) for d in data), data
