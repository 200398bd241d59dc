"""Determinations for ledger lines, computed once per distinct set of inputs that matter.

A million-line ledger has perhaps a hundred customers. Two things make it fast:

* :class:`CachingScreener` screens each distinct name once, against every entry whatever its
  dates (``as_of=None``), and answers later ``screen(..., as_of=D)`` calls by filtering those
  hits with :meth:`Party.active_on` -- the screening contract's own definition of ``as_of``.
* :class:`Determiner` caches ``check_license`` results per (customer, destination,
  classification, origin, owners, *period*). A period is the span between two consecutive
  *change dates*: the start and end dates of every list entry the customer or its owners
  matched, plus every date on which the rules changed (``data/regulatory_dates.yaml`` and every
  ISO date found in the rules package, data and code). Within a period nothing the determination
  depends on changes, so one call stands for all the lines in it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from earcheck.models import FR_LAG_DAYS, listing_start

DATA = Path(__file__).with_name("data")

#: Decisions of issue 4, most restrictive last.
DECISIONS = ("not_subject_to_ear", "no_license_required", "authorized", "indeterminate",
             "license_required", "prohibited")
#: Decisions that mean the revenue cannot ship without a licence.
RESTRICTED = frozenset({"license_required", "prohibited"})

#: Review-policy buckets, least restrictive first ("other": a text we cannot classify).
POLICIES = ("other", "presumption_of_approval", "case_by_case", "mixed", "presumption_of_denial",
            "policy_of_denial")


def policy_bucket(text: str | None) -> str:
    """Classify a review-policy text: PoD, case-by-case, mixed (PoD for some items), ..."""
    t = re.sub(r"[\s\-_]+", " ", (text or "").casefold())
    pod = "presumption of denial" in t
    cbc = "case by case" in t
    if "policy of denial" in t and not pod:
        return "policy_of_denial"
    if pod and cbc:
        return "mixed"
    if pod:
        return "presumption_of_denial"
    if cbc:
        return "case_by_case"
    if "approval" in t:
        return "presumption_of_approval"
    return "other"


def question_kinds(questions) -> tuple[str, ...]:
    """The kinds of the rules' open questions: ``"[review:Name:hash] Is ..."`` -> ``"review"``;
    a question without a ``[kind]`` prefix counts as ``"other"``."""
    kinds = set()
    for q in questions or []:
        m = re.match(r"\s*\[([^\]:]+)", str(q))
        kinds.add(m.group(1).strip() if m else "other")
    return tuple(sorted(kinds))


def item_kind(classification: str) -> str:
    """commodity / software / technology from the ECCN's product group letter (x D/E xxx)."""
    c = classification.strip().upper()
    if len(c) >= 2 and c[0].isdigit() and c[1] in "DE":
        return "software" if c[1] == "D" else "technology"
    return "commodity"


@dataclass(frozen=True, slots=True)
class Determination:
    """What the report needs from one ``check_license`` result."""

    decision: str
    rules: tuple[str, ...] = ()  # CFR sections of the requirements, e.g. ("744.11",)
    policy: str | None = None  # most restrictive review-policy bucket, None without requirements
    lists: tuple[str, ...] = ()  # list codes of the customer's matches on the date
    listed_as: tuple[str, ...] = ()  # names of the matched list entries
    error: str | None = None
    questions: tuple[str, ...] = ()  # kinds of open questions, e.g. ("eccn_not_encoded",)

    @property
    def status(self) -> tuple:
        """What a change of status means: the decision, the rules behind it, the list entries."""
        return (self.decision, self.rules, self.listed_as)


@dataclass(frozen=True)
class ChangeDate:
    date: str
    event: str
    citation: str = ""


@lru_cache(maxsize=1)
def regulatory_dates() -> tuple[ChangeDate, ...]:
    """Dates on which the rules changed (shipped table), plus every ISO date written in the
    rules package (its data files and its code)."""
    raw = yaml.safe_load((DATA / "regulatory_dates.yaml").read_text(encoding="utf-8"))
    out = [ChangeDate(str(r["date"]), r.get("event", ""), r.get("citation", "")) for r in raw["dates"]]
    out += [ChangeDate(d, "date in rules data") for d in sorted(_rules_data_dates())]
    return tuple(out)


