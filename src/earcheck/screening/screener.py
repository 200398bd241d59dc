"""The screener: names in, hits with scores, decisions and explanations out.

``Screener.from_parties(parties)`` builds the candidate index in memory;
``Screener.from_store(store)`` loads it from a pickle cached under ``settings.home()`` keyed by
``Store.version()`` (rebuilt when the lists change). ``screen`` screens one name,
``screen_many`` a stream of rows (in worker processes for large batches).
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from earcheck import settings
from earcheck.lists.countries import iso2
from earcheck.models import Party

from .compare import Comparison, compare_norm, decide
from .index import Index
from .normalize import clean, normalize

#: Longest name screened; longer input is reported, not screened (no real name is this long).
MAX_NAME_CHARS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CACHE_FORMAT = "earcheck-index-v8"  # bump whenever normalisation or index keys change
#: Qualifier when a name carrying a legal form meets a listed person, vessel or aircraft.
KIND_MISMATCH = -0.3


@dataclass
class Hit:
    """One listed party a screened name may be."""

    party: Party
    id: str
    list_code: str
    name: str
    matched_name: str
    score: float
    decision: str
    explanation: str
    features: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSONL hit shape of issue 3, plus the Entity List licence fields when present."""
        d: dict[str, Any] = {
            "id": self.id,
            "list": self.list_code,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "decision": self.decision,
            "explanation": self.explanation,
        }
        if self.party.license_requirement:
            d["license_requirement"] = self.party.license_requirement
        if self.party.license_policy:
            d["license_policy"] = self.party.license_policy
        if self.party.federal_register:
            d["federal_register"] = self.party.federal_register
        return d


