"""Refreshing the stored outputs is clean: re-executing a committed chapter with scripts/refresh_notebooks.py
reproduces its file byte for byte (no timestamps, no kernel metadata, no changed figure bytes), so a
maintainer's refresh with no code change leaves `git status` clean."""
import importlib.util
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "notebooks" / "01_backprop_basics.ipynb"  # the smallest chapter: a refresh takes ~3 s


def load_refresh_script():
    spec = importlib.util.spec_from_file_location("refresh_notebooks", ROOT / "scripts" / "refresh_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refresh_of_an_unchanged_chapter_changes_no_byte(tmp_path):
    copy = tmp_path / CHAPTER.name
    shutil.copyfile(CHAPTER, copy)
    changed = load_refresh_script().refresh(copy)
    assert copy.read_bytes() == CHAPTER.read_bytes(), (
        f"refreshing {CHAPTER.name} changed it: run scripts/refresh_notebooks.py on it and read the diff")
    assert changed is False
