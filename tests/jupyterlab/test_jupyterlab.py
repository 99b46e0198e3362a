"""A reader who opens a chapter's reader notebook in a plain JupyterLab sees it as the page reads: no MyST
shown raw, the quoted numbers filled in, the exercises as numbered headings and the solutions after them
all; its stored figures show before anything runs (the PNG: JupyterLab shows no SVG from an untrusted
notebook); and opening it, saving, running all cells and saving again changes nothing git tracks: in a
fresh clone, `git status` stays clean."""

from __future__ import annotations

import json
import os
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAPTERS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "tests"))
from quoted_numbers import QUOTED  # noqa: E402

# A chapter takes 15 to 45 s here: the test command tries one with figures and errors, chapter 4;
# `python3 scripts/tasks.py jupyterlab` (LADDER_JUPYTERLAB=all) tries every chapter.
if os.environ.get("LADDER_JUPYTERLAB") != "all":
    CHAPTERS = [c for c in CHAPTERS if c.startswith("04_")]
# Text that shows a directive of the book that JupyterLab did not render.
RAW_MYST = ("```{", ":label:", ":class:", "{exercise}", "{solution")
NB = "jupyterapp.shell.currentWidget"  # the open notebook's panel
POLL = 100  # ms between checks of a condition; every frame (the default) takes CPU from the Lab
KERNEL_IDLE = f"{NB}.sessionContext.session?.kernel?.status === 'idle'"
MARKDOWN_RENDERED = f"""{NB}.content.widgets.every(c => c.model.type !== 'markdown'
    || c.node.querySelector('.jp-RenderedMarkdown'))"""
ALL_RAN = f"""{KERNEL_IDLE} && {NB}.content.widgets.every(c => c.model.type !== 'code'
    || !c.model.sharedModel.getSource().trim()
    || (c.model.executionCount !== null && !c.promptNode.textContent.includes('*')))"""
SHOWN = """async () => {
    const q = s => [...document.querySelectorAll(s)];
    const imgs = q('.jp-OutputArea-output img[src^="data:image/png"]');
    await Promise.all(imgs.map(i => i.decode().catch(() => null)));
    return {pngs: imgs.filter(i => i.naturalWidth > 0).length,
            outputs: q('.jp-OutputArea-output').map(o => o.textContent),
            markdown: q('.jp-MarkdownCell .jp-RenderedMarkdown').map(m => m.textContent),
            headings: q('.jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3')
                .map(h => h.textContent.replace(/¶$/, '').trim()),
            myst: q('.myst').length};
}"""

pytestmark = pytest.mark.jupyterlab


def differences(before: bytes, after: bytes) -> list[str]:
    """Where two notebooks differ: one line per JSON path, or the first differing bytes."""
    found: list[str] = []

    def walk(x, y, path):
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(x.keys() | y.keys()):
                walk(x.get(k, "<absent>"), y.get(k, "<absent>"), f"{path}.{k}")
        elif isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                found.append(f"{path}: {len(x)} items -> {len(y)}")
            for i, (u, v) in enumerate(zip(x, y, strict=False)):
                walk(u, v, f"{path}[{i}]")
        elif x != y:
            found.append(f"{path}: {json.dumps(x)[:150]} -> {json.dumps(y)[:150]}")

    walk(json.loads(before), json.loads(after), "")
    if not found:  # the same JSON, written differently
        i = len(os.path.commonprefix([before, after]))
        found.append(
            f"same JSON; bytes from {i}: {before[i : i + 60]!r} -> {after[i : i + 60]!r}"
        )
    return found


def save_and_compare(page, path: pathlib.Path, stored: bytes, when: str) -> None:
    """File > Save (docmanager:save); the file must be written, with the stored bytes."""
    written = path.stat().st_mtime_ns
    page.evaluate("jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(f"!{NB}.context.model.dirty", polling=POLL)
    assert path.stat().st_mtime_ns != written, f"{when}: the save wrote nothing"
    saved = path.read_bytes()
    assert saved == stored, f"{when}, the chapter differs:\n" + "\n".join(
        differences(stored, saved)[:40]
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c[:2])
def test_stored_figures_show_and_a_run_changes_nothing(lab, chromium, chapter):
    base, repo, git = lab
    path = repo / "notebooks" / chapter
    stored = path.read_bytes()
    cells = json.loads(stored)["cells"]
    pngs = sum(
        "image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", [])
    )

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(
            f"{base}/lab/tree/notebooks/{chapter}?reset"
        )  # reset: no saved workspace
        page.wait_for_function(
            f"window.jupyterapp && {NB}?.context?.isReady", timeout=90_000, polling=POLL
        )
        page.wait_for_function(KERNEL_IDLE, timeout=90_000, polling=POLL)
        page.wait_for_function(MARKDOWN_RENDERED, timeout=30_000, polling=POLL)
        shown = page.evaluate(SHOWN)
        assert shown["pngs"] == pngs, (
            f"{pngs} PNG figures stored, {shown['pngs']} shown"
        )
        assert not [o for o in shown["outputs"] if "<Figure size" in o], (
            "a figure shows as its text, '<Figure size ...>', in place of an image"
        )
        assert shown["myst"] == 0, (
            "jupyterlab-myst rendered: this is not a plain JupyterLab"
        )
        raw = [
            f"{s!r} in {m[:200]!r}"
            for m in shown["markdown"]
            for s in RAW_MYST
            if s in m
        ]
        assert not raw, "markdown shown unrendered:\n" + "\n".join(raw)
        text = "\n".join(shown["markdown"])
        quoted = [q.split(" = ", 1) for q in QUOTED.get(f"notebooks/{path.stem}", [])]
        assert quoted and all(
            re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", text)
            for _, number in quoted
        )
        assert not [key for key, _ in quoted if key.split(":")[0] in text]
        n, headings = int(chapter[:2]), shown["headings"]
        after = headings[headings.index("Solutions") :]
        exercises = [h for h in headings if re.fullmatch(r"Exercise \d+\.\d+", h)]
        assert exercises and all(h not in after for h in exercises)
        assert [h for h in after if h.startswith("Solution to")] == [
            f"Solution to {h}" for h in exercises
        ]
        assert exercises[0] == f"Exercise {n}.1"

        save_and_compare(page, path, stored, "opened and saved")
        page.evaluate("jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_RAN, timeout=300_000, polling=POLL)
        save_and_compare(page, path, stored, "after Run All Cells and a save")
        page.evaluate(f"{NB}.sessionContext.shutdown()")
    finally:
        page.close()
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert not status, f"git status after the run:\n{status}"
