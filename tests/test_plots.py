import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import ladder  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_style():
    """Each test's rcParams changes and figures are undone after it."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def test_loss_curve_plots_every_positive_loss_on_a_log_scale():
    ax = ladder.plot_loss_curve([30.0, 1.0, 0.0, 0.5])
    line = ax.get_lines()[0]
    assert ax.get_yscale() == "log"
    assert line.get_xdata().tolist() == [
        1,
        2,
        4,
    ]  # epoch 3's zero loss cannot be shown on a log scale
    assert line.get_ydata().tolist() == [30.0, 1.0, 0.5]
    assert ax.get_xlabel() == "epoch" and "loss" in ax.get_ylabel()


@pytest.mark.parametrize("losses", [[], [1.0, float("nan")], [-1.0], [[1.0, 2.0]]])
def test_loss_curve_rejects_bad_series(losses):
    with pytest.raises(ValueError, match="losses must"):
        ladder.plot_loss_curve(losses)


def test_plot_fit_draws_points_and_sorted_line():
    x = torch.tensor([[3.0], [1.0], [2.0]])
    ax = ladder.plot_fit(x, 2 * x, 2 * x + 1)
    points, line = ax.get_lines()
    assert points.get_xdata().tolist() == [3, 1, 2] and points.get_ydata().tolist() == [
        6,
        2,
        4,
    ]
    assert line.get_xdata().tolist() == [1, 2, 3] and line.get_ydata().tolist() == [
        3,
        5,
        7,
    ]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")


def test_plot_fit_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="one value per sample, got 3, 3 and 2"):
        ladder.plot_fit([1, 2, 3], [2, 4, 6], [2, 4])


def test_plot_fit_rejects_several_features():
    with pytest.raises(
        ValueError,
        match=r"x must be a non-empty 1-D series or an \(n_samples, 1\) column",
    ):
        ladder.plot_fit(np.zeros((3, 2)), [1, 2, 3], [1, 2, 3])


def test_setup_plots_undoes_a_personal_style():
    plt.rcParams.update({"lines.linewidth": 7.0, "font.size": 30.0, "axes.grid": False})
    ladder.setup_plots()
    assert (
        plt.rcParams["lines.linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"]
    )
    assert plt.rcParams["font.size"] == matplotlib.rcParamsDefault["font.size"]
    assert plt.rcParams["axes.grid"] is True  # the book's style, on top of the defaults


def test_figures_are_opaque_and_the_same_bytes_every_time():
    import io

    ladder.setup_plots()
    svgs = []
    for _ in range(2):
        ax = ladder.plot_loss_curve([30.0, 1.0, 0.5])
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="svg", metadata={"Date": None})
        svgs.append(buffer.getvalue())
        plt.close(ax.figure)
    assert svgs[0] == svgs[1]
    assert plt.rcParams["figure.facecolor"] == "white"


@pytest.mark.parametrize("losses", ["abc", [None, 1.0], ["1.0", "2.0"], {"a": 1}])
def test_loss_curve_rejects_what_is_not_numbers(losses):
    with pytest.raises(TypeError, match="losses must be numbers"):
        ladder.plot_loss_curve(losses)
