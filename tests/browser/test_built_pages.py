"""The built pages' HTML as a reader reads it, without a browser (but after the build): every number
the prose quotes, every figure's alt text and caption, every link and every launch button, each checked
against a truth that does not come from the same place as the page."""

import functools
import pathlib
import re
import sys
import urllib.parse
import zipfile

import browser_book as book
import bs4
import pytest
import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import notebook_checks as checks  # noqa: E402
from quoted_numbers import QUOTED  # noqa: E402  (pinned in one table for the pages and the notebooks)

pytestmark = pytest.mark.browser

ROLE = re.compile(r"\{glue:text\}`([^`]+)`")
ISSUE_FORM = book.ROOT / ".github" / "ISSUE_TEMPLATE" / "error-in-the-book.yml"
PATH_LIKE = re.compile(r"(^|/)_images/|\.(svg|png|jpe?g)$|^\.\./", re.I)


@functools.cache
def parsed(path: pathlib.Path) -> bs4.BeautifulSoup:
    return bs4.BeautifulSoup(path.read_text(), "html.parser")


@functools.cache
def anchors(path: pathlib.Path) -> set[str]:
    return {tag["id"] for tag in parsed(path).find_all(id=True)}


def page(doc: str) -> bs4.BeautifulSoup:
    return parsed((book.HTML / f"{doc}.html").resolve())


def article(doc: str) -> bs4.Tag:
    return page(doc).select_one("article.bd-article")


def roles(doc: str) -> list[str]:
    """The `{glue:text}` roles of a page's source, in order (a notebook's Markdown cells, or a page)."""
    source = book.ROOT / f"{doc}.ipynb"
    if source.is_file():
        cells = book.notebook(doc)["cells"]
        text = "\n".join(
            "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
        )
    else:
        text = (book.ROOT / f"{doc}.md").read_text()
    return [
        r.replace("../notebooks/03_linear_regression_numpy.ipynb::", "03::")
        for r in ROLE.findall(text)
    ]


@pytest.mark.parametrize("doc", book.TOC_PAGES)
def test_every_quoted_number_shows_as_pinned(doc):
    shown = [s.get_text() for s in article(doc).select(".pasted-text")]
    source = roles(doc)
    assert len(shown) == len(source), (
        f"{len(source)} glue roles, {len(shown)} numbers shown"
    )
    quoted = [f"{role} = {text}" for role, text in zip(source, shown, strict=True)]
    assert quoted == QUOTED.get(doc, []), (
        "a quoted number changed its key, format or value"
    )


def figures() -> list[tuple[str, str, bs4.Tag]]:
    """Every figure a chapter's outputs draw: its page, the id of the cell that drew it, its image."""
    found = []
    for doc in book.CHAPTERS:
        drawn = [
            cell.get("id")
            for cell in book.notebook(doc)["cells"]
            for output in cell.get("outputs", [])
            if any(k.startswith("image/") for k in output.get("data", {}))
        ]
        shown = article(doc).select(".cell_output img")
        assert len(shown) == len(drawn), (
            f"{doc}: {len(drawn)} figures stored, {len(shown)} shown"
        )
        found += [
            (doc, cell_id, img) for cell_id, img in zip(drawn, shown, strict=True)
        ]
    return found


def test_every_figure_has_an_alt_text_of_its_own_and_a_caption():
    found = figures()
    assert len(found) == sum(book.stored_figures(doc) for doc in book.CHAPTERS)
    problems, alts, captions = [], {}, {}
    for doc, _, img in found:
        alt = img.get("alt", "").strip()
        figure = img.find_parent("figure")
        caption = figure.select_one("figcaption") if figure else None
        text = caption.get_text(" ", strip=True) if caption else ""
        where = f"{doc}: {img.get('src')}"
        if len(alt) < 40 or PATH_LIKE.search(alt):
            problems.append(f"{where}: alt text missing, short or a path: {alt!r}")
        if not re.match(r"Figure \d+\.\d+ \S", text):
            problems.append(f"{where}: no caption")
        for seen, value in ((alts, alt), (captions, text.split(" ", 2)[-1])):
            if value in seen:
                problems.append(
                    f"{where}: the same alt text or caption as {seen[value]}"
                )
            seen[value] = where
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", book.CHAPTERS)
def test_figures_and_exercises_are_numbered_within_their_chapter(doc):
    # As the reader notebooks number them (tests/test_reader_notebooks.py): Figure 6.1, Exercise 6.2.
    n = int(pathlib.Path(doc).name[:2])
    numbers = [s.get_text().strip() for s in article(doc).select("span.caption-number")]
    figures = [x for x in numbers if x.startswith("Figure")]
    exercises = [x for x in numbers if x.startswith("Exercise")]
    assert figures == [f"Figure {n}.{i}" for i in range(1, len(figures) + 1)]
    assert exercises == [f"Exercise {n}.{i}" for i in range(1, len(exercises) + 1)]
    assert len(exercises) >= 1 and len(figures) == book.stored_figures(doc)
    title = article(doc).select_one("h1").get_text().strip("#").strip()
    assert title.startswith(f"{n}. ")
    # A figure or exercise the prose names by number is one of this chapter's.
    prose = " ".join(p.get_text(" ") for p in article(doc).select("section > p"))
    named = set(re.findall(r"\b(?:Figure|Exercise) \d+\.\d+", prose))
    assert named <= set(figures + exercises), named - set(figures + exercises)


