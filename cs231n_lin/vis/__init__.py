"""Figures: loss curves, weight templates (and decision boundaries)."""

from cs231n_lin.vis.plots import plot_loss_history, plot_weight_templates

__all__ = ["plot_loss_history", "plot_weight_templates"]
