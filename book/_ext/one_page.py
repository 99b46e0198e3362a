"""The whole book on one page, as Sphinx's singlehtml builder writes it (the PDF is printed from it).

sphinx-exercise registers its nodes for the builder named singlehtml, and from then on Sphinx looks up
no translator for singlehtml under "html": myst-nb's folded cells (tag hide-cell) would have none, and
the build stops ("departing unknown node type: HideCodeCellNode"). This gives them HTML's.
"""

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput


def setup(app):
    app.add_node(
        HideCodeCellNode,
        override=True,
        html=(visit_HideCellInput, depart_HideCellInput),
        singlehtml=(visit_HideCellInput, depart_HideCellInput),
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
