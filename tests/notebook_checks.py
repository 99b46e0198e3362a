"""What nbval cannot see in a committed chapter, as pure functions: each takes a notebook (the parsed JSON)
and returns its problems, one line each, empty when there are none. nbval compares a cell's new output
with the stored one, so a chapter stored without outputs, from a partial run, or with an output that
names the maintainer's machine, would pass it. tests/test_notebook_checks.py tries each on small broken
notebooks; tests/test_notebooks.py applies them all to every chapter."""

from __future__ import annotations

import ast
import json
import re
import sys

ERROR_TAG = "raises-exception"
HIDDEN_TAG = "remove-cell"
MAX_TRACEBACK_LINES = 15
MAX_CODE_LINE = 88
# A main line for one sitting: about 15 minutes of reading at 200 words a minute, the rest of the
# sitting left for running and changing the cells. Chapter 9, the longest, has about 2,700.
MAX_MAIN_LINE_WORDS = 3000
# What a chapter may import: what the helper package declares (and so Colab has), and the standard library.
DECLARED_IMPORTS = {"torch", "numpy", "matplotlib", "sklearn", "ladder", "IPython"}
NBVAL_MARKERS = re.compile(r"NBVAL_\w+|nbval-(?:ignore-output|skip|check-output)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
VOLATILE = {
    "a memory address": re.compile(r" at 0x[0-9a-f]{6,}"),
    "a temporary kernel path": re.compile(r"ipykernel_\d+"),
    "an absolute path": re.compile(
        r"(?<![\w.:/])/(?:home|root|tmp|usr|opt|work|Users|private|var)/[\w./-]+"
    ),
    "a local build label": re.compile(r"\b\d+\.\d+\.\d+\+(?:cpu|cu\d+|rocm[\d.]+)\b"),
    "a Python version": re.compile(r"\bPython 3\.\d+|\b3\.1\d\.\d+\b"),
}
THE_SEED = re.compile(
    r"\bseed notebook\b|\bthe seed's\b|\bthe seed\b(?!\s*(?:\d|=|value|of\b))", re.I
)


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def text_of(output: dict) -> str:
    """What an output says in words: streams, errors, and every data entry but images."""
    if output["output_type"] == "stream":
        return "".join(output["text"])
    if output["output_type"] == "error":
        return ANSI.sub("", "\n".join(output["traceback"]))
    return json.dumps(
        {k: v for k, v in output.get("data", {}).items() if "image/" not in k}
    )


def python_source(cell: dict) -> str:
    """A cell's code with IPython's `%magic` lines turned into `pass`, so `ast` can parse it."""
    return re.sub(r"^(\s*)[%!]", r"\1pass  # ", source(cell), flags=re.M)


def execution_order(nb: dict) -> list[str]:
    counts = [c.get("execution_count") for c in code_cells(nb)]
    if counts != list(range(1, len(counts) + 1)):
        return [
            f"execution counts {counts}, not 1, 2, 3, ...: refresh it (scripts/tasks.py refresh)"
        ]
    return []


def missing_outputs(nb: dict) -> list[str]:
    """Cells that print, plot or end in an expression, stored without output."""
    problems = []
    for cell in code_cells(nb):
        if cell["outputs"]:
            continue
        tree = ast.parse(python_source(cell))
        calls = {
            n.func.attr
            if isinstance(n.func, ast.Attribute)
            else getattr(n.func, "id", "")
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
        }
        ends_in_value = (
            bool(tree.body)
            and isinstance(tree.body[-1], ast.Expr)
            and not (
                isinstance(tree.body[-1].value, ast.Call)
                and "glue" in ast.unparse(tree.body[-1].value.func)
            )
        )
        if calls & {"print", "show", "display"} or ends_in_value:
            problems.append(
                f"cell {cell.get('id')} prints or shows something, but has no stored output"
            )
    return problems


def untagged_errors(nb: dict) -> list[str]:
    problems = []
    for cell in code_cells(nb):
        raised = any(o["output_type"] == "error" for o in cell["outputs"])
        tagged = ERROR_TAG in tags(cell)
        if raised != tagged:
            problems.append(
                f"cell {cell.get('id')}: {'an error without' if raised else 'no error despite'} "
                f"the {ERROR_TAG} tag"
            )
    return problems


def ignore_markers(nb: dict) -> list[str]:
    return [
        f"cell {c.get('id')}: an nbval marker exempts it from comparison"
        for c in code_cells(nb)
        if NBVAL_MARKERS.search(source(c) + " ".join(tags(c)))
    ]


def volatile_outputs(nb: dict) -> list[str]:
    """Outputs that would differ on another machine or run, or that name the environment."""
    problems = []
    for cell in code_cells(nb):
        if "execution" in cell.get("metadata", {}):
            problems.append(f"cell {cell.get('id')}: execution timestamps stored")
        for output in cell["outputs"]:
            if output.get("name") == "stderr":
                problems.append(f"cell {cell.get('id')}: stderr stored (a warning?)")
            text = text_of(output)
            for what, pattern in VOLATILE.items():
                if found := pattern.search(text):
                    problems.append(
                        f"cell {cell.get('id')}: {what} is stored: {found[0]!r}"
                    )
    return problems


def long_tracebacks(nb: dict, limit: int = MAX_TRACEBACK_LINES) -> list[str]:
    problems = []
    for cell in code_cells(nb):
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                lines = text_of(output).splitlines()
                if len(lines) > limit:
                    problems.append(
                        f"cell {cell.get('id')}: a traceback of {len(lines)} lines (at most "
                        f"{limit}, so the message shows without scrolling)"
                    )
    return problems


def wide_code_lines(nb: dict, limit: int = MAX_CODE_LINE) -> list[str]:
    return [
        f"cell {c.get('id')}: a code line of {len(line)} characters (at most {limit}): {line[:40]}..."
        for c in code_cells(nb)
        for line in source(c).splitlines()
        if len(line) > limit
    ]


def figures_without_png(nb: dict) -> list[str]:
    """JupyterLab shows an untrusted notebook's SVG as text; the PNG beside it is what a reader sees before
    running the chapter (nbval compares the SVG)."""
    return [
        f"cell {c.get('id')}: an SVG figure with no PNG beside it"
        for c in code_cells(nb)
        for o in c["outputs"]
        if "image/svg+xml" in o.get("data", {}) and "image/png" not in o["data"]
    ]


def install_cell(nb: dict, url: str) -> list[str]:
    """The first code cell installs the helper package, from `url`, only when it is missing."""
    cells = code_cells(nb)
    first = source(cells[0]) if cells else ""
    problems = []
    if 'importlib.util.find_spec("ladder") is None' not in first:
        problems.append(
            "the first code cell does not check for the helper package before installing it"
        )
    if (
        f'BOOK = "{url}"' not in first
        or '%pip install --quiet "ladder @ {BOOK}"' not in first
    ):
        problems.append(f"the first code cell does not install ladder @ {url}")
    return problems


SETUP_TAGS = (["hide-cell"], ["hide-cell", "remove-output"])


def setup_cells_folded(nb: dict) -> list[str]:
    """The first two code cells (install, imports) set up the notebook, not the lesson: the page folds
    them, and leaves out the import cell's only output, "Exception reporting mode: Minimal"."""
    problems = []
    for c, wanted in zip(code_cells(nb)[:2], SETUP_TAGS, strict=False):
        if sorted(tags(c)) != wanted:
            problems.append(
                f"cell {c.get('id')}: a set-up cell tagged {tags(c)}, not {wanted}"
            )
    return problems


def undeclared_imports(nb: dict, declared: set[str] = DECLARED_IMPORTS) -> list[str]:
    """Imports of packages that neither the standard library nor the helper package's dependencies provide."""
    problems = []
    for cell in code_cells(nb):
        for node in ast.walk(ast.parse(python_source(cell))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top not in declared and top not in sys.stdlib_module_names:
                    problems.append(
                        f"cell {cell.get('id')} imports {top}, which ladder does not declare"
                    )
    return problems


def glue_outside_hidden_cells(nb: dict) -> list[str]:
    """Glue is the page's plumbing: it goes in cells the page hides, never in code the reader reads."""
    return [
        f"cell {c.get('id')}: glue() in a cell the reader sees (tag it {HIDDEN_TAG})"
        for c in code_cells(nb)
        if "glue(" in source(c) and HIDDEN_TAG not in tags(c)
    ]


def mentions_the_seed(nb: dict) -> list[str]:
    return [
        f"markdown cell {c.get('id')} speaks of {m[0]!r}, which a reader never met"
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for m in [THE_SEED.search(source(c))]
        if m
    ]


def exercises(nb: dict, at_least: int = 2) -> list[str]:
    """At least `at_least` exercises, each with a solution hidden in a dropdown whose code ran."""
    cells = nb["cells"]
    texts = [source(c) for c in cells]
    labels = [
        m[1]
        for t in texts
        if "```{exercise}" in t
        for m in [re.search(r":label: (\S+)", t)]
        if m
    ]
    problems = (
        []
        if len(labels) >= at_least
        else [f"{len(labels)} exercise(s), at least {at_least} wanted"]
    )
    for label in labels:
        start = next(
            (i for i, t in enumerate(texts) if f"```{{solution-start}} {label}" in t),
            None,
        )
        if start is None:
            problems.append(f"exercise {label} has no solution")
            continue
        if ":class: dropdown" not in texts[start]:
            problems.append(f"the solution of {label} is not hidden until opened")
        end = next(
            (
                i
                for i in range(start + 1, len(cells))
                if "```{solution-end}" in texts[i]
            ),
            len(cells),
        )
        code = [c for c in cells[start : end + 1] if c["cell_type"] == "code"]
        if not code or not all(c["outputs"] for c in code):
            problems.append(f"the solution of {label} has no code with stored output")
    return problems


def versions_metadata(nb: dict, expected: dict[str, str]) -> list[str]:
    """The versions the refresh recorded, from which the page prints its 'Outputs verified with' line."""
    found = nb.get("metadata", {}).get("ladder", {}).get("verified_with")
    if found != expected:
        return [
            f"metadata ladder.verified_with is {found}, the lock says {expected}: refresh it"
        ]
    return []


def kernel_metadata(nb: dict) -> list[str]:
    """The metadata a kernel fills in on opening: stored whole, JupyterLab has nothing to change."""
    info = nb.get("metadata", {}).get("language_info", {})
    missing = {
        "codemirror_mode",
        "file_extension",
        "mimetype",
        "name",
        "pygments_lexer",
        "version",
    } - set(info)
    return [f"language_info lacks {sorted(missing)}: refresh it"] if missing else []


OPTIONAL_HEADING = re.compile(r"^## Going deeper \(optional\): \S")
LEVEL_2_HEADING = re.compile(r"^#{1,2} ", re.M)
# What the main line leaves to the optional parts: floating-point spacing, the recurrence and its roots,
# curvature and eigenvalues, bit-for-bit proofs.
DETOURS = re.compile(
    r"eigen\w*|Hessian|curvature|finfo|spacing|bit[ -]for[ -]bit|recurrence|\broots?\b",
    re.I,
)


def in_optional_part(nb: dict) -> list[bool]:
    """For each cell, whether it lies in an optional part: from a heading "## Going deeper (optional):
    ..." that begins a cell to the next heading of its level."""
    flags, optional = [], False
    for c in nb["cells"]:
        if c["cell_type"] == "markdown" and LEVEL_2_HEADING.search(source(c)):
            optional = bool(OPTIONAL_HEADING.match(source(c)))
        flags.append(optional)
    return flags


def _names(cell: dict) -> tuple[list[str], set[str]]:
    """The names a code cell reads before it assigns them, and the names it assigns."""
    read, stored = [], set()
    nodes = sorted(
        (n for n in ast.walk(ast.parse(python_source(cell))) if hasattr(n, "lineno")),
        key=lambda n: (n.lineno, n.col_offset),
    )
    for node in nodes:
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load) and node.id not in stored:
                read.append(node.id)
            elif isinstance(node.ctx, ast.Store):
                stored.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored.update((a.asname or a.name).split(".")[0] for a in node.names)
    return read, stored


def optional_parts(nb: dict) -> list[str]:
    """Optional parts headed "## Going deeper (optional): ..." at the top of their own cell, each ending
    at a heading of its level that also begins a cell. No cell outside them reads a name whose value an
    optional part set, so a reader who skips them misses nothing the rest of the chapter runs on (a
    method call that changes an object in place is not seen)."""
    problems, from_optional, before = [], {}, False
    for c, optional in zip(nb["cells"], in_optional_part(nb), strict=True):
        text = source(c)
        if c["cell_type"] == "markdown":
            if "Going deeper" in text and not OPTIONAL_HEADING.match(text):
                problems.append(
                    f"cell {c.get('id')}: an optional part's heading must begin its cell, as "
                    "'## Going deeper (optional): <what it is about>'"
                )
            elif (
                before
                and LEVEL_2_HEADING.search(text)
                and not LEVEL_2_HEADING.match(text)
            ):
                problems.append(
                    f"cell {c.get('id')}: the heading that ends an optional part must begin its cell"
                )
        before = optional
        if c["cell_type"] != "code":
            continue
        if c["cell_type"] != "code":
            continue
        read, stored = _names(c)
        if not optional:
            problems += [
                f"cell {c.get('id')} reads {name!r}, set in the optional part's cell {from_optional[name]}"
                for name in dict.fromkeys(read)
                if name in from_optional
            ]
        for name in stored:
            if optional:
                from_optional[name] = c.get("id")
            else:
                from_optional.pop(name, None)
    return problems


def detours_in_main_line(nb: dict) -> list[str]:
    """Floating-point spacing, recurrences, curvature and eigenvalues, bit-for-bit proofs: the main line
    leaves them to the optional parts (the exercises, after the summary, may use them)."""
    problems = []
    for c, optional in zip(nb["cells"], in_optional_part(nb), strict=True):
        text = source(c)
        if c["cell_type"] != "markdown" or optional:
            continue
        main = re.split(
            r"^## Exercises|^```\{(?:exercise|solution-start)\}", text, flags=re.M
        )[0]
        found = sorted({m[0].lower() for m in DETOURS.finditer(main)})
        if found:
            problems.append(f"cell {c.get('id')}: the main line speaks of {found}")
        if main != text:
            break
    return problems


GLUE_ROLE = re.compile(r"\{glue:text\}`[^`]*`")
DIRECTIVE_LINE = re.compile(r"^(?:```|:[a-z-]+:)")


def prose_words(nb: dict) -> dict[str, int]:
    """The words of the Markdown cells, as whitespace-separated tokens (math included, a quoted number
    one word, directive lines none): of the main line, of the optional parts, and of the exercises
    and their solutions, from the heading "## Exercises" on."""
    words = {"main line": 0, "optional parts": 0, "exercises": 0}
    in_exercises = False
    for c, optional in zip(nb["cells"], in_optional_part(nb), strict=True):
        if c["cell_type"] != "markdown":
            continue
        for line in source(c).splitlines():
            in_exercises = in_exercises or line.startswith("## Exercises")
            if DIRECTIVE_LINE.match(line):
                continue
            part = (
                "exercises"
                if in_exercises
                else "optional parts"
                if optional
                else "main line"
            )
            words[part] += len(GLUE_ROLE.sub("N", line).split())
    return words


def main_line_length(nb: dict, limit: int = MAX_MAIN_LINE_WORDS) -> list[str]:
    """A main line a learner follows in one sitting: what does not fit goes to an optional part."""
    words = prose_words(nb)["main line"]
    if words > limit:
        return [f"the main line has {words} words, more than {limit} for one sitting"]
    return []


CHECKS = [
    execution_order,
    missing_outputs,
    untagged_errors,
    ignore_markers,
    volatile_outputs,
    long_tracebacks,
    wide_code_lines,
    figures_without_png,
    undeclared_imports,
    glue_outside_hidden_cells,
    mentions_the_seed,
    exercises,
    optional_parts,
    detours_in_main_line,
    main_line_length,
    kernel_metadata,
    setup_cells_folded,
]
