"""Every maintenance command of the book, each defined once here. Standard library only, so it runs
before any environment exists; scripts/build.sh and scripts/test.sh are one-line calls of it.

    python3 scripts/tasks.py setup             the three environments, built only when their pins change
    python3 scripts/tasks.py build             the HTML book, warnings as errors, and its PDF
    python3 scripts/tasks.py test              everything CI checks
    python3 scripts/tasks.py chapter 4         one chapter: its notebook, the unit tests, the HTML build
    python3 scripts/tasks.py nbval [--binder] [4 ...]  strict nbval only, Colab's (or Binder's) env
    python3 scripts/tasks.py refresh [NB ...]  re-execute chapters and store their outputs
    python3 scripts/tasks.py readers [--out DIR | --tree DIR]  the reader notebooks (Colab, JupyterLab)
    python3 scripts/tasks.py lint              ruff, codespell, deptry, actionlint
    python3 scripts/tasks.py lock              both locks: requirements.txt, binder/requirements.txt
    python3 scripts/tasks.py future [--torch-index URL]  the chapters with the newest releases: a report
    python3 scripts/tasks.py linkcheck         every external link of the book, fetched (needs the web)
    python3 scripts/tasks.py benchmark | flake [N] | mutation [N ...] | jupyterlab
    python3 scripts/tasks.py words             each chapter's words: main line, optional parts, exercises
    python3 scripts/tasks.py release X.Y.Z [--dry-run]  version, install cells, CHANGELOG.md, tag

The environments (see CONTRIBUTING.md):
  .venv         the reference environment: exactly requirements.txt (the lock), for refresh, build, tests;
  .venv-colab   a reader's install, as the README says: `pip install .` with the dependencies it declares
                (at the lock's versions) and a kernel, nothing else; as Colab's install cell gives;
  .venv-binder  what Binder installs: binder/requirements.txt (a full lock), then `pip install .`;
  .venv-future  only for `future`: Colab's packages at today's newest releases, unpinned on purpose.
Every package of every environment is pinned, by a lock or by the lock as constraints: a release after
the lock changes nothing (tests/test_environment.py offers one and checks that no environment takes it).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
REFERENCE_PYTHON = (3, 11)
LOCK = ROOT / "requirements.txt"
BINDER_REQUIREMENTS = ROOT / "binder" / "requirements.txt"
# Each lock and the short list of top-level needs that `tasks.py lock` generates it from.
LOCK_INPUTS = {
    LOCK: ROOT / "requirements.in",
    BINDER_REQUIREMENTS: ROOT / "binder" / "requirements.in",
}
# PyTorch's CPU wheels, for Binder: PyPI's Linux torch is the CUDA build, gigabytes a Binder server never
# uses. Written into Binder's lock by `tasks.py lock`; left out here, where that index is unreachable.
TORCH_CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"
# The libraries Colab ships that the chapters use, and a kernel: `future` upgrades them to the newest.
COLAB_PACKAGES = ["torch", "numpy", "matplotlib", "ipykernel"]
VENV = ROOT / ".venv"
READER_VENVS = {"colab": ROOT / ".venv-colab", "binder": ROOT / ".venv-binder"}
FUTURE_VENV = (
    ROOT / ".venv-future"
)  # the newest releases, for `future`'s report; no test uses it
CACHE = (
    ROOT / ".cache"
)  # matplotlib's font cache and empty config folders for the hermetic runs
# Written when the resolver test passes: the set-up definition it passed with.
RESOLVER_STAMP = CACHE / "resolver-tests-passed"
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# What `pip install .` reads, copied here so that installing it leaves no build/ folder in the checkout.
PACKAGE_COPY = CACHE / "package" / "ladder"


def log(message: str) -> None:
    print(f"tasks: {message}", flush=True)


def bin_path(venv: pathlib.Path, name: str) -> str:
    return str(venv / ("Scripts" if os.name == "nt" else "bin") / name)


_step = threading.local()  # a step run by in_parallel collects its output here


def run(
    *args: str | pathlib.Path, env: dict | None = None, cwd: pathlib.Path = ROOT
) -> None:
    command = [str(a) for a in args]
    output = getattr(_step, "output", None)
    if output is None:
        subprocess.run(command, check=True, env=env, cwd=cwd)
        return
    done = subprocess.run(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output.append(done.stdout)
    done.check_returncode()


def in_parallel(*steps) -> None:
    """Run the steps at once, and print each one's output whole when all are done. One step alone
    leaves one of the two cores idle much of the time (a kernel waiting, a browser painting)."""

    def call(step):
        _step.output = []
        start = time.monotonic()
        try:
            step()
            error = None
        except subprocess.CalledProcessError as failed:
            error = failed
        # Which lane is the long one: where to move work when the command grows slow.
        took = f"tasks: {step.__name__.replace('_', ' ')}: {time.monotonic() - start:.0f} s\n"
        return error, "".join(_step.output) + took

    with concurrent.futures.ThreadPoolExecutor(len(steps)) as pool:
        results = list(pool.map(call, steps))
    for _, output in results:
        print(output, end="", flush=True)
    for error, _ in results:
        if error is not None:
            raise error


def digest(*paths: pathlib.Path, extra: str = "") -> str:
    """A stamp of files' bytes (and of `extra`), to rebuild an environment only when its inputs change."""
    h = hashlib.sha256(extra.encode())
    for path in paths:
        files = (
            sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts
            )
            if path.is_dir()
            else [path]
        )
        for file in files:
            h.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    return h.hexdigest()


