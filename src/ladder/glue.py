"""Hand a value to the book's prose: the built page quotes it where the text says {glue:text}`name`."""

from IPython import display as ipython_display
from IPython.core.formatters import format_display_data

# myst-nb's prefix for a glued value that is stored but not shown (myst_nb.ext.glue.GLUE_PREFIX). Emitting
# the same output here spares the chapters an import of myst-nb, which a reader's Colab does not have.
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value: object) -> None:
    """Store `value` under `name` in the cell's outputs, as myst-nb's `glue(name, value, display=False)`."""
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(f"name must be a str that is a Python identifier, got {name!r}")
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = (
            value.item()
        )  # a NumPy or tensor scalar: the page formats a plain Python number
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    ipython_display.display(
        {GLUE_PREFIX + mime: data for mime, data in bundle.items()},
        raw=True,
        metadata=metadata,
    )
