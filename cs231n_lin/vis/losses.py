"""Per-example losses from scores, and the three losses drawn as functions of the margin.

The loss names used across :mod:`cs231n_lin.vis` and :mod:`cs231n_lin.explore`:

- ``"hinge"`` — multiclass SVM, ``L_i = sum_{j != y} max(0, s_j - s_y + delta)``;
- ``"squared_hinge"`` — ``L_i = sum_{j != y} max(0, s_j - s_y + delta) ** 2``;
- ``"softmax"`` — cross-entropy, ``L_i = -s_y + log sum_j exp(s_j)``.
"""

from __future__ import annotations

import numpy as np

from cs231n_lin.classifiers.linear_svm import svm_loss_vectorized
from cs231n_lin.classifiers.softmax import softmax_loss_vectorized

LOSSES = ("hinge", "squared_hinge", "softmax")
_ALIASES = {
    "hinge": "hinge", "svm": "hinge",
    "squared_hinge": "squared_hinge", "squared hinge": "squared_hinge", "squared-hinge": "squared_hinge",
    "l2-svm": "squared_hinge",
    "softmax": "softmax", "cross_entropy": "softmax", "cross-entropy": "softmax",
    "cross entropy": "softmax",
}


def check_loss_name(loss: str) -> str:
    """The canonical name (one of :data:`LOSSES`) of ``loss``, or ``ValueError``."""
    key = str(loss).strip().lower() if isinstance(loss, str) else None
    if key not in _ALIASES:
        raise ValueError(f"loss must be one of {LOSSES} (or 'squared hinge', 'cross-entropy'); got {loss!r}")
    return _ALIASES[key]


def per_example_losses(scores: np.ndarray, y: np.ndarray, loss: str = "hinge",
                       delta: float = 1.0) -> np.ndarray:
    """The loss ``L_i`` of every example, before averaging and without regularization.

    ``mean(per_example_losses(X @ W, y, ...)) + reg * sum(W * W)`` is the loss that
    ``svm_loss_vectorized`` / ``softmax_loss_vectorized`` return.

    Parameters
    ----------
    scores : ndarray of shape (N, C)
        Class scores ``X @ W``.
    y : ndarray of shape (N,)
        Integer labels in ``[0, C)``.
    loss : {"hinge", "squared_hinge", "softmax"}
    delta : float, default=1.0
        SVM margin (ignored by ``"softmax"``).

    Returns
    -------
    ndarray of shape (N,)
        Non-negative losses.
    """
    loss = check_loss_name(loss)
    scores = np.asarray(scores, dtype=float)
    y = np.asarray(y)
    if scores.ndim != 2 or y.shape != (scores.shape[0],):
        raise ValueError(f"scores must be (N, C) and y (N,); got scores {scores.shape} and y {y.shape}")
    # Each L_i comes from the package's own loss functions (identity weights turn the scores into
    # the "data"), one example at a time: the figures show what *your* implementation computes,
    # and no second copy of the loss lives here.
    eye = np.eye(scores.shape[1])
    if loss == "softmax":
        def one(i):
            return softmax_loss_vectorized(eye, scores[i:i + 1], y[i:i + 1], 0.0)[0]
    else:
        squared = loss == "squared_hinge"

        def one(i):
            return svm_loss_vectorized(eye, scores[i:i + 1], y[i:i + 1], 0.0, delta=delta,
                                       squared=squared)[0]
    return np.array([one(i) for i in range(scores.shape[0])])


def loss_of_margin(margin: np.ndarray, loss: str = "hinge", delta: float = 1.0) -> np.ndarray:
    """Two-class loss as a function of the margin ``m = s_y - s_j`` (correct minus other score).

    hinge ``max(0, delta - m)``; squared hinge ``max(0, delta - m) ** 2``;
    cross-entropy ``log(1 + exp(-m))`` (computed stably).

    Parameters
    ----------
    margin : ndarray of any shape
    loss : {"hinge", "squared_hinge", "softmax"}
    delta : float, default=1.0

    Returns
    -------
    ndarray of the shape of ``margin``
    """
    loss = check_loss_name(loss)
    m = np.asarray(margin, dtype=float)
    if loss == "softmax":
        return np.logaddexp(0.0, -m)
    hinge = np.maximum(0.0, delta - m)
    return hinge * hinge if loss == "squared_hinge" else hinge


def plot_losses_vs_margin(*, delta: float = 1.0, margin_range: tuple[float, float] = (-3.0, 4.0),
                          losses=LOSSES, ax=None):
    """Hinge, squared hinge and cross-entropy of one example against its margin (two classes).

    Parameters
    ----------
    delta : float, default=1.0
        The SVM margin Delta: the hinge losses are zero once ``s_y - s_j >= delta``.
    margin_range : (float, float)
        The x-axis range of ``s_y - s_j``.
    losses : sequence of str
        Which curves to draw.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    if not np.isfinite(delta) or delta < 0:
        raise ValueError(f"delta must be a finite number >= 0; got {delta}")
    lo, hi = margin_range
    if not lo < hi:
        raise ValueError(f"margin_range must be (low, high) with low < high; got {margin_range}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    m = np.linspace(lo, hi, 500)
    labels = {
        "hinge": "hinge  max(0, Δ − m)",
        "squared_hinge": "squared hinge  max(0, Δ − m)²",
        "softmax": "cross-entropy  log(1 + e^(−m))",
    }
    for name in losses:
        name = check_loss_name(name)
        ax.plot(m, loss_of_margin(m, name, delta), label=labels[name], linewidth=2)
    ax.axvline(delta, color="0.4", linestyle="--", linewidth=1)
    ax.axvline(0.0, color="0.75", linewidth=1)
    ax.annotate(f"m = Δ = {delta:g}", xy=(delta, 0), xytext=(4, 4), textcoords="offset points",
                color="0.3", fontsize=9)
    ax.set_ylim(-0.1, max(3.0, 1.2 * delta + 1.0))
    ax.set_xlim(lo, hi)
    ax.set_xlabel("margin  m = s_y − s_j   (correct-class score minus the other score)")
    ax.set_ylabel("loss of this example")
    ax.set_title("Loss of one example vs. its margin (two classes)")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
