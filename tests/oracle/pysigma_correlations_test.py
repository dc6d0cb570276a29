#!/usr/bin/env python3
"""Oracle: pySigma's SQLite backend against `agentsweep scan --rules`, for correlation rules.

pySigma (pysigma-backend-sqlite) compiles a correlation rule, with the detection rules it names,
into a plan of SQL stages (the "zircolite" output format carries it), and its runtime
(sigma.backends.sqlite.runtime.execute_plan) runs the plan on an SQLite table of events: one
row per JSON line, a column per dotted JSON path (nested objects flattened, as the rules name
fields), compared without regard to case (NOCASE), as in pysigma_rules_test.py. agentsweep scans
the same lines, split over three files in shuffled order. For every correlation rule of the
generated rule file (event_count, also with two group-by fields and with aliases, value_count,
temporal with its default and with a `gte: 2` condition, temporal_ordered with aliases,
value_sum, value_avg, value_percentile, value_median, and two chains: see below) the test
demands:

  - the same SET OF GROUPS fires in both (and the groups the data was designed to fire);
  - for the measures that only grow with the window's events (event_count, value_count,
    temporal, temporal_ordered, value_sum of non-negative numbers), the same first event of the
    earliest window that fires: agentsweep's reported `start` is that event's millisecond;
    pySigma's is the earliest event of its earliest alert;
  - the same count or value wherever both windows hold the same events: agentsweep's reported
    window [start, end) is matched with the pySigma alert whose evidence is exactly the group's
    events in it (percentiles: only where the two percentile definitions give the same value).

The two do not define windows the same way, and the data is designed so that the group sets
must agree under both definitions rather than papering over the difference:

  - agentsweep: windows [s, s + timespan), s the millisecond of one of the group's events
    (temporal_ordered: of an event of the first rule); the group's earliest window that meets
    the condition is reported.
    pySigma: windows [t - timespan, t], closed at both ends, ending at each of the group's
    events (SQL `RANGE BETWEEN timespan PRECEDING AND CURRENT ROW`); every window that meets the
    condition is an alert.
    So agentsweep looks forward from an event, pySigma back from one: over one burst of events
    agentsweep measures its suffixes and pySigma its prefixes. For counts and sums both find the
    same groups; for averages and percentiles they need not, and the data gives every such group
    a composition where all prefixes and suffixes decide the same way. Events exactly one
    timespan apart are in one pySigma window but in no agentsweep window: every pair of a
    group's events is at least 2 s away from a timespan apart, and no two share a second.
  - value_percentile / value_median: agentsweep takes the nearest rank (the smallest value with
    at least p% of the window's values at or below it), pySigma interpolates linearly between
    ranks ((n - 1) * p / 100). [10, 10, 60000] has a 90th percentile of 60000 by nearest rank
    and 48002 interpolated. The data keeps such windows on the same side of the threshold.
  - temporal_ordered: agentsweep accepts the rules' events at non-decreasing times (equal times
    are in order), pySigma demands strictly increasing ones; the data has no equal times.
  - value_count: pySigma counts distinct values without regard to case (COLLATE NOCASE),
    agentsweep counts distinct decoded strings; group keys: pySigma lowercases text group
    values, agentsweep keeps them as they are; an absent group-by field: pySigma drops the event
    (its 'missing_group_key' diagnostic), agentsweep counts it in the group "null"; strings of
    digits: pySigma's value_sum/avg/percentile read them as numbers, agentsweep only JSON
    numbers. The data has lowercase values, every group-by field, and numbers only.

Chained correlations (a correlation naming another among its `rules`): `many_failed_logins`
(event_count of failed sign-ins per user, gte 3 in 1m) is chained by `success_after_failures`
(temporal_ordered [many_failed_logins, successful_login] by user, 10m, the success's user
through an alias) and by `repeated_bursts` (event_count of its firings, gte 2 in 1h).

  - The chained correlation's events are its firings. agentsweep: it fires at each of a group's
    events t whose window (t - timespan, t] meets its condition, once per time. pySigma: each
    alert (a window [t - timespan, t] ending at an event) becomes a child event at the alert's
    end (`c.end AS ts`). The two differ only for events a timespan apart, which the data keeps
    2 s away from; the chaining correlation then windows firings like events, and the same
    spacing rules hold between its firings and events.
  - Without `generate: true` on the chaining correlation, agentsweep does not report the
    chained one (its JSON `correlations` omit it), and pySigma does not output it. The test
    demands agentsweep's omission, and reads pySigma's own alerts of the chained correlation by
    converting it again as the only correlation of a collection with the detection rules:
    their window ends, per group, must be the model's firing times.
  - pySigma's alert of a chaining correlation lists as `event_ids` the evidence of its child
    alerts (the failed sign-ins of their windows), not the firings, and the child alerts as
    `child_alert_ids`. Their ids (a digest of the rule and a rank) are the same in the second
    conversion, so each child stands for its firing time, the end of its own window; the
    children's evidence is left out. With that, the first event of pySigma's earliest alert
    (for temporal_ordered: the firing it starts the sequence with) is compared with
    agentsweep's `start`, which is a firing's time, and an event_count's count with the alert
    whose children are exactly the firings in agentsweep's window.

A model of both window definitions (Correlation.fires below; Correlation.firings for a chained
one's firing times) checks the design: each group must fire under both or under neither, and as
its scenario says. A group that a tool reports differently is a difference. Exit status 0 when
everything agrees, 1 on a difference, 77 (skipped) when pySigma or its SQLite backend is not
installed.

Usage: pysigma_correlations_test.py AGENTSWEEP SCRATCH_DIR
"""
import json
import math
import os
import random
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone

try:
    import yaml
    from sigma.backends.sqlite import sqliteBackend
    from sigma.backends.sqlite.runtime import execute_plan
    from sigma.collection import SigmaCollection
except ImportError as e:
    print(f"SKIPPED: pysigma and pysigma-backend-sqlite are not importable ({e}); "
          "run scripts/setup")
    sys.exit(77)

from sigma_sqlite import flatten, logs_database  # noqa: E402 (after the skip check)


# Detection rules (one action each) and the correlations over them. pySigma wants UUIDs as ids;
# the correlations name their rules by `name`.
RULES = """\
title: Failed Login
id: 6b0e0c2a-0000-4000-8000-000000000001
name: login_failed
logsource: {product: test}
detection: {s: {action: login_failed}, condition: s}
---
title: Key Created
id: 6b0e0c2a-0000-4000-8000-000000000002
name: key_created
logsource: {product: test}
detection: {s: {action: create_key}, condition: s}
---
title: Key Used
id: 6b0e0c2a-0000-4000-8000-000000000003
name: key_used
logsource: {product: test}
detection: {s: {action: use_key}, condition: s}
---
title: Key Deleted
id: 6b0e0c2a-0000-4000-8000-000000000004
name: key_deleted
logsource: {product: test}
detection: {s: {action: delete_key}, condition: s}
---
title: Download
id: 6b0e0c2a-0000-4000-8000-000000000005
name: download
logsource: {product: test}
detection: {s: {action: download}, condition: s}
---
title: MFA Disabled
id: 6b0e0c2a-0000-4000-8000-000000000006
name: mfa_disabled
logsource: {product: test}
detection: {s: {action: mfa_disabled}, condition: s}
---
title: Role Granted
id: 6b0e0c2a-0000-4000-8000-000000000007
name: role_granted
logsource: {product: test}
detection: {s: {action: role_granted}, condition: s}
---
title: Token Issued
id: 6b0e0c2a-0000-4000-8000-000000000008
name: token_issued
logsource: {product: test}
detection: {s: {action: token_issued}, condition: s}
---
title: Transfer
id: 6b0e0c2a-0000-4000-8000-000000000009
name: transfer
logsource: {product: test}
detection: {s: {action: transfer}, condition: s}
---
title: Upload
id: 6b0e0c2a-0000-4000-8000-00000000000a
name: upload
logsource: {product: test}
detection: {s: {action: upload}, condition: s}
---
title: Export
id: 6b0e0c2a-0000-4000-8000-00000000000b
name: export
logsource: {product: test}
detection: {s: {action: export}, condition: s}
---
title: Backup
id: 6b0e0c2a-0000-4000-8000-00000000000c
name: backup
logsource: {product: test}
detection: {s: {action: backup}, condition: s}
---
title: Failed Sign-In
id: 6b0e0c2a-0000-4000-8000-00000000000d
name: failed_login
logsource: {product: test}
detection: {s: {action: sign_in_failed}, condition: s}
---
title: Successful Sign-In
id: 6b0e0c2a-0000-4000-8000-00000000000e
name: successful_login
logsource: {product: test}
detection: {s: {action: sign_in_ok}, condition: s}
---
title: Login Burst
id: 6b0e0c2a-0000-4000-8000-000000000101
name: burst
correlation:
    type: event_count
    rules: [login_failed]
    group-by: [user, request.ip]
    timespan: 5m
    condition: {gte: 5}
---
title: Busy Key
id: 6b0e0c2a-0000-4000-8000-000000000102
name: busy_key
correlation:
    type: event_count
    rules: [key_created, key_used]
    group-by: [key]
    aliases:
        key: {key_created: created.key_id, key_used: auth.api_key_id}
    timespan: 10m
    condition: {gte: 3}
---
title: Many Files
id: 6b0e0c2a-0000-4000-8000-000000000103
name: many_files
correlation:
    type: value_count
    rules: [download]
    group-by: [user]
    timespan: 2m
    condition: {field: file, gte: 4}
---
title: MFA Off And Role
id: 6b0e0c2a-0000-4000-8000-000000000104
name: mfa_role
correlation: {type: temporal, rules: [mfa_disabled, role_granted], group-by: [user], timespan: 5m}
---
title: Two Of Three
id: 6b0e0c2a-0000-4000-8000-000000000105
name: two_of_three
correlation:
    type: temporal
    rules: [mfa_disabled, role_granted, token_issued]
    group-by: [user]
    timespan: 5m
    condition: {gte: 2}
---
title: Key Lifecycle
id: 6b0e0c2a-0000-4000-8000-000000000106
name: lifecycle
correlation:
    type: temporal_ordered
    rules: [key_created, key_used, key_deleted]
    group-by: [key]
    aliases:
        key: {key_created: created.key_id, key_used: auth.api_key_id, key_deleted: target.key_id}
    timespan: 1m
---
title: Large Transfers
id: 6b0e0c2a-0000-4000-8000-000000000107
name: big_sum
correlation:
    type: value_sum
    rules: [transfer]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, gte: 1000000}
---
title: Large Uploads On Average
id: 6b0e0c2a-0000-4000-8000-000000000108
name: big_avg
correlation:
    type: value_avg
    rules: [upload]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, gt: 400000}
---
title: Heavy Export Tail
id: 6b0e0c2a-0000-4000-8000-000000000109
name: heavy_p90
correlation:
    type: value_percentile
    rules: [export]
    group-by: [user]
    timespan: 1h
    condition: {field: bytes, percentile: 90, gte: 50000}
---
title: Large Median Backup
id: 6b0e0c2a-0000-4000-8000-00000000010a
name: big_median
correlation:
    type: value_median
    rules: [backup]
    group-by: [user]
    timespan: 30m
    condition: {field: bytes, gte: 1000}
---
title: Many Failed Sign-Ins
id: 6b0e0c2a-0000-4000-8000-00000000010b
name: many_failed_logins
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [user]
    timespan: 1m
    condition: {gte: 3}
---
title: Success After Many Failures
id: 6b0e0c2a-0000-4000-8000-00000000010c
name: success_after_failures
correlation:
    type: temporal_ordered
    rules: [many_failed_logins, successful_login]
    group-by: [user]
    aliases:
        user: {many_failed_logins: user, successful_login: actor.user}
    timespan: 10m
---
title: Repeated Failure Bursts
id: 6b0e0c2a-0000-4000-8000-00000000010d
name: repeated_bursts
correlation:
    type: event_count
    rules: [many_failed_logins]
    group-by: [user]
    timespan: 1h
    condition: {gte: 2}
"""

