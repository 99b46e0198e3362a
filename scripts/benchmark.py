"""How fast is the test suite? Measures, in one run and one after another:

  (a) the floor: each chapter's code run as a plain Python script (code cells joined; IPython-only lines
      dropped; a cell tagged raises-exception wrapped in try/except), MPLBACKEND=Agg, one after another;
  (b) the pytest step of scripts/test.sh (unit tests and strict nbval on every notebook), as it runs it;
  (c) a clean book build: rm -rf _build, then bash scripts/build.sh;
  (d) a rebuild with nothing changed: bash scripts/build.sh again;
  (e) the README's whole test command: bash scripts/test.sh;

and prints a table with the seconds, the CPU seconds, and the targets: (b) <= (a), (c) < 1.5 x (a), (d) < 10 s.

Usage: .venv/bin/python scripts/benchmark.py [--in-place] [--skip-e]

By default everything runs in a scratch copy of the working tree (its .venv a link to this one), so the
clean build does not delete the _build folder someone else is reading. --in-place runs in the repository.
The machine has two cores: anything else running at the same time slows every figure; the load average
before and after is printed so a disturbed run can be told apart. Exits 1 if a target is missed.
"""
import argparse
import os
import pathlib
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]


def as_script(path: pathlib.Path) -> str:
    """A notebook's code cells as one plain Python script."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        source = "\n".join(lines)
        if "raises-exception" in cell.metadata.get("tags", []):
            source = "try:\n" + "".join(f"    {line}\n" for line in lines) + "except Exception:\n    pass"
        parts.append(source)
    return "\n\n".join(parts) + "\n"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, commands: list[list[str]], cwd: pathlib.Path, env: dict) -> tuple[float, float]:
    """Run the commands one after another; return (wall seconds, CPU seconds of the children)."""
    cpu, start = cpu_seconds(), time.monotonic()
    for command in commands:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            print((done.stdout + done.stderr)[-4000:], file=sys.stderr)
            sys.exit(f"benchmark: {label} failed: {shlex.join(command)}")
    return time.monotonic() - start, cpu_seconds() - cpu


def pytest_step(cwd: pathlib.Path) -> list[str]:
    """The pytest line of scripts/test.sh that runs the unit tests and nbval, without its "$@"."""
    lines = [line.strip() for line in (cwd / "scripts" / "test.sh").read_text().splitlines()
             if line.strip().startswith(".venv/bin/python -m pytest") and "--nbval" in line]
    if len(lines) != 1:
        sys.exit("benchmark: expected one '.venv/bin/python -m pytest ... --nbval' line in scripts/test.sh")
    return [word for word in shlex.split(lines[0]) if word != "$@"]


def copy_working_tree(scratch: pathlib.Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, scratch / name)
    (scratch / ".venv").symlink_to(sys.prefix)  # the environment running this script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--in-place", action="store_true", help="run in the repository, not in a scratch copy")
    parser.add_argument("--skip-e", action="store_true", help="leave out (e), the whole test command")
    args = parser.parse_args()

    scratch = None
    if args.in_place:
        work = ROOT
    else:
        scratch = work = pathlib.Path(tempfile.mkdtemp(prefix="benchmark-"))
        copy_working_tree(work)
    env = dict(os.environ, PYTHONPATH=str(work / "src"))  # this copy's ladder, not the editable install's
    env.pop("MPLBACKEND", None)
    floor_env = dict(env, MPLBACKEND="Agg")
    python = str(work / ".venv" / "bin" / "python")
    load_before = os.getloadavg()
    try:
        scripts = work / "_benchmark_scripts"
        scripts.mkdir(exist_ok=True)
        floor = []
        for notebook in sorted((work / "notebooks").glob("*.ipynb")):
            script = scripts / (notebook.stem + ".py")
            script.write_text(as_script(notebook))
            floor.append([python, str(script)])
        # warm the file cache and check that the scripts run, untimed
        subprocess.run([python, "-c", "import torch, matplotlib.pyplot, nbformat"], env=env, check=True)
        results = {}
        results["a"] = timed("(a) the floor", floor, work / "notebooks", floor_env)
        shutil.rmtree(scripts)
        results["b"] = timed("(b) pytest", [pytest_step(work)], work, env)
        shutil.rmtree(work / "_build", ignore_errors=True)
        results["c"] = timed("(c) clean build", [["bash", "scripts/build.sh"]], work, env)
        results["d"] = timed("(d) rebuild", [["bash", "scripts/build.sh"]], work, env)
        if not args.skip_e:
            results["e"] = timed("(e) test.sh", [["bash", "scripts/test.sh"]], work, env)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    load_after = os.getloadavg()

    a = results["a"][0]
    targets = {"b": (a, "<= (a)"), "c": (1.5 * a, "< 1.5 x (a)"), "d": (10.0, "< 10 s")}
    names = {"a": "(a) floor: the chapters as plain scripts, one after another",
             "b": "(b) pytest: unit tests + strict nbval, -n 2 --dist loadfile",
             "c": "(c) clean book build (bash scripts/build.sh)",
             "d": "(d) rebuild, nothing changed",
             "e": "(e) bash scripts/test.sh (build + pytest + browser tests)"}
    print(f"benchmark on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}; 1-minute load average "
          f"{load_before[0]:.2f} before (other work on the machine), {load_after[0]:.2f} after (this run's too)")
    print("\n| step | wall s | CPU s | target | met |\n| --- | ---: | ---: | --- | --- |")
    missed = 0
    for key, (wall, cpu) in results.items():
        target, met = "", ""
        if key in targets:
            limit, text = targets[key]
            ok = wall <= limit if key == "b" else wall < limit
            missed += not ok
            ratio = f", {wall / a:.2f} x (a)" if key in "bc" else ""
            target, met = f"{text} = {limit:.1f} s{ratio}", "yes" if ok else "NO"
        print(f"| {names[key]} | {wall:.1f} | {cpu:.1f} | {target} | {met} |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
