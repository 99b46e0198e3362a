"""A reader's JupyterLab: Binder's, the `jupyter lab` of .venv-binder (binder/requirements.txt, whose
JupyterLab and kernel are the lock's versions, so it stands for the reference environment too), with
jupyterlab-myst switched off, as in a plain JupyterLab (and as Colab, VS Code and GitHub know no MyST).
It serves a throwaway git repository that holds the reader notebooks, as the reader-notebooks branch
that Binder opens holds them (scripts/reader_notebooks.py), driven by Debian's Chromium through
playwright.

Hermetic: the kernel environment of scripts/tasks.py, with fresh Jupyter config, data and runtime folders
(no user settings, workspace or trust database leaks in) and JUPYTER_PATH at that environment's own
share/jupyter, so that its `python3` kernel, the one the chapters name, is found."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import reader_notebooks  # noqa: E402
import tasks  # noqa: E402

BINDER = tasks.READER_VENVS["binder"]

CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
).split()
# No token, no update check or news fetch; window.jupyterapp, to run its commands as the menus do.
LAB_ARGS = (
    "lab --no-browser --allow-root --ip=127.0.0.1 --IdentityProvider.token= --ServerApp.password= "
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.news_url=None "
    "--LabApp.expose_app_in_browser=True"
).split()
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy
# Git as a fresh clone has it: no user or system configuration, a fixed author.
GIT_ENV = os.environ | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
GIT_ENV |= {
    f"GIT_{who}_{what}": "t"
    for who in ("AUTHOR", "COMMITTER")
    for what in ("NAME", "EMAIL")
}


def git(repo: pathlib.Path, *args: str) -> str:
    run = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """(base URL, repository): a JupyterLab server whose root is a git repo of copies of the chapters."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    repo = tmp / "book"
    (repo / "notebooks").mkdir(parents=True)
    # The repository's .gitignore, so that `git status` there says what it would say here.
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    reader_notebooks.generate(repo / "notebooks")
    (repo / "notebooks" / reader_notebooks.ZIP_NAME).unlink()
    for args in ("init -q", "add -A", "commit -q -m stored"):
        git(repo, *args.split())

    env = tasks.hermetic_env()
    env["JUPYTER_PATH"] = str(BINDER / "share" / "jupyter")
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        env[name] = str(tmp / name.lower())
    # What `jupyter labextension disable jupyterlab-myst` writes: a plain JupyterLab's Markdown.
    labconfig = tmp / "jupyter_config_dir" / "labconfig"
    labconfig.mkdir(parents=True)
    disabled = {"disabledExtensions": {"jupyterlab-myst": True}}
    (labconfig / "page_config.json").write_text(json.dumps(disabled))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp / "jupyterlab.log"
    jupyter = tasks.bin_path(BINDER, "jupyter")
    server = subprocess.Popen(
        [jupyter, *LAB_ARGS, f"--port={port}", f"--ServerApp.root_dir={repo}"],
        env=env,
        cwd=repo,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"jupyter lab did not start; its log:\n{log.read_text()[-3000:]}",
                    pytrace=False,
                )
            try:
                specs = json.load(LOCAL.open(base + "/api/kernelspecs", timeout=2))
                break
            except OSError:
                time.sleep(0.3)
        kernels = (specs["default"], list(specs["kernelspecs"]))
        assert kernels == ("python3", ["python3"]), specs
        yield base, repo, git
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def chromium():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing: no executable at {CHROMIUM} (`apt-get install -y chromium`, or set "
            "$CHROMIUM); `playwright install` is never used.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
