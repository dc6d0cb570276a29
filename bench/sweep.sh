#!/usr/bin/env bash
# Peer sweep: on the same generated zstd JSON-lines files, in one run, times the decode floor
# (`zstd -dc > /dev/null`), agentsweep with 100 fixed-string patterns plus its per-agent
# aggregation (`scan -F -f P`), `zstd -dc | rg -c -F -f P`, `ugrep -z -c -F -f P`,
# `zstd -dc | grep -c -F -f P` and a DuckDB per-agent group-by; also agentsweep with every
# agent in the report (--top 0, the run checked against DuckDB) and with no patterns (the
# aggregation alone). Before printing any time it checks that every grep-like tool counts the
# same matching lines as agentsweep's totals.hit_lines, and that DuckDB counts the same events
# for every agent as agentsweep. Then it prints wall seconds, decoded GB/s, peak RSS and the
# ratio to agentsweep, and whether the targets are met (never an error): agentsweep within
# 1.25x of the decode floor, and at least 1.5x faster than `zstd -dc | rg -c -F -f P`. Not a
# test: the figures go into docs/benchmarks.md ("Peer sweep") with the machine they came from
# (--write-docs).
#
# Usage: bench/sweep.sh [--write-docs] [build-dir]      (build-dir: default build)
#   --write-docs          replace the part of docs/benchmarks.md between <!-- sweep:begin -->
#                         and <!-- sweep:end --> (appended under "## Peer sweep
#                         (bench/sweep.sh)" when missing) with this run's table, machine,
#                         date, data and commands; only when every check passed
#   EVENTS=N              events to generate (default 2000000: 4 files, about 1.1 GB decoded)
#   BACKEND=B             agentsweep --backend (default cpu; cuda on a GPU machine)
#   THREADS=N             agentsweep -j and DuckDB threads (default: all cores)
#   SWEEP_BENCH_DIR=D     cache of datasets and pattern files (default /tmp/agentsweep-bench-sweep);
#                         same layout and generator options as bench/patterns.sh, so
#                         SWEEP_BENCH_DIR=/tmp/agentsweep-bench-patterns reuses its data
#   RUNS=N                timed runs per tool, the fastest kept (default 1)
#   TOOL_TIMEOUT=S        seconds one run of one tool may take (default 600)
#   DUCKDB_PYTHON=PY      python with the duckdb module (default .venv/bin/python, which
#                         scripts/setup makes)
#
# Peers (rg, ugrep with zstd support, GNU grep, DuckDB) that are not installed get a
# "skipped" row; scripts/setup-bench installs rg and ugrep (Debian packages). Required:
# zstd, python3, GNU time (/usr/bin/time) and the build's agentsweep and agentsweep-gen.
#
# Pattern file: 100 fixed strings chosen with a fixed seed from the dataset (made once per
# dataset, cached next to it): 24 leaked secrets from ground_truth.json (the 5 formats in turn;
# for a private key, its first base64 line), 30 agent ids, 12 API key ids, 6 operator ids and
# 8 addresses from the first lines of each file, and 20 random ids in the data's formats that
# are not in that sample (agent, key and operator ids, AKIA and ghp_ tokens).
#
# Exit status: 0 every check passed; 1 a tool disagrees with agentsweep (MISMATCH); 2
# agentsweep or a setup step failed. A peer that fails or times out gets a row saying so and
# is left out of the checks without changing the status.
set -euo pipefail

write_docs=0
build=build
for arg in "$@"; do
  case $arg in
    --write-docs) write_docs=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench/sweep.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    *) build=$arg ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
self=$repo/bench/sweep.sh
agentsweep=$build/cli/agentsweep
gen=$build/datasets/agentsweep-gen
for tool in "$agentsweep" "$gen"; do
  [[ -x "$tool" ]] || { echo "bench/sweep.sh: $tool not found; build it first (see README)" >&2; exit 2; }
done
agentsweep=$(cd "$(dirname "$agentsweep")" && pwd)/agentsweep
gen=$(cd "$(dirname "$gen")" && pwd)/agentsweep-gen
for tool in zstd python3 /usr/bin/time timeout; do
  command -v "$tool" >/dev/null ||
    { echo "bench/sweep.sh: $tool not found (scripts/setup-bench installs it)" >&2; exit 2; }
done

