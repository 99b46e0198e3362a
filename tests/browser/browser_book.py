"""What the browser tests know about the book: where it is built, its pages in reading order, the browser."""
from __future__ import annotations

import os
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
]
THEMES = ("light", "dark")
# URL schemes a page may use without leaving the machine.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def _toc_files() -> list[str]:
    """The documents of the table of contents, in reading order (root first)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in files]


TOC_PAGES = _toc_files()
CHAPTERS = [p for p in TOC_PAGES if p.startswith("notebooks/")]


def repository() -> dict:
    """`repository` from _config.yml: the one place that names the repository."""
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
