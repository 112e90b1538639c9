"""Figures of hyper-parameter choices: a regularization sweep with error bars, a search heat map.

``results`` of a search are a mapping ``(learning_rate, reg) -> (train_accuracy, val_accuracy)``,
the shape the search of notebook 1 returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cs231n_lin.i18n import tr


def _grid(results: Mapping) -> tuple[list[float], list[float], np.ndarray]:
    """Sorted learning rates, sorted regs, and the (n_lr, n_reg) val accuracies (nan where missing)."""
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty mapping (learning_rate, reg) -> (train_acc, val_acc)")
    for key, value in results.items():
        if not (isinstance(key, tuple) and len(key) == 2) or len(value) < 2:
            raise ValueError(f"results must map (learning_rate, reg) -> (train_acc, val_acc); got {key!r}: "
                             f"{value!r}")
    lrs = sorted({float(k[0]) for k in results})
    regs = sorted({float(k[1]) for k in results})
    val = np.full((len(lrs), len(regs)), np.nan)
    for (lr, reg), value in results.items():
        val[lrs.index(float(lr)), regs.index(float(reg))] = float(value[1])
    return lrs, regs, val


def best_on_grid_edge(results: Mapping, best: tuple[float, float]) -> list[str]:
    """Which edges of the search grid ``best`` lies on, in words; empty when it is inside.

    Parameters
    ----------
    results : mapping (learning_rate, reg) -> (train_acc, val_acc)
    best : (learning_rate, reg)
        A key of ``results``.

    Returns
    -------
    list of str
        E.g. ``["the largest learning rate tried"]``. A grid with a single value of a
        hyper-parameter puts every point on that edge.
    """
    lrs, regs, _ = _grid(results)
    if tuple(best) not in results:
        raise ValueError(f"best must be one of the searched (learning_rate, reg) pairs; got {best!r}")
    lr, reg = float(best[0]), float(best[1])
    edges = []
    for value, values, name in [(lr, lrs, "learning rate"), (reg, regs, "regularization strength")]:
        if value == values[0]:
            edges.append(tr(f"the smallest {name} tried", f"试过的最小 {name}"))
        if value == values[-1]:
            edges.append(tr(f"the largest {name} tried", f"试过的最大 {name}"))
    return edges


def plot_search_heatmap(results: Mapping, best: tuple[float, float] | None = None, *, ax=None):
    """Validation accuracy over the (learning rate x reg) grid, each cell labelled, the best one boxed.

    When the best cell is on an edge of the grid, the title says so in red: the best value may
    lie outside the range searched.

    Parameters
    ----------
    results : mapping (learning_rate, reg) -> (train_acc, val_acc)
    best : (learning_rate, reg), optional
        Default: the key with the highest validation accuracy.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    lrs, regs, val = _grid(results)
    if best is None:
        best = max(results, key=lambda k: results[k][1])
    edges = best_on_grid_edge(results, best)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 * len(regs) + 2.5, 0.7 * len(lrs) + 1.8), layout="constrained")
    # Colours span the best 0.1 of accuracy, so that differences among the good cells show; worse
    # cells all get the darkest colour (the colour bar's pointed end says so).
    top = float(np.nanmax(val))
    low = max(float(np.nanmin(val)), top - 0.1)
    clipped = float(np.nanmin(val)) < low
    image = ax.imshow(val, cmap="viridis", origin="lower", aspect="auto", vmin=low, vmax=top)
    ax.figure.colorbar(image, ax=ax, label=tr("validation accuracy", "验证准确率"),
                       extend="min" if clipped else "neither")
    mid = low + 0.5 * (top - low)
    for i in range(len(lrs)):
        for j in range(len(regs)):
            if np.isfinite(val[i, j]):
                ax.text(j, i, f"{val[i, j]:.3f}", ha="center", va="center", fontsize=8,
                        color="black" if val[i, j] > mid else "white")
    i, j = lrs.index(float(best[0])), regs.index(float(best[1]))
    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2.5))
    ax.set_xticks(range(len(regs)), [f"{r:.2g}" for r in regs])
    ax.set_yticks(range(len(lrs)), [f"{lr:.2g}" for lr in lrs])
    ax.set_xlabel(tr("regularization strength (log grid)", "正则化强度（对数网格）"))
    ax.set_ylabel(tr("learning rate (log grid)", "学习率（对数网格）"))
    if edges:
        ax.set_title(tr("best (red box) is on the grid's edge:\n" + "; ".join(edges) + " - extend the grid",
                        "最优（红框）在网格边上：\n" + "；".join(edges) + "——请扩大网格"),
                     color="tab:red", fontsize=10)
    else:
        ax.set_title(tr("validation accuracy; best in the red box (inside the grid)",
                        "验证准确率；最优在红框中（在网格内部）"), fontsize=10)
    return ax


def plot_regularization_sweep(regs: Sequence[float], train_acc: np.ndarray, val_acc: np.ndarray, *,
                              axes=None):
    """Train and validation accuracy against the L2 strength, and their gap, over repeated subsets.

    Parameters
    ----------
    regs : sequence of R floats
        The regularization strengths, increasing (0 allowed).
    train_acc, val_acc : ndarray of shape (R, K)
        Accuracy of the model trained with ``regs[r]`` on subset ``k``.
    axes : two matplotlib Axes, optional

    Returns
    -------
    matplotlib Figure
        Points are means over the K subsets, bars one standard deviation. The x positions are
        evenly spaced (the strengths are labelled, not drawn to scale).
    """
    import matplotlib.pyplot as plt

    regs = [float(r) for r in regs]
    train_acc, val_acc = np.asarray(train_acc, dtype=float), np.asarray(val_acc, dtype=float)
    if train_acc.shape != val_acc.shape or train_acc.ndim != 2 or train_acc.shape[0] != len(regs):
        raise ValueError(f"train_acc and val_acc must both have shape ({len(regs)}, K); got "
                         f"{train_acc.shape} and {val_acc.shape}")
    if np.any(np.diff(regs) <= 0):
        raise ValueError(f"regs must be increasing; got {regs}")
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    else:
        fig = axes[0].figure
    x = np.arange(len(regs))
    k = train_acc.shape[1]
    for acc, name, offset in [(train_acc, "train", -0.06), (val_acc, "validation", 0.06)]:
        axes[0].errorbar(x + offset, acc.mean(axis=1), yerr=acc.std(axis=1), marker="o", capsize=3,
                         label=tr(f"{name} (mean ± 1 s.d., {k} subsets)",
                                  f"{name}（均值 ± 1 标准差，{k} 个子集）"))
    gap = train_acc - val_acc
    axes[1].errorbar(x, gap.mean(axis=1), yerr=gap.std(axis=1), marker="o", capsize=3, color="tab:purple")
    titles = [tr("accuracy", "准确率"),
              tr(f"overfitting gap: train − validation accuracy\n(mean ± 1 s.d. over {k} subsets)",
                 f"过拟合差距：训练 − 验证准确率\n（{k} 个子集上的均值 ± 1 标准差）")]
    for ax, ylabel, title in zip(axes, [tr("accuracy", "准确率"), tr("train − validation", "训练 − 验证")],
                                 titles,
                                   strict=True):
        ax.set_xticks(x, [f"{r:g}" for r in regs])
        ax.set_xlabel(tr("L2 strength λ (not to scale)", "L2 强度 λ（非等比例）"))
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower left", fontsize=8)
    return fig