def _rules_data_dates() -> set[str]:
    try:
        import earcheck.rules as rules_pkg
    except Exception:  # pragma: no cover - rules layer broken or absent
        return set()
    found: set[str] = set()
    for base in getattr(rules_pkg, "__path__", []):
        for p in Path(base).rglob("*"):
            if p.suffix in (".yaml", ".yml", ".json", ".py") and p.is_file():
                try:
                    found.update(re.findall(r"(?<!\d)((?:19|20)\d\d-[01]\d-[0-3]\d)(?!\d)",
                                            p.read_text(encoding="utf-8", errors="ignore")))
                except OSError:
                    continue
    return found


def _next_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


class CachingScreener:
    """Screener duck type: one real screening per distinct query, dates applied afterwards."""

    DECISION_ORDER = {"match": 2, "review": 1, "clear": 0}

    def __init__(self, inner: Any, depth: int = 25):
        self.inner = inner
        self.depth = depth
        self._cache: dict[tuple, Any] = {}
        self.calls = 0

    def screen_all(self, name: str, country: str | None = None, address: str | None = None,
                   lists: list[str] | None = None):
        """All hits, whatever their dates (cached)."""
        key = (name, country, address, tuple(lists) if lists else None)
        res = self._cache.get(key)
        if res is None:
            self.calls += 1
            res = self.inner.screen(name, country=country, address=address, limit=self.depth,
                                    as_of=None, lists=lists)
            self._cache[key] = res
        return res

    def screen(self, name: str, country: str | None = None, address: str | None = None,
               limit: int = 10, as_of: str | None = None, lists: list[str] | None = None):
        res = self.screen_all(name, country, address, lists)
        hits = [h for h in res.hits if listed_by(h.party, as_of)] if as_of else list(res.hits)
        hits = hits[:limit]
        if len(hits) == len(res.hits):
            return res
        decision = max((h.decision for h in hits), key=lambda d: self.DECISION_ORDER.get(d, 0),
                       default="clear")
        if dataclasses.is_dataclass(res):
            return dataclasses.replace(res, hits=hits, decision=decision)
        res2 = type(res).__new__(type(res))  # pragma: no cover - non-dataclass results
        res2.__dict__.update(res.__dict__, hits=hits, decision=decision)
        return res2

    def screen_many(self, rows):
        for row in rows:
            yield self.screen(**row) if isinstance(row, dict) else self.screen(*row)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


class OverlayScreener:
    """A screener with some entries removed and some added, without rebuilding the big index.

    Building a screener over the full lists takes long; a scenario only removes a few entries
    and adds a few. ``screen`` asks the base screener (a little deeper than asked), drops hits on
    removed entries, screens the name against a small screener over the added entries, and
    merges the hits by score.
    """

    DECISION_ORDER = CachingScreener.DECISION_ORDER

    def __init__(self, base: Any, removed: Callable[[Any], bool] | None, added: Any | None):
        self.base, self.removed, self.added = base, removed, added

    def screen(self, name: str, country: str | None = None, address: str | None = None,
               limit: int = 10, as_of: str | None = None, lists: list[str] | None = None):
        res = self.base.screen(name, country=country, address=address, limit=limit + 25,
                               as_of=as_of, lists=lists)
        hits = [h for h in res.hits if not (self.removed and self.removed(h.party))]
        if self.added is not None:
            hits += self.added.screen(name, country=country, address=address, limit=limit,
                                      as_of=as_of, lists=lists).hits
        hits.sort(key=lambda h: -h.score)
        hits = hits[:limit]
        decision = max((h.decision for h in hits), key=lambda d: self.DECISION_ORDER.get(d, 0),
                       default="clear")
        if dataclasses.is_dataclass(res):
            return dataclasses.replace(res, hits=hits, decision=decision)
        res.hits, res.decision = hits, decision  # pragma: no cover
        return res

    def __getattr__(self, name: str):
        return getattr(self.base, name)


