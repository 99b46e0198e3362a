"""Is this Python the reference environment, the one that produces the stored outputs? It is when every
package of the lock (requirements.txt) is installed at its pinned version, and nothing else is, bar the
book's own helper package."""

import importlib.metadata
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PYTHON = (3, 11)
FIX = "rebuild it with `python3 scripts/tasks.py setup` (or delete .venv and run the test command again)"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lock: pathlib.Path = ROOT / "requirements.txt") -> dict[str, str]:
    pins = re.findall(
        r"^([A-Za-z0-9._-]+)==(\S+)",
        lock.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    return {canonical(name): version for name, version in pins}


def installed() -> dict[str, str]:
    # A local label such as torch's +cpu names the build, not the release that the lock pins.
    return {
        canonical(d.metadata["Name"]): d.version.split("+")[0]
        for d in importlib.metadata.distributions()
    }


def differences() -> list[str]:
    """One line per difference between this environment and the lock; empty when they agree."""
    problems = []
    if sys.version_info[:2] != PYTHON:
        problems.append(
            f"Python {sys.version.split()[0]}, the lock is for {'.'.join(map(str, PYTHON))}"
        )
    want, have = pinned(), installed()
    for name in sorted(want.keys() | have.keys() - {"ladder"}):
        if name not in have:
            problems.append(f"{name}: missing, the lock pins {want[name]}")
        elif name not in want:
            problems.append(f"{name} {have[name]}: installed, but not in the lock")
        elif have[name] != want[name]:
            problems.append(
                f"{name}: {have[name]} installed, the lock pins {want[name]}"
            )
    return problems
