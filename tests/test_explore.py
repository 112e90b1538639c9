"""The explorer's state logic, figure, widget layer (no browser) and static fallback."""

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cs231n_lin.classifiers import softmax_loss_vectorized, svm_loss_vectorized
from cs231n_lin.data import add_bias, make_blobs_2d
from cs231n_lin.explore import (
    Explorer,
    ExplorerFigure,
    ExplorerState,
    StaticExplorer,
    explore,
    widget_unavailable_reason,
)

X, Y = make_blobs_2d(20, 3, seed=0)
LOSSES = ["hinge", "squared_hinge", "softmax"]


def package_loss(state):
    """The oracle: the package's vectorized loss on [X, 1] and [W; b]."""
    Wb, Xb = np.vstack([state.W, state.b]), add_bias(state.X)
    if state.loss == "softmax":
        return softmax_loss_vectorized(Wb, Xb, state.y, state.reg)
    return svm_loss_vectorized(Wb, Xb, state.y, state.reg, delta=state.delta,
                               squared=state.loss == "squared_hinge")


@pytest.mark.parametrize("loss", LOSSES)
def test_changing_a_weight_reports_exactly_the_package_loss(loss):
    state = ExplorerState(X, Y, loss=loss, delta=0.7, reg=0.05, seed=1)
    before = state.evaluate().loss
    state.set_weight(1, 2, 3.25)
    state.set_bias(0, -1.5)
    assert state.W[1, 2] == 3.25 and state.b[0] == -1.5
    report = state.evaluate()
    loss_value, dWb = package_loss(state)
    assert report.loss == loss_value != before
    assert np.array_equal(np.vstack([report.dW, report.db]), dWb)
    assert report.data_loss + report.reg_loss == pytest.approx(report.loss, rel=1e-12)
    assert report.reg_loss == pytest.approx(0.05 * (np.sum(state.W ** 2) + np.sum(state.b ** 2)))
    assert report.accuracy == np.mean(np.argmax(state.scores(X), axis=1) == Y)


def test_hyperparameters_change_the_loss_as_the_functions_say():
    state = ExplorerState(X, Y, seed=2)
    seen = set()
    for loss in LOSSES:
        for delta in (0.0, 1.0, 2.5):
            for reg in (0.0, 0.3):
                state.loss, state.delta, state.reg = loss, delta, reg
                value = state.evaluate().loss
                assert value == package_loss(state)[0]
                seen.add(round(value, 12))
    assert len(seen) > 10                         # the settings really reach the loss


@pytest.mark.parametrize("loss", LOSSES)
def test_a_gradient_step_lowers_the_loss(loss):
    state = ExplorerState(X, Y, loss=loss, reg=0.01, learning_rate=0.05, seed=3)
    before = state.evaluate().loss
    after = state.step().loss
    assert after < before
    assert state.steps_taken == 1
    assert state.step(30).loss < after


def test_reset_restores_everything():
    state = ExplorerState(X, Y, loss="hinge", delta=1.0, reg=0.1, seed=4)
    W0, b0, loss0 = state.W.copy(), state.b.copy(), state.evaluate().loss
    first_random = (state.randomize(), state.W.copy())[1]
    state.set_weight(0, 0, 4.0)
    state.loss, state.delta, state.reg, state.learning_rate = "softmax", 2.0, 0.0, 1.0
    state.step(3)
    state.reset()
    assert np.array_equal(state.W, W0) and np.array_equal(state.b, b0)
    assert (state.loss, state.delta, state.reg, state.steps_taken) == ("hinge", 1.0, 0.1, 0)
    assert state.evaluate().loss == loss0
    state.randomize()                             # the generator was reset too
    assert np.array_equal(state.W, first_random)


def test_randomize_is_seeded():
    a, b, c = (ExplorerState(X, Y, seed=s) for s in (7, 7, 8))
    assert np.array_equal(a.Wb, b.Wb) and not np.array_equal(a.Wb, c.Wb)
    a.randomize()
    b.randomize()
    assert np.array_equal(a.Wb, b.Wb)
    before = a.Wb.copy()
    a.randomize()
    assert not np.array_equal(a.Wb, before)


def test_given_weights_are_used_and_not_aliased():
    W, b = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 1.0]]), np.array([0.1, 0.2, 0.3])
    state = ExplorerState(X, Y, W=W, b=b)
    state.step()
    assert np.array_equal(W, [[1.0, -1.0, 0.0], [0.0, 0.0, 1.0]])
    assert not np.array_equal(state.W, W)


@pytest.mark.parametrize("kwargs, message", [
    ({"loss": "hing"}, "loss must be one of"),
    ({"delta": -1.0}, "delta must be >= 0"),
    ({"reg": -0.1}, "reg must be >= 0"),
    ({"learning_rate": 0.0}, "learning_rate must be > 0"),
    ({"W": np.zeros((3, 3))}, "W must have shape"),
    ({"W": np.zeros((2, 3)), "b": np.zeros(2)}, "b must have shape"),
    ({"num_classes": 2}, "y must be in"),
])
def test_bad_settings_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ExplorerState(X, Y, **kwargs)


def test_bad_actions_raise_value_error():
    state = ExplorerState(X, Y)
    with pytest.raises(ValueError, match="no weight"):
        state.set_weight(2, 0, 1.0)
    with pytest.raises(ValueError, match="no bias"):
        state.set_bias(3, 1.0)
    with pytest.raises(ValueError, match="positive integer"):
        state.step(0)
    with pytest.raises(ValueError, match="2-D data only"):
        explore(np.zeros((5, 3)), np.arange(5) % 2, interactive=False, display=False)


