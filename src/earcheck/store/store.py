"""The versioned SQLite store of restricted-party lists.

Every load is a *snapshot* (dataset, format, source, sha256 checksum, loaded-at time, published
date, counts per list code). Parties are stored per snapshot: a few columns for lookups plus the
full :class:`~earcheck.models.Party` as JSON. Old snapshots are kept; the *current* snapshot of a
dataset is its newest one.

Guarantees:

* a load is one transaction; a file is parsed completely *before* the database is touched, so a
  file that fails to parse leaves the store exactly as it was;
* loading bytes identical to the dataset's current snapshot (same checksum) creates no snapshot
  (``LoadResult.created`` is False);
* WAL mode with a busy timeout, so the web server and a CLI can use the same file at once;
  writers take the write lock up front (``BEGIN IMMEDIATE``).
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from earcheck import settings
from earcheck.models import LIST_NAMES, Address, Link, Party

from .diff import DiffSide, ListDiff, diff_parties, name_key
from .migrations import applied_migrations, apply_migrations

#: Seconds a connection waits for another writer before giving up.
BUSY_TIMEOUT_S = 60.0

_MISSING = object()

#: Party fields always stored, even when empty.
_KEEP_FIELDS = {"id", "list_code", "name", "kind"}
#: The empty default of every other Party field (None, [] or {}): omitted from the stored JSON.
_DEFAULTS = {
    f.name: (f.default if f.default is not MISSING else f.default_factory())
    for f in fields(Party)
    if f.name not in _KEEP_FIELDS and f.name not in ("list_name", "source_ids")
}
#: Optional (default None) fields of the nested records, omitted when None.
_NESTED_NONE = {
    "addresses": {f.name for f in fields(Address) if f.default is None},
    "links": {f.name for f in fields(Link) if f.default is None},
}


class StoreError(RuntimeError):
    """The store cannot be used (corrupt or unreadable file, lock timeout...).

    The message is one line: ``<db file>: <problem>``.
    """


#: A load is refused (unless forced) when the new list has fewer parties than this share of the
#: dataset's current snapshot: a download cut short at a row boundary, or a sample file.
MIN_LOAD_RATIO = 0.5


#: Datasets that are a subset of a full list: current only while nothing else is loaded.
SUBSET_DATASETS = {"sample": "the shipped sample is a subset of the CSL; replaced by any full list"}

#: Names the rule that picks the effective parties; part of :meth:`Store.version`, so caches
#: keyed by the version (the screener's index) are rebuilt when the rule changes.
EFFECTIVE_RULE = "shadow-v1"


class LoadRefused(StoreError):
    """A load that would silently replace a dataset's current list by a much smaller or older
    one (see :meth:`Store.load_many`). Nothing was stored. ``reason`` is one line without the
    source; ``source`` names the file or URL. Pass ``force=True`` to load it anyway."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}; force the load to accept it")


@dataclass
class Snapshot:
    """One load of one list publication."""

    id: int
    dataset: str
    format: str
    source: str
    checksum: str
    loaded_at: str
    published: str | None
    counts: dict[str, int]
    total: int
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["warnings"] = len(self.warnings)
        return d


@dataclass
class LoadResult:
    snapshot: Snapshot
    created: bool


_PARTY_FIELDS = [f.name for f in fields(Party)]
_NESTED_FIELDS = {
    Address: ([f.name for f in fields(Address)], _NESTED_NONE["addresses"]),
    Link: ([f.name for f in fields(Link)], _NESTED_NONE["links"]),
}


def _party_dict(p: Party) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in _PARTY_FIELDS:
        v = getattr(p, k)
        default = _DEFAULTS.get(k, _MISSING)
        if default is not _MISSING and v == default and type(v) is type(default):
            continue
        if k == "list_name" and v and v == LIST_NAMES.get(p.list_code, p.list_code):
            continue
        if k == "source_ids" and v == [p.id]:
            continue
        out[k] = v
    return out


def _encode(o: Any) -> Any:
    """``json.dumps`` hook: the model's dataclasses without ``asdict``'s deep copies."""
    if isinstance(o, Party):
        return _party_dict(o)
    spec = _NESTED_FIELDS.get(type(o))
    if spec is not None:
        names, drop = spec
        return {k: v for k in names if not ((v := getattr(o, k)) is None and k in drop)}
    raise TypeError(f"cannot store a value of type {type(o).__name__} in a party record")


