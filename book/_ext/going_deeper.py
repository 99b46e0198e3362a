"""Fold each optional part of a chapter on the page, closed until the reader opens it.

A chapter marks an optional part with a heading that begins "Going deeper (optional)"; the part runs
to the next heading of its level (tests/notebook_checks.py checks that no later cell needs it). Here
everything under that heading goes into a <details> element: no script is needed to open it, and a
screen reader announces it as a control. In a notebook the heading alone says the part is optional.
"""

from docutils import nodes

MARK = "Going deeper (optional)"
SUMMARY = "Show this optional part"


class folded(nodes.General, nodes.Element):
    """The content of an optional part."""


def visit_folded(self, node):
    self.body.append(f'<details class="going-deeper">\n<summary>{SUMMARY}</summary>\n')


def depart_folded(self, node):
    self.body.append("</details>\n")


def fold_optional_parts(app, doctree) -> None:
    for section in list(doctree.findall(nodes.section)):
        if not (
            isinstance(section[0], nodes.title) and section[0].astext().startswith(MARK)
        ):
            continue
        content = list(section.children[1:])
        del section[1:]
        box = folded()
        box.extend(content)
        section.append(box)


def setup(app):
    # singlehtml too, by name: see book/_ext/one_page.py.
    handlers = (visit_folded, depart_folded)
    app.add_node(folded, html=handlers, singlehtml=handlers)
    app.connect("doctree-read", fold_optional_parts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