@pytest.mark.parametrize("doc", book.CHAPTERS)
def test_optional_parts_are_folded_until_the_reader_opens_them(doc):
    # book/_ext/going_deeper.py: under its heading, an optional part is one closed <details>.
    parts = [
        section
        for section in article(doc).select("section")
        if section.find("h2", recursive=False)
        and section.h2.get_text().startswith("Going deeper (optional): ")
    ]
    headings = [
        c
        for c in book.notebook(doc)["cells"]
        if c["cell_type"] == "markdown"
        and checks.OPTIONAL_HEADING.match(checks.source(c))
    ]
    assert len(parts) == len(headings)
    for section in parts:
        children = [c for c in section.children if isinstance(c, bs4.Tag)]
        assert [c.name for c in children] == ["h2", "details"], section.h2.get_text()
        folded = children[1]
        assert "open" not in folded.attrs
        assert folded.summary.get_text(strip=True) == "Show this optional part"
        assert folded.select("p") and folded.select("div.cell"), (
            "the part is not inside"
        )


@pytest.mark.parametrize("doc", book.CHAPTERS)
def test_the_set_up_cells_are_folded_and_print_nothing(doc):
    # The install and import cells come first in the notebook; on the page they wait behind a toggle.
    first, second = article(doc).select("div.cell")[:2]
    for cell, starts in (
        (first, "# Colab and other fresh Pythons"),
        (second, "import"),
    ):
        folded = cell.find("details", recursive=False)
        assert folded is not None and "open" not in folded.attrs, (
            "a set-up cell unfolded"
        )
        assert folded.select_one("div.cell_input pre").get_text().startswith(starts)
    assert "Exception reporting mode" not in article(doc).get_text()


def internal_links(doc: str):
    """(link text, target page, fragment) for each link in the page that stays in the book."""
    for a in page(doc).select("a[href]"):
        url = urllib.parse.urlparse(a["href"])
        if url.scheme or a["href"].startswith(("mailto:", "javascript:")):
            continue
        target = (
            (book.HTML / f"{doc}.html").parent / urllib.parse.unquote(url.path)
            if url.path
            else book.HTML / f"{doc}.html"
        )
        yield a.get_text(" ", strip=True), target.resolve(), url.fragment


@pytest.mark.parametrize("doc", book.TOC_PAGES)
def test_every_internal_link_and_anchor_resolves(doc):
    broken = []
    for text, target, fragment in internal_links(doc):
        if not target.is_file():
            broken.append(f"{text!r} -> {target}: no such file")
        elif fragment and target.suffix == ".html":
            if fragment not in anchors(target):
                broken.append(f"{text!r} -> {target.name}#{fragment}: no such anchor")
    assert not broken, "\n".join(broken)


CHAPTER_NAMED = re.compile(r"^(?:[Cc]hapter (\d+)|(\d+)\. \S.*)$")


def titles() -> dict[str, pathlib.Path]:
    return {
        article(d).select_one("h1").get_text(" ", strip=True).rstrip("#").strip(): (
            book.HTML / f"{d}.html"
        ).resolve()
        for d in book.TOC_PAGES
        if article(d)
    }


@pytest.mark.parametrize("doc", book.TOC_PAGES)
def test_a_link_that_names_a_chapter_or_page_opens_it(doc):
    wrong, pages = [], titles()
    for text, target, _ in internal_links(doc):
        named = CHAPTER_NAMED.match(text)
        if named:
            n = int(named[1] or named[2])
            expected = (book.HTML / f"{book.CHAPTERS[n - 1]}.html").resolve()
        elif text in pages:
            expected = pages[text]
        else:
            continue
        if target != expected:
            wrong.append(f"{text!r} opens {target.name}, not {expected.name}")
    assert not wrong, "\n".join(wrong)


