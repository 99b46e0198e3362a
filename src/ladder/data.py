"""The toy data set that every chapter trains on: y = 2x at x = 1, 2, 3, 4."""

import numpy as np
import torch

X_VALUES = [1.0, 2.0, 3.0, 4.0]
TRUE_WEIGHT = 2.0


def toy_numpy() -> tuple[np.ndarray, np.ndarray]:
    """Return the seed's X and Y as 1-D float32 NumPy arrays."""
    x = np.array(X_VALUES, dtype=np.float32)
    return x, TRUE_WEIGHT * x


def toy_torch(two_d: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Return X and Y as float32 tensors: 1-D, or (n_samples, 1) when `two_d` is true."""
    if not isinstance(two_d, bool):
        raise TypeError(f"two_d must be True or False, got {two_d!r}")
    x = torch.tensor(X_VALUES, dtype=torch.float32)
    if two_d:
        x = x.reshape(-1, 1)  # one row per sample, one column per feature
    return x, TRUE_WEIGHT * x


def two_feature_data() -> tuple[torch.Tensor, torch.Tensor]:
    """Return a small (6, 2) data set with targets y = 3*x1 - 2*x2 + 1, shaped (6, 1)."""
    x = torch.tensor(
        [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [1.0, 2.0], [2.0, 2.0]]
    )
    y = 3.0 * x[:, :1] - 2.0 * x[:, 1:] + 1.0
    return x, y
