"""Plant small faults, one at a time, in a scratch copy of the working tree; show that the tests catch each.

    python3 scripts/tasks.py mutation [--list] [N | WORD ...]

N or WORD picks faults by number or by a word of their description or steps; --list only checks that they
apply (a test does). One fault for each distinct detector, plus the chapter faults that matter, each saying
WHAT it changes (a regex on code, prose or printed output, in a cell found by id), so that rewording a
chapter leaves it working. Steps run in the copy, its environments linked, without set-up (so a fault in
src/ladder never reaches the reader environments); one red on the unchanged copy is left out, and said.
"""

import functools
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import tasks  # noqa: E402

NB = "tests/test_notebooks.py::"
BROWSER = "-m browser -k 02_backprop_basics tests/browser"  # chapter 2's page
# The built HTML, read.
PAGES = ["build", "-m browser tests/browser/test_built_pages.py"]
TIMEOUT = 300  # seconds a step may take: a fault can make a loop endless


def sub(pattern: str, new: str, in_cell="", part="", every=False):
    """A change by regex (multiline) of a file's text or, in a notebook, of the `part` of its cells:
    "code" or "markdown" sources, or "printed" text outputs (only the cell with id `in_cell`, if given)."""

    def change(doc):
        if not part:
            texts = [{"text": doc}]
        else:
            cells = [c for c in doc["cells"] if not in_cell or c.get("id") == in_cell]
            if part == "printed":
                texts = [o for c in cells for o in c.get("outputs", []) if "text" in o]
            else:
                texts = [c for c in cells if c["cell_type"] == part]
        key = "text" if part in ("", "printed") else "source"
        total = 0
        for text in texts:
            text[key], n = re.subn(pattern, new, "".join(text[key]), flags=re.M)
            total += n
        if total == 0 or (total > 1 and not every):
            raise LookupError(f"{pattern!r} matches {total} times {in_cell}")
        return texts[0]["text"] if not part else doc

    return change


def figure(in_cell: str, change):
    """A change of the figure metadata (myst-nb's `mystnb` key) of the cell with id `in_cell`."""

    def changed(nb):
        found = [c["metadata"]["mystnb"] for c in nb["cells"] if c.get("id") == in_cell]
        if len(found) != 1:
            raise LookupError(f"{len(found)} figure cells {in_cell}")
        change(found[0], nb)
        return nb

    return changed


def alt_of(nb, in_cell: str) -> str:
    return next(c for c in nb["cells"] if c.get("id") == in_cell)["metadata"]["mystnb"][
        "image"
    ]["alt"]


code = functools.partial(sub, part="code")
prose = functools.partial(sub, part="markdown", every=True)
printed = functools.partial(sub, part="printed")

