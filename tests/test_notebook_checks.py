"""Each notebook check finds what it is for, on a small notebook broken in just that way, and passes the
same notebook unbroken."""

import nbformat
import notebook_checks as checks
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

URL = "git+https://example.org/book@v1.0"
INSTALL = (
    f'import importlib.util\n\nBOOK = "{URL}"\nif importlib.util.find_spec("ladder") is None:\n'
    '    %pip install --quiet "ladder @ {BOOK}"'
)


def cell(code: str, *outputs, count=None, tags=(), id=None):
    c = new_code_cell(code, execution_count=count, outputs=list(outputs))
    c.metadata["tags"] = list(tags)
    if id:
        c.id = id
    return c


def printed(text: str):
    return new_output("stream", name="stdout", text=text)


def figure(png=True):
    data = {
        "image/svg+xml": "<svg/>",
        "text/plain": "<Figure size 600x360 with 1 Axes>",
    }
    if png:
        data["image/png"] = "iVBORw0KGgo="
    return new_output("display_data", data=data)


def error(lines: int = 1):
    return new_output(
        "error",
        ename="RuntimeError",
        evalue="boom",
        traceback=["frame"] * (lines - 1) + ["RuntimeError: boom"],
    )


def exercise(label: str, solution_output=True, dropdown=True):
    return [
        new_markdown_cell(f"```{{exercise}}\n:label: {label}\nDo it.\n```"),
        new_markdown_cell(
            f"```{{solution-start}} {label}\n"
            + (":class: dropdown\n" if dropdown else "")
            + "```"
        ),
        cell("print(1)", *([printed("1\n")] if solution_output else [])),
        new_markdown_cell("```{solution-end}\n```"),
    ]


def good_notebook():
    nb = new_notebook(
        cells=[
            cell(INSTALL, tags=["hide-cell"]),
            cell(
                "import torch\n\nimport ladder\n\n%xmode Minimal",
                printed("Exception reporting mode: Minimal\n"),
                tags=["hide-cell", "remove-output"],
            ),
            new_markdown_cell(
                "We fit $y = 2x$; `torch.manual_seed(0)` fixes the seed 0."
            ),
            cell("x = torch.ones(2)\nprint(x.sum().item())", printed("2.0\n")),
            cell("ladder.glue('total', 2.0)", tags=["remove-cell"]),
            cell("x.item()", error(3), tags=["raises-exception"]),
            cell(
                "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()",
                figure(),
            ),
            new_markdown_cell(
                "## Going deeper (optional): why\n\nNothing later needs this."
            ),
            new_markdown_cell("## Exercises"),
            *exercise("ex-a"),
            *exercise("ex-b"),
        ]
    )
    for count, c in enumerate(checks.code_cells(nb), start=1):
        c.execution_count = count
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    }
    nb.metadata["ladder"] = {"verified_with": {"Python": "3.11", "PyTorch": "2.13.0"}}
    return nb


def code(nb, index):
    return checks.code_cells(nb)[index]


BREAKAGES = {
    "execution_order": lambda nb: setattr(code(nb, 3), "execution_count", 9),
    "missing_outputs": lambda nb: code(nb, 2).outputs.clear(),
    "untagged_errors": lambda nb: code(nb, 4).metadata.update(tags=[]),
    "ignore_markers": lambda nb: setattr(
        code(nb, 2), "source", "# NBVAL_IGNORE_OUTPUT\nprint(2.0)"
    ),
    "volatile_outputs": lambda nb: code(nb, 2).outputs.append(
        printed("torch 2.13.0+cpu\n")
    ),
    "long_tracebacks": lambda nb: code(nb, 4).outputs.__setitem__(0, error(16)),
    "wide_code_lines": lambda nb: setattr(
        code(nb, 2), "source", "x = " + "1 + " * 25 + "1"
    ),
    "figures_without_png": lambda nb: code(nb, 5).outputs.__setitem__(
        0, figure(png=False)
    ),
    "undeclared_imports": lambda nb: setattr(
        code(nb, 1), "source", "from myst_nb import glue"
    ),
    "glue_outside_hidden_cells": lambda nb: code(nb, 3).metadata.update(tags=[]),
    "mentions_the_seed": lambda nb: nb.cells.insert(
        2, new_markdown_cell("As the seed notebook did.")
    ),
    "exercises": lambda nb: code(nb, 6).outputs.clear(),
    "optional_parts": lambda nb: setattr(
        next(c for c in nb.cells if c.source == "## Exercises"),
        "source",
        "So.\n\n## Exercises",
    ),
    "detours_in_main_line": lambda nb: nb.cells.insert(
        2, new_markdown_cell("Its Hessian's eigenvalues.")
    ),
    "main_line_length": lambda nb: nb.cells.insert(
        2, new_markdown_cell("word " * (checks.MAX_MAIN_LINE_WORDS + 1))
    ),
    "kernel_metadata": lambda nb: nb.metadata["language_info"].pop("codemirror_mode"),
    "setup_cells_folded": lambda nb: code(nb, 1).metadata.update(tags=["hide-cell"]),
}


def test_every_check_has_a_breakage():
    assert sorted(BREAKAGES) == sorted(c.__name__ for c in checks.CHECKS)


