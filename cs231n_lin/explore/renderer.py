"""The explorer's figure (decision regions, margin lines, per-point loss rings) and its read-out."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence

import numpy as np

from cs231n_lin.explore.state import ExplorerState
from cs231n_lin.explore.text import loss_label, text
from cs231n_lin.i18n import configure_figures
from cs231n_lin.vis.boundaries import SOFTMAX_RING_THRESHOLD, DecisionPlot


class ExplorerFigure:
    """The explorer's matplotlib figure (Agg canvas, never shown by pyplot).

    Parameters
    ----------
    state : ExplorerState
        With 2-D data.
    class_names : sequence of str, optional
    resolution : int, default=120
        Background grid points per axis (lower is faster).
    figsize : (float, float), default=(6.8, 4.4)
    dpi : int, default=90
    figure : matplotlib Figure, optional
        Draw into this figure (e.g. a pyplot one, for a static display) instead of a new one.
    """

    def __init__(self, state: ExplorerState, *, class_names: Sequence[str] | None = None,
                 resolution: int = 120, figsize=(6.8, 4.4), dpi: int = 90, figure=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        if state.X.shape[1] != 2:
            raise ValueError(f"the explorer draws 2-D data only; X has {state.X.shape[1]} features")
        configure_figures()                     # Chinese: a CJK font for the title and legend
        self.state = state
        self.figure = figure if figure is not None else Figure(figsize=figsize, dpi=dpi)
        if self.figure.canvas is None or type(self.figure.canvas).__name__ == "FigureCanvasBase":
            FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(left=0.1, right=0.7, bottom=0.12, top=0.88)
        self.ax = self.figure.add_subplot(1, 1, 1)
        self.plot = DecisionPlot(self.ax, state.X, state.y, state.num_classes, resolution=resolution,
                                 class_names=class_names, rgba=True)
        self.ax.set_title(text("title"), fontsize=9)
        self._grid_b = np.hstack([self.plot.grid, np.ones((len(self.plot.grid), 1))])
        self._background = None

    def _render(self) -> None:
        """Blit: the static frame (title, ticks, labels, legend) is drawn once and restored each
        time; only the regions, margin lines, rings, points and spines are drawn per update."""
        canvas = self.figure.canvas
        if not self.plot.animated:
            self.plot.set_animated(True)
        if self._background is None or self.plot.legend_changed:
            canvas.draw()                       # everything that is not animated
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.plot.dynamic_artists():
            self.figure.draw_artist(artist)

    def redraw(self, title: str | None = None) -> None:
        """Update the artists from the state (no rendering); ``title`` replaces the static one."""
        s = self.state
        r = s.evaluate()
        self.plot.update(self._grid_b @ s.Wb, delta=s.delta if s.spec.uses_delta else None,
                         point_losses=r.per_point, title=title,
                         ring_threshold=SOFTMAX_RING_THRESHOLD if s.spec.kind == "probability" else 0.0)

    def to_png(self) -> bytes:
        """Redraw and render the figure to PNG bytes."""
        from PIL import Image

        self.redraw()
        self._render()
        buf = io.BytesIO()
        rgba = np.asarray(self.figure.canvas.buffer_rgba())
        # A 128-colour palette PNG: encodes twice as fast as RGB and is a quarter the size.
        image = Image.fromarray(rgba[..., :3]).quantize(128, method=Image.Quantize.FASTOCTREE)
        image.save(buf, format="png", compress_level=1)
        return buf.getvalue()


def loss_report_html(state: ExplorerState, *, top: int = 5) -> str:
    """The explorer's loss read-out as HTML: totals, accuracy and the largest per-point losses.

    In the student's language (:mod:`cs231n_lin.explore.text`).
    """
    r = state.evaluate()
    order = np.argsort(-r.per_point, kind="stable")[:top]
    worst = text("list_sep").join(text("worst_item", i=i, c=state.y[i], loss=f"{r.per_point[i]:.3f}")
                     for i in order if r.per_point[i] > 0)
    q = np.quantile(r.per_point, [0.0, 0.5, 1.0])
    margin = f"{text('list_sep')}Δ = {state.delta:g}" if state.spec.uses_delta else ""
    per_point = text("per_point", lo=f"{q[0]:.3f}", mid=f"{q[1]:.3f}", hi=f"{q[2]:.3f}",
                     n=int(np.sum(r.per_point > 0)), total=len(r.per_point))
    return (
        f"<div style='font-family:monospace;line-height:1.45;overflow-wrap:anywhere'>"
        f"<b>{html.escape(loss_label(state.spec))}</b>{margin}{text('list_sep')}λ = {state.reg:g}<br>"
        f"<b>{text('total_loss')} = {r.loss:.4f}</b><br>"
        f"{text('data_loss')} = {r.data_loss:.4f} &nbsp; {text('reg_loss')} = {r.reg_loss:.4f}<br>"
        f"{text('accuracy')} = {r.accuracy:.1%} &nbsp; {text('steps_taken')} = {state.steps_taken}<br>"
        f"{per_point}<br>"
        f"{text('largest')}{html.escape(worst) if worst else text('none')}</div>"
    )
