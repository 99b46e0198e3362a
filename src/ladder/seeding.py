"""One call that seeds every random number generator a chapter might touch."""
import random
from numbers import Integral

import numpy as np
import torch


def seed_all(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's generators so every run prints the same numbers."""
    # NumPy accepts seeds in [0, 2**32); the same range keeps the three generators in step.
    if isinstance(seed, bool) or not isinstance(seed, Integral) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
