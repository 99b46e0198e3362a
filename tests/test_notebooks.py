"""Checks on the committed notebooks that nbval cannot make: nbval compares a cell's new output with the
stored one, so a notebook committed without outputs, or from a partial or out-of-order run, would pass it."""
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ANSI_COLOUR = re.compile(r"\\u001b\[[0-9;]*m")  # as json.dumps writes the escape in a traceback
ABSOLUTE_PY_PATH = re.compile(r"(?<![\w.])/(?:[\w.-]+/)+[\w.-]+\.py")
MARKERS = re.compile(r"NBVAL_IGNORE_OUTPUT|NBVAL_SKIP|NBVAL_CHECK_OUTPUT|nbval-ignore-output|nbval-skip")

# The seed's autograd and nn/optim runs, as it printed them. Chapters 2, 3 and 4 must print exactly these
# lines (chapter 2 too: under NumPy 2 its float32 loop matches, see its note on epoch 21).
SEED_TRAJECTORY = """\
Prediction before training: f(5) = 0.000
Loss after epoch 1 is 30.0000000000
Loss after epoch 11 is 1.1627856493
Loss after epoch 21 is 0.0450688973
Loss after epoch 31 is 0.0017468547
Loss after epoch 41 is 0.0000677049
Loss after epoch 51 is 0.0000026244
Loss after epoch 61 is 0.0000001018
Loss after epoch 71 is 0.0000000040
Loss after epoch 81 is 0.0000000001
Loss after epoch 91 is 0.0000000000
Prediction after training: f(5) = 10.000
""".splitlines()


