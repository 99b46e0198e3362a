"""The whole book as one PDF, for reading offline or on paper: Sphinx's one-page build of the book
(singlehtml), printed by Chromium (Debian's, driven by Playwright; never `playwright install`).

    .venv/bin/python scripts/whole_book_pdf.py ONE_PAGE_HTML PDF      (tasks.py build runs it)

What changes from the pages: every fold is open (optional parts and solutions, so that paper holds
all of it), the set-up cells (install, imports) are left out, the theme is light, and the PDF has
bookmarks for its headings and page numbers at the foot of each page.
"""

import os
import pathlib
import re
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# A request for a URL this matches would leave the machine: the one page reads everything from disk.
OUTSIDE = re.compile(r"^(?!(file|data|blob|about):)")
FOOTER = (
    '<div style="font-size: 8px; width: 100%; text-align: center;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
PREPARE = """async () => {
    if (window.MathJax?.startup) await MathJax.startup.promise;  // every formula typeset
    document.querySelectorAll("div.cell.tag_hide-cell").forEach(cell => cell.remove());
    document.querySelectorAll("details").forEach(fold => fold.open = true);
    // Paper has no buttons: the folds' summaries, the theme's navigation and search go.
    const chrome = "details > summary, .skip-link, .bd-sidebar-primary, .bd-sidebar-secondary, "
        + ".bd-header-article, .header-article, .prev-next-area, .search-button__wrapper, "
        + "#pst-back-to-top, .bd-header";
    document.querySelectorAll(chrome).forEach(element => element.remove());
    await document.fonts.ready;
}"""


def at_the_root(page_html: pathlib.Path) -> pathlib.Path:
    """A copy of the one page where its links resolve. The book's root document is book/intro, so
    singlehtml writes book/intro.html, but with its links to _static/ and _images/ written as from the
    build's root: printed where it lies, the PDF had no styles, no math typeset and no figures."""
    root = next(p for p in page_html.resolve().parents if (p / "_static").is_dir())
    copy = root / "whole-book.html"
    copy.write_bytes(page_html.read_bytes())
    return copy


def print_pdf(page_html: pathlib.Path, pdf: pathlib.Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(color_scheme="light")
        page.route(OUTSIDE, lambda route: route.abort())
        # A stylesheet, script, font or figure that did not load; singlehtml writes no search index,
        # which the theme's search asks for (and paper has no search).
        missing = []
        page.on(
            "requestfailed",
            lambda r: (
                OUTSIDE.match(r.url)
                or r.url.endswith("/searchindex.js")
                or missing.append(r.url)
            ),
        )
        page.goto(at_the_root(page_html).as_uri(), wait_until="load")
        page.evaluate(PREPARE)
        broken = page.evaluate(
            "[...document.images].filter(i => !i.naturalWidth).map(i => i.src)"
        )
        if missing or broken:
            sys.exit(
                f"whole_book_pdf: not printed, as these did not load: {missing + broken}"
            )
        page.emulate_media(media="print")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=pdf,
            format="A4",
            margin={"top": "15mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            outline=True,  # bookmarks, from the headings
            tagged=True,  # a structure that screen readers follow
        )
        browser.close()


if __name__ == "__main__":
    print_pdf(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
