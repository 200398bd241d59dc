"""Cases and decisions: every alert becomes a case; analysts record append-only decisions.

A *customer* is any party ever screened or uploaded (the saved customer base that is
re-screened on list change). A *case* is one alerting screening of a customer: the query,
its hits (each with the list entry's key and content hash) and the list snapshot. A
*decision* (``true_match`` / ``false_positive`` / ``escalated`` + comment) is appended to a
case; the latest decision is the case's status, and nothing is ever edited in place.

Alerts are raised only for what is new to a customer: a hit whose entry (key and content
hash) already appears in one of the customer's cases does not open another case. So a
``false_positive`` keeps a party quiet until the entry it was cleared against changes.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from . import audit, schema
from .hits import is_alert

DECISIONS = ("true_match", "false_positive", "escalated")


def _keys(hit: dict[str, Any]) -> list[str]:
    """The keys an alert is remembered under: its id key, and its name key when there is one."""
    return [k for k in (hit["entry_key"], hit.get("entry_name_key")) if k]


def _seen_case(seen: dict[tuple[str, str], int], hit: dict[str, Any]) -> int | None:
    """The case that already covers this alert, if any: the same entry (by id, or by list code
    and name for formats whose ids differ) with the same decision-relevant content, or the same
    entry recorded under the earlier all-fields hash (``entry_hash_v1``)."""
    for key in _keys(hit):
        if (key, hit["entry_hash"]) in seen:
            return seen[(key, hit["entry_hash"])]
    legacy = hit.get("entry_hash_v1")
    return seen.get((hit["entry_key"], legacy)) if legacy else None


class ReviewError(ValueError):
    """Bad input to the review layer (unknown case, bad decision); message is one line."""


def customer_key(name: str, country: str | None) -> str:
    """Normalised identity of a screened party: case-folded name and country."""
    return " ".join(name.casefold().split()) + "|" + (country or "").upper()


class Review:
    """Cases, decisions, customers, batches and the audit trail in the store's SQLite file."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        self._connect = connect
        self._local = threading.local()
        schema.install(self._conn())  # executescript manages its own transaction

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (opened once: opening and closing per request costs a WAL
        checkpoint each time). Autocommit mode; :meth:`tx` opens the transactions."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            conn.isolation_level = None
            conn.execute("PRAGMA busy_timeout = 30000")
            self._local.conn = conn
        return conn

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection inside one ``BEGIN IMMEDIATE`` transaction (so a
        read-then-write cannot race another writer), committed before the caller answers
        anyone and rolled back on error."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- customers -------------------------------------------------------------------------
    def upsert_customer(self, conn: sqlite3.Connection, name: str, country: str | None = None,
                        address: str | None = None) -> int:
        key = customer_key(name, country)
        now = audit.now()
        row = conn.execute(
            "INSERT INTO review_customers (key, name, country, address, first_seen, last_screened) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET last_screened = excluded.last_screened, "
            "address = COALESCE(excluded.address, review_customers.address) RETURNING id",
            (key, name, country, address, now, now)).fetchone()
        return int(row[0])

    def customers(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        sql = ("SELECT id, name, country, address, first_seen, last_screened FROM review_customers "
               "ORDER BY id")
        args: tuple = ()
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args = (limit, offset)
        cols = ("id", "name", "country", "address", "first_seen", "last_screened")
        with self.tx() as conn:
            return [dict(zip(cols, r)) for r in conn.execute(sql, args)]

    def customer(self, customer_id: int) -> dict[str, Any] | None:
        with self.tx() as conn:
            r = conn.execute("SELECT id, name, country, address, first_seen, last_screened "
                             "FROM review_customers WHERE id = ?", (customer_id,)).fetchone()
        if not r:
            return None
        return dict(zip(("id", "name", "country", "address", "first_seen", "last_screened"), r))

    # -- screenings and cases ---------------------------------------------------------------
    def record_screening(self, query: dict[str, Any], decision: str, hits: list[dict[str, Any]], *,
                         user: str, origin: str, snapshot: str, batch_id: int | None = None,
                         conn: sqlite3.Connection | None = None) -> dict[str, Any]:
        """Record one screening: save the customer, open a case for new alerts, audit it.

        ``hits`` are records from :func:`earcheck.review.hits.hit_record`. Returns
        ``{"customer_id", "case_id" (None when nothing new), "new": [entry keys],
        "known_cases": [case ids already covering the other alerting hits]}``.
        """
        if conn is None:
            with self.tx() as c:
                return self.record_screening(query, decision, hits, user=user, origin=origin,
                                             snapshot=snapshot, batch_id=batch_id, conn=c)
        name = str(query.get("name") or "").strip()
        cid = self.upsert_customer(conn, name, query.get("country"), query.get("address"))
        alerting = [h for h in hits if is_alert(h.get("decision") or decision)] if is_alert(decision) else []
        seen: dict[tuple[str, str], int] = {
            (k, h): c for k, h, c in conn.execute(
                "SELECT entry_key, entry_hash, case_id FROM review_seen WHERE customer_id = ?", (cid,))
        }
        seen_case = {id(h): _seen_case(seen, h) for h in alerting}
        new = [h for h in alerting if seen_case[id(h)] is None]
        known = sorted({c for c in seen_case.values() if c is not None})
        upgrade = [(cid, k, h["entry_hash"], seen_case[id(h)]) for h in alerting
                   if seen_case[id(h)] is not None for k in _keys(h)
                   if (k, h["entry_hash"]) not in seen]
        if upgrade:  # seen under another id or an earlier hash scheme: record the current keys
            conn.executemany("INSERT OR IGNORE INTO review_seen (customer_id, entry_key, entry_hash,"
                             " case_id) VALUES (?,?,?,?)", upgrade)
        case_id = None
        if new:
            new_keys = {h["entry_key"] for h in new}
            stored = [dict(h, new=h["entry_key"] in new_keys) for h in alerting]
            cur = conn.execute(
                "INSERT INTO review_cases (customer_id, created_at, origin, batch_id, user, decision, "
                "query, hits, snapshot) VALUES (?,?,?,?,?,?,?,?,?)",
                (cid, audit.now(), origin, batch_id, user, decision, json.dumps(query),
                 json.dumps(stored), snapshot or ""))
            case_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT OR IGNORE INTO review_seen (customer_id, entry_key, entry_hash, case_id) "
                "VALUES (?,?,?,?)", [(cid, k, h["entry_hash"], case_id) for h in alerting
                                     for k in _keys(h)])
        out = {"customer_id": cid, "case_id": case_id, "new": [h["entry_key"] for h in new],
               "known_cases": known}
        if origin == "rescreen" and case_id is None:
            return out  # a quiet re-screening is summarised in one audit row by the caller
        audit.record(conn, user=user, action="screening", inputs=dict(query, origin=origin),
                     snapshot=snapshot, result={
                         "decision": decision, "case_id": case_id, "known_cases": known,
                         "hits": [{"entry": h["entry_key"], "score": h["score"]} for h in hits[:10]]})
        return out

    def decide(self, case_id: int, decision: str, comment: str = "", *, user: str) -> dict[str, Any]:
        """Append a decision to a case (committed before returning) and audit it."""
        if decision not in DECISIONS:
            raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        comment = (comment or "").strip()
        if len(comment) > 4000:
            raise ReviewError("comment is longer than 4000 characters")
        with self.tx() as conn:
            row = conn.execute("SELECT snapshot, customer_id FROM review_cases WHERE id = ?",
                               (case_id,)).fetchone()
            if not row:
                raise ReviewError(f"no case {case_id}")
            at = audit.now()
            cur = conn.execute("INSERT INTO review_decisions (case_id, at, user, decision, comment) "
                               "VALUES (?,?,?,?,?)", (case_id, at, user, decision, comment))
            rec = {"id": int(cur.lastrowid), "case_id": case_id, "at": at, "user": user,
                   "decision": decision, "comment": comment}
            audit.record(conn, user=user, action="decision",
                         inputs={"case_id": case_id, "customer_id": row[1], "decision": decision,
                                 "comment": comment}, snapshot=row[0], result={"decision_id": rec["id"]})
        return rec

    def case(self, case_id: int) -> dict[str, Any] | None:
        with self.tx() as conn:
            cases = self._cases(conn, "c.id = ?", (case_id,))
            if not cases:
                return None
            case = cases[0]
            case["decisions"] = self._decisions(conn, case_id)
        return case

    def queue(self, *, status: str = "open", limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
        """Cases by status: ``open`` (no decision yet), ``escalated``, ``decided`` or ``all``."""
        where = {
            "open": "d.decision IS NULL",
            "escalated": "d.decision = 'escalated'",
            "decided": "d.decision IS NOT NULL",
            "all": "1",
        }.get(status)
        if where is None:
            raise ReviewError(f"status must be open, escalated, decided or all, not {status!r}")
        with self.tx() as conn:
            return self._cases(conn, where, (), limit=limit, offset=offset)

    def count_open(self) -> int:
        """Cases without any decision yet."""
        with self.tx() as conn:
            return conn.execute("SELECT count(*) FROM review_cases c WHERE NOT EXISTS "
                                "(SELECT 1 FROM review_decisions d WHERE d.case_id = c.id)").fetchone()[0]

    def history(self, customer_id: int) -> dict[str, Any] | None:
        """A customer's record, all its cases (with decisions) and its audit rows."""
        cust = self.customer(customer_id)
        if cust is None:
            return None
        with self.tx() as conn:
            cases = self._cases(conn, "c.customer_id = ?", (customer_id,), newest_first=False)
            for c in cases:
                c["decisions"] = self._decisions(conn, c["id"])
            cust["screenings"] = [
                {"at": at, "user": user, "origin": json.loads(inputs).get("origin"),
                 "snapshot": snap, **json.loads(result)}
                for at, user, inputs, snap, result in conn.execute(
                    "SELECT at, user, inputs, snapshot, result FROM review_audit "
                    "WHERE action = 'screening' AND json_extract(inputs, '$.name') = ? "
                    "AND COALESCE(json_extract(inputs, '$.country'), '') = ? ORDER BY id",
                    (cust["name"], cust["country"] or ""))]
        cust["cases"] = cases
        return cust

    def _cases(self, conn: sqlite3.Connection, where: str, args: tuple, *, limit: int = 1000,
               offset: int = 0, newest_first: bool = True) -> list[dict[str, Any]]:
        sql = f"""
            SELECT c.id, c.customer_id, c.created_at, c.origin, c.batch_id, c.user, c.decision,
                   c.query, c.hits, c.snapshot, d.decision, d.comment, d.user, d.at, cu.name
            FROM review_cases c
            JOIN review_customers cu ON cu.id = c.customer_id
            LEFT JOIN review_decisions d ON d.id = (
                SELECT MAX(id) FROM review_decisions WHERE case_id = c.id)
            WHERE {where} ORDER BY c.id {'DESC' if newest_first else 'ASC'} LIMIT ? OFFSET ?"""
        out = []
        for r in conn.execute(sql, (*args, limit, offset)):
            out.append({
                "id": r[0], "customer_id": r[1], "created_at": r[2], "origin": r[3],
                "batch_id": r[4], "user": r[5], "screening_decision": r[6],
                "query": json.loads(r[7]), "hits": json.loads(r[8]), "snapshot": r[9],
                "status": r[10] or "open",
                "last_decision": None if r[10] is None else
                {"decision": r[10], "comment": r[11], "user": r[12], "at": r[13]},
                "customer": r[14],
            })
        return out

    @staticmethod
    def _decisions(conn: sqlite3.Connection, case_id: int) -> list[dict[str, Any]]:
        cols = ("id", "case_id", "at", "user", "decision", "comment")
        return [dict(zip(cols, r)) for r in conn.execute(
            f"SELECT {', '.join(cols)} FROM review_decisions WHERE case_id = ? ORDER BY id", (case_id,))]

    # -- audit --------------------------------------------------------------------------------
    def audit(self, *, user: str, action: str, inputs: Any, snapshot: str, result: Any) -> int:
        with self.tx() as conn:
            return audit.record(conn, user=user, action=action, inputs=inputs, snapshot=snapshot,
                                result=result)

    def audit_rows(self, **kw: Any) -> list[dict[str, Any]]:
        with self.tx() as conn:
            return audit.rows(conn, **kw)

    def audit_csv(self) -> Iterator[str]:
        """The trail as CSV chunks, read on a connection of its own (a streamed response may
        resume this generator on any thread) inside one read transaction (a consistent cut)."""
        conn = self._connect()
        try:
            conn.isolation_level = None
            conn.execute("BEGIN")
            yield from audit.iter_csv(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()

    # -- batches ------------------------------------------------------------------------------
    def create_batch(self, filename: str, total: int, *, user: str) -> int:
        with self.tx() as conn:
            cur = conn.execute("INSERT INTO review_batches (created_at, user, filename, total) "
                               "VALUES (?,?,?,?)", (audit.now(), user, filename, total))
            return int(cur.lastrowid)

    def batch_progress(self, batch_id: int, *, done: int, alerts: int, status: str = "running",
                       error: str | None = None) -> None:
        with self.tx() as conn:
            conn.execute("UPDATE review_batches SET done = ?, alerts = ?, status = ?, error = ? "
                         "WHERE id = ?", (done, alerts, status, error, batch_id))

    def interrupt_running_batches(self) -> int:
        """At start-up: batches left ``running`` by a stopped server become ``interrupted``
        (their finished rows stay recorded). Returns how many."""
        with self.tx() as conn:
            return conn.execute("UPDATE review_batches SET status = 'interrupted', error = "
                                "'server stopped during the batch' WHERE status = 'running'").rowcount

    def batch(self, batch_id: int) -> dict[str, Any] | None:
        cols = ("id", "created_at", "user", "filename", "total", "done", "alerts", "status", "error")
        with self.tx() as conn:
            r = conn.execute(f"SELECT {', '.join(cols)} FROM review_batches WHERE id = ?",
                             (batch_id,)).fetchone()
        return dict(zip(cols, r)) if r else None

    def batches(self, limit: int = 20) -> list[dict[str, Any]]:
        cols = ("id", "created_at", "user", "filename", "total", "done", "alerts", "status", "error")
        with self.tx() as conn:
            return [dict(zip(cols, r)) for r in conn.execute(
                f"SELECT {', '.join(cols)} FROM review_batches ORDER BY id DESC LIMIT ?", (limit,))]
