"""Interactive explorer: move a linear classifier's weights and watch its loss and boundary.

Three layers, each usable without the next:

- :class:`ExplorerState` (:mod:`.state`) — plain numbers: the weights ``W`` (D, C) and bias ``b``
  (C,), the loss type (any loss of :mod:`cs231n_lin.classifiers.registry`), Delta, lambda and
  learning rate. :meth:`ExplorerState.evaluate` calls the registered vectorized loss (e.g.
  ``svm_loss_vectorized``) on ``[X, 1]`` and ``[W; b]`` (the bias trick), so the numbers shown
  are exactly what that function returns.
- :class:`ExplorerFigure` (:mod:`.renderer`) — a matplotlib figure (Agg, no display needed) of
  the state's decision regions, margin lines and per-point losses, rendered to PNG bytes.
- :class:`Explorer` (:mod:`.widgets`) — the ipywidgets layer: sliders, a loss menu, buttons, the
  loss read-out and the figure as an ``Image`` widget. :func:`explore` builds it, or, where
  widgets cannot be shown (no ipywidgets, or not inside a Jupyter kernel), prints why and shows
  a static figure instead.
"""

from cs231n_lin.explore.renderer import ExplorerFigure, loss_report_html
from cs231n_lin.explore.state import ExplorerState, LossReport
from cs231n_lin.explore.widgets import Explorer, StaticExplorer, explore, widget_unavailable_reason

__all__ = [
    "Explorer",
    "ExplorerFigure",
    "ExplorerState",
    "LossReport",
    "StaticExplorer",
    "explore",
    "loss_report_html",
    "widget_unavailable_reason",
]
