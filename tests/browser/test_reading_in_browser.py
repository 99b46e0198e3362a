"""The built book as a reader sees it, offline: each page of _toc.yml opened once from disk,
checked in the light theme, then in the dark one, then for cut lines at a laptop's and a phone's
width. The first screen of each chapter, in each
theme, goes to _build/screenshots/<chapter>-<theme>-top.png."""

import io
import re
import urllib.parse

import browser_book as book
import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image, ImageStat

pytestmark = pytest.mark.browser

# What MathJax should have replaced: \( \) \[ \] delimiters, or $...$ left raw.
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$\n]*\$")
MATH_IN_SOURCE = 'class="math notranslate nohighlight"'
# What the page shows, in one call: each call costs, as the trace records it.
FACTS = """() => {
    const all = s => [...document.querySelectorAll(s)];
    const prose = document.querySelector('article').cloneNode(true);
    prose.querySelectorAll('pre, code, mjx-container, .cell_output').forEach(e => e.remove());
    return {
        titles: all('article h1').length,
        icons: all('svg.svg-inline--fa').length,
        math: all('.math').length,
        untypeset: all('.math:not(:has(mjx-container))').map(e => e.textContent),
        tex_errors: all('mjx-merror').length,
        flat_math: all('mjx-container').filter(e => !e.getBoundingClientRect().width).length,
        prose: prose.textContent,
        prev_next: all('.prev-next-area a').map(a => a.href),
        search_boxes: all('.search-button__button, form.bd-search')
            .filter(e => e.checkVisibility()).length,
        footer: document.querySelector('.bd-footer-content').innerText,
        verified_with: document.querySelector('article h1 + .verified-with')?.innerText,
        code_cells: all('.cell_input pre').length,
        copy_buttons: all('.cell_input button.copybtn').length,
    };
}"""
SHOWN_LINKS = (
    "() => [...document.querySelectorAll('.dropdown-menu.show a')].map(a => a.href)"
)
# axe-core, in the light theme all its rules, in the dark one the rules a theme can change:
# the colours (the markup is the same). From file:// axe cannot read the stylesheets (the
# browser refuses, with console errors), which only its css-orientation-lock needs: preload
# nothing. Its colour-contrast rule costs about 1 ms a text element, and a chapter has
# thousands of them in code, where all blocks of one kind (input, output) look alike, and
# all spans of one token class in them: so axe reads the page with one block of each kind,
# the shortest, and the longest span of each token class there (it cannot judge a span of
# one or two characters), in place of all the code.
SAMPLED = """{include: [document, ...(() => {
    const kept = new Map(), kind = e => e.closest('[class*=highlight-]')?.className;
    const keep = (key, e, better) => {
        if (!kept.has(key) || better(e, kept.get(key))) kept.set(key, e);
    };
    for (const pre of document.querySelectorAll('div.highlight pre'))
        keep(kind(pre), pre, (a, b) => a.childElementCount < b.childElementCount);
    for (const span of document.querySelectorAll('div.highlight pre span'))
        keep(span.className + ' in ' + kind(span), span,
             (a, b) => a.textContent.length > b.textContent.length);
    return [...kept.values()];
})()], exclude: [['div.highlight pre']]}"""
AXE = f"""async colours_only => (await axe.run({SAMPLED}, {{
    resultTypes: ['violations'], preload: false,
    ...(colours_only ? {{runOnly: ['color-contrast', 'link-in-text-block']}} : {{}}),
}})).violations"""
IMAGES = """() => Promise.all([...document.images].map(img => img.decode()
    .then(() => img.naturalWidth, () => 0).then(width => [img.src, width])))"""


