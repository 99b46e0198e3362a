"""The reader notebooks: each chapter as it reads in Colab, JupyterLab, VS Code or GitHub, none of which
knows MyST. Generated from the chapters (the one source maintainers edit) by

    python3 scripts/tasks.py readers [--out DIR]      (default _build/reader-notebooks)
    python3 scripts/tasks.py readers --tree DIR       the reader-notebooks branch the workflow publishes

and by the book's build, which offers them for download (book/_ext/reader_downloads.py). What changes
from the chapter:
- each quoted number, {glue:text}`key:fmt`, becomes the text the page shows (myst-nb's own formatting);
- each exercise becomes a heading, "Exercise 4.1", numbered as on the page; the solutions, text and
  code, move to a "Solutions" section at the end, in the same order, so the code cells still run in
  the chapter's order and what strict nbval checked on the chapter holds for the reader notebook;
- each figure's caption follows it as a line of text, "Figure 6.1. ...";
- a link to a page of the book that is not a chapter opens that page on the web;
- code cells are counted 1, 2, 3, ... again;
- the last cell links to the previous and the next chapter (on the page the theme's buttons do);
- the cells that exist only for the page (tagged remove-cell: the glue calls) are left out. Such a cell
  may change nothing a later cell uses, so it may only call ladder.glue on values (checked here).
"""

import ast
import copy
import json
import pathlib
import re
import shutil
import sys
import zipfile

from myst_nb.core.variables import format_plain_text

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "_build" / "reader-notebooks"
ZIP_FOLDER = "backprop-to-nn-linear-notebooks"
ZIP_NAME = f"{ZIP_FOLDER}.zip"
# What the reader-notebooks branch holds besides the notebooks: the helper package, Binder's
# environment, the license; and what it says of itself.
TREE_FILES = ["pyproject.toml", "LICENSE", "src", "binder"]
TREE_README = """# PyTorch from backprop to nn.Linear: the chapters to run

The chapters of the book as notebooks that read like its pages in Colab, JupyterLab, VS Code and on
GitHub. This branch is generated from `main` by the workflow that publishes the book: edit the
chapters there, not here.

    python -m venv reader-env && source reader-env/bin/activate   # Windows: reader-env\\Scripts\\activate
    python -m pip install . jupyterlab
    jupyter lab notebooks/
"""

ROLE = re.compile(r"\{glue:text\}`([^`]+)`")
# The book's pages, where GitHub Pages serves them: a reader notebook links there for a page that is
# not a chapter (it has no notebook beside it).
BOOK_URL = "https://pytorch-ladder.github.io/backprop-to-nn-linear/"
PAGE_LINK = re.compile(r"\]\(\.\./(book/[\w-]+)\.md(#[\w-]+)?\)")
# A directive of sphinx-exercise, as the chapters write them: its options, then (for an exercise) its body.
DIRECTIVE = re.compile(
    r"^```\{(?P<name>exercise|solution-start|solution-end)\}(?P<argument>[^\n]*)\n"
    r"(?P<options>(?::[\w-]+:[^\n]*\n)*)(?P<body>.*?)^```[ \t]*(?:\n|\Z)",
    re.M | re.S,
)
# What a page-only cell may call: ladder.glue, and functions of values that change nothing.
PURE_CALLS = {"float", "int", "round", "min", "max", "abs"}
PURE_METHODS = {"item", "mean", "std", "max", "min", "sum", "finfo"}
MODELS = {"forward", "model"}  # a forward pass computes a value and changes no state