@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda c: c.__name__)
def test_check_passes_the_good_notebook_and_finds_its_breakage(check):
    nb = good_notebook()
    assert check(nb) == []
    BREAKAGES[check.__name__](nb)
    problems = check(nb)
    assert len(problems) == 1 and isinstance(problems[0], str)


@pytest.mark.parametrize(
    "breakage,finds",
    [
        (
            lambda nb: code(nb, 2).outputs.append(
                new_output("stream", name="stderr", text="warn\n")
            ),
            "stderr",
        ),
        (
            lambda nb: code(nb, 2).outputs.append(
                printed("<Tensor at 0x7f3a2c1b9e50>\n")
            ),
            "memory address",
        ),
        (
            lambda nb: code(nb, 2).outputs.append(
                printed("/tmp/ipykernel_4242/1.py:3\n")
            ),
            "kernel path",
        ),
        (
            lambda nb: code(nb, 2).outputs.append(printed("File /home/me/book/x.py\n")),
            "absolute path",
        ),
        (
            lambda nb: code(nb, 2).outputs.append(printed("Python 3.11 here\n")),
            "Python version",
        ),
        (
            lambda nb: code(nb, 2).metadata.update(
                execution={"iopub.status.busy": "2026"}
            ),
            "timestamps",
        ),
    ],
)
def test_volatile_outputs_names_what_it_found(breakage, finds):
    nb = good_notebook()
    breakage(nb)
    assert any(finds in problem for problem in checks.volatile_outputs(nb))


@pytest.mark.parametrize(
    "breakage",
    [
        lambda nb: nb.cells.pop(-3),  # the second exercise's solution has no start
        lambda nb: nb.cells[-3].__setitem__(
            "source", "```{solution-start} ex-b\n```"
        ),  # shown, not hidden
        lambda nb: nb.cells.__delitem__(slice(-4, None)),  # one exercise only
    ],
)
def test_exercises_need_a_hidden_solution_each_and_two_of_them(breakage):
    nb = good_notebook()
    breakage(nb)
    assert checks.exercises(nb)


def test_install_cell():
    nb = good_notebook()
    assert checks.install_cell(nb, URL) == []
    assert checks.install_cell(nb, "git+https://example.org/book@v2.0")
    nb.cells.pop(0)
    assert len(checks.install_cell(nb, URL)) == 2


def test_versions_metadata():
    nb = good_notebook()
    assert checks.versions_metadata(nb, {"Python": "3.11", "PyTorch": "2.13.0"}) == []
    assert checks.versions_metadata(nb, {"Python": "3.11", "PyTorch": "2.14.0"})


def test_the_seed_as_a_number_is_not_the_seed_notebook():
    nb = good_notebook()  # it says "fixes the seed 0"
    assert checks.mentions_the_seed(nb) == []


def test_the_good_notebook_is_a_valid_notebook():
    nbformat.validate(good_notebook())


def optional_notebook(*broken):
    """A main line, an optional part, and the main line again; `broken` replaces the last two cells."""
    cells = [
        new_markdown_cell("## Main\n\nText."),
        cell("x = 1", count=1),
        new_markdown_cell(
            "## Going deeper (optional): more about x\n\nNothing later needs this."
        ),
        cell("y = x + 1\nx = 5", count=2),
        *(
            broken
            or [new_markdown_cell("## Summary"), cell("x = 2\nprint(x)", count=3)]
        ),
    ]
    return new_notebook(cells=cells)


@pytest.mark.parametrize(
    "broken,found",
    [
        ([new_markdown_cell("## Summary"), cell("print(y)", count=3)], "reads 'y'"),
        ([new_markdown_cell("## Summary"), cell("print(x)", count=3)], "reads 'x'"),
        (
            [new_markdown_cell("Text.\n\n## Summary"), cell("z = 1", count=3)],
            "must begin its cell",
        ),
        (
            [new_markdown_cell("See Going deeper below."), cell("z = 1", count=3)],
            "must begin its cell",
        ),
    ],
)
def test_optional_parts_are_marked_and_needed_by_nothing_later(broken, found):
    assert checks.optional_parts(optional_notebook()) == []
    problems = checks.optional_parts(optional_notebook(*broken))
    assert len(problems) == 1 and found in problems[0], problems


def test_the_main_line_leaves_detours_to_the_optional_parts():
    nb = optional_notebook()
    nb.cells[2].source += " Its eigenvalues, its float32 spacing."
    assert checks.detours_in_main_line(nb) == []
    nb.cells[0].source += " The Hessian's eigenvalues."
    nb.cells.append(new_markdown_cell("## Exercises\n\nFind the eigenvalues."))
    assert checks.detours_in_main_line(nb) == [
        f"cell {nb.cells[0].id}: the main line speaks of ['eigenvalues', 'hessian']"
    ]


def test_prose_words_counts_each_part_apart():
    nb = optional_notebook()
    exercise = "## Exercises\n\n```{exercise}\nFind {glue:text}`k:.1f`.\n```"
    nb.cells.append(new_markdown_cell(exercise))
    # "## Main Text." and "## Summary"; "## Going deeper (optional): more about x Nothing later
    # needs this."; "## Exercises Find N." (the directive's fence lines count nothing)
    assert checks.prose_words(nb) == {
        "main line": 5,
        "optional parts": 11,
        "exercises": 4,
    }
