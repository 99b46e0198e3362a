"""The release command, in a dry run on a scratch clone, and the one version it keeps everywhere."""

import datetime
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import release  # noqa: E402


def test_the_changelogs_newest_release_is_the_packages_version():
    # The install cells' version: tests/test_notebooks.py, with the repository's URL.
    assert release.released_versions(ROOT)[0] == release.current_version(ROOT)


def test_a_commit_on_a_release_tag_is_that_release():
    described = subprocess.run(
        ["git", "tag", "--points-at", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    for tag in (t for t in described if t.startswith("v")):
        assert tag == f"v{release.current_version(ROOT)}"


@pytest.mark.skipif(
    subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse"], capture_output=True
    ).returncode,
    reason="not a git checkout",
)
def test_the_dry_run_sets_the_version_everywhere_and_tags_it():
    old = release.current_version(ROOT)
    major, minor, _ = map(int, old.split("."))
    new, day = f"{major}.{minor + 1}.0", datetime.date(2027, 1, 2)
    clone = release.dry_run(new, day)
    try:
        assert release.current_version(clone) == new
        assert release.released_versions(clone)[:2] == [new, old]
        assert set(release.install_tags(clone).values()) == {new}
        changelog = (clone / "CHANGELOG.md").read_text(encoding="utf-8")
        assert f"## Unreleased\n\n## {new} (2027-01-02)\n\n- Chapter 9" in changelog
        git = lambda *a: release.git(clone, *a).strip()  # noqa: E731
        assert git("describe", "--exact-match", "HEAD") == f"v{new}"
        assert git("log", "-1", "--format=%s") == f"Release {new}"
        assert git("status", "--porcelain") == ""
        with pytest.raises(
            SystemExit, match="no entries under"
        ):  # nothing new to release
            release.release(clone, f"{major}.{minor + 2}.0", day)
        with pytest.raises(SystemExit, match="not a version"):
            release.release(clone, old, day)
    finally:
        release.shutil.rmtree(clone.parent)