# --- Hermetic runs -------------------------------------------------------------------------------------

# Passed through from the caller: where programs are, and how pip and the browser are reached.
PASSED_THROUGH = (
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "TMPDIR",
    "TEMP",
    "TMP",
    "SYSTEMROOT",
    "CHROMIUM",
    "CI",
    "LADDER_JUPYTERLAB",  # which chapters the JupyterLab test opens
    # Which CPU kernels torch runs (default, avx2, avx512): another CPU's, on this one. The test
    # command sets `default` for strict nbval; the refresh runs the machine's own.
    "ATEN_CPU_CAPABILITY",
)


def hermetic_env(threads: int = 1, **extra: str) -> dict[str, str]:
    """The environment of every kernel, test and build run: nothing of the caller's that could change
    an output (MPLBACKEND, a matplotlibrc, an IPython profile or startup file, Jupyter config, locale,
    time zone, hash seed, thread count) gets through."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k in PASSED_THROUGH or k.startswith("PIP_")
    }
    folders = {
        name: CACHE / name
        for name in (
            "matplotlib",
            "ipython",
            "jupyter-config",
            "jupyter-data",
            "jupyter-runtime",
        )
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env.update(
        PATH=os.pathsep.join([bin_path(VENV, ""), env.get("PATH", "")]),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        MPLCONFIGDIR=str(folders["matplotlib"]),
        IPYTHONDIR=str(folders["ipython"]),
        JUPYTER_CONFIG_DIR=str(folders["jupyter-config"]),
        JUPYTER_DATA_DIR=str(folders["jupyter-data"]),
        JUPYTER_RUNTIME_DIR=str(folders["jupyter-runtime"]),
        JUPYTER_PATH=str(CACHE / "kernels"),  # only the kernels defined below
        JUPYTER_PLATFORM_DIRS="1",
        LC_ALL="C.UTF-8",
        LANG="C.UTF-8",
        TZ="UTC",
        PYTHONHASHSEED="0",
        PYTHONNOUSERSITE="1",
        PYTHONDONTWRITEBYTECODE="1",
        OMP_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
        **extra,
    )
    return env


def write_kernelspecs(kernels: dict[str, pathlib.Path] | None = None) -> None:
    """One kernel per environment, found through JUPYTER_PATH: `reference`, `colab`, `binder`."""
    for name, venv in (kernels or {"reference": VENV, **READER_VENVS}).items():
        folder = CACHE / "kernels" / "kernels" / name
        folder.mkdir(parents=True, exist_ok=True)
        spec = {
            "argv": [
                bin_path(venv, "python"),
                "-m",
                "ipykernel_launcher",
                "-f",
                "{connection_file}",
            ],
            "display_name": f"Python 3 ({name})",
            "language": "python",
        }
        (folder / "kernel.json").write_text(
            json.dumps(spec, indent=1) + "\n", encoding="utf-8"
        )


# --- Set-up ----------------------------------------------------------------------------------------------


def check_reference_python() -> None:
    if sys.version_info[:2] != REFERENCE_PYTHON:
        want = ".".join(map(str, REFERENCE_PYTHON))
        sys.exit(
            f"tasks: the reference environment needs Python {want} (the lock is resolved for it), but "
            f"this is Python {sys.version.split()[0]} at {sys.executable}. Run it as python{want} "
            f"scripts/tasks.py ..., or set PYTHON=/path/to/python{want} for the shell scripts. Readers "
            "on another Python: see the README's 'Run the chapters yourself'."
        )


def make_venv(venv: pathlib.Path, stamp_value: str, install: list[list[str]]) -> bool:
    """(Re)build `venv` with the pip commands in `install`, unless its stamp says it is current."""
    stamp = venv / ".ladder-stamp"
    if stamp.is_file() and stamp.read_text() == stamp_value:
        return False
    log(f"building {venv.name} (a few minutes the first time)")
    if venv.exists():
        shutil.rmtree(venv)
    run(sys.executable, "-m", "venv", venv)
    for args in install:
        pip_install(venv, *args)
    stamp.write_text(stamp_value)
    return True


def pip_install(venv: pathlib.Path, *args: str | pathlib.Path) -> None:
    python = bin_path(venv, "python")
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args)


def copy_package() -> pathlib.Path:
    """The package's source and pyproject.toml, fresh in PACKAGE_COPY, for `pip install` to read."""
    if PACKAGE_COPY.exists():
        shutil.rmtree(PACKAGE_COPY)
    shutil.copytree(
        ROOT / "src",
        PACKAGE_COPY / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    shutil.copy(ROOT / "pyproject.toml", PACKAGE_COPY)
    return PACKAGE_COPY


def install_package_copy(venv: pathlib.Path) -> None:
    """`pip install --no-deps .` into an environment that holds its dependencies already, again only
    when the package's source changed."""
    stamp = venv / ".ladder-package-stamp"
    value = digest(ROOT / "pyproject.toml", ROOT / "src")
    if stamp.is_file() and stamp.read_text() == value:
        return
    pip_install(venv, "--no-deps", "--force-reinstall", copy_package())
    stamp.write_text(value)


def pins_of(lock: pathlib.Path) -> list[str]:
    """A lock's `name==version` lines: what pip installs, without comments or index options."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if re.match(r"^[A-Za-z0-9][^ ]*==", line)]


def environment_installs() -> dict[pathlib.Path, list[list[str]]]:
    """Each environment and the pip commands that build it, in order: set-up runs them, and
    tests/test_environment.py shows that none takes a newer release: the reader's install by letting
    pip resolve it against one, the others by being exact pins with --no-deps."""
    return {
        VENV: [["--no-deps", "-r", str(LOCK)], ["--no-deps", "-e", str(ROOT)]],
        # A reader's install: the package with the dependencies it declares (so one dropped from
        # pyproject.toml is missing here, as for a reader), and a kernel; the lock's versions.
        READER_VENVS["colab"]: [["-c", str(LOCK), "ipykernel", str(PACKAGE_COPY)]],
        # Binder's lock, without its index line (this machine finds torch==2.13.0 on disk).
        READER_VENVS["binder"]: [["--no-deps", *pins_of(BINDER_REQUIREMENTS)]],
    }


def setup(readers: bool = True) -> None:
    check_reference_python()
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / "setup.lock", "w") as lock_file:
        if (
            os.name == "posix"
        ):  # two commands at once (a maintainer's and an editor's) build in turn
            import fcntl

            fcntl.flock(lock_file, fcntl.LOCK_EX)
        _setup(readers)


def _setup(readers: bool) -> None:
    interpreter = (
        f"{sys.base_prefix} {sys.version}"  # which Python built it, not only the lock
    )
    installs = environment_installs()
    inputs = {
        VENV: LOCK,
        READER_VENVS["colab"]: LOCK,
        READER_VENVS["binder"]: BINDER_REQUIREMENTS,
    }
    # The reader's install also depends on the dependencies the package declares (not on the rest of
    # pyproject.toml, where the tools' settings live).
    with open(ROOT / "pyproject.toml", "rb") as file:
        declared = {
            READER_VENVS["colab"]: repr(tomllib.load(file)["project"]["dependencies"])
        }
    copy_package()
    for venv in [VENV, *(READER_VENVS.values() if readers else [])]:
        extra = interpreter + repr(installs[venv]) + declared.get(venv, "")
        make_venv(venv, digest(inputs[venv], extra=extra), installs[venv])
    if readers:
        for venv in READER_VENVS.values():
            install_package_copy(venv)
    write_kernelspecs()


def lock() -> None:
    """Regenerate both locks with pip-tools, Binder's constrained by the main one (its input says
    `-c ../requirements.txt`), so that the versions agree. Where pip finds torch as a local `+cpu`
    build, the pin is written without that label: `torch==2.13.0` matches PyPI's wheel and PyTorch's
    CPU wheel alike."""
    for output, source in LOCK_INPUTS.items():
        run(
            bin_path(VENV, "python"),
            "-m",
            "piptools",
            "compile",
            "--quiet",
            "--allow-unsafe",
            "--strip-extras",
            "--no-emit-index-url",
            "--no-emit-find-links",
            "--output-file",
            output.relative_to(ROOT),
            source.relative_to(ROOT),
            env={
                **os.environ,
                "CUSTOM_COMPILE_COMMAND": "python3 scripts/tasks.py lock",
            },
        )
        lines = [
            line.split("+")[0] if line.startswith("torch==") else line
            for line in output.read_text(encoding="utf-8").splitlines()
        ]
        if output == BINDER_REQUIREMENTS:
            first_pin = next(i for i, line in enumerate(lines) if "==" in line)
            lines[first_pin:first_pin] = [TORCH_CPU_INDEX]
        output.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- The commands ------------------------------------------------------------------------------------------


def python(*args: str | pathlib.Path, threads: int = 1, **extra: str) -> None:
    """Run the reference environment's Python, hermetically (with `extra` variables set)."""
    run(bin_path(VENV, "python"), *args, env=hermetic_env(threads, **extra))


