"""The lines the chapters print: the seed's loss lines and its `f(5) = ...` reports."""
from numbers import Real

import torch

from ladder import checks


def print_prediction(when: str, x: float, prediction: object) -> None:
    """Print the seed's report, e.g. `Prediction before training: f(5) = 0.000`."""
    if when not in ("before", "after"):
        raise ValueError(f"when must be 'before' or 'after', got {when!r}")
    if isinstance(prediction, torch.Tensor):
        if prediction.numel() != 1:
            raise ValueError(f"prediction must hold one number, got a tensor of shape {tuple(prediction.shape)}")
        prediction = prediction.item()
    if isinstance(prediction, bool) or not isinstance(prediction, Real):
        raise ValueError(f"prediction must be a number or a one-element tensor, got {type(prediction).__name__}")
    print(f"Prediction {when} training: f({x:g}) = {float(prediction):.3f}")


class LossHistory:
    """Keep every epoch's loss, print the seed's loss line every `every` epochs (never if None), stop on inf or NaN."""

    def __init__(self, every: int | None = 10, learning_rate: float | None = None) -> None:
        self.every = None if every is None else checks.positive_int("every", every)
        self.learning_rate = None if learning_rate is None else checks.positive_number("learning_rate", learning_rate)
        self.losses: list[float] = []

    def record(self, epoch: int, loss: object, **values: float) -> None:
        """Store the loss of 0-based `epoch`; print it, and any named `values`, on every `every`-th epoch."""
        if epoch != len(self.losses):
            raise ValueError(f"epochs must be recorded in order from 0: expected epoch {len(self.losses)}, got {epoch}")
        value = checks.finite_loss(loss, epoch + 1, self.learning_rate)
        self.losses.append(value)
        if self.every is not None and epoch % self.every == 0:
            extra = "".join(f", {name} = {float(v):.7f}" for name, v in values.items())
            print(f"Loss after epoch {epoch + 1} is {value:.10f}{extra}")
