#!/usr/bin/env python3
"""Oracle: pySigma's SQLite backend against `agentsweep scan --rules`, rule by rule.

Each detection rule is converted by pySigma (pysigma-backend-sqlite) into SQL; the same events
are loaded into SQLite, one row per line with a column per dotted JSON path (nested objects
flattened, as the rules name fields), and the rows each query selects must be exactly the
lines agentsweep reports as the rule's events (its evidence, asked for in full).

Two rule sets, two event sets:
  - the bundled pack (rules/agent-platform) over a generated sample;
  - SigmaHQ's AWS CloudTrail rules (../shared/sigma/rules/cloud/aws/cloudtrail) over the real
    CloudTrail records of ../shared/realdata/cloudtrail-stratus (both skipped when absent).

Rules pySigma cannot convert are listed with pySigma's reason; correlation rules are not
compared here (pySigma's SQL for them has no upper bounds, and their groups are checked
against the generated incidents in tests/rules/rules_backend_test.cpp). Exit status 0 when every
compared rule agrees, 1 on a difference, 77 (skipped) when pySigma is not installed.

Usage: pysigma_rules_test.py AGENTSWEEP AGENTSWEEP_GEN SCRATCH_DIR REPO_ROOT
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

try:
    import yaml
    from sigma.backends.sqlite import sqliteBackend
    from sigma.rule import SigmaRule
except ImportError:
    print("SKIPPED: pysigma and pysigma-backend-sqlite are not installed; run scripts/setup")
    sys.exit(77)

from sigma_sqlite import flatten, logs_database  # noqa: E402 (after the skip check)


# The whole line, where pySigma's queries look for keywords (unfielded values), as agentsweep does.
RAW_LINE = "sigma_raw_line"


def load_events(paths):
    """(file, line) and flattened fields of every JSON object line of `paths`."""
    events = []
    for path in paths:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for number, line in enumerate(f, 1):
                try:
                    doc = json.loads(line)
                except ValueError:
                    continue
                if isinstance(doc, dict):
                    row = {}
                    flatten(doc, "", row)
                    row[RAW_LINE] = line.rstrip("\n")
                    events.append(((os.path.abspath(path), number), row))
    return events


def regexp(pattern, value):
    if value is None:
        return False
    return re.search(pattern, str(value)) is not None


def database(events, time_field):
    """The events as pySigma's SQL queries them, their time also in `timestamp`."""
    db = logs_database([dict(row, timestamp=row.get(time_field)) for _, row in events])
    db.create_function("REGEXP", 2, regexp, deterministic=True)
    return db


def run_query(db, query):
    """Runs `query`, adding the columns it names that no event has (all NULL)."""
    while True:
        try:
            return db.execute(query).fetchall()
        except sqlite3.OperationalError as e:
            missing = re.match(r"no such column: (.+)", str(e))
            if not missing:
                raise
            db.execute(f'ALTER TABLE logs ADD COLUMN "{missing.group(1)}" COLLATE NOCASE')


def reference(rule_files, events, time_field):
    """Per rule id: the (file, line) pySigma's SQL selects; and the rules it cannot convert."""
    db = database(events, time_field)
    backend = sqliteBackend(fulltext_field=RAW_LINE)
    selected, unconverted = {}, {}
    for path in rule_files:
        with open(path, encoding="utf-8") as f:
            documents = [d for d in yaml.safe_load_all(f) if d]
        for document in documents:
            if "detection" not in document:
                continue  # correlations: checked against the generated incidents elsewhere
            rule_id = str(document.get("id"))
            try:
                rule = SigmaRule.from_dict(document)
                queries = backend.convert_rule(rule)
            except Exception as e:  # pySigma's own reason is the message
                unconverted[rule_id] = f"{os.path.basename(path)}: {type(e).__name__}: {e}"
                continue
            rows = set()
            for query in queries:
                rows |= {r[0] for r in run_query(db, query.replace("SELECT *", "SELECT rowid", 1))}
            selected[rule_id] = {events[r - 1][0] for r in rows}
    return selected, unconverted


