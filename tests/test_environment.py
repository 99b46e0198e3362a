"""The environments against their definitions. The test command runs this file first: a stale
environment is then one message saying what differs and how to fix it, not chapters failing a cell at a
time."""

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import reference_env  # noqa: E402
import tasks  # noqa: E402

# What only maintainers need: a reader's environment must not carry any of it.
MAINTAINER_ONLY = [
    "jupyter-book",
    "sphinx",
    "pytest",
    "nbval",
    "playwright",
    "ruff",
    "pip-tools",
]


def test_this_environment_is_the_lock():
    problems = reference_env.differences()
    assert not problems, (
        f"this environment differs from requirements.txt; {reference_env.FIX}:\n  "
        + "\n  ".join(problems)
    )


def test_the_lock_pins_every_top_level_requirement_without_a_local_label():
    pins = reference_env.pinned()
    top_level = (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
    names = [
        reference_env.canonical(line.split("=")[0].split("<")[0].split(">")[0].strip())
        for line in top_level
        if line.strip() and not line.startswith("#")
    ]
    assert [n for n in names if n not in pins] == []
    assert (
        "+" not in pins["torch"]
    )  # PyPI has no local labels: torch==2.13.0 matches both wheels


def installed_in(venv: pathlib.Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m; print('\\n'.join(f\"{d.metadata['Name']}=={d.version}\" "
        "for d in m.distributions()))"
    )
    python = tasks.bin_path(venv, "python")
    if not pathlib.Path(python).exists():
        pytest.fail(
            f"{venv.name} is missing: run `python3 scripts/tasks.py setup`",
            pytrace=False,
        )
    lines = subprocess.run(
        [python, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    return {
        reference_env.canonical(n): v.split("+")[0]
        for n, v in (line.split("==") for line in lines)
    }


@pytest.mark.parametrize("reader", sorted(tasks.READER_VENVS))
def test_reader_environments_hold_the_chapters_needs_at_the_locks_versions(reader):
    have, pins = installed_in(tasks.READER_VENVS[reader]), reference_env.pinned()
    assert "ladder" in have
    assert [name for name in MAINTAINER_ONLY if name in have] == []
    tooling = {
        "pip",
        "setuptools",
    }  # what `python -m venv` brings, not what the chapters use
    assert {
        n: v for n, v in have.items() if n in pins and pins[n] != v and n not in tooling
    } == {}


def test_binder_pins_agree_with_the_lock_and_keep_the_index_on_its_own_line():
    lines = [
        line.strip()
        for line in tasks.BINDER_REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    ]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    pins = reference_env.pinned()
    for requirement in tasks.binder_requirements():
        name, _, version = requirement.partition("==")
        assert pins.get(reference_env.canonical(name)) == version, requirement
    assert (ROOT / "binder" / "runtime.txt").read_text(
        encoding="utf-8"
    ).strip() == "python-3.11"
