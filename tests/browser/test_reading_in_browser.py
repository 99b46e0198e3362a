"""The built book as a reader sees it, offline: Chromium opens every page from disk with the network blocked.

Run after the build: `bash scripts/test.sh` (or `bash scripts/build.sh` then
`.venv/bin/python -m pytest tests/browser`). Screenshots of every chapter, light and dark, land in
_build/screenshots/ for people to look at.
"""
import io
import json
import re

import pytest
from browser_book import CHAPTERS, HTML, ROOT, SCREENSHOTS, THEMES, TOC_PAGES, repository

# Text that MathJax should have replaced: \( \) \[ \] delimiters, or $...$ left raw by the Markdown.
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$\n]*\$")
VERIFIED_WITH = re.compile(r"^Verified with Python \d+\.\d+, PyTorch \S+, NumPy \S+ on the CPU$")


def assert_offline_and_clean(visit, what: str) -> None:
    assert not visit.outside_requests, f"{what} tried to leave the machine: {visit.outside_requests}"
    assert not visit.failed_requests, f"{what} is missing local files: {visit.failed_requests}"
    assert not visit.console_errors, f"{what} logged console errors: {visit.console_errors}"
    assert not visit.page_errors, f"{what} raised uncaught errors: {visit.page_errors}"


def test_the_toc_is_read_from_toc_yml():
    # Guards the parametrisation below: an empty or wrong list would make the page tests vacuous.
    assert TOC_PAGES[0] == "book/intro"
    assert len(CHAPTERS) >= 5
    for doc in TOC_PAGES:
        assert (HTML / f"{doc}.html").is_file(), f"{doc} is in _toc.yml but not in the build"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("doc", TOC_PAGES)
def test_page_loads_offline_without_errors(open_page, doc, theme):
    visit = open_page(doc, theme)
    assert_offline_and_clean(visit, f"{doc} ({theme})")
    page = visit.page
    assert page.locator("article h1").count() >= 1, f"{doc}: no title rendered"
    # The theme the reader chose is the theme shown.
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    # Icons come from the bundled Font Awesome script, which swaps each <i> icon for an inline SVG.
    assert page.locator("svg.svg-inline--fa").count() > 0, f"{doc}: the Font Awesome icons did not load"


def test_index_redirects_to_the_landing_page(open_page):
    visit = open_page("index", settle=False)
    visit.page.wait_for_url(re.compile(r"/book/intro\.html$"))
    visit.page.wait_for_load_state("load")
    assert_offline_and_clean(visit, "index.html")


@pytest.mark.parametrize("doc", TOC_PAGES)
def test_math_is_rendered(open_page, doc):
    source = (HTML / f"{doc}.html").read_text()
    n_math = len(re.findall(r'class="math notranslate nohighlight"', source))
    visit = open_page(doc)
    page = visit.page
    assert page.locator(".math").count() == n_math
    # Every math element holds MathJax's output, and MathJax reported no TeX error.
    untypeset = page.locator(".math:not(:has(mjx-container))")
    assert untypeset.count() == 0, f"{doc}: math left untypeset: {untypeset.all_inner_texts()}"
    assert page.locator("mjx-merror").count() == 0, f"{doc}: MathJax reports a TeX error"
    # Visible text, less code and typeset math, holds no raw TeX.
    text = page.evaluate(
        """() => {
            const article = document.querySelector('article').cloneNode(true);
            article.querySelectorAll('pre, code, mjx-container, .cell_output').forEach(e => e.remove());
            return article.textContent;
        }"""
    )
    raw = RAW_TEX.findall(text)
    assert not raw, f"{doc}: raw TeX left in the page: {raw}"
    # Typeset math has a size: the bundled MathJax fonts loaded.
    sizes = page.eval_on_selector_all("mjx-container", "els => els.map(e => e.getBoundingClientRect().width)")
    assert all(width > 0 for width in sizes)
    assert_offline_and_clean(visit, doc)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("doc", TOC_PAGES)
