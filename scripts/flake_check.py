"""Flakiness check: strict nbval on the chapters N times (default 4), with 1 and 2 threads in turn.

    python3 scripts/tasks.py flake [N [CHAPTER ...]]     (after set-up: python3 scripts/tasks.py setup)

Each run is tasks.nbval in the Colab-like environment, as `tasks.py nbval` runs it. Prints and records in
benchmarks/flake.md how many runs passed; exits 1 if any failed.
"""

import pathlib
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import tasks  # noqa: E402

OUT = tasks.ROOT / "benchmarks" / "flake.md"


def main(args: list[str]) -> int:
    runs, chapters = int(args[0]) if args else 4, tasks.chapters(args[1:])
    passed = {1: 0, 2: 0}
    for i in range(runs):
        threads, start = 1 + i % 2, time.monotonic()
        try:
            tasks.nbval("colab", chapters, threads=threads)
            passed[threads] += 1
            verdict = "passed"
        except subprocess.CalledProcessError:
            verdict = "FAILED"
        took = time.monotonic() - start
        print(
            f"flake_check: run {i + 1} of {runs}, {threads} thread(s): {verdict}, {took:.0f} s"
        )
    names = ", ".join(p.stem[:2] for p in chapters)
    summary = (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}: strict nbval of chapters {names}, {runs} runs: "
        f"{sum(passed.values())} passed ({passed[1]} of {(runs + 1) // 2} with 1 thread, "
        f"{passed[2]} of {runs // 2} with 2), written by scripts/flake_check.py."
    )
    print(summary)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(summary + "\n", encoding="utf-8")
    return 0 if sum(passed.values()) == runs else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
