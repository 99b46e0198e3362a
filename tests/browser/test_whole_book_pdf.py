"""The whole-book PDF (scripts/whole_book_pdf.py, made by the build), read back with pypdf: the book in
order, with every optional part and every solution open, and nothing that exists only for the page."""

import pathlib
import re
import sys

import browser_book as book
import pypdf
import pytest
import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import notebook_checks as checks  # noqa: E402

sys.path.insert(0, str(book.ROOT / "scripts"))
import tasks  # noqa: E402

pytestmark = pytest.mark.browser
PDF = book.HTML / tasks.PDF_NAME


@pytest.fixture(scope="module")
def text() -> str:
    assert PDF.is_file(), f"no {PDF}: run `python3 scripts/tasks.py build`"
    reader = pypdf.PdfReader(PDF)
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def markdown_cells():
    for doc in book.CHAPTERS:
        cells = book.notebook(doc)["cells"]
        yield [checks.source(c) for c in cells if c["cell_type"] == "markdown"]


def test_the_pdf_is_the_book_titled_with_bookmarks():
    reader = pypdf.PdfReader(PDF)
    title = yaml.safe_load((book.ROOT / "_config.yml").read_text())["title"]
    assert reader.metadata.title == title
    assert len(reader.outline) >= 2 and len(reader.pages) >= 40


def test_every_chapter_comes_in_order(text):
    titles = [cells[0].splitlines()[0].removeprefix("# ") for cells in markdown_cells()]
    where = [text.find(t) for t in titles]
    assert -1 not in where, [t for t, w in zip(titles, where, strict=True) if w < 0]
    assert where == sorted(where)


def test_every_optional_part_and_every_solution_is_open(text):
    parts = solutions = 0
    for cells in markdown_cells():
        parts += sum(bool(checks.OPTIONAL_HEADING.match(c)) for c in cells)
        solutions += sum(c.count("```{solution-start}") for c in cells)
    assert text.count("Nothing later needs this part") >= parts
    # sphinx-exercise heads each solution "Solution to Exercise N.M"
    assert text.count("Solution to Exercise") == solutions


def test_nothing_for_the_page_only(text):
    assert "Colab and other fresh Pythons" not in text  # the set-up cells are left out
    assert "Show code cell" not in text and "Show this optional part" not in text
    assert "{glue" not in text and "{exercise" not in text
    assert (
        "Skip to main content" not in text and "Ctrl+K" not in text
    )  # no buttons on paper
