"""Plant small faults, one at a time, in a scratch copy of the working tree; show that the steps catch each.

    python3 scripts/tasks.py mutation [--list] [--json FILE] [N | WORD ...]

N or WORD picks faults by number or by a word of their description or steps; --list only checks that they
apply. A fault says WHAT it changes (a regex on a chapter's code or prose, a cell found by its tags or
outputs, a metadata key), so rewording a chapter leaves it working; one that no longer applies (a regex
not matching exactly once, or, in prose, at all) is STALE. The copy is made once, its environments
linked; only the steps that can see a fault run there, as the copy's scripts/tasks.py defines them, but
without set-up, so that a fault in src/ladder never reaches the shared reader environments (the unit
tests import the copy's src/ first). A step red on the unchanged copy is left out, and said.
Exits 1 if a fault is missed, stale, or has no step left to check it.
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

ERR = {"output_type": "error", "ename": "E", "evalue": "", "traceback": []}
STAMP = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
NB = "tests/test_notebooks.py::"
TIMEOUT = 300  # seconds a step may take


def sub(pattern: str, new: str, in_cell="", cells="", every=False):
    """A change by regex (multiline) of a file's text, or of the sources of a notebook's `cells`
    (only the cell with the id `in_cell`, if given)."""

    def change(doc):
        parts = [c for c in doc["cells"] if c["cell_type"] == cells] if cells else [doc]
        parts = [c for c in parts if c.get("id") == in_cell] if in_cell else parts
        total = 0
        for part in parts:
            text = "".join(part["source"]) if cells else part
            text, n = re.subn(pattern, new, text, flags=re.M)
            total += n
            if cells:
                part["source"] = text
            else:
                doc = text
        if total == 0 or (total > 1 and not every):
            where = f" in cell {in_cell}" if in_cell else ""
            raise LookupError(f"{pattern!r} matches {total} times{where}")
        return doc

    return change


code = functools.partial(sub, cells="code")
prose = functools.partial(sub, cells="markdown", every=True)


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def cell(nb: dict, test=lambda c: c["outputs"], kind: str = "code") -> dict:
    """The first cell of `kind` that passes `test` (by default, the first with outputs)."""
    return next(c for c in nb["cells"] if c["cell_type"] == kind and test(c))


def output(nb: dict, key: str, inner: str = "") -> dict:
    """The first output that has `key` (with `inner` in it)."""
    outputs = [o for c in code_cells(nb) for o in c["outputs"]]
    return next(o for o in outputs if key in o and (not inner or inner in o[key]))


def tags(c: dict) -> list:
    return c["metadata"].get("tags", [])


def bump_a_digit(nb: dict) -> None:
    """The first printed digit changed, as by a hand edit of the stored output."""
    for out in (o for c in code_cells(nb) for o in c["outputs"] if "text" in o):
        text = "".join(out["text"])
        if re.search(r"\d", text):
            out["text"] = re.sub(r"\d", lambda m: str(int(m[0]) ^ 1), text, count=1)
            return
    raise LookupError("no printed digit")


# (description, chapter number or file, change, the steps that can see it, the likeliest first)
# fmt: off
FAULTS = [
    # a chapter's code changed without a refresh: strict nbval sees its outputs change
    ("a learning rate", "03", code(r"^learning_rate = .*", "learning_rate = 0.011", "train"),
     ["nbval 03"]),
    ("an epoch count", "04", code(r"^epochs = .*", "epochs = 50", "train"), ["nbval 04"]),
    ("the update's sign", "02", code(r"w -= learning_rate", "w += learning_rate", "update"), ["nbval 02"]),
    ("zero_grad() dropped", "06", code(r"^\s+optimizer\.zero_grad\(\)\n", "", "train"), ["nbval 06"]),
    ("a seed", "06", code(r"manual_seed\(\d+\)", "manual_seed(3)", "model-init"), ["nbval 06"]),
    ("a data value", "02", code(r"^y = torch\.tensor\(.*?\)", "y = torch.tensor(2.5)", "data"), ["nbval 02"]),
    ("chapter 1's data", "01", code(r"^x = torch\.tensor\(\[1\.0, 2\.0, 3\.0, 4\.0\]\)",
                                    "x = torch.tensor([1.0, 2.0, 3.0, 5.0])", "create-data"), ["nbval 01"]),
    ("chapter 8's epoch count", "08", code(r"^epochs = 10$", "epochs = 9", "train-loop"), ["nbval 08"]),
    # the stored outputs and the notebook's shape
    ("a printed output edited by hand", "03", bump_a_digit, ["nbval 03"]),
    ("outputs cleared", "06", lambda nb: [c.update(outputs=[]) for c in code_cells(nb)],
     ["check 06 missing_outputs"]),
    ("a cell re-run out of order", "02", lambda nb: cell(nb).update(execution_count=99),
     ["check 02 execution_order"]),
    ("an error in an untagged cell", "06",
     lambda nb: cell(nb, lambda c: "raises-exception" not in tags(c) and c["outputs"])["outputs"].append(ERR),
     ["check 06 untagged_errors"]),
    ("a traceback of 20 lines", "02", lambda nb: output(nb, "traceback").update(traceback=["frame"] * 20),
     ["check 02 long_tracebacks"]),
    ("a figure's PNG removed", "06", lambda nb: output(nb, "data", "image/png")["data"].pop("image/png"),
     ["check 06 figures_without_png"]),
    ("a timestamp in cell metadata", "02", lambda nb: cell(nb)["metadata"].update(execution=STAMP),
     ["check 02 volatile_outputs"]),
    ("an NBVAL_IGNORE_OUTPUT marker", "02", code(r"\A", "# NBVAL_IGNORE_OUTPUT\n", "imports"),
     ["check 02 ignore_markers"]),
    ("a code line of 100 characters", "02", code(r"^import torch$", "import torch  # " + "-" * 84, "imports"),
     ["check 02 wide_code_lines"]),
    ("an undeclared import", "06", code(r"^import torch$", "import pandas\nimport torch", "imports"),
     ["check 06 undeclared_imports"]),
    ("glue() in a visible cell", "01",
     lambda nb: tags(cell(nb, lambda c: "remove-cell" in tags(c) and "glue(" in str(c["source"]))).clear(),
     ["check 01 glue_outside_hidden_cells"]),
    ("'the seed notebook' in the prose", "02", prose(r"\Z", "\n\nAs in the seed notebook."),
     ["check 02 mentions_the_seed"]),
    ("solutions no longer hidden", "02", prose(r"^:class: dropdown\n", ""), ["check 02 exercises"]),
    ("kernel metadata incomplete", "06", lambda nb: nb["metadata"]["language_info"].pop("pygments_lexer"),
     ["check 06 kernel_metadata"]),
    ("the install cell's version", "06", code(r"@v\d+\.\d+\.\d+", "@v0.0.1", "install-ladder"),
     [NB + "test_first_cell_installs_the_helper_package_at_the_books_version[06]"]),
    ("verified_with metadata not the lock's", "06",
     lambda nb: nb["metadata"]["ladder"]["verified_with"].update(NumPy="1.0"),
     [NB + "test_recorded_versions_are_the_locks[06]"]),
    ("links to the next chapter broken", "02", prose(r"\]\(03_\w+\.ipynb", "](03_next.ipynb"),
     [NB + "test_chapter_links_to_its_neighbours[02]", "build"]),
    ("a chapter left out of the TOC", "_toc.yml", sub(r"^ *- file: notebooks/04_\S+\n", ""),
     [NB + "test_the_book_has_its_eight_chapters_in_order", "build"]),
    # the helper package, the environment, the refresh, the book
    ("ladder: a value of the toy data", "src/ladder/data.py", sub(r"^X_VALUES = .*", "X_VALUES = [1.0, 2.5]"),
     ["tests/test_data.py"]),
    ("a lock pin the environment lacks", "requirements.txt", sub(r"^numpy==\S+", "numpy==1.0"),
     ["tests/test_environment.py::test_this_environment_is_the_lock"]),
    ("refresh: drops the last newline", "scripts/refresh_notebooks.py",
     sub(r'writes\(nb\) \+ "\\n"', "writes(nb)"), ["tests/test_refresh.py"]),
    ("a broken link in a page", "book/intro.md", sub(r"\(running-locally\.md\)", "(running.md)"), ["build"]),
    ("glue keys never stored", "02", prose(r"(\{glue:text\}`)(\w+)", r"\1missing_\2"), ["build"]),
    ("no 'verified with' line on a page", "book/_ext/verified_with.py",
     sub(r"^(\s*)title_section\.insert\(", r"\1(lambda *a: None)("), ["build", "browser test_page and 02"]),
]
# fmt: on


def command(step: str) -> str:
    """A step: a call of the copy's scripts/tasks.py."""
    kind, *words = step.split()
    if kind == "nbval":
        return f"tasks.nbval('colab', tasks.chapters({words}))"
    if kind == "build":
        return "tasks.build()"
    if kind == "check":  # one check of tests/notebook_checks.py on one chapter
        words = [f"{NB}test_chapter_passes[{words[0]}-{words[1]}]"]
    elif kind == "browser":
        words = ["-m", "browser", "tests/browser", "-k", " ".join(words)]
    else:
        words = [step]
    return f"tasks.pytest('-p', 'no:cacheprovider', '-o', 'pythonpath=src', *{words})"


