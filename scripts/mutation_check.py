"""Mutation check: plant small faults, one at a time, in a scratch copy of the repository, and show that
the test suite catches every one.

Usage: .venv/bin/python scripts/mutation_check.py [--rev REV] [--keep] [--list] [FILTER ...]

  FILTER      run only the faults with this number, or whose description contains this text
  --rev REV   copy the files committed at REV (e.g. HEAD) instead of the working tree
  --list      check that every fault applies (its old text occurs exactly once) and list them; run nothing
  --keep      keep the scratch copy and print where it is

Each fault is (file, exact old text, new text, description), or (file, function, description) for a
fault that reshapes a notebook's JSON (outputs cleared, execution counts shuffled, ...). The script fails
loudly, before running anything, if an old text does not occur exactly once (the chapter changed: update
the fault) or a function changes nothing.

What runs for each fault is the README's test command minus the set-up (its build and pytest lines, read
from scripts/build.sh and scripts/test.sh so that they stay the same commands), step by step, the
likeliest catcher first, stopping at the first step that fails:
- a fault in a notebook: pytest on tests/ and that notebook only (the other notebooks are unchanged and
  pass in the baseline run; this keeps a fault near 10 s on an idle machine), then the book build;
- a fault in src/ladder: pytest on tests/, then on every notebook (every chapter imports the package);
- a fault in the book's pages, _toc.yml or the README figure: the book build, then pytest on tests/;
- a fault in scripts/refresh_notebooks.py: pytest on tests/ (tests/test_refresh.py refreshes a chapter).
When the build fails, it is run a second time on the same _build folder: a fault that a rebuild lets
pass would pass the README's command the second time it is run, so it counts as missed. The script exits
1 if any fault is missed, and 2 if a fault is stale or the unchanged copy does not pass.
"""
import argparse
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
VENV = pathlib.Path(sys.prefix)  # the environment running this script: the scratch copy's .venv links to it
NB = "notebooks/"
CH1, CH2, CH3, CH4, CH5, CH6 = (NB + n + ".ipynb" for n in (
    "01_backprop_basics", "02_linear_regression_numpy", "03_gradients_with_autograd",
    "04_loss_and_optimizer", "05_a_model_nn_linear", "06_your_own_module"))


# --- faults that reshape a notebook's JSON ------------------------------------------------------------

def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _cell_with(nb: dict, needle: str) -> dict:
    cells = [c for c in _code_cells(nb) if needle in "".join(c["source"])]
    if len(cells) != 1:
        raise LookupError(f"{len(cells)} code cells contain {needle!r}, expected exactly 1")
    return cells[0]


def clear_all_outputs(nb: dict) -> None:
    for cell in _code_cells(nb):
        cell["outputs"], cell["execution_count"] = [], None


def clear_print_cell_outputs(nb: dict) -> None:
    _cell_with(nb, "print(w.grad)")["outputs"] = []


def swap_execution_counts(nb: dict) -> None:
    a, b = _code_cells(nb)[1:3]
    a["execution_count"], b["execution_count"] = b["execution_count"], a["execution_count"]
    for cell in (a, b):
        for output in cell["outputs"]:
            if "execution_count" in output:
                output["execution_count"] = cell["execution_count"]


def partial_run(nb: dict) -> None:
    """The last code cell never ran: no count, no output (a notebook saved mid-run)."""
    last = _code_cells(nb)[-1]
    last["outputs"], last["execution_count"] = [], None


def plant_error_output(nb: dict) -> None:
    _cell_with(nb, "print(w.grad)")["outputs"].append({
        "ename": "RuntimeError", "evalue": "Trying to backward through the graph a second time",
        "output_type": "error", "traceback": ["RuntimeError: Trying to backward through the graph a second time"]})


def untag_grad_zero(nb: dict) -> None:
    _cell_with(nb, "optimizer.grad_zero()")["metadata"]["tags"].remove("raises-exception")


def _nudge_svg(svg: str) -> str:
    """Move the first vertex of the first plotted line (a path drawn inside the axes) down by 5 pt."""
    match = re.search(r'(<path d="M [-\d.]+ [-\d.]+\s+L [-\d.]+ )([-\d.]+)([^"]*" clip-path=)', svg)
    if not match:
        raise LookupError("no plotted line found in the SVG")
    return svg[:match.start(2)] + f"{float(match.group(2)) + 5:.6g}" + svg[match.end(2):]