events=${EVENTS:-2000000}
backend=${BACKEND:-cpu}
cores=$(nproc)
threads=${THREADS:-$cores}
runs=${RUNS:-1}
timeout_s=${TOOL_TIMEOUT:-600}
duck_python=${DUCKDB_PYTHON:-$repo/.venv/bin/python}
cache=${SWEEP_BENCH_DIR:-/tmp/agentsweep-bench-sweep}
root=$cache/events-$events
mkdir -p "$root"
root=$(cd "$root" && pwd)

# --- Dataset (cached; the same options and seed give the same bytes) ------------------------
# shellcheck source=bench/lib/dataset.sh
source "$repo/bench/lib/dataset.sh"
bench_dataset "$root" "$gen" "$events" bench/sweep.sh
compressed=$(cat "${files[@]}" | wc -c)

# --- Pattern file (cached; rebuilt when the data or this script changes) --------------------
P=$root/sweep-patterns-100.txt
if [[ ! -s "$P" || "$P" -ot "$data/.options" || "$P" -ot "$self" ]]; then
  echo "bench/sweep.sh: writing 100 patterns to $P" >&2
  python3 - "$data" "$P.tmp" "$P.sources.tsv" <<'PY'
import glob, json, os, random, subprocess, sys

data, out, sources_out = sys.argv[1:4]
rng = random.Random(1)
SAMPLE_LINES = 20000  # per file, from its start

agents, keys, operators, ips = set(), set(), set(), set()
for path in sorted(glob.glob(os.path.join(data, "*.jsonl.zst"))):
    proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
    for n, line in enumerate(proc.stdout):
        if n >= SAMPLE_LINES:
            break
        try:
            e = json.loads(line)
        except ValueError:
            continue
        actor, auth, req = e.get("actor") or {}, e.get("auth") or {}, e.get("request") or {}
        for bag, v in ((agents, actor.get("agent_id")), (operators, actor.get("operator_id")),
                       (keys, auth.get("api_key_id")), (ips, req.get("ip"))):
            if isinstance(v, str) and v:
                bag.add(v)
    proc.kill()
    proc.wait()

def plain(s):
    # Printable ASCII without the characters JSON escapes: the string is in the raw line as is.
    return bool(s) and all(0x20 <= ord(c) < 0x7f for c in s) and '"' not in s and "\\" not in s

chosen, seen = [], set()
def take(pattern, source):
    if plain(pattern) and pattern not in seen:
        seen.add(pattern)
        chosen.append((pattern, source))
        return True
    return False

# 24 leaked secrets, the formats in turn.
truth = json.load(open(os.path.join(data, "ground_truth.json")))
by_format = {}
for inc in truth.get("incidents", []):
    d = inc.get("details") or {}
    secret = d.get("secret")
    if inc.get("kind") != "secret_in_content" or not isinstance(secret, str):
        continue
    lines = [x for x in secret.split("\n") if x]
    token = lines[1] if "PRIVATE KEY" in lines[0] and len(lines) > 1 else lines[0]
    by_format.setdefault(d.get("secret_format", "?"), []).append(token)
queues = [list(v) for _, v in sorted(by_format.items())]
names = sorted(by_format)
want = len(chosen) + 24
while len(chosen) < want and any(queues):
    for name, q in zip(names, queues):
        while q and len(chosen) < want and not take(q.pop(0), "secret:" + name):
            pass

# Ids and addresses that occur (in the sample, so in the data).
for bag, count, source in ((agents, 30, "agent_id"), (keys, 12, "api_key_id"),
                           (operators, 6, "operator_id"), (ips, 8, "ip")):
    for v in rng.sample(sorted(bag), min(count, len(bag))):
        take(v, source)

# Random ids in the data's formats, not in the sample (so, almost surely, nowhere).
b32 = "0123456789abcdefghjkmnpqrstvwxyz"
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
forms = [("agt_", b32, 12, 8, agents), ("key_", b32, 10, 4, keys), ("op_", b32, 8, 2, operators),
         ("AKIA", upper, 16, 3, set()), ("ghp_", alnum, 36, 3, set())]
for prefix, alphabet, length, count, known in forms:
    made = 0
    while made < count:
        v = prefix + "".join(rng.choice(alphabet) for _ in range(length))
        if v not in known and take(v, "absent:" + prefix):
            made += 1

if len(chosen) != 100:
    sys.exit(f"bench/sweep.sh: made {len(chosen)} patterns, not 100 (is the dataset too small?)")
with open(out, "w") as f:
    f.writelines(p + "\n" for p, _ in chosen)
with open(sources_out, "w") as f:
    f.writelines(f"{s}\t{p}\n" for p, s in chosen)
PY
  mv "$P.tmp" "$P"
