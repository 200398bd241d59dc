"""The service's shared state: the store, the review layer and the current *list view*.

A :class:`ListView` bundles everything a request reads about the lists (the screener, the
parties, the entity index and the snapshot checksums). It is built completely off to the side
and then swapped in with one reference assignment, so a request that picked up the old view
finishes on the old lists and no request ever sees a half-loaded list.
"""
from __future__ import annotations

import dataclasses
import gc
import threading
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from typing import Any, Callable

from earcheck.models import Party
from earcheck.review import Review, hit_record, rescreen

from .config import ApiSettings


class NoListLoaded(RuntimeError):
    """Screening asked for while no list is loaded: answering "clear" would be a false comfort."""


def entity_id(party: Party) -> str:
    """The id under which a party is served by /entities and /match (unique across lists)."""
    return f"{party.list_code.lower()}-{party.id}"


@dataclass(frozen=True)
class ListView:
    """An immutable view of the current lists; replaced whole on update."""

    screener: Any
    parties: tuple[Party, ...]
    by_id: dict[str, Party]
    snapshots: tuple[Any, ...]
    checksum: str                 # "dataset:sha256,..." of the current snapshots
    version: str
    loaded_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    list_codes: tuple[str, ...] = ()

    @cached_property
    def name_tokens(self) -> tuple[tuple[frozenset[str], ...], ...]:
        """Per party, the word tokens of each of its names (keyword search), built once."""
        from .routers.util import tokens

        return tuple(tuple(frozenset(tokens(n)) for n in p.names) for p in self.parties)

    @cached_property
    def text_tokens(self) -> tuple[frozenset[str], ...]:
        """Per party, the tokens of names, remarks and programs (the CSL ``q`` search)."""
        from .routers.util import tokens

        return tuple(frozenset(tokens(" ".join([*p.names, p.remarks or "", *p.programs])))
                     for p in self.parties)

    @cached_property
    def address_tokens(self) -> tuple[frozenset[str], ...]:
        """Per party, the tokens of its addresses (the CSL ``address`` filter)."""
        from .routers.util import tokens

        return tuple(frozenset(tokens(" ".join(
            f"{a.text} {a.street or ''} {a.city or ''} {a.state or ''} {a.postal_code or ''}"
            for a in p.addresses))) for p in self.parties)

    def warm(self) -> "ListView":
        """Build the keyword indexes before the view is swapped in."""
        _ = self.name_tokens, self.text_tokens, self.address_tokens
        return self


def _as_dict(obj: Any) -> Any:
    if obj is None:
        return None
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)
    return obj


