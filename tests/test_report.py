import math

import numpy as np
import pytest
import torch

from ladder import DivergenceError, LossHistory, print_prediction


def test_print_prediction_formats_like_the_seed(capsys):
    print_prediction("before", 5, 0.0)
    print_prediction("after", 5, torch.tensor([[9.99996]]))
    print_prediction("after", 5, np.float32(10.0))
    assert capsys.readouterr().out.splitlines() == [
        "Prediction before training: f(5) = 0.000",
        "Prediction after training: f(5) = 10.000",
        "Prediction after training: f(5) = 10.000",
    ]


@pytest.mark.parametrize("when", ["during", "", None])
def test_print_prediction_rejects_unknown_when(when):
    with pytest.raises(ValueError, match="when must be 'before' or 'after'"):
        print_prediction(when, 5, 1.0)


def test_print_prediction_rejects_many_values():
    with pytest.raises(ValueError, match=r"one number, got a tensor of shape \(2,\)"):
        print_prediction("after", 5, torch.tensor([1.0, 2.0]))


def test_print_prediction_rejects_non_numbers():
    with pytest.raises(ValueError, match="a number or a one-element tensor"):
        print_prediction("after", 5, "10")


def test_history_prints_every_nth_epoch_one_based(capsys):
    history = LossHistory(every=2)
    for epoch, loss in enumerate([4.0, 3.0, 2.0, 1.0, 0.5]):
        history.record(epoch, torch.tensor(loss))
    assert history.losses == [4.0, 3.0, 2.0, 1.0, 0.5]
    assert capsys.readouterr().out.splitlines() == [
        "Loss after epoch 1 is 4.0000000000",
        "Loss after epoch 3 is 2.0000000000",
        "Loss after epoch 5 is 0.5000000000",
    ]


def test_history_prints_named_values(capsys):
    LossHistory(every=1).record(0, 0.125, w=1.5, b=-0.25)
    assert capsys.readouterr().out == "Loss after epoch 1 is 0.1250000000, w = 1.5000000, b = -0.2500000\n"


def test_history_keeps_float32_losses_exactly():
    history = LossHistory()
    history.record(0, np.float32(0.1))
    assert history.losses == [float(np.float32(0.1))]


def test_history_requires_epochs_in_order():
    history = LossHistory()
    history.record(0, 1.0)
    with pytest.raises(ValueError, match="expected epoch 1, got 2"):
        history.record(2, 1.0)


@pytest.mark.parametrize("bad", [math.inf, math.nan])
def test_history_stops_on_divergence(bad):
    history = LossHistory(every=10, learning_rate=0.5)
    history.record(0, 1.0)
    with pytest.raises(DivergenceError, match="at epoch 2 with learning rate 0.5"):
        history.record(1, torch.tensor(bad))
    assert history.losses == [1.0]


@pytest.mark.parametrize("kwargs,message", [
    ({"every": 0}, "every must be a whole number greater than 0"),
    ({"learning_rate": 0}, "learning_rate must be a finite number greater than 0"),
    ({"learning_rate": -0.1}, "learning_rate must be a finite number greater than 0"),
])
def test_history_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LossHistory(**kwargs)


def test_history_with_every_none_prints_nothing(capsys):
    history = LossHistory(every=None)
    for epoch in range(3):
        history.record(epoch, 1.0)
    assert history.losses == [1.0, 1.0, 1.0]
    assert capsys.readouterr().out == ""
