"""Named schema migrations for the SQLite store.

Each migration is a ``(name, sql)`` pair. :func:`apply_migrations` runs the ones not yet recorded
in the ``_migrations`` table, in registration order, each in its own transaction (the SQL and the
``_migrations`` row commit together, or not at all). Other layers (review cases, audit) add their
own tables with :func:`register_migration` before opening a :class:`~earcheck.store.Store`; a
store opened later applies them, and :meth:`Store.migrate` applies them to an open store.

Migrations are never edited once shipped: a schema change is a new named migration.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

#: The store's own schema. Party rows keep a few columns for lookups and the full Party JSON.
CORE_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_store_snapshots_parties",
        """
        CREATE TABLE snapshots (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            dataset    TEXT NOT NULL,
            format     TEXT NOT NULL,
            source     TEXT NOT NULL,
            checksum   TEXT NOT NULL,      -- sha256 hex of the raw bytes
            loaded_at  TEXT NOT NULL,      -- UTC ISO 8601
            published  TEXT,               -- as-of date of the data when known
            counts     TEXT NOT NULL,      -- JSON {list_code: n}
            total      INTEGER NOT NULL,
            warnings   TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX snapshots_by_dataset ON snapshots(dataset, id);
        CREATE INDEX snapshots_by_checksum ON snapshots(checksum);
        CREATE TABLE parties (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,  -- order in the parsed list
            id          TEXT NOT NULL,     -- publisher's record id
            list_code   TEXT NOT NULL,
            name        TEXT NOT NULL,
            kind        TEXT NOT NULL,
            start_date  TEXT,
            end_date    TEXT,
            data        TEXT NOT NULL      -- the full Party as JSON
        );
        CREATE UNIQUE INDEX parties_by_snapshot ON parties(snapshot_id, seq);
        CREATE INDEX parties_by_id ON parties(id, snapshot_id);
        """,
    ),
]

_registry: list[tuple[str, str]] = list(CORE_MIGRATIONS)


def register_migration(name: str, sql: str) -> None:
    """Add a named migration (idempotent for the same name and SQL).

    Raises ``ValueError`` if ``name`` is already registered with different SQL.
    """
    for n, s in _registry:
        if n == name:
            if s.strip() != sql.strip():
                raise ValueError(f"migration {name!r} is already registered with different SQL")
            return
    _registry.append((name, sql))


def registered_migrations() -> list[tuple[str, str]]:
    """All registered migrations, core first, in the order they apply."""
    return list(_registry)


def split_statements(sql: str) -> list[str]:
    """Split a SQL script into complete statements (``executescript`` would commit early)."""
    out: list[str] = []
    buf = ""
    for piece in sql.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \t\r\n;"):
        out.append(buf.strip())
    return out


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names recorded in ``_migrations`` (the table is created if missing)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations, each in one transaction. Returns the names applied now.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Safe when several processes
    open the store at once: each migration re-checks ``_migrations`` under a write lock.
    """
    done = set(applied_migrations(conn))
    applied: list[str] = []
    for name, sql in registered_migrations():
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("COMMIT")  # another process got there first
                continue
            for stmt in split_statements(sql):
                conn.execute(stmt)
            conn.execute(
                "INSERT INTO _migrations(name, applied_at) VALUES (?, ?)",
                (name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
