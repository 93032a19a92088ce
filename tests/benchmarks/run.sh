#!/usr/bin/env bash
# `make bench`: the fault matrix → docs/reliability.md, then the benchmarks → docs/performance.md.
# Not a test gate: a failing fault-matrix cell is reported in docs/reliability.md, and this script goes on;
# it exits non-zero only when a step could not produce its document.
#
#   tests/benchmarks/run.sh                     # everything (40 minutes or more on 2 cores: every timing row is the
#                                               # median of 5 runs of ours and of the peer; the pending copy, 20-group
#                                               # rollout, 1000-account share and newest-image rows alone took 26 minutes)
#   tests/benchmarks/run.sh --reliability-only
#   tests/benchmarks/run.sh --benchmarks-only [run_benchmarks options, e.g. --only copy_8_regions --repetitions 1]
#                                               # with options: a partial run, its raw results only (not rendered)
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}

run_reliability=1
run_benchmarks=1
case "${1:-}" in
  --reliability-only) run_benchmarks=0; shift ;;
  --benchmarks-only) run_reliability=0; shift ;;
esac

if [[ $run_reliability == 1 ]]; then
  echo "== fault matrix (tests/integration/reliability/test_fault_matrix.py)"
  # A results directory of this run's own: a `make test` at the same time writes its cells to tests/output/reliability.
  results_dir=$(mktemp -d "${TMPDIR:-/tmp}/bakery-reliability-XXXXXX") || exit 1
  trap 'rm -rf "$results_dir"' EXIT
  BAKERY_RELIABILITY_RESULTS=$results_dir "$PY" -m pytest -q -n 2 tests/integration/reliability/test_fault_matrix.py
  matrix_status=$?
  [[ $matrix_status == 0 ]] || echo "fault matrix: some cells failed (exit $matrix_status); docs/reliability.md lists them"
  "$PY" -m tests.benchmarks.reliability_report --results "$results_dir" || exit 1
fi

if [[ $run_benchmarks == 1 ]]; then
  echo "== benchmarks (tests/benchmarks/scenarios.py)"
  "$PY" -m tests.benchmarks.run_benchmarks "$@" || exit 1
  if [[ $# -gt 0 ]]; then
    echo "a partial benchmark run ($*): docs/performance.md left as it is"
  else
    "$PY" -m tests.benchmarks.performance_report || exit 1
  fi
fi
