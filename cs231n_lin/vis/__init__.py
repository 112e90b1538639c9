"""Figures: loss curves, weight templates, decision boundaries, losses against the margin."""

from cs231n_lin.vis.boundaries import DecisionPlot, plot_decision_regions
from cs231n_lin.vis.losses import loss_of_margin, per_example_losses, plot_losses_vs_margin
from cs231n_lin.vis.plots import plot_loss_history, plot_weight_templates

__all__ = [
    "DecisionPlot",
    "loss_of_margin",
    "per_example_losses",
    "plot_decision_regions",
    "plot_loss_history",
    "plot_losses_vs_margin",
    "plot_weight_templates",
]
