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
    assert np.allclose(line.get_ydata(), [30.0, 1.0, 0.5], rtol=0.005, atol=0)
    assert ax.get_xlabel() == "epoch" and "loss" in ax.get_ylabel()


def test_loss_curve_draws_two_cpus_runs_alike_and_a_real_change_apart():
    # A long float32 run differs between CPUs' kernels in the sixth or seventh digit; a changed
    # learning rate or seed moves a loss by far more than the 1% grid.
    losses = np.geomspace(30.0, 1e-9, 4000)
    other_cpu = losses * (1 + 2e-6 * np.sin(np.arange(4000)))
    drawn = [
        ladder.plot_loss_curve(series).get_lines()[0].get_ydata()
        for series in (losses, other_cpu, losses * 1.03)
    ]
    assert np.array_equal(drawn[0], drawn[1])
    assert not np.any(drawn[0] == drawn[2])
    assert np.allclose(drawn[0], losses, rtol=0.005, atol=0)


def test_loss_curve_numbers_steps_from_first_epoch_on_chosen_scales():
    ax = ladder.plot_loss_curve(
        [4.0, 2.0], first_epoch=401, xlabel="step", log_x=True, linestyle="--"
    )
    line = ax.get_lines()[0]
    assert line.get_xdata().tolist() == [401, 402] and line.get_linestyle() == "--"
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert ax.get_xlabel() == "step (log scale)"


def test_a_curve_added_to_a_plot_keeps_its_title_unless_given_one():
    ax = ladder.plot_loss_curve([4.0, 2.0])
    assert ax.get_title() == "Training loss"
    ax = ladder.plot_loss_curve([4.0, 2.0], title="Mine")
    ladder.plot_loss_curve([3.0, 1.0], ax=ax, linewidth=0.8)
    assert ax.get_title() == "Mine" and ax.get_lines()[1].get_linewidth() == 0.8
    ladder.plot_loss_curve([3.0, 1.0], ax=ax, title="Renamed")
    assert ax.get_title() == "Renamed"


@pytest.mark.parametrize("first_epoch", [0, 1.5, True])
def test_loss_curve_rejects_a_bad_first_epoch(first_epoch):
    with pytest.raises(
        ValueError, match="first_epoch must be a whole number from 1 up"
    ):
        ladder.plot_loss_curve([1.0], first_epoch=first_epoch)


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


def test_plot_fits_draws_the_data_and_each_model_rounded_to_3_decimals():
    x = torch.tensor([[2.0], [1.0]])
    ax = ladder.plot_fits(x, [4, 1], {"line": [3.0, 1.0], "curve": [4.00049, 0.99951]})
    points, line, curve = ax.get_lines()
    assert points.get_xdata().tolist() == [2, 1]
    assert line.get_xdata().tolist() == [1, 2] and line.get_ydata().tolist() == [1, 3]
    assert curve.get_ydata().tolist() == [1.0, 4.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "data",
        "line",
        "curve",
    ]


def test_plot_fits_rejects_a_fit_of_another_length():
    with pytest.raises(ValueError, match=r"fits of \{'line': 3, 'curve': 2\}"):
        ladder.plot_fits([1, 2, 3], [1, 2, 3], {"line": [1, 2, 3], "curve": [1, 2]})


def test_plot_fits_wants_a_dict_of_fits():
    with pytest.raises(TypeError, match=r"fits must be a dict .*got list"):
        ladder.plot_fits([1, 2], [1, 2], [[1, 2]])
