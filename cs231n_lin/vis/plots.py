"""Static matplotlib figures of training: loss curves and learned weight templates."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np

from cs231n_lin.i18n import tr


def smooth_history(history: np.ndarray, window: int) -> np.ndarray:
    """Trailing moving average of ``history`` over ``window`` points, same length as ``history``.

    The first points average over what is there so far (1, 2, ... points), so the smoothed curve
    starts at the first value instead of jumping in ``window`` iterations late.

    Parameters
    ----------
    history : ndarray of shape (T,)
    window : int
        Number of points averaged (``>= 1``).

    Returns
    -------
    ndarray of shape (T,)
    """
    if not (isinstance(window, (int, np.integer)) and window >= 1):
        raise ValueError(f"window must be an integer >= 1; got {window!r}")
    history = np.asarray(history, dtype=float)
    csum = np.concatenate([[0.0], np.cumsum(history)])
    k = np.arange(1, len(history) + 1)
    start = np.maximum(0, k - window)
    return (csum[k] - csum[start]) / (k - start)


def plot_loss_history(histories: Mapping[str, np.ndarray], *, ax=None, smooth: int = 20,
                      expected_initial: float | None = None, expected_label: str = "expected initial loss",
                      logy: bool = False):
    """Minibatch loss against iteration, one colour per model: each minibatch faint, a moving average solid.

    Parameters
    ----------
    histories : mapping of label -> ndarray of shape (num_iters,)
        E.g. ``{"SVM": svm.loss_history_}``.
    ax : matplotlib Axes, optional
    smooth : int, default=20
        Window of the trailing moving average (see :func:`smooth_history`); 1 draws only the raw loss.
    expected_initial : float, optional
        The loss expected before any training (e.g. ``C - 1`` for the hinge with small weights,
        ``log C`` for softmax), drawn as a dotted line with a marker at iteration 0.
    expected_label : str
        Its legend entry, e.g. ``"C - 1 = 9 (hinge, small W)"``.
    logy : bool, default=False
        Log scale on y, for when the first losses dwarf the rest.

    Returns
    -------
    matplotlib Axes
        The legend sits outside the axes, to the right, so it never covers a curve.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    handles = []
    for label, history in histories.items():
        history = np.asarray(history, dtype=float)
        if history.ndim != 1 or history.size == 0:
            raise ValueError(f"history {label!r} must be a non-empty 1-D array; got shape {history.shape}")
        (raw,) = ax.plot(history, alpha=0.25, linewidth=0.8)
        if smooth > 1 and len(history) > 1:
            (line,) = ax.plot(smooth_history(history, smooth), color=raw.get_color(), linewidth=1.8,
                              label=tr(f"{label} (average of last {smooth})",
                                       f"{label}（最近 {smooth} 步的平均）"))
        else:
            raw.set_alpha(1.0)
            raw.set_label(label)
            line = raw
        handles.append(line)
    if smooth > 1:
        handles.append(Line2D([], [], color="0.3", alpha=0.3, linewidth=0.8,
                              label=tr("faint: the loss of each minibatch\n"
                                       "(noisy: each batch is a new sample)",
                                       "浅色：每个小批量的损失\n（有噪声：每批都是新的样本）")))
    if expected_initial is not None:
        ax.axhline(expected_initial, color="0.2", linestyle=":", linewidth=1)
        (mark,) = ax.plot([0], [expected_initial], marker="o", color="0.2", linestyle=":",
                          label=expected_label)
        handles.append(mark)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(tr("iteration (minibatch)", "迭代（小批量）"))
    ax.set_ylabel(tr("loss (log scale)", "损失（对数坐标）") if logy else tr("loss", "损失"))
    ax.set_title(tr("Training loss", "训练损失"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.grid(alpha=0.3, which="both" if logy else "major")
    return ax


def plot_weight_templates(W: np.ndarray, image_shape: Sequence[int], class_names: Sequence[str],
                          *, title: str = "", fig=None,
                          note: str = "inputs are mean-subtracted: a weight says how a pixel brighter "
                                      "than the average image moves the class score"):
    """Show each class's weights (bias row dropped) as an image: the "template" its score matches.

    One colour scale for all classes, symmetric around 0. Grey-level images use a diverging map
    (red raises the score, blue lowers it, white is 0) with a colour bar; colour images show the
    weights of the three channels as a colour, mid-grey meaning 0.

    Parameters
    ----------
    W : ndarray of shape (D, C) or (D + 1, C)
        Weights; a last bias row is ignored when ``D + 1`` rows are given.
    image_shape : tuple
        ``(H, W)`` or ``(H, W, 3)``, with ``prod(image_shape) == D``.
    class_names : sequence of C str
    title : str, optional
    fig : matplotlib Figure or SubFigure, optional
        Draw into it (e.g. one half of ``plt.figure().subfigures(1, 2)`` to compare two models).
    note : str
        A line under the templates; ``""`` for none.

    Returns
    -------
    matplotlib Figure (or the SubFigure passed in)
    """
    import matplotlib.pyplot as plt

    W = np.asarray(W)
    D = int(np.prod(image_shape))
    if W.ndim != 2 or W.shape[0] not in (D, D + 1):
        raise ValueError(
            f"W has shape {W.shape}; expected {D} rows (or {D + 1} with bias) for images {tuple(image_shape)}"
        )
    if W.shape[1] != len(class_names):
        raise ValueError(f"W has {W.shape[1]} columns but {len(class_names)} class names were given")
    W = W[:D]
    C = W.shape[1]
    cols = min(C, 5)
    rows = int(np.ceil(C / cols))
    grey = len(image_shape) == 2            # a colour bar, with its ticks and label, on the right
    if fig is None:      # a fixed layout: constrained layout costs seconds for many small axes
        fig = plt.figure(figsize=(2.0 * cols + 1.0 + (0.9 if grey else 0.0), 2.1 * rows + 0.9))
        right = 1 - (1.0 if grey else 0.1) / fig.get_figwidth()   # inches kept for ticks and label
        fig.subplots_adjust(left=0.02, right=right, top=1 - 0.75 / fig.get_figheight(),
                            bottom=0.45 / fig.get_figheight(), wspace=0.08, hspace=0.25)
    bound = float(np.abs(W).max()) or 1.0
    axes, image = [], None
    for c in range(C):
        ax = fig.add_subplot(rows, cols, c + 1)
        img = W[:, c].reshape(image_shape)
        if img.ndim == 3:   # colour: 0 -> mid-grey, +-bound -> the ends of [0, 1]
            ax.imshow(0.5 + img / (2 * bound))
        else:
            image = ax.imshow(img, cmap="coolwarm", vmin=-bound, vmax=bound)
        ax.set_title(str(class_names[c]))
        ax.set_xticks([])
        ax.set_yticks([])
        axes.append(ax)
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8, fraction=0.04, pad=0.02,
                     label=tr("weight (red raises the score)", "权重（红色提高得分）"))
    if title:
        fig.suptitle(title)
    if note:             # wrapped to the (sub)figure's width, about 12 characters per inch at 9 pt
        width_in = fig.bbox.width / fig.dpi
        fig.supxlabel(textwrap.fill(note, max(30, int(12 * width_in))), fontsize=9)
    return fig