def run(copy: pathlib.Path, step: str) -> tuple[int, str]:
    """Run a step in the copy: its exit status (124 if it hung: a fault can make a loop endless)."""
    program = "import sys; sys.path.insert(0, 'scripts'); import tasks; tasks.write_kernelspecs()"
    line = [sys.executable, "-c", f"{program}; {command(step)}"]
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            line, cwd=copy, stdout=log, stderr=log, start_new_session=True
        )
        try:
            status = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the step, its pytest, its kernels
            process.wait()
            status = 124
        log.seek(0)
        return status, log.read()


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
    except (StopIteration, IndexError, KeyError, ValueError, AttributeError) as error:
        raise LookupError(f"nothing to change ({type(error).__name__})") from None
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


def check(chosen: list) -> list[dict]:
    """Run each fault's steps in a copy; say which caught it."""
    results = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        copy = pathlib.Path(tmp)
        make_copy(copy)
        steps = list(dict.fromkeys(s for _, f in chosen for s in f[3]))  # in order
        print(f"\nthe unchanged copy, {len(steps)} steps:")
        red = []
        for step in steps:
            status, out = run(copy, step)
            if status:
                red.append(step)
                said = r"FAILED|ERROR|WARNING|failed|timed out"
                tail = [line for line in out.splitlines() if re.search(said, line)][-3:]
                print(f"  RED, so it is left out: {step}", *tail, sep="\n    ")
        for n, fault in chosen:
            start, (path, text, new) = time.monotonic(), apply(copy, fault)
            usable = [s for s in fault[3] if s not in red]
            path.write_text(new, encoding="utf-8")
            try:
                by = next((s for s in usable if run(copy, s)[0]), "")
            finally:
                path.write_text(text, encoding="utf-8")
            result = "caught" if by else "MISSED" if usable else "UNCHECKED"
            results.append({"n": n, "fault": fault[0], "result": result, "by": by})
            took = time.monotonic() - start
            print(f"{n:3}  {result:9} {took:4.0f} s  {fault[0]:36} {by}", flush=True)
    return results


