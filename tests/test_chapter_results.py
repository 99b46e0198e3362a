"""What each chapter must print, located by cell id. Strict nbval compares a rerun with the stored
outputs; these pin the stored outputs themselves, so a refresh that changed a result cannot be committed
unnoticed. The ladder's promise is checked across chapters: each rung prints the numbers of the last."""

import json
import pathlib

import pytest

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"

# The running example's training run (y = 2x from x = 1..4, w = 0, lr = 0.01, 100 epochs), as the
# tutorial it follows printed it with autograd. Chapters 3, 4 and 5 each print exactly these lines.
TRAJECTORY = """\
Prediction before training: f(5) = 0.000
Epoch 1: loss 30.0000000000
Epoch 11: loss 1.1627856493
Epoch 21: loss 0.0450688973
Epoch 31: loss 0.0017468547
Epoch 41: loss 0.0000677049
Epoch 51: loss 0.0000026244
Epoch 61: loss 0.0000001018
Epoch 71: loss 0.0000000040
Epoch 81: loss 0.0000000001
Epoch 91: loss 0.0000000000
Prediction after training: f(5) = 10.000""".splitlines()


def printed(chapter: str, cell_id: str) -> list[str]:
    """The lines a cell shows: its printed text, its result, and an error as `Name: message`."""
    (path,) = NOTEBOOKS.glob(f"{chapter}_*.ipynb")
    cells = {
        c.get("id"): c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
    }
    assert cell_id in cells, f"{path.name} has no cell with id {cell_id!r}"
    lines = []
    for output in cells[cell_id]["outputs"]:
        if output["output_type"] == "stream":
            lines += "".join(output["text"]).splitlines()
        elif output["output_type"] == "error":
            lines.append(f"{output['ename']}: {output['evalue']}")
        elif "text/plain" in output.get("data", {}):
            lines += "".join(output["data"]["text/plain"]).splitlines()
    return lines


@pytest.mark.parametrize("chapter,cell_id", [("03", "train")])
def test_the_ladder_prints_the_same_training_run(chapter, cell_id):
    assert printed(chapter, cell_id) == TRAJECTORY


def test_own_module_and_wrapped_linear_print_chapter_6s_run():
    chapter_6 = printed("06", "model-init")[-1:] + printed("06", "train")
    assert chapter_6[0] == "Prediction before training: f(5) = 0.499"
    assert chapter_6[-1] == "Prediction after training: f(5) = 10.000"
    # Chapter 7 shows one line of chapter 6's run, and checks all 4,000 losses against it.
    (line_3601,) = [line for line in chapter_6 if line.startswith("Epoch 3601: ")]
    own = printed("07", "train-own")
    assert own[0] == chapter_6[0] and own[3] == chapter_6[-1]
    assert own[1] == line_3601.split(",")[0]
    assert own[2] == "after 4,000 epochs: w = 2.0000, b = 0.0000"
    assert own[4] == "the same 4,000 losses as chapter 6's nn.Linear(1, 1): True"
    wrapped = printed("07", "train-wrapped")
    assert wrapped[2:] == [chapter_6[-1], "the same 4,000 losses as MyLinear: True"]


