#!/usr/bin/env bash
# Build the HTML book with warnings as errors. Output: _build/html/index.html
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# --all: a fresh Sphinx environment, so every page is re-read and its warnings are reported on every
# run; without it a rebuild re-reads only changed pages, and a second run passes with a broken link.
.venv/bin/jupyter-book build . --all -W -n --keep-going
echo "The book is built: open $(pwd)/_build/html/index.html"