class Workspace:
    """Store + review + the current :class:`ListView`, shared by every request."""

    def __init__(self, settings: ApiSettings, *, store: Any = None,
                 screener_factory: Callable[[Any, list[Party]], Any] | None = None):
        from earcheck.store import Store

        self.settings = settings
        self.store = store if store is not None else Store(settings.db_path)
        self.review = Review(self.store.connect)
        self.review.interrupt_running_batches()
        self._screener_factory = screener_factory or _default_screener
        self._update_lock = threading.Lock()
        if settings.load_sample_if_empty and not self.store.current_snapshots():
            from earcheck.lists import sample_path
            self.store.load(sample_path())
        self._view = self._build_view()
        _freeze_heap()
        self.last_update: dict[str, Any] | None = None

    # -- the list view ---------------------------------------------------------------------
    @property
    def view(self) -> ListView:
        return self._view  # one atomic reference read per request

    def _build_view(self) -> ListView:
        snaps = tuple(self.store.current_snapshots())
        parties = _unique(self.store.parties())
        screener = self._screener_factory(self.store, list(parties))
        checksum = ",".join(f"{s.dataset}:{s.checksum}" for s in snaps)
        return ListView(screener=screener, parties=parties,
                        list_codes=tuple(sorted({p.list_code for p in parties})),
                        by_id={entity_id(p): p for p in parties}, snapshots=snaps,
                        checksum=checksum, version=str(self.store.version())).warm()

    def reload(self) -> ListView:
        """Rebuild the view from the store and swap it in."""
        with self._update_lock:
            self._view = self._build_view()
            return self._view

    # -- screening --------------------------------------------------------------------------
    def screen(self, name: str, country: str | None = None, address: str | None = None, *,
               limit: int = 10, view: ListView | None = None) -> tuple[Any, list[dict[str, Any]]]:
        """Screen one name on ``view`` (default: current); returns (ScreenResult, hit records)."""
        view = view or self.view
        if not view.parties:
            raise NoListLoaded("no restricted-party list is loaded: load one first (earcheck lists "
                               "load FILE, or POST /lists/update)")
        result = view.screener.screen(name, country=country, address=address, limit=limit)
        records: dict[str, dict[str, Any]] = {}
        for h in result.hits:  # the same entry may be in two loaded lists (e.g. sample and CSL)
            rec = hit_record(h)
            records.setdefault(rec["entry_key"], rec)
        return result, list(records.values())

    def screen_and_record(self, name: str, country: str | None = None, address: str | None = None,
                          *, user: str, origin: str, batch_id: int | None = None,
                          limit: int = 10) -> dict[str, Any]:
        """Screen, then record the screening (case for new alerts, audit row)."""
        view = self.view
        result, hits = self.screen(name, country, address, limit=limit, view=view)
        query = {"name": name, "country": country, "address": address}
        rec = self.review.record_screening(query, result.decision, hits, user=user, origin=origin,
                                           snapshot=view.checksum, batch_id=batch_id)
        return {"name": name, "country": country, "address": address, "decision": result.decision,
                "reason": getattr(result, "reason", None), "hits": hits,
                "lists_snapshot": view.checksum, **rec}

    # -- list updates -----------------------------------------------------------------------
    def update_lists(self, source: str, fmt: str | None = None, *, user: str,
                     force: bool = False) -> dict[str, Any]:
        """Load a list publication, swap the view atomically, diff, re-screen, audit.

        Raises ``earcheck.store.LoadRefused`` for a much smaller or older list unless ``force``."""
        with self._update_lock:
            old = self._view
            result = self.store.load(source, fmt, force=force)
            snap = result.snapshot
            out: dict[str, Any] = {"snapshot": _as_dict(snap), "created": result.created}
            if result.created:
                out.update(self._swap_and_rescreen(old, user=user))
            self.review.audit(user=user, action="list_update", inputs={"source": source, "format": fmt},
                              snapshot=self._view.checksum,
                              result={"snapshot_id": snap.id, "created": result.created,
                                      "checksum": snap.checksum,
                                      "new_cases": out.get("rescreen", {}).get("new_cases", [])})
            return out

    def sync_with_store(self, *, user: str = "system") -> dict[str, Any] | None:
        """Pick up lists loaded into the store by another process (``earcheck lists load``):
        if the store's current snapshots changed, swap, diff, re-screen and audit."""
        with self._update_lock:
            old = self._view
            if str(self.store.version()) == old.version:
                return None
            out = self._swap_and_rescreen(old, user=user)
            self.review.audit(user=user, action="list_update", inputs={"source": "store"},
                              snapshot=self._view.checksum,
                              result={"snapshots": [s.id for s in self._view.snapshots],
                                      "new_cases": out["rescreen"]["new_cases"]})
            return out

    def _swap_and_rescreen(self, old: ListView, *, user: str) -> dict[str, Any]:
        """Build and swap in the new view, diff each changed dataset, re-screen the customers."""
        self._view = new = self._build_view()
        _freeze_heap()
        old_by_ds = {s.dataset: s for s in old.snapshots}
        diff = changed = None
        for snap in new.snapshots:
            prev = old_by_ds.get(snap.dataset)
            if prev is None or prev.id != snap.id:
                changed = snap
                diff = _as_dict(self.store.diff(prev.id, snap.id)) if prev is not None else None
        summary = rescreen(self.review, self._rescreen_fn(new), user=user, snapshot=new.checksum)
        self.last_update = {"at": new.loaded_at, "dataset": changed.dataset if changed else None,
                            "snapshot_id": changed.id if changed else None, "diff": diff,
                            "rescreen": summary}
        return {"diff": diff, "rescreen": summary}

    def watch_store(self, interval: float = 10.0) -> threading.Event:
        """Check the store every ``interval`` seconds (daemon thread); set the event to stop."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval):
                try:
                    self.sync_with_store()
                except Exception:  # a failed check is retried at the next tick
                    pass
        threading.Thread(target=loop, daemon=True, name="earcheck-store-watch").start()
        return stop

    def _rescreen_fn(self, view: ListView):
        def screen(name: str, country: str | None, address: str | None):
            result, hits = self.screen(name, country, address, view=view)
            return result.decision, hits
        return screen

    def last_diff(self) -> dict[str, Any] | None:
        """The diff of the newest update of any dataset that has an older snapshot."""
        if self.last_update:
            return self.last_update
        best = None
        for snap in self.view.snapshots:
            older = [s for s in self.store.snapshots(snap.dataset) if s.id < snap.id]
            if older:
                prev = max(older, key=lambda s: s.id)
                if best is None or snap.id > best[1].id:
                    best = (prev, snap)
        if best is None:
            return None
        return {"at": best[1].loaded_at, "dataset": best[1].dataset, "snapshot_id": best[1].id,
                "diff": _as_dict(self.store.diff(best[0].id, best[1].id)), "rescreen": None}


def _unique(parties: list[Party]) -> tuple[Party, ...]:
    """One party per (list code, id): an entry present in two loaded datasets (the shipped
    sample and the full CSL) is served once, from the first dataset by name."""
    seen: dict[tuple[str, str], Party] = {}
    for p in parties:
        seen.setdefault((p.list_code, p.id), p)
    return tuple(seen.values())


def _freeze_heap() -> None:
    """Move the long-lived list view out of the garbage collector's sight: with hundreds of
    thousands of index objects, each full collection would otherwise walk them all while
    requests wait. Unfreezing first lets the replaced view's reference cycles be collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _default_screener(store: Any, parties: list[Party]) -> Any:
    """earcheck's screener for the store's current lists (its index is cached on disk by
    ``store.version()``); built from the view's parties if the cache cannot be used."""
    from earcheck.screening import Screener

    try:
        return Screener.from_store(store)
    except Exception:  # a damaged cache must not stop the service
        return Screener.from_parties(parties)
