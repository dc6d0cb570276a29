#!/usr/bin/env bash
# Times agentsweep-gen writing EVENTS events (default 2,000,000) as zstd level-3 frames
# on all cores and prints events per second. Not a test: the figure goes into
# docs/benchmarks.md ("Generator") together with the machine it was measured on.
#
# Usage: bench/generator.sh [path/to/agentsweep-gen]
#   EVENTS=N      events to generate (default 2000000)
#   THREADS=T     worker threads (default: all cores)
#   EXTRA="..."   more agentsweep-gen flags, e.g. EXTRA="--plain"
set -euo pipefail

gen=${1:-build/datasets/agentsweep-gen}
events=${EVENTS:-2000000}
threads=${THREADS:-0}
if [[ ! -x "$gen" ]]; then
  echo "bench/generator.sh: $gen not found; build it first (cmake --build build) or pass its path" >&2
  exit 2
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/agentsweep-gen-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT

start=$(date +%s.%N)
# shellcheck disable=SC2086  # EXTRA holds several flags on purpose
"$gen" --events "$events" --days 1 --threads "$threads" --out "$out" ${EXTRA:-} 2>/dev/null
end=$(date +%s.%N)

bytes=$(du -cb "$out"/*.jsonl* | tail -1 | cut -f1)
awk -v n="$events" -v s="$start" -v e="$end" -v b="$bytes" -v cores="$(nproc)" -v t="$threads" 'BEGIN {
  secs = e - s
  printf "agentsweep-gen: %d events in %.2f s = %.0f events/s (%d cores, --threads %s), %.1f MB written\n",
         n, secs, n / secs, cores, (t == 0 ? "all" : t), b / 1e6
}'