def test_links_naming_chapters_are_found():  # guards the test above against a changed link markup
    named = [
        t
        for d in book.TOC_PAGES
        for t, *_ in internal_links(d)
        if CHAPTER_NAMED.match(t)
    ]
    assert len(named) >= 30, named


@pytest.mark.parametrize("doc", book.CHAPTERS)
def test_launch_download_and_repository_buttons_point_at_the_deployed_branch(doc):
    html = page(doc)
    ipynb = f"{doc}.ipynb"
    launch = [a["href"] for a in html.select(".dropdown-launch-buttons a")]
    # The reader notebooks, from the branch the workflow publishes them to; Binder in JupyterLab.
    repository, branch = book.REPOSITORY, book.READER_BRANCH
    assert launch == [
        f"https://mybinder.org/v2/gh/{repository}/{branch}?urlpath=lab/tree/{ipynb}",
        f"https://colab.research.google.com/github/{repository}/blob/{branch}/{ipynb}",
    ]
    source = html.select(".btn-source-repository-button")
    assert [a["href"] for a in source] == [f"https://github.com/{repository}"]
    # "Suggest edit": the chapter's source, on the branch the book is deployed from.
    edit = [a["href"] for a in html.select(".btn-source-edit-button")]
    github = f"https://github.com/{repository}"
    assert edit == [f"{github}/edit/{book.DEPLOYED_BRANCH}/{ipynb}"]
    # "Report an error": the repository's issue form, with the page's title filled in.
    report = [a["href"] for a in html.select(".btn-source-issues-button")]
    title = html.select_one("article h1").get_text().strip("#").strip()
    query = urllib.parse.urlencode({"template": ISSUE_FORM.name, "page": title})
    assert report == [f"{github}/issues/new?{query}"]
    download = html.select_one(".btn-download-source-button")["href"]
    path = ((book.HTML / f"{doc}.html").parent / download).resolve()
    assert path.read_bytes() == book.reader_notebook(doc), (
        "the download is not the reader notebook"
    )


def test_the_issue_form_asks_for_the_page_the_cell_and_the_environment():
    form = yaml.safe_load(ISSUE_FORM.read_text())
    fields = {item["id"]: item for item in form["body"]}
    assert list(fields) == ["page", "where", "what", "environment", "versions"]
    assert "Colab" in fields["environment"]["attributes"]["options"]
    assert all(fields[f]["validations"]["required"] for f in ["page", "where", "what"])


def test_the_landing_page_offers_every_reader_notebook_in_one_zip():
    links = [a["href"] for a in page("book/intro").select("article a[href$='.zip']")]
    assert links == [f"../{book.readers.ZIP_NAME}"]
    with zipfile.ZipFile(book.HTML / book.readers.ZIP_NAME) as archive:
        for doc in book.CHAPTERS:
            name = f"{book.readers.ZIP_FOLDER}/{pathlib.Path(doc).name}.ipynb"
            assert archive.read(name) == book.reader_notebook(doc)


def test_the_install_cell_installs_from_the_same_repository():
    for doc in book.CHAPTERS:
        first = "".join(
            next(c for c in book.notebook(doc)["cells"] if c["cell_type"] == "code")[
                "source"
            ]
        )
        assert f"git+https://github.com/{book.REPOSITORY}@" in first, doc


