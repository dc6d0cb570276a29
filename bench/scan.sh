#!/usr/bin/env bash
# Times agentsweep against its floor and a peer on the same generated files, in
# one run: `zstd -dc > /dev/null` (decode floor) and `zstd -dc | grep -c -F`
# (peer), after checking that agentsweep and grep agree on the matching lines.
# Not a test: figures go into docs/benchmarks.md with the machine they came from.
#
# Usage: bench/scan.sh [build-dir]
#   EVENTS=N     events to generate (default 2000000; the files are reused when present)
#   BACKEND=B    agentsweep --backend (default cpu)
set -euo pipefail

build=${1:-build}
events=${EVENTS:-2000000}
backend=${BACKEND:-cpu}
data=${TMPDIR:-/tmp}/agentsweep-bench-$events
patterns=(AKIA ghp_ agsk_live_ "BEGIN RSA PRIVATE KEY" "ignore previous instructions")

for tool in "$build/cli/agentsweep" "$build/datasets/agentsweep-gen"; do
  [[ -x "$tool" ]] || { echo "bench/scan.sh: $tool not found; run scripts/test first" >&2; exit 2; }
done
if [[ ! -d "$data" ]]; then
  "$build/datasets/agentsweep-gen" --events "$events" --days 4 --agents 100000 --operators 1200 \
    --seed 1 --out "$data" >/dev/null
fi
files=("$data"/*.jsonl.zst)
grep_args=(); scan_args=()
for p in "${patterns[@]}"; do grep_args+=(-e "$p"); scan_args+=(-F -e "$p"); done

seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'; }

decoded=$(zstd -dc "${files[@]}" | wc -c)
grep_lines=$(zstd -dc "${files[@]}" | grep -c -F "${grep_args[@]}")
report=$(mktemp); trap 'rm -f "$report"' EXIT
status=0
"$build/cli/agentsweep" scan -q --json --backend "$backend" "${scan_args[@]}" "${files[@]}" >"$report" || status=$?
[[ $status -le 1 ]] || { echo "bench/scan.sh: agentsweep failed with exit status $status" >&2; exit 2; }
scan_lines=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["hit_lines"])' "$report")
if [[ "$grep_lines" != "$scan_lines" ]]; then
  echo "bench/scan.sh: tools disagree: grep -c says $grep_lines lines, agentsweep $scan_lines" >&2
  exit 1
fi

floor=$(seconds zstd -dc "${files[@]}")
peer=$(seconds sh -c "zstd -dc ${files[*]} | grep -c -F $(printf "%q " "${grep_args[@]}")")
ours=$(seconds "$build/cli/agentsweep" scan -q --backend "$backend" "${scan_args[@]}" "${files[@]}")

echo "$events events, $decoded bytes decoded, ${#patterns[@]} patterns, $grep_lines matching lines (both tools agree), $(nproc) cores"
awk -v d="$decoded" -v f="$floor" -v p="$peer" -v o="$ours" -v b="$backend" 'BEGIN {
  printf "%-36s %8s %10s %14s\n", "tool", "seconds", "GB/s", "vs agentsweep"
  printf "%-36s %8.2f %10.2f %14.2f\n", "zstd -dc > /dev/null (floor)", f, d / f / 1e9, f / o
  printf "%-36s %8.2f %10.2f %14.2f\n", "zstd -dc | grep -c -F", p, d / p / 1e9, p / o
  printf "%-36s %8.2f %10.2f %14.2f\n", "agentsweep scan --backend " b, o, d / o / 1e9, 1
}'