PDF_NAME = "backprop-to-nn-linear.pdf"  # beside index.html; the landing page links it


def build(out: str | None = None, pdf: bool = True) -> None:
    """The HTML book in _build/html (or OUT/_build/html), any warning an error, and in it the whole
    book as one PDF: the one-page build (Sphinx's singlehtml), printed by Chromium."""
    where = pathlib.Path(out) if out else ROOT
    # --all: every page re-read, so each warning is reported on every run, not only for changed pages.
    book = [
        bin_path(VENV, "jupyter-book"),
        "build",
        ".",
        "--all",
        "-W",
        "-n",
        "--keep-going",
    ]
    run(*book, "--quiet", *(["--path-output", out] if out else []), env=hermetic_env())
    html = where / "_build" / "html"
    if not pdf:
        log(f"the book is built: open {html / 'index.html'}")
        return
    ensure_chromium()
    one_page = where / "_build" / "one-page"
    run(
        *book,
        "--quiet",
        "--builder",
        "singlehtml",
        "--path-output",
        one_page,
        env=hermetic_env(),
    )
    python(
        ROOT / "scripts" / "whole_book_pdf.py",
        one_page / "_build" / "singlehtml" / "book" / "intro.html",
        html / PDF_NAME,
        CHROMIUM=str(CHROMIUM),
    )
    log(f"the book is built: open {html / 'index.html'} (the PDF: {html / PDF_NAME})")


