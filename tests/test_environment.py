"""The environments against their definitions. The test command runs this file first: a stale
environment is then one message saying what differs and how to fix it, not chapters failing a cell at a
time."""

import json
import pathlib
import re
import subprocess
import sys
import zipfile

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


def test_binder_lock_agrees_with_the_main_lock_and_keeps_the_index_on_its_own_line():
    lines = tasks.BINDER_REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    assert tasks.TORCH_CPU_INDEX in lines
    pins = reference_env.pinned()
    binder = reference_env.pinned(tasks.BINDER_REQUIREMENTS)
    assert len(binder) > 50, "not a full lock"
    assert {n: v for n, v in binder.items() if pins.get(n) != v} == {}
    assert (ROOT / "binder" / "runtime.txt").read_text(
        encoding="utf-8"
    ).strip() == "python-3.11"


@pytest.mark.parametrize("venv", [tasks.VENV, *tasks.READER_VENVS.values()], ids=str)
def test_every_environment_is_complete(venv):
    # Binder's is installed from its lock with --no-deps: pip check finds any package it lacks.
    done = subprocess.run(
        [tasks.bin_path(venv, "python"), "-m", "pip", "check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_binder_environment_is_exactly_its_lock():
    have = installed_in(tasks.READER_VENVS["binder"])
    want = reference_env.pinned(tasks.BINDER_REQUIREMENTS)
    extra = set(have) - set(want) - {"ladder", "pip", "setuptools"}
    assert extra == set()
    assert {n: have.get(n) for n, v in want.items() if have.get(n) != v} == {}


def fake_wheel(folder: pathlib.Path, name: str, version: str) -> pathlib.Path:
    """A wheel of `name` at `version`, built on the spot: a release the lock has never seen."""
    dist = f"{name}-{version}.dist-info"
    files = {
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
        f"{name}/__init__.py": "",
    }
    files[f"{dist}/RECORD"] = "".join(f"{f},,\n" for f in [*files, f"{dist}/RECORD"])
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for file, text in files.items():
            wheel.writestr(file, text)
    return path


# A dependency of a dependency in every environment (ipykernel -> jupyter-core -> platformdirs).
TRANSITIVE = "platformdirs"


# The only environment whose install lets pip choose versions: the reader's `pip install .`.
RESOLVED = tasks.READER_VENVS["colab"]
EXACT_PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[^=*<>!~ ]+$")


def requirements(args: list[str]) -> list[str]:
    """What one pip install names: its arguments and the lines of its `-r` files, less options."""
    named, files = [], [args[i + 1] for i, a in enumerate(args) if a == "-r"]
    for file in files:
        lines = pathlib.Path(file).read_text(encoding="utf-8").splitlines()
        named += [line.split("#")[0].strip() for line in lines]
    rest = [a for i, a in enumerate(args) if a != "-r" and args[i - 1 : i] != ["-r"]]
    return [r for r in named + rest if r and not r.startswith("-")]


def test_every_other_install_is_exact_pins_without_dependencies():
    # Then no newer release can come in, and pip's resolver need not show it (which takes seconds).
    for venv, installs in tasks.environment_installs().items():
        for args in installs:
            if venv == RESOLVED:
                continue
            assert "--no-deps" in args, (
                f"{venv}: an install lets pip choose dependencies"
            )
            named = [r for r in requirements(args) if r != str(tasks.ROOT)]
            assert named or "-e" in args, f"{venv}: an install names nothing"
            loose = [r for r in named if not EXACT_PIN.match(r)]
            assert loose == [], f"{venv}: not pinned exactly"


@pytest.mark.resolver
def test_a_newer_release_of_a_transitive_package_is_not_taken_by_a_readers_install(
    tmp_path,
):
    venv = RESOLVED
    fake_wheel(tmp_path, TRANSITIVE, "99.0.0")
    taken = {}
    for args in tasks.environment_installs()[venv]:
        if "-e" in args:
            continue  # the book's own package, from this checkout
        report = tmp_path / "report.json"
        subprocess.run(
            [tasks.bin_path(venv, "python"), "-m", "pip", "install", "--quiet"]
            + ["--dry-run", "--ignore-installed", "--report", str(report)]
            # The package's metadata from the set-up's own setuptools: an isolated build
            # environment costs seconds and chooses none of the versions installed.
            + ["--no-build-isolation"]
            + ["--find-links", str(tmp_path), *args],
            check=True,
            capture_output=True,
        )
        for item in json.loads(report.read_text())["install"]:
            meta = item["metadata"]
            taken[reference_env.canonical(meta["name"])] = meta["version"]
    assert taken[TRANSITIVE] == reference_env.pinned()[TRANSITIVE]


def capability_in_a_reader_kernel(env: dict[str, str]) -> str:
    python = tasks.bin_path(tasks.READER_VENVS["colab"], "python")
    code = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    return subprocess.run(
        [str(python), "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_portable_cpu_kernels_the_test_command_asks_for_are_the_ones_torch_runs(
    monkeypatch,
):
    # As the test command's strict nbval asks for them, and as a maintainer sets them by hand.
    monkeypatch.delenv("ATEN_CPU_CAPABILITY", raising=False)
    asked = tasks.hermetic_env(ATEN_CPU_CAPABILITY="default")
    assert capability_in_a_reader_kernel(asked) == "DEFAULT"
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    assert capability_in_a_reader_kernel(tasks.hermetic_env()) == "DEFAULT"


def test_a_readers_install_cannot_keep_numpy_1():
    """Under NumPy 1 chapter 3 prints other numbers (book/reproducibility.md), so a reader's
    `pip install .` must upgrade a NumPy 1 it finds, as on an old Colab image."""
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {r.name: r.specifier for r in map(Requirement, project["dependencies"])}
    assert not declared["numpy"].contains("1.26.4"), declared["numpy"]
    assert declared["numpy"].contains("2.0.0"), declared["numpy"]