def chapters() -> list[pathlib.Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def read(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def glued(nb: dict) -> dict[str, str]:
    """The chapter's glued values: key -> the text/plain that ladder.glue stored."""
    values = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = output["data"]["application/papermill.record/text/plain"]
    return values


def quote(role: str, here: str, store: dict[str, dict[str, str]]) -> str:
    """A {glue:text} role's text as myst-nb renders it: `[notebook::]key[:format]`."""
    key, _, fmt = (
        role.rpartition(":") if ":" in role.split("::")[-1] else (role, "", "")
    )
    notebook, _, key = key.rpartition("::")
    notebook = pathlib.Path(notebook).stem if notebook else here
    try:
        value = store[notebook][key]
    except KeyError:
        raise ValueError(f"{here}: no glued value {key!r} in {notebook}") from None
    return format_plain_text(value, fmt or "s")


def page_only(cell: dict) -> bool:
    return "remove-cell" in cell.get("metadata", {}).get("tags", [])


def check_page_only_cell(cell: dict, chapter: str) -> None:
    """A page-only cell left out of the reader notebook must not change what later cells compute."""
    problem = None
    for node in ast.walk(ast.parse(source(cell))):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            problem = "assigns a name"
        elif isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            is_glue = isinstance(f, ast.Attribute) and ast.unparse(f) == "ladder.glue"
            method = isinstance(f, ast.Attribute) and name in PURE_METHODS
            if not (is_glue or method or name in PURE_CALLS | MODELS):
                problem = f"calls {ast.unparse(f)}"
    if problem:
        raise ValueError(
            f"{chapter}, cell {cell.get('id')}: a page-only cell (tagged remove-cell) {problem}; the "
            "reader notebook leaves it out, so it may only call ladder.glue on values. Compute the "
            "value in a cell the reader sees."
        )


def title(path: pathlib.Path) -> str:
    """A chapter's title, numbered as in the table of contents: "4. Gradients with autograd"."""
    first = source(read(path)["cells"][0]).splitlines()[0]
    return f"{int(path.stem[:2])}. {first.removeprefix('# ')}"


def neighbours(path: pathlib.Path) -> str:
    """The links a reader notebook ends with: the previous chapter and the next, or the start."""
    book = chapters()
    i = book.index(path)
    links = [f"**Previous:** [{title(p)}]({p.name})" for p in book[max(i - 1, 0) : i]]
    links += [f"**Next:** [{title(p)}]({p.name})" for p in book[i + 1 : i + 2]]
    if i == len(book) - 1:
        links.append(
            f"**Back to the start:** [the introduction]({BOOK_URL}book/intro.html)"
        )
    return " ·\n".join(links)


def reader_notebook(path: pathlib.Path, store: dict[str, dict[str, str]]) -> dict:
    nb = read(path)
    chapter = path.stem
    number = int(chapter[:2])
    kept_code = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    kept_code = [i for i in kept_code if not page_only(nb["cells"][i])]
    main, solutions, exercises = [], [], {}
    current = (
        main  # where the text and cells go: the chapter, or the solution being read
    )
    figures = 0

    def add_markdown(text: str, cell_id: str, into: list) -> None:
        if text.strip():
            taken = {c["id"] for c in main + solutions}
            new_id, n = cell_id, 1
            while new_id in taken:
                n += 1
                new_id = f"{cell_id}-{n}"
            cell = {"cell_type": "markdown", "id": new_id, "metadata": {}}
            into.append({**cell, "source": lines(text.strip("\n") + "\n")})

    for index, cell in enumerate(nb["cells"]):
        if page_only(cell):
            if kept_code and index < kept_code[-1]:
                check_page_only_cell(cell, chapter)
            continue
        if cell["cell_type"] == "code":
            reader = copy.deepcopy(cell)
            reader["metadata"].pop("mystnb", None)
            current.append(reader)
            caption = (
                cell["metadata"].get("mystnb", {}).get("figure", {}).get("caption")
            )
            if caption:
                figures += 1
                add_markdown(
                    f"*Figure {number}.{figures}.* {caption}",
                    f"{cell['id']}-caption",
                    current,
                )
            continue
        text = ROLE.sub(lambda m: quote(m.group(1), chapter, store), source(cell))
        text = PAGE_LINK.sub(lambda m: f"]({BOOK_URL}{m[1]}.html{m[2] or ''})", text)
        if (
            index == 0
        ):  # the title: numbered on the page by the table of contents, here by hand
            text = re.sub(r"\A# ", f"# {number}. ", text)
        position, buffer = 0, ""
        for directive in DIRECTIVE.finditer(text):
            buffer += text[position : directive.start()]
            position = directive.end()
            name = directive["name"]
            if name == "exercise":
                label = re.search(r"^:label:\s*(\S+)", directive["options"], re.M)
                exercises[label.group(1) if label else None] = len(exercises) + 1
                title = directive["argument"].strip()
                heading = f"### Exercise {number}.{len(exercises)}"
                buffer += (
                    f"{heading}{': ' + title if title else ''}\n\n{directive['body']}\n"
                )
            elif name == "solution-start":
                add_markdown(buffer, cell["id"], current)
                label = directive["argument"].strip()
                if label not in exercises:
                    raise ValueError(
                        f"{chapter}: a solution to {label!r}, no such exercise above"
                    )
                heading = f"### Solution to Exercise {number}.{exercises[label]}"
                current, buffer = solutions, f"{heading}\n\n"
            else:  # solution-end
                add_markdown(buffer, cell["id"], current)
                current, buffer = main, ""
        add_markdown(buffer + text[position:], cell["id"], current)
    if current is not main:
        raise ValueError(f"{chapter}: a solution-start without its solution-end")
    if solutions:
        intro = "## Solutions\n\nTry each exercise before you read its solution."
        add_markdown(intro, "solutions", main)
    add_markdown(neighbours(path), "neighbours", solutions or main)
    # Counted 1, 2, 3, ... again, as a run of the reader notebook from the top counts them.
    code = [c for c in main + solutions if c["cell_type"] == "code"]
    for count, cell in enumerate(code, 1):
        cell["execution_count"] = count
        for output in cell["outputs"]:
            if "execution_count" in output:
                output["execution_count"] = count
    reader = {**nb, "cells": main + solutions}
    reader["metadata"] = {k: v for k, v in nb["metadata"].items() if k != "ladder"}
    return reader


def generate(out: pathlib.Path = OUT) -> list[pathlib.Path]:
    """Every chapter's reader notebook in `out`, and a zip of them all (in a folder of their own, so
    that unzipping it in a clone overwrites nothing); returns the notebooks."""
    store = {path.stem: glued(read(path)) for path in chapters()}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in chapters():
        target = out / path.name
        text = (
            json.dumps(reader_notebook(path, store), indent=1, ensure_ascii=False)
            + "\n"
        )
        target.write_text(text, encoding="utf-8")
        written.append(target)
    with zipfile.ZipFile(out / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as archive:
        for target in written:
            # A fixed date: the same chapters make the same zip, byte for byte.
            name = f"{ZIP_FOLDER}/{target.name}"
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, target.read_bytes(), zipfile.ZIP_DEFLATED)
    return written


def tree(folder: pathlib.Path) -> None:
    """What the reader-notebooks branch holds: the reader notebooks in notebooks/, and what runs them."""
    if folder.exists():
        shutil.rmtree(folder)
    generate(folder / "notebooks")
    (folder / "notebooks" / ZIP_NAME).unlink()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.in")
    for name in TREE_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name, ignore=ignore)
        else:
            shutil.copy(ROOT / name, folder / name)
    (folder / "README.md").write_text(TREE_README, encoding="utf-8")
    (folder / ".gitignore").write_text(
        "reader-env/\n.ipynb_checkpoints/\n", encoding="utf-8"
    )


if __name__ == "__main__":
    if "--tree" in sys.argv:
        tree(pathlib.Path(sys.argv[sys.argv.index("--tree") + 1]))
    else:
        out = (
            pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
            if "--out" in sys.argv
            else OUT
        )
        print(f"the reader notebooks, and {ZIP_NAME}: {generate(out)[0].parent}")
