#!/usr/bin/env bash
# Times agentsweep's per-agent aggregation against DuckDB's per-agent group-by
# over the same generated zstd JSON lines, in one run, after checking that both
# count the same events per agent. Also times the decode floor
# (`zstd -dc > /dev/null`). Not a test: figures go into docs/benchmarks.md.
#
# Usage: bench/aggregation.sh [build-dir]
#   EVENTS=N     events to generate (default 2000000; files are reused when present)
#   BACKEND=B    agentsweep --backend (default cpu)
# DuckDB comes from the .venv that scripts/setup makes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build}
events=${EVENTS:-2000000}
backend=${BACKEND:-cpu}
python=$repo/.venv/bin/python
data=${TMPDIR:-/tmp}/agentsweep-bench-$events

for tool in "$build/cli/agentsweep" "$build/datasets/agentsweep-gen" "$python"; do
  [[ -x "$tool" ]] || { echo "bench/aggregation.sh: $tool not found; run scripts/test first" >&2; exit 2; }
done
if [[ ! -d "$data" ]]; then
  "$build/datasets/agentsweep-gen" --events "$events" --days 4 --agents 100000 --operators 1200 \
    --seed 1 --out "$data" >/dev/null
fi
files=("$data"/*.jsonl.zst)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# DuckDB's group-by: events, first and last time and distinct operators, keys
# and addresses per agent, the figures agentsweep reports per agent.
cat >"$work/duckdb_group_by.py" <<'PY'
import duckdb, json, sys
con = duckdb.connect()
con.execute("SET threads TO " + sys.argv[1])
rows = con.execute("""
  SELECT actor.agent_id, count(*), min(ts), max(ts), count(DISTINCT actor.operator_id),
         count(DISTINCT auth.api_key_id), count(DISTINCT request.ip)
  FROM read_ndjson($files, compression = 'zstd',
       columns = {ts: 'VARCHAR', actor: 'STRUCT(agent_id VARCHAR, operator_id VARCHAR)',
                  auth: 'STRUCT(api_key_id VARCHAR)', request: 'STRUCT(ip VARCHAR)'})
  WHERE actor.agent_id IS NOT NULL GROUP BY 1""", {"files": sys.argv[2:]}).fetchall()
json.dump({r[0]: r[1] for r in rows}, open("duckdb.json", "w"))
PY

seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'; }

cores=$(nproc)
decoded=$(zstd -dc "${files[@]}" | wc -c)
floor=$(seconds zstd -dc "${files[@]}")
duck=$(cd "$work" && seconds "$python" duckdb_group_by.py "$cores" "${files[@]}")
ours=$(seconds "$build/cli/agentsweep" scan -q --backend "$backend" "${files[@]}")
"$build/cli/agentsweep" scan -q --json --top 0 --backend "$backend" "${files[@]}" >"$work/ours.json" || true

# Same events per agent, or the times mean nothing.
"$python" - "$work/ours.json" "$work/duckdb.json" <<'PY'
import json, sys
ours = {a["id"]: a["events"] for a in json.load(open(sys.argv[1]))["top_agents_by_events"]}
duck = json.load(open(sys.argv[2]))
if ours != duck:
    sys.exit("bench/aggregation.sh: agentsweep and DuckDB disagree on events per agent")
print(f"{len(ours)} agents, events per agent equal in agentsweep and DuckDB")
PY

echo "$events events, $decoded bytes decoded, $cores cores"
awk -v d="$decoded" -v f="$floor" -v k="$duck" -v o="$ours" -v b="$backend" 'BEGIN {
  printf "%-40s %8s %10s %14s\n", "tool", "seconds", "GB/s", "vs agentsweep"
  printf "%-40s %8.2f %10.2f %14.2f\n", "zstd -dc > /dev/null (floor)", f, d / f / 1e9, f / o
  printf "%-40s %8.2f %10.2f %14.2f\n", "duckdb per-agent group-by", k, d / k / 1e9, k / o
  printf "%-40s %8.2f %10.2f %14.2f\n", "agentsweep scan --backend " b, o, d / o / 1e9, 1
}'