def party_json(p: Party) -> str:
    """Compact JSON of a party. Values equal to what :meth:`Party.from_dict` would restore are
    left out (empty defaults, the standard list name, ``source_ids == [id]``, None sub-fields),
    so the stored text is smaller and faster to read back; the round trip is exact."""
    return json.dumps(p, default=_encode, ensure_ascii=False, separators=(",", ":"))


def party_from_json(s: str) -> Party:
    return Party.from_dict(json.loads(s))


def parties_from_json(rows: Sequence[str]) -> list[Party]:
    """Decode many stored parties at once (one ``json.loads`` over a JSON array)."""
    if not rows:
        return []
    # Building tens of thousands of objects triggers the cyclic GC over and over (it scans the
    # whole young heap each time); none of these objects form cycles, so pause it meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [Party.from_dict(d) for d in json.loads("[" + ",".join(rows) + "]")]
    finally:
        if was_enabled:
            gc.enable()



def _is_url(s: Any) -> bool:
    return isinstance(s, str) and s.split("://", 1)[0].lower() in ("http", "https")


_SNAP_COLS = "id, dataset, format, source, checksum, loaded_at, published, counts, total, warnings"


def _snapshot(row: Sequence[Any]) -> Snapshot:
    return Snapshot(
        id=row[0],
        dataset=row[1],
        format=row[2],
        source=row[3],
        checksum=row[4],
        loaded_at=row[5],
        published=row[6],
        counts=json.loads(row[7]),
        total=row[8],
        warnings=json.loads(row[9]),
    )


