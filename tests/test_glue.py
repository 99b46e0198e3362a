import numpy as np
import pytest
import torch
from IPython.core.interactiveshell import InteractiveShell
from myst_nb.ext.glue import glue as myst_nb_glue

import ladder


@pytest.fixture
def displayed(monkeypatch):
    """What a glue call displays, as (data, metadata) pairs."""
    shown = []
    monkeypatch.setattr(
        InteractiveShell.instance().display_pub,
        "publish",
        lambda data, metadata=None, **_: shown.append((data, metadata)),
    )
    return shown


@pytest.mark.parametrize("value", [1.25, "text", 3])
def test_glue_writes_what_myst_nb_glue_writes(displayed, value):
    ladder.glue("key", value)
    myst_nb_glue("key", value, display=False)
    assert displayed[0] == displayed[1]
    assert displayed[0][0] == {"application/papermill.record/text/plain": repr(value)}


@pytest.mark.parametrize("scalar", [np.float64(0.25), torch.tensor(0.25)])
def test_glue_stores_scalars_as_plain_numbers_the_page_can_format(displayed, scalar):
    ladder.glue("key", scalar)
    assert displayed[0][0] == {"application/papermill.record/text/plain": "0.25"}


@pytest.mark.parametrize("name", ["two words", "", 3])
def test_glue_rejects_names_the_page_cannot_quote(name):
    with pytest.raises(
        TypeError, match="name must be a str that is a Python identifier"
    ):
        ladder.glue(name, 1.0)
