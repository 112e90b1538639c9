"""Two classifiers side by side: their decision boundaries overlaid, their weight templates compared.

- :func:`plot_boundaries_overlay` draws the boundaries of two fitted models on 2-D data in one
  panel and shades where they predict different classes;
- :func:`template_similarity` is the cosine similarity of two models' templates, class by class;
- :func:`plot_templates_compared` shows the templates of several models, one row per model,
  on one colour scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cs231n_lin.i18n import tr
from cs231n_lin.vis.boundaries import class_colors


def _grid(X: np.ndarray, resolution: int, padding: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum(padding * (hi - lo), 0.5)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def plot_boundaries_overlay(models: Mapping[str, object], X, y, *, ax=None, resolution: int = 200,
                            padding: float = 0.15):
    """Both models' decision boundaries in one panel; grey where they predict different classes.

    Parameters
    ----------
    models : mapping of exactly two names -> fitted classifiers (with ``predict``)
    X : array-like of shape (N, 2)
    y : array-like of shape (N,)
        The models' labels.
    ax : matplotlib Axes, optional
    resolution : int, default=200
        Grid points per axis.
    padding : float, default=0.15
        Room around the data as a fraction of its range (as in ``plot_decision_regions``).

    Returns
    -------
    ax : matplotlib Axes
    stats : dict
        ``"area"``: fraction of the plotted area where the two predictions differ;
        ``"points"``: indices of the data points the two models classify differently.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if len(models) != 2:
        raise ValueError(f"models must hold exactly two fitted classifiers; got {len(models)}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (N, 2) with N >= 1; got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape (N,) = ({X.shape[0]},); got {y.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 5.0), layout="constrained")
    (name_a, a), (name_b, b) = models.items()
    classes = np.asarray(a.classes_)
    xs, ys, grid = _grid(X, resolution, padding)
    shape = (len(ys), len(xs))
    lab_a = np.searchsorted(classes, a.predict(grid)).reshape(shape)
    lab_b = np.searchsorted(classes, b.predict(grid)).reshape(shape)
    differ = lab_a != lab_b
    extent = (xs[0], xs[-1], ys[0], ys[-1])
    ax.imshow(np.where(differ, 1.0, np.nan), origin="lower", extent=extent, aspect="auto",
              cmap=ListedColormap(["0.55"]), vmin=0, vmax=1, alpha=0.6, interpolation="nearest", zorder=0)
    styles = {name_a: ("black", "-"), name_b: ("tab:purple", "--")}
    for labels, name in ((lab_a, name_a), (lab_b, name_b)):
        color, style = styles[name]
        for c in range(len(classes)):
            if (labels == c).any() and not (labels == c).all():
                ax.contour(xs, ys, (labels == c).astype(float), levels=[0.5], colors=color,
                           linestyles=style, linewidths=1.6, zorder=2)
    colors = class_colors(len(classes))
    y_idx = np.searchsorted(classes, y)
    ax.scatter(X[:, 0], X[:, 1], s=18, c=colors[y_idx], edgecolors="black", linewidths=0.4, zorder=3)
    points = np.flatnonzero(a.predict(X) != b.predict(X))
    ax.scatter(X[points, 0], X[points, 1], s=160, facecolors="none", edgecolors="black", linewidths=1.5,
               zorder=4)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(tr("feature x₁", "特征 x₁"))
    ax.set_ylabel(tr("feature x₂", "特征 x₂"))
    handles = [
        Line2D([], [], color=styles[name_a][0], linestyle=styles[name_a][1],
               label=tr(f"{name_a} boundary", f"{name_a} 的边界")),
        Line2D([], [], color=styles[name_b][0], linestyle=styles[name_b][1],
               label=tr(f"{name_b} boundary", f"{name_b} 的边界")),
        Patch(color="0.55", alpha=0.6, label=tr("they predict\ndifferent classes", "两者预测\n不同类别")),
        Line2D([], [], linestyle="", marker="o", markerfacecolor="none", markeredgecolor="black",
               markersize=11, label=tr("point classified\ndifferently", "两者分类\n不同的点")),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False,
              borderaxespad=0.0)
    return ax, {"area": float(differ.mean()), "points": points}


def template_similarity(W_a: np.ndarray, W_b: np.ndarray, num_features: int) -> np.ndarray:
    """Cosine similarity of each class's template in two weight matrices (bias rows dropped).

    Parameters
    ----------
    W_a, W_b : ndarray of shape (D, C) or (D + 1, C)
    num_features : int
        ``D``; rows beyond it (the bias) are ignored.

    Returns
    -------
    ndarray of shape (C,)
        ``cos(angle)`` between the two templates of each class, in ``[-1, 1]``.
    """
    A = np.asarray(W_a, dtype=float)[:num_features]
    B = np.asarray(W_b, dtype=float)[:num_features]
    if A.shape != B.shape:
        raise ValueError(f"W_a and W_b must have the same shape; got {A.shape} and {B.shape}")
    norms = np.linalg.norm(A, axis=0) * np.linalg.norm(B, axis=0)
    if np.any(norms == 0):
        raise ValueError("a template is all zeros: its angle to another template is undefined")
    return np.sum(A * B, axis=0) / norms


def plot_templates_compared(Ws: Mapping[str, np.ndarray], image_shape: Sequence[int],
                            class_names: Sequence[str], *, fig=None):
    """Each model's weight templates in one row, on one colour scale with a colour bar.

    Each model's weights are divided by their largest absolute value, so that models whose weights
    differ in overall size (the losses pull them to different scales) can be compared by pattern.
    Colour images are shown with each template rescaled to ``[0, 1]`` and no colour bar.

    Parameters
    ----------
    Ws : mapping of model name -> ndarray of shape (D, C) or (D + 1, C)
    image_shape : sequence of int
        ``(H, W)`` or ``(H, W, 3)``, with ``prod(image_shape) == D``.
    class_names : sequence of C str
    fig : matplotlib Figure, optional

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt

    D = int(np.prod(image_shape))
    C = len(class_names)
    for name, W in Ws.items():
        if np.asarray(W).shape[0] not in (D, D + 1) or np.asarray(W).shape[1] != C:
            raise ValueError(f"weights of {name!r} have shape {np.asarray(W).shape}; expected ({D} or "
                             f"{D + 1}, {C}) for images {tuple(image_shape)} and {C} classes")
    rows = len(Ws)
    if fig is None:      # a fixed layout: constrained layout takes seconds for this many axes
        fig = plt.figure(figsize=(1.25 * C + 1.6, 1.3 * rows + 0.5))
    axes = np.atleast_2d(fig.subplots(rows, C, squeeze=False,
                                      gridspec_kw={"left": 0.06, "right": 0.88, "bottom": 0.04, "top": 0.88,
                                                   "wspace": 0.08, "hspace": 0.08}))
    image = None
    for r, (name, W) in enumerate(Ws.items()):
        W = np.asarray(W, dtype=float)[:D]
        W = W / max(np.abs(W).max(), 1e-12)
        for c in range(C):
            ax = axes[r, c]
            img = W[:, c].reshape(image_shape)
            if img.ndim == 3:
                ax.imshow((img - img.min()) / (img.max() - img.min() + 1e-12))
            else:
                image = ax.imshow(img, cmap="coolwarm", vmin=-1, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(str(class_names[c]), fontsize=10)
            if c == 0:
                ax.set_ylabel(name, fontsize=10)
    if image is not None:
        bar = fig.colorbar(image, cax=fig.add_axes((0.9, 0.1, 0.012, 0.72)))
        bar.set_label(tr("weight ÷ largest |weight|\nof that model", "权重 ÷ 该模型最大的 |权重|"),
                      fontsize=9)
    return fig
