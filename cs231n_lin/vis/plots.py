"""Static matplotlib figures of training: loss curves and learned weight templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def plot_loss_history(histories: Mapping[str, np.ndarray], *, ax=None, smooth: int = 20):
    """Minibatch loss against iteration, one line per model, with a moving average.

    Parameters
    ----------
    histories : mapping of label -> ndarray of shape (num_iters,)
        E.g. ``{"SVM": svm.loss_history_}``.
    ax : matplotlib Axes, optional
    smooth : int, default=20
        Window of the moving average drawn over the raw (faint) curve.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for label, history in histories.items():
        history = np.asarray(history, dtype=float)
        (line,) = ax.plot(history, alpha=0.25, linewidth=0.8)
        if len(history) >= smooth > 1:
            avg = np.convolve(history, np.ones(smooth) / smooth, mode="valid")
            ax.plot(np.arange(smooth - 1, len(history)), avg, color=line.get_color(), label=label)
        else:
            line.set_alpha(1.0)
            line.set_label(label)
    ax.set_xlabel("iteration (minibatch)")
    ax.set_ylabel("loss")
    ax.set_title("Training loss (faint: per minibatch; solid: moving average)")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_weight_templates(W: np.ndarray, image_shape: Sequence[int], class_names: Sequence[str],
                          *, title: str = "", fig=None):
    """Show each class's weights (bias row dropped) as an image: the "template" it matches.

    Parameters
    ----------
    W : ndarray of shape (D, C) or (D + 1, C)
        Weights; a last bias row is ignored when ``D + 1`` rows are given.
    image_shape : tuple
        ``(H, W)`` or ``(H, W, 3)``, with ``prod(image_shape) == D``.
    class_names : sequence of C str

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt

    W = np.asarray(W)
    D = int(np.prod(image_shape))
    if W.shape[0] not in (D, D + 1):
        raise ValueError(
            f"W has {W.shape[0]} rows; expected {D} (or {D + 1} with bias) for images {tuple(image_shape)}"
        )
    if W.shape[1] != len(class_names):
        raise ValueError(f"W has {W.shape[1]} columns but {len(class_names)} class names were given")
    W = W[:D]
    C = W.shape[1]
    cols = min(C, 5)
    rows = int(np.ceil(C / cols))
    if fig is None:
        fig = plt.figure(figsize=(2.0 * cols, 2.2 * rows + 0.4))
    lo, hi = W.min(), W.max()
    for c in range(C):
        ax = fig.add_subplot(rows, cols, c + 1)
        img = W[:, c].reshape(image_shape)
        if img.ndim == 3:   # colour: rescale to [0, 1] on the common range
            ax.imshow((img - lo) / (hi - lo + 1e-12))
        else:
            ax.imshow(img, cmap="coolwarm", vmin=-max(abs(lo), abs(hi)), vmax=max(abs(lo), abs(hi)))
        ax.set_title(str(class_names[c]))
        ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