# Each output line wraps, and math wider than the text scrolls inside its own box, at a laptop's width
# and a phone's: what runs past the text's edge is cut (the article hides its overflow). Optional
# parts and solutions are opened first, so what they hold is measured too.
CUT = """() => {
  for (const d of document.querySelectorAll("details")) d.open = true;
  for (const e of document.querySelectorAll(".toggle-hidden")) e.classList.remove("toggle-hidden");
  const found = [];
  const article = document.querySelector("article.bd-article");
  const edge = article.getBoundingClientRect().right + 1;
  for (const pre of article.querySelectorAll(".cell_output pre")) {
    if (pre.scrollWidth > pre.clientWidth + 1)
      found.push(`output cut: ${pre.scrollWidth} > ${pre.clientWidth}: `
                 + pre.textContent.trim().slice(0, 50));
  }
  for (const m of article.querySelectorAll("mjx-container")) {
    const math = m.querySelector("mjx-math") || m;
    const box = m.getBoundingClientRect(), inner = math.getBoundingClientRect();
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(m).overflowX);
    if (box.right > edge) found.push(`math beyond the text: ${m.textContent.slice(0, 40)}`);
    else if (inner.right > box.right + 1 && !scrolls)
      found.push(`math clipped: ${m.textContent.slice(0, 40)}`);
  }
  return found;
}"""
WIDTHS = {"laptop": 1400, "phone": 390}


def test_chromium_is_at_least_the_minimum_the_tests_rely_on(browser):
    major = int(browser.version.split(".")[0])
    assert major >= book.MINIMUM_CHROMIUM, (
        f"Chromium {browser.version} is older than {book.MINIMUM_CHROMIUM}, the oldest these tests "
        "support (CSS :has(), checkVisibility()); install a newer one or set $CHROMIUM"
    )


def test_the_pages_are_the_toc_and_some_have_math_and_figures():
    # Guards test_page, which checks math and figures where a page has them.
    assert book.TOC_PAGES[0] == "book/intro" and len(book.CHAPTERS) >= 5
    pages = [(book.HTML / f"{doc}.html").read_text() for doc in book.TOC_PAGES]
    assert sum(MATH_IN_SOURCE in page for page in pages) >= 3
    assert sum(map(book.stored_figures, book.CHAPTERS)) >= 2


@pytest.mark.parametrize("doc", book.TOC_PAGES)
def test_page(reader, doc):
    page, chapter = reader.open(doc), doc in book.CHAPTERS
    seen = page.evaluate(FACTS)
    assert seen["titles"] >= 1, "no title"
    assert seen["icons"], "no icons: the bundled Font Awesome did not turn them to SVG"
    source = (book.HTML / f"{doc}.html").read_text()
    assert seen["math"] == source.count(MATH_IN_SOURCE)
    assert not seen["untypeset"], f"math left untypeset: {seen['untypeset']}"
    assert not seen["tex_errors"], "MathJax reports a TeX error"
    assert not seen["flat_math"], "typeset math with no width: MathJax's fonts missing?"
    assert not RAW_TEX.findall(seen["prose"]), "raw TeX in the page"
    i = book.TOC_PAGES.index(doc)  # previous and next follow the table of contents
    neighbours = book.TOC_PAGES[max(i - 1, 0) : i] + book.TOC_PAGES[i + 1 : i + 2]
    assert seen["prev_next"] == [(book.HTML / f"{d}.html").as_uri() for d in neighbours]
    assert seen["search_boxes"] == 1, "not exactly one search box"
    assert f"By {book.CONFIG['author']}" in seen["footer"]
    assert "MIT" in seen["footer"] and "CC BY 4.0" in seen["footer"], "no license line"
    if chapter:
        check_chapter(page, doc, seen)
    page.evaluate(Axe().axe_script)
    tops = {}
    for theme in book.THEMES:
        assert reader.use_theme(theme) == theme, f"the page ignores the {theme} theme"
        if chapter:
            tops[theme] = screenshots(page, doc, theme)
        found = page.evaluate(AXE, theme == "dark")
        assert not found, f"axe-core, {theme} theme:\n" + "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']}: {[n['target'] for n in v['nodes']]}"
            for v in found
        )
    broken = [src for src, width in page.evaluate(IMAGES) if not width]
    assert not broken, f"images not loaded: {broken}"
    if chapter:  # the first screens show something, the dark one darker
        light, dark = (ImageStat.Stat(tops[t].convert("L")) for t in book.THEMES)
        assert min(light.stddev[0], dark.stddev[0]) > 10, "a first screen of one colour"
        assert light.mean[0] > dark.mean[0] + 80, "the dark first screen is not dark"
        check_figures_in_dark_theme(page, doc)
    # Last, as it opens every fold; on the page already loaded (a load costs more than a re-layout).
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(CUT) == [], f"cut at a {name}'s width, {width} px"
    reader.assert_no_problems(doc)