def main(argv: list[str]) -> int:
    out = argv[argv.index("--json") + 1] if "--json" in argv else None
    select = [a for a in argv if a not in ("--list", "--json", out)]
    chosen, results = [], []
    for n, fault in enumerate(FAULTS, 1):
        text = f"{fault[0]} {' '.join(fault[3])}"
        if select and not any(
            s == str(n) or s in text and not s.isdigit() for s in select
        ):
            continue
        try:
            apply(tasks.ROOT, fault)
            chosen.append((n, fault))
            print(f"{n:3}  {fault[0]:36} {fault[1]:28} {', '.join(fault[3])}")
        except LookupError as error:
            print(f"{n:3}  STALE: {fault[0]} in {fault[1]}: {error}")
            results.append({"n": n, "fault": fault[0], "result": "STALE", "by": ""})
    if "--list" in argv:
        print(f"{len(chosen)} of {len(chosen) + len(results)} faults apply")
        return 1 if results else 0
    start = time.monotonic()
    results = sorted(results + check(chosen), key=lambda r: r["n"])
    bad = [r for r in results if r["result"] != "caught"]
    took = time.monotonic() - start
    print(f"\ncaught {len(results) - len(bad)} of {len(results)} faults, {took:.0f} s")
    print(
        "".join(f"  {r['result']}: {r['n']} {r['fault']} {r['by']}\n" for r in bad),
        end="",
    )
    if out:
        pathlib.Path(out).write_text(json.dumps(results, indent=1) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
