"""Figures: loss curves, weight templates, margins, hyper-parameter choices, decision boundaries."""

import warnings as _warnings

from cs231n_lin.i18n import configure_figures as _configure_figures
from cs231n_lin.vis.boundaries import DecisionPlot, plot_decision_regions
from cs231n_lin.vis.losses import loss_of_margin, per_example_losses, plot_losses_vs_margin
from cs231n_lin.vis.margins import plot_margin_loss_and_slope, plot_margin_number_line
from cs231n_lin.vis.plots import plot_loss_history, plot_weight_templates, smooth_history
from cs231n_lin.vis.tuning import best_on_grid_edge, plot_regularization_sweep, plot_search_heatmap

# Chinese (notebooks/zh/, or cs231n-lin.cfg / CS231N_LIN_LANG): labels need a CJK font.
try:
    if _configure_figures():        # Chinese: also the English titles the lessons' cells set
        from cs231n_lin.vis import figure_text_zh as _figure_text_zh

        _figure_text_zh.install()
except RuntimeError as _exc:        # no CJK font: say how to install it, keep working
    _warnings.warn(str(_exc), stacklevel=2)

__all__ = [
    "DecisionPlot",
    "best_on_grid_edge",
    "loss_of_margin",
    "per_example_losses",
    "plot_decision_regions",
    "plot_loss_history",
    "plot_losses_vs_margin",
    "plot_margin_loss_and_slope",
    "plot_margin_number_line",
    "plot_regularization_sweep",
    "plot_search_heatmap",
    "plot_weight_templates",
    "smooth_history",
]
