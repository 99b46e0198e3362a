import random

import numpy as np
import pytest
import torch

import ladder


def test_seed_all_repeats_every_generator():
    draws = []
    for _ in range(2):
        ladder.seed_all(0)
        draws.append((random.random(), np.random.rand(), torch.rand(1).item()))
    assert draws[0] == draws[1]


def test_seed_all_matches_torch_manual_seed():
    ladder.seed_all(0)
    weight = torch.nn.Linear(1, 1).weight.item()
    assert weight == pytest.approx(-0.007486820220947266, abs=0)


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "0", True])
def test_seed_all_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match=r"seed must be a whole number from 0 to 2\*\*32 - 1"):
        ladder.seed_all(seed)


def test_verified_with_names_the_running_versions():
    line = ladder.verified_with()
    assert line.startswith("Verified with Python 3.")
    assert f"PyTorch {torch.__version__}," in line and f"NumPy {np.__version__} " in line