def scanned(agentsweep, rule_files, inputs, scratch):
    """Per rule id: the (file, line) agentsweep reports as the rule's events; and the ids of
    the rules it did not run."""
    out = os.path.join(scratch, "rules-report.json")
    with open(out, "w") as f:
        rules = [arg for path in rule_files for arg in ("--rules", path)]
        subprocess.run([agentsweep, "scan", "--backend", "cpu", "-q", "--json", "--top", "1",
                        "--evidence", "10000000", *rules, *inputs], stdout=f, check=False)
    with open(out) as f:
        report = json.load(f)
    not_run = {issue["id"] for issue in report["rule_issues"]}
    found = {}
    for rule in report["rules"]:
        lines = {(os.path.abspath(e["file"]), e["line"]) for e in rule["evidence"]}
        if len(lines) != rule["events"]:
            raise SystemExit(f"{rule['id']}: {rule['events']} events but {len(lines)} located")
        found[rule["id"]] = lines
    return found, not_run


def compare(name, rule_files, inputs, agentsweep, scratch, time_field):
    events = load_events(inputs)
    expected, unconverted = reference(rule_files, events, time_field)
    found, not_run = scanned(agentsweep, rule_files, inputs, scratch)
    problems = []
    matched_rules = 0
    inputs_only = []
    for rule_id, rows in sorted(expected.items()):
        ours = found.get(rule_id)
        if rule_id in not_run:
            problems.append(f"{rule_id}: pySigma converts it, agentsweep did not run it")
            continue
        if ours is None:  # an input of correlation rules only (generate: false): no alerts
            inputs_only.append(rule_id)
            continue
        if ours != rows:
            problems.append(f"{rule_id}: pySigma {len(rows)} events, agentsweep {len(ours)}; "
                            f"only pySigma: {sorted(rows - ours)[:3]}, "
                            f"only agentsweep: {sorted(ours - rows)[:3]}")
        matched_rules += bool(rows)
    compared = len(expected) - len(inputs_only)
    print(f"{name}: {len(events)} events, {compared} rules compared "
          f"({matched_rules} with events), {len(inputs_only)} only inputs of correlations "
          f"(not reported on their own), {len(unconverted)} pySigma cannot convert")
    for rule_id, why in sorted(unconverted.items()):
        print(f"  not compared: {rule_id}: {why}")
    for p in problems:
        print(f"  MISMATCH {p}")
    return problems, matched_rules


def main():
    agentsweep, generator, scratch, repo = sys.argv[1:5]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    failures = []

    sample = os.path.join(scratch, "sample")
    subprocess.run([generator, "--events", "30000", "--days", "2", "--seed", "11", "--plain",
                    "--out", sample], check=True, stdout=subprocess.DEVNULL)
    pack = sorted(os.path.join(repo, "rules/agent-platform", f)
                  for f in os.listdir(os.path.join(repo, "rules/agent-platform")))
    inputs = sorted(os.path.join(sample, f) for f in os.listdir(sample) if f.endswith(".jsonl"))
    problems, with_events = compare("bundled pack", pack, inputs, agentsweep, scratch, "ts")
    failures += problems
    if with_events < 4:
        failures.append(f"bundled pack: only {with_events} rules matched events: a weak test")

    cloud_rules = os.path.join(repo, "../shared/sigma/rules/cloud/aws/cloudtrail")
    records = os.path.join(repo, "../shared/realdata/cloudtrail-stratus/cloudtrail_all.jsonl")
    if os.path.isdir(cloud_rules) and os.path.isfile(records):
        rules = sorted(os.path.join(cloud_rules, f) for f in os.listdir(cloud_rules)
                       if f.endswith(".yml"))
        problems, with_events = compare("SigmaHQ CloudTrail rules", rules, [records], agentsweep,
                                        scratch, "eventTime")
        failures += problems
        if with_events < 5:
            failures.append(f"CloudTrail: only {with_events} rules matched events: a weak test")
    else:
        print("CloudTrail: ../shared/sigma or ../shared/realdata not here: not compared")

    if failures:
        print(f"FAILED: {len(failures)} differences")
        return 1
    print("OK: every compared rule selects the same events in pySigma's SQL and in agentsweep")
    return 0


if __name__ == "__main__":
    sys.exit(main())
