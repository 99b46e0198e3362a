"""The weekly future report says exactly what differs: a changed printed line, glued value or figure,
and a missing cell, and nothing when the outputs are equal (however a stream was chunked)."""

import copy
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import future_report  # noqa: E402


def chapter(*outputs_by_cell):
    cells = [
        {"cell_type": "markdown", "id": "intro", "source": "# A chapter"},
        *(
            {"cell_type": "code", "id": f"cell-{i}", "source": "", "outputs": outputs}
            for i, outputs in enumerate(outputs_by_cell)
        ),
    ]
    return {"cells": cells, "metadata": {}}


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def figure(svg):
    return {
        "output_type": "display_data",
        "data": {"image/svg+xml": svg},
        "metadata": {},
    }


def glued(name, value):
    return {
        "output_type": "display_data",
        "data": {"text/plain": value},
        "metadata": {"scrapbook": {"name": name}},
    }


STORED = chapter(
    [stream("epoch 1: loss = 30.0\nepoch 2: loss = 4.8\n")],
    [glued("final_w", "'2.00'"), figure("<svg>line</svg>")],
)


def test_equal_outputs_report_nothing_even_when_a_stream_came_in_other_chunks():
    new = copy.deepcopy(STORED)
    new["cells"][1]["outputs"] = [
        stream("epoch 1: loss"),
        stream(" = 30.0\nepoch 2: loss = 4.8\n"),
    ]
    assert future_report.differences(STORED, new) == []


def test_a_changed_printed_line_is_reported_with_both_versions():
    new = copy.deepcopy(STORED)
    new["cells"][1]["outputs"] = [stream("epoch 1: loss = 30.0\nepoch 2: loss = 4.9\n")]
    assert future_report.differences(STORED, new) == [
        "cell `cell-0`:\n    -epoch 2: loss = 4.8\n    +epoch 2: loss = 4.9"
    ]


def test_a_changed_glued_value_and_a_changed_figure_are_reported():
    new = copy.deepcopy(STORED)
    new["cells"][2]["outputs"] = [
        glued("final_w", "'1.99'"),
        figure("<svg>other line</svg>"),
    ]
    assert future_report.differences(STORED, new) == [
        "cell `cell-1`:\n    -glue final_w = '2.00'\n    +glue final_w = '1.99'",
        "cell `cell-1`: 1 figure(s) differ (SVG)",
    ]


def test_an_error_a_lost_figure_and_a_missing_cell_are_reported():
    new = copy.deepcopy(STORED)
    new["cells"][1]["outputs"].append(
        {
            "output_type": "error",
            "ename": "RuntimeError",
            "evalue": "boom",
            "traceback": [],
        }
    )
    del new["cells"][2]
    assert future_report.differences(STORED, new) == [
        "cell `cell-0`:\n    +RuntimeError: boom",
        "cell `cell-1`: missing from the run",
    ]
    lost = copy.deepcopy(STORED)
    lost["cells"][2]["outputs"] = [glued("final_w", "'2.00'")]
    assert future_report.differences(STORED, lost) == [
        "cell `cell-1`: 0 figure(s), stored 1"
    ]


def test_the_report_leads_with_a_summary_that_names_the_differing_chapters():
    text = future_report.report(
        "test releases",
        {"torch": "9.0", "numpy": "9.1"},
        {"01_a": (STORED, []), "02_b": (STORED, ["cell `x`: missing from the run"])},
    )
    assert text.split("\n\n")[2] == (
        "**1 of 2 chapters print exactly their stored outputs** with torch 9.0, numpy 9.1 "
        "(test releases). Differing: 02_b (1 cell(s))."
    )
    assert "## 02_b\n\n```text\ncell `x`: missing from the run\n```" in text
