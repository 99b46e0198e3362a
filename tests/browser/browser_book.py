"""What the browser tests know about the book: where it is built, its pages in reading
order, what its chapters store, the browser."""

import json
import os
import pathlib
import re
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
import reader_notebooks as readers  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
# Where the book lives, as GitHub names it: written here, not read from _config.yml, so that a wrong
# repository or branch there fails the tests. The branch is the one the workflow deploys the book from.
REPOSITORY = "pytorch-ladder/backprop-to-nn-linear"
WORKFLOW = (ROOT / ".github" / "workflows" / "book.yml").read_text()
DEPLOYED_BRANCH = re.search(r"github\.ref == 'refs/heads/(\S+)'", WORKFLOW)[1]
# The branch the workflow publishes the reader notebooks to, which Colab and Binder open.
READER_BRANCH = re.search(r"git init -q -b (\S+)\n", WORKFLOW)[1]
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --disable-default-apps"
    " --disable-domain-reliability"
).split()
# The oldest Chromium whose behaviour the tests rely on: CSS `:has()` and `Element.checkVisibility()`
# came in 105. Any newer one may run them (CONTRIBUTING.md, "Browsers"); a test checks the one given.
MINIMUM_CHROMIUM = 105
THEMES = ("light", "dark")
# A request for a URL this matches would leave the machine.
OUTSIDE = re.compile(r"^(?!(file|data|blob|about):)")


# The documents of _toc.yml in reading order (its root first), without suffix.
TOC = (ROOT / "_toc.yml").read_text()
FILES = re.findall(r"^\s*-?\s*(?:root|file): *[\"']?([^\s\"']+)", TOC, re.M)
TOC_PAGES = [re.sub(r"\.(md|ipynb)$", "", file) for file in FILES]
CHAPTERS = [page for page in TOC_PAGES if page.startswith("notebooks/")]


def notebook(doc: str) -> dict:
    return json.loads((ROOT / f"{doc}.ipynb").read_text())


def reader_notebook(doc: str) -> bytes:
    """The chapter's reader notebook, as scripts/reader_notebooks.py makes it (the download)."""
    store = {p.stem: readers.glued(readers.read(p)) for p in readers.chapters()}
    made = readers.reader_notebook(ROOT / f"{doc}.ipynb", store)
    return (json.dumps(made, indent=1, ensure_ascii=False) + "\n").encode()


def stored_figures(doc: str) -> int:
    outputs = [o for c in notebook(doc)["cells"] for o in c.get("outputs", [])]
    return sum(any(k.startswith("image/") for k in o.get("data", {})) for o in outputs)


def pinned_versions() -> dict[str, str]:
    """Python, PyTorch, NumPy and Matplotlib as requirements.txt (the lock) pins them."""
    lock = (ROOT / "requirements.txt").read_text()

    def pin(name: str) -> str:
        return re.search(rf"^{name}==(\S+)", lock, re.M)[1]

    python = re.search(r"by pip-compile with Python (\d+\.\d+)", lock)[1]
    return {
        "Python": python,
        "PyTorch": pin("torch"),
        "NumPy": pin("numpy"),
        "Matplotlib": pin("matplotlib"),
    }