fi
n_patterns=$(wc -l <"$P")

# --- Running one tool ----------------------------------------------------------------------
work=$root/last-run  # outputs of the latest run, kept for inspection
rm -rf "$work"
mkdir -p "$work"
q() { printf '%q ' "$@"; }
F=$(q "${files[@]}")
QP=$(q "$P")

# run KEY COMMAND: runs COMMAND (bash, pipefail) RUNS times under the time limit, stdout to
# $work/KEY.out, stderr to $work/KEY.err. Sets r_state (ok | timeout | failed), r_status,
# r_wall (fastest run) and r_rss_kb (largest peak RSS of one process of the pipeline).
run() {
  local key=$1 cmd=$2 i wall rss
  r_wall='' r_rss_kb=0 r_status=0 r_state=ok
  for ((i = 0; i < runs; i++)); do
    r_status=0
    /usr/bin/time -o "$work/$key.time" -f '%e %M' timeout -k 10 "$timeout_s" \
      bash -c "set -o pipefail; $cmd" >"$work/$key.out" 2>"$work/$key.err" || r_status=$?
    read -r wall rss < <(tail -1 "$work/$key.time") || true
    wall=${wall:-0} rss=${rss:-0}
    if ((r_status > 1)); then
      if ((r_status == 124 || r_status == 137)) && awk -v w="$wall" -v t="$timeout_s" 'BEGIN { exit !(w >= t) }'; then
        r_state=timeout
      else
        r_state=failed
      fi
      r_wall=$wall r_rss_kb=$rss
      return
    fi
    if [[ -z $r_wall ]] || awk -v w="$wall" -v b="$r_wall" 'BEGIN { exit !(w < b) }'; then r_wall=$wall; fi
    if ((rss > r_rss_kb)); then r_rss_kb=$rss; fi
  done
}
first_line() { local v; v=$("$@" 2>&1) || true; echo "${v%%$'\n'*}"; }

# Rows, in order: key, label, command (as run), command (as documented, with $FILES and $P).
keys=(floor agentsweep agentsweep-all agentsweep-none rg ugrep grep duckdb)
declare -A label=() cmd=() doc=() state=() wall=() rss=() count=() why=()
as_flags="scan -q --json --backend $backend -j $threads"
label[floor]="zstd -dc > /dev/null (decode floor)"
cmd[floor]="zstd -dc $F >/dev/null"
doc[floor]="zstd -dc \$FILES > /dev/null"
label[agentsweep]="agentsweep scan -F -f P (+ per-agent aggregation)"
cmd[agentsweep]="$(q "$agentsweep") $as_flags -F -f $QP $F"
doc[agentsweep]="agentsweep $as_flags -F -f \$P \$FILES"
label[agentsweep-all]="agentsweep scan -F -f P --top 0 (every agent in report)"
cmd[agentsweep-all]="$(q "$agentsweep") $as_flags --top 0 -F -f $QP $F"
doc[agentsweep-all]="agentsweep $as_flags --top 0 -F -f \$P \$FILES"
label[agentsweep-none]="agentsweep scan, aggregation only (no patterns)"
cmd[agentsweep-none]="$(q "$agentsweep") $as_flags $F"
doc[agentsweep-none]="agentsweep $as_flags \$FILES"
label[rg]="zstd -dc | rg -c -F -f P"
cmd[rg]="zstd -dc $F | rg --no-config -c -F -f $QP"
doc[rg]="zstd -dc \$FILES | rg --no-config -c -F -f \$P"
label[ugrep]="ugrep -z -c -F -f P"
cmd[ugrep]="ugrep -z -c -H -F -f $QP $F | awk -F: '{ s += \$NF } END { print s + 0 }'"
doc[ugrep]="ugrep -z -c -H -F -f \$P \$FILES | awk -F: '{ s += \$NF } END { print s + 0 }'"
label[grep]="zstd -dc | grep -c -F -f P"
cmd[grep]="zstd -dc $F | LC_ALL=C grep -c -F -f $QP"
doc[grep]="zstd -dc \$FILES | LC_ALL=C grep -c -F -f \$P"
label[duckdb]="DuckDB per-agent group-by"
cmd[duckdb]="cd $(q "$work") && $(q "$duck_python") duckdb_group_by.py $threads $F"
doc[duckdb]="python duckdb_group_by.py $threads \$FILES   # the query below"