def linkcheck() -> None:
    """Every external link of the book's pages, fetched: Sphinx's linkcheck builder. It needs the web, so
    the weekly workflow runs it (the links inside the book are checked by the test command)."""
    out = ROOT / "_build" / "linkcheck"
    book = [bin_path(VENV, "jupyter-book"), "build", ".", "--builder", "linkcheck"]
    try:
        run(*book, "--path-output", str(out), env=hermetic_env())
    finally:
        report = out / "_build" / "html" / "output.txt"  # jupyter-book writes it there
        if report.exists():
            log(
                f"links that failed or moved ({report}):\n{report.read_text(encoding='utf-8')}"
            )


def lint() -> None:
    python("-m", "ruff", "check", ".")
    python("-m", "ruff", "format", "--check", ".")
    run(bin_path(VENV, "codespell"), env=hermetic_env())  # configured in pyproject.toml
    # What a reader's `pip install .` brings must cover every import of the package and the chapters.
    # deptry skips (with a mere warning) a notebook whose cells hold IPython magics, so it reads the
    # chapters as the scripts nbconvert makes of them.
    with tempfile.TemporaryDirectory(prefix="ladder-deptry-") as tmp:
        run(
            bin_path(VENV, "jupyter"),
            "nbconvert",
            "--log-level",
            "WARN",
            "--to",
            "script",
            "--output-dir",
            tmp,
            *chapters(),
            env=hermetic_env(),
        )
        run(bin_path(VENV, "deptry"), "src", tmp, env=hermetic_env())
    # The workflows named, so that it also runs where there is no .git (a copy, an archive).
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    run(bin_path(VENV, "actionlint"), *workflows, env=hermetic_env())


