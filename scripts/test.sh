#!/usr/bin/env bash
# Everything CI checks: set up, build the book (warnings as errors), then run the unit tests and
# re-execute every notebook with strict nbval, two notebooks at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
.venv/bin/python -m pytest --nbval --nbval-current-env -n 2 --dist loadfile "$@"
