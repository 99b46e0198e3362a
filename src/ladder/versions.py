"""The "verified with" line: which versions produced a chapter's stored outputs."""
import platform

import numpy as np
import torch


def verified_with() -> str:
    """Return e.g. `Verified with Python 3.11, PyTorch 2.13.0+cpu, NumPy 2.4.6 on the CPU`."""
    python = ".".join(platform.python_version_tuple()[:2])
    return f"Verified with Python {python}, PyTorch {torch.__version__}, NumPy {np.__version__} on the CPU"
