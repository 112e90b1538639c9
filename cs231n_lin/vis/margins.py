"""Figures of margins: one example's scores on a number line, and a margin loss with its slope.

Both draw what the lessons explain, from numbers the caller passes in (or from the student's own
function); neither computes a loss the student is asked to write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from cs231n_lin.i18n import tr


def _check_scores(scores, correct: int, delta: float) -> np.ndarray:
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 1 or scores.size < 2 or not np.all(np.isfinite(scores)):
        raise ValueError(f"scores must be a 1-D array of at least 2 finite numbers; got {scores!r}")
    if not (isinstance(correct, (int, np.integer)) and 0 <= correct < scores.size):
        raise ValueError(f"correct must be a class index in [0, {scores.size}); got {correct!r}")
    if not (np.isfinite(delta) and delta >= 0):
        raise ValueError(f"delta must be a finite number >= 0; got {delta!r}")
    return scores


def plot_margin_number_line(scores: Sequence[float], correct: int, delta: float, *,
                            class_names: Sequence[str] | None = None, ax=None):
    """One example's class scores on a number line, with the zone where a wrong class adds loss.

    Two lanes share the score axis. The top lane holds the correct class and the bracket of width
    ``delta`` below its score. The bottom lane holds the other classes, the shaded zone
    ``s > s_correct - delta`` where a wrong class adds loss, and, for each wrong class inside it,
    a bar from the zone's edge to its score: the amount by which it violates the margin.

    Parameters
    ----------
    scores : sequence of C floats
        The class scores of one example.
    correct : int
        Index of the correct class.
    delta : float
        The margin ``Delta`` (``>= 0``).
    class_names : sequence of C str, optional
        Labels of the markers (default ``class 0``, ``class 1``, ...).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    scores = _check_scores(scores, correct, delta)
    names = (list(class_names) if class_names is not None
             else [tr(f"class {j}", f"类别 {j}") for j in range(scores.size)])
    if len(names) != scores.size:
        raise ValueError(f"class_names has {len(names)} names for {scores.size} scores")
    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 2.8))
    s_y = scores[correct]
    edge = s_y - delta
    span = max(scores.max(), s_y) - min(scores.min(), edge)
    lo, hi = min(scores.min(), edge) - 0.1 * span - 1, max(scores.max(), s_y) + 0.35 * span + 1
    top, bottom = 1.3, 0.0
    violators = [j for j in np.argsort(scores) if j != correct and scores[j] > edge]
    low = bottom - 0.3 - 0.2 * len(violators)
    ax.axhline(top, color="0.85", linewidth=1, zorder=0)
    ax.axhline(bottom, color="0.85", linewidth=1, zorder=0)
    ax.fill_between([edge, hi], low, bottom + 0.4, color="tab:red", alpha=0.13, linewidth=0)
    ax.text(hi, bottom + 0.43, tr(r"a wrong-class score here adds loss ($s_j > s_y - \Delta$)",
                                 r"错误类别的得分落在这里就会产生损失 ($s_j > s_y - \Delta$)"), ha="right",
            va="bottom", color="tab:red", fontsize=8)
    ax.plot([edge, edge], [low, top - 0.22], color="tab:red", linestyle="--", linewidth=1)
    ax.text(edge, low - 0.05, r"$s_y - \Delta$" + f" = {edge:g}", ha="center", va="top", color="tab:red")
    # Correct class and the Delta bracket.
    ax.plot(s_y, top, "o", markersize=10, color="tab:green", zorder=3)
    ax.annotate(tr(f"{names[correct]} (correct): {s_y:g}", f"{names[correct]}（正确）：{s_y:g}"), (s_y, top),
                xytext=(0, 9), textcoords="offset points",
                ha="center", color="tab:green")
    ax.annotate("", xy=(edge, top - 0.22), xytext=(s_y, top - 0.22), arrowprops={"arrowstyle": "<->"})
    ax.text((edge + s_y) / 2, top - 0.27, rf"$\Delta$ = {delta:g}", ha="center", va="top")
    # Wrong classes, and the violation of each one inside the zone (one bar per row).
    for j, s_j in enumerate(scores):
        if j == correct:
            continue
        ax.plot(s_j, bottom, "o", markersize=9, color="tab:red" if s_j > edge else "0.45", zorder=3)
        ax.annotate(f"{names[j]}: {s_j:g}", (s_j, bottom), xytext=(0, 9), textcoords="offset points",
                    ha="center")
    for row, j in enumerate(violators):
        y_bar = bottom - 0.25 - 0.2 * row
        ax.plot([edge, scores[j]], [y_bar, y_bar], color="tab:red", linewidth=4, solid_capstyle="butt")
        ax.annotate(tr(f"{names[j]} violates by {scores[j] - edge:g}",
                       f"{names[j]} 违反间隔 {scores[j] - edge:g}"),
                    (scores[j], y_bar), xytext=(4, 0),
                    textcoords="offset points", ha="left", va="center", color="tab:red", fontsize=9)
    ax.set_xlim(lo, hi)
    ax.set_ylim(low - 0.4, top + 0.5)
    ax.set_yticks([bottom, top], [tr("other classes", "其他类别"), tr("correct class", "正确类别")])
    ax.tick_params(axis="y", length=0)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(tr("score", "得分"))
    return ax


def plot_margin_loss_and_slope(margin_loss: Callable, *, margin_range: tuple[float, float] = (-2.0, 3.0),
                               axes=None):
    """The loss of one margin and its slope, hinge and squared hinge, from ``margin_loss``.

    Parameters
    ----------
    margin_loss : callable
        ``margin_loss(m, squared) -> (loss, slope)``, elementwise on an array of margins (the
        function the student writes in notebook 2).
    margin_range : (float, float)
        The x-axis range of the margin ``m = s_j - s_y + Delta``.
    axes : two matplotlib Axes, optional

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt

    lo, hi = margin_range
    if not lo < 0 < hi:
        raise ValueError(f"margin_range must be (low, high) with low < 0 < high; got {margin_range}")
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    else:
        fig = axes[0].figure
    m = np.linspace(lo, hi, 501)
    for squared, label in [(False, tr("hinge  max(0, m)", "合页  max(0, m)")),
                           (True, tr("squared hinge  max(0, m)$^2$", "平方合页  max(0, m)$^2$"))]:
        loss, slope = margin_loss(m, squared)
        axes[0].plot(m, loss, label=label, linewidth=2)
        # Draw the slope as steps so a jump shows as a vertical edge, not a steep line.
        axes[1].plot(m, slope, label=label, linewidth=2, drawstyle="steps-mid")
    for ax, title, ylabel in zip(axes, [tr("loss of one margin", "单个间隔的损失"),
                                        tr("slope d loss / d m (what SGD follows)",
                                           "斜率 d loss / d m（SGD 沿着它走）")],
                                 [tr("loss", "损失"), tr("slope", "斜率")], strict=True):
        ax.axvline(0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xlabel(tr(r"margin $m = s_j - s_{y_i} + \Delta$", r"间隔 $m = s_j - s_{y_i} + \Delta$"))
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