def chapters(selected: list[str] | None = None) -> list[pathlib.Path]:
    everything = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not selected:
        return everything
    picked = [
        p
        for p in everything
        if any(
            p.name.startswith(s.zfill(2)) or p.name == pathlib.Path(s).name
            for s in selected
        )
    ]
    if not picked:
        sys.exit(f"tasks: no chapter matches {selected}")
    return picked


def nbval(
    reader: str,
    notebooks: list[pathlib.Path],
    threads: int = 1,
    workers: int = 2,
    tests: list[str] | None = None,
    cpu_kernels: str | None = None,
) -> None:
    """Strict nbval in a reader environment, on copies of the chapters outside the repository;
    with `tests` (pytest's arguments), in one pytest run with those tests, which saves a start-up;
    with `cpu_kernels` (default, avx2, avx512), torch runs those kernels, as on another CPU."""
    with tempfile.TemporaryDirectory(prefix=f"ladder-{reader}-") as tmp:
        for nb in notebooks:
            shutil.copy(nb, tmp)
        xdist = ["-n", str(min(workers, len(notebooks))), "--dist", "loadfile"]
        xdist = xdist if workers > 1 and len(notebooks) > 1 else []
        log(
            f"strict nbval: {len(notebooks)} chapter(s) in .venv-{reader}, copied to {tmp}"
        )
        # Alone, the repository's pytest configuration does not apply to the copies either.
        alone = ["-p", "no:cacheprovider", "--rootdir", tmp, "-c", os.devnull]
        pytest(
            "--nbval",
            "--nbval-kernel-name",
            reader,
            *xdist,
            *(alone if tests is None else tests),
            tmp,
            threads=threads,
            **({"ATEN_CPU_CAPABILITY": cpu_kernels} if cpu_kernels else {}),
        )


def pytest(*args: str, threads: int = 1, **extra: str) -> None:
    python("-m", "pytest", "-q", *args, threads=threads, **extra)


def ensure_chromium() -> None:
    if (
        not CHROMIUM.is_file()
        and "CHROMIUM" not in os.environ
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and shutil.which("apt-get")
    ):
        log("installing Debian's chromium for the browser tests")
        run("apt-get", "update", "-qq")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    if not CHROMIUM.is_file():
        sys.exit(
            f"tasks: Chromium is missing (no executable {CHROMIUM}); the PDF and the browser tests "
            "need it. Install Debian's chromium (as root: apt-get install -y chromium), or set "
            "CHROMIUM=/path/to/chromium."
        )


