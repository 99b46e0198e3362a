"""The workflows run exactly the actions they name: each one pinned to a full commit SHA (a tag can be
moved to other code), with its release in a comment for the maintainer who updates it."""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", re.M)
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"\s+# v\d+(\.\d+)*\s*$")


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    uses = [(w.name, *m) for w in WORKFLOWS for m in USES.findall(w.read_text())]
    assert len(uses) >= 8, uses  # both workflows were read
    unpinned = [
        f"{name}: uses: {action}{rest}"
        for name, action, rest in uses
        if not (PINNED.fullmatch(action) and VERSION_COMMENT.fullmatch(rest))
    ]
    assert not unpinned, (
        "pin each to `owner/repo@<40-hex SHA> # vX.Y.Z`:\n" + "\n".join(unpinned)
    )


def test_the_weekly_report_runs_on_a_schedule_and_on_demand_and_keeps_its_report():
    text = (ROOT / ".github" / "workflows" / "future.yml").read_text()
    assert re.search(r"^  schedule:\n    - cron: ", text, re.M)
    assert "\n  workflow_dispatch:\n" in text
    assert "python3 scripts/tasks.py future" in text
    assert text.count("path: _build/future") == 2  # both reports kept as artifacts
    # The external links, fetched each week (they need the web, which the test command lacks).
    assert "run: python3 scripts/tasks.py linkcheck\n" in text


def test_the_reader_notebooks_branch_is_published_where_the_buttons_open_it():
    text = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import reader_downloads

    job = text[text.index("\n  publish-reader-notebooks:") :]
    assert "python3 scripts/tasks.py readers --tree _build/reader-branch" in text
    assert f"git init -q -b {reader_downloads.READER_BRANCH}\n" in job
    assert re.search(rf"\.git\" \\\n +{reader_downloads.READER_BRANCH}\n", job)
    assert "contents: write" in job and "needs: test" in job
    # The tag that every chapter's first cell installs the helper package from.
    assert 'tag="v$(python3 -c' in job and '["project"]["version"]' in job
