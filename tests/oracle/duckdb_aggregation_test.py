#!/usr/bin/env python3
"""DuckDB oracle for agentsweep's aggregation (issue 7).

Generates a sample audit log with agentsweep-gen, scans it with `agentsweep scan --json --top 0`
(every agent, operator and shared key is then in the report) and recomputes the same figures
with SQL in DuckDB, an implementation that shares nothing with agentsweep: its own JSON reader,
zstd decoder, timestamp parser, hash tables and window functions. Every figure must be equal
(the mean fleet size up to 1e-12 relative).

Usage: duckdb_aggregation_test.py AGENTSWEEP AGENTSWEEP_GEN SCRATCH_DIR
Exit status: 0 all equal, 1 a mismatch (the first 20 are printed) or a failed step,
77 skipped (duckdb is not installed).
"""
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import time

try:
    import duckdb
except ImportError:
    print("SKIPPED: duckdb is not installed; run scripts/setup")
    sys.exit(77)

# A few hundred thousand events over two days, with the default incidents: orphan agents
# (operator null or absent), shared keys and bursts beyond 120 events per minute among them.
GENERATOR_OPTIONS = ["--events", "300000", "--days", "2", "--agents", "20000",
                     "--operators", "250", "--seed", "7"]
WINDOW_SECONDS = 60          # busiest_window.seconds in the report
BURST_LIMIT_EVENTS = 120     # the generator's rate limit: a burst incident goes beyond it
MAX_SHOWN = 20

# ---------------------------------------------------------------------------------------------
# The reference, in SQL.

# One row per event with the five fields the aggregation reads, typed explicitly; an absent
# field reads as NULL, like an explicit null. `ts` becomes a TIMESTAMP without time zone that
# holds UTC: epoch_ms() and strftime() then apply no time zone either way.
LOAD_EVENTS = """
CREATE TABLE events AS
SELECT actor.agent_id        AS agent,
       actor.operator_id     AS operator,
       auth.api_key_id       AS api_key,
       request.ip            AS ip,
       strptime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts
FROM read_ndjson($files, compression = 'zstd',
                 columns = {ts: 'VARCHAR',
                            actor: 'STRUCT(agent_id VARCHAR, operator_id VARCHAR)',
                            auth: 'STRUCT(api_key_id VARCHAR)',
                            request: 'STRUCT(ip VARCHAR)'})
"""

MACROS = """
-- The report's time format, e.g. 2026-03-01T12:34:56.789Z.
CREATE MACRO iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S.%gZ');
-- Floor division for b > 0: DuckDB's // truncates toward zero, which is one too high for a
-- negative a that is no multiple of b (times before 1970).
CREATE MACRO floor_div(a, b) AS (a // b) - CASE WHEN a % b < 0 THEN 1 ELSE 0 END;
-- Nearest rank, 1-based: ceil(pct / 100 * n), in integers so that it is exact.
CREATE MACRO nearest_rank(pct, n) AS greatest(1, (pct * n + 99) // 100);
"""

TOTALS = """
SELECT count(*)                                 AS events,
       count(DISTINCT agent)                    AS agents,
       count(DISTINCT operator)                 AS operators,
       count(DISTINCT api_key)                  AS keys,
       count(DISTINCT ip)                       AS ips,
       count(*) FILTER (WHERE agent IS NULL)    AS events_without_agent,
       count(*) FILTER (WHERE operator IS NULL) AS events_without_operator,
       count(*) FILTER (WHERE ts IS NULL)       AS events_without_time
FROM events
"""

