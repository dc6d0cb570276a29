"""Events as pySigma's SQLite backend queries them, shared by the pySigma oracles.

One row per JSON object in a table `logs`, a column per dotted path of its leaves. Columns
compare without regard to case (COLLATE NOCASE), as Sigma matches strings unless a rule says
`cased`; pySigma's SQL leaves that to the columns' collation.
"""
import json
import sqlite3


def flatten(value, prefix, row):
    """Leaves of a JSON object under dotted names; lists stay JSON text."""
    if isinstance(value, dict):
        for key, inner in value.items():
            flatten(inner, f"{prefix}.{key}" if prefix else key, row)
    elif isinstance(value, list):
        row[prefix] = json.dumps(value)
    elif isinstance(value, bool):
        row[prefix] = "true" if value else "false"
    else:
        row[prefix] = value


def logs_database(rows):
    """An in-memory database whose table `logs` holds `rows` (dicts of column to value),
    rowid the row's index + 1. SQLite's column names ignore case, as pySigma's queries then
    do: keys that differ only in case (CloudTrail has a few) share a column."""
    db = sqlite3.connect(":memory:")
    columns = {}
    for row in rows:
        for key in row:
            columns.setdefault(key.lower(), key)
    db.execute("CREATE TABLE logs (" +
               ", ".join(f'"{c}" COLLATE NOCASE' for c in sorted(columns.values())) + ")")
    for rowid, row in enumerate(rows, 1):
        values = {columns[key.lower()]: value for key, value in row.items()}
        names = list(values)
        db.execute(f"INSERT INTO logs (rowid, {', '.join(chr(34) + n + chr(34) for n in names)}) "
                   f"VALUES (?, {', '.join('?' for _ in names)})", [rowid] + list(values.values()))
    return db
