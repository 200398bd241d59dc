"""The audit trail: one append-only row per screening, decision, list update, batch and
re-screening, with time, user, inputs, list snapshot checksum and result. Exportable as CSV."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime, timezone
from typing import Any, Iterator

AUDIT_COLUMNS = ("id", "at", "user", "action", "inputs", "snapshot", "result")


def now() -> str:
    """UTC time as ISO 8601 with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def record(conn: sqlite3.Connection, *, user: str, action: str, inputs: Any, snapshot: str,
           result: Any) -> int:
    """Append one audit row inside the caller's transaction; returns its id."""
    cur = conn.execute(
        "INSERT INTO review_audit (at, user, action, inputs, snapshot, result) VALUES (?,?,?,?,?,?)",
        (now(), user, action, _json(inputs), snapshot or "", _json(result)),
    )
    return int(cur.lastrowid)


def rows(conn: sqlite3.Connection, *, action: str | None = None, limit: int | None = None,
         offset: int = 0) -> list[dict[str, Any]]:
    """Audit rows, newest first, as dicts with ``inputs``/``result`` decoded."""
    sql = "SELECT id, at, user, action, inputs, snapshot, result FROM review_audit"
    args: list[Any] = []
    if action:
        sql += " WHERE action = ?"
        args.append(action)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    out = []
    for r in conn.execute(sql, args):
        d = dict(zip(AUDIT_COLUMNS, r))
        d["inputs"] = json.loads(d["inputs"])
        d["result"] = json.loads(d["result"])
        out.append(d)
    return out


def iter_csv(conn: sqlite3.Connection) -> Iterator[str]:
    """The whole trail as CSV text chunks, oldest first (JSON columns kept as JSON text)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(AUDIT_COLUMNS)
    cur = conn.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM review_audit ORDER BY id")
    while True:
        batch = cur.fetchmany(500)
        if not batch:
            break
        writer.writerows(batch)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.getvalue():
        yield buf.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
