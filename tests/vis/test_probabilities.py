"""Figures about softmax probabilities (cs231n_lin.vis.probabilities)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy.stats import entropy  # noqa: E402

from cs231n_lin.vis.probabilities import (  # noqa: E402
    cross_entropy_two_classes,
    plot_cross_entropy_vs_q,
    plot_max_probability_histograms,
    plot_probability_bars,
    teaching_examples,
)

P = np.array([[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.1, 0.8, 0.1], [0.98, 0.01, 0.01]])
Y = np.array([0, 1, 0, 0])


def test_teaching_examples_pick_confident_uncertain_and_wrong():
    assert teaching_examples(P, Y) == {"confident and right": 3, "least certain": 1, "confidently wrong": 2}
    right = teaching_examples(P[[0, 3]], Y[[0, 3]])
    assert "confidently wrong" not in right and right["least certain"] != right["confident and right"]


def test_teaching_examples_reject_bad_input():
    with pytest.raises(ValueError, match="y must have shape"):
        teaching_examples(P, Y[:2])
    with pytest.raises(ValueError, match="NaN"):
        teaching_examples(np.full((2, 3), np.nan), np.array([0, 1]))


def test_probability_bars_draw_each_image_and_its_probabilities():
    images = np.random.default_rng(0).random((2, 8, 8))
    fig = plot_probability_bars(images, P[:2], Y[:2], ["a", "b", "c"], captions=["one", "two"])
    axes = fig.axes
    assert len(axes) == 4 and len(axes[0].images) == 1
    heights = [p.get_height() for p in axes[1].patches]
    np.testing.assert_allclose(heights, P[0])
    assert axes[1].patches[0].get_facecolor()[:3] == pytest.approx(matplotlib.colors.to_rgb("tab:green"))
    plt.close(fig)
    with pytest.raises(ValueError, match="class_names has 2 names"):
        plot_probability_bars(images, P[:2], Y[:2], ["a", "b"])


def test_cross_entropy_is_entropy_plus_kl_and_lowest_at_q_equal_p():
    q1 = np.linspace(0.01, 0.99, 99)
    H = cross_entropy_two_classes(0.7, q1)
    oracle = [entropy([0.3, 0.7]) + entropy([0.3, 0.7], [1 - q, q]) for q in q1]
    np.testing.assert_allclose(H, oracle, rtol=1e-12)
    assert q1[np.argmin(H)] == pytest.approx(0.7)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        cross_entropy_two_classes(0.5, np.array([0.0]))
    ax = plot_cross_entropy_vs_q(0.7)
    x, y = ax.lines[0].get_data()
    assert x[np.argmin(y)] == pytest.approx(0.7, abs=1e-3)
    plt.close(ax.figure)


def test_max_probability_histograms_are_steps_with_the_uniform_line():
    ax = plot_max_probability_histograms({"a": P.max(axis=1), "b": np.full(4, 0.5)}, 3)
    assert len(ax.patches) == 2 and all(p.get_fill() is False for p in ax.patches)
    assert ax.lines[0].get_xdata()[0] == pytest.approx(1 / 3)
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="num_classes"):
        plot_max_probability_histograms({"a": P.max(axis=1)}, 1)