AGENTS = f"""
WITH tallies AS (
  SELECT agent,
         count(*)                 AS events,
         count(DISTINCT operator) AS operators,
         count(DISTINCT api_key)  AS keys,
         count(DISTINCT ip)       AS ips,
         min(ts)                  AS first_seen,
         max(ts)                  AS last_seen
  FROM events
  WHERE agent IS NOT NULL
  GROUP BY agent
),
per_second AS (       -- events of an agent in each whole second that has some
  SELECT agent, floor_div(epoch_ms(ts), 1000) AS second, count(*) AS events
  FROM events
  WHERE agent IS NOT NULL AND ts IS NOT NULL
  GROUP BY ALL
),
windows AS (          -- events in [second, second + {WINDOW_SECONDS}) for each such second
  SELECT agent, second,
         sum(events) OVER (PARTITION BY agent ORDER BY second
                           RANGE BETWEEN CURRENT ROW AND {WINDOW_SECONDS - 1} FOLLOWING) AS events
  FROM per_second
),
busiest AS (          -- the most events in a window, and the earliest window with that many
  SELECT agent, events, second
  FROM windows
  QUALIFY row_number() OVER (PARTITION BY agent ORDER BY events DESC, second) = 1
)
SELECT t.agent AS id, t.events, t.operators, t.keys, t.ips,
       iso(t.first_seen) AS first_seen,
       iso(t.last_seen)  AS last_seen,
       coalesce(b.events, 0)              AS "busiest_window.events",
       iso(epoch_ms(b.second * 1000))     AS "busiest_window.start"
FROM tallies t LEFT JOIN busiest b USING (agent)
"""

OPERATORS = """
SELECT operator AS id, count(DISTINCT agent) AS agents, count(*) AS events
FROM events
WHERE operator IS NOT NULL
GROUP BY operator
"""

SHARED_KEYS = """
SELECT api_key AS id, count(DISTINCT agent) AS agents, count(*) AS events
FROM events
WHERE api_key IS NOT NULL
GROUP BY api_key
HAVING count(DISTINCT agent) > 1
"""

FLEET = """
WITH fleets AS (      -- agents per operator
  SELECT count(DISTINCT agent) AS agents
  FROM events
  WHERE operator IS NOT NULL
  GROUP BY operator
),
ranked AS (
  SELECT agents, row_number() OVER (ORDER BY agents) AS rank, count(*) OVER () AS n
  FROM fleets
),
agents AS (
  SELECT agent, count(DISTINCT operator) AS operators
  FROM events
  WHERE agent IS NOT NULL
  GROUP BY agent
),
keys AS (
  SELECT api_key
  FROM events
  WHERE api_key IS NOT NULL
  GROUP BY api_key
  HAVING count(DISTINCT agent) > 1
),
fleet_sizes AS (
  SELECT avg(agents)                                                 AS mean,
         any_value(agents) FILTER (WHERE rank = nearest_rank(50, n)) AS p50,
         any_value(agents) FILTER (WHERE rank = nearest_rank(99, n)) AS p99,
         max(agents)                                                 AS max
  FROM ranked
),
agent_counts AS (
  SELECT count(*) FILTER (WHERE operators = 0) AS orphan_agents,
         count(*) FILTER (WHERE operators > 1) AS agents_with_several_operators
  FROM agents
)
SELECT mean AS "agents_per_operator.mean",
       p50  AS "agents_per_operator.p50",
       p99  AS "agents_per_operator.p99",
       max  AS "agents_per_operator.max",
       orphan_agents,
       agents_with_several_operators,
       (SELECT count(*) FROM keys) AS keys_with_several_agents
FROM fleet_sizes, agent_counts
"""


def rows(con, sql):
    """The rows of `sql` as dicts by column name."""
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def by_id(records):
    return {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in records}


def reference(files):
    """Every compared figure, computed by DuckDB: {section: {id: {field: value}}}."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # belt and braces: no local time anywhere
    con.execute(LOAD_EVENTS, {"files": files})
    con.execute(MACROS)
    return {"totals": {"": rows(con, TOTALS)[0]},
            "fleet": {"": rows(con, FLEET)[0]},
            "agents": by_id(rows(con, AGENTS)),
            "operators": by_id(rows(con, OPERATORS)),
            "shared_keys": by_id(rows(con, SHARED_KEYS))}


# ---------------------------------------------------------------------------------------------
# agentsweep's side, in the same shape.

def flatten(record, prefix=""):
    """{"a": {"b": 1}} -> {"a.b": 1}."""
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(flatten(value, prefix + key + "."))
        else:
            flat[prefix + key] = value
    return flat


def report_figures(report, like):
    """The report's figures restricted to the fields of the reference `like`."""
    def pick(record, fields):
        flat = flatten(record)
        return {f: flat.get(f, "<absent>") for f in fields}

    def section(records, name):
        fields = next(iter(like[name].values()), {}).keys()
        out = {}
        for r in records:
            if r["id"] in out:
                out[r["id"]] = {"<listed twice>": True}
            else:
                out[r["id"]] = pick(r, fields)
        return out

    return {"totals": {"": pick(report["totals"], like["totals"][""].keys())},
            "fleet": {"": pick(report["fleet"], like["fleet"][""].keys())},
            "agents": section(report["top_agents_by_events"], "agents"),
            "operators": section(report["top_operators"], "operators"),
            "shared_keys": section(report["shared_keys"], "shared_keys")}


