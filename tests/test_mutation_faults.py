"""Every fault of the mutation check (scripts/mutation_check.py) still applies to the tree as it
is: a rewording that made one stale fails here, not when a maintainer next runs the check."""

import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scripts"))
import mutation_check  # noqa: E402


def test_every_fault_of_the_mutation_check_applies(capsys):
    assert mutation_check.main(["--list"]) == 0, capsys.readouterr().out


def test_a_fault_whose_text_was_reworded_is_stale(tmp_path):
    (tmp_path / "page.md").write_text("The reworded sentence.\n", encoding="utf-8")
    fault = (
        "a sentence",
        "page.md",
        mutation_check.sub(r"^The old sentence\.", "X"),
        [],
    )
    with pytest.raises(LookupError, match="matches 0 times"):
        mutation_check.apply(tmp_path, fault)
