"""A refresh of an unchanged chapter changes no byte, so a maintainer's refresh leaves `git status` clean:
no timestamps, no changed figure bytes, metadata as a kernel fills it in."""

import json
import os
import pathlib
import platform
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import refresh_notebooks  # noqa: E402
import tasks  # noqa: E402

CHAPTER = (
    ROOT / "notebooks" / "02_backprop_basics.ipynb"
)  # small: its refresh takes about 3 s


def test_refresh_of_an_unchanged_chapter_changes_no_byte(tmp_path, monkeypatch):
    for name in list(
        os.environ
    ):  # the kernel gets the hermetic environment, as in a real refresh
        monkeypatch.delenv(name)
    for name, value in tasks.hermetic_env().items():
        monkeypatch.setenv(name, value)
    tasks.write_kernelspecs()
    copy = tmp_path / CHAPTER.name
    shutil.copyfile(CHAPTER, copy)
    changed = refresh_notebooks.refresh(copy)
    stored, refreshed = (
        json.loads(p.read_text(encoding="utf-8")) for p in (CHAPTER, copy)
    )
    if stored["metadata"]["language_info"]["version"] != platform.python_version():
        # Another 3.11 patch release (CI's runner, say) reports itself in language_info; nothing else
        # may change.
        refreshed["metadata"]["language_info"]["version"] = platform.python_version()
        stored["metadata"]["language_info"]["version"] = platform.python_version()
        assert refreshed == stored
        return
    assert copy.read_text(encoding="utf-8") == CHAPTER.read_text(encoding="utf-8"), (
        f"refreshing {CHAPTER.name} changed it: refresh it with scripts/tasks.py and read the diff"
    )
    assert changed is False