class Store:
    """The embedded, versioned list store (see module docstring)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else settings.db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"{self.path}: cannot create directory ({e.strerror or e})") from None
        with self._conn() as conn:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - filesystems without WAL support
                raise StoreError(f"{self.path}: cannot switch to WAL mode (got {mode})")
            self._check_integrity(conn)
            apply_migrations(conn)

    # -- connections -------------------------------------------------------------------------

    def _open(self, isolation_level: str | None) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=isolation_level,
                check_same_thread=False,
            )
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {_explain(e)}") from None
        return conn

    def connect(self) -> sqlite3.Connection:
        """A new connection for other layers' own tables (default sqlite3 transaction handling;
        use ``with conn:`` to commit). The caller closes it."""
        return self._open("")

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        """Internal autocommit connection; sqlite errors become one-line :class:`StoreError`."""
        conn = self._open(None)
        try:
            yield conn
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: {_explain(e)}") from None
        finally:
            conn.close()

    def _check_integrity(self, conn: sqlite3.Connection) -> None:
        """Cheap sanity check: the schema is readable and our tables have the expected shape."""
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if names and "_migrations" not in names:
            raise StoreError(f"{self.path}: not an earcheck store (no _migrations table)")

    def migrate(self) -> list[str]:
        """Apply migrations registered after this store was opened. Returns the names applied."""
        with self._conn() as conn:
            return apply_migrations(conn)

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this database, in order."""
        with self._conn() as conn:
            return applied_migrations(conn)

    # -- loading -----------------------------------------------------------------------------

    def load(self, source: Any, fmt: str | None = None, *, timeout: float = 60.0,
             retries: int = 3, expected_sha256: str | None = None,
             force: bool = False) -> LoadResult:
        """Parse ``source`` (path, list of paths, or http(s) URL) and load it atomically.

        A URL is first downloaded (see :func:`earcheck.lists.download.fetch`) into
        ``$EARCHECK_HOME/downloads``; the snapshot's source is the URL. ``force``: see
        :meth:`load_many`.
        """
        return self.load_parsed(self.parse(source, fmt, timeout=timeout, retries=retries,
                                           expected_sha256=expected_sha256), force=force)

    def parse(self, source: Any, fmt: str | None = None, *, timeout: float = 60.0,
              retries: int = 3, expected_sha256: str | None = None):
        """Parse without storing. Raises ``ListFormatError`` (``DownloadError`` for URLs).

        URLs are downloaded into a staging directory under ``$EARCHECK_HOME/downloads``; only
        when the files parse do they replace the previous downloads of the same name, so a bad
        download never overwrites a good one.
        """
        from earcheck import lists
        from earcheck.lists.download import fetch

        many = isinstance(source, (list, tuple))
        items = list(source) if many else [source]
        if not any(_is_url(s) for s in items):
            return lists.parse(items if many else source, fmt)
        dest = settings.home() / "downloads"
        dest.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=dest))
        try:
            local = [
                fetch(s, staging, timeout=timeout, retries=retries, expected_sha256=expected_sha256)
                if _is_url(s) else s
                for s in items
            ]
            parsed = lists.parse(local if many else local[0], fmt)
            for f in local:
                if isinstance(f, Path) and f.parent == staging:
                    os.replace(f, dest / f.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        parsed.source = " ".join(str(s) for s in items)
        return parsed

    def load_parsed(self, parsed, *, force: bool = False) -> LoadResult:
        """Store one parsed list as a new snapshot, in one transaction."""
        return self.load_many([parsed], force=force)[0]

    def load_many(self, parsed_lists: Sequence[Any], *, force: bool = False) -> list[LoadResult]:
        """Store several parsed lists in ONE transaction: all become snapshots, or none does.

        A list whose checksum equals its dataset's current snapshot creates nothing
        (``created=False``). Unless ``force``, a list that would replace its dataset's current
        snapshot by a smaller or older one is refused with :class:`LoadRefused` (nothing is
        stored): fewer than ``MIN_LOAD_RATIO`` of the current parties, a ``published`` date
        before the current one's, or, when a date is missing, a highest numeric publisher id
        (OFAC ``ent_num``, assigned in sequence) below the current one's. With ``force``,
        loading bytes equal to an *older* snapshot makes a new snapshot, so that the data loaded
        last is current again.
        """
        prepared = [(p, self._rows(p)) for p in parsed_lists]  # serialise before locking
        results: list[LoadResult] = []
        with self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for parsed, (rows, counts) in prepared:
                    results.append(self._insert(conn, parsed, rows, counts, force))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return results

    @staticmethod
    def _rows(parsed) -> tuple[list[tuple], dict[str, int]]:
        rows = [
            (i, p.id, p.list_code, p.name, p.kind, p.start_date, p.end_date, party_json(p))
            for i, p in enumerate(parsed.parties)
        ]
        counts = dict(sorted(Counter(p.list_code for p in parsed.parties).items()))
        return rows, counts

    def _insert(self, conn: sqlite3.Connection, parsed, rows: list[tuple],
                counts: dict[str, int], force: bool = False) -> LoadResult:
        cur = conn.execute(
            f"SELECT {_SNAP_COLS} FROM snapshots WHERE dataset = ? ORDER BY id DESC LIMIT 1",
            (parsed.dataset,),
        ).fetchone()
        if cur is not None and cur[4] == parsed.checksum:
            return LoadResult(_snapshot(cur), created=False)
        if cur is not None and not force:
            reason = _refusal(conn, _snapshot(cur), parsed)
            if reason:
                raise LoadRefused(str(parsed.source), reason)
        loaded_at = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        snap_id = conn.execute(
            "INSERT INTO snapshots(dataset, format, source, checksum, loaded_at, published, counts,"
            " total, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (parsed.dataset, parsed.format, str(parsed.source), parsed.checksum, loaded_at,
             parsed.published, json.dumps(counts), len(rows),
             json.dumps(list(parsed.warnings), ensure_ascii=False)),
        ).lastrowid
        conn.executemany(
            "INSERT INTO parties(snapshot_id, seq, id, list_code, name, kind, start_date, end_date,"
            " data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((snap_id, *r) for r in rows),
        )
        row = conn.execute(f"SELECT {_SNAP_COLS} FROM snapshots WHERE id = ?", (snap_id,)).fetchone()
        return LoadResult(_snapshot(row), created=True)

    # -- reading -----------------------------------------------------------------------------

    def snapshots(self, dataset: str | None = None) -> list[Snapshot]:
        """All snapshots (oldest first), optionally of one dataset."""
        with self._conn() as conn:
            if dataset is None:
                rows = conn.execute(f"SELECT {_SNAP_COLS} FROM snapshots ORDER BY id").fetchall()
            else:
                rows = conn.execute(
                    f"SELECT {_SNAP_COLS} FROM snapshots WHERE dataset = ? ORDER BY id", (dataset,)
                ).fetchall()
        return [_snapshot(r) for r in rows]

    def snapshot(self, snapshot_id: int) -> Snapshot | None:
        with self._conn() as conn:
            row = conn.execute(
                f"SELECT {_SNAP_COLS} FROM snapshots WHERE id = ?", (int(snapshot_id),)
            ).fetchone()
        return _snapshot(row) if row else None

    def current_snapshots(self) -> list[Snapshot]:
        """The newest snapshot of each dataset, ordered by dataset name.

        A dataset of :data:`SUBSET_DATASETS` (the shipped ``sample``) is current only while no
        other dataset is loaded: it stays stored, but a full list replaces it.
        """
        with self._conn() as conn:
            return self._current(conn)

    @staticmethod
    def _current(conn: sqlite3.Connection) -> list[Snapshot]:
        rows = conn.execute(
            f"SELECT {_SNAP_COLS} FROM snapshots WHERE id IN "
            "(SELECT max(id) FROM snapshots GROUP BY dataset) ORDER BY dataset"
        ).fetchall()
        snaps = [_snapshot(r) for r in rows]
        if any(s.dataset not in SUBSET_DATASETS for s in snaps):
            snaps = [s for s in snaps if s.dataset not in SUBSET_DATASETS]
        return snaps

    def superseded(self) -> list[Snapshot]:
        """Newest snapshots of datasets that are stored but not current (``sample`` once a
        full list is loaded)."""
        with self._conn() as conn:
            current = {s.id for s in self._current(conn)}
            rows = conn.execute(
                f"SELECT {_SNAP_COLS} FROM snapshots WHERE id IN "
                "(SELECT max(id) FROM snapshots GROUP BY dataset) ORDER BY dataset"
            ).fetchall()
        return [s for s in map(_snapshot, rows) if s.id not in current]

    def snapshots_as_of(self, day: str) -> list[Snapshot]:
        """Per dataset, the newest snapshot whose data was published (else loaded) on or before
        ``day`` (ISO date): the lists as they stood that day, as far as this store knows."""
        best: dict[str, Snapshot] = {}
        for s in self.snapshots():
            when = (s.published or s.loaded_at)[:10]
            if when <= day:
                prev = best.get(s.dataset)
                if prev is None or (prev.published or prev.loaded_at)[:10] <= when:
                    best[s.dataset] = s
        return [best[k] for k in sorted(best)]

    def parties(self, snapshot_ids: Sequence[int] | None = None, as_of: str | None = None) -> list[Party]:
        """Parties of the given snapshots (default: the current ones), in load order.

        Default (current snapshots): an entry carried by two current datasets is returned once,
        from the newer one (see :meth:`shadowing`). Explicit ``snapshot_ids``: every stored row.
        ``as_of`` (ISO date) keeps only parties with ``Party.active_on(as_of)``.
        """
        rows: list[str] = []
        with self._conn() as conn:
            hidden: dict[int, set[int]] = {}
            if snapshot_ids is None:
                current = self._current(conn)
                snapshot_ids = [s.id for s in current]
                hidden = _shadow_plan(conn, current)[0]
            for sid in snapshot_ids:
                sql = "SELECT seq, data FROM parties WHERE snapshot_id = ?"
                args: list[Any] = [int(sid)]
                if as_of is not None:  # prefilter in SQL, then the model's own rule
                    sql += " AND (start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date >= ?)"
                    args += [as_of, as_of]
                drop = hidden.get(int(sid), ())
                rows.extend(data for seq, data in conn.execute(sql + " ORDER BY seq", args)
                            if seq not in drop)
        out = parties_from_json(rows)
        if as_of is not None:
            out = [p for p in out if p.active_on(as_of)]
        return out

    def party(self, party_id: str, snapshot_id: int | None = None) -> Party | None:
        """One party by id. Without ``snapshot_id``: its version in a current snapshot, else its
        newest stored version (a party since removed from the list)."""
        with self._conn() as conn:
            if snapshot_id is not None:
                row = conn.execute(
                    "SELECT data FROM parties WHERE id = ? AND snapshot_id = ? ORDER BY seq LIMIT 1",
                    (party_id, int(snapshot_id)),
                ).fetchone()
            else:
                current = ",".join(str(s.id) for s in self._current(conn)) or "NULL"
                row = conn.execute(
                    "SELECT p.data FROM parties p WHERE p.id = ? ORDER BY "
                    f"(p.snapshot_id IN ({current})) DESC, p.snapshot_id DESC, p.seq LIMIT 1",
                    (party_id,),
                ).fetchone()
        return party_from_json(row[0]) if row else None

    def party_history(self, party_id: str) -> list[tuple[Snapshot, Party]]:
        """Every stored version of a party with the snapshot holding it, oldest first."""
        with self._conn() as conn:
            rows = conn.execute(
                f"SELECT {', '.join('s.' + c.strip() for c in _SNAP_COLS.split(','))}, p.data "
                "FROM parties p JOIN snapshots s ON s.id = p.snapshot_id WHERE p.id = ? "
                "ORDER BY s.id, p.seq",
                (party_id,),
            ).fetchall()
        return [(_snapshot(r[:10]), party_from_json(r[10])) for r in rows]

    def version(self) -> str:
        """Short hash of the current snapshots (ids and checksums) and of the rule that picks
        the effective parties (:data:`EFFECTIVE_RULE`): changes whenever the set of parties
        :meth:`parties` returns by default can change."""
        key = EFFECTIVE_RULE + ";" + ",".join(f"{s.id}:{s.checksum}" for s in self.current_snapshots())
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def shadowing(self) -> list[dict[str, Any]]:
        """Which current dataset shadows which: ``[{"dataset", "snapshot_id", "shadowed_by",
        "by_snapshot_id", "parties", "counts"}]`` -- ``parties`` entries of ``dataset``
        (``counts``: per list code) are left out of :meth:`parties` because a newer current
        snapshot carries the same entry (same list code and id, or for id-less records the same
        list code and normalised name). Newer means the newest ``published`` date (else load
        date), then the newest load."""
        with self._conn() as conn:
            current = self._current(conn)
            report = _shadow_plan(conn, current)[1]
        by_id = {s.id: s for s in current}
        out: dict[tuple[int, int], dict[str, Any]] = {}
        for (a, b, code), n in sorted(report.items()):
            row = out.setdefault((a, b), {
                "dataset": by_id[a].dataset, "snapshot_id": a, "shadowed_by": by_id[b].dataset,
                "by_snapshot_id": b, "parties": 0, "counts": {}})
            row["parties"] += n
            row["counts"][code] = n
        return list(out.values())

    def status(self) -> dict[str, Any]:
        """Summary for ``earcheck lists status --json`` (shape in docs/lists-json.md)."""
        current = self.current_snapshots()
        all_snaps = self.snapshots()
        per_dataset = Counter(s.dataset for s in all_snaps)
        counts: Counter[str] = Counter()
        for s in current:
            counts.update(s.counts)
        shadowing = self.shadowing()
        hidden: Counter[str] = Counter()
        for sh in shadowing:
            hidden[sh["dataset"]] += sh["parties"]
            counts.subtract(sh["counts"])
        return {
            "db_path": str(self.path),
            "version": self.version(),
            "snapshots": len(all_snaps),
            "total": sum(s.total for s in current) - sum(hidden.values()),
            "counts": dict(sorted(counts.items())),
            "datasets": [
                {**s.to_dict(), "snapshots": per_dataset[s.dataset], "shadowed": hidden[s.dataset]}
                for s in current
            ],
            "shadowing": shadowing,
            "superseded": [
                {"dataset": s.dataset, "id": s.id, "reason": SUBSET_DATASETS[s.dataset]}
                for s in self.superseded()
            ],
        }

    # -- diff --------------------------------------------------------------------------------

    def diff(self, old: Any, new: Any) -> ListDiff:
        """Parties added, removed and changed from ``old`` to ``new``.

        Each side is a snapshot id (int or digits) or a file path (parsed, not stored).
        """
        a_side, a = self._side(old)
        b_side, b = self._side(new)
        return diff_parties(a_side, a, b_side, b)

    def _side(self, ref: Any) -> tuple[DiffSide, list[Party]]:
        text = str(ref)
        if isinstance(ref, int) or (isinstance(ref, str) and text.isdigit() and not Path(text).exists()):
            snap = self.snapshot(int(text))
            if snap is None:
                raise StoreError(f"{self.path}: no snapshot {text}")
            side = DiffSide(ref=text, kind="snapshot", snapshot_id=snap.id, dataset=snap.dataset,
                            format=snap.format, source=snap.source, checksum=snap.checksum,
                            published=snap.published, total=snap.total)
            return side, self.parties([snap.id])
        parsed = self.parse(ref)
        side = DiffSide(ref=text, kind="file", snapshot_id=None, dataset=parsed.dataset,
                        format=parsed.format, source=str(parsed.source), checksum=parsed.checksum,
                        published=parsed.published, total=len(parsed.parties))
        return side, parsed.parties


