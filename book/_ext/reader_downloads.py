"""What the built book hands a reader who runs the chapters: the reader notebooks, which read like the
page in Colab, JupyterLab, VS Code and GitHub (scripts/reader_notebooks.py makes them).

- The download menu's .ipynb is the chapter's reader notebook.
- A zip of them all lies at the book's root, READER_ZIP, for the landing page's link.
- "Report an error" opens the issue form, ISSUE_FORM, with the page filled in.
- The Colab and Binder buttons open the reader notebook from READER_BRANCH, the branch to which the
  Pages workflow publishes them (with the helper package and Binder's environment); Binder in
  JupyterLab (`launch_buttons.notebook_interface` in _config.yml).
"""

import pathlib
import re
import shutil
import sys
import tempfile
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import reader_notebooks  # noqa: E402

READER_BRANCH = "reader-notebooks"
READER_ZIP = reader_notebooks.ZIP_NAME
# The issue form a reader's report opens, with the page filled in (its field `page`).
ISSUE_FORM = "error-in-the-book.yml"


def adjust_header_buttons(app, pagename, templatename, context, doctree):
    """Colab and Binder open the reader notebook; "Open issue" becomes "Report an error", the form."""
    branch = app.config.html_theme_options.get("repository_branch", "main")
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", [group]):
            url = button.get("url", "")
            if button.get("text") == "Colab":
                old, new = f"/blob/{branch}/", f"/blob/{READER_BRANCH}/"
                button["url"] = url.replace(old, new)
            elif button.get("text") == "Binder":
                old, new = f"/{branch}?urlpath=", f"/{READER_BRANCH}?urlpath="
                button["url"] = url.replace(old, new)
            elif button.get("label") == "source-issues-button":
                page = re.sub(r"<[^>]+>", "", context.get("title", pagename))
                query = urllib.parse.urlencode({"template": ISSUE_FORM, "page": page})
                button["url"] = f"{url.split('/issues/new')[0]}/issues/new?{query}"
                button["text"] = button["tooltip"] = "Report an error"


def write_reader_notebooks(app, exception):
    # The HTML pages only: not the one-page book the PDF is printed from (it offers no downloads).
    if exception is not None or app.builder.name != "html":
        return
    out = pathlib.Path(app.outdir)
    with tempfile.TemporaryDirectory() as tmp:
        for notebook in reader_notebooks.generate(pathlib.Path(tmp)):
            shutil.copy(notebook, out / "_sources" / "notebooks" / notebook.name)
        shutil.copy(pathlib.Path(tmp) / READER_ZIP, out / READER_ZIP)


def setup(app):
    # After sphinx-book-theme's own handler (priority 500), which makes the buttons.
    app.connect("html-page-context", adjust_header_buttons, priority=900)
    app.connect("build-finished", write_reader_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
