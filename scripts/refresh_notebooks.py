"""Re-execute chapters in place, top to bottom in a fresh kernel each, and store their outputs.
Run it through `python3 scripts/tasks.py refresh [notebooks/NAME.ipynb ...]`, which makes the run hermetic.

It refuses to run outside the reference environment (the lock): stored outputs come from that one.
Deterministic: no execution timestamps, figures without a date, streams merged, so a refresh of an
unchanged chapter leaves `git status` clean. A cell that raises fails the refresh unless it is tagged
`raises-exception`. The versions that produced the outputs go into the notebook's metadata, from which
the book prints each chapter's "Outputs verified with" line.
"""

import importlib.metadata
import pathlib
import platform
import sys

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import reference_env  # noqa: E402

ROOT = reference_env.ROOT
# The README shows this chapter's last figure; a test checks that the two stay equal.
README_FIGURE_SOURCE = ROOT / "notebooks" / "06_a_model_nn_linear.ipynb"
README_FIGURE = ROOT / "book" / "images" / "fitted-line.svg"
# What a reader's Jupyter calls its Python kernel; the refresh itself runs the reference kernel.
KERNELSPEC = {
    "name": "python3",
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
}
VERSIONS_OF = {"PyTorch": "torch", "NumPy": "numpy", "Matplotlib": "matplotlib"}


def verified_with() -> dict[str, str]:
    """The versions behind the stored outputs, as PyPI names them (no local build label such as +cpu)."""
    versions = {"Python": ".".join(platform.python_version_tuple()[:2])}
    versions.update(
        {
            label: importlib.metadata.version(dist).split("+")[0]
            for label, dist in VERSIONS_OF.items()
        }
    )
    return versions


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how a stream is chunked depends on timing."""
    merged = []
    for output in outputs:
        if (
            output.output_type == "stream"
            and merged
            and merged[-1].output_type == "stream"
            and merged[-1].name == output.name
        ):
            merged[-1].text += output.text
        else:
            merged.append(output)
    return merged


def refresh(path: pathlib.Path, kernel_name: str = "reference") -> bool:
    """Execute one notebook in its own folder; write it back only if its content changed."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    # record_timing=False: no per-cell timestamps, the main source of noise in a refresh.
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=600,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    # language_info as the kernel reports it, so that opening the chapter in JupyterLab changes nothing.
    nb.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": nb.metadata["language_info"],
        "ladder": {"verified_with": verified_with()},
    }
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    after = nbformat.writes(nb) + "\n"
    if after == before:
        return False
    path.write_text(after, encoding="utf-8")
    return True


def last_svg(path: pathlib.Path) -> str:
    """The last SVG figure stored in a notebook."""
    nb = nbformat.read(path, as_version=4)
    return [
        o.data["image/svg+xml"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/svg+xml" in o.get("data", {})
    ][-1]


def main(args: list[str]) -> int:
    problems = reference_env.differences()
    if problems:
        print(
            "refresh: stored outputs come only from the reference environment, and this one differs "
            f"from the lock; {reference_env.FIX}:\n  " + "\n  ".join(problems),
            file=sys.stderr,
        )
        return 1
    paths = [pathlib.Path(a).resolve() for a in args] or sorted(
        (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    for path in paths:
        changed = refresh(path)
        print(
            f"{'updated ' if changed else 'unchanged'} {path.relative_to(ROOT)}",
            flush=True,
        )
    if README_FIGURE_SOURCE not in paths:
        return 0
    figure = last_svg(README_FIGURE_SOURCE)
    if (
        not README_FIGURE.exists()
        or README_FIGURE.read_text(encoding="utf-8") != figure
    ):
        README_FIGURE.write_text(figure, encoding="utf-8")
        print(f"updated   {README_FIGURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
