"""Chapter 9's training loop, copied as a learner would copy it into an empty notebook: its cells from
the data to `train`, with only torch and scikit-learn importable (no ladder, no Matplotlib), run for two
epochs in a fresh Python."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "notebooks" / "09_a_first_real_model.ipynb"
# The cells a learner copies, in order: the data, the split, the loss, the evaluation, the device, train.
COPIED = [
    "load-data",
    "tensors",
    "split",
    "standardize",
    "bce",
    "accuracy",
    "device",
    "train",
]
ONLY = """import sys
sys.modules.update(ladder=None, matplotlib=None)  # importing either now fails
import copy
import torch
from sklearn.datasets import load_breast_cancer
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset
"""


def test_chapter_9s_loop_runs_with_only_torch_and_scikit_learn():
    cells = {
        c.get("id"): "".join(c["source"])
        for c in json.loads(CHAPTER.read_text())["cells"]
    }
    imports = cells["imports"]
    for line in ONLY.splitlines()[2:]:  # the chapter imports what the copy imports
        assert line in imports.splitlines(), line
    program = (
        "\n\n".join([ONLY, *(cells[i] for i in COPIED)])
        + """
model, train_losses, val_losses, best = train(optim.Adam, 0.003, epochs=2)
print("epochs", len(train_losses), len(val_losses), "best", best["epoch"])
"""
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", program],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines()[-1] in ("epochs 2 2 best 1", "epochs 2 2 best 2")