def load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text())


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def stdout(cell: dict) -> str:
    return "".join("".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream")


def printed_lines(name: str) -> list[str]:
    nb = load(ROOT / "notebooks" / name)
    return [line for c in code_cells(nb) for line in stdout(c).splitlines()]


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_in_one_fresh_kernel(path):
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; refresh it with scripts/refresh_notebooks.py")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stored(path):
    cells = code_cells(load(path))
    assert cells[0]["outputs"], f"{path.name}: the first cell prints the 'verified with' line"
    silent = [c for c in cells if not c["outputs"]]
    for cell in silent:
        source = "".join(cell["source"])
        assert not re.search(r"\bprint\(|plt\.show\(|display\(|ladder\.(plot|print)", source), (
            f"{path.name}: a cell that prints or plots has no stored output:\n{source}")
        last = source.rstrip().splitlines()[-1]
        assert last.startswith((" ", "\t", "def ", "#", "import ", "from ")) or "=" in last or last.endswith(")"), (
            f"{path.name}: a cell ending in an expression has no stored output:\n{source}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_errors_only_where_tagged(path):
    for cell in code_cells(load(path)):
        tagged = "raises-exception" in cell["metadata"].get("tags", [])
        has_error = any(o["output_type"] == "error" for o in cell["outputs"])
        assert has_error == tagged, f"{path.name}: error output {has_error}, raises-exception tag {tagged}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_output_is_exempt_from_comparison(path):
    for cell in code_cells(load(path)):
        text = "".join(cell["source"]) + " ".join(cell["metadata"].get("tags", []))
        assert not MARKERS.search(text), f"{path.name}: an nbval marker would hide an output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nothing_volatile_is_stored(path):
    nb = load(path)
    for cell in code_cells(nb):
        assert "execution" not in cell["metadata"], f"{path.name}: execution timestamps stored"
        for output in cell["outputs"]:
            blob = json.dumps(output)
            assert "image/png" not in output.get("data", {}), f"{path.name}: PNG figures are not compared; use SVG"
            assert not re.search(r" at 0x[0-9a-f]+", blob), f"{path.name}: a memory address is stored"
            assert "ipykernel_" not in blob, f"{path.name}: a temporary kernel path is stored (a warning?)"
            assert output.get("name") != "stderr", f"{path.name}: stderr output (a warning?) is stored"
            # a traceback must name files relative to the checkout (.venv/lib/..., src/ladder/...), never
            # a maintainer's folders; scripts/refresh_notebooks.py rewrites them so
            plain = ANSI_COLOUR.sub("", blob)
            assert not ABSOLUTE_PY_PATH.search(plain), f"{path.name}: an absolute path is stored: {ABSOLUTE_PY_PATH.search(plain)[0]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_listed_in_the_table_of_contents(path):
    assert f"file: notebooks/{path.stem}\n" in (ROOT / "_toc.yml").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_line_says_which_versions_produced_it(path):
    assert printed_lines(path.name)[0].startswith("Verified with Python ")


@pytest.mark.parametrize("name", ["02_linear_regression_numpy.ipynb", "03_gradients_with_autograd.ipynb",
                                  "04_loss_and_optimizer.ipynb"])
def test_the_ladder_prints_the_seed_trajectory(name):
    lines = printed_lines(name)
    start = lines.index(SEED_TRAJECTORY[0])
    assert lines[start:start + len(SEED_TRAJECTORY)] == SEED_TRAJECTORY


def test_chapter_1_reproduces_the_seed_backprop():
    nb = load(ROOT / "notebooks" / "01_backprop_basics.ipynb")
    results = [o["data"]["text/plain"] for c in code_cells(nb) for o in c["outputs"] if o["output_type"] == "execute_result"]
    assert "".join(results[0]) == "tensor(1., grad_fn=<PowBackward0>)"
    lines = printed_lines("01_backprop_basics.ipynb")
    assert "tensor(-2.)" in lines
    assert "chain rule by hand: -2.0" in lines and "autograd's w.grad:  -2.0" in lines


def test_chapter_2_explains_the_seeds_epoch_21():
    lines = printed_lines("02_linear_regression_numpy.ipynb")
    assert any(line.endswith("(NumPy 1, the seed):     0.0450690463") for line in lines)


def test_chapter_5_converges_to_the_seed_prediction():
    lines = printed_lines("05_a_model_nn_linear.ipynb")
    assert lines[-1] == "Prediction after training: f(5) = 10.000"
    assert "initial weight -0.0074868, bias 0.5364436" in lines
    reports = [line for line in lines if line.startswith("Loss after epoch")]
    assert [int(line.split()[3].rstrip(",")) for line in reports] == list(range(1, 4001, 400))


def test_readme_figure_is_chapter_5s_stored_figure():
    nb = load(ROOT / "notebooks" / "05_a_model_nn_linear.ipynb")
    svgs = ["".join(o["data"]["image/svg+xml"]) for c in code_cells(nb) for o in c["outputs"]
            if "image/svg+xml" in o.get("data", {})]
    assert (ROOT / "book" / "images" / "fitted-line.svg").read_text() == svgs[-1]
    assert "book/images/fitted-line.svg" in (ROOT / "README.md").read_text()


def test_chapter_6_repeats_chapter_5_numbers():
    chapter_5 = [line for line in printed_lines("05_a_model_nn_linear.ipynb") if line.startswith(("Loss after", "Prediction"))]
    chapter_6 = printed_lines("06_your_own_module.ipynb")
    start = chapter_6.index(chapter_5[0])
    assert chapter_6[start:start + len(chapter_5) - 2] == chapter_5[:-2]  # chapter 5 ends with its exercise's lines


def test_chapter_2_theory_matches_the_measured_losses():
    pairs = [re.match(r"epoch +(\d+): measured ([\d.]+), predicted ([\d.]+)$", line)
             for line in printed_lines("02_linear_regression_numpy.ipynb")]
    pairs = [m for m in pairs if m]
    assert [int(m[1]) for m in pairs] == [1, 11, 21, 31]
    for m in pairs:
        k = int(m[1]) - 1
        assert float(m[3]) == pytest.approx(30 * 0.85 ** (2 * k), abs=5.1e-11)  # the closed form, to 10 decimals
        assert float(m[2]) == pytest.approx(float(m[3]), rel=1e-5)          # the measurement agrees


# Each pitfall cell must show the real error PyTorch (or the helper) raises.
PITFALLS = [
    ("01_backprop_basics.ipynb", "RuntimeError", "a leaf Variable that requires grad is being used in an in-place operation"),
    ("01_backprop_basics.ipynb", "RuntimeError", "Trying to backward through the graph a second time"),
    ("04_loss_and_optimizer.ipynb", "AttributeError", "'SGD' object has no attribute 'grad_zero'"),
    ("04_loss_and_optimizer.ipynb", "DivergenceError", "the loss became inf at epoch 24 with learning rate 0.5"),
    ("05_a_model_nn_linear.ipynb", "RuntimeError", "mat1 and mat2 shapes cannot be multiplied (1x4 and 1x1)"),
    ("06_your_own_module.ipynb", "RuntimeError", "size mismatch for linear.weight"),
]


@pytest.mark.parametrize("name,ename,message", PITFALLS, ids=[f"{p[0][:2]}-{p[1]}-{i}" for i, p in enumerate(PITFALLS)])
def test_pitfall_cells_show_their_real_error(name, ename, message):
    errors = [o for c in code_cells(load(ROOT / "notebooks" / name)) for o in c["outputs"] if o["output_type"] == "error"]
    assert any(o["ename"] == ename and message in o["evalue"] for o in errors), [(o["ename"], o["evalue"]) for o in errors]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_ends_with_exercises_whose_solutions_run(path):
    cells = load(path)["cells"]
    text = ["".join(c["source"]) for c in cells]
    exercises = [i for i, s in enumerate(text) if "```{exercise}" in s]
    assert len(exercises) >= 2, f"{path.name}: at least two exercises"
    for i in exercises:
        label = re.search(r":label: (\S+)", text[i])[1]
        start = next(j for j, s in enumerate(text) if f"```{{solution-start}} {label}" in s)
        assert ":class: dropdown" in text[start], f"{label}: the solution must be hidden until opened"
        # the solution ends at the first solution-end after its start (a cell may close one and open the next)
        end = next(j for j in range(start + 1, len(cells)) if "```{solution-end}" in text[j])
        solution_code = [c for c in cells[start:end + 1] if c["cell_type"] == "code"]
        assert solution_code and all(c["outputs"] for c in solution_code), f"{label}: solution code with stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_links_to_its_neighbours(path):
    text = "".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    index = NOTEBOOKS.index(path)
    if index > 0:
        assert f"]({NOTEBOOKS[index - 1].name})" in text, "link to the previous chapter"
    if index < len(NOTEBOOKS) - 1:
        assert f"]({NOTEBOOKS[index + 1].name})" in text, "link to the next chapter"
