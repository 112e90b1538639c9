"""Static decision regions of a classifier on 2-D data (minimal; the interactive explorer may replace it)."""

from __future__ import annotations

import numpy as np


def _predict_grid(model_or_W, grid: np.ndarray) -> np.ndarray:
    """Class index (or label) of each grid point, from an estimator or a weight matrix."""
    if hasattr(model_or_W, "predict"):
        return np.asarray(model_or_W.predict(grid))
    W = np.asarray(model_or_W, dtype=float)
    if W.ndim != 2 or W.shape[0] not in (2, 3):
        raise ValueError(
            f"W must have shape (2, C) or (3, C) with a bias row for 2-D points; got {W.shape}"
        )
    scores = grid @ W[:2]
    if W.shape[0] == 3:
        scores = scores + W[2]
    return np.argmax(scores, axis=1)


def plot_decision_regions(model_or_W, X: np.ndarray, y: np.ndarray, ax=None, *, resolution: int = 200,
                          title: str = "", margin: float = 0.5):
    """Colour the plane by predicted class and scatter the points on top.

    Parameters
    ----------
    model_or_W : fitted estimator with ``predict``, or ndarray of shape (2, C) or (3, C)
        A weight matrix scores ``[x1, x2] @ W[:2] (+ W[2])`` and predicts the argmax column.
    X : ndarray of shape (N, 2)
    y : ndarray of shape (N,)
        Labels of ``X`` (the same kind of labels the model predicts).
    ax : matplotlib Axes, optional
    resolution : int, default=200
        Grid points per axis.
    title : str, default=""
    margin : float, default=0.5
        Padding around the data.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2) for a plane plot; got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X; got {y.shape}")
    if resolution < 2:
        raise ValueError(f"resolution must be >= 2; got {resolution}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    pred = _predict_grid(model_or_W, grid)
    labels = np.unique(np.concatenate([np.unique(y), np.unique(pred)]))
    index = np.searchsorted(labels, pred).reshape(xx.shape)
    cmap = plt.get_cmap("tab10")
    ax.contourf(xx, yy, index, levels=np.arange(len(labels) + 1) - 0.5, cmap=cmap,
                vmin=-0.5, vmax=9.5, alpha=0.3)
    for k, label in enumerate(labels):
        mask = y == label
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=18, color=cmap(k % 10), edgecolor="k", linewidth=0.4,
                       label=f"class {label}")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title or "Decision regions")
    ax.legend(loc="best", fontsize=8)
    return ax
