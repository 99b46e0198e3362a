#!/usr/bin/env bash
# Flakiness check: run the pytest step of scripts/test.sh (unit tests and strict nbval on every notebook)
# N times in a row, alternating OMP_NUM_THREADS=1 and 2, and report how many runs passed.
# Usage: bash scripts/flake_check.sh [N]   (default 10; exits 1 if any run failed; logs in _build/flake_check)
# The book build and the browser tests are left out: they execute no chapter code.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
venv=${VENV:-.venv}

# The very command scripts/test.sh runs, so that the two cannot drift apart.
command=$(grep -E '^\.venv/bin/python -m pytest .*--nbval' scripts/test.sh | sed -e 's/ "\$@"//' -e "s#^\.venv/#$venv/#")
if [ -z "$command" ] || [ "$(printf '%s\n' "$command" | wc -l)" -ne 1 ]; then
  echo "flake_check: expected one '.venv/bin/python -m pytest ... --nbval ...' line in scripts/test.sh" >&2
  exit 2
fi
logs=_build/flake_check
mkdir -p "$logs"
echo "flake_check: $runs runs of: $command"

passed=0 passed_1=0 passed_2=0 runs_1=0 runs_2=0
for i in $(seq 1 "$runs"); do
  threads=$(( i % 2 == 1 ? 1 : 2 ))
  start=$(date +%s.%N)
  if OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads $command -q >"$logs/run-$i.log" 2>&1; then
    verdict=passed; passed=$((passed + 1)); eval "passed_$threads=\$((passed_$threads + 1))"
  else
    verdict="FAILED (see $logs/run-$i.log)"
  fi
  eval "runs_$threads=\$((runs_$threads + 1))"
  printf 'run %2d  OMP_NUM_THREADS=%s  %5.1f s  %s  %s\n' "$i" "$threads" \
    "$(awk "BEGIN { print $(date +%s.%N) - $start }")" "$(tail -n 1 "$logs/run-$i.log" | tr -d '=' | sed 's/^ *//')" "$verdict"
done
echo "flake_check: $passed of $runs runs passed (OMP_NUM_THREADS=1: $passed_1 of $runs_1, OMP_NUM_THREADS=2: $passed_2 of $runs_2)"
[ "$passed" -eq "$runs" ]
