import numpy as np
import torch

from ladder import data


def test_toy_numpy_is_the_running_example():
    x, y = data.toy_numpy()
    assert x.dtype == np.float32 and y.dtype == np.float32
    assert x.tolist() == [1, 2, 3, 4]
    assert y.tolist() == [2, 4, 6, 8]


def test_toy_torch_one_and_two_d():
    x, y = data.toy_torch()
    assert x.shape == (4,) and x.dtype == torch.float32
    assert y.tolist() == [2, 4, 6, 8]
    x2, y2 = data.toy_torch(two_d=True)
    assert x2.shape == (4, 1) and y2.shape == (4, 1)
    assert x2[:, 0].tolist() == [1, 2, 3, 4] and y2[:, 0].tolist() == [2, 4, 6, 8]


def test_two_feature_data_follows_its_formula():
    x, y = data.two_feature_data()
    assert x.shape == (6, 2) and y.shape == (6, 1)
    assert torch.equal(y, 3 * x[:, :1] - 2 * x[:, 1:] + 1)
    # the features are not collinear, so the least-squares fit is unique
    assert torch.linalg.matrix_rank(torch.cat([x, torch.ones(6, 1)], dim=1)) == 3


def test_toy_torch_rejects_a_flag_that_is_not_a_bool():
    import pytest

    with pytest.raises(TypeError, match="two_d must be True or False"):
        data.toy_torch(two_d="yes")
