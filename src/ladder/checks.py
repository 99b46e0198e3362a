"""Argument checks that turn bad input into a clear error instead of a silent wrong number."""
import math
from numbers import Integral, Real

import numpy as np
import torch


class DivergenceError(FloatingPointError):
    """Raised when a training loss stops being a finite number."""


def positive_number(name: str, value: object) -> float:
    """Return `value` as a float, or raise if it is not a finite number greater than zero."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number greater than 0, got {value!r}")
    return float(value)


def positive_int(name: str, value: object) -> int:
    """Return `value` as an int, or raise if it is not a whole number greater than zero."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value <= 0:
        raise ValueError(f"{name} must be a whole number greater than 0, got {value!r}")
    return int(value)


def samples_features(name: str, data: object) -> tuple[int, int]:
    """Return (n_samples, n_features) of a 2-D array or tensor, or raise naming the rule."""
    shape = tuple(getattr(data, "shape", ()))
    if not isinstance(data, (np.ndarray, torch.Tensor)) or len(shape) != 2:
        raise ValueError(f"{name} must be a 2-D (n_samples, n_features) array or tensor, "
                         f"got {type(data).__name__} of shape {shape}")
    if shape[0] == 0 or shape[1] == 0:
        raise ValueError(f"{name} must hold at least one sample and one feature, got shape {shape}")
    return shape[0], shape[1]


def finite_loss(loss: object, epoch: int, learning_rate: float | None = None) -> float:
    """Return the loss as a float, or raise DivergenceError if it became inf or NaN."""
    value = float(loss.item() if isinstance(loss, torch.Tensor) else loss)
    if not math.isfinite(value):
        hint = f" with learning rate {learning_rate:g}" if learning_rate is not None else ""
        raise DivergenceError(f"the loss became {value} at epoch {epoch}{hint}: every step overshoots "
                              "the minimum by more than it corrects, so the learning rate is too large")
    return value