def test_figure_regions_follow_the_weights_and_blitting_matches_a_fresh_draw():
    state = ExplorerState(X, Y, seed=5)
    fig = ExplorerFigure(state, resolution=60)
    png = fig.to_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    expected = np.argmax(state.scores(fig.plot.grid), axis=1).reshape(60, 60)
    assert np.array_equal(fig.plot.regions, expected)
    assert np.array_equal(fig.plot.region_image.get_array(), fig.plot.palette[expected])
    state.set_bias(2, 50.0)                       # class 2 now wins everywhere
    assert fig.to_png() != png
    assert np.all(fig.plot.regions == 2)
    state.loss = "softmax"                        # the legend changes: the frame is redrawn in full
    state.set_bias(2, 0.5)
    fig.to_png()
    fresh = ExplorerFigure(state, resolution=60)
    fresh.to_png()
    a = np.asarray(fig.figure.canvas.buffer_rgba())
    b = np.asarray(fresh.figure.canvas.buffer_rgba())
    assert np.array_equal(a, b)                   # no stale pixels from earlier frames
    plt.close("all")


def test_widget_layer_drives_the_state_without_a_browser():
    pytest.importorskip("ipywidgets")
    state = ExplorerState(X, Y, seed=6, reg=0.01)
    app = Explorer(state, resolution=40)
    image0, text0 = app.image.value, app.loss_html.value
    app.weight_sliders[(0, 1)].value = 2.5        # w1 of class 1
    assert state.W[0, 1] == 2.5
    assert f"{package_loss(state)[0]:.4f}" in app.loss_html.value
    assert app.loss_html.value != text0 and app.image.value != image0
    app.weight_sliders[(2, 0)].value = -1.0       # the bias slider
    assert state.b[0] == -1.0
    loss_before = state.evaluate().loss
    app.buttons["1 gradient step"].click()
    assert state.evaluate().loss < loss_before
    assert all(s.value == pytest.approx(state.Wb[d, c]) for (d, c), s in app.weight_sliders.items())
    app.loss_menu.value = "softmax"
    assert state.loss == "softmax" and app.delta_slider.disabled
    app.reg_slider.value = 0.5
    assert state.reg == 0.5 and f"{package_loss(state)[0]:.4f}" in app.loss_html.value
    app.buttons["reset"].click()
    assert state.loss == "hinge" and app.loss_menu.value == "hinge" and app.reg_slider.value == 0.01
    app.buttons["randomize"].click()
    assert app.weight_sliders[(0, 0)].value == pytest.approx(state.W[0, 0])
    state.learning_rate = 50.0                    # a huge step pushes weights past the slider range
    app.buttons["1 gradient step"].click()
    assert all(s.value == pytest.approx(state.Wb[d, c]) for (d, c), s in app.weight_sliders.items())
    plt.close("all")


def test_falls_back_to_a_static_figure_outside_jupyter(capsys):
    assert widget_unavailable_reason() is not None        # pytest is no Jupyter kernel
    result = explore(X, Y, seed=0, display=False)
    out = capsys.readouterr().out
    assert isinstance(result, StaticExplorer)
    assert "interactive widgets are not available" in out and "Jupyter" in out
    assert "static figure" in out
    ax = result.figure.axes[0]
    plot = result.view.plot
    assert ax is plot.ax
    expected = np.argmax(result.state.scores(plot.grid), axis=1).reshape(plot.regions.shape)
    assert np.array_equal(ax.images[0].get_array(), plot.palette[expected])
    assert f"total loss {result.state.evaluate().loss:.4f}" in ax.get_title()
    plt.close("all")


def test_interactive_true_refuses_to_fall_back():
    with pytest.raises(RuntimeError, match="not a Jupyter kernel"):
        explore(X, Y, interactive=True, display=False)


def test_fallback_names_missing_ipywidgets(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets -> ImportError
    assert "ipywidgets is not installed" in widget_unavailable_reason()
    assert isinstance(explore(X, Y, display=False), StaticExplorer)
    assert "ipywidgets is not installed" in capsys.readouterr().out
    plt.close("all")


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_in_a_kernel_without_ipywidgets_the_static_figure_is_shown_once():
    import nbformat
    from nbclient import NotebookClient

    code = (
        "import sys\n"
        "sys.modules['ipywidgets'] = None   # as if ipywidgets were not installed\n"
        "from cs231n_lin.data import make_blobs_2d\n"
        "from cs231n_lin.explore import explore\n"
        "X, y = make_blobs_2d(20, 3, seed=0)\n"
        "app = explore(X, y)\n"
        "print(type(app).__name__)"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=90, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert "ipywidgets is not installed" in text and "StaticExplorer" in text
    assert len(images) == 1


def test_a_loss_not_written_yet_is_named(monkeypatch):
    import cs231n_lin.classifiers.linear_svm as linear_svm
    import cs231n_lin.explore as ex

    def stub(*args, **kwargs):
        raise NotImplementedError("not written yet: svm_loss_vectorized in linear_svm.py")

    # the explorer looks the function up in its module at each call (through the registry)
    monkeypatch.setattr(linear_svm, "svm_loss_vectorized", stub)
    X, y = make_blobs_2d(10, 3, seed=0)
    state = ex.ExplorerState(X, y)
    with pytest.raises(NotImplementedError, match="explorer computes the hinge loss with your own"):
        state.evaluate()
