#!/usr/bin/env bash
# Build the HTML book (set-up included): _build/html/index.html. The command is defined in scripts/tasks.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-$(command -v python3.11 || command -v python3)}" scripts/tasks.py build
