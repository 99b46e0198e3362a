#!/usr/bin/env bash
# Everything CI checks: set up, build the book (warnings as errors), then run the unit tests and
# re-execute every notebook with strict nbval, two notebooks at a time; then read the built book in
# Chromium, offline (tests/browser).
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser tests drive the system's Chromium: install Debian's package when it is missing and we
# may (root, with apt-get); otherwise say so now rather than after the long steps.
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] && [ -z "${CHROMIUM:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "test: installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x "$chromium" ]; then
  echo "test: Chromium is missing (no executable $chromium); the browser tests (tests/browser) need it." >&2
  echo "test: install Debian's chromium (as root: apt-get install -y chromium), or set CHROMIUM=/path/to/chromium." >&2
  exit 1
fi
bash scripts/build.sh
# -p tests.fast_startup: 3 s less start-up on two cores (see that file).
.venv/bin/python -m pytest -p tests.fast_startup --nbval --nbval-current-env -n 2 --dist loadfile --ignore=tests/browser "$@"
.venv/bin/python -m pytest tests/browser
echo "test: screenshots of every chapter, light and dark, are in $(pwd)/_build/screenshots"