def check_chapter(page, doc, seen):
    repo, branch, ipynb = book.REPOSITORY, book.READER_BRANCH, f"{doc}.ipynb"
    page.locator(".dropdown-launch-buttons .dropdown-toggle").click()
    assert page.evaluate(SHOWN_LINKS) == [
        f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{ipynb}",
        f"https://colab.research.google.com/github/{repo}/blob/{branch}/{ipynb}",
    ]
    download_menu = page.locator(".dropdown-download-buttons .dropdown-toggle")
    download_menu.click()
    download = [h for h in page.evaluate(SHOWN_LINKS) if h.endswith(".ipynb")]
    download_menu.click()  # closed again
    assert len(download) == 1, "no .ipynb in the download menu"
    path = urllib.parse.unquote(urllib.parse.urlparse(download[0]).path)
    assert open(path, "rb").read() == book.reader_notebook(doc), (
        "not the reader notebook"
    )
    assert seen["code_cells"] and seen["copy_buttons"] == seen["code_cells"]
    # Under the title: the versions stored by the run that made the outputs.
    assert seen["verified_with"], "no 'verified with' line under the title"
    shown = dict(re.findall(r"(\w+) (\d+(?:\.\d+)+)", seen["verified_with"]))
    stored = book.notebook(doc)["metadata"].get("ladder", {}).get("verified_with")
    assert shown == stored, f"the page names {shown}, the notebook stores {stored}"
    assert stored == book.pinned_versions(), "not the lock's versions: refresh it"


def screenshots(page, doc, theme) -> Image.Image:
    """Saves the first screen, and returns it. (A failing test's trace shows the whole
    page.)"""
    book.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = book.SCREENSHOTS / f"{doc.split('/')[-1]}-{theme}"
    page.evaluate("scrollTo(0, 0)")
    return Image.open(io.BytesIO(page.screenshot(path=f"{name}-top.png")))


def check_figures_in_dark_theme(page, doc):
    """Every stored figure is shown, and keeps a light background in the dark theme (a
    transparent one would put black axes and labels on a dark page)."""
    # The optional parts' figures too: their folds opened, as a reader would.
    page.evaluate(
        "document.querySelectorAll('details.going-deeper').forEach(d => d.open = true)"
    )
    figures = page.locator(".cell_output img").all()
    assert len(figures) == book.stored_figures(doc), "a stored figure is not shown"
    for n, figure in enumerate(figures, 1):
        shot = Image.open(io.BytesIO(figure.screenshot())).convert("L")
        w, h = shot.size
        edge = [shot.getpixel((x, y)) for x in range(w) for y in (1, h - 2)]
        edge += [shot.getpixel((x, y)) for y in range(h) for x in (1, w - 2)]
        assert sum(edge) / len(edge) > 170, f"figure {n}: a dark edge in the dark theme"
        assert shot.getextrema()[0] < 80, f"figure {n} shows no dark ink (axes, labels)"


def test_index_leads_to_the_landing_page_whose_next_is_chapter_1(reader):
    page = reader.page
    page.goto((book.HTML / "index.html").as_uri())
    page.wait_for_url(re.compile(r"/book/intro\.html$"))
    page.locator("a.right-next").click()
    page.wait_for_url(re.compile(re.escape(f"/{book.TOC_PAGES[1]}.html") + "$"))
    reader.assert_no_problems("index.html, the landing page, then chapter 1")


def test_searching_nn_linear_leads_to_its_chapter(reader):
    chapter = "notebooks/06_a_model_nn_linear"
    page = reader.open(book.TOC_PAGES[0])
    page.locator(".search-button__button").filter(visible=True).click()
    page.locator("#pst-search-dialog input").fill("nn.Linear")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q=nn\.Linear"))
    page.locator(f'#search-results a[href*="{chapter}.html"]').first.click()
    page.wait_for_url(re.compile(re.escape(f"/{chapter}.html")))
    assert "nn.Linear" in page.locator("article h1").inner_text()
    reader.assert_no_problems("searching nn.Linear")
