"""The search heat map (best boxed, grid-edge warning) and the regularization sweep figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cs231n_lin.vis import best_on_grid_edge, plot_regularization_sweep, plot_search_heatmap

LRS, REGS = (0.1, 1.0, 10.0), (1e-4, 1e-3, 1e-2)


def _results(best):
    return {(lr, reg): (0.9, 0.95 if (lr, reg) == best else 0.5 + 0.01 * i)
            for i, (lr, reg) in enumerate((lr, reg) for lr in LRS for reg in REGS)}


def test_edges_are_named_and_an_inside_best_has_none():
    assert best_on_grid_edge(_results((1.0, 1e-3)), (1.0, 1e-3)) == []
    assert best_on_grid_edge(_results((10.0, 1e-4)), (10.0, 1e-4)) == [
        "the largest learning rate tried", "the smallest regularization strength tried"]
    with pytest.raises(ValueError, match="searched"):
        best_on_grid_edge(_results((1.0, 1e-3)), (5.0, 1e-3))
    with pytest.raises(ValueError, match="non-empty mapping"):
        best_on_grid_edge({}, (1.0, 1.0))


def test_heatmap_boxes_the_best_cell_and_warns_on_the_edge():
    ax = plot_search_heatmap(_results((1.0, 1e-3)))
    box = ax.patches[0]
    assert (box.get_x() + 0.5, box.get_y() + 0.5) == (1, 1), "the best cell is boxed"
    assert "inside the grid" in ax.get_title()
    assert "0.950" in [t.get_text() for t in ax.texts]
    ax = plot_search_heatmap(_results((0.1, 1e-2)))
    assert "edge" in ax.get_title() and "smallest learning rate" in ax.get_title()
    assert ax.title.get_color() == "tab:red"
    plt.close("all")


def test_heatmap_colours_span_the_best_tenth():
    results = _results((1.0, 1e-3))
    results[(10.0, 1e-2)] = (0.3, 0.1)
    ax = plot_search_heatmap(results)
    assert ax.get_images()[0].get_clim() == pytest.approx((0.85, 0.95))
    plt.close("all")


def test_regularization_sweep_plots_means_error_bars_and_the_gap():
    rng = np.random.default_rng(0)
    train = 0.9 + 0.05 * rng.random((4, 10))
    val = train - 0.2
    fig = plot_regularization_sweep([0.0, 0.01, 0.1, 1.0], train, val)
    acc, gap = fig.axes
    gap_line = gap.get_lines()[0]
    assert np.allclose(gap_line.get_ydata(), 0.2), "the gap is train minus validation, averaged"
    assert len(acc.containers) == 2 and len(gap.containers) == 1, "error bars for train, val and gap"
    assert "10 subsets" in acc.get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="increasing"):
        plot_regularization_sweep([0.1, 0.0, 1.0, 2.0], train, val)
    with pytest.raises(ValueError, match="shape"):
        plot_regularization_sweep([0.0, 1.0], train, val)
    plt.close("all")
