"""Input checks that turn bad input into a clear error instead of a silent wrong number."""

import math
from numbers import Integral, Real

import numpy as np
import torch


class DivergenceError(FloatingPointError):
    """Raised when a training loss stops being a finite number."""


def finite_loss(loss: object, epoch: int, learning_rate: float | None = None) -> float:
    """Return the loss as a float, or raise DivergenceError if it became inf or NaN."""
    if isinstance(loss, torch.Tensor | np.ndarray):
        if loss.size != 1 if isinstance(loss, np.ndarray) else loss.numel() != 1:
            raise ValueError(
                f"loss must hold one number, got shape {tuple(loss.shape)}"
            )
        loss = loss.item()
    if isinstance(loss, bool) or not isinstance(loss, Real):
        raise TypeError(
            f"loss must be a number or a one-element tensor, got {type(loss).__name__}"
        )
    if isinstance(epoch, bool) or not isinstance(epoch, Integral):
        raise TypeError(f"epoch must be an int, got {type(epoch).__name__}")
    value = float(loss)
    if not math.isfinite(value):
        hint = (
            f" with learning rate {learning_rate:g}"
            if learning_rate is not None
            else ""
        )
        raise DivergenceError(
            f"the loss became {value} at epoch {epoch}{hint}: every step overshoots "
            "the minimum by more than it corrects, so the learning rate is too large"
        )
    return value
