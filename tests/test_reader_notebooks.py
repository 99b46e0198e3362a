"""The reader notebooks (scripts/reader_notebooks.py): what Colab, JupyterLab, VS Code and GitHub show.
Their code cells are the chapters' own, in the same order with the same stored outputs, so strict nbval
on the chapters checks them too; their Markdown, read as CommonMark, holds no MyST."""

import json
import pathlib
import re
import sys
import zipfile

import pytest
from markdown_it import MarkdownIt
from quoted_numbers import QUOTED

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scripts"))
import reader_notebooks as readers  # noqa: E402

CHAPTERS = readers.chapters()
IDS = [p.stem for p in CHAPTERS]
COMMONMARK = MarkdownIt(
    "commonmark"
)  # close to what Colab, GitHub and JupyterLab render


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("reader-notebooks")
    readers.generate(out)
    return out


def reader(generated: pathlib.Path, chapter: pathlib.Path) -> dict:
    return json.loads((generated / chapter.name).read_text(encoding="utf-8"))


def markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_code_cells_are_the_chapters_own_in_order_with_their_outputs(
    generated, chapter
):
    source = readers.read(chapter)
    kept = [
        c
        for c in source["cells"]
        if c["cell_type"] == "code" and not readers.page_only(c)
    ]
    code = [c for c in reader(generated, chapter)["cells"] if c["cell_type"] == "code"]
    assert [c["id"] for c in code] == [c["id"] for c in kept]
    for count, (mine, theirs) in enumerate(zip(code, kept, strict=True), 1):
        assert mine["source"] == theirs["source"]
        assert mine["execution_count"] == count  # as a run from the top counts them
        for output in theirs["outputs"]:
            if "execution_count" in output:
                output["execution_count"] = count
        assert mine["outputs"] == theirs["outputs"]


def myst_left(text: str, keys: set[str]) -> list[str]:
    """What MyST syntax a CommonMark reader would show raw: directives, roles, options, glue keys."""
    found = []
    for token in COMMONMARK.parse(text):
        if token.type == "fence" and token.info.startswith("{"):
            found.append(f"a directive ```{token.info}")
        children = token.children or []
        for child, after in zip(children, [*children[1:], None], strict=False):
            # A role is text ending in {name} right before `its content`: {glue:text}`key`.
            role = child.type == "text" and re.search(
                r"\{[a-z][\w:-]*\}$", child.content
            )
            if role and after is not None and after.type == "code_inline":
                found.append(f"a role: {role.group(0)}`{after.content}`")
            if child.type == "code_inline" and child.content.split(":")[0] in keys:
                found.append(f"a glue key: `{child.content}`")
        pattern = r"^:::|^:[\w-]+:( |$)|^\(\w[\w-]*\)="
        if token.type == "inline" and re.search(pattern, token.content, re.M):
            found.append(f"an option, colon fence or target: {token.content!r}")
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_markdown_read_as_commonmark_holds_no_myst_and_no_glue_key(generated, chapter):
    keys = {k for p in CHAPTERS for k in readers.glued(readers.read(p))}
    assert len(keys) > 50  # guards the check: the chapters' keys were found
    problems = [
        f"{problem} in: {text[:80]!r}"
        for text in markdown(reader(generated, chapter))
        for problem in myst_left(text, keys)
    ]
    assert problems == []