@dataclass
class ScreenResult:
    """The outcome of screening one name: the best decision and the hits, best first."""

    name: str
    country: str | None
    decision: str
    hits: list[Hit] = field(default_factory=list)
    reason: str | None = None

    def to_dict(self, row: int | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if row is not None:
            d["row"] = row
        d["name"] = self.name
        if self.country:
            d["country"] = self.country
        d["decision"] = self.decision
        d["hits"] = [h.to_dict() for h in self.hits]
        if self.reason:
            d["reason"] = self.reason
        return d


def check_name(name: Any) -> tuple[str, str | None, bool]:
    """(cleaned name, reason, screenable) for raw input; bad input gets a reason, never an error."""
    if name is None:
        return "", "empty name", False
    if not isinstance(name, str):
        name = str(name)
    if len(name) > MAX_NAME_CHARS:
        return name[:80], f"name too long ({len(name)} characters, limit {MAX_NAME_CHARS})", False
    reason = None
    if _CONTROL.search(name):
        reason = "control characters removed"
    cleaned = clean(name)
    if not cleaned:
        return "", "empty name", False
    if len(cleaned.replace(" ", "")) < 2:
        return cleaned, "name too short to screen (one character)", False
    return cleaned, reason, True


class Screener:
    """Screens names against an index of listed parties."""

    def __init__(self, index: Index):
        self.index = index
        # The index is a few million long-lived objects: move them out of the cyclic garbage
        # collector's reach, or every full collection pauses screening for tens of ms.
        gc.collect()
        gc.freeze()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_parties(cls, parties: list[Party]) -> "Screener":
        return cls(Index.build(parties))

    @classmethod
    def from_store(cls, store, as_of: str | None = None) -> "Screener":
        """Index of the store's current parties, cached on disk by ``store.version()``.

        ``as_of`` is applied at screening time (``screen(as_of=...)``) so one cached index
        serves every date; passing it here sets the default date of this screener.
        """
        version = store.version()
        key = hashlib.sha256(f"{CACHE_FORMAT}:{version}".encode()).hexdigest()[:16]
        cache = cache_dir() / f"index-{key}.pkl"
        screener: Screener | None = None
        if cache.exists():
            try:
                screener = cls(Index.from_bytes(cache.read_bytes()))
            except Exception:  # noqa: BLE001 - a bad cache is rebuilt, never fatal
                screener = None
        if screener is None:
            screener = cls.from_parties(store.parties())
            tmp = cache.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(screener.index.to_bytes())
            os.replace(tmp, cache)
            for old in cache.parent.glob("index-*.pkl"):
                if old != cache:
                    old.unlink(missing_ok=True)
        screener.default_as_of = as_of
        return screener

    default_as_of: str | None = None

    @property
    def parties(self) -> list[Party]:
        return self.index.parties

    # ------------------------------------------------------------------ screening
    def screen(
        self,
        name: str,
        country: str | None = None,
        address: str | None = None,
        limit: int = 10,
        as_of: str | None = None,
        lists: list[str] | None = None,
    ) -> ScreenResult:
        """Screen one name; ``country`` (ISO-2, ISO-3 or a name such as "China") raises agreeing
        and lowers disagreeing hits."""
        cleaned, reason, ok = check_name(name)
        if not ok:
            return ScreenResult(cleaned, country, "clear", [], reason)
        as_of = as_of or self.default_as_of
        wanted = {c.upper() for c in lists} if lists else None
        code = iso2(country) if country else None
        countries = [code] if code else []
        if country and not code:  # never guess: an unreadable country takes no part in the score
            reason = f"country {country!r} not recognised (ISO-2, ISO-3 or name); ignored"
        q_org = normalize(cleaned)
        if not q_org.tokens:
            return ScreenResult(cleaned, country, "clear", [], "no letters or digits to screen")
        q_legal = {t.text for t in q_org.tokens if t.kind == "legal"}  # a company's legal form
        best: dict[int, tuple[Comparison, str]] = {}
        for ei in self.index.candidates(q_org):
            e = self.index.entry(ei)
            party = self.index.parties[e.party]
            if wanted is not None and party.list_code.upper() not in wanted:
                continue
            if as_of and not party.active_on(as_of):
                continue
            q = normalize(cleaned, True) if e.norm.person else q_org
            cmp = compare_norm(q, e.norm, countries, party.countries)
            if cmp.score > 0 and party.kind != "organization" and q_legal and not (q_legal & e.tokens):
                # a company name (it has a legal form) is not a person, vessel or aircraft
                cmp.score = max(0.0, cmp.score + KIND_MISMATCH)
                cmp.features["kind_mismatch"] = KIND_MISMATCH
                cmp.explanation += f"; qualifiers: kind_mismatch {KIND_MISMATCH:+.2f} (company name vs {party.kind})"
                cmp.decision = decide(cmp.score)
            if e.source not in ("list", "derived"):
                cmp.explanation += f"; matched enrichment alias (source: {e.source})"
            prev = best.get(e.party)
            if prev is None or cmp.score > prev[0].score:
                best[e.party] = (cmp, e.name)
        hits = []
        for pi, (cmp, matched) in best.items():
            if cmp.decision == "clear":
                continue
            p = self.index.parties[pi]
            hits.append(Hit(p, p.id, p.list_code, p.name, matched, cmp.score, cmp.decision, cmp.explanation, cmp.features))
        hits.sort(key=lambda h: (-h.score, h.list_code, h.id))
        hits = hits[:limit]
        decision = decide(hits[0].score) if hits else "clear"
        return ScreenResult(cleaned, code or country, decision, hits, reason)

    def screen_many(
        self, rows: Iterable[Any], workers: int | None = None, chunksize: int = 256, **kwargs
    ) -> Iterator[ScreenResult]:
        """Screen rows in order: each row a name, a ``(name, country)`` pair or a dict.

        With ``workers`` > 1 the rows are screened in forked worker processes (order kept).
        """
        if workers is None:
            workers = 1
        if workers <= 1 or os.name != "posix":
            for row in rows:
                yield self._screen_row(row, kwargs)
            return
        import multiprocessing as mp

        global _WORKER
        _WORKER = (self, kwargs)
        ctx = mp.get_context("fork")
        with ctx.Pool(workers) as pool:
            yield from pool.imap(_screen_in_worker, rows, chunksize=chunksize)

    def _screen_row(self, row: Any, kwargs: dict) -> ScreenResult:
        if isinstance(row, dict):
            return self.screen(row.get("name"), row.get("country"), **kwargs)
        if isinstance(row, (tuple, list)):
            return self.screen(row[0], row[1] if len(row) > 1 else None, **kwargs)
        return self.screen(row, **kwargs)


_WORKER: tuple[Screener, dict] | None = None


def _screen_in_worker(row: Any) -> ScreenResult:
    assert _WORKER is not None
    screener, kwargs = _WORKER
    return screener._screen_row(row, kwargs)


def cache_dir() -> Path:
    p = settings.home() / "screening-cache"
    p.mkdir(parents=True, exist_ok=True)
    return p
