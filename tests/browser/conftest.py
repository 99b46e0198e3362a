"""The built book in a real browser: Debian's Chromium, driven by Python playwright, reading the pages from
disk (file://) with every request that would leave the machine blocked and recorded.

These tests read `_build/html`, so they run after the book is built (`bash scripts/test.sh` builds it
first). Without a build, or without Chromium, every test fails with a message saying what is missing:
they never pass or skip silently. The browser is the system's Chromium (`/usr/bin/chromium`, or the
path in $CHROMIUM); `playwright install` is never needed nor used.
"""
from __future__ import annotations

import dataclasses
import os
import pathlib

import pytest

from browser_book import CHROMIUM, CHROMIUM_ARGS, HTML, LOCAL_SCHEMES


@dataclasses.dataclass
class Visit:
    """What one page load did: the live page, and everything it tried that a reader must not see."""

    page: object
    console_errors: list[str]
    page_errors: list[str]
    outside_requests: list[str]
    failed_requests: list[str]


@pytest.fixture(scope="session")
def built_book() -> pathlib.Path:
    if not (HTML / "index.html").is_file():
        pytest.fail(
            f"The book is not built: {HTML / 'index.html'} is missing. The browser tests read the built "
            "book; run `bash scripts/build.sh` first (`bash scripts/test.sh` builds it, then runs them).",
            pytrace=False,
        )
    return HTML


@pytest.fixture(autouse=True)
def _needs_the_built_book(built_book):
    """Every test here reads the build: without one, each fails with the message above."""


@pytest.fixture(scope="session")
def browser(built_book):
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing: no executable at {CHROMIUM}. The browser tests drive Debian's chromium: "
            "install it with `apt-get install -y chromium` (as root), or point $CHROMIUM at a Chromium "
            "binary. They never download a browser (`playwright install` is not used).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """open_page("notebooks/01_backprop_basics", theme="dark") -> Visit, loaded and with math typeset.

    Every request that is not for a local file is aborted and recorded, as is every console error,
    uncaught exception and failed local request (a missing font, script or image)."""
    contexts = []

    def _open(doc: str, theme: str = "light", query: str = "", settle: bool = True) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=theme)
        contexts.append(context)
        # The pydata theme reads the reader's choice from localStorage before it paints.
        context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
        visit = Visit(page=None, console_errors=[], page_errors=[], outside_requests=[], failed_requests=[])

        def block_outside(route):
            url = route.request.url
            if url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                route.abort("blockedbyclient")

        context.route("**/*", block_outside)
        page = context.new_page()
        page.on("request", lambda r: None if r.url.startswith(LOCAL_SCHEMES) else visit.outside_requests.append(r.url))
        page.on("requestfailed", lambda r: None if not r.url.startswith(LOCAL_SCHEMES)
                else visit.failed_requests.append(f"{r.url}: {r.failure}"))
        page.on("console", lambda m: visit.console_errors.append(f"{m.text} ({m.location.get('url')})")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
        visit.page = page
        page.goto((built_book_path(doc)).as_uri() + query, wait_until="load")
        if not settle:  # a page that navigates away at once (index.html redirects)
            return visit
        # MathJax typesets asynchronously after load; wait for it where the page loads it.
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : true")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        return visit

    yield _open
    for context in contexts:
        context.close()


def built_book_path(doc: str) -> pathlib.Path:
    return HTML / f"{doc}.html"
