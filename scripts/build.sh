#!/usr/bin/env bash
# Build the HTML book with warnings as errors. Output: _build/html/index.html
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/jupyter-book build . -W -n --keep-going
echo "The book is built: open $(pwd)/_build/html/index.html"