# What each figure's caption and alt text state, phrase by phrase, and where the chapter's stored
# outputs or code show it (a regex over them). Every number a caption or alt text holds must sit in one
# of these phrases, so a number changed in either, or in what the chapter prints, fails.
# fmt: off
FIGURE_CLAIMS = {
    ("notebooks/03_linear_regression_numpy", "figure-closed-form"): {
        "30 · 0.85^(2k)": r"predicted_losses = 30 \* 0\.85 \*\* \(2 \* k\)",
        "k = epoch − 1": r"k\[::3\] \+ 1,",
        "from 1 to 100": r"every epoch from 95 to 100",
        "from 30 to about 1e-12": r"Epoch 1: loss 30\.0+\n(.|\n)*the loss is 8\.988e-13",
    },
    ("notebooks/04_gradients_with_autograd", "figure-no-zero"): {
        "100 epochs": r"recurrence vs measured, 100 epochs",
        "from 30 to about 1e-12": r"\n +1 +30\.000000(.|\n)*0\.0 +0\.8500 +0\.00242 +8\.99e-13",
        "about 30 again and again": r"\n +9 .* 30\.2624\n.*\n +17 .* 30\.4923\n.*\n +25 .* 30\.6893",
        "about 30 every 8 epochs": r"\n +9 .* 30\.2624\n.*\n +17 .* 30\.4923\n.*\n +25 .* 30\.6893",
        "below 1 in between": r"\n +13 .* 0\.7874\n(.|\n)* 21 .* 0\.5739",
    },
    ("notebooks/05_loss_and_optimizer", "figure-learning-rates"): {
        "60 epochs": r"loss at epoch 60",
        "0.01, 0.05, 0.13 and 0.14": r"lr = 0\.01:(.|\n)*lr = 0\.05:(.|\n)*lr = 0\.13:(.|\n)*lr = 0\.14:",
        "the bound 2/15 (about 0.133)": r"below and above the bound 2/15",
        "fastest at 0.05": r"lr = 0\.05: .*loss at epoch 60 0\n",
        "becomes exactly 0": r"lr = 0\.05: .*loss at epoch 60 0\n",
        "at 0.13 it falls slowly": r"lr = 0\.13: .*loss at epoch 60 0\.07",
        "at 0.14, just over the bound, it grows": r"lr = 0\.14: .*loss at epoch 60 2\.299e\+06",
        "0.14 rises": r"lr = 0\.14: .*loss at epoch 60 2\.299e\+06",
    },
    ("notebooks/06_a_model_nn_linear", "loss-figure"): {
        "4,000 epochs": r"epochs = 4000",
        "from 25": r"Epoch 1: loss 2\.51e\+01",
        "a factor of about 11 every 400 epochs": r"401 -> 801: loss ratio 0\.0908",  # 1 / 0.0908 = 11.0
        "below 1e-10 by epoch 3601": r"Epoch 3601: loss 9\.58e-11",
        "from epoch 401": r"first_epoch=401",
    },
    ("notebooks/06_a_model_nn_linear", "fit-figure"): {
        "(1, 2), (2, 4), (3, 6), (4, 8)":
            r"X = torch\.tensor\(\[\[1\.0\], \[2\.0\], \[3\.0\], \[4\.0\]\]\).*\nY = 2 \* X",
        "The four data points": r"4 samples, 1 feature",
        "passing through all four": r"loss of the trained model against Y: +0\.0000000000",
    },
    ("notebooks/08_mini_batches", "fit-figure"): {
        "The 50 validation points": r"200 training samples, 50 validation samples",
        "Scatter of 50 noisy points": r"200 training samples, 50 validation samples",
        "the 200 training points": r"200 training samples, 50 validation samples",
        "in batches of 8": r"the first has X of shape \(8, 1\)",
        "from about (-1, -1) to (1, 3)": r"X = 2 \* torch\.rand\(.*\) - 1\n(.|\n)*Y = 2 \* X \+ 1 \+ noise",
    },
    ("notebooks/08_mini_batches", "figure-per-step"): {
        "batch sizes 1, 8 and 200 at the learning rates 0.01, 0.1 and 0.7":
            r"\n +1 +0\.01 +2000 (.|\n)*\n +8 +0\.1 +250 (.|\n)*\n +200 +0\.7 +10 ",
        "batch size 200 curve falls smoothly from about 1.8 to about 0.012 over its 10 steps":
            r"each step of batch size 200: 1\.7873 0\.4514 0\.1248 0\.0418 0\.0200 0\.0142 0\.0126 "
            r"0\.0122 0\.0121 0\.0121\n",
        "batch size 8 curve": r"\n +8 +0\.1 +250 ",
        "up to step 250": r"\n +8 +0\.1 +250 ",
        "batch size 1 curve": r"\n +1 +0\.01 +2000 ",
        "up to step 2000": r"\n +1 +0\.01 +2000 ",
        "a loss below 1e-6 drawn at 1e-6": r"\[max\(v, 1e-6\) for v in step_losses\]",
    },
    ("notebooks/08_mini_batches", "figure-per-epoch"): {
        "each of the 10 epochs": r"250 steps in 10 epochs",
        "batch sizes 1, 8 and 200": r"\n +1 +0\.01 +2000 (.|\n)*\n +8 +0\.1 +250 (.|\n)*\n +200 +0\.7 +10 ",
        "each at the learning rate that suits it best":
            r"the learning rate of the lowest validation loss: \{1: 0\.01, 8: 0\.1, 200: 0\.7\}",
        "After the first epoch batch size 8 is lowest, at 0.053, then batch size 1 at 0.099 and batch "
        "size 200 at 0.60": r"\n +1  0\.0991 (.|\n)*\n +8  0\.0534 (.|\n)*\n +200  0\.6027 ",
        "Batch sizes 1 and 8 are near 0.015 by the third epoch":
            r"\n +1  0\.0991 0\.0216 0\.015\d (.|\n)*\n +8  0\.0534 0\.0165 0\.015\d ",
        "batch size 200 by the sixth": r"\n +200  (\S+ ){5}0\.015\d ",
        "all three end at 0.0147 or 0.0148":
            r"\n +1  .* 0\.014[78]\n +8  .* 0\.014[78]\n +200  .* 0\.014[78]\n",
    },
    ("notebooks/09_a_first_real_model", "figure-curve"): {
        "The 200 noisy points": r"X and Y have shape \(200, 1\)",
        "Scatter of 200 points": r"X and Y have shape \(200, 1\)",
        "from x = -2 to 2": r"X = 4 \* torch\.rand\(n_samples, 1, generator=generator\) - 2",
        "a hidden layer of 16 and ReLU": r"nn\.Linear\(1, 16\), nn\.ReLU\(\), nn\.Linear\(16, 1\)",
        "after 2,000 epochs each": r"def fit\(model, X, Y, epochs=2000",
    },
    ("notebooks/09_a_first_real_model", "figure-losses"): {
        "each of the 100 epochs": r"def train\(make_optimizer, lr, epochs=100\)",
        "Adam at the learning rate 0.003": r"chosen: Adam at lr 0\.003",
        "to 0.0101 at epoch 100": r"Adam +0\.003 +0\.0304 +74 +0\.0101",
        "its lowest, 0.0304, at epoch 74": r"Adam +0\.003 +0\.0304 +74 +0\.0101",
        "from epoch 45 on it wobbles between 0.0304 and 0.0363":
            r"validation loss over epochs 45 to 100: from 0\.0304 to 0\.0363",
        "ends at 0.0354": r"validation loss after epoch 100: 0\.0354",
    },
    ("notebooks/09_a_first_real_model", "figure-probabilities"): {
        "The 100 validation tumours": r"validation: 98 of 100 right",
        "in bins of 0.05": r"bins = \[i / 20 for i in range\(21\)\]",
        "30 of the 32 malignant tumours sit in the lowest bin, below 0.05": r"32 malignant, 30 below 0\.05",
        "62 of the 68 benign ones in the highest, above 0.95": r"68 benign, 62 above 0\.95",
        "just right of the dashed line at 0.5": r"a malignant tumour, .* of benign 0\.50\d",
        "one benign tumour, at 0.32": r"a benign tumour, .* of benign 0\.320",
    },
}
# fmt: on
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:e[-+]?\d+)?")


