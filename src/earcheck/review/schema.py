"""The review layer's own tables, added to the store's SQLite file as named migrations.

Decisions and audit records are append-only: SQLite triggers raise on any ``UPDATE`` or
``DELETE`` of those rows, so even a hand-written SQL statement cannot rewrite history.
Every statement is idempotent (``IF NOT EXISTS``) so :func:`install` may also run on a
database whose store was opened before this module registered its migrations.
"""
from __future__ import annotations

import sqlite3

APPEND_ONLY = ("review_decisions", "review_audit")
#: Cases are never changed either (their status is their latest decision); added later.
APPEND_ONLY_CASES = ("review_cases",)

_TABLES = """
CREATE TABLE IF NOT EXISTS review_customers (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,           -- normalised name | country
    name TEXT NOT NULL,
    country TEXT,
    address TEXT,
    first_seen TEXT NOT NULL,
    last_screened TEXT
);
CREATE TABLE IF NOT EXISTS review_cases (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES review_customers(id),
    created_at TEXT NOT NULL,
    origin TEXT NOT NULL,               -- single | batch | rescreen | api
    batch_id INTEGER,
    user TEXT NOT NULL,
    decision TEXT NOT NULL,             -- screening decision: match | review
    query TEXT NOT NULL,                -- JSON {name, country, address}
    hits TEXT NOT NULL,                 -- JSON list of hits (entry key, content hash, ...)
    snapshot TEXT NOT NULL              -- list snapshot checksum(s) the screening ran against
);
CREATE INDEX IF NOT EXISTS review_cases_customer ON review_cases(customer_id);
CREATE TABLE IF NOT EXISTS review_decisions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES review_cases(id),
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('true_match', 'false_positive', 'escalated')),
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS review_decisions_case ON review_decisions(case_id);
CREATE TABLE IF NOT EXISTS review_seen (
    customer_id INTEGER NOT NULL,
    entry_key TEXT NOT NULL,            -- list code : party id
    entry_hash TEXT NOT NULL,           -- sha256 of the entry's content when it was alerted
    case_id INTEGER NOT NULL,
    PRIMARY KEY (customer_id, entry_key, entry_hash)
);
CREATE TABLE IF NOT EXISTS review_audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,               -- screening | decision | list_update | batch | rescreen
    inputs TEXT NOT NULL,               -- JSON
    snapshot TEXT NOT NULL,             -- list snapshot checksum(s)
    result TEXT NOT NULL                -- JSON
);
CREATE TABLE IF NOT EXISTS review_batches (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    user TEXT NOT NULL,
    filename TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    alerts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running',   -- running | done | failed | interrupted
    error TEXT
);
"""


def _triggers(tables: tuple[str, ...] = APPEND_ONLY) -> str:
    out = []
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: past records cannot be "
                f"changed'); END;"
            )
    return "\n".join(out)


#: Named migrations, in order, as the store's ``register_migration(name, sql)`` expects.
MIGRATIONS: list[tuple[str, str]] = [
    ("review_001_tables", _TABLES),
    ("review_002_append_only_triggers", _triggers()),
    ("review_003_cases_append_only", _triggers(APPEND_ONLY_CASES)),
]


def register() -> None:
    """Register the migrations with the store, when the store offers the hook."""
    try:
        from earcheck.store import register_migration
    except ImportError:  # store layer not there: install() still creates the tables
        return
    for name, sql in MIGRATIONS:
        try:
            register_migration(name, sql)
        except ValueError:  # already registered (re-import)
            pass


def install(conn: sqlite3.Connection) -> None:
    """Create the tables and triggers on ``conn`` if missing (idempotent)."""
    for _name, sql in MIGRATIONS:
        conn.executescript(sql)
