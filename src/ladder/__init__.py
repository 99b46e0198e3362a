"""Plumbing shared by the book's chapters: toy data, plots, glue for the page, input checks."""

from ladder.checks import DivergenceError, finite_loss
from ladder.data import toy_numpy, toy_torch, two_feature_data
from ladder.glue import glue
from ladder.plots import plot_fit, plot_fits, plot_loss_curve, setup_plots

__all__ = [
    "DivergenceError",
    "finite_loss",
    "glue",
    "plot_fit",
    "plot_fits",
    "plot_loss_curve",
    "setup_plots",
    "toy_numpy",
    "toy_torch",
    "two_feature_data",
]
