"""A pytest plugin that scripts/test.sh loads first (`-p tests.fast_startup`), before nbval imports nbformat.

nbformat validates notebooks with jsonschema, and importing jsonschema (4.25 and later) also imports the
optional package rfc3987-syntax when it is installed (JupyterLab's jupyter-events brings it in). That
package compiles about 35 grammars at import time: 1.1 s of CPU in each of the three pytest processes
(the controller and the two xdist workers), about 3 s of the suite's 24 on two cores. It only checks the
"iri" and "iri-reference" string formats, which no notebook schema uses (and nbformat does not check
formats), so the test processes go without it. Upstream: python-jsonschema/jsonschema issue #1428.
Nothing else changes: the chapters' kernels and the book build do not load this plugin.
"""
import sys

# `import rfc3987_syntax` now raises ImportError, which jsonschema catches and skips the two checks.
sys.modules.setdefault("rfc3987_syntax", None)