# (description, chapter number or file, change, the steps that can see it, the likeliest first)
# fmt: off
FAULTS = [
    # a chapter's code changed without a refresh, or its output by hand: strict nbval
    ("the update's sign", "02", code(r"w -= learning_rate", "w += learning_rate", "update"), ["nbval 02"]),
    ("a learning rate", "03", code(r"^learning_rate = .*", "learning_rate = 0.011", "train"), ["nbval 03"]),
    ("zero_grad() dropped", "06", code(r"^\s+optimizer\.zero_grad\(\)\n", "", "train"), ["nbval 06"]),
    ("the long run's learning rate, by 5%", "06",
     code(r"^learning_rate = 0\.01$", "learning_rate = 0.0105", "train"), ["nbval 06"]),
    ("a data value, by 0.1%", "06", code(r"\[4\.0\]\]\)", "[4.004]])", "data"), ["nbval 06"]),
    ("a seed", "06", code(r"manual_seed\(\d+\)", "manual_seed(3)", "model-init"), ["nbval 06"]),
    ("chapter 8's epoch count", "08", code(r"^epochs = 10$", "epochs = 9", "train-loop"), ["nbval 08"]),
    ("a printed output edited by hand", "03", printed(r"f\(5\) = 0\.000", "f(5) = 0.001", "train"),
     ["nbval 03"]),
    # the stored chapters: their checks, their pinned results, their links and metadata
    ("a pinned result changed", "03", printed(r"1\.53 gaps", "1.54 gaps", "final-w"),
     ["tests/test_chapter_results.py"]),
    ("outputs cleared", "06", lambda nb: [c.update(outputs=[]) for c in nb["cells"] if "outputs" in c],
     [NB + "test_chapter_passes[06-missing_outputs]"]),
    ("an NBVAL_IGNORE_OUTPUT marker", "02", code(r"\A", "# NBVAL_IGNORE_OUTPUT\n", "imports"),
     [NB + "test_chapter_passes[02-ignore_markers]"]),
    ("the install cell's version", "06", code(r"@v\d+\.\d+\.\d+", "@v0.0.1", "install-ladder"),
     [NB + "test_first_cell_installs_the_helper_package_at_the_books_version[06]"]),
    ("verified_with metadata not the lock's", "06",
     lambda nb: nb["metadata"]["ladder"]["verified_with"].update(NumPy="1.0"),
     [NB + "test_recorded_versions_are_the_locks[06]"]),
    ("reader notebooks: Next skips a chapter", "scripts/reader_notebooks.py",
     sub(r"book\[i \+ 1 : i \+ 2\]", "book[i + 2 : i + 3]"), ["tests/test_reader_notebooks.py"]),
    ("a chapter left out of the TOC", "_toc.yml", sub(r"^ *- file: notebooks/04_\S+\n", ""),
     [NB + "test_the_book_has_its_nine_chapters_in_order", "build"]),
    # the helper package, the environment, the refresh, the book, lint
    ("ladder: a value of the toy data", "src/ladder/data.py", sub(r"^X_VALUES = .*", "X_VALUES = [1.0, 2.5]"),
     ["tests/test_data.py"]),
    ("a lock pin the environment lacks", "requirements.txt", sub(r"^numpy==\S+", "numpy==1.0"),
     ["tests/test_environment.py::test_this_environment_is_the_lock"]),
    ("refresh: drops the last newline", "scripts/refresh_notebooks.py",
     sub(r'writes\(nb\) \+ "\\n"', "writes(nb)"), ["tests/test_refresh.py"]),
    ("glue keys never stored", "02", prose(r"(\{glue:text\}`)(\w+)", r"\1missing_\2"), ["build"]),
    ("no 'verified with' line on a page", "book/_ext/verified_with.py",
     sub(r"^(\s*)title_section\.insert\(", r"\1(lambda *a: None)("), ["build", BROWSER]),
    ("an unused import in the package", "src/ladder/plots.py", sub(r"\A", "import os\n"), ["lint"]),
    # what a reader reads on the built pages, and what a reader installs
    ("a quoted number's format", "02", prose(r"next_loss:\.2f", "next_loss:.1f"), PAGES),
    ("a table quoting the other column's key", "book/reproducibility.md",
     sub(r"numpy1_epoch_21", "numpy2_epoch_21"), PAGES),
    ("a figure's alt text dropped", "06", figure("fit-figure", lambda m, nb: m.pop("image")), PAGES),
    ("a figure's alt text copied from another", "08", figure(
        "figure-per-epoch", lambda m, nb: m["image"].update(alt=alt_of(nb, "figure-per-step"))), PAGES),
    ("a caption's number", "08", figure("fit-figure", lambda m, nb: m["figure"].update(
        caption=m["figure"]["caption"].replace("The 50 validation", "The 40 validation"))), PAGES),
    ("'chapter 3' linking to chapter 5", "04", prose(
        r"\[chapter 3\]\(03_linear_regression_numpy\.ipynb\)", "[chapter 3](05_loss_and_optimizer.ipynb)"),
     PAGES),
    ("the edit button on a branch never deployed", "_config.yml",
     sub(r"^  branch: main$", "  branch: gh-pages"), PAGES),
    ("Colab and Binder on a branch never published", "book/_ext/reader_downloads.py",
     sub(r'^READER_BRANCH = "reader-notebooks"$', 'READER_BRANCH = "notebooks"'), PAGES),
    ("reader notebooks: numbers not formatted", "scripts/reader_notebooks.py",
     sub(r'format_plain_text\(value, fmt or "s"\)', 'format_plain_text(value, "s")'),
     ["tests/test_reader_notebooks.py"]),
    ("reader notebooks: solutions left in view", "scripts/reader_notebooks.py",
     sub(r"current, buffer = solutions, ", "current, buffer = current, "),
     ["tests/test_reader_notebooks.py"]),
    ("a dependency dropped from pyproject.toml", "pyproject.toml",
     sub(r'"matplotlib>=[^"]*", ', ""), ["lint"]),
    ("output lines cut, not wrapped", "book/_static/ladder.css", sub(r"pre-wrap", "pre"),
     ["build", "-m browser tests/browser/test_reading_in_browser.py::test_page"
      "[chromium-notebooks/06_a_model_nn_linear]"]),
    ("an optional part left unfolded", "book/_ext/going_deeper.py",
     sub(r'app\.connect\("doctree-read", fold_optional_parts\)', "pass"), PAGES),
    ("the install cell unfolded on the page", "05", lambda nb: next(
        c for c in nb["cells"] if c.get("id") == "install-ladder")["metadata"].update(tags=[]),
     [NB + "test_chapter_passes[05-setup_cells_folded]", *PAGES]),
    ("the PDF printed with its folds closed", "scripts/whole_book_pdf.py",
     sub(r"fold\.open = true", "fold.open = false"),
     ["build", "-m browser tests/browser/test_whole_book_pdf.py"]),
    ("the PDF printed where its links break", "scripts/whole_book_pdf.py",
     sub(r"at_the_root\(page_html\)\.as_uri\(\)", "page_html.resolve().as_uri()"),
     ["build", "-m browser tests/browser/test_whole_book_pdf.py"]),
    ("the main line reading an optional part's name", "09",
     code(r"manual_seed\(3\)", "manual_seed(int(z.item()))", "solution-sine"),
     [NB + "test_chapter_passes"]),
]
# fmt: on