def test_every_image_loads(open_page, doc, theme):
    visit = open_page(doc, theme)
    page = visit.page
    images = page.locator("img")
    for i in range(images.count()):
        image = images.nth(i)
        src = image.get_attribute("src")
        if image.is_visible():
            image.scroll_into_view_if_needed()
        loaded = image.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
        assert loaded > 0, f"{doc}: image {src} did not load"
    assert_offline_and_clean(visit, doc)


def test_some_pages_have_math_and_figures():
    # Guards the two tests below, which check math and figures only where a page has them.
    sources = [(HTML / f"{doc}.html").read_text() for doc in TOC_PAGES]
    assert sum('class="math notranslate nohighlight"' in s for s in sources) >= 3
    assert sum(len(stored_figures(doc)) for doc in CHAPTERS) >= 2


def stored_figures(doc: str) -> list[str]:
    nb = json.loads((ROOT / f"{doc}.ipynb").read_text())
    return [k for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"] for k in o.get("data", {})
            if k.startswith("image/")]


@pytest.mark.parametrize("doc", CHAPTERS)
def test_figures_stay_readable_in_dark_theme(open_page, doc):
    """Every figure the notebook stores is on the page, and keeps its own light background in the dark
    theme (a transparent one would put black axes and labels on a dark page)."""
    from PIL import Image

    visit = open_page(doc, "dark")
    figures = visit.page.locator(".cell_output img")
    assert figures.count() == len(stored_figures(doc)), f"{doc}: not every stored figure is on the page"
    for i in range(figures.count()):
        figure = figures.nth(i)
        figure.scroll_into_view_if_needed()
        shot = Image.open(io.BytesIO(figure.screenshot())).convert("L")
        width, height = shot.size
        border = [shot.getpixel((x, y)) for x in range(width) for y in (1, height - 2)]
        border += [shot.getpixel((x, y)) for y in range(height) for x in (1, width - 2)]
        mean = sum(border) / len(border)
        assert mean > 170, f"{doc}: figure {i + 1} has a dark edge (mean grey {mean:.0f}): transparent background?"
        assert shot.getextrema()[0] < 80, f"{doc}: figure {i + 1} shows no dark ink (axes, labels) at all"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_has_launch_and_download_buttons(open_page, doc):
    repo = repository()
    url, branch = repo["url"].rstrip("/"), repo.get("branch", "main")
    owner_name = url.removeprefix("https://github.com/")
    notebook = f"{doc}.ipynb"
    visit = open_page(doc)
    page = visit.page
    binder = page.locator(f'a[href="https://mybinder.org/v2/gh/{owner_name}/{branch}?urlpath=tree/{notebook}"]')
    colab = page.locator(f'a[href="https://colab.research.google.com/github/{owner_name}/blob/{branch}/{notebook}"]')
    download = page.locator(".btn-download-source-button")
    assert binder.count() == 1, f"{doc}: no Binder button for {notebook} from repository.url {url}"
    assert colab.count() == 1, f"{doc}: no Colab button for {notebook} from repository.url {url}"
    assert download.count() == 1, f"{doc}: no download button"
    # The buttons are reachable: opening the menus shows them.
    page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
    assert binder.is_visible() and colab.is_visible()
    page.keyboard.press("Escape")
    page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
    assert download.is_visible() and download.inner_text().strip() == ".ipynb"
    # The download is the committed notebook itself, outputs and all.
    href = download.get_attribute("href")
    downloaded = (HTML / doc).parent / href
    assert downloaded.resolve().is_file(), f"{doc}: download link {href} leads to no file"
    assert downloaded.read_bytes() == (ROOT / notebook).read_bytes()
    assert_offline_and_clean(visit, doc)


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_has_copy_buttons_and_verified_with_line(open_page, doc):
    visit = open_page(doc)
    page = visit.page
    code_cells = page.locator(".cell_input pre").count()
    assert code_cells > 0
    assert page.locator(".cell_input button.copybtn").count() == code_cells, f"{doc}: a code cell lacks its copy button"
    first_output = page.locator(".cell_output").first.inner_text().strip()
    first_line = first_output.splitlines()[0]
    assert VERIFIED_WITH.match(first_line), f"{doc}: the first output is {first_line!r}, not the 'Verified with' line"
    # The line on the page is the one the run stored in the notebook, not typed by hand.
    stored = json.loads((ROOT / f"{doc}.ipynb").read_text())
    stored_outputs = ["".join(o.get("text", "")) for c in stored["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert stored_outputs and stored_outputs[0].splitlines()[0] == first_line


def test_previous_and_next_links_follow_the_toc(open_page):
    for i, doc in enumerate(TOC_PAGES):
        page = open_page(doc).page
        prev_link, next_link = page.locator("a.left-prev"), page.locator("a.right-next")
        if i > 0:
            assert prev_link.count() == 1, f"{doc}: no previous link"
            assert prev_link.evaluate("a => a.href").endswith(f"/{TOC_PAGES[i - 1]}.html")
        if i < len(TOC_PAGES) - 1:
            assert next_link.count() == 1, f"{doc}: no next link"
            assert next_link.evaluate("a => a.href").endswith(f"/{TOC_PAGES[i + 1]}.html")
    # And a click on "next" from the last chapter goes where it says.
    visit = open_page(CHAPTERS[-1])
    visit.page.locator("a.right-next").click()
    visit.page.wait_for_url(re.compile(re.escape(TOC_PAGES[TOC_PAGES.index(CHAPTERS[-1]) + 1]) + r"\.html$"))


def test_search_finds_nn_linear_and_leads_to_its_chapter(open_page):
    visit = open_page("search", query="?q=nn.Linear")
    page = visit.page
    page.wait_for_function("() => document.querySelector('#search-results p.search-summary')"
                           " && /found \\d+ page/.test(document.querySelector('#search-results p.search-summary').innerText)",
                           timeout=15_000)
    results = page.locator("#search-results ul.search li a")
    assert results.count() > 0, "searching nn.Linear found nothing"
    chapter = "notebooks/05_a_model_nn_linear"
    hits = [a for a in results.all() if a.evaluate("a => a.href").split("#")[0].endswith(f"/{chapter}.html")]
    assert hits, f"no result leads to {chapter}: {results.all_inner_texts()}"
    hits[0].click()
    page.wait_for_url(re.compile(re.escape(chapter) + r"\.html"))
    assert "nn.Linear" in page.locator("article h1").first.inner_text()
    assert_offline_and_clean(visit, "the search page and the chapter it leads to")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("doc", CHAPTERS)
def test_screenshot(open_page, doc, theme):
    """Screenshots of each chapter for people to look at, in _build/screenshots/: <chapter>-<theme>.png (the
    whole page), -top.png (the first screen) and -figure.png (the first figure, where there is one)."""
    visit = open_page(doc, theme)
    page = visit.page
    for image in page.locator("img").all():
        image.evaluate("img => img.decode().catch(() => null)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{doc.split('/')[-1]}-{theme}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    # The first screen too, at reading size.
    page.screenshot(path=str(path.with_name(path.stem + "-top.png")))
    # And the first figure with the text around it, the article column only: the README shows one.
    figures = page.locator(".cell_output img")
    if figures.count():
        figures.first.evaluate("img => img.scrollIntoView({block: 'center'})")
        box = page.locator("article").bounding_box()
        viewport = page.viewport_size
        page.screenshot(path=str(path.with_name(path.stem + "-figure.png")),
                        clip={"x": box["x"], "y": 0, "width": box["width"], "height": viewport["height"]})
    assert_offline_and_clean(visit, doc)
