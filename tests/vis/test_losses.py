"""Per-example losses against the package's loss functions; the margin curves against identities."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cs231n_lin.classifiers import softmax_loss_vectorized, svm_loss_vectorized
from cs231n_lin.vis import loss_of_margin, per_example_losses, plot_losses_vs_margin


def full_loss(W, X, y, reg, loss, delta):
    if loss == "softmax":
        return softmax_loss_vectorized(W, X, y, reg)[0]
    return svm_loss_vectorized(W, X, y, reg, delta=delta, squared=loss == "squared_hinge")[0]


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge", "softmax"])
@pytest.mark.parametrize("seed", range(4))
def test_mean_of_per_example_losses_is_the_package_loss(loss, seed):
    rng = np.random.default_rng(seed)
    N, D, C = 17, 4, 5
    W, X = rng.standard_normal((D, C)), rng.standard_normal((N, D))
    y = rng.integers(0, C, N)
    reg, delta = 0.1 * seed, 0.5 + seed
    per = per_example_losses(X @ W, y, loss, delta)
    assert per.shape == (N,) and np.all(per >= 0)
    assert np.isclose(per.mean() + reg * np.sum(W * W), full_loss(W, X, y, reg, loss, delta), rtol=1e-12), (
        f"{loss}: the mean of the per-example losses plus the regularization is not the loss "
        f"{'softmax' if loss == 'softmax' else 'svm'}_loss_vectorized returns for all {N} examples at once")


CLOSED_FORMS = {   # the two-class losses as functions of the margin m = s_y - s_j, written out
    "hinge": lambda m, d: np.maximum(0.0, d - m),
    "squared_hinge": lambda m, d: np.maximum(0.0, d - m) ** 2,
    "softmax": lambda m, d: np.log1p(np.exp(-m)),
}


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge", "softmax"])
def test_margin_curve_is_the_two_class_loss(loss):
    m = np.linspace(-4, 4, 81).reshape(9, 9)            # any shape comes back in that shape
    got = loss_of_margin(m, loss, delta=1.5)
    assert got.shape == m.shape
    assert np.allclose(got, CLOSED_FORMS[loss](m, 1.5), rtol=1e-12, atol=1e-15)


def test_loss_of_margin_is_stable_for_large_margins():
    assert np.isfinite(loss_of_margin(np.array([-1e4, 1e4]), "softmax")).all()
    assert loss_of_margin(np.array([-1e4]), "softmax")[0] == pytest.approx(1e4)


def test_plot_losses_vs_margin_draws_the_curves():
    ax = plot_losses_vs_margin(delta=2.0)
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 2]
    assert len(lines) == 3
    for line, name in zip(lines, ["hinge", "squared_hinge", "softmax"], strict=True):
        assert np.allclose(line.get_ydata(), loss_of_margin(line.get_xdata(), name, 2.0))
    hinge = lines[0]
    assert np.all(hinge.get_ydata()[hinge.get_xdata() >= 2.0] == 0)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
    plt.close("all")


@pytest.mark.parametrize("kwargs", [{"delta": -1.0}, {"margin_range": (2.0, 1.0)}, {"losses": ["hing"]}])
def test_plot_losses_vs_margin_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        plot_losses_vs_margin(**kwargs)
    plt.close("all")