def listed_by(party: Any, day: str) -> bool:
    """False when the entry was certainly not yet listed (or no longer) on ``day``: its start
    date, or without one the lower bound from its Federal Register cites
    (:func:`earcheck.models.listing_start`: a dated cite, else the cite's volume year), as the
    rules read it (:func:`earcheck.rules.steps.entry_listing`)."""
    try:
        from earcheck.rules.steps import entry_listing  # noqa: PLC0415 - the rules' own reading
    except ImportError:  # pragma: no cover - rules layer absent
        return party.active_on(day) and listing_start(party).status_on(day) != "not_yet"
    return entry_listing(party, day) not in ("not_yet", "ended")


def list_label(party: Any) -> str:
    """``EL``; ``CMIC (start date unknown)`` for an entry with neither a start date nor a FR cite,
    whose revenue must not be counted as listed on every date."""
    if listing_start(party).source == "unknown":
        return f"{party.list_code} (start date unknown)"
    return party.list_code


def _change_dates(party: Any) -> set[str]:
    """Dates on which an entry's listing status can change (see :func:`listed_by`)."""
    out = set()
    if party.end_date:
        out.add(_next_day(party.end_date))
    ls = listing_start(party)
    if ls.day:
        out.add(ls.day)
        if ls.source != "start_date":  # the doubt window before a cite's publication date
            out.add((dt.date.fromisoformat(ls.day) - dt.timedelta(days=FR_LAG_DAYS)).isoformat())
    elif ls.year:
        out.update({f"{ls.year}-01-01", f"{ls.year + 1}-01-01"})
    return out


def _published(store: Any) -> str | None:
    if store is None:
        return None
    try:
        from earcheck.rules.engine import lists_published  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        return None
    return lists_published(store, None)


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