T0 = datetime(2026, 3, 1, tzinfo=timezone.utc)
COPIES = 6  # groups per scenario
MONOTONE = {"event_count", "value_count", "temporal", "temporal_ordered", "value_sum"}
NUMERIC = {"value_sum", "value_avg", "value_percentile", "value_median"}


# --- The data: scenarios, each a few events of one group, offsets in seconds ------------------

def ev(at, action, **fields):
    return at, dict(action=action, **fields)


def logins(user, ip, offsets):
    return [ev(at, "login_failed", user=user, request={"ip": ip}) for at in offsets]


def keys(key, steps):
    field = {"create_key": "created", "use_key": "auth", "delete_key": "target"}
    name = {"create_key": "key_id", "use_key": "api_key_id", "delete_key": "key_id"}
    return [ev(at, action, user="svc", **{field[action]: {name[action]: key}})
            for at, action in steps]


def values(action, user, pairs):
    return [ev(at, action, user=user, bytes=v) for at, v in pairs]


def spaced(vals, step, start=0):
    return [(start + i * step, v) for i, v in enumerate(vals)]


def sign_ins(user, failures, successes):
    """Failed sign-ins of `user`, and successful ones naming the user as actor.user."""
    return ([ev(at, "sign_in_failed", user=user) for at in failures]
            + [ev(at, "sign_in_ok", actor={"user": user}) for at in successes])