def browser_tests(select: str = "", share: str = "all") -> None:
    """The browser tests (those whose names match `select`, a pytest -k expression), with
    Playwright's tracing off, as it makes them a third slower; when some fail, the failures run again
    with tracing on, which keeps their traces in _build/test-results. `share` names the run's own
    cache of which tests failed, so that two runs at once keep theirs apart."""
    cache = ROOT / "_build" / f"browser-test-cache-{share}"
    again = [
        "-m",
        "browser",
        "-o",
        f"cache_dir={cache}",
        *(["-k", select] if select else []),
    ]
    try:
        pytest(*again, "tests/browser")
    except subprocess.CalledProcessError:
        log(
            "tests failed: running the failures again with tracing on, for their traces"
        )
        tracing = ["--lf", "--tracing", "retain-on-failure"]
        with contextlib.suppress(subprocess.CalledProcessError):
            pytest(*again, *tracing, "tests/browser")
        raise


def resolver_tests() -> None:
    """tests/test_environment.py's resolver test: pip resolves the reader's install (`pip install .`,
    the one install where pip chooses versions) against a newer release, ten seconds. What it shows
    depends only on the set-up's definition (the main lock, the declared dependencies, the install
    commands in this file, the test itself, the Python), so it runs again only when one of those
    changed since it last passed: always on a fresh clone, as in CI."""
    tested = [LOCK, ROOT / "pyproject.toml", pathlib.Path(__file__)]
    value = digest(*tested, ROOT / "tests" / "test_environment.py", extra=sys.version)
    if RESOLVER_STAMP.is_file() and RESOLVER_STAMP.read_text() == value:
        log(
            "resolver tests: passed before with this set-up's definition, unchanged since"
        )
        return
    pytest("-m", "resolver", "tests/test_environment.py")
    RESOLVER_STAMP.write_text(value)


def test() -> None:
    ensure_chromium()  # first: a missing browser is said at once, not after the long steps
    setup()
    # Four lanes side by side. Each of them waits much of the time (on a kernel, a browser painting,
    # the package index), so that they keep the two cores busier than fewer did:
    # - the build, then the browser tests;
    # - lint, then strict nbval on copies of every chapter, on torch's portable kernels (as on a CPU
    #   without AVX2), while refresh stored the outputs with this machine's: two kernel sets checked
    #   for the price of one run; then the last chapter's browser tests;
    # - the environments against their definitions first (a stale one is then one clear message, not
    #   many failing cells), the unit tests and the JupyterLab test, then the last pages' browser tests;
    # - pip resolving the reader's install against a newer release, then the PDF's browser tests.
    unit_tests = sorted(
        p.relative_to(ROOT).as_posix() for p in ROOT.glob("tests/test_*.py")
    )
    unit_tests.remove("tests/test_environment.py")

    # The browser tests in four shares, one after each of the other lanes' work, as the lanes' times
    # printed at the end balance them: chapters 6 to 8's pages in the third lane, chapter 9's in the
    # second, the PDF's tests (reading its text is seconds of pure Python) after the resolver test,
    # the rest (the other pages, the built pages' tests) in the first.
    late = " or ".join(c.stem for c in chapters()[5:8])
    last = " or ".join(c.stem for c in chapters()[8:])
    pdf = "test_whole_book_pdf"

    built = threading.Event()

    def build_and_browser():
        try:
            build()
        finally:
            built.set()
        browser_tests(f"not ({late} or {last} or {pdf})", share="early")

    def lint_chapters_and_last_browser_tests():
        lint()
        nbval("colab", chapters(), workers=1, cpu_kernels="default")
        built.wait()
        browser_tests(last, share="last")

    def unit_and_late_browser_tests():
        pytest("-m", "not resolver", "tests/test_environment.py")
        marks = "not resolver and not browser"  # the JupyterLab test included
        pytest("-m", marks, *unit_tests, "tests/jupyterlab")
        built.wait()
        browser_tests(late, share="late")

    def resolver_and_pdf_tests():
        resolver_tests()
        built.wait()
        browser_tests(pdf, share="pdf")

    in_parallel(
        build_and_browser,
        lint_chapters_and_last_browser_tests,
        unit_and_late_browser_tests,
        resolver_and_pdf_tests,
    )
    log(
        f"screenshots of every chapter's first screen: {ROOT / '_build' / 'screenshots'}"
    )


