"""The book's figures: a loss curve and a fitted line, in one readable, reproducible style."""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes

STYLE = {
    "figure.figsize": (6.0, 3.6),
    "figure.facecolor": "white",  # opaque, so the figure stays readable on the dark theme
    "savefig.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "ladder",  # fixed ids inside the SVG, so the same plot gives the same bytes
}


def setup_plots() -> None:
    """Apply the book's style and, inside Jupyter, emit each figure as deterministic SVG and PNG.

    The style starts from Matplotlib's own defaults, so a personal matplotlibrc changes nothing. nbval
    compares the SVG; the PNG is what JupyterLab shows before a reader has run (and so trusted) a chapter.
    """
    import matplotlib as mpl

    mpl.rcdefaults()  # keeps the backend: rcdefaults leaves it alone
    plt.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python: nothing to display inline
        return
    if get_ipython() is not None:
        # metadata Date None: no timestamp in the files, so a re-run leaves the notebook unchanged.
        set_matplotlib_formats(
            "svg", "png", metadata={"Date": None}, bbox_inches="tight"
        )


def _as_1d(name: str, values: object) -> np.ndarray:
    """Flatten a 1-D series or an (n_samples, 1) column into a 1-D float array."""
    if isinstance(values, torch.Tensor):
        values = values.detach().numpy()
    raw = np.asarray(values)
    if (
        raw.dtype.kind not in "biuf"
    ):  # bools, ints, floats; not strings, None or objects
        raise TypeError(
            f"{name} must be numbers (a list, array or tensor), got {type(values).__name__} "
            f"holding {raw.dtype}"
        )
    array = raw.astype(float)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D series or an (n_samples, 1) column, "
            f"got shape {array.shape}"
        )
    return array


# The last digits of a long float32 run depend on the CPU's kernels (chapter 6 says why). So that a
# figure does not, each loss is drawn at the nearest point of a grid 1% apart: on a log scale that moves
# it by a fraction of a pixel, and two CPUs' runs, a millionth apart, land on the same points.
LOG_GRID_STEP = np.log(1.01)


def on_log_grid(values: np.ndarray) -> np.ndarray:
    """Round positive values to the nearest point of a logarithmic grid whose points are 1% apart."""
    return np.exp(np.round(np.log(values) / LOG_GRID_STEP) * LOG_GRID_STEP)


def plot_loss_curve(
    losses: Sequence[float],
    title: str | None = None,
    ax: Axes | None = None,
    label: str | None = None,
    *,
    first_epoch: int = 1,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    log_x: bool = False,
    linestyle: str = "-",
    linewidth: float | None = None,
) -> Axes:
    """Plot one loss per epoch (or step) on a log scale; zero losses are left out: log 0 is undefined.

    `first_epoch` numbers the first loss; `log_x` puts the epochs on a log scale too. A curve added to
    an existing `ax` keeps its title unless given one; new axes are titled "Training loss" by default.
    """
    values = _as_1d("losses", losses)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("losses must be finite and not negative")
    if (
        isinstance(first_epoch, bool)
        or not isinstance(first_epoch, int)
        or first_epoch < 1
    ):
        raise ValueError(
            f"first_epoch must be a whole number from 1 up, got {first_epoch!r}"
        )
    epochs = np.arange(first_epoch, first_epoch + values.size)
    shown = values > 0
    if ax is None:
        ax = plt.figure().add_subplot()
        title = "Training loss" if title is None else title
    ax.plot(
        epochs[shown],
        on_log_grid(values[shown]),
        linestyle,
        label=label,
        linewidth=linewidth,
    )
    ax.set_yscale("log")
    if log_x:
        ax.set_xscale("log")
        xlabel += " (log scale)"
    ax.set(xlabel=xlabel, ylabel=f"{ylabel} (log scale)")
    if title is not None:
        ax.set_title(title)
    if label is not None:
        ax.legend()
    return ax


def plot_fit(
    x: object,
    y: object,
    y_fit: object,
    title: str = "Data and fitted line",
    ax: Axes | None = None,
) -> Axes:
    """Plot the data as points and the model's predictions at the same x as a line."""
    xs, ys, fits = _as_1d("x", x), _as_1d("y", y), _as_1d("y_fit", y_fit)
    if not xs.size == ys.size == fits.size:
        raise ValueError(
            f"x, y and y_fit must have one value per sample, got {xs.size}, {ys.size} and {fits.size}"
        )
    order = np.argsort(xs)
    ax = ax or plt.figure().add_subplot()
    ax.plot(xs, ys, "o", label="data")
    ax.plot(xs[order], fits[order], "-", label="model")
    ax.set(xlabel="x", ylabel="y", title=title)
    ax.legend()
    return ax


# A curve learned over thousands of float32 steps differs in its last bits from one CPU to another (see
# LOG_GRID_STEP); drawn to 3 decimals, two CPUs' curves land on the same points, a fraction of a pixel
# from the exact ones.
FIT_DECIMALS = 3


def plot_fits(
    x: object,
    y: object,
    fits: dict[str, object],
    title: str = "Data and fitted models",
    ax: Axes | None = None,
) -> Axes:
    """Plot the data as points and each model's predictions at the same x as a line, labelled by its key.

    The predictions are drawn rounded to 3 decimals, so that the figure does not depend on the CPU."""
    xs, ys = _as_1d("x", x), _as_1d("y", y)
    if not isinstance(fits, dict) or not fits:
        raise TypeError(
            "fits must be a dict of at least one {label: predictions}, "
            f"got {type(fits).__name__}"
        )
    curves = {label: _as_1d(f"fits[{label!r}]", fit) for label, fit in fits.items()}
    sizes = {label: curve.size for label, curve in curves.items()}
    if xs.size != ys.size or set(sizes.values()) != {xs.size}:
        raise ValueError(
            f"x, y and every fit must have one value per sample, got {xs.size} x, {ys.size} y "
            f"and fits of {sizes}"
        )
    order = np.argsort(xs)
    ax = ax or plt.figure().add_subplot()
    ax.plot(xs, ys, "o", label="data", markersize=3)
    for label, curve in curves.items():
        ax.plot(xs[order], np.round(curve[order], FIT_DECIMALS), "-", label=label)
    ax.set(xlabel="x", ylabel="y", title=title)
    ax.legend()
    return ax
