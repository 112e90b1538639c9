"""plot_decision_regions and DecisionPlot on known geometry, read back from the plotted arrays."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.contour import ContourSet
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from cs231n_lin.classifiers import LinearSVM, Softmax, svm_loss_vectorized
from cs231n_lin.data import add_bias, make_blobs_2d
from cs231n_lin.vis import plot_decision_regions
from cs231n_lin.vis.boundaries import RING_AREA_MIN, RING_AREA_PER_LOSS


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def grid_of(ax):
    """Centres of the plotted region array's cells, from the image's extent."""
    image = ax.images[0]
    regions = np.asarray(image.get_array())
    x0, x1, y0, y1 = image.get_extent()
    rows, cols = regions.shape[:2]
    return regions, np.linspace(x0, x1, cols), np.linspace(y0, y1, rows)


def margin_contours(ax):
    return [c for c in ax.get_children() if isinstance(c, ContourSet)]


X_LINE = np.array([[-2.0, -1.0], [-1.0, 1.0], [1.5, 0.5], [2.0, -2.0]])
Y_LINE = np.array([0, 0, 1, 1])
W_X0 = np.array([[-1.0, 1.0], [0.0, 0.0]])      # s_0 = -x1, s_1 = x1: boundary x1 = 0


def test_boundary_x_equals_zero_splits_the_regions():
    ax = plot_decision_regions(W_X0, X_LINE, Y_LINE)
    regions, xs, ys = grid_of(ax)
    assert regions.shape == (len(ys), len(xs))
    assert xs[0] < 0 < xs[-1]
    assert np.all(regions[:, xs < 0] == 0)
    assert np.all(regions[:, xs > 0] == 1)


@pytest.mark.parametrize("use_b", [True, False])
def test_bias_moves_the_boundary(use_b):
    b = np.array([0.5, -0.5])                     # s_1 - s_0 = 2 x1 - 1: boundary at x1 = 0.5
    if use_b:
        ax = plot_decision_regions(W_X0, X_LINE, Y_LINE, b=b)
    else:                                         # the bias trick: b as the last row of W
        ax = plot_decision_regions(np.vstack([W_X0, b]), X_LINE, Y_LINE)
    regions, xs, _ = grid_of(ax)
    assert np.all(regions[:, xs < 0.5] == 0)
    assert np.all(regions[:, xs > 0.5] == 1)
    assert np.any(xs[(xs > 0) & (xs < 0.5)])      # the grid does cover the strip that moved


def test_three_classes_match_argmax_of_scores():
    rng = np.random.default_rng(3)
    W, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    X, y = make_blobs_2d(20, 3, seed=1)
    ax = plot_decision_regions(W, X, y, b=b, resolution=50)
    regions, xs, ys = grid_of(ax)
    gx, gy = np.meshgrid(xs, ys)
    expected = np.argmax(np.column_stack([gx.ravel(), gy.ravel()]) @ W + b, axis=1).reshape(regions.shape)
    assert np.array_equal(regions, expected)
    assert len(np.unique(regions)) > 1


@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_margin_lines_sit_where_the_scores_differ_by_delta(delta):
    # s_1 - s_0 = 2 x1, so the runner-up is delta below the winner at x1 = +-delta / 2
    ax = plot_decision_regions(W_X0, X_LINE, Y_LINE, delta=delta, resolution=101)
    (contour,) = margin_contours(ax)
    vertices = np.vstack([p.vertices for p in contour.get_paths() if len(p.vertices)])
    assert np.allclose(np.abs(vertices[:, 0]), delta / 2, atol=1e-9)
    assert np.any(vertices[:, 0] > 0) and np.any(vertices[:, 0] < 0)


def test_no_margin_lines_when_delta_is_none():
    ax = plot_decision_regions(W_X0, X_LINE, Y_LINE, delta=None)
    assert margin_contours(ax) == []


def test_rings_mark_exactly_the_points_with_hinge_loss():
    # with delta = 1: a point of class y pays loss when 2 |x1| < 1 on its side, or is on the wrong side
    X = np.array([[-2.0, 0.0], [-0.2, 0.0], [0.3, 1.0], [2.0, 0.0], [-1.0, 0.5]])
    y = np.array([0, 0, 1, 1, 1])
    ax = plot_decision_regions(W_X0, X, y, delta=1.0, loss="hinge")
    rings = ax.collections[0]
    single = np.array([svm_loss_vectorized(np.vstack([W_X0, np.zeros(2)]), add_bias(X[i:i + 1]),
                                           y[i:i + 1], 0.0)[0] for i in range(len(X))])
    has_loss = single > 0
    assert has_loss.tolist() == [False, True, True, False, True]
    assert np.array_equal(rings.get_offsets(), X[has_loss])
    assert np.allclose(rings.get_sizes(), RING_AREA_MIN + RING_AREA_PER_LOSS * single[has_loss])


def test_fitted_linear_svm_regions_agree_with_predict():
    X, y = make_blobs_2d(40, 3, seed=2)
    clf = LinearSVM(random_state=0, num_iters=300).fit(X, y)
    ax = plot_decision_regions(clf, X, y, resolution=40)
    regions, xs, ys = grid_of(ax)
    gx, gy = np.meshgrid(xs, ys)
    predicted = clf.predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(regions.shape)
    assert np.array_equal(regions, predicted)
    assert "Δ = 1" in ax.get_title()
    assert len(margin_contours(ax)) == 1


@pytest.mark.parametrize("model", [KNeighborsClassifier(n_neighbors=3), LogisticRegression(),
                                   Softmax(random_state=0, num_iters=200)])
def test_any_classifier_with_string_labels(model):
    X, y_int = make_blobs_2d(30, 2, seed=4)
    y = np.array(["cat", "dog"])[y_int]
    model.fit(X, y)
    ax = plot_decision_regions(model, X, y, resolution=30)
    regions, xs, ys = grid_of(ax)
    gx, gy = np.meshgrid(xs, ys)
    predicted = model.predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(regions.shape)
    assert np.array_equal(np.array(model.classes_)[regions], predicted)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["cat", "dog"]
    assert margin_contours(ax) == []            # no scores (KNN) or a softmax model: no SVM margin


def test_draws_on_a_given_axes():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    assert plot_decision_regions(W_X0, X_LINE, Y_LINE, ax=ax1) is ax1
    assert ax1.get_xlabel() and ax1.get_ylabel() and ax1.get_title()
    assert plot_decision_regions(W_X0, X_LINE, Y_LINE, ax2) is ax2        # ax as 4th positional
    assert np.array_equal(ax1.images[0].get_array(), ax2.images[0].get_array())


@pytest.mark.parametrize("args, kwargs, message", [
    ((W_X0, np.zeros((4, 3)), Y_LINE), {}, "shape (N, 2)"),
    ((W_X0, X_LINE, Y_LINE[:3]), {}, "y must have shape"),
    ((np.zeros((4, 2)), X_LINE, Y_LINE), {}, "2 rows"),
    ((W_X0, X_LINE, np.array([0, 1, 2, 1])), {}, "[0, 2)"),
    ((W_X0, X_LINE, Y_LINE), {"b": np.zeros(3)}, "b must have shape"),
    ((LinearSVM(), X_LINE, Y_LINE), {}, "call fit first"),
    ((W_X0, X_LINE, Y_LINE), {"delta": -1.0}, "delta"),
    ((W_X0, X_LINE, Y_LINE), {"loss": "hinj"}, "loss must be one of"),
])
def test_bad_input_names_the_problem(args, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[")):
        plot_decision_regions(*args, **kwargs)
