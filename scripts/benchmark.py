"""How much slower than the chapters themselves is the test command? Measures, in one run:

  (a) the floor: every chapter's code cells run as one plain Python script, chapter after chapter, in the
      reference environment (IPython's `%` lines become `pass`, a cell tagged raises-exception is wrapped
      in try/except, MPLBACKEND=Agg);
  (b) the whole test command, `python3 scripts/tasks.py test` (run it once first: set-up is not measured);
  (c) the one-chapter check, `python3 scripts/tasks.py chapter 03`;

prints the table, targets (b) <= 2.5 x (a) and (c) <= 15 s, and writes it to benchmarks/latest.md with the
date, the CPU count and the load average, so that no figure is typed by hand. Runs in place (it changes no
tracked file but that one). Exits 1 if a step fails or a target is missed.
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import tasks  # noqa: E402

OUT = tasks.ROOT / "benchmarks" / "latest.md"


def as_script(notebook: pathlib.Path) -> str:
    """A chapter's code cells as one Python script."""
    parts = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        lines = "".join(cell["source"]).splitlines()
        lines = [
            re.sub(r"^(\s*)[%!].*", r"\1pass", line) for line in lines
        ]  # IPython's
        if "raises-exception" in cell["metadata"].get("tags", []):
            lines = [
                "try:",
                *(f"    {line}" for line in lines),
                "except Exception:",
                "    pass",
            ]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def timed(command: list[str], **kwargs) -> float:
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        print((done.stdout + done.stderr)[-3000:], file=sys.stderr)
        sys.exit(f"benchmark: {' '.join(command)} failed")
    return time.monotonic() - start


def floor() -> float:
    python = tasks.bin_path(tasks.VENV, "python")
    env = {**tasks.hermetic_env(), "MPLBACKEND": "Agg"}
    subprocess.run(
        [python, "-c", "import torch, matplotlib.pyplot"], env=env, check=True
    )  # warm
    with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
        scripts = []
        for notebook in tasks.chapters():
            scripts.append(pathlib.Path(tmp) / f"{notebook.stem}.py")
            scripts[-1].write_text(as_script(notebook), encoding="utf-8")
        return sum(timed([python, str(script)], env=env, cwd=tmp) for script in scripts)


def main() -> int:
    load_before = os.getloadavg()[0]
    a = floor()
    tasks_py = [sys.executable, str(tasks.ROOT / "scripts" / "tasks.py")]
    # As on a fresh clone and in CI: the resolver test runs (a re-run skips it when nothing changed).
    tasks.RESOLVER_STAMP.unlink(missing_ok=True)
    b = timed([*tasks_py, "test"], cwd=tasks.ROOT)
    c = timed([*tasks_py, "chapter", "03"], cwd=tasks.ROOT)
    rows = [
        (
            f"(a) floor: the {len(tasks.chapters())} chapters as plain scripts",
            a,
            "",
            True,
        ),
        (
            "(b) `python3 scripts/tasks.py test`, as on a fresh clone",
            b,
            f"<= 2.5 x (a): {b / a:.1f} x",
            b <= 2.5 * a,
        ),
        ("(c) `python3 scripts/tasks.py chapter 03`", c, "<= 15 s", c <= 15),
    ]
    table = [
        f"Benchmark of {time.strftime('%Y-%m-%d %H:%M %Z')}, written by scripts/benchmark.py: "
        f"{os.cpu_count()} CPUs, 1-minute load average {load_before:.2f} before the run and "
        f"{os.getloadavg()[0]:.2f} after it.",
        "",
        "| step | seconds | target | met |",
        "| --- | ---: | --- | --- |",
        *(
            f"| {name} | {s:.1f} | {target} | {'' if not target else 'yes' if met else 'NO'} |"
            for name, s, target, met in rows
        ),
    ]
    print("\n".join(table))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(table) + "\n", encoding="utf-8")
    return 0 if all(met for *_, met in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
