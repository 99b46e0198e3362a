"""The built book in Debian's Chromium (headless, driven by pytest-playwright), read from
disk (file://) with every request that would leave the machine blocked. Run after the build:
    .venv/bin/python -m pytest -q -m browser tests/browser [--tracing retain-on-failure]
The tests share one browser ($CHROMIUM, or /usr/bin/chromium; never `playwright install`);
each gets a fresh `page`. With --tracing retain-on-failure, a failing test keeps its
Playwright trace in _build/test-results/ (`.venv/bin/playwright show-trace PATH`): the
test command runs the failures again so, as tracing makes every test about a third slower.
Without the build or Chromium, every test fails saying which is missing."""

import os

import pytest
from browser_book import CHROMIUM, CHROMIUM_ARGS, HTML, OUTSIDE, ROOT

# Waits for the theme to follow the system's; returns the theme shown.
FOLLOW_THEME = """async theme => {
    for (let i = 0; i < 100 && document.documentElement.dataset.theme != theme; i++)
        await new Promise(resolve => setTimeout(resolve, 20));
    const transitions = document.getAnimations().filter(a => a instanceof CSSTransition);
    await Promise.all(transitions.map(a => a.finished.catch(() => {})));  // colours set
    return document.documentElement.dataset.theme;
}"""


def pytest_configure(config):
    # pytest-playwright's --output, unless given: beside the build, which CI keeps on failure.
    if config.option.output == "test-results":
        config.option.output = str(ROOT / "_build" / "test-results")


@pytest.fixture(scope="session", autouse=True)
def book_and_chromium():
    if not (HTML / "index.html").is_file():
        pytest.fail(
            f"The book is not built: no {HTML / 'index.html'}. Build it first: "
            "`python3 scripts/tasks.py build` (`python3 scripts/tasks.py test` builds, "
            "then runs these tests).",
            pytrace=False,
        )
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing: no executable {CHROMIUM}. Install Debian's "
            "(`apt-get install -y chromium`, as root) or set $CHROMIUM to a Chromium "
            "binary. These tests never download a browser (no `playwright install`).",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, book_and_chromium):
    executable = {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
    return {"headless": True, **browser_type_launch_args, **executable}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The reader's system is light; the book follows it (test_page turns it dark).
    viewport = {"width": 1280, "height": 900}
    return {**browser_context_args, "viewport": viewport, "color_scheme": "light"}


class Reader:
    """The test's page, offline: every request that would leave the machine is aborted.
    That, a failed local request, a console error or an uncaught exception is a problem."""

    def __init__(self, page):
        self.page, self.problems = page, []
        page.set_default_timeout(10_000)
        page.context.route(OUTSIDE, self._leaves)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)

    def _leaves(self, route):
        self.problems.append(f"a request would leave the machine: {route.request.url}")
        route.abort("blockedbyclient")

    def _console(self, message):
        if message.type == "error":
            where = message.location["url"], message.location["lineNumber"]
            self.problems.append(f"console error: {message.text} at {where}")

    def _failed(self, request):
        if not OUTSIDE.match(request.url):
            self.problems.append(f"missing: {request.url} ({request.failure})")

    def open(self, doc: str):
        """The page of `doc` ("notebooks/02_backprop_basics"), its math typeset."""
        self.page.goto((HTML / f"{doc}.html").as_uri())
        self.page.evaluate(
            "async () => { if (window.MathJax?.startup) await MathJax.startup.promise;"
            " await document.fonts.ready; }"
        )
        return self.page

    def use_theme(self, theme: str) -> str:
        """The reader's system turns to `theme`; returns the theme the book shows."""
        self.page.emulate_media(color_scheme=theme)
        return self.page.evaluate(FOLLOW_THEME, theme)

    def assert_no_problems(self, what: str):
        assert not self.problems, f"{what}:\n" + "\n".join(self.problems)


@pytest.fixture
def reader(page) -> Reader:
    return Reader(page)