def test_the_myst_check_sees_what_the_chapters_write():
    # The forms the chapters' sources use, each found (so the test above can fail).
    keys = {"next_loss"}
    for text in [
        "```{exercise}\n:label: x\nDo it.\n```\n",
        "It fell to {glue:text}`next_loss:.2f`.",
        "It fell to `next_loss:.2f`.",
        "(a-target)=\n## A section",
    ]:
        assert myst_left(text, keys), text
    plain = "It fell to 0.64, as `loss.item()` shows: $2^{-23}$, $\\frac{1}{N}$; `{x}`."
    assert myst_left(plain, keys) == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_quoted_numbers_read_as_on_the_page(chapter):
    store = {p.stem: readers.glued(readers.read(p)) for p in CHAPTERS}
    roles = [
        role
        for text in markdown(readers.read(chapter))
        for role in readers.ROLE.findall(text)
    ]
    quoted = [f"{role} = {readers.quote(role, chapter.stem, store)}" for role in roles]
    assert quoted == QUOTED.get(f"notebooks/{chapter.stem}", [])


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_exercises_are_numbered_headings_and_solutions_wait_at_the_end(
    generated, chapter
):
    n = int(chapter.name[:2])
    source = "\n".join(markdown(readers.read(chapter)))
    count = source.count("```{exercise}")
    assert count == source.count("```{solution-start}") >= 1
    cells = reader(generated, chapter)["cells"]
    texts = ["".join(c["source"]) for c in cells]
    exercises = [h for t in texts for h in re.findall(r"^### Exercise .*", t, re.M)]
    assert exercises == [f"### Exercise {n}.{i}" for i in range(1, count + 1)]
    start = texts.index(
        "## Solutions\n\nTry each exercise before you read its solution.\n"
    )
    solutions = [
        h for t in texts[start:] for h in re.findall(r"^### Solution .*", t, re.M)
    ]
    assert solutions == [
        f"### Solution to Exercise {n}.{i}" for i in range(1, count + 1)
    ]
    assert not any("### Solution" in t for t in texts[:start])
    # Nothing of a solution before its heading: the last exercise is followed by no code.
    last_exercise = max(i for i, t in enumerate(texts[:start]) if "### Exercise" in t)
    assert [c["cell_type"] for c in cells[last_exercise:start]] == ["markdown"] * (
        start - last_exercise
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_every_figure_is_followed_by_its_numbered_caption(generated, chapter):
    n = int(chapter.name[:2])
    captions = [
        c["metadata"]["mystnb"]["figure"]["caption"]
        for c in readers.read(chapter)["cells"]
        if "mystnb" in c.get("metadata", {})
    ]
    cells = reader(generated, chapter)["cells"]
    shown = [
        "".join(after["source"])
        for cell, after in zip(cells, cells[1:], strict=False)
        if cell["cell_type"] == "code"
        and any("image/png" in o.get("data", {}) for o in cell["outputs"])
        and after["cell_type"] == "markdown"
        and "".join(after["source"]).startswith("*Figure")
    ]
    assert shown == [
        f"*Figure {n}.{i}.* {caption}\n" for i, caption in enumerate(captions, 1)
    ]


def test_no_cell_exists_only_for_the_page(generated):
    for chapter in CHAPTERS:
        for cell in reader(generated, chapter)["cells"]:
            assert not readers.page_only(cell)
            assert "ladder.glue" not in "".join(cell["source"])


def page_only_cell(code: str) -> dict:
    return {
        "cell_type": "code",
        "id": "glue",
        "metadata": {"tags": ["remove-cell"]},
        "source": code,
        "outputs": [],
    }


@pytest.mark.parametrize(
    "code", ["x = w.item()", "ladder.glue('w', train(w))", "torch.manual_seed(1)"]
)
def test_a_page_only_cell_that_could_change_later_cells_is_refused(code):
    with pytest.raises(ValueError, match="may only call ladder.glue on values"):
        readers.check_page_only_cell(page_only_cell(code), "09_test")


def test_a_page_only_cell_that_glues_values_is_left_out_quietly():
    code = "ladder.glue('w', round(float(model(X).item()), 4))"
    readers.check_page_only_cell(page_only_cell(code), "09_test")


def test_the_zip_holds_every_reader_notebook_and_is_the_same_on_every_run(
    generated, tmp_path
):
    archive = generated / readers.ZIP_NAME
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert names == [f"{readers.ZIP_FOLDER}/{p.name}" for p in CHAPTERS]
        for name in names:
            assert (
                opened.read(name) == (generated / pathlib.Path(name).name).read_bytes()
            )
    readers.generate(tmp_path)
    assert (tmp_path / readers.ZIP_NAME).read_bytes() == archive.read_bytes()


def test_the_published_branch_holds_the_reader_notebooks_and_what_runs_them(
    generated, tmp_path
):
    readers.tree(tmp_path / "branch")
    branch = tmp_path / "branch"
    for chapter in CHAPTERS:
        assert (branch / "notebooks" / chapter.name).read_bytes() == (
            generated / chapter.name
        ).read_bytes()
    for name in ["pyproject.toml", "src/ladder/__init__.py", "binder/requirements.txt"]:
        assert (branch / name).is_file(), name
    assert "reader-env/" in (branch / ".gitignore").read_text().split()
    readme = (branch / "README.md").read_text()
    assert "pip install . jupyterlab" in readme and "jupyter lab notebooks/" in readme


def test_every_link_opens_a_reader_notebook_or_a_page_of_the_book_on_the_web(generated):
    names = {p.name for p in CHAPTERS}
    targets = set()
    for chapter in CHAPTERS:
        for text in markdown(reader(generated, chapter)):
            for token in COMMONMARK.parse(text):
                for child in token.children or []:
                    if child.type == "link_open":
                        targets.add(child.attrs["href"])
    assert len(targets) > 8  # the chapters' links were found
    for target in targets:
        path, _, _ = target.partition("#")
        if target.startswith("https://"):
            continue
        assert path in names, f"a link no reader notebook answers: {target}"
    pages = [t for t in targets if t.startswith(readers.BOOK_URL)]
    for page in pages:
        name = page.removeprefix(readers.BOOK_URL).split("#")[0]
        assert (readers.ROOT / name).with_suffix(".md").is_file(), page
    assert pages, "no link to a page of the book"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_the_last_cell_links_to_the_previous_and_the_next_chapter(generated, chapter):
    toc = (readers.ROOT / "_toc.yml").read_text(encoding="utf-8")
    order = [f"{stem}.ipynb" for stem in re.findall(r"file: notebooks/(\S+)", toc)]
    i = order.index(chapter.name)
    expected = order[max(i - 1, 0) : i] + order[i + 1 : i + 2]
    if i == len(order) - 1:
        expected.append(readers.BOOK_URL + "book/intro.html")
    last = markdown(reader(generated, chapter))[-1]
    tokens = [t for b in COMMONMARK.parse(last) for t in b.children or []]
    links = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert links == expected
    for href in links[: len(expected) - (i == len(order) - 1)]:
        number = int(href[:2])
        heading = "".join(
            json.loads((readers.NOTEBOOKS / href).read_text())["cells"][0]["source"]
        )
        assert f"[{number}. {heading.splitlines()[0][2:]}]({href})" in last