class Determiner:
    """``check_license`` per line, cached per period of constant inputs (see module doc)."""

    def __init__(self, screener: Any, check: Callable[..., dict], store: Any = None,
                 change_dates: list[str] | None = None, exact_dates: bool = False,
                 shared: dict | None = None):
        self.screener = screener if isinstance(screener, CachingScreener) else CachingScreener(screener)
        self.check = check
        self.store = store
        self.exact_dates = exact_dates
        self.shared = shared  # determinations shared between worlds (see _run)
        self.global_dates = sorted(set(change_dates if change_dates is not None
                                       else (c.date for c in regulatory_dates())))
        # The lists' as-of date: check_license asks about entries changed after it
        # (rules.engine._stale_lists); the day after it is a change date.
        published = _published(store)
        if published:
            self.screener.lists_published = published
            self.global_dates = sorted(set(self.global_dates) | {_next_day(published)})
        self._breaks: dict[tuple, list[str]] = {}
        self._cache: dict[tuple, Determination] = {}
        self.errors: list[dict] = []
        self._error_keys: set[tuple] = set()
        self.calls = 0

    # -- periods -------------------------------------------------------------------------
    def breakpoints(self, customer: str, country: str, owners: tuple) -> list[str]:
        key = (customer, country, owners)
        b = self._breaks.get(key)
        if b is None:
            dates = set(self.global_dates)
            names = [(customer, country)] + [(o, None) for o, _ in owners]
            for name, ctry in names:
                try:
                    hits = self.screener.screen_all(name, ctry).hits
                except Exception:  # reported by determine(); no extra change dates
                    continue
                for h in hits:
                    dates.update(_change_dates(h.party))
            b = self._breaks[key] = sorted(dates)
        return b

    # -- determinations ------------------------------------------------------------------
    def determine(self, date: str, customer: str, country: str, classification: str,
                  from_country: str = "US", owners: tuple = (), made_in: str | None = None,
                  ) -> Determination:
        if self.exact_dates:
            period: Any = date
        else:
            period = bisect_right(self.breakpoints(customer, country, owners), date)
        key = (customer, country, classification, from_country, made_in, owners, period)
        det = self._cache.get(key)
        if det is None:
            det = self._cache[key] = self._run(date, customer, country, classification,
                                               from_country, owners, made_in or from_country)
        return det

    def transaction(self, date: str, customer: str, country: str, classification: str,
                    from_country: str, owners: tuple, made_in: str) -> dict:
        party: dict[str, Any] = {"name": customer, "country": country}
        if owners:
            party["owners"] = [{"name": o, "percent": p} for o, p in owners]
        return {
            "date": date,
            "from_country": from_country,
            "destination": country,
            "item": {"classification": classification, "kind": item_kind(classification),
                     "made_in": made_in},
            "parties": [dict(party, role="end_user"), dict(party, role="ultimate_consignee")],
        }

    def _error(self, customer, country, classification, date, msg) -> None:
        seen = (customer, country, classification, msg)
        if seen not in self._error_keys:
            self._error_keys.add(seen)
            self.errors.append({"kind": "determination_error", "message": msg, "customer": customer,
                                "date": date, "country": country, "classification": classification})

    def _run(self, date, customer, country, classification, from_country, owners, made_in):
        try:
            all_hits = self.screener.screen(customer, country=country, as_of=date, limit=25).hits
        except Exception as e:  # a screening failure is never read as "clear"
            msg = f"screening failed: {type(e).__name__}: {e}"
            self._error(customer, country, classification, date, msg)
            return Determination("indeterminate", error=msg)
        hits = [h for h in all_hits if h.decision == "match"]
        lists = tuple(sorted({list_label(h.party) for h in hits}))
        listed_as = tuple(dict.fromkeys(h.party.name for h in hits))
        # Shared between worlds: a scenario that leaves this customer's (and its owners') hits
        # unchanged on this date gets the baseline's determination without a new rules call.
        shared_key = None
        if self.shared is not None:
            sig = tuple(sorted((h.party.id, h.party.list_code, h.decision) for h in all_hits))
            try:
                osig = tuple(tuple(sorted((h.party.id, h.decision)
                                          for h in self.screener.screen(o, as_of=date, limit=25).hits))
                             for o, _ in owners)
            except Exception:  # the rules call below meets the same failure and reports it
                osig = None
            if osig is not None:
                shared_key = (customer, country, classification, from_country, made_in, owners,
                              date if self.exact_dates else bisect_right(self.global_dates, date),
                              sig, osig)
                det = self.shared.get(shared_key)
                if det is not None:
                    return det
        det = self._check(date, customer, country, classification, from_country, owners, made_in,
                          lists, listed_as)
        if shared_key is not None:
            self.shared[shared_key] = det
        return det

    def _check(self, date, customer, country, classification, from_country, owners, made_in,
               lists, listed_as):
        self.calls += 1
        tx = self.transaction(date, customer, country, classification, from_country, owners, made_in)
        try:
            # store=None: the screener already holds the lists (and says which snapshot);
            # asking the store for its snapshot label on every call costs a database query
            out = self.check(tx, store=None, screener=self.screener)
        except Exception as e:  # a rules failure is reported per distinct input, never fatal
            msg = f"{type(e).__name__}: {e}"
            self._error(customer, country, classification, date, msg)
            return Determination("indeterminate", lists=lists, listed_as=listed_as, error=msg)
        decision = out.get("decision") if isinstance(out, dict) else None
        if decision not in DECISIONS:
            decision = "indeterminate"
        reqs = out.get("requirements") or []
        rules = tuple(dict.fromkeys(str(r.get("rule") or r.get("citation") or "?") for r in reqs))
        pols = [policy_bucket(r.get("review_policy")) for r in reqs if r.get("review_policy")]
        policy = max(pols, key=POLICIES.index) if pols else None
        return Determination(decision, rules, policy, lists, listed_as,
                             questions=question_kinds(out.get("open_questions")))
