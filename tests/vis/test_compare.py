"""Two classifiers compared (cs231n_lin.vis.compare) and the ring threshold of plot_decision_regions."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402

from cs231n_lin.data import make_blobs_2d  # noqa: E402
from cs231n_lin.vis import plot_decision_regions  # noqa: E402
from cs231n_lin.vis.compare import (  # noqa: E402
    plot_boundaries_overlay,
    plot_templates_compared,
    template_similarity,
)
from cs231n_lin.vis.losses import per_example_losses  # noqa: E402

X, Y = make_blobs_2d(n_per_class=30, num_classes=3, spread=0.9, seed=2)


def test_identical_models_never_disagree_and_different_ones_do():
    a = LogisticRegression().fit(X, Y)
    ax, same = plot_boundaries_overlay({"a": a, "b": LogisticRegression().fit(X, Y)}, X, Y)
    assert same["area"] == 0.0 and same["points"].size == 0
    plt.close(ax.figure)
    knn = KNeighborsClassifier(n_neighbors=1).fit(X, Y)
    ax, diff = plot_boundaries_overlay({"logistic": a, "1-NN": knn}, X, Y)
    expected_points = np.flatnonzero(a.predict(X) != knn.predict(X))
    np.testing.assert_array_equal(diff["points"], expected_points)
    assert 0.0 < diff["area"] < 1.0
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="exactly two"):
        plot_boundaries_overlay({"a": a}, X, Y)


def test_template_similarity_is_the_cosine_per_class():
    W = np.random.default_rng(0).standard_normal((5, 3))
    np.testing.assert_allclose(template_similarity(W, 3 * W, 4), 1.0)
    np.testing.assert_allclose(template_similarity(W, -W, 4), -1.0)
    with pytest.raises(ValueError, match="all zeros"):
        template_similarity(np.zeros((4, 3)), W[:4], 4)


def test_templates_compared_share_one_colour_bar():
    rng = np.random.default_rng(1)
    fig = plot_templates_compared({"a": rng.standard_normal((5, 2)), "b": rng.standard_normal((4, 2))},
                                  (2, 2), ["x", "y"])
    images = [im for ax in fig.axes for im in ax.images]
    assert len(images) == 4 and all(im.get_clim() == (-1, 1) for im in images)
    bars = [ax for ax in fig.axes if ax.get_ylabel().startswith("weight ÷ largest |weight|")]
    assert len(bars) == 1 and bars[0].get_ylim() == (-1.0, 1.0)
    plt.close(fig)
    with pytest.raises(ValueError, match="expected"):
        plot_templates_compared({"a": np.zeros((3, 2))}, (2, 2), ["x", "y"])


def test_ring_threshold_decides_which_points_get_a_ring():
    W = np.array([[1.0, -1.0, 0.0], [0.0, 1.0, -1.0], [0.0, 0.0, 0.0]])
    losses = per_example_losses(np.c_[X, np.ones(len(X))] @ W, Y, "hinge")
    for threshold in (0.0, 0.5):
        ax = plot_decision_regions(W, X, Y, ring_threshold=threshold)
        rings = ax.collections[0]
        assert len(rings.get_offsets()) == int(np.sum(losses > threshold))
        plt.close(ax.figure)
    with pytest.raises(ValueError, match="ring_threshold"):
        plot_decision_regions(W, X, Y, ring_threshold=-1.0)
