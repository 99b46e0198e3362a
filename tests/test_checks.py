import math

import numpy as np
import pytest
import torch

from ladder import checks


@pytest.mark.parametrize("value", [0.01, 1, 2.5])
def test_positive_number_accepts_and_returns_float(value):
    assert checks.positive_number("learning_rate", value) == float(value)
    assert isinstance(checks.positive_number("learning_rate", value), float)


@pytest.mark.parametrize("value", [0, -0.01, math.inf, math.nan, "0.1", None, True])
def test_positive_number_rejects(value):
    with pytest.raises(ValueError, match="learning_rate must be a finite number greater than 0"):
        checks.positive_number("learning_rate", value)


@pytest.mark.parametrize("value", [0, -5, 2.0, 1.5, "10", True])
def test_positive_int_rejects(value):
    with pytest.raises(ValueError, match="epochs must be a whole number greater than 0"):
        checks.positive_int("epochs", value)


def test_positive_int_accepts_numpy_ints():
    assert checks.positive_int("epochs", np.int64(100)) == 100


@pytest.mark.parametrize("data", [torch.zeros(4, 1), np.zeros((3, 2))])
def test_samples_features_reads_the_shape(data):
    assert checks.samples_features("X", data) == tuple(data.shape)


@pytest.mark.parametrize("data", [torch.zeros(4), torch.zeros(2, 2, 1), torch.tensor(1.0), [[1.0], [2.0]]])
def test_samples_features_rejects_other_shapes(data):
    with pytest.raises(ValueError, match=r"X must be a 2-D \(n_samples, n_features\)"):
        checks.samples_features("X", data)


@pytest.mark.parametrize("shape", [(0, 1), (4, 0)])
def test_samples_features_rejects_empty(shape):
    with pytest.raises(ValueError, match="at least one sample and one feature"):
        checks.samples_features("X", torch.zeros(shape))


def test_finite_loss_returns_float_of_tensor_and_numpy():
    assert checks.finite_loss(torch.tensor(1.5, requires_grad=True), 1) == 1.5
    assert checks.finite_loss(np.float32(0.25), 1) == 0.25


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_finite_loss_names_epoch_and_learning_rate(bad):
    with pytest.raises(checks.DivergenceError, match=r"at epoch 7 with learning rate 0.2: .*learning rate is too large"):
        checks.finite_loss(torch.tensor(bad), 7, 0.2)


def test_divergence_error_is_a_floating_point_error():
    assert issubclass(checks.DivergenceError, FloatingPointError)