def nudge_first_figure(nb: dict) -> None:
    """A stored figure edited by hand: nbval compares SVG text, so the re-run figure must differ."""
    for cell in _code_cells(nb):
        for output in cell["outputs"]:
            data = output.get("data", {})
            if "image/svg+xml" in data:
                svg = "".join(data["image/svg+xml"])
                data["image/svg+xml"] = _nudge_svg(svg).splitlines(keepends=True)
                return
    raise LookupError("no SVG figure stored in this notebook")


def nudge_svg_file(text: str) -> str:
    return _nudge_svg(text)


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise LookupError(f"the old text occurs {text.count(old)} times, expected exactly once: {old!r}")
    return text.replace(old, new)


def timestamps_back(text: str) -> str:
    """Both guards against nbclient's per-cell timestamps removed (either one alone suffices)."""
    text = _replace_once(text, "timeout=600, record_timing=False", "timeout=600, record_timing=True")
    return _replace_once(text, 'cell.metadata.pop("execution", None)', "pass")


# --- the faults ---------------------------------------------------------------------------------------
# Notebook texts are matched in the .ipynb JSON: a source line is a JSON string such as
# "learning_rate = 0.01\n", (the \n is two characters in the file, hence the raw strings).

FAULTS = [
    # the chapters' code
    (CH1, r'"learning_rate = 0.1\n"', r'"learning_rate = 0.2\n"', "ch1: learning rate 0.1 -> 0.2"),
    (CH1, r'w -= learning_rate * w.grad  # 1 - 0.1', r'w += learning_rate * w.grad  # 1 - 0.1', "ch1: update sign flipped"),
    (CH1, r'"w.grad.zero_()\n"', r'"pass  # w.grad.zero_() dropped\n"', "ch1: w.grad.zero_() dropped"),
    (CH2, r'"learning_rate = 0.01\n"', r'"learning_rate = 0.011\n"', "ch2: learning rate 0.01 -> 0.011"),
    (CH2, r'np.mean(2 * x * (y_pred - y))', r'np.mean(x * (y_pred - y))', "ch2: gradient factor 2 dropped"),
    (CH2, r'"    return w * x"', r'"    return w * x + 0.0001"', "ch2: model gains a tiny offset"),
    (CH2, r'for epoch in range(21):', r'for epoch in range(20):', "ch2: off-by-one in the NumPy-1 replay"),
    (CH2, r'LossHistory(every=10,', r'LossHistory(every=20,', "ch2: report interval 10 -> 20"),
    (CH2, r'plot_loss_curve(history.losses, title=\"Gradient descent in NumPy',
     r'plot_loss_curve(history.losses[:-1], title=\"Gradient descent in NumPy',
     "ch2: plotted series loses its last point (figure only)"),
    (CH3, r'"epochs = 100\n"', r'"epochs = 101\n"', "ch3: epochs 100 -> 101"),
    (CH3, r'"    w.grad.zero_()  # backward() accumulates: start the next epoch from zero\n"', r'"\n"',
     "ch3: w.grad.zero_() dropped"),
    (CH3, r'np.mean(2 * X_np * (Y_pred_np - Y_np))', r'np.mean(2 * X_np * (Y_np - Y_pred_np))',
     "ch3: sign of the replayed gradient flipped"),
    (CH4, r'"epochs = 100\n"', r'"epochs = 90\n"', "ch4: epochs 100 -> 90"),
    (CH4, r'"    optimizer.zero_grad()  # clear w.grad for the next epoch\n"', r'"\n"',
     "ch4: optimizer.zero_grad() dropped"),
    (CH4, r'torch.tensor([0.9])', r'torch.tensor([0.8])', "ch4: a data value in the BCE example"),
    (CH4, untag_grad_zero, "ch4: raises-exception tag removed from the cell that shows the error"),
    (CH5, r'"torch.manual_seed(0)\n"', r'"torch.manual_seed(1)\n"', "ch5: seed 0 -> 1"),
    (CH5, r'"epochs = 4000\n"', r'"epochs = 3999\n"', "ch5: epochs 4000 -> 3999 (printed lines unchanged)"),
    (CH5, r'every=400,', r'every=500,', "ch5: report interval 400 -> 500"),
    (CH5, r'"    optimizer.zero_grad()\n"', r'"\n"', "ch5: optimizer.zero_grad() dropped"),
    (CH5, r'glue(\"f5_after\", model(X_test).item(),', r'glue(\"f5_after\", model(X_test).item() + 0.001,',
     "ch5: a glued number (shown in the prose) changed"),
    (CH5, r'{model.weight.item():.7f}', r'{model.weight.item():.6f}', "ch5: format string .7f -> .6f"),
    (CH5, r'ladder.plot_fit(X, Y, Y_fit,', r'ladder.plot_fit(X, Y, Y_fit * 1.01,', "ch5: plotted fit scaled (figure only)"),
    (CH5, r'"learning_rate = 0.01\n"', r'"# NBVAL_IGNORE_OUTPUT\n", "learning_rate = 0.011\n"',
     "ch5: a changed number hidden behind NBVAL_IGNORE_OUTPUT"),
    # (Not `range(600)` -> `range(599)` in chapter 6: its float32 fit reaches a fixed point well before
    # epoch 598, so one epoch fewer prints the very same digits; no reader could notice, no test can.)
    (CH6, r'({weights[1]:.4f}) x2', r'({weights[0]:.4f}) x2', "ch6: wrong index in the printed weights"),
    (CH6, r'"        return self.linear(x)"', r'"        return self.linear(x) * 1.0001"', "ch6: the module's forward"),
    (CH6, r'optim.SGD(model2.parameters(), lr=0.1)', r'optim.SGD(model2.parameters(), lr=0.09)',
     "ch6: learning rate 0.1 -> 0.09"),
    # stored outputs and the notebook's shape
    (CH2, r'"X = [1. 2. 3. 4.]\n"', r'"X = [1. 2. 3. 5.]\n"', "ch2: a stored output edited without re-running"),
    (CH2, nudge_first_figure, "ch2: a stored figure edited without re-running"),
    (CH3, clear_all_outputs, "ch3: committed with outputs cleared"),
    (CH1, clear_print_cell_outputs, "ch1: one printing cell's output missing"),
    (CH2, swap_execution_counts, "ch2: execution counts out of order"),
    (CH5, partial_run, "ch5: partial run, the last cell never ran"),
    (CH1, plant_error_output, "ch1: an error output in an untagged cell"),
    # the helper package
    ("src/ladder/data.py", "X_VALUES = [1.0, 2.0, 3.0, 4.0]", "X_VALUES = [1.0, 2.0, 3.0, 4.5]", "ladder: a data value"),
    ("src/ladder/report.py", "epoch % self.every == 0", "(epoch + 1) % self.every == 0",
     "ladder: report on the wrong epochs (off by one)"),
    ("src/ladder/report.py", "{value:.10f}", "{value:.9f}", "ladder: loss format .10f -> .9f"),
    ("src/ladder/report.py", "f({x:g}) = {float(prediction):.3f}", "f({x:g}) = {float(prediction):.4f}",
     "ladder: prediction format .3f -> .4f"),
    ("src/ladder/checks.py", "not math.isfinite(value) or value <= 0", "not math.isfinite(value) or value < 0",
     "ladder: positive_number lets 0 through"),
    ("src/ladder/checks.py", "Integral) or value <= 0", "Integral) or value < 0", "ladder: positive_int lets 0 through"),
    ("src/ladder/checks.py", "if not math.isfinite(value):", "if math.isnan(value):",
     "ladder: finite_loss lets inf through"),
    ("src/ladder/checks.py", "len(shape) != 2", "len(shape) < 2", "ladder: samples_features accepts 3-D"),
    ("src/ladder/seeding.py", "torch.manual_seed(seed)", "torch.manual_seed(seed + 1)", "ladder: seed_all seeds torch off by one"),
    ("src/ladder/plots.py", '"figure.figsize": (6.0, 3.6)', '"figure.figsize": (6.0, 4.0)', "ladder: figure size (figures only)"),
    ("src/ladder/plots.py", 'ax.plot(xs, ys, "o", label="data")', 'ax.plot(xs, ys, "s", label="data")',
     "ladder: data markers circles -> squares (figure only)"),
    ("src/ladder/plots.py", "epochs = np.arange(1, values.size + 1)", "epochs = np.arange(values.size)",
     "ladder: loss curve x axis off by one"),
    ("src/ladder/plots.py", 'metadata={"Date": None}, ', "", "ladder: SVG figures carry a date again"),
    ("src/ladder/versions.py", 'NumPy {np.__version__} on the CPU"', 'NumPy {np.__version__} on a CPU"',
     "ladder: the 'verified with' line"),
    ("src/ladder/data.py", "[1.0, 2.0], [2.0, 2.0]]", "[1.0, 2.0], [2.0, 2.5]]", "ladder: a value of the two-feature data"),
    # the refresh script
    ("scripts/refresh_notebooks.py", timestamps_back, "refresh: stores execution timestamps again"),
    ("scripts/refresh_notebooks.py", 'nb.metadata = {"kernelspec": KERNELSPEC,', '_ = {"kernelspec": KERNELSPEC,',
     "refresh: keeps the kernel's own notebook metadata"),
    # the book's pages, its table of contents, the README figure
    ("book/intro.md", "(running-locally.md)", "(running-local.md)", "book: a broken link in a page"),
    (CH1, r'(02_linear_regression_numpy.ipynb), where the', r'(02_linear_regresion_numpy.ipynb), where the',
     "ch1: a broken link in a markdown cell"),
    ("_toc.yml", "      - file: notebooks/03_gradients_with_autograd\n", "", "toc: chapter 3 left out"),
    ("book/images/fitted-line.svg", nudge_svg_file, "README figure edited by hand"),
]