def command(step: str) -> str:
    """A step, as a call of the copy's scripts/tasks.py: build, lint, nbval N, or pytest's arguments."""
    kind, *words = step.split()
    if kind in ("build", "lint"):
        return f"tasks.{kind}()"
    if kind == "nbval":
        # As the test command runs it: on torch's portable kernels, not those that stored the outputs.
        return f"tasks.nbval('colab', tasks.chapters({words}), cpu_kernels='default')"
    return f"tasks.pytest('-p', 'no:cacheprovider', '-o', 'pythonpath=src', *{step.split()})"


def run(copy: pathlib.Path, step: str) -> int:
    """Run a step in the copy: its exit status, 124 if it hung."""
    program = "import sys; sys.path.insert(0, 'scripts'); import tasks; tasks.write_kernelspecs()"
    line = [sys.executable, "-c", f"{program}; {command(step)}"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    process = subprocess.Popen(line, cwd=copy, start_new_session=True, **quiet)
    try:
        return process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the step, its pytest, its kernels
        process.wait()
        return 124


def apply(root: pathlib.Path, fault: tuple) -> tuple[pathlib.Path, str, str]:
    """(the file, its text, its text with the fault); LookupError if the fault does not apply."""
    name = f"notebooks/{fault[1]}_*.ipynb" if fault[1].isdigit() else fault[1]
    files = sorted(root.glob(name))
    if len(files) != 1:
        raise LookupError(f"{len(files)} files match {name}")
    text = files[0].read_text(encoding="utf-8")
    notebook = files[0].suffix == ".ipynb"
    doc = json.loads(text) if notebook else text
    try:
        changed = fault[2](doc)
    except KeyError as error:
        raise LookupError(f"no {error}") from None
    if notebook:
        changed = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if changed == text or notebook and doc == json.loads(text):
        raise LookupError("the change changes nothing")
    return files[0], text, changed


def make_copy(copy: pathlib.Path) -> None:
    listing = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    names = subprocess.run(listing, cwd=tasks.ROOT, capture_output=True, text=True)
    for name in filter(None, names.stdout.split("\0")):
        if (tasks.ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(tasks.ROOT / name, copy / name)
    for venv in [tasks.VENV, *tasks.READER_VENVS.values()]:
        (copy / venv.name).symlink_to(venv)


def check(chosen: list) -> list[str]:
    """Run each fault's steps in a copy, the unchanged copy's first; returns the faults not caught."""
    bad = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        copy = pathlib.Path(tmp)
        make_copy(copy)
        steps = list(dict.fromkeys(s for _, f in chosen for s in f[3]))
        print(f"\nthe unchanged copy, {len(steps)} steps:")
        red = [s for s in steps if run(copy, s)]
        for step in red:
            print(f"  RED, so it is left out: {step}")
        for n, fault in chosen:
            start, (path, text, new) = time.monotonic(), apply(copy, fault)
            path.write_text(new, encoding="utf-8")
            try:
                usable = [s for s in fault[3] if s not in red]
                by = next((s for s in usable if run(copy, s)), "")
            finally:
                path.write_text(text, encoding="utf-8")
            result = "caught" if by else "MISSED" if usable else "UNCHECKED"
            took = f"{time.monotonic() - start:4.0f} s"
            print(f"{n:3}  {result:9} {took}  {fault[0]:38} {by}", flush=True)
            bad += [f"{result}: {n} {fault[0]}"] if result != "caught" else []
    return bad


def main(argv: list[str]) -> int:
    picks = [a for a in argv if a != "--list"]
    chosen, bad = [], []
    for n, fault in enumerate(FAULTS, 1):
        text = f"{fault[0]} {' '.join(fault[3])}"
        if picks and not any(p == str(n) if p.isdigit() else p in text for p in picks):
            continue
        try:
            apply(tasks.ROOT, fault)
            chosen.append((n, fault))
            print(f"{n:3}  {fault[0]:38} {fault[1]:28} {', '.join(fault[3])}")
        except LookupError as error:
            print(f"{n:3}  STALE: {fault[0]} in {fault[1]}: {error}")
            bad.append(f"STALE: {n} {fault[0]}")
    if "--list" in argv:
        print(f"{len(chosen)} of {len(chosen) + len(bad)} faults apply")
        return 1 if bad else 0
    start, total = time.monotonic(), len(chosen) + len(bad)
    bad += check(chosen)
    took = time.monotonic() - start
    print(
        f"\ncaught {total - len(bad)} of {total} faults, {took:.0f} s", *bad, sep="\n  "
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
