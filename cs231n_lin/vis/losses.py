"""Per-example losses from scores, and the losses drawn as functions of the margin.

The loss names are those of :mod:`cs231n_lin.classifiers.registry` (``"hinge"``,
``"squared_hinge"``, ``"softmax"`` and any loss registered there, with their aliases such as
``"svm"`` or ``"cross-entropy"``). Every number here comes from the registered loss functions
themselves, so the figures show what *your* implementation computes, and no second copy of a
loss lives here.
"""

from __future__ import annotations

import numpy as np

from cs231n_lin.classifiers.registry import canonical_name, get_loss, loss_names
from cs231n_lin.i18n import tr


def check_loss_name(loss: str) -> str:
    """The canonical name of ``loss`` (a registered name or alias), or ``ValueError``."""
    return canonical_name(loss)


def per_example_losses(scores: np.ndarray, y: np.ndarray, loss: str = "hinge",
                       delta: float = 1.0) -> np.ndarray:
    """The loss ``L_i`` of every example, before averaging and without regularization.

    ``mean(per_example_losses(X @ W, y, ...)) + reg * sum(W * W)`` is the loss that the
    registered vectorized function (e.g. ``svm_loss_vectorized``) returns.

    Parameters
    ----------
    scores : ndarray of shape (N, C)
        Class scores ``X @ W``.
    y : ndarray of shape (N,)
        Integer labels in ``[0, C)``.
    loss : str, default="hinge"
        A registered loss, e.g. "hinge", "squared_hinge" or "softmax".
    delta : float, default=1.0
        SVM margin (ignored by losses that take none, such as ``"softmax"``).

    Returns
    -------
    ndarray of shape (N,)
        Non-negative losses.
    """
    return get_loss(loss).per_example_losses(scores, y, delta=delta)


def loss_of_margin(margin: np.ndarray, loss: str = "hinge", delta: float = 1.0) -> np.ndarray:
    """Two-class loss as a function of the margin ``m = s_y - s_j`` (correct minus other score).

    The per-example loss of the scores ``(m, 0)`` with correct class 0: for the built-in losses
    hinge ``max(0, delta - m)``, squared hinge ``max(0, delta - m) ** 2`` and cross-entropy
    ``log(1 + exp(-m))``.

    Parameters
    ----------
    margin : ndarray of any shape
    loss : str, default="hinge"
        A registered loss.
    delta : float, default=1.0

    Returns
    -------
    ndarray of the shape of ``margin``
    """
    m = np.asarray(margin, dtype=float)
    scores = np.column_stack([m.ravel(), np.zeros(m.size)])
    return per_example_losses(scores, np.zeros(m.size, dtype=int), loss, delta).reshape(m.shape)


def plot_losses_vs_margin(*, delta: float = 1.0, margin_range: tuple[float, float] = (-3.0, 4.0),
                          losses=None, ax=None):
    """The loss of one example against its margin (two classes): hinge, squared hinge, cross-entropy...

    Parameters
    ----------
    delta : float, default=1.0
        The SVM margin Delta: the hinge losses are zero once ``s_y - s_j >= delta``.
    margin_range : (float, float)
        The x-axis range of ``s_y - s_j``.
    losses : sequence of str, optional
        Which curves to draw; default every registered loss.
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
    specs = [get_loss(name) for name in (loss_names() if losses is None else losses)]
    for spec in specs:
        ax.plot(m, loss_of_margin(m, spec.name, delta), label=f"{spec.label}  {spec.margin_formula}".strip(),
                linewidth=2)
    ax.axvline(delta, color="0.4", linestyle="--", linewidth=1)
    ax.axvline(0.0, color="0.75", linewidth=1)
    ax.annotate(f"m = Δ = {delta:g}", xy=(delta, 0), xytext=(4, 4), textcoords="offset points",
                color="0.3", fontsize=9)
    ax.set_ylim(-0.1, max(3.0, 1.2 * delta + 1.0))
    ax.set_xlim(lo, hi)
    ax.set_xlabel(tr("margin  m = s_y − s_j   (correct-class score minus the other score)",
                     "间隔  m = s_y − s_j   （正确类别得分减去另一类别得分）"))
    ax.set_ylabel(tr("loss of this example", "该样本的损失"))
    ax.set_title(tr("Loss of one example vs. its margin (two classes)", "单个样本的损失与其间隔（两个类别）"))
    ax.legend()
    ax.grid(alpha=0.3)
    return ax
