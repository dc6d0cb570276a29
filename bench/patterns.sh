#!/usr/bin/env bash
# Pattern-engine benchmark: `agentsweep scan` against ripgrep, ugrep and Hyperscan on the same
# generated logs, with 1, 10, 100 and 1,000 regexes and 10,000 and 100,000 literals, in one
# run. Every tool runs once per pattern set (timed with /usr/bin/time: wall seconds and peak
# RSS); the lines with a hit must be equal for every tool that finished before a set's times
# are printed, and agentsweep's per-pattern line counts must equal Hyperscan's (hs_count).
# Not a test: figures go into docs/benchmarks.md ("Pattern engine") with the machine they
# came from. Method, pattern sets and caveats: docs/benchmarks.md.
#
# Usage: bench/patterns.sh [--quick] [build-dir]      (build-dir: default build)
#   --quick               400,000 events (~220 MB decoded) instead of 2,000,000 (~1.1 GB)
#   PATTERN_BENCH_DIR=D   cache of datasets and pattern sets (default /tmp/agentsweep-bench-patterns)
#   EVENTS=N              events to generate (overrides the two sizes above)
#   SETS="..."            sets to run (default: regex-1 regex-10 regex-100 regex-1000
#                         literal-10000 literal-100000)
#   PEERS="..."           peers to run (default: rg ugrep hyperscan)
#   THREADS=N             agentsweep -j (default: all cores)
#   BACKEND=B             agentsweep --backend (default cpu)
#   AGENTSWEEP_ARGS="..." more agentsweep scan flags, e.g. "--dfa-states 1000000"
#   TOOL_TIMEOUT=S        seconds one tool may take on one set (default 600)
#   TOOL_MEM_KB=K         address-space limit of each peer (ulimit -v; default half of RAM;
#                         0: none). Not applied to agentsweep, whose CUDA backend maps more
#                         address space than it uses; --pattern-memory bounds its tables.
#   SECRETS_DIR=D         gitleaks and Nosey Parker rules (default ../shared/realdata/secrets)
#
# Exit status: 0 all sets agree; 1 a MISMATCH of hit counts; 2 agentsweep failed, rejected a
# pattern set or ran out of time, or a setup step failed. A peer that times out or fails is
# shown as such in its table (and left out of the count check) without changing the status.
set -euo pipefail

quick=0
build=build
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench/patterns.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    *) build=$arg ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/setup-bench"

agentsweep=$build/cli/agentsweep
gen=$build/datasets/agentsweep-gen
for tool in "$agentsweep" "$gen"; do
  [[ -x "$tool" ]] || { echo "bench/patterns.sh: $tool not found; build it first (see README)" >&2; exit 2; }
done
agentsweep=$(cd "$(dirname "$agentsweep")" && pwd)/agentsweep

if ((quick)); then events=${EVENTS:-400000}; else events=${EVENTS:-2000000}; fi
cache=${PATTERN_BENCH_DIR:-/tmp/agentsweep-bench-patterns}
root=$cache/events-$events
secrets=${SECRETS_DIR:-$repo/../shared/realdata/secrets}
threads=${THREADS:-$(nproc)}
backend=${BACKEND:-cpu}
read -r -a extra <<<"${AGENTSWEEP_ARGS:-}"
timeout_s=${TOOL_TIMEOUT:-600}
mem_kb=${TOOL_MEM_KB:-$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 2))}
read -r -a set_names <<<"${SETS:-regex-1 regex-10 regex-100 regex-1000 literal-10000 literal-100000}"
read -r -a peers <<<"${PEERS:-rg ugrep hyperscan}"
for p in "${peers[@]}"; do
  case $p in rg | ugrep | hyperscan) ;; *) echo "bench/patterns.sh: unknown peer $p" >&2; exit 2 ;; esac
done
mkdir -p "$root"

# --- Hyperscan counter, built into the build directory --------------------------------------
hs_count=$build/bench-tools/hs_count
hs_src=$repo/bench/tools/hs_count.cpp
if [[ ! -x "$hs_count" || "$hs_src" -nt "$hs_count" ]]; then
  mkdir -p "$(dirname "$hs_count")"
  g++ -O2 -std=c++17 -o "$hs_count" "$hs_src" -lhs