# Results each chapter states in its text: (chapter, cell id, lines the cell must show).
RESULTS = [
    ("01", "trap", ["torch.Size([4, 4])"]),
    ("01", "solution-column-data", ["their column means now: tensor([0., 0.])"]),
    (
        "01",
        "solution-row-means",
        [
            "RuntimeError: The size of tensor a (2) must match the size of tensor b (4) "
            "at non-singleton dimension 1"
        ],
    ),
    ("01", "trap-loss", ["y shaped (4,):   10.0", "y shaped (4, 1): 0.0"]),
    (
        "01",
        "item-error",
        ["RuntimeError: a Tensor with 4 elements cannot be converted to Scalar"],
    ),
    (
        "01",
        "float32-eps",
        ["eps: 1.1920928955078125e-07 == 2**-23: True", "1 + 1e-8 == 1: True"],
    ),
    (
        "01",
        "float32-digits",
        [
            "24 binary digits: 7.22 decimal digits",
            "np.finfo(np.float32).precision: 6",
            "6 digits, all come back: True",
            "7 digits, one float32: True 8589973504",
            "8.589973e9 comes back as 8.589974e+09",
        ],
    ),
    ("01", "float64-promotion", ["torch.float32", "torch.float64"]),
    ("01", "indexing", ["torch.Size([])", "torch.float32"]),
    ("01", "numpy-dtype", ["float64 torch.float64", "torch.float64"]),
    (
        "01",
        "views",
        [
            "list:   [1.0, 2.0, 3.0, 4.0]",
            "tensor: tensor([ 1., 20.,  3.,  4.])",
            "tensor: tensor([ 1., 20.,  3., 40.])",
        ],
    ),
    (
        "01",
        "clone",
        ["copy:   tensor([-1.,  3.])", "tensor: tensor([ 1., 20.,  3., 40.])"],
    ),
    (
        "01",
        "requires-grad-not",
        ["tensor([False, False,  True,  True]) False", "tensor(3) False"],
    ),
    (
        "01",
        "detach-view",
        [
            "y_hat: tensor([100.,   2.,   3.,   4.], grad_fn=<MulBackward0>)",
        ],
    ),
    (
        "01",
        "solution-point-three",
        [
            "torch.Size([4, 2])",
            "third sample: tensor([3., 9.])",
            "torch.Size([4]) torch.Size([4, 1])",
            "doubled: tensor([ 2.,  8., 18., 32.]) table unchanged: tensor([ 1.,  4.,  9., 16.])",
        ],
    ),
    ("02", "forward", ["tensor(1., grad_fn=<PowBackward0>)"]),
    (
        "02",
        "slope",
        [
            "h = 0.1: slope -1.9000",
            "h = 0.01: slope -1.9900",
            "h = 0.001: slope -1.9990",
        ],
    ),
    (
        "02",
        "sol-square-input",
        ["autograd:          -8.0000", "finite difference: -7.9880"],
    ),
    ("02", "backward", ["tensor(-2.)"]),
    (
        "02",
        "sol-gradient",
        [
            "w = 1.0000: loss 1.0000, gradient 6.0000",
            "w = 0.6667: loss 0.0000, gradient 0.0000",
        ],
    ),
    ("02", "by-hand", ["chain rule by hand: -2.0", "autograd's w.grad:  -2.0"]),
    ("02", "update", ["w = 1.2000, w.grad = 0.0000"]),
    (
        "02",
        "pitfall-in-place",
        [
            "RuntimeError: a leaf Variable that requires grad is being used in an in-place operation."
        ],
    ),
    (
        "03",
        "gradient-check",
        [
            "w = 0.0: formula -30.000, finite difference -30.000",
            "w = 1.5: formula -7.500, finite difference -7.500",
        ],
    ),
    ("03", "theory", ["largest relative difference over epochs 1-30: 9.7e-06"]),
    ("03", "final-w", ["w is 1.53 gaps below the closed form"]),
    (
        "03",
        "count-steps",
        [
            "float32 steps from w up to the float32 nearest the closed form: 2",
            "float32 steps from w up to 2.0:                                3",
        ],
    ),
    ("03", "stuck", ["w - step == w: True"]),
    (
        "03",
        "appendix-replay",
        ["float64 throughout prints 30 * 0.85**(2k) at epochs 1, 11, ..., 91: True"],
    ),
    (
        "03",
        "sol-no-exact-fit",
        [
            "after 100 epochs: w = 2.3333, loss 0.1667",
            "by hand:          w = 2.3333, loss 0.1667",
        ],
    ),
    # Chapter 4 prints two of the run's lines, and checks all 100 losses against chapter 3's loop.
    ("04", "finite-difference-float32", ["finite differences in float32: -21.9345"]),
    ("04", "train", [TRAJECTORY[0], TRAJECTORY[1], TRAJECTORY[6], TRAJECTORY[-1]]),
    (
        "04",
        "same-as-chapter-3",
        ["all 100 losses equal chapter 3's: True; the last: 8.99e-13"],
    ),
    ("04", "pitfall-out-of-place", ["w.is_leaf = False, w.grad_fn = SubBackward0"]),
    ("04", "pitfall-grad-none", ["w_leaf.grad = tensor(-55.5000)"]),
    (
        "04",
        "pitfall-grad-none-warning",
        [
            "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is "
            "being accessed. Its .grad attribute won't be populated during "
            "autograd.backward(). If you indeed want the .grad field to be populated for a "
            "non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the "
            "non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
            "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered "
            "internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
        ],
    ),
    (
        "04",
        "pitfall-none-update",
        [
            "w.grad = None",
            "TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'",
        ],
    ),
    (
        "04",
        "sol-mae",
        [
            "w = 0.5: autograd -2.50, by hand -2.50",
            "w = 2.0: autograd +0.00, by hand +0.00",
            "w = 3.0: autograd +2.50, by hand +2.50",
        ],
    ),
    (
        "04",
        "no-zero-roots",
        [
            "their sizes: 1.0000000000 and 1.0000000000",
            "10000 epochs: the loss stays between 2.0e-06 and 31.17",
        ],
    ),
    # Chapter 5 prints three of the run's lines, and checks all 100 losses against chapter 4's loop.
    ("05", "train", [TRAJECTORY[0], TRAJECTORY[2], TRAJECTORY[-1]]),
    ("05", "train", ["Epoch 100: loss 8.99e-13"]),
    ("05", "same-as-chapter-4", ["the same 100 losses as chapter 4's loop: True"]),
    (
        "05",
        "pitfall-target-first-step",
        [
            "bce(target, prediction): loss 10.0000, weight.grad -inf, weight after one step inf"
        ],
    ),
    ("05", "pitfall-grad-none", ["after zero_grad():                   w.grad = None"]),
    (
        "05",
        "learning-rates",
        [
            "lr = 0.05: w = 1.500, 1.875, 1.969, ...; loss at epoch 60 0",
            "lr = 0.14: w = 4.200, -0.420, 4.662, ...; loss at epoch 60 2.299e+06",
        ],
    ),
    (
        "05",
        "exact-landing",
        [
            "epoch 13: w = 1.9999998808, loss 1.3e-13, formula 1.1e-13",
            "epoch 14: w = 2.0000000000, loss 0, formula 6.7e-15",
            "the float32 just below 2.0: 1.9999998808, 2 - it = 1.19e-07",
            "the smallest positive float32: 1.4e-45",
            "full precision down to: 1.18e-38",
        ],
    ),
    (
        "05",
        "sol-new-data",
        [
            "bound: 2 / (2 * mean(x**2)) = 0.2143",
            "lr = 0.2: factor -0.87, w after 100 epochs 3",
            "lr = 0.23: factor -1.15, w after 100 epochs -2.635e+06",
        ],
    ),
    ("06", "matmul", ["A @ M.T = [[12.0], [34.0], [56.0]]"]),
    (
        "06",
        "matmul-error",
        ["RuntimeError: mat1 and mat2 shapes cannot be multiplied (3x2 and 1x2)"],
    ),
    (
        "06",
        "model-init",
        [
            "model(X):    tensor([0.5290, 0.5215, 0.5140, 0.5065])",
            "X @ W.T + b: tensor([0.5290, 0.5215, 0.5140, 0.5065])",
            "equal: True",
            "initial weight -0.0074868, bias 0.5364436",
        ],
    ),
    (
        "06",
        "eigen",
        [
            "roots of the quadratic: 0.2994 and 16.7006",
            "torch.linalg.eigh: 0.2994 and 16.7006",
        ],
    ),
    (
        "06",
        "hessian",
        [
            "eigenvalues 16.7006 and 0.2994, ratio 55.8",
            "largest learning rate that converges: 2 / lambda_max = 0.1198",
        ],
    ),
    ("06", "rate-check", ["epochs  401 -> 801: loss ratio 0.0908, predicted 0.0908"]),
    (
        "06",
        "pitfall-target-shape",
        [
            "Y_pred - Y_flat has shape (4, 4)",
            "loss of the trained model against Y_flat: 10.0000",
        ],
    ),
    (
        "06",
        "pitfall-target-warning",
        [
            "UserWarning: Using a target size (torch.Size([4])) that is different to the "
            "input size (torch.Size([4, 1])). This will likely lead to incorrect results due "
            "to broadcasting. Please ensure they have the same size."
        ],
    ),
    (
        "06",
        "solution-two-outputs",
        [
            "shapes of weight, bias, output: (2, 1) (2,) (4, 2)",
            "lr = 0.01: f(5) = 10.000 and -1.993, loss 7.6e-06",
            "lr = 0.02: f(5) = 10.000 and -2.000, loss 1.3e-10",
        ],
    ),
    (
        "07",
        "hessian-two-features",
        ["largest learning rate that converges: 2 / lambda_max = 0.2388"],
    ),
    (
        "06",
        "solution-two-outputs-why",
        [
            "line 1: along the slow direction 0.13",
            "line 2: along the slow direction 4.03",
        ],
    ),
    ("07", "solution-half-loaded", ["bias after:   1.0000, equal to model2's: True"]),
    (
        "07",
        "state-dict-buffers",
        [
            "its state_dict:           "
            "['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']"
        ],
    ),
    (
        "07",
        "solution-quadratic",
        [
            "lr 0.1: a = 0.5000, b = -1.0000, c = 2.0000, loss 0.0000",
            "lr 0.2: a = nan, b = nan, c = nan, loss nan",
        ],
    ),
    ("07", "solution-proportional", ["Epoch 11: loss 1.1627856493"]),
    (
        "07",
        "pitfall-out-features",
        [
            "torch.Size([6, 2]) but Y2 has shape torch.Size([6, 1])",
            "UserWarning: Using a target size (torch.Size([6, 1])) that is different to "
            "the input size (torch.Size([6, 2])). This will likely lead to incorrect "
            "results due to broadcasting. Please ensure they have the same size.",
        ],
    ),
    ("08", "model", ["initial weight -0.0074868, bias 0.5364436"]),
    ("08", "loader-seeded", ["the same seed repeats both: True"]),
    (
        "08",
        "full-batch-equals-one-batch",
        [
            "the same losses:    True",
            "the same weight:    True",
            "the same bias:      True",
        ],
    ),
    ("08", "train-batch-8", ["learned y = 2.0258 x + 1.0012"]),
    (
        "08",
        "modes-by-hand",
        [
            "running mean:     0.9 * 0 + 0.1 * 2.0 = 0.2000",
            "running variance: 0.9 * 1 + 0.1 * 1.0 = 1.0000",
        ],
    ),
    (
        "08",
        "compare-learning-rates",
        [
            "         1  0.0147  0.0148  0.0156  0.0202  0.0692     nan",
            "         8  0.0614  0.0149  0.0147  0.0150  0.0157  0.0188",
            "       200  1.0435  0.7841  0.3255  0.0305  0.0148  0.0228",
            "the learning rate of the lowest validation loss: {1: 0.01, 8: 0.1, 200: 0.7}",
        ],
    ),
    (
        "08",
        "hessian",
        [
            "    largest learning rate that converges: 2 / lambda_max = 0.9914",
            "    below lr = 2 / 3.99 = 0.5009, no step grows its sample's error",
        ],
    ),
    ("08", "solution-two-features", ["learned y = 3.0098 x1 + (-2.0247) x2 + 0.9907"]),
    ("09", "fit-a-line", ["a line, epoch 2000: loss 1.45"]),
    (
        "09",
        "standardize-gradients",
        [
            "raw         : gradients from 1.0e-01 to 5.5e+04",
            "standardized: gradients from 7.0e-03 to 7.3e-01",
        ],
    ),
    (
        "09",
        "state-dict-live",
        [
            "the state_dict follows the change: True",
            "the deep copy keeps the old value: True",
        ],
    ),
    (
        "09",
        "two-linear-layers",
        ["two nn.Linear in a row, loss in epoch 2000: 1.45"],
    ),
    (
        "09",
        "network",
        ["loss in epoch 2000: 0.0153", "the exact parabola, x**2: 0.0127"],
    ),
    (
        "09",
        "pitfall-float64",
        [
            "torch.float64",
            "RuntimeError: mat1 and mat2 must have the same dtype, but got Double and Float",
        ],
    ),
    ("09", "bce", ["BCEWithLogitsLoss: 0.7111, by hand: 0.7111"]),
    (
        "09",
        "pitfall-label-shape",
        [
            "ValueError: Target size (torch.Size([3])) must be the same as input size "
            "(torch.Size([3, 1]))"
        ],
    ),
    ("09", "device", ["device: cpu"]),
    ("09", "choose", ["chosen: Adam at lr 0.003, the model of epoch 74"]),
    (
        "09",
        "late-validation",
        ["validation loss over epochs 45 to 100: from 0.0304 to 0.0363"],
    ),
    ("09", "test", ["validation: 98 of 100 right", "test:       97 of 100 right"]),
    (
        "09",
        "deeper-logits",
        ["BCELoss on the sigmoid: 100.0000", "BCEWithLogitsLoss:      20.0000"],
    ),
    ("09", "solution-digits", ["386 of 400 held-out digits right"]),
]


@pytest.mark.parametrize(
    "chapter,cell_id,expected", RESULTS, ids=[f"{c}-{i}" for c, i, _ in RESULTS]
)
def test_chapter_shows_its_result(chapter, cell_id, expected):
    lines = printed(chapter, cell_id)
    assert [line for line in expected if line not in lines] == [], lines
