"""Loss curves (smoothing, expected start, log scale, legend outside) and weight templates."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cs231n_lin.vis import plot_loss_history, plot_weight_templates, smooth_history


def test_smooth_history_is_a_trailing_mean_that_starts_at_the_first_value():
    h = np.array([9.0, 1.0, 2.0, 3.0, 4.0])
    assert np.allclose(smooth_history(h, 3), [9.0, 5.0, 4.0, 2.0, 3.0])
    assert np.allclose(smooth_history(h, 1), h)
    big = np.random.default_rng(0).normal(size=200)
    assert np.allclose(smooth_history(big, 20)[19:], np.convolve(big, np.ones(20) / 20, mode="valid"))
    with pytest.raises(ValueError, match="window"):
        smooth_history(h, 0)


def test_loss_history_marks_the_expected_start_and_explains_the_faint_line():
    hist = np.linspace(9.0, 0.1, 300)
    ax = plot_loss_history({"svm": hist}, expected_initial=9.0, expected_label="C - 1 = 9", logy=True)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("svm") and "C - 1 = 9" in labels
    assert any("each minibatch" in lb for lb in labels)
    assert ax.get_yscale() == "log"
    smooth = next(ln for ln in ax.get_lines() if ln.get_label().startswith("svm"))
    assert smooth.get_ydata()[0] == hist[0], "the smoothed curve must start at the first loss"
    legend_box = ax.get_legend().get_window_extent(ax.figure.canvas.get_renderer())
    assert legend_box.x0 >= ax.get_window_extent().x1 - 1, "the legend must sit outside the axes"
    plt.close("all")


def test_loss_history_rejects_an_empty_history():
    with pytest.raises(ValueError, match="non-empty 1-D"):
        plot_loss_history({"x": np.array([])})


def test_weight_templates_share_one_symmetric_scale_with_a_colour_bar():
    W = np.zeros((17, 3))
    W[:16, 0] = 2.0
    W[:16, 1] = -1.0
    fig = plot_weight_templates(W, (4, 4), ["a", "b", "c"])
    images = [ax.get_images()[0] for ax in fig.axes if ax.get_images()]
    assert len(images) == 3
    assert all(im.get_clim() == (-2.0, 2.0) for im in images), "one scale, symmetric around 0"
    assert len(fig.axes) == 4, "three templates and a colour bar"
    assert "mean-subtracted" in fig.get_supxlabel()
    plt.close("all")


def test_weight_templates_draw_into_a_subfigure_for_side_by_side_comparisons():
    fig = plt.figure(figsize=(8, 3))
    left, right = fig.subfigures(1, 2)
    for sub in (left, right):
        plot_weight_templates(np.ones((5, 2)), (2, 2), ["a", "b"], fig=sub, note="")
    assert len(fig.axes) == 6
    plt.close("all")


def test_weight_templates_name_the_shape_problem():
    with pytest.raises(ValueError, match="expected 16 rows"):
        plot_weight_templates(np.zeros((10, 3)), (4, 4), ["a", "b", "c"])
    with pytest.raises(ValueError, match="3 columns but 2 class names"):
        plot_weight_templates(np.zeros((16, 3)), (4, 4), ["a", "b"])


@pytest.mark.parametrize("classes", [3, 10])
def test_weight_templates_colour_bar_ticks_and_label_are_inside_the_figure(classes):
    """The demo's weights_*.png cut off the colour bar's label and tick labels at the right edge."""
    W = np.random.default_rng(0).normal(size=(65, classes))
    fig = plot_weight_templates(W, (8, 8), [str(c) for c in range(classes)], title="templates")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    bar = fig.axes[-1]
    texts = [bar.yaxis.label, *bar.get_yticklabels()]
    assert bar.yaxis.label.get_text().startswith("weight")
    for text in texts:
        if not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height, (text.get_text(), box)
    plt.close(fig)