def tail_pair(gap):
    """10 small exports, a large one, 9 small, a large one `gap` s later, 10 small."""
    pairs = [(i * 30, 10) for i in range(10)] + [(400, 100000)]
    pairs += [(400 + 60 + i * (gap - 120) // 8, 10) for i in range(9)]
    pairs += [(400 + gap, 100000)] + [(400 + gap + 30 * (i + 1), 10) for i in range(10)]
    return pairs


# (correlation name, fires?, description, events of a group given its group value)
SCENARIOS = [
    ("burst", True, "5 within 297s", lambda g: logins(g, "10.0.0.1", [0, 70, 150, 220, 297])),
    ("burst", True, "12 within 187s", lambda g: logins(g, "10.0.0.2", range(0, 188, 17))),
    ("burst", True, "4, then 6 after 1000s",
     lambda g: logins(g, "10.0.0.3", [0, 10, 20, 30] + list(range(1000, 1101, 20)))),
    ("burst", False, "5 over 303s", lambda g: logins(g, "10.0.0.4", [0, 70, 150, 220, 303])),
    ("burst", False, "4 a burst, 3 bursts",
     lambda g: logins(g, "10.0.0.5", [b + i * 10 for b in (0, 1000, 2000) for i in range(4)])),
    ("burst", False, "3 + 3 from two addresses",
     lambda g: logins(g, "10.0.1.1", [0, 20, 40]) + logins(g, "10.0.1.2", [10, 30, 50])),
    ("burst", False, "4 + 1 without time",
     lambda g: logins(g, "10.0.0.6", [0, 15, 30, 45, None])),
    ("busy_key", True, "create + 2 uses within 597s",
     lambda g: keys(g, [(0, "create_key"), (100, "use_key"), (597, "use_key")])),
    ("busy_key", False, "create + 2 uses over 603s",
     lambda g: keys(g, [(0, "create_key"), (100, "use_key"), (603, "use_key")])),
    ("busy_key", True, "3 uses within 50s",
     lambda g: keys(g, [(0, "use_key"), (25, "use_key"), (50, "use_key")])),
    ("many_files", True, "4 files within 117s",
     lambda g: [ev(at, "download", user=g, file=f"f{i}") for i, at in enumerate([0, 40, 80, 117])]),
    ("many_files", False, "4 files over 123s",
     lambda g: [ev(at, "download", user=g, file=f"f{i}") for i, at in enumerate([0, 40, 80, 123])]),
    ("many_files", False, "8 downloads of 3 files",
     lambda g: [ev(i * 9, "download", user=g, file=f"f{i % 3}") for i in range(8)]),
    ("many_files", True, "6 downloads of 4 files",
     lambda g: [ev(i * 19, "download", user=g, file=f"f{i % 4}") for i in range(6)]),
    ("many_files", False, "3 files + 1 download without file",
     lambda g: [ev(i * 20, "download", user=g, file=f"f{i}") for i in range(3)]
     + [ev(70, "download", user=g)]),
    ("mfa_role", True, "both within 297s",
     lambda g: [ev(0, "mfa_disabled", user=g), ev(297, "role_granted", user=g)]),
    ("mfa_role", True, "role first, mfa 250s later",
     lambda g: [ev(0, "role_granted", user=g), ev(250, "mfa_disabled", user=g)]),
    ("mfa_role", False, "both 303s apart",
     lambda g: [ev(0, "mfa_disabled", user=g), ev(303, "role_granted", user=g)]),
    ("mfa_role", False, "5 mfa, no role",
     lambda g: [ev(i * 20, "mfa_disabled", user=g) for i in range(5)]),
    ("mfa_role", True, "400s apart, then 10s apart",
     lambda g: [ev(0, "mfa_disabled", user=g), ev(400, "role_granted", user=g),
                ev(2000, "mfa_disabled", user=g), ev(2010, "role_granted", user=g)]),
    ("two_of_three", True, "token + mfa within 100s",
     lambda g: [ev(0, "token_issued", user=g), ev(100, "mfa_disabled", user=g)]),
    ("two_of_three", False, "3 tokens only",
     lambda g: [ev(i * 30, "token_issued", user=g) for i in range(3)]),
    ("two_of_three", False, "token, role 303s apart",
     lambda g: [ev(0, "token_issued", user=g), ev(303, "role_granted", user=g)]),
    ("lifecycle", True, "create, use, delete within 57s",
     lambda g: keys(g, [(0, "create_key"), (20, "use_key"), (57, "delete_key")])),
    ("lifecycle", False, "create, use, delete over 63s",
     lambda g: keys(g, [(0, "create_key"), (20, "use_key"), (63, "delete_key")])),
    ("lifecycle", False, "use, create, delete",
     lambda g: keys(g, [(0, "use_key"), (10, "create_key"), (30, "delete_key")])),
    ("lifecycle", False, "create, delete, use",
     lambda g: keys(g, [(0, "create_key"), (10, "delete_key"), (30, "use_key")])),
    ("lifecycle", True, "use 70s late, then all",
     lambda g: keys(g, [(0, "create_key"), (70, "use_key"), (100, "create_key"),
                        (110, "use_key"), (120, "delete_key")])),
    ("lifecycle", True, "2 creates, use, delete",
     lambda g: keys(g, [(0, "create_key"), (5, "create_key"), (10, "use_key"),
                        (20, "delete_key")])),
    ("big_sum", True, "4 x 250000, exactly the threshold",
     lambda g: values("transfer", g, spaced([250000] * 4, 300))),
    ("big_sum", False, "999999 in all",
     lambda g: values("transfer", g, spaced([250000] * 3 + [249999], 300))),
    ("big_sum", True, "2 x 500000, 3597s apart",
     lambda g: values("transfer", g, [(0, 500000), (3597, 500000)])),
    ("big_sum", False, "2 x 500000, 3603s apart",
     lambda g: values("transfer", g, [(0, 500000), (3603, 500000)])),
    ("big_sum", True, "100 x 10000 within 2970s",
     lambda g: values("transfer", g, spaced([10000] * 100, 30))),
    ("big_sum", True, "3 x 333333.5",
     lambda g: values("transfer", g, spaced([333333.5] * 3, 600))),
    ("big_avg", True, "all above 400000",
     lambda g: values("upload", g, spaced([500000, 450000, 410000], 600))),
    ("big_avg", False, "all exactly 400000",
     lambda g: values("upload", g, spaced([400000] * 3, 600))),
    ("big_avg", False, "all at most 399999",
     lambda g: values("upload", g, spaced([100, 300000, 399999], 600))),
    ("big_avg", True, "100, 800000, 100: pairs 400050",
     lambda g: values("upload", g, spaced([100, 800000, 100], 600))),
    ("big_avg", False, "100, 799800, 100: pairs 399950",
     lambda g: values("upload", g, spaced([100, 799800, 100], 600))),
    ("heavy_p90", True, "11 of 60000..90000",
     lambda g: values("export", g, spaced([60000 + 3000 * i for i in range(11)], 120))),
    ("heavy_p90", True, "11 of exactly 50000",
     lambda g: values("export", g, spaced([50000] * 11, 120))),
    ("heavy_p90", False, "11 of at most 49999",
     lambda g: values("export", g, spaced([49999 - 1000 * i for i in range(11)], 120))),
    ("heavy_p90", False, "10 small, 1 large, 10 small",
     lambda g: values("export", g, spaced([10] * 10 + [100000] + [10] * 10, 60))),
    ("heavy_p90", True, "10 small, 2 large, 10 small",
     lambda g: values("export", g, spaced([10] * 10 + [100000] * 2 + [10] * 10, 60))),
    ("heavy_p90", True, "2 large 3597s apart, 9 small between",
     lambda g: values("export", g, tail_pair(3597))),
    ("heavy_p90", False, "2 large 3603s apart, 9 small between",
     lambda g: values("export", g, tail_pair(3603))),
    ("big_median", True, "10, 1500, 1500, 10",
     lambda g: values("backup", g, spaced([10, 1500, 1500, 10], 60))),
    ("big_median", False, "10, 1500, 10, 1500, 10, 1500, 10",
     lambda g: values("backup", g, spaced([10, 1500] * 3 + [10], 60))),
    ("big_median", True, "10, 1000, 1000, 10",
     lambda g: values("backup", g, spaced([10, 1000, 1000, 10], 60))),
    ("big_median", False, "10, 999, 999, 10",
     lambda g: values("backup", g, spaced([10, 999, 999, 10], 60))),
    ("big_median", True, "1200, 10, 1500, 10, 1300",
     lambda g: values("backup", g, spaced([1200, 10, 1500, 10, 1300], 60))),
    # Chains: many_failed_logins fires at each failure with 3 in the minute up to it.
    ("success_after_failures", True, "3 fails in 40s, success 180s later",
     lambda g: sign_ins(g, [0, 20, 40], [220])),
    ("success_after_failures", True, "success between 3rd and 4th failure",
     lambda g: sign_ins(g, [0, 20, 40, 50], [45])),
    ("success_after_failures", True, "3 fails in 57s, success 597s later",
     lambda g: sign_ins(g, [0, 30, 57], [654])),
    ("success_after_failures", True, "success 603s after 3rd, 597s after 4th",
     lambda g: sign_ins(g, [0, 20, 40, 46], [643])),
    ("success_after_failures", False, "success 603s after the 3rd failure",
     lambda g: sign_ins(g, [0, 20, 40], [643])),
    ("success_after_failures", False, "success before the failures",
     lambda g: sign_ins(g, [100, 120, 140], [0])),
    ("success_after_failures", False, "failures 33s apart, then success",
     lambda g: sign_ins(g, [0, 33, 66, 99], [150])),
    ("success_after_failures", False, "3 fails over 63s, then success",
     lambda g: sign_ins(g, [0, 30, 63], [200])),
    ("repeated_bursts", True, "2 bursts of 3, 1800s apart",
     lambda g: sign_ins(g, [0, 20, 40, 1800, 1820, 1840], [])),
    ("repeated_bursts", True, "4 failures within 50s: 2 firings",
     lambda g: sign_ins(g, [0, 20, 40, 50], [])),
    ("repeated_bursts", True, "2 bursts, firings 3597s apart",
     lambda g: sign_ins(g, [0, 20, 40, 3597, 3617, 3637], [])),
    ("repeated_bursts", False, "2 bursts, firings 3603s apart",
     lambda g: sign_ins(g, [0, 20, 40, 3603, 3623, 3643], [])),
    ("repeated_bursts", False, "a burst of 3, 2 failures later",
     lambda g: sign_ins(g, [0, 20, 40, 1000, 2000], [])),
    ("repeated_bursts", False, "3 pairs of failures",
     lambda g: sign_ins(g, [0, 20, 1000, 1020, 2000, 2020], [])),
]

# Events no rule matches, and single matching events of their own groups (which fire nowhere).
NOISE_ACTIONS = ["read", "list_files", "login_ok", "logout"]
SINGLES = [("login_failed", {"request": {"ip": "10.9.9.9"}}), ("download", {"file": "x"}),
           ("mfa_disabled", {}), ("token_issued", {}), ("transfer", {"bytes": 1000}),
           ("upload", {"bytes": 1000}), ("export", {"bytes": 10}), ("backup", {"bytes": 10}),
           ("sign_in_failed", {})]


def iso(ms):
    return (T0 + timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def generate(scratch):
    """Writes the events over 3 files; returns [(file, line, doc, time_ms or None, label)]."""
    rng = random.Random(20260301)
    docs = []  # (doc, label)
    for index, (name, _, _, build) in enumerate(SCENARIOS):
        for copy in range(COPIES):
            group = f"{name.replace('_', '-')}-{index}-{copy}"
            base = rng.randrange(0, 20 * 3600) * 1000
            for at, doc in build(group):
                if at is not None:
                    doc["ts"] = iso(base + at * 1000 + rng.randrange(1000))
                docs.append((doc, (name, index)))
    for i in range(300):
        action, extra = SINGLES[i % len(SINGLES)]
        doc = dict(action=action, user=f"single-{i}", **json.loads(json.dumps(extra)))
        doc["ts"] = iso(rng.randrange(0, 24 * 3600 * 1000))
        docs.append((doc, None))
    for i in range(1800):
        doc = {"action": rng.choice(NOISE_ACTIONS), "user": f"u{rng.randrange(50)}",
               "bytes": rng.randrange(10**7), "ts": iso(rng.randrange(0, 24 * 3600 * 1000))}
        docs.append((doc, None))
    rng.shuffle(docs)
    paths = [os.path.join(scratch, f"events-{i}.jsonl") for i in range(3)]
    events = []
    for path_index, path in enumerate(paths):
        with open(path, "w") as f:
            for number, (doc, label) in enumerate(docs[path_index::3], 1):
                f.write(json.dumps(doc) + "\n")
                ms = parse_ms(doc["ts"]) if "ts" in doc else None
                events.append((path, number, doc, ms, label))
    return paths, events


# --- Correlations and the model of both window definitions ------------------------------------

def lookup(doc, path):
    for part in path.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Correlation:
    def __init__(self, doc, actions, known):
        c = doc["correlation"]
        self.id, self.name, self.kind = doc["id"], doc["name"], c["type"]
        self.rules = c["rules"]
        self.group_by = c["group-by"]
        self.generate = bool(c.get("generate", doc.get("generate", False)))
        aliases = c.get("aliases", {})
        # Per rule (slot): the action it matches, or the chained Correlation (defined earlier in
        # RULES), and the field of each group-by name (a chained one's group-by name).
        self.slots = [(actions[r] if r in actions else known[r],
                       [aliases[g][r] if g in aliases else g for g in self.group_by])
                      for r in self.rules]
        self.chained = any(isinstance(source, Correlation) for source, _ in self.slots)
        self.span_ms = {"m": 60, "h": 3600}[c["timespan"][-1]] * int(c["timespan"][:-1]) * 1000
        condition = dict(c.get("condition") or {"gte": len(self.rules)})
        self.field = condition.pop("field", None)
        self.percentile = 50 if self.kind == "value_median" else condition.pop("percentile", None)
        (self.op, self.threshold), = condition.items()
        self.description = (f"{self.kind}, by {', '.join(self.group_by)}, {c['timespan']}, "
                            f"{self.op} {self.threshold}")

    def groups(self, events, pysigma=False):
        """Group -> [(time_ms, slot, value, rowid)] of the timed events the rules match; and
        group -> the scenario that made it. A chained correlation's slot holds its firings
        under the definition asked for, as (time_ms, slot, None, ("firing", time_ms))."""
        result, labels = {}, {}
        for slot, (source, fields) in enumerate(self.slots):
            if not isinstance(source, Correlation):
                continue
            fired, inner_labels = source.firings(events, pysigma)

            def outer(inner_group):
                named = dict(zip(source.group_by, inner_group))
                return tuple(named[f] for f in fields)
            for inner_group, times in fired.items():
                result.setdefault(outer(inner_group), []).extend(
                    (t, slot, None, ("firing", t)) for t in times)
            for inner_group, label in inner_labels.items():  # fired or not
                labels[outer(inner_group)] = label
        for rowid, (_, _, doc, ms, label) in enumerate(events, 1):
            for slot, (action, fields) in enumerate(self.slots):
                if doc.get("action") != action or ms is None:
                    continue
                group = tuple(lookup(doc, f) for f in fields)
                value = lookup(doc, self.field) if self.field else None
                if self.kind in NUMERIC and not is_number(value):
                    value = None
                result.setdefault(group, []).append((ms, slot, value, rowid))
                if label:
                    labels[group] = label
        return result, labels

    def satisfied(self, metric):
        if metric is None:
            return False
        return {"gt": metric > self.threshold, "gte": metric >= self.threshold,
                "lt": metric < self.threshold, "lte": metric <= self.threshold,
                "eq": metric == self.threshold, "neq": metric != self.threshold}[self.op]

    def measure(self, window, pysigma):
        kind = self.kind
        if kind == "event_count":
            return len(window)
        if kind == "value_count":
            vals = {e[2] for e in window if e[2] is not None}
            return len({str(v).lower() for v in vals} if pysigma else vals)
        if kind == "temporal":
            return len({e[1] for e in window})
        if kind == "temporal_ordered":
            last = None
            for slot in range(len(self.rules)):
                times = [e[0] for e in window if e[1] == slot and
                         (last is None or (e[0] > last if pysigma else e[0] >= last))]
                if not times:
                    return 0
                last = min(times)
            return len(self.rules)
        vals = sorted(e[2] for e in window if e[2] is not None)
        if not vals:
            return None
        if kind == "value_sum":
            return sum(vals)
        if kind == "value_avg":
            return sum(vals) / len(vals)
        return percentile(vals, self.percentile, pysigma)

    def windows(self, events, pysigma):
        """(start, end, events) of every window a definition looks at."""
        for anchor in events:
            if pysigma:  # closed, ending at each event
                start, end = anchor[0] - self.span_ms, anchor[0]
                yield start, end, [e for e in events if start <= e[0] <= end]
            elif self.kind == "temporal_ordered" and anchor[1] != 0:
                continue
            else:  # half open, from the event's millisecond
                start = anchor[0]
                yield start, start + self.span_ms, [e for e in events
                                                    if start <= e[0] < start + self.span_ms]

    def fires(self, events, pysigma):
        return any(self.satisfied(self.measure(w, pysigma))
                   for _, _, w in self.windows(events, pysigma))

    def firings(self, events, pysigma):
        """As a chained correlation: group -> the sorted times it fires at, each of the group's
        event times t whose window meets the condition: agentsweep's (t - span, t], pySigma's
        alerts' [t - span, t] (an alert's end is the child event's time); and the labels."""
        if self.kind == "temporal_ordered":
            raise NotImplementedError("the model chains no temporal_ordered correlation")
        groups, labels = self.groups(events, pysigma)
        fired = {}
        for group, entries in groups.items():
            for t in sorted({e[0] for e in entries}):
                window = [e for e in entries if e[0] <= t and
                          (e[0] >= t - self.span_ms if pysigma else e[0] > t - self.span_ms)]
                if self.satisfied(self.measure(window, pysigma)):
                    fired.setdefault(group, []).append(t)
        return fired, labels


def percentile(sorted_values, p, interpolated):
    n = len(sorted_values)
    if not interpolated:  # nearest rank
        return sorted_values[max(1, math.ceil(n * p / 100)) - 1]
    position = (n - 1) * (float(p) / 100)
    low = int(position)
    fraction = position - low
    if fraction == 0:
        return sorted_values[low]
    return sorted_values[low] * (1 - fraction) + sorted_values[low + 1] * fraction


def check_design(correlation, groups, labels):
    """Each group fires under both window definitions or under neither, and as designed; its
    events are apart from timespan boundaries. Returns the groups that fire."""
    fired = set()
    for group, events in groups.items():
        if None in group:
            raise AssertionError(f"{correlation.name} {group}: a group-by field is absent")
        times = sorted(e[0] for e in events)
        if len({t // 1000 for t in times}) != len(times):
            raise AssertionError(f"{correlation.name} {group}: two events in one second")
        for i, a in enumerate(times):
            for b in times[i + 1:]:
                if abs(b - a - correlation.span_ms) < 2000:
                    raise AssertionError(f"{correlation.name} {group}: events {b - a} ms apart")
        ours, theirs = correlation.fires(events, False), correlation.fires(events, True)
        if ours != theirs:
            raise AssertionError(f"{correlation.name} {group}: the definitions disagree "
                                 f"(agentsweep's {ours}, pySigma's {theirs}): fix the data")
        label = labels.get(group)
        if label is not None and label[0] == correlation.name and SCENARIOS[label[1]][1] != ours:
            raise AssertionError(f"{correlation.name} {group}: designed "
                                 f"{SCENARIOS[label[1]][1]}, the model says {ours}")
        if ours:
            fired.add(group)
    return fired


# --- The two tools ----------------------------------------------------------------------------

def database(events):
    """One row per event (rowid: its index + 1), a NOCASE column per dotted path."""
    rows = []
    for _, _, doc, _, _ in events:
        row = {}
        flatten(doc, "", row)
        rows.append(row)
    return logs_database(rows)


def pysigma_alerts(db, rules, chained):
    """Per correlation id: (pySigma's alerts, its diagnostics). pySigma does not output a
    chained correlation: those named in `chained` are converted again, as the only correlations
    of a collection with the detection rules, to read their own alerts (their alert ids, a
    digest of the rule and a rank, are the ids the chaining alerts name as children)."""
    result = {}
    documents = rules.split("\n---\n")
    alone = "\n---\n".join(d for d in documents if "detection" in yaml.safe_load(d)
                            or yaml.safe_load(d)["name"] in chained)
    for text in (rules, alone) if chained else (rules,):
        backend = sqliteBackend(timestamp_field="ts")
        converted = json.loads(backend.convert(SigmaCollection.from_yaml(text), "zircolite"))
        for rule in converted:
            if rule.get("result_type") == "correlation" and rule["id"] not in result:
                result[rule["id"]] = execute_plan(db, rule["correlation_plan"],
                                                  include_events=False)
    return result


def agentsweep_hits(agentsweep, rules_path, inputs, scratch):
    out = os.path.join(scratch, "report.json")
    with open(out, "w") as f:
        run = subprocess.run([agentsweep, "scan", "--backend", "cpu", "-q", "--json", "--top", "0",
                              "--rules", rules_path, *inputs], stdout=f, check=False)
    if run.returncode not in (0, 1):
        raise SystemExit(f"agentsweep scan exited with {run.returncode}")
    with open(out) as f:
        report = json.load(f)
    if report["rule_issues"]:
        raise SystemExit(f"agentsweep did not run every rule: {report['rule_issues']}")
    return {c["id"]: c for c in report["correlations"]}


def parse_ms(text):
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return round((moment - T0).total_seconds() * 1000)


def epoch_ms(seconds):
    """pySigma's window bounds (epoch seconds) as milliseconds from T0."""
    return round((seconds - T0.timestamp()) * 1000)


# --- The comparison ---------------------------------------------------------------------------

def compare(correlation, events, hits, alerts, diagnostics, child_end):
    groups, labels = correlation.groups(events)
    if correlation.chained and \
            {g: sorted(e) for g, e in groups.items()} != \
            {g: sorted(e) for g, e in correlation.groups(events, True)[0].items()}:
        raise AssertionError(f"{correlation.name}: the chained correlations fire at other times "
                             "under pySigma's definition: fix the data")
    designed = check_design(correlation, groups, labels)

    ours = {tuple(hit["group"]): hit for hit in hits}
    theirs = {}
    for alert in alerts:
        key = tuple(str(alert["group_keys"][g]) for g in correlation.group_by)
        theirs.setdefault(key, []).append(alert)
    as_text = {tuple(str(v) for v in g): g for g in groups}

    problems = []
    if set(ours) != set(theirs) or set(ours) != {tuple(map(str, g)) for g in designed}:
        for g in sorted(set(ours) | set(theirs) | {tuple(map(str, g)) for g in designed}):
            a, p, d = g in ours, g in theirs, as_text.get(g) in designed
            if not a == p == d:
                problems.append(f"group {g}: agentsweep {'fires' if a else '-'}, pySigma "
                                f"{'fires' if p else '-'}, design {'fires' if d else '-'}")

    times = {rowid: ms for rowid, (_, _, _, ms, _) in enumerate(events, 1)}

    def moment(identity):
        return identity[1] if isinstance(identity, tuple) else times[identity]

    def evidence(alert, group):
        """The alert's events as the model names them: row ids; for a chaining alert, its
        child alerts stand for their firings, ("firing", the child's window end), and the
        children's own evidence, listed with the alert's, is left out."""
        ids = {int(i.split(":", 1)[1]) for i in alert["event_ids"]}
        if not correlation.chained:
            return ids
        direct = {e[3] for e in groups[group]}
        return {i for i in ids if i in direct} | \
            {("firing", child_end[c]) for c in alert["child_alert_ids"]}

    starts_equal = starts = values_equal = values = percentile_apart = 0
    for g in sorted(set(ours) & set(theirs)):
        hit, group_alerts = ours[g], theirs[g]
        start = parse_ms(hit["start"])
        if correlation.kind in MONOTONE:  # the first event of the earliest window
            earliest = min(group_alerts, key=lambda a: (a["window_end"], a["alert_id"]))
            first = min(moment(i) for i in evidence(earliest, as_text[g]))
            starts += 1
            if first == start:
                starts_equal += 1
            else:
                problems.append(f"group {g}: agentsweep's window starts {hit['start']}, "
                                f"pySigma's earliest at {iso(first)}")
        if correlation.kind == "temporal_ordered":
            continue  # pySigma's evidence is the chosen events only: no window to match
        inside = [e for e in groups[as_text[g]]
                  if start <= e[0] < parse_ms(hit["end"])
                  and (correlation.kind not in NUMERIC or e[2] is not None)]
        same = [a for a in group_alerts if evidence(a, as_text[g]) == {e[3] for e in inside}]
        if not same:
            continue
        reported = hit.get("value", hit["count"])
        if correlation.percentile is not None:
            vals = sorted(e[2] for e in inside)
            if percentile(vals, correlation.percentile, False) != \
                    percentile(vals, correlation.percentile, True):
                percentile_apart += 1
                continue
        values += 1
        metric = same[0]["metric_value"]
        if math.isclose(reported, metric, rel_tol=1e-9, abs_tol=1e-9):
            values_equal += 1
        else:
            problems.append(f"group {g}: agentsweep {reported}, pySigma {metric} "
                            f"over the same {len(inside)} events")

    print(f"\n{correlation.name} ({correlation.description}); "
          f"pySigma diagnostics: {diagnostics or 'none'}")
    print(f"  {'scenario':<40} {'groups':>6} {'design':>6} {'agentsweep':>10} {'pySigma':>8}")
    seen = set()
    for index, (name, _, what, _) in enumerate(SCENARIOS):
        members = [g for g, label in labels.items() if label == (name, index)]
        if name != correlation.name and not any(g in designed for g in members):
            continue
        seen.update(members)
        keys = [tuple(map(str, g)) for g in members]
        row = (sum(k in ours for k in keys), sum(k in theirs for k in keys))
        design = sum(g in designed for g in members)
        print(f"  {what[:40]:<40} {len(members):>6} {design:>6} {row[0]:>10} {row[1]:>8}")
    rest = [g for g in groups if g not in seen]
    keys = [tuple(map(str, g)) for g in rest]
    print(f"  {'other groups':<40} {len(rest):>6} {sum(g in designed for g in rest):>6} "
          f"{sum(k in ours for k in keys):>10} {sum(k in theirs for k in keys):>8}")
    verdict = "yes" if not problems else "NO"
    line = (f"  equal: {verdict}; groups firing: agentsweep {len(ours)}, pySigma {len(theirs)}, "
            f"design {len(designed)}")
    if starts:
        line += f"; window starts equal {starts_equal}/{starts}"
    if values or percentile_apart:
        line += f"; counts/values over the same events equal {values_equal}/{values}"
    if percentile_apart:
        line += f" ({percentile_apart} windows where the percentile definitions differ)"
    print(line)
    for p in problems:
        print(f"  DIFFERENCE {p}")
    if correlation.name in {n for n, *_ in SCENARIOS} and not designed:
        problems.append("no group fires: a weak test")
    if values == 0 and correlation.kind != "temporal_ordered":
        problems.append("no window with the same events in both: values not compared")
    return problems


def compare_chained(correlation, events, reported, alerts, diagnostics):
    """A correlation only chained (no `generate: true`): agentsweep must not report it; its
    firings in pySigma (its alerts' window ends, per group) must be the model's."""
    groups, labels = correlation.groups(events)
    check_design(correlation, groups, labels)
    model, _ = correlation.firings(events, False)
    if model != correlation.firings(events, True)[0]:
        raise AssertionError(f"{correlation.name}: the definitions fire at other times: "
                             "fix the data")
    model = {tuple(map(str, g)): times for g, times in model.items()}
    theirs = {}
    for alert in alerts:
        key = tuple(str(alert["group_keys"][g]) for g in correlation.group_by)
        theirs.setdefault(key, []).append(epoch_ms(alert["window_end"]))
    problems = []
    if reported:
        problems.append("reported by agentsweep, though only chained (no generate: true)")
    for g in sorted(set(model) | set(theirs)):
        if sorted(theirs.get(g, [])) != model.get(g, []):
            problems.append(f"group {g}: pySigma fires at {sorted(map(iso, theirs.get(g, [])))}, "
                            f"the model at {list(map(iso, model.get(g, [])))}")
    print(f"\n{correlation.name} ({correlation.description}), chained only; "
          f"pySigma diagnostics: {diagnostics or 'none'}")
    print(f"  reported by agentsweep: {'yes' if reported else 'no'} (designed: no); "
          f"groups firing: pySigma {len(theirs)}, design {len(model)}; firing times equal "
          f"{sum(sorted(theirs.get(g, [])) == model[g] for g in model)}/{len(model)} groups, "
          f"{sum(map(len, model.values()))} firings")
    for p in problems:
        print(f"  DIFFERENCE {p}")
    if not model:
        problems.append("no group fires: a weak test")
    return problems


def main():
    agentsweep, scratch = sys.argv[1:3]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    rules_path = os.path.join(scratch, "correlations.yml")
    with open(rules_path, "w") as f:
        f.write(RULES)
    inputs, events = generate(scratch)

    documents = list(yaml.safe_load_all(RULES))
    actions = {d["name"]: d["detection"]["s"]["action"] for d in documents if "detection" in d}
    known = {}
    for d in documents:
        if "correlation" in d:
            known[d["name"]] = Correlation(d, actions, known)
    correlations = list(known.values())
    # Chained and not generated by a correlation chaining them: inputs only, in both tools.
    chained = {source.name for c in correlations for source, _ in c.slots
               if isinstance(source, Correlation) and not c.generate}

    ours = agentsweep_hits(agentsweep, rules_path, inputs, scratch)
    theirs = pysigma_alerts(database(events), RULES, chained)
    child_end = {a["alert_id"]: epoch_ms(a["window_end"])
                 for c in correlations if c.name in chained and c.id in theirs
                 for a in theirs[c.id][0]}
    print(f"{len(events)} events in {len(inputs)} files, {len(correlations)} correlations")
    failures = []
    for c in correlations:
        if c.name in chained and c.id in theirs:
            alerts, diagnostics = theirs[c.id]
            failures += [f"{c.name}: {p}" for p in
                         compare_chained(c, events, c.id in ours, alerts, diagnostics)]
            continue
        if c.id not in ours or c.id not in theirs:
            failures.append(f"{c.name}: not run (agentsweep: {c.id in ours}, "
                            f"pySigma: {c.id in theirs})")
            continue
        alerts, diagnostics = theirs[c.id]
        failures += [f"{c.name}: {p}" for p in
                     compare(c, events, ours[c.id]["hits"], alerts, diagnostics, child_end)]
    if failures:
        print(f"\nFAILED: {len(failures)} differences")
        for f in failures:
            print(f"  {f}")
        return 1
    print("\nOK: every correlation fires for the same groups in pySigma's SQL and in agentsweep")
    return 0


if __name__ == "__main__":
    sys.exit(main())