# DuckDB's group-by: events, first and last time and distinct operators, keys and addresses
# per agent (as bench/aggregation.sh), written as JSON {agent: events}.
duck_query="SELECT actor.agent_id, count(*), min(ts), max(ts), count(DISTINCT actor.operator_id),
         count(DISTINCT auth.api_key_id), count(DISTINCT request.ip)
  FROM read_ndjson(\$files, compression = 'zstd',
       columns = {ts: 'VARCHAR', actor: 'STRUCT(agent_id VARCHAR, operator_id VARCHAR)',
                  auth: 'STRUCT(api_key_id VARCHAR)', request: 'STRUCT(ip VARCHAR)'})
  WHERE actor.agent_id IS NOT NULL GROUP BY 1"
cat >"$work/duckdb_group_by.py" <<PY
import duckdb, json, sys
con = duckdb.connect()
con.execute("SET threads TO " + sys.argv[1])
rows = con.execute("""
  $duck_query""", {"files": sys.argv[2:]}).fetchall()
json.dump({r[0]: r[1] for r in rows}, open("duckdb.json", "w"))
PY

# Which peers can run here.
skip() { state[$1]=skipped; why[$1]=$2; }
command -v rg >/dev/null || skip rg "rg not installed"
if ! command -v ugrep >/dev/null; then
  skip ugrep "ugrep not installed"
elif ! ugrep --version | head -1 | grep -q '+zstd'; then
  skip ugrep "ugrep built without zstd"
fi
grep --version 2>/dev/null | head -1 | grep -q 'GNU grep' || skip grep "GNU grep not installed"
if [[ ! -x "$duck_python" ]] || ! "$duck_python" -c 'import duckdb' 2>/dev/null; then
  skip duckdb "no duckdb module for $duck_python"
fi

# --- Header ---------------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
gpu=none
if command -v nvidia-smi >/dev/null; then
  gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1) || gpu=
  gpu=${gpu:-none (nvidia-smi failed)}
fi
when=$(date -u +%Y-%m-%dT%H:%MZ)
load=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')
# Changes under bench/ and docs/ do not change the binary.
[[ -z "$(git -C "$repo" status --porcelain --untracked-files=no -- . ':!bench' ':!docs' 2>/dev/null)" ]] ||
  commit="$commit with uncommitted changes"
built=$(date -u -r "$agentsweep" +%Y-%m-%dT%H:%MZ)
versions="$(first_line zstd --version | sed 's/^\** *//; s/, by.*//')"
command -v rg >/dev/null && versions+="; $(first_line rg --version)"
command -v ugrep >/dev/null && versions+="; $(first_line ugrep --version | cut -d' ' -f1-2)"
versions+="; $(first_line grep --version)"
[[ ${state[duckdb]:-} == skipped ]] || versions+="; DuckDB $("$duck_python" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null)"

echo "Peer sweep, $when"
echo "machine: $cores cores ($cpu), $mem; GPU: $gpu; load average before the run: $load"
echo "data: $events events in ${#files[@]} zstd files under $data, $compressed bytes compressed, $decoded bytes decoded"
echo "patterns: $P ($n_patterns fixed strings; sources in $P.sources.tsv)"
echo "agentsweep: $agentsweep (HEAD $commit, binary built $built), --backend $backend -j $threads; runs per tool: $runs (fastest kept); limit ${timeout_s} s"
echo "versions: $versions"
echo

# --- Runs -----------------------------------------------------------------------------------
cat "${files[@]}" >/dev/null  # page cache warm for everyone
run floor "${cmd[floor]}"  # untimed warm-up
for k in "${keys[@]}"; do
  [[ ${state[$k]:-} == skipped ]] && continue
  echo "bench/sweep.sh: timing ${label[$k]}" >&2
  run "$k" "${cmd[$k]}"
  state[$k]=$r_state wall[$k]=$r_wall rss[$k]=$r_rss_kb
  if [[ $r_state != ok ]]; then
    why[$k]="$r_state after $r_wall s (status $r_status): $(grep -v '^Command ' "$work/$k.err" | head -1 | cut -c1-160)"
  fi
done
for k in floor agentsweep agentsweep-all agentsweep-none; do
  if [[ ${state[$k]} != ok ]]; then
    echo "bench/sweep.sh: ${label[$k]} failed: ${why[$k]}" >&2
    tail -5 "$work/$k.err" >&2
    exit 2
  fi
done