def _priority(s: Snapshot) -> tuple[str, int]:
    """Newer first: the data's date (published, else loaded), then the load order."""
    return ((s.published or s.loaded_at)[:10], s.id)


def _shadow_plan(conn: sqlite3.Connection, current: Sequence[Snapshot]
                 ) -> tuple[dict[int, set[int]], Counter[tuple[int, int, str]]]:
    """Rows of the current snapshots hidden by a newer current snapshot carrying the same entry.

    Returns ``({snapshot id: {seq, ...}}, {(shadowed snapshot, by snapshot, list code): count})``. Entries
    match by (list code, id) -- CSL and OFAC files share the OFAC ``ent_num`` for SDN entries --
    or, when either record is id-less (its id is the parsers' ``stable_id`` of list code and
    name), by the diff's (list code, normalised name). Works on the id/name columns only.
    """
    from earcheck.lists.common import name_key as id_name_key
    from earcheck.lists.common import stable_id

    hidden: dict[int, set[int]] = {}
    report: Counter[tuple[int, int, str]] = Counter()
    if len(current) < 2:
        return hidden, report
    ids: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], int] = {}
    idless_names: dict[tuple[str, str], int] = {}
    for snap in sorted(current, key=_priority, reverse=True):
        mine_ids, mine_names, mine_idless = {}, {}, {}
        drop: set[int] = set()
        for seq, pid, code, name in conn.execute(
                "SELECT seq, id, list_code, name FROM parties WHERE snapshot_id = ?", (snap.id,)):
            nk = name_key(Party(id=pid, list_code=code, name=name or ""))
            idless = len(pid) == 40 and pid == stable_id(code, id_name_key(name or ""))
            by = ids.get((code, pid)) or idless_names.get(nk) or (names.get(nk) if idless else None)
            if by is not None:
                drop.add(seq)
                report[(snap.id, by, code)] += 1
                continue
            mine_ids[(code, pid)] = snap.id
            mine_names[nk] = snap.id
            if idless:
                mine_idless[nk] = snap.id
        for claimed, mine in ((ids, mine_ids), (names, mine_names), (idless_names, mine_idless)):
            for k, v in mine.items():
                claimed.setdefault(k, v)
        if drop:
            hidden[snap.id] = drop
    return hidden, report


