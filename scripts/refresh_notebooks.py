"""Re-execute the chapters in place, top to bottom in a fresh kernel each, and store their outputs.

Usage: python scripts/refresh_notebooks.py [notebooks/NAME.ipynb ...]   (default: every chapter)

Deterministic: no execution timestamps, fixed metadata, figures as SVG without a date, so running it
twice on unchanged code leaves `git status` clean. A cell that raises fails the refresh unless it is
tagged `raises-exception`.
"""
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
# The README shows this chapter's last figure; tests/test_notebooks.py checks that the two stay equal.
README_FIGURE_SOURCE = ROOT / "notebooks" / "05_a_model_nn_linear.ipynb"
README_FIGURE = ROOT / "book" / "images" / "fitted-line.svg"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# A traceback names each file by its absolute path (/home/you/clone/.venv/lib/.../torch/_tensor.py):
# stored so, it would show readers the maintainer's folders and change with the checkout's location.
# The kernel runs this script's Python, so its files are under sys.prefix: store them as .venv/...
ABSOLUTE_PATHS = [(f"{sys.prefix}{os.sep}", f".venv{os.sep}"), (f"{ROOT}{os.sep}", "")]


def relative_paths(line: str) -> str:
    for absolute, relative in ABSOLUTE_PATHS:
        line = line.replace(absolute, relative)
    return line


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how a stream is chunked depends on timing."""
    merged = []
    for output in outputs:
        if (output.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == output.name):
            merged[-1].text += output.text
        else:
            merged.append(output)
    return merged


def refresh(path: pathlib.Path) -> bool:
    """Execute one notebook in its own folder; write it back only if its content changed."""
    before = path.read_text()
    nb = nbformat.reads(before, as_version=4)
    # record_timing=False: no per-cell timestamps, the main source of noise in a refresh.
    NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {
        "name": "python", "version": ".".join(sys.version.split()[0].split(".")[:2])}}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            for output in cell.outputs:
                if output.output_type == "error":  # .venv/lib/.../torch/_tensor.py, src/ladder/checks.py
                    output.traceback = [relative_paths(line) for line in output.traceback]
    after = nbformat.writes(nb) + "\n"
    if after == before:
        return False
    path.write_text(after)
    return True


def last_svg(path: pathlib.Path) -> str:
    """The last SVG figure stored in a notebook."""
    nb = nbformat.read(path, as_version=4)
    return [o.data["image/svg+xml"] for c in nb.cells if c.cell_type == "code"
            for o in c.outputs if "image/svg+xml" in o.get("data", {})][-1]


def main(args: list[str]) -> int:
    paths = [pathlib.Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        changed = refresh(path)
        print(f"{'updated ' if changed else 'unchanged'} {path.relative_to(ROOT)}")
    figure = last_svg(README_FIGURE_SOURCE)
    if not README_FIGURE.exists() or README_FIGURE.read_text() != figure:
        README_FIGURE.write_text(figure)
        print(f"updated   {README_FIGURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