# --- Checks: the same matching lines and the same events per agent, or the times mean nothing
status=0
problems=()
hit_lines=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["hit_lines"])' "$work/agentsweep.out")
patterns_hit=$(python3 -c 'import json, sys; print(sum(1 for p in json.load(open(sys.argv[1]))["patterns"] if p["lines"]))' "$work/agentsweep.out")
count[agentsweep]=$hit_lines
count[agentsweep-all]=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["hit_lines"])' "$work/agentsweep-all.out")
if [[ "${count[agentsweep-all]}" != "$hit_lines" ]]; then
  problems+=("MISMATCH: agentsweep counts $hit_lines matching lines, but ${count[agentsweep-all]} with --top 0")
  status=1
fi
for k in rg ugrep grep; do
  [[ ${state[$k]} == ok ]] || continue
  c=$(tr -d '[:space:]' <"$work/$k.out")
  count[$k]=${c:-0}  # rg -c prints nothing when no line matches
  if [[ "${count[$k]}" != "$hit_lines" ]]; then
    problems+=("MISMATCH: ${label[$k]} counts ${count[$k]} matching lines, agentsweep totals.hit_lines $hit_lines (outputs in $work)")
    status=1
  fi
done
agents_checked=
if [[ ${state[duckdb]} == ok ]]; then
  if msg=$(python3 - "$work/agentsweep-all.out" "$work/duckdb.json" <<'PY'
import json, sys
ours = {a["id"]: a["events"] for a in json.load(open(sys.argv[1]))["top_agents_by_events"]}
duck = json.load(open(sys.argv[2]))
if ours == duck:
    print(len(ours))
    sys.exit(0)
only_ours = sorted(set(ours) - set(duck))
only_duck = sorted(set(duck) - set(ours))
differ = sorted(a for a in set(ours) & set(duck) if ours[a] != duck[a])
print(f"{len(ours)} agents in agentsweep, {len(duck)} in DuckDB; {len(only_ours)} only in agentsweep "
      f"{only_ours[:3]}, {len(only_duck)} only in DuckDB {only_duck[:3]}, {len(differ)} with other "
      f"event counts {[(a, ours[a], duck[a]) for a in differ[:3]]}")
sys.exit(1)
PY
  ); then
    agents_checked=$msg
  else
    problems+=("MISMATCH: DuckDB and agentsweep disagree on events per agent: $msg")
    status=1
  fi
fi
if ((status)); then
  printf 'bench/sweep.sh: %s\n' "${problems[@]}" >&2
  echo "bench/sweep.sh: times not printed; fix the disagreement first" >&2
  exit 1
fi

agree="$hit_lines matching lines ($patterns_hit of $n_patterns patterns hit), equal in agentsweep"
for k in rg ugrep grep; do [[ ${state[$k]} == ok ]] && agree+=", ${k}"; done
[[ -n $agents_checked ]] && agree+="; events per agent equal in agentsweep and DuckDB for all $agents_checked agents"
echo "checks: $agree"
echo

# --- Table ----------------------------------------------------------------------------------
results=$root/results-$(date -u +%Y%m%dT%H%M%SZ).tsv
printf 'tool\tstate\twall_s\tgb_per_s\tpeak_rss_mib\tvs_agentsweep\tcount\n' >"$results"
table_md=
printf '%-56s %9s %8s %13s %14s\n' tool seconds "GB/s" "peak RSS MiB" "vs agentsweep"
for k in "${keys[@]}"; do
  if [[ ${state[$k]} == ok ]]; then
    read -r s g m v < <(awk -v w="${wall[$k]}" -v r="${rss[$k]}" -v d="$decoded" -v a="${wall[agentsweep]}" 'BEGIN {
      printf "%.2f %s %.0f %s\n", w, (w > 0 ? sprintf("%.2f", d / w / 1e9) : "-"), r / 1024, (a > 0 ? sprintf("%.2f", w / a) : "-") }')
    printf '%-56s %9s %8s %13s %14s\n' "${label[$k]}" "$s" "$g" "$m" "$v"
    table_md+="| ${label[$k]//|/\\|} | $s | $g | $m | $v |"$'\n'
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${label[$k]}" ok "$s" "$g" "$m" "$v" "${count[$k]:--}" >>"$results"
  else
    printf '%-56s %9s %8s %13s %14s\n' "${label[$k]}" "${state[$k]}" - - -
    table_md+="| ${label[$k]//|/\\|} | ${state[$k]}: ${why[$k]//|/\\|} | - | - | - |"$'\n'
    printf '%s\t%s\t-\t-\t-\t-\t-\n' "${label[$k]}" "${state[$k]}" >>"$results"
  fi
