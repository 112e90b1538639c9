import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cs231n_lin.data import make_blobs_2d
from cs231n_lin.vis.boundaries import _predict_grid, plot_decision_regions


def test_weight_matrix_regions_follow_argmax_of_scores():
    W = np.array([[1.0, -1.0], [0.0, 0.0], [0.0, 0.5]])     # class 0 wins where x1 > 0.25
    grid = np.array([[1.0, 0.0], [-1.0, 3.0], [0.2, 0.0]])
    assert _predict_grid(W, grid).tolist() == [0, 1, 1]
    assert _predict_grid(W[:2], grid).tolist() == [0, 1, 0]   # without the bias row


def test_plot_with_estimator_draws_regions_and_every_class():
    from sklearn.linear_model import LogisticRegression

    X, y = make_blobs_2d(n_per_class=20, num_classes=3, seed=0)
    model = LogisticRegression().fit(X, y)
    ax = plot_decision_regions(model, X, y, resolution=30, title="t")
    assert ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]
    assert ax.collections, "no filled regions were drawn"
    plt.close(ax.figure)


@pytest.mark.parametrize("W,X,y,match", [
    (np.ones((4, 3)), np.zeros((5, 2)), np.zeros(5), "W must have shape"),
    (np.ones((3, 3)), np.zeros((5, 3)), np.zeros(5), "X must have shape"),
    (np.ones((3, 3)), np.zeros((5, 2)), np.zeros(4), "y must have shape"),
])
def test_bad_input_names_the_problem(W, X, y, match):
    with pytest.raises(ValueError, match=match):
        plot_decision_regions(W, X, y, resolution=5)
    plt.close("all")