# ---------------------------------------------------------------------------------------------

def equal(field, ours, theirs):
    if field.endswith(".mean") and isinstance(ours, float) and isinstance(theirs, float):
        return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=0.0)
    return ours == theirs and type(ours) is type(theirs)


def compare(got, want):
    """Mismatches as text, section by section and id by id (sorted)."""
    found = []
    for name in want:
        for id_ in sorted(want[name].keys() | got[name].keys(), key=str):
            where = name if id_ == "" else f"{name} {id_}"
            if id_ not in got[name]:
                found.append(f"{where}: missing from the report (duckdb: {want[name][id_]})")
            elif id_ not in want[name]:
                found.append(f"{where}: in the report only (agentsweep: {got[name][id_]})")
            else:
                for field, value in want[name][id_].items():
                    ours = got[name][id_].get(field, "<absent>")
                    if not equal(field, ours, value):
                        found.append(f"{where}: {field}: agentsweep {ours!r}, duckdb {value!r}")
    return found


def sample_problems(want):
    """The sample must hold the cases worth checking, or the comparison proves less."""
    fleet = want["fleet"][""]
    problems = []
    if fleet["orphan_agents"] == 0:
        problems.append("no orphan agents")
    if not want["shared_keys"]:
        problems.append("no shared keys")
    if max(a["busiest_window.events"] for a in want["agents"].values()) <= BURST_LIMIT_EVENTS:
        problems.append(f"no agent beyond {BURST_LIMIT_EVENTS} events per {WINDOW_SECONDS} s")
    return problems


def main():
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} AGENTSWEEP AGENTSWEEP_GEN SCRATCH_DIR")
    agentsweep, generator, scratch = sys.argv[1:]
    started = time.monotonic()

    sample = os.path.join(scratch, "sample")
    shutil.rmtree(sample, ignore_errors=True)
    subprocess.run([generator, *GENERATOR_OPTIONS, "--out", sample], check=True,
                   stdout=subprocess.DEVNULL)
    files = sorted(glob.glob(os.path.join(sample, "*.jsonl.zst")))

    scan = subprocess.run([agentsweep, "scan", "--backend", "cpu", "--json", "--top", "0", "-q",
                           *files], capture_output=True, text=True)
    if scan.returncode not in (0, 1):  # 1 only says that a pattern matched
        print(scan.stderr, file=sys.stderr)
        print(f"FAILED: agentsweep exited with {scan.returncode}")
        return 1

    want = reference(files)
    got = report_figures(json.loads(scan.stdout), want)

    problems = [f"sample: {p}" for p in sample_problems(want)] + compare(got, want)
    if problems:
        for line in problems[:MAX_SHOWN]:
            print(line)
        print(f"FAILED: {len(problems)} mismatches between agentsweep and DuckDB"
              + (f" (first {MAX_SHOWN} shown)" if len(problems) > MAX_SHOWN else ""))
        return 1
    totals = want["totals"][""]
    print(f"DuckDB oracle: all equal: {totals['events']} events, totals, fleet, "
          f"{len(want['agents'])} agents, {len(want['operators'])} operators, "
          f"{len(want['shared_keys'])} shared keys of {totals['keys']} "
          f"({time.monotonic() - started:.1f} s, duckdb {duckdb.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
