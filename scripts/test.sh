#!/usr/bin/env bash
# Everything CI checks (set-up included). The steps are defined in scripts/tasks.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-$(command -v python3.11 || command -v python3)}" scripts/tasks.py test