fi
hs_count=$(cd "$(dirname "$hs_count")" && pwd)/hs_count

# --- Dataset (cached; the same options and seed give the same bytes) ------------------------
# shellcheck source=bench/lib/dataset.sh
source "$repo/bench/lib/dataset.sh"
bench_dataset "$root" "$gen" "$events" bench/patterns.sh

# --- Pattern sets (cached; rebuilt when the generator script or hs_count changes) -----------
sets=$root/sets
maker=$repo/bench/tools/make_pattern_sets.py
if [[ ! -f "$sets/.complete" || "$maker" -nt "$sets/.complete" || "$hs_src" -nt "$sets/.complete" ||
      "$data/.options" -nt "$sets/.complete" ]]; then
  [[ -d "$secrets/gitleaks" && -d "$secrets/noseyparker" ]] ||
    { echo "bench/patterns.sh: no rules in $secrets (set SECRETS_DIR)" >&2; exit 2; }
  echo "bench/patterns.sh: writing pattern sets to $sets" >&2
  rm -rf "$sets" "$sets.tmp"
  python3 "$maker" --rules "$secrets" --data "$data" --out "$sets.tmp" --hs-count "$hs_count"
  touch "$sets.tmp/.complete"
  mv "$sets.tmp" "$sets"
fi

# --- Running one tool ----------------------------------------------------------------------
work=$root/last-run  # outputs of the latest run, kept for inspection
rm -rf "$work"
mkdir -p "$work"
q() { printf '%q ' "$@"; }
F=$(q "${files[@]}")

# run KEY COMMAND [MEM_KB]: runs COMMAND under the time limit (and ulimit -v MEM_KB when
# given and not 0); stdout to $work/KEY.out, stderr to $work/KEY.err.
# Sets r_state (ok | timeout | failed), r_status, r_wall, r_rss_kb.
run() {
  local key=$1 cmd=$2 limit=
  [[ ${3:-0} != 0 ]] && limit="ulimit -v $3;"
  r_status=0
  /usr/bin/time -o "$work/$key.time" -f '%e %M' timeout -k 10 "$timeout_s" \
    bash -c "$limit set -o pipefail; $cmd" >"$work/$key.out" 2>"$work/$key.err" || r_status=$?
  read -r r_wall r_rss_kb < <(tail -1 "$work/$key.time") || true
  r_wall=${r_wall:-0} r_rss_kb=${r_rss_kb:-0}
  if ((r_status <= 1)); then
    r_state=ok
  elif ((r_status == 124 || r_status == 137)) && awk -v w="$r_wall" -v t="$timeout_s" 'BEGIN { exit !(w >= t) }'; then
    r_state=timeout
  else
    r_state=failed
  fi
}

cat "${files[@]}" >/dev/null  # page cache warm for everyone

cores=$(nproc)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
echo "Pattern engine benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $cores cores ($cpu), $(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
echo "data: $events events in ${#files[@]} zstd files under $data, $decoded bytes decoded"
echo "agentsweep: $agentsweep scan --backend $backend -j $threads${extra[*]:+ ${extra[*]}}; limits per tool and set: ${timeout_s} s, peers ulimit -v $mem_kb KB"
echo "columns: wall seconds of one run; decoded bytes / wall; t/agentsweep = wall / agentsweep's wall (below 1: faster than agentsweep); peak RSS of the largest process"
echo "threads: agentsweep -j $threads; ugrep -z its default (all cores); rg and hs_count search on 1 thread, zstd -dc decodes in a second process"
first_line() { local v; v=$("$@" 2>&1) || true; echo "${v%%$'\n'*}"; }
echo "versions: $(first_line rg --version); $(first_line ugrep --version | cut -d' ' -f1-2); Hyperscan $(dpkg-query -W -f='${Version}' libhyperscan5 2>/dev/null || echo '?'); $(first_line zstd --version)"
echo