# --- applying a fault ---------------------------------------------------------------------------------

def mutate(text: str, fault: tuple) -> str:
    """Return the file's text with the fault applied; raise if the fault is stale."""
    if len(fault) == 4:
        _, old, new, _ = fault
        count = text.count(old)
        if count != 1:
            raise LookupError(f"the old text occurs {count} times, expected exactly once: {old!r}")
        return text.replace(old, new)
    _, function, _ = fault
    if fault[0].endswith(".ipynb"):
        nb = json.loads(text)
        function(nb)
        new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    else:
        new = function(text)
    if new == text:
        raise LookupError(f"{function.__name__} changed nothing")
    return new


def describe(fault: tuple) -> str:
    return fault[-1]


# --- running the suite --------------------------------------------------------------------------------

def suite_command(script: str, program: str, containing: str = "") -> list[str]:
    """The command line that scripts/<script> runs, e.g. its `.venv/bin/jupyter-book build ...` line."""
    lines = [line.strip() for line in (ROOT / "scripts" / script).read_text().splitlines()
             if line.strip().startswith(program) and containing in line]
    if len(lines) != 1:
        sys.exit(f"mutation_check: expected one line starting with {program!r} (and containing {containing!r}) "
                 f"in scripts/{script}, found {len(lines)}")
    return [w for w in shlex.split(lines[0]) if w != "$@"]  # run in the scratch copy, whose .venv is a link