def _max_numeric_id(ids: Sequence[str]) -> int | None:
    """Highest id when (nearly) all ids are numbers assigned in sequence (OFAC ``ent_num``)."""
    nums = [int(i) for i in ids if i.isdigit()]
    return max(nums) if nums and len(nums) >= 0.95 * len(ids) else None


def _refusal(conn: sqlite3.Connection, cur: Snapshot, parsed) -> str | None:
    """Why loading ``parsed`` over the dataset's current snapshot ``cur`` looks like a mistake
    (a much smaller or an older publication), or None."""
    n = len(parsed.parties)
    what = f"the current {cur.dataset} snapshot {cur.id}"
    if n < MIN_LOAD_RATIO * cur.total:
        return (f"suspiciously small list: {n} parties against {cur.total} in {what} "
                f"(under {MIN_LOAD_RATIO:.0%})")
    if parsed.published and cur.published:
        if parsed.published < cur.published:
            return (f"older list: published {parsed.published}, before {what} "
                    f"(published {cur.published})")
        return None
    new_max = _max_numeric_id([p.id for p in parsed.parties])
    if new_max is None:
        return None
    ids = [r[0] for r in conn.execute("SELECT id FROM parties WHERE snapshot_id = ?", (cur.id,))]
    cur_max = _max_numeric_id(ids)
    if cur_max is not None and new_max < cur_max:
        return (f"older list: its newest entry id is {new_max}, below {cur_max} in {what} "
                "(ids are assigned in sequence)")
    return None


def _explain(e: sqlite3.Error) -> str:
    msg = str(e)
    if "not a database" in msg or "malformed" in msg:
        return f"not a valid SQLite store ({msg}); move it aside or set EARCHECK_DB/EARCHECK_HOME"
    if "locked" in msg or "busy" in msg:
        return f"{msg} (another process holds the write lock)"
    return msg


__all__ = ["Store", "Snapshot", "LoadResult", "StoreError", "LoadRefused", "MIN_LOAD_RATIO", "party_json", "party_from_json"]
