"""A release of the book: one version for the helper package, the chapters' install cells and the
changelog, and a tag that names it.

    python3 scripts/tasks.py release 0.3.0            on a clean main: the commit "Release 0.3.0", tag v0.3.0
    python3 scripts/tasks.py release 0.3.0 --dry-run  the same in a scratch copy of HEAD, which is removed

It moves CHANGELOG.md's "## Unreleased" entries under "## 0.3.0 (YYYY-MM-DD)", sets pyproject.toml's
version and the `@v...` of every chapter's first cell, commits and tags. `git push --follow-tags` then
publishes: the workflow tags a new version once, and the Colab cell installs the package from that tag.
tests/test_release.py runs the dry run and keeps the three versions equal.
"""

import datetime
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
VERSION = re.compile(r"\d+\.\d+\.\d+")
UNRELEASED = "## Unreleased\n"
# In the notebook's JSON, where the cell's quotes are escaped.
INSTALL_TAG = re.compile(r'(BOOK = \\"git\+[^"@\\]+@v)(\d+\.\d+\.\d+)(\\")')


def current_version(root: pathlib.Path) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]["version"]


def released_versions(root: pathlib.Path) -> list[str]:
    """The versions CHANGELOG.md records, newest first."""
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)$", text, flags=re.M)


def install_tags(root: pathlib.Path) -> dict[str, str]:
    """Each chapter's install cell: the version it installs."""
    found = {}
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        tags = {m[2] for m in INSTALL_TAG.finditer(nb.read_text(encoding="utf-8"))}
        found[nb.name] = ", ".join(sorted(tags)) or "none"
    return found


def git(root: pathlib.Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def release(root: pathlib.Path, version: str, today: datetime.date) -> None:
    old = current_version(root)
    key = lambda v: tuple(map(int, v.split(".")))  # noqa: E731
    if not VERSION.fullmatch(version) or key(version) <= key(old):
        sys.exit(f"release: {version!r} is not a version X.Y.Z after {old}")
    if git(root, "status", "--porcelain", "--untracked-files=no"):
        sys.exit("release: commit or drop the changes first")
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    head, found, rest = text.partition(UNRELEASED)
    entries, _, older = rest.partition("\n## ")
    if not found or not entries.strip():
        sys.exit(
            "release: CHANGELOG.md has no entries under '## Unreleased' to release"
        )
    changelog.write_text(
        f"{head}{UNRELEASED}\n## {version} ({today.isoformat()})\n\n{entries.strip()}\n"
        + (f"\n## {older}" if older else ""),
        encoding="utf-8",
    )
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            f'version = "{old}"', f'version = "{version}"', 1
        ),
        encoding="utf-8",
    )
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        text = nb.read_text(encoding="utf-8")
        nb.write_text(INSTALL_TAG.sub(rf"\g<1>{version}\g<3>", text), encoding="utf-8")
    git(root, "commit", "-qam", f"Release {version}")
    git(root, "tag", "-a", f"v{version}", "-m", f"Release {version}")


def dry_run(version: str, today: datetime.date) -> pathlib.Path:
    """The release in a scratch clone of HEAD; returns the clone (the caller removes it)."""
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="ladder-release-"))
    git(ROOT, "clone", "-q", "--no-hardlinks", str(ROOT), str(scratch / "book"))
    clone = scratch / "book"
    try:
        git(clone, "config", "user.name", "release dry run")
        git(clone, "config", "user.email", "dry-run@example.invalid")
        release(clone, version, today)
    except BaseException:
        shutil.rmtree(scratch)
        raise
    return clone


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        sys.exit("usage: tasks.py release X.Y.Z [--dry-run]")
    version, today = argv[0], datetime.date.today()
    if "--dry-run" in argv:
        clone = dry_run(version, today)
        print(git(clone, "show", "--stat", "--format=%s%n%(describe)", "HEAD"), end="")
        shutil.rmtree(clone.parent)
        print(f"release: dry run of {version} passed; nothing here changed")
    else:
        release(ROOT, version, today)
        print(
            f"release: committed and tagged v{version}; publish: git push --follow-tags"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
