"""Decision regions of a classifier on 2-D data, with SVM margin lines and per-point losses.

:func:`plot_decision_regions` takes a fitted estimator (``LinearSVM``, ``Softmax``, or any
scikit-learn classifier with ``decision_function`` or ``predict``) or raw weights ``W``
(and bias ``b``). The drawing itself lives in :class:`DecisionPlot`, whose :meth:`~DecisionPlot.update`
redraws only what changed; the interactive explorer (:mod:`cs231n_lin.explore`) reuses it.

What the figure shows, for scores ``s(x) = x @ W + b``:

- the background colour of a point ``x`` is ``argmax_j s_j(x)``, the predicted class
  (the image array is :attr:`DecisionPlot.regions`, class indices, row 0 at the bottom);
- dashed lines: where the runner-up score is exactly ``delta`` below the winning score,
  i.e. ``s_j - s_y = -delta`` for the two top classes. Between the dashed lines and the
  boundary, a point of the winning class still pays a hinge loss (it is "inside the margin");
- a ring around a data point whose size grows with that point's loss ``L_i`` (no ring: zero loss).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from cs231n_lin.i18n import tr
from cs231n_lin.vis.losses import check_loss_name, per_example_losses

# Loss rings: marker area in points^2 = RING_AREA_MIN + RING_AREA_PER_LOSS * min(loss, RING_LOSS_CAP)
RING_AREA_MIN = 60.0         # radius ~3.9 pt: just outside a data marker
RING_AREA_PER_LOSS = 100.0   # loss 1 -> radius ~6.3 pt
RING_LOSS_CAP = 6.0          # loss >= 6 -> radius ~13 pt
SOFTMAX_RING_THRESHOLD = 0.05  # cross-entropy is never exactly 0: ring only above this (p_y < 0.95)
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")


def class_colors(num_classes: int) -> np.ndarray:
    """RGB colours of the classes, shape (num_classes, 3): tab10, then tab20 beyond 10 classes."""
    import matplotlib

    name = "tab10" if num_classes <= 10 else "tab20"
    cmap = matplotlib.colormaps[name]
    return np.array([cmap(i % cmap.N)[:3] for i in range(num_classes)])


def _check_xy(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"X must have shape (N, 2): decision regions are drawn for 2-D data only; got {X.shape}"
        )
    if X.shape[0] == 0:
        raise ValueError("X is empty: there are no points to plot")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinity")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape (N,) = ({X.shape[0]},) to match X; got {y.shape}")
    return X, y


def _linear_parts(W, b) -> tuple[np.ndarray, np.ndarray]:
    W = np.asarray(W, dtype=float)
    if W.ndim != 2:
        raise ValueError(f"W must be a 2-D array of shape (2, C) or (3, C); got shape {W.shape}")
    if b is None:
        if W.shape[0] == 3:            # bias trick: the last row is the bias
            return W[:2], W[2].copy()
        if W.shape[0] == 2:
            return W, np.zeros(W.shape[1])
        raise ValueError(
            f"W must have 2 rows (one per feature) or 3 rows (bias row last); got shape {W.shape}"
        )
    b = np.asarray(b, dtype=float).reshape(-1)
    if W.shape[0] != 2:
        raise ValueError(f"with b given, W must have shape (2, C); got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape (C,) = ({W.shape[1]},) to match W; got {b.shape}")
    if W.shape[1] < 2:
        raise ValueError(f"W needs at least 2 columns (classes); got shape {W.shape}")
    return W, b


class _Source:
    """What to plot from: a score function, or only a label predictor, plus defaults."""

    def __init__(self, model_or_W, b, y):
        self.scores: Callable[[np.ndarray], np.ndarray] | None = None
        self.labels: Callable[[np.ndarray], np.ndarray] | None = None
        self.loss: str | None = None
        self.delta: float | None = None
        self.class_names: list[str] | None = None
        self.name = "W, b" if isinstance(model_or_W, np.ndarray | list | tuple) else type(model_or_W).__name__
        if isinstance(model_or_W, np.ndarray | list | tuple):
            W, b = _linear_parts(model_or_W, b)
            if not (np.isfinite(W).all() and np.isfinite(b).all()):
                raise ValueError("W or b contains NaN or infinity")
            self.scores = lambda P: P @ W + b
            self.num_classes = W.shape[1]
            self.y_index = self._check_indices(y, self.num_classes)
            self.loss, self.delta = "hinge", 1.0
            return
        model = model_or_W
        if b is not None:
            raise ValueError("b is only used with raw weights W; a fitted model carries its own bias")
        classes = getattr(model, "classes_", None)
        if classes is None:
            raise ValueError(
                f"{type(model).__name__} has no classes_: pass a fitted classifier (call fit first) "
                "or a weight matrix W"
            )
        classes = np.asarray(classes)
        self.num_classes = len(classes)
        y = np.asarray(y)
        idx = np.searchsorted(classes, y)
        idx = np.clip(idx, 0, len(classes) - 1)
        if not np.array_equal(classes[idx], y):
            unknown = sorted(set(y.tolist()) - set(classes.tolist()))[:5]
            raise ValueError(f"y has labels the model was not fitted on: {unknown}")
        self.y_index = idx
        self.class_names = [tr(f"class {c}", f"类别 {c}") if isinstance(c, int) else str(c)
                            for c in classes.tolist()]
        if hasattr(model, "decision_function"):
            def scores(P):
                s = np.asarray(model.decision_function(P), dtype=float)
                if s.ndim == 1:         # two classes: scikit-learn gives s_1 - s_0
                    s = np.column_stack([-s / 2, s / 2])
                return s
            self.scores = scores
            name = type(model).__name__
            if hasattr(model, "squared") and hasattr(model, "delta"):     # cs231n_lin LinearSVM
                self.loss = "squared_hinge" if model.squared else "hinge"
                self.delta = float(model.delta)
            elif name == "Softmax" or name == "LogisticRegression":
                self.loss, self.delta = "softmax", None
            else:
                self.delta = 1.0
        else:
            lookup = {c: i for i, c in enumerate(classes.tolist())}
            self.labels = lambda P: np.array([lookup[v] for v in np.asarray(model.predict(P)).tolist()])

    @staticmethod
    def _check_indices(y, num_classes) -> np.ndarray:
        y = np.asarray(y)
        if not np.issubdtype(y.dtype, np.integer):
            if np.issubdtype(y.dtype, np.floating) and np.all(y == np.round(y)):
                y = y.astype(int)
            else:
                raise ValueError(
                    f"with raw weights W, y must hold integer class indices; got dtype {y.dtype}"
                )
        if y.size and (y.min() < 0 or y.max() >= num_classes):
            raise ValueError(f"y must be in [0, C) = [0, {num_classes}) for W with {num_classes} columns; "
                             f"got values {y.min()}..{y.max()}")
        return y


class DecisionPlot:
    """A decision-region figure on one Axes that can be redrawn cheaply with new scores.

    Parameters
    ----------
    ax : matplotlib Axes
    X : ndarray of shape (N, 2)
    y : ndarray of shape (N,)
        Class indices in ``[0, num_classes)``.
    num_classes : int
    resolution : int, default=200
        Grid points along each axis of the background.
    padding : float, default=0.15
        Room around the data, as a fraction of the data's range (at least 0.5 units).
    class_names : sequence of str, optional
    legend : bool, default=True
    rgba : bool, default=False
        Store the background as precoloured RGBA pixels instead of class indices (faster to draw,
        used by the explorer); :attr:`regions` holds the class indices either way.

    Attributes
    ----------
    xs, ys : ndarray of shape (resolution,)
        Grid coordinates.
    grid : ndarray of shape (resolution ** 2, 2)
        The grid points, row-major over ``(ys, xs)``.
    regions : ndarray of shape (resolution, resolution)
        Predicted class index on the grid after the last update; ``regions[i, j]`` is at ``(xs[j], ys[i])``.
    region_image : matplotlib AxesImage
        The background image; its array is ``regions`` (or ``palette[regions]`` when ``rgba``).
    palette : ndarray of shape (C, 4), uint8
        The background colour of each class.
    """

    def __init__(self, ax, X: np.ndarray, y: np.ndarray, num_classes: int, *, resolution: int = 200,
                 padding: float = 0.15, class_names: Sequence[str] | None = None, legend: bool = True,
                 rgba: bool = False):
        from matplotlib.colors import ListedColormap
        from matplotlib.lines import Line2D

        if int(resolution) < 2:
            raise ValueError(f"resolution must be an integer >= 2; got {resolution}")
        self.ax = ax
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y)
        self.num_classes = int(num_classes)
        names = ([tr(f"class {c}", f"类别 {c}") for c in range(self.num_classes)] if class_names is None
                 else list(class_names))
        if len(names) != self.num_classes:
            raise ValueError(f"class_names has {len(names)} names but there are {self.num_classes} classes")
        lo, hi = self.X.min(axis=0), self.X.max(axis=0)
        pad = np.maximum(padding * (hi - lo), 0.5)
        lo, hi = lo - pad, hi + pad
        self.extent = (lo[0], hi[0], lo[1], hi[1])
        self.xs = np.linspace(lo[0], hi[0], resolution)
        self.ys = np.linspace(lo[1], hi[1], resolution)
        gx, gy = np.meshgrid(self.xs, self.ys)
        self.grid = np.column_stack([gx.ravel(), gy.ravel()])
        self.regions = np.zeros((resolution, resolution), dtype=int)

        colors = class_colors(self.num_classes)
        light = 0.35 * colors + 0.65                      # pale backgrounds, strong points
        self.palette = np.round(255 * np.column_stack([light, np.ones(self.num_classes)])).astype(np.uint8)
        self.rgba = rgba
        self.region_image = ax.imshow(
            self.palette[self.regions] if rgba else self.regions, origin="lower", extent=self.extent,
            cmap=ListedColormap(light), vmin=-0.5, vmax=self.num_classes - 0.5, interpolation="nearest",
            aspect="auto", zorder=0,
        )
        self._margin_lines = None
        self._rings = ax.scatter(self.X[:, 0], self.X[:, 1], s=np.zeros(len(self.X)), facecolors="none",
                                 edgecolors="crimson", linewidths=1.2, zorder=2)
        handles = []
        self.point_artists = []
        for c in range(self.num_classes):
            mask = self.y == c
            self.point_artists.append(ax.scatter(
                self.X[mask, 0], self.X[mask, 1], s=22, color=colors[c], edgecolors="black",
                linewidths=0.5, marker=_MARKERS[c % len(_MARKERS)], zorder=3,
            ))
            handles.append(Line2D([], [], linestyle="", marker=_MARKERS[c % len(_MARKERS)], color=colors[c],
                                  markeredgecolor="black", markersize=7, label=names[c]))
        self._margin_handle = Line2D([], [], color="0.15", linestyle="--", linewidth=1.2,
                                     label=tr("margin: top two\nscores differ by Δ",
                                              "间隔线：最高的两个\n得分相差 Δ"))
        self._ring_handle = Line2D([], [], linestyle="", marker="o", markerfacecolor="none",
                                   markeredgecolor="crimson", markersize=11,
                                   label=tr("point loss > 0\n(bigger ring: larger)",
                                            "该点损失 > 0\n（圈越大，损失越大）"))
        self._class_handles = handles
        self._legend = legend
        self._legend_key: tuple | None = None
        self.legend_changed = False
        self.animated = False
        ax.set_xlim(self.extent[0], self.extent[1])
        ax.set_ylim(self.extent[2], self.extent[3])
        ax.set_xlabel(tr("feature x₁", "特征 x₁"))
        ax.set_ylabel(tr("feature x₂", "特征 x₂"))

    def dynamic_artists(self) -> list:
        """The artists :meth:`update` changes, in drawing order (for blitting)."""
        artists = [self.region_image]
        if self._margin_lines is not None:
            artists.append(self._margin_lines)
        return [*artists, self._rings, *self.point_artists, *self.ax.spines.values()]

    def set_animated(self, animated: bool = True) -> None:
        """Mark the dynamic artists animated: a full draw skips them, so they can be blitted."""
        self.animated = animated
        for artist in self.dynamic_artists():
            artist.set_animated(animated)

    def update(self, grid_scores: np.ndarray | None = None, *, grid_labels: np.ndarray | None = None,
               delta: float | None = None, point_losses: np.ndarray | None = None,
               ring_threshold: float = 0.0, title: str | None = None) -> None:
        """Redraw the regions (from scores or labels), margin lines, loss rings and title.

        Parameters
        ----------
        grid_scores : ndarray of shape (resolution ** 2, C), optional
            Scores at :attr:`grid`; the regions are their argmax.
        grid_labels : ndarray of shape (resolution ** 2,), optional
            Class indices at :attr:`grid`, for models without scores (no margin lines then).
        delta : float, optional
            Draw the margin lines ``s_winner - s_runner_up = delta``; ``None`` hides them.
        point_losses : ndarray of shape (N,), optional
            Per-point losses; ``None`` hides the rings.
        ring_threshold : float, default=0.0
            Points with a loss at most this get no ring (softmax losses are never exactly 0).
        title : str, optional
        """
        res = len(self.xs)
        if self._margin_lines is not None:
            self._margin_lines.remove()
            self._margin_lines = None
        if grid_scores is not None:
            grid_scores = np.asarray(grid_scores, dtype=float)
            self.regions = np.argmax(grid_scores, axis=1).reshape(res, res)
            if delta is not None and self.num_classes >= 2:
                top2 = np.sort(grid_scores, axis=1)[:, -2:]
                gap = (top2[:, 1] - top2[:, 0]).reshape(res, res)      # winner minus runner-up, >= 0
                if gap.min() < delta < gap.max():
                    self._margin_lines = self.ax.contour(
                        self.xs, self.ys, gap, levels=[delta], colors="0.15", linestyles="--",
                        linewidths=1.2, zorder=1,
                    )
                    self._margin_lines.set_animated(self.animated)
        elif grid_labels is not None:
            self.regions = np.asarray(grid_labels).reshape(res, res).astype(int)
        else:
            raise ValueError("update needs grid_scores or grid_labels")
        self.region_image.set_data(self.palette[self.regions] if self.rgba else self.regions)
        if point_losses is None:
            self._rings.set_offsets(np.empty((0, 2)))
            self._rings.set_sizes(np.zeros(0))
        else:
            # a ring just outside the marker for any loss above ring_threshold, growing in area
            # with the loss; capped so that a few far-off points cannot cover the plot
            losses = np.asarray(point_losses, dtype=float)
            visible = losses > ring_threshold
            self._rings.set_offsets(self.X[visible])
            capped = np.minimum(losses[visible], RING_LOSS_CAP)
            self._rings.set_sizes(RING_AREA_MIN + RING_AREA_PER_LOSS * capped)
        if title is not None:
            self.ax.set_title(title, fontsize=10)
        key = (delta is not None and grid_scores is not None, point_losses is not None, ring_threshold)
        self.legend_changed = self._legend and key != self._legend_key
        if self.legend_changed:
            self._legend_key = key
            handles = list(self._class_handles)
            if key[0]:
                handles.append(self._margin_handle)
            if key[1]:
                self._ring_handle.set_label(tr(f"point loss > {ring_threshold:g}\n(bigger ring: larger)",
                                               f"该点损失 > {ring_threshold:g}\n（圈越大，损失越大）"))
                handles.append(self._ring_handle)
            self.ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8,
                           borderaxespad=0.0, frameon=False)


def plot_decision_regions(model_or_W, X, y, b=None, ax=None, *, delta="auto", loss="auto",
                          resolution: int = 200, padding: float = 0.15,
                          class_names: Sequence[str] | None = None, title: str | None = None,
                          ring_threshold: float | None = None):
    """Draw the decision regions of a classifier (or of raw ``W``, ``b``) on 2-D data.

    Parameters
    ----------
    model_or_W : fitted classifier or ndarray of shape (2, C) or (3, C)
        A fitted estimator with ``decision_function`` (``LinearSVM``, ``Softmax``, ``LinearSVC``,
        ``LogisticRegression``, ...) or only ``predict`` (e.g. ``KNeighborsClassifier``);
        or weights ``W`` (with ``b``, or with the bias as last row when ``b`` is None).
    X : array-like of shape (N, 2)
    y : array-like of shape (N,)
        Labels: class indices in ``[0, C)`` for raw ``W``; the model's labels for a model.
    b : array-like of shape (C,), optional
        Bias, only with raw ``W``.
    ax : matplotlib Axes, optional
        A new figure is made when omitted. (An Axes passed in ``b``'s place, as the 4th
        positional argument, is taken as ``ax``.)
    delta : float, None or "auto", default="auto"
        Draw the margin lines where the runner-up score is ``delta`` below the winner.
        "auto": the model's ``delta`` (``LinearSVM``), none for softmax models, else 1.0.
    loss : str, None or "auto", default="auto"
        Per-point loss drawn as rings: "hinge", "squared_hinge", "softmax", or None.
        "auto": the model's own loss (raw ``W``: "hinge"; unknown models: none).
    resolution : int, default=200
        Background grid points per axis.
    padding : float, default=0.15
        Extra room around the data as a fraction of its range.
    class_names : sequence of C str, optional
    title : str, optional
    ring_threshold : float, optional
        Points with a loss at most this get no ring. Default: ``SOFTMAX_RING_THRESHOLD`` for the
        softmax loss (never exactly 0), else 0. Give one value to compare panels of different losses.

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` is the plotted region array (class indices on the grid,
        row 0 at the bottom, extent ``ax.images[0].get_extent()``).

    Examples
    --------
    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> W = np.array([[-1.0, 1.0], [0.0, 0.0]])          # class 1 wins where x1 > 0
    >>> ax = plot_decision_regions(W, np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([0, 1]))
    >>> regions = ax.images[0].get_array()
    >>> int(regions[0, 0]), int(regions[0, -1])
    (0, 1)
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    if isinstance(b, Axes) and ax is None:      # plot_decision_regions(model, X, y, ax) also works
        b, ax = None, b
    X, y = _check_xy(X, y)
    source = _Source(model_or_W, b, y)
    if delta == "auto":
        delta = source.delta
    elif delta is not None and (not np.isfinite(delta) or delta < 0):
        raise ValueError(f"delta must be a finite number >= 0, None or 'auto'; got {delta}")
    loss = source.loss if loss == "auto" else (None if loss is None else check_loss_name(loss))
    if ring_threshold is None:
        ring_threshold = SOFTMAX_RING_THRESHOLD if loss == "softmax" else 0.0
    elif not np.isfinite(ring_threshold) or ring_threshold < 0:
        raise ValueError(f"ring_threshold must be a finite number >= 0; got {ring_threshold}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 5.0), layout="constrained")
    plot = DecisionPlot(ax, X, source.y_index, source.num_classes, resolution=resolution,
                        padding=padding,
                        class_names=source.class_names if class_names is None else class_names)
    losses = None
    if source.scores is not None:
        grid_scores = source.scores(plot.grid)
        if loss is not None:
            losses = per_example_losses(source.scores(X), source.y_index, loss,
                                        1.0 if delta is None else delta)
        plot.update(grid_scores, delta=delta, point_losses=losses, title=None, ring_threshold=ring_threshold)
    else:
        plot.update(grid_labels=source.labels(plot.grid))
        delta = None
    if title is None:
        parts = [tr(f"Decision regions of {source.name}", f"{source.name} 的决策区域")]
        if delta is not None:
            parts.append(f"Δ = {delta:g}")
        if losses is not None:
            parts.append(tr(f"mean {loss.replace('_', ' ')} loss {losses.mean():.3f}",
                          f"平均 {loss.replace('_', ' ')} 损失 {losses.mean():.3f}"))
        title = tr(", ", "，").join(parts)
    ax.set_title(title, fontsize=10)
    return ax
