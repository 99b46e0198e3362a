"""The whole-book PDF (scripts/whole_book_pdf.py, made by the build), read back with pypdf: the book in
order, its math typeset and its figures drawn, with every optional part and every solution open, and
nothing that exists only for the page."""

import pathlib
import re
import sys
import unicodedata

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
def reader() -> pypdf.PdfReader:
    assert PDF.is_file(), f"no {PDF}: run `python3 scripts/tasks.py build`"
    return pypdf.PdfReader(PDF)


@pytest.fixture(scope="module")
def pages(reader) -> list[str]:
    """Each page's text, read once (pypdf takes seconds for the book). NFKC: the book's font prints
    "fi" as one ligature, U+FB01."""
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages]


@pytest.fixture(scope="module")
def text(pages) -> str:
    return re.sub(r"\s+", " ", " ".join(pages))


def markdown_cells():
    for doc in book.CHAPTERS:
        cells = book.notebook(doc)["cells"]
        yield [checks.source(c) for c in cells if c["cell_type"] == "markdown"]


def test_the_pdf_is_the_book_titled_with_bookmarks(reader):
    title = yaml.safe_load((book.ROOT / "_config.yml").read_text())["title"]
    assert reader.metadata.title == title
    assert len(reader.outline) >= 2 and len(reader.pages) >= 40


def test_every_chapter_comes_in_order(text):
    titles = [cells[0].splitlines()[0].removeprefix("# ") for cells in markdown_cells()]
    where = [text.find(t) for t in titles]
    assert -1 not in where, [t for t, w in zip(titles, where, strict=True) if w < 0]
    assert where == sorted(where)


def test_the_math_is_typeset(text):
    # Raw TeX on paper is what a PDF printed before MathJax ran (or without its script) shows.
    assert "\\(" not in text and "\\frac" not in text and "\\partial" not in text


def drawings(reader) -> list[tuple[int, float, float]]:
    """Each vector drawing on a page bigger than an icon: (page, width, height) in points. Chromium
    prints an SVG figure as one such Form XObject; the admonitions' icons are 76 points square."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        objects = (page.get("/Resources") or {}).get("/XObject")
        for xobject in (objects.get_object() if objects else {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                x0, y0, x1, y1 = map(float, xobject["/BBox"])
                if x1 - x0 > 150 and y1 - y0 > 100:
                    found.append((number, x1 - x0, y1 - y0))
    return found


def test_every_figure_is_drawn_beside_its_caption(reader, pages):
    figures = sum(map(book.stored_figures, book.CHAPTERS))
    drawn = drawings(reader)
    assert len(drawn) == figures, (
        f"{figures} figures stored, {len(drawn)} drawn: {drawn}"
    )
    for number, *_ in drawn:  # a caption on its page or the next
        near = pages[number - 1] + "".join(pages[number : number + 1])
        assert re.search(r"Figure \d+\.\d+", near), (
            f"page {number}: a drawing with no caption"
        )


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