def chapter(selected: list[str]) -> None:
    """What a maintainer who changed one chapter runs: its notebook, the unit tests, the HTML build."""
    setup()
    # Without the resolver test, which asks pip to resolve an install, and the PDF (the test command has
    # both). Two unit-test files that start fresh Pythons go after the build, the shorter lane.
    marks = ["-m", "not resolver and not browser and not jupyterlab"]
    fresh_pythons = ["tests/test_environment.py", "tests/test_copied_loop.py"]
    tests = [*marks, *(f"--ignore={f}" for f in fresh_pythons), "tests"]

    def the_chapters_and_unit_tests():
        nbval("colab", chapters(selected), tests=tests)

    def build_and_fresh_python_tests():
        build(pdf=False)
        pytest(*marks, *fresh_pythons)

    in_parallel(the_chapters_and_unit_tests, build_and_fresh_python_tests)


def future(args: list[str]) -> None:
    """What Colab will print next: a Colab-like environment of today's newest releases (rebuilt once a
    day), every chapter run in it, and a report of each printed line or figure that differs from the
    stored outputs, _build/future/report.md. It exits 0 whatever differs; no test depends on it.
    `--torch-index URL` adds an index for torch (PyTorch's CPU one, where it can be reached)."""
    setup(readers=False)
    index = args[args.index("--torch-index") + 1] if "--torch-index" in args else None
    extra = ["--extra-index-url", index] if index else []
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    make_venv(FUTURE_VENV, f"{today} {extra}", [["--upgrade", *extra, *COLAB_PACKAGES]])
    install_package_copy(FUTURE_VENV)
    write_kernelspecs({"future": FUTURE_VENV})
    label = "the newest releases on PyPI" + (f" and {index}" if index else "")
    python(
        ROOT / "scripts" / "future_report.py", "--kernel", "future", "--label", label
    )


def refresh(paths: list[str]) -> None:
    setup(readers=False)
    python(ROOT / "scripts" / "refresh_notebooks.py", *paths)


COMMANDS = {
    "setup": lambda args: setup(),
    "build": lambda args: (
        setup(readers=False),
        build(args[1] if args[:1] == ["--out"] else None),
    ),
    "nbval": lambda args: (
        setup(),
        nbval(
            "binder" if "--binder" in args else "colab",
            chapters([a for a in args if a != "--binder"]),
        ),
    ),
    "test": lambda args: test(),
    "chapter": chapter,
    "refresh": refresh,
    "readers": lambda args: (
        setup(readers=False),
        python(ROOT / "scripts" / "reader_notebooks.py", *args),
    ),
    "future": future,
    "lint": lambda args: (setup(readers=False), lint()),
    "linkcheck": lambda args: (setup(readers=False), linkcheck()),
    "lock": lambda args: (setup(readers=False), lock()),
    "release": lambda args: python(ROOT / "scripts" / "release.py", *args),
    "benchmark": lambda args: python(ROOT / "scripts" / "benchmark.py", *args),
    "flake": lambda args: python(ROOT / "scripts" / "flake_check.py", *args),
    "mutation": lambda args: python(ROOT / "scripts" / "mutation_check.py", *args),
    "words": lambda args: run(sys.executable, ROOT / "scripts" / "chapter_words.py"),
    "jupyterlab": lambda args: (
        setup(readers=False),
        os.environ.update(LADDER_JUPYTERLAB="all"),
        pytest("-m", "jupyterlab", "tests/jupyterlab", *args),
    ),
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    try:
        COMMANDS[argv[0]](argv[1:])
    except subprocess.CalledProcessError as error:
        print(
            f"tasks: {argv[0]} failed: {' '.join(map(str, error.cmd))} exited with {error.returncode}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