def evidence(doc: str) -> str:
    """What a chapter's figures can be checked against: its code, printed text and glued values."""
    parts = []
    for cell in book.notebook(doc)["cells"]:
        if cell["cell_type"] == "code":
            parts.append("".join(cell["source"]))
            for output in cell.get("outputs", []):
                parts.append("".join(output.get("text", "")))
                parts += [
                    str(v)
                    for k, v in output.get("data", {}).items()
                    if k.endswith("text/plain")
                ]
    return "\n".join(parts)


def test_every_number_in_a_figures_caption_and_alt_text_is_what_the_chapter_shows():
    problems, seen = [], set()
    for doc, cell_id, img in figures():
        figure = img.find_parent("figure")
        caption = re.sub(
            r"^Figure \d+\.\d+ ",
            "",
            figure.select_one("figcaption").get_text(" ", strip=True),
        )
        stated = f"{caption} | {img['alt']}"
        key = next((k for k in FIGURE_CLAIMS if k[0] == doc and k[1] == cell_id), None)
        if key is None:
            problems.append(f"{doc} {cell_id}: a figure FIGURE_CLAIMS does not know")
            continue
        seen.add(key)
        claims, shown = FIGURE_CLAIMS[key], evidence(doc)
        rest = stated
        for phrase, support in claims.items():
            if phrase not in stated:
                problems.append(
                    f"{doc} {cell_id}: the caption and alt text no longer say {phrase!r}"
                )
            elif not re.search(support, shown):
                problems.append(
                    f"{doc} {cell_id}: {phrase!r}, but the chapter no longer shows {support!r}"
                )
            rest = rest.replace(phrase, " ")
        unchecked = NUMBER.findall(rest)
        if unchecked:
            problems.append(
                f"{doc} {cell_id}: numbers no claim checks: {unchecked} in {stated!r}"
            )
    assert seen == set(FIGURE_CLAIMS), f"figures not found: {set(FIGURE_CLAIMS) - seen}"
    assert not problems, "\n".join(problems)
