"""Plumbing shared by the book's chapters: toy data, printed reports, plots, seeding, checks."""
from ladder.checks import DivergenceError
from ladder.data import toy_numpy, toy_torch, two_feature_data
from ladder.plots import plot_fit, plot_loss_curve, setup_plots
from ladder.report import LossHistory, print_prediction
from ladder.seeding import seed_all
from ladder.versions import verified_with

__all__ = [
    "DivergenceError", "LossHistory", "plot_fit", "plot_loss_curve", "print_prediction",
    "seed_all", "setup_plots", "toy_numpy", "toy_torch", "two_feature_data", "verified_with",
]