done
for k in "${keys[@]}"; do
  [[ ${state[$k]} == ok ]] || echo "  ${label[$k]}: ${state[$k]} (${why[$k]})"
done
echo

# --- Targets (reported, never an error) -----------------------------------------------------
target_floor=$(awk -v a="${wall[agentsweep]}" -v f="${wall[floor]}" -v b="$backend" 'BEGIN {
  r = a / f
  printf "target: %s, 100 patterns plus per-agent aggregation within 1.25x of the decode floor: %s (%.2f s against %.2f s, %.2fx the floor)", toupper(b), (r <= 1.25 ? "MET" : "NOT MET"), a, f, r }')
if [[ ${state[rg]} == ok ]]; then
  target_rg=$(awk -v a="${wall[agentsweep]}" -v g="${wall[rg]}" 'BEGIN {
    r = g / a
    printf "target: at least 1.5x faster than zstd -dc | rg -c -F -f P: %s (rg %.2f s against agentsweep %.2f s, %.2fx)", (r >= 1.5 ? "MET" : "NOT MET"), g, a, r }')
else
  target_rg="target: at least 1.5x faster than zstd -dc | rg -c -F -f P: not measured (rg ${state[rg]})"
fi
echo "$target_floor"
echo "$target_rg"
echo
echo "results: $results; outputs of this run: $work"

# --- docs/benchmarks.md ---------------------------------------------------------------------
((write_docs)) || exit 0
section=$work/section.md
{
  if ((runs > 1)); then how="the fastest of $runs runs per tool"; else how="one run per tool"; fi
  echo "Written by \`bench/sweep.sh --write-docs\`; rerun it to replace this part."
  echo
  echo "- **When and where:** $when; $cores cores ($cpu), $mem; GPU: $gpu;"
  echo "  load average before the run $load."
  echo "- **agentsweep:** HEAD $commit, binary built $built; \`--backend $backend -j $threads\`;"
  echo "  $how, after warming the page cache."
  echo "- **Versions:** $versions."
  echo "- **Data:** \`agentsweep-gen ${gen_args[*]}\`:"
  echo "  ${#files[@]} daily zstd files, $(awk -v c="$compressed" -v d="$decoded" 'BEGIN { printf "%.0f MB compressed, %.2f GB decoded", c / 1e6, d / 1e9 }')."
  echo "- **Patterns** (\`P\`, $n_patterns fixed strings made from the data with a fixed seed, see"
  echo "  \`bench/sweep.sh --help\`): 24 leaked secrets, 30 agent ids, 12 key ids, 6 operator ids,"
  echo "  8 addresses, and 20 random ids in the same formats that do not occur."
  echo "- **Checks passed:** $agree."
  echo
  echo "| tool | seconds | GB/s decoded | peak RSS MiB | time vs agentsweep |"
  echo "|---|---|---|---|---|"
  printf '%s' "$table_md"
  echo
  echo "- ${target_floor#target: }"
  echo "- ${target_rg#target: }"
  echo
  echo "GB/s is decoded bytes over wall seconds; peak RSS is that of the largest process of the"
  echo "pipeline (\`/usr/bin/time -f '%e %M'\`). The agentsweep row is the targets' case: the 100"
  echo "patterns and the whole aggregation, with the default report (top 10 of each list); the"
  echo "\`--top 0\` row writes every agent into the report, as DuckDB returns every agent's row, and"
  echo "is the one checked against DuckDB. Commands, with"
  echo "\`FILES=$data/*.jsonl.zst\` and \`P=$P\`:"
  echo
  echo '```sh'
  for k in "${keys[@]}"; do echo "${doc[$k]}"; done
  echo '```'
  echo
  echo "DuckDB query (\`duckdb_group_by.py\`, written by the script; \`\$files\` is the file list):"
  echo
  echo '```sql'
  echo "$duck_query"
  echo '```'
} >"$section"
python3 - "$repo/docs/benchmarks.md" "$section" <<'PY'
import sys
doc_path, section_path = sys.argv[1:3]
text = open(doc_path, encoding="utf-8").read()
section = open(section_path, encoding="utf-8").read().rstrip("\n")
begin, end = "<!-- sweep:begin -->", "<!-- sweep:end -->"
block = f"{begin}\n{section}\n{end}"
if begin in text and end in text and text.index(begin) < text.index(end):
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n## Peer sweep (bench/sweep.sh)\n\n" + block + "\n"
open(doc_path, "w", encoding="utf-8").write(text)
PY
echo "wrote the sweep section of $repo/docs/benchmarks.md"
