"""Every check of tests/notebook_checks.py, on every committed chapter, and what ties the chapters to the
rest of the book: the table of contents, the install cell, the versions, the neighbours' links."""

import json
import pathlib
import re
import tomllib

import notebook_checks as checks
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def lock_pins() -> dict[str, str]:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    return dict(re.findall(r"^([a-z0-9-]+)==(\S+)", text, flags=re.M))


def test_the_book_has_its_nine_chapters_in_order():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed = re.findall(r"file: (notebooks/\S+)", toc)
    assert listed == [f"notebooks/{p.stem}" for p in CHAPTERS]
    assert len(CHAPTERS) == 9


@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_chapter_passes(path, check):
    assert check(load(path)) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_every_chapter_has_an_optional_part(path):
    headings = [
        checks.source(c)
        for c in load(path)["cells"]
        if c["cell_type"] == "markdown"
        and checks.OPTIONAL_HEADING.match(checks.source(c))
    ]
    assert headings, "no '## Going deeper (optional): ...' part"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_first_cell_installs_the_helper_package_at_the_books_version(path):
    repository = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))[
        "repository"
    ]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]["version"]
    url = f"git+{repository['url']}@v{version}"
    assert checks.install_cell(load(path), url) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_recorded_versions_are_the_locks(path):
    pins = lock_pins()
    expected = {
        "Python": "3.11",
        "PyTorch": pins["torch"],
        "NumPy": pins["numpy"],
        "Matplotlib": pins["matplotlib"],
    }
    assert checks.versions_metadata(load(path), expected) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_chapter_leaves_previous_and_next_to_the_theme(path):
    # The page ends with the theme's Previous/Next buttons; the reader notebooks get their own links
    # (tests/test_reader_notebooks.py).
    text = "".join(
        checks.source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown"
    )
    assert not re.search(r"\*\*(Previous|Next):\*\*", text)


def test_readme_figure_is_chapter_6s_fitted_line():
    nb = load(ROOT / "notebooks" / "06_a_model_nn_linear.ipynb")
    svgs = [
        "".join(o["data"]["image/svg+xml"])
        for c in checks.code_cells(nb)
        for o in c["outputs"]
        if "image/svg+xml" in o.get("data", {})
    ]
    assert (ROOT / "book" / "images" / "fitted-line.svg").read_text(
        encoding="utf-8"
    ) == svgs[-1]