BUILD = suite_command("build.sh", ".venv/bin/jupyter-book")
PYTEST = suite_command("test.sh", ".venv/bin/python -m pytest", "--nbval")


def run(command: list[str], cwd: pathlib.Path) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=str(cwd / "src"))  # the scratch copy's ladder first
    env.pop("MPLBACKEND", None)  # the kernels must keep the inline backend, or no figure is shown
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def steps(path: str) -> list[tuple[str, list[str]]]:
    """The suite's steps that can see a fault in `path`, the likeliest catcher first."""
    pytest = lambda *targets: (f"pytest {' '.join(targets)}", PYTEST + list(targets))
    build = ("build", BUILD)
    if path.startswith(NB):
        return [pytest("tests", path), build]  # the build reads the notebook's markdown and stored outputs
    if path.startswith("src/"):
        return [pytest("tests"), pytest("notebooks")]  # the unit tests first: most helper faults stop there
    if path.startswith("scripts/"):
        return [pytest("tests")]
    return [build, pytest("tests")]


def check(scratch: pathlib.Path, path: str) -> tuple[str, str]:
    """Run the steps until one fails; return (what caught the fault or "", log of the failure)."""
    for name, command in steps(path):
        rc, out = run(command, scratch)
        if rc and name == "build":
            rc, _ = run(command, scratch)  # the README's command run a second time on the same _build
            if not rc:
                return "", "the build failed once, then passed on a rerun:\n" + out[-2000:]
        if rc:
            summary = (out.strip().splitlines() or ["(no output)"])[-1].strip("= ").split(" in ")[0]
            failures = [line for line in out.splitlines()
                        if line.startswith(("FAILED", "ERROR")) or "WARNING" in line]
            return f"{name}: {summary if name != 'build' else 'failed, twice'}", "\n".join(failures)
    return "", ""