# Floors, once for all sets (the decode floor after one untimed warm-up run).
run floor "zstd -dc $F >/dev/null"
run floor "zstd -dc $F >/dev/null"
[[ $r_state == ok ]] || { echo "bench/patterns.sh: zstd -dc failed" >&2; exit 2; }
floor_wall=$r_wall floor_rss=$r_rss_kb
as_cmd="$(q "$agentsweep") scan -q --json --backend $backend -j $threads ${extra[*]+$(q "${extra[@]}")}"
run none "$as_cmd $F"
if [[ $r_state != ok ]]; then
  echo "bench/patterns.sh: agentsweep without patterns failed ($r_state, status $r_status):" >&2
  tail -5 "$work/none.err" >&2
  exit 2
fi
none_wall=$r_wall none_rss=$r_rss_kb

results=$root/results-$(date -u +%Y%m%dT%H%M%SZ).tsv
printf 'set\ttool\tstate\twall_s\tgb_per_s\tvs_agentsweep\tpeak_rss_mb\thit_lines\n' >"$results"
problems=()
status=0

for set in "${set_names[@]}"; do
  pf=$sets/$set.txt
  [[ -f "$pf" ]] || { echo "bench/patterns.sh: no pattern set $pf" >&2; exit 2; }
  n=$(wc -l <"$pf")
  case $set in
    literal-*) fixed=-F; rg_pf=$pf; kind="literals (-F)" ;;
    *) fixed=; rg_pf=$sets/$set.rg.txt; kind="regexes (RE2 syntax)" ;;
  esac
  declare -A state=() wall=() rss=() count=() label=()

  label[agentsweep]="agentsweep scan -j $threads ${fixed:+$fixed }-f"
  run "$set.agentsweep" "$as_cmd $fixed -f $(q "$pf") $F"
  state[agentsweep]=$r_state wall[agentsweep]=$r_wall rss[agentsweep]=$r_rss_kb
  if [[ $r_state == ok ]]; then
    count[agentsweep]=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["hit_lines"])' "$work/$set.agentsweep.out")
  else
    echo "bench/patterns.sh: $set: AGENTSWEEP FAILED ($r_state, exit status $r_status); it rejects or cannot finish this set:" >&2
    tail -5 "$work/$set.agentsweep.err" >&2
    problems+=("$set: agentsweep $r_state (status $r_status), see $work/$set.agentsweep.err")
    status=2
  fi

  for peer in "${peers[@]}"; do
    case $peer in
      rg)
        label[rg]="zstd -dc | rg -c ${fixed:+$fixed }-f"
        cmd="zstd -dc $F | rg --no-config -c --regex-size-limit 1G --dfa-size-limit 1G $fixed -f $(q "$rg_pf")" ;;
      ugrep)
        label[ugrep]="ugrep -z -c ${fixed:+$fixed }-f, $cores threads"
        cmd="ugrep -z -c -H $fixed -f $(q "$pf") $F | awk -F: '{ s += \$NF } END { print s + 0 }'" ;;
      hyperscan)
        label[hyperscan]="zstd -dc | hs_count ${fixed:+$fixed }(Hyperscan)"
        cmd="zstd -dc $F | $(q "$hs_count") $fixed --counts $(q "$work/$set.hs.counts") $(q "$pf")" ;;
    esac
    run "$set.$peer" "$cmd" "$mem_kb"
    state[$peer]=$r_state wall[$peer]=$r_wall rss[$peer]=$r_rss_kb
    if [[ $r_state == ok ]]; then
      c=$(tr -d '[:space:]' <"$work/$set.$peer.out")
      count[$peer]=${c:-0}  # rg -c prints nothing when no line matches
    else
      problems+=("$set: $peer $r_state (status $r_status, ${r_wall} s, peak RSS $((r_rss_kb / 1024)) MB), see $work/$set.$peer.err")
    fi
  done

  # Counts first: every tool that finished must report the same number of lines with a hit.
  agree=1
  ref=
  for t in agentsweep "${peers[@]}"; do
    [[ -n "${count[$t]:-}" ]] || continue
    [[ -z "$ref" ]] && ref=${count[$t]}
    [[ "${count[$t]}" == "$ref" ]] || agree=0
  done
  detail=
  if [[ -n "${count[agentsweep]:-}" && -n "${count[hyperscan]:-}" ]]; then
    # Per pattern: agentsweep's report against hs_count's counts, in pattern-file order.
    if ! detail=$(python3 - "$work/$set.agentsweep.out" "$work/$set.hs.counts" "$pf" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
hs = [int(x) for x in open(sys.argv[2])]
patterns = open(sys.argv[3], encoding="utf-8").read().split("\n")[:-1]
ours = report["patterns"]
if len(ours) != len(patterns) or len(hs) != len(patterns):
    print(f"pattern counts differ: file {len(patterns)}, agentsweep {len(ours)}, hs_count {len(hs)}")
    sys.exit(1)
bad = [(i, p, o["lines"], h) for i, (p, o, h) in enumerate(zip(patterns, ours, hs))
       if o["pattern"] != p or o["lines"] != h]
for i, p, o, h in bad[:10]:
    print(f"  pattern {i + 1}: agentsweep {o} lines, hs_count {h}: {p[:120]}")
if bad:
    print(f"  {len(bad)} of {len(patterns)} patterns differ")
    sys.exit(1)
hit = sum(1 for h in hs if h)
print(f"per pattern: agentsweep and hs_count agree on all {len(patterns)} ({hit} patterns hit)")
EOF
    ); then
      agree=0
    fi
  fi

  echo "== $set: $n $kind"
  if ((!agree)); then
    echo "MISMATCH in $set: lines with a hit:$(for t in agentsweep "${peers[@]}"; do printf ' %s=%s' "$t" "${count[$t]:--}"; done)"
    [[ -n "$detail" ]] && echo "$detail"
    echo "(times not compared; outputs in $work)"
    problems+=("$set: MISMATCH")
    ((status == 2)) || status=1
    echo
    continue
  fi
  if [[ -n "$ref" ]]; then
    echo "lines with a hit: $ref (equal for every tool that finished)${detail:+; $detail}"
    [[ "$ref" != 0 ]] || echo "WARNING: no line hit; the count check means little for $set"
  fi
  printf '%-44s %9s %8s %14s %12s\n' tool "wall s" "GB/s" "t/agentsweep" "peak RSS MB"
  row() {  # row LABEL STATE WALL RSS_KB KEY
    local line
    if [[ $2 == ok ]]; then
      line=$(awk -v l="$1" -v w="$3" -v r="$4" -v d="$decoded" -v a="${wall[agentsweep]:-}" -v ok="${state[agentsweep]}" 'BEGIN {
        printf "%-44s %9.2f %8.3f %14s %12.0f", l, w, d / w / 1e9, (ok == "ok" ? sprintf("%.2f", w / a) : "-"), r / 1024 }')
    else
      line=$(printf '%-44s %9s %8s %14s %12s' "$1" "$2" - - "$(($4 / 1024))")
    fi
    echo "$line"
    local ok_a=0
    [[ ${state[agentsweep]} == ok ]] && ok_a=${wall[agentsweep]}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$1" "$2" "$3" \
      "$(awk -v s="$2" -v w="$3" -v d="$decoded" 'BEGIN { if (s == "ok" && w > 0) printf "%.3f", d / w / 1e9; else printf "-" }')" \
      "$(awk -v s="$2" -v w="$3" -v a="$ok_a" 'BEGIN { if (s == "ok" && a > 0) printf "%.3f", w / a; else printf "-" }')" \
      "$(($4 / 1024))" "${count[$5]:--}" >>"$results"
  }
  row "zstd -dc > /dev/null (decode floor)" ok "$floor_wall" "$floor_rss" floor
  row "agentsweep scan, no patterns" ok "$none_wall" "$none_rss" none
  row "${label[agentsweep]}" "${state[agentsweep]}" "${wall[agentsweep]}" "${rss[agentsweep]}" agentsweep
  for peer in "${peers[@]}"; do
    row "${label[$peer]}" "${state[$peer]}" "${wall[$peer]}" "${rss[$peer]}" "$peer"
  done
  for t in agentsweep "${peers[@]}"; do  # why a tool has no time
    [[ ${state[$t]} == ok ]] && continue
    why=$(grep -v '^Command ' "$work/$set.$t.err" | head -1 | cut -c1-160)
    echo "  $t: ${state[$t]} after ${wall[$t]} s${why:+: $why}"
  done
  echo
  unset state wall rss count label
done

echo "results: $results; outputs of this run: $work"
if ((${#problems[@]})); then
  echo "problems:"
  printf '  %s\n' "${problems[@]}"
fi
exit "$status"
