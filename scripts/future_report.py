"""Run every chapter in a given kernel and report what it prints differently from the stored outputs.

    python scripts/future_report.py --kernel NAME --label WORDS [--out DIR] [notebooks/NAME.ipynb ...]

`python3 scripts/tasks.py future` runs it in an environment of the newest releases (what Colab will have
next); the weekly workflow also runs it in Colab's own runtime image. Any Python with nbclient and
nbformat can run it. It writes DIR/report.md (default _build/future) and the executed chapters beside it,
and exits 0 whatever differs: the report is news, not a test.
"""

import argparse
import datetime
import difflib
import json
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGES = ["torch", "numpy", "matplotlib", "ipykernel"]
VERSIONS_CODE = (
    "import importlib.metadata as m, json, platform\n"
    f"print(json.dumps({{'python': platform.python_version(), **{{p: m.version(p) for p in {PACKAGES!r}}}}}))"
)
FIGURE = "image/svg+xml"


def shown(cell: dict) -> tuple[list[str], list[str]]:
    """A code cell's outputs as a reader sees them: its lines of text (streams, results, glued values,
    errors) and its figures."""
    lines, figures, stream = [], [], ""
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if (
            kind == "stream"
        ):  # a stream may arrive in chunks split mid-line: join them first
            stream += "".join(output["text"])
            continue
        lines += stream.splitlines()
        stream = ""
        if kind == "error":
            lines.append(f"{output['ename']}: {output['evalue']}")
        else:
            data = output.get("data", {})
            if FIGURE in data:
                figures.append("".join(data[FIGURE]))
            for mime, value in data.items():
                if mime.endswith("text/plain"):
                    glued = output.get("metadata", {}).get("scrapbook", {}).get("name")
                    text = "".join(value)
                    lines += [f"glue {glued} = {text}"] if glued else text.splitlines()
    return lines + stream.splitlines(), figures


def differences(stored: dict, new: dict) -> list[str]:
    """Every printed line and figure of `new` that differs from `stored`, cell by cell (by cell id)."""
    found = []
    new_cells = {c.get("id"): c for c in new["cells"] if c["cell_type"] == "code"}
    for cell in (c for c in stored["cells"] if c["cell_type"] == "code"):
        cell_id = cell.get("id")
        if cell_id not in new_cells:
            found.append(f"cell `{cell_id}`: missing from the run")
            continue
        (old_lines, old_figures), (new_lines, new_figures) = (
            shown(cell),
            shown(new_cells[cell_id]),
        )
        diff = [
            line
            for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        if diff:
            found.append(f"cell `{cell_id}`:\n" + "\n".join(f"    {d}" for d in diff))
        if len(old_figures) != len(new_figures):
            found.append(
                f"cell `{cell_id}`: {len(new_figures)} figure(s), stored {len(old_figures)}"
            )
        else:
            changed = sum(a != b for a, b in zip(old_figures, new_figures, strict=True))
            if changed:
                found.append(f"cell `{cell_id}`: {changed} figure(s) differ (SVG)")
    return found


def run_chapter(path: pathlib.Path, kernel: str, out: pathlib.Path) -> dict:
    """Execute a copy of the chapter top to bottom; a cell that raises is recorded, not fatal."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=600,
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(out)}},
    )
    client.execute()
    nbformat.write(nb, out / path.name)
    return json.loads(nbformat.writes(nb))


def kernel_versions(kernel: str) -> dict[str, str]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(VERSIONS_CODE)])
    NotebookClient(nb, kernel_name=kernel, timeout=120).execute()
    return json.loads(nb.cells[0].outputs[0]["text"])


def report(
    label: str, versions: dict[str, str], chapters: dict[str, tuple[dict, list[str]]]
) -> str:
    """The report in Markdown: a summary line, the versions, then each chapter's differences."""
    alike = [name for name, (_, found) in chapters.items() if not found]
    differing = {name: found for name, (_, found) in chapters.items() if found}
    newest = ", ".join(f"{p} {v}" for p, v in versions.items())
    summary = (
        f"**{len(alike)} of {len(chapters)} chapters print exactly their stored outputs** "
        f"with {newest} ({label})."
    )
    if differing:
        summary += " Differing: " + "; ".join(
            f"{name} ({len(found)} cell(s))" for name, found in differing.items()
        )
        summary += "."
    lines = [
        f"# The chapters with the newest releases: {label}",
        "",
        f"Run on {datetime.date.today().isoformat()} by `scripts/future_report.py`.",
        "",
        summary,
        "",
        "| chapter | stored with | this run |",
        "|---|---|---|",
    ]
    for name, (stored, _) in chapters.items():
        stored_with = stored["metadata"].get("ladder", {}).get("verified_with", {})
        was = ", ".join(f"{k} {v}" for k, v in stored_with.items())
        lines.append(f"| {name} | {was} | {newest} |")
    for name, (_, found) in chapters.items():
        lines += ["", f"## {name}", ""]
        lines += (
            ["Every printed line and figure as stored."]
            if not found
            else ["```text", *found, "```"]
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--kernel", required=True, help="the Jupyter kernel to run the chapters in"
    )
    parser.add_argument(
        "--label", required=True, help="what that kernel is, for the report"
    )
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "_build" / "future")
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    versions = kernel_versions(args.kernel)
    chapters = {}
    for path in paths:
        stored = json.loads(path.read_text(encoding="utf-8"))
        new = run_chapter(path, args.kernel, args.out)
        chapters[path.stem] = (stored, differences(stored, new))
        print(
            f"future: {path.stem}: {len(chapters[path.stem][1])} difference(s)",
            flush=True,
        )
    text = report(args.label, versions, chapters)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    print(text.split("\n\n")[2])  # the summary line
    print(f"future: the report is {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