def copy_repo(rev: str | None, scratch: pathlib.Path) -> None:
    if rev:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive, check=True)
        return
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, scratch / name)


def link_venv(scratch: pathlib.Path) -> None:
    """The copy's .venv is this one: the commands run as scripts/*.sh write them, and paths in tracebacks
    start with the copy's own folder, as they do in a checkout."""
    (scratch / ".venv").symlink_to(VENV)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("filters", nargs="*")
    parser.add_argument("--rev")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    scratch = pathlib.Path(tempfile.mkdtemp(prefix="mutation-check-"))
    try:
        copy_repo(args.rev, scratch)
        link_venv(scratch)
        originals = {}
        stale = []
        for number, fault in enumerate(FAULTS, 1):
            path = fault[0]
            try:
                if path not in originals:
                    originals[path] = (scratch / path).read_text()
                mutate(originals[path], fault)
            except (LookupError, KeyError, IndexError, ValueError, OSError) as error:
                stale.append(f"  fault {number} ({describe(fault)}) in {path}: {error}")
        if stale:
            print("mutation_check: STALE FAULTS (the files changed; update FAULTS in scripts/mutation_check.py):",
                  *stale, sep="\n", file=sys.stderr)
            return 2
        selected = [(n, f) for n, f in enumerate(FAULTS, 1)
                    if not args.filters or any(s == str(n) if s.isdigit() else s in describe(f) for s in args.filters)]
        if args.list:
            for number, fault in selected:
                print(f"{number:3}  {fault[0]:45}  {describe(fault)}")
            print(f"{len(selected)} faults, every one applies")
            return 0

        print(f"mutation_check: scratch copy of {'the working tree' if not args.rev else args.rev} in {scratch}")
        print(f"  build:  {shlex.join(BUILD)}\n  pytest: {shlex.join(PYTEST)} TARGETS")
        start = time.monotonic()
        rc, out = run(BUILD, scratch)
        rc2, out2 = run(PYTEST + ["tests", "notebooks"], scratch)
        if rc or rc2:
            print(out[-3000:] if rc else out2[-3000:], file=sys.stderr)
            print("mutation_check: the unchanged copy does not pass: fix that first", file=sys.stderr)
            return 2
        print(f"  baseline (unchanged copy) passes, {time.monotonic() - start:.0f} s")

        rows = []
        for number, fault in selected:
            path = fault[0]
            t0 = time.monotonic()
            (scratch / path).write_text(mutate(originals[path], fault))
            try:
                caught_by, log = check(scratch, path)
            finally:
                (scratch / path).write_text(originals[path])
            caught = bool(caught_by)
            rows.append((number, describe(fault), caught_by, caught))
            print(f"  {number:3} {'caught' if caught else 'MISSED'}  {time.monotonic() - t0:5.1f} s  {describe(fault)}",
                  flush=True)
            if not caught or os.environ.get("MUTATION_CHECK_VERBOSE"):
                print("      " + log.strip().replace("\n", "\n      "))

        width = max(len(r[1]) for r in rows)
        print(f"\n| #  | {'fault':{width}} | caught by (the first step that failed) |")
        print(f"| -- | {'-' * width} | --- |")
        for number, description, caught_by, caught in rows:
            print(f"| {number:2} | {description:{width}} | {caught_by or 'MISSED'} |")
        missed = [r for r in rows if not r[3]]
        print(f"\ncaught {len(rows) - len(missed)} of {len(rows)} ({time.monotonic() - start:.0f} s)")
        return 1 if missed else 0
    finally:
        if args.keep:
            print(f"scratch copy kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
