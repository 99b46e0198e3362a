import math

import numpy as np
import pytest
import torch

from ladder import checks


@pytest.mark.parametrize(
    "loss",
    [
        torch.tensor(1.5, requires_grad=True),
        np.float32(1.5),
        1.5,
        torch.tensor([1.5]),
        np.array([[1.5]]),
    ],
)
def test_finite_loss_returns_a_float(loss):
    value = checks.finite_loss(loss, 1)
    assert value == 1.5 and type(value) is float


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_finite_loss_names_epoch_and_learning_rate(bad):
    with pytest.raises(
        checks.DivergenceError, match=r"became \S+ at epoch 7 with learning rate 0.2: "
    ):
        checks.finite_loss(torch.tensor(bad), 7, 0.2)


def test_finite_loss_without_learning_rate_says_no_rate():
    with pytest.raises(
        checks.DivergenceError, match=r"became inf at epoch 3: every step"
    ):
        checks.finite_loss(math.inf, 3)


@pytest.mark.parametrize("loss", ["0.5", None, True, [0.5]])
def test_finite_loss_rejects_what_is_not_a_number(loss):
    with pytest.raises(
        TypeError, match="loss must be a number or a one-element tensor"
    ):
        checks.finite_loss(loss, 1)


def test_finite_loss_rejects_many_numbers():
    with pytest.raises(
        ValueError, match=r"loss must hold one number, got shape \(2,\)"
    ):
        checks.finite_loss(torch.tensor([1.0, 2.0]), 1)


@pytest.mark.parametrize("epoch", [1.0, "1", True])
def test_finite_loss_rejects_an_epoch_that_is_not_an_int(epoch):
    with pytest.raises(TypeError, match="epoch must be an int"):
        checks.finite_loss(0.5, epoch)
