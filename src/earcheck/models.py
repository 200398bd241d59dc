"""Shared data model: the party record every list format maps into.

Every parser in :mod:`earcheck.lists` produces :class:`Party` objects; the store persists
them as JSON; screening, rules, exposure and the API read them back. Dates are ISO strings
(``YYYY-MM-DD``) or ``None`` so that records round-trip through JSON unchanged.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

#: List codes and their official names (trade.gov CSL ``source`` values and OFAC lists).
LIST_NAMES: dict[str, str] = {
    "EL": "Entity List (EL) - Bureau of Industry and Security",
    "MEU": "Military End User (MEU) List - Bureau of Industry and Security",
    "DPL": "Denied Persons List (DPL) - Bureau of Industry and Security",
    "UVL": "Unverified List (UVL) - Bureau of Industry and Security",
    "SDN": "Specially Designated Nationals (SDN) - Treasury Department",
    "SSI": "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    "FSE": "Foreign Sanctions Evaders (FSE) - Treasury Department",
    "PLC": "Palestinian Legislative Council List (PLC) - Treasury Department",
    "CAP": "Capta List (CAP) - Treasury Department",
    "CMIC": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
    "NS-MBS": "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
    "ISN": "Nonproliferation Sanctions (ISN) - State Department",
    "DTC": "ITAR Debarred (DTC) - State Department",
    "MIEU": "Military Intelligence End User (MIEU) List - Bureau of Industry and Security",
    "OS": "OpenSanctions",
}

KINDS = ("person", "organization", "vessel", "aircraft")


@dataclass
class Address:
    """One postal address. ``text`` keeps the publisher's original wording."""

    text: str = ""
    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO-2 where the text allows


@dataclass
class Link:
    """A relation to another party: ``affiliate_of``, ``owned_by``, ``subsidiary_of``."""

    kind: str
    target_name: str
    target_id: str | None = None
    percent: float | None = None


@dataclass
class Party:
    """One listed party, after merging the publisher's repeated rows."""

    id: str  # publisher's record id (CSL _id, OFAC ent_num, FtM id)
    list_code: str  # EL, SDN, DPL, ...
    name: str
    kind: str = "organization"  # person | organization | vessel | aircraft
    list_name: str = ""
    aliases: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO-2
    programs: list[str] = field(default_factory=list)
    federal_register: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    remarks: str | None = None
    source_url: str | None = None
    links: list[Link] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)  # all publisher ids merged into this party
    extra: dict[str, Any] = field(default_factory=dict)  # titles, dates of birth, ids, vessel data

    def __post_init__(self) -> None:
        if not self.list_name:
            self.list_name = LIST_NAMES.get(self.list_code, self.list_code)
        if not self.source_ids:
            self.source_ids = [self.id]

    @property
    def names(self) -> list[str]:
        """Primary name followed by aliases, without duplicates."""
        seen: dict[str, None] = {self.name: None}
        for a in self.aliases:
            seen.setdefault(a, None)
        return list(seen)

    def active_on(self, day: str | None) -> bool:
        """True if the entry is in force on ``day`` (ISO date); ``None`` means today/any.

        Without a ``start_date`` the date of the earliest Federal Register cite counts when the
        cite gives one, :data:`FR_LAG_DAYS` early (see :func:`listing_start`); a cite's volume
        year alone is not used here.
        """
        if day is None:
            return True
        if self.start_date:
            if self.start_date > day:
                return False
        elif listing_start(self).day and listing_start(self).status_on(day) == "not_yet":
            return False
        if self.end_date and self.end_date < day:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Party":
        d = dict(d)
        d["addresses"] = [Address(**a) for a in d.get("addresses") or []]
        d["links"] = [Link(**link) for link in d.get("links") or []]
        return cls(**d)


# ----------------------------------------------------------------------- listing dates
#: A Federal Register cite: ``85 FR 83420``, ``64 F.R. 40818 7/28/99``, ``85 FR 83420, 12/22/20``,
#: ``76 FR no. 242 pg. 78146``, ``76 FR No. 197 (10/12/2011)`` or ``Vol. 87, No. 57, 03/24/2022``,
#: with the publication date when the text gives one.
FR_CITE = re.compile(
    r"(?:\b(?P<vol>\d{1,3})[\s.]*F\.?\s?R\.?\s*(?:no\.?\s*\d+\s*(?:,?\s*pg\.?\s*)?)?(?P<page>\d{2,6})?"
    r"|\bVol\.?\s*(?P<vol2>\d{1,3}),?\s*No\.?\s*\d+)"
    r"(?:[\s,(]+(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b)?", re.I)
#: A bare date (``12/10/13``), used only when no cite can be read.
BARE_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
#: Days between a rule's effect and its FR publication that still leave the date in doubt
#: (denial orders are signed days before they are published; some rules are effective on display).
FR_LAG_DAYS = 30
#: FR volume N is the year 1935 + N (volume 1 = 1936; 87 FR = 2022).
FR_VOLUME_YEAR0 = 1935


@dataclass(frozen=True)
class ListingStart:
    """The earliest date an entry can have been listed (a lower bound).

    ``source``: ``start_date`` (the publisher's), ``fr_date`` (the earliest FR cite's date),
    ``fr_volume`` (only its volume year: ``year`` is set, ``day`` is None) or ``unknown``.
    """

    day: str | None = None
    year: int | None = None
    source: str = "unknown"
    cite: str | None = None

    def status_on(self, day: str) -> str:
        """``listed`` | ``not_yet`` (the bound is after ``day``) | ``uncertain`` (only the
        year is known and it is ``day``'s year, or ``day`` falls within :data:`FR_LAG_DAYS`
        before the cite's publication date) | ``unknown`` (no date and no FR cite)."""
        if self.day:
            if self.day <= day:
                return "listed"
            if self.source != "start_date":
                lag = (_dt.date.fromisoformat(self.day) - _dt.date.fromisoformat(day[:10])).days
                if lag <= FR_LAG_DAYS:
                    return "uncertain"
            return "not_yet"
        if self.year:
            y = int(day[:4])
            return "not_yet" if self.year > y else "uncertain" if self.year == y else "listed"
        return "unknown"

    def label(self) -> str:
        """``2020-12-18``, ``2022-12-19 (87 FR 77508)``, ``2022 (87 FR 77508)`` or ``start date unknown``."""
        if self.source == "start_date":
            return self.day or ""
        if self.day:
            return f"{self.day} ({self.cite})"
        if self.year:
            return f"{self.year} ({self.cite})"
        return "start date unknown"


def _fr_day(vol_year: int, m: str | None, d: str | None, y: str | None) -> str | None:
    if not (m and d and y):
        return None
    year = int(y)
    if len(y) == 2:
        year += 1900 if 1900 + year >= vol_year - 1 and 1900 + year <= vol_year + 1 else 2000
    if abs(year - vol_year) > 1:
        return None
    try:
        return _dt.date(year, int(m), int(d)).isoformat()
    except ValueError:
        return None


def listing_start(party: "Party") -> ListingStart:
    """Lower bound of an entry's listing date: its ``start_date``; else the earliest Federal
    Register cite (lowest volume, then page): the cite's date when the text gives one, else its
    volume year (FR volume N = year 1935 + N); else unknown. The one place this is derived
    (rules and exposure use it; :meth:`Party.active_on` uses its exact-date part)."""
    if party.start_date:
        return ListingStart(day=party.start_date, year=int(party.start_date[:4]), source="start_date")
    return _fr_start(party.federal_register or "")


_FR_CACHE: dict[str, ListingStart] = {}


def _fr_start(text: str) -> ListingStart:
    got = _FR_CACHE.get(text)
    if got is not None:
        return got
    best: tuple | None = None
    this_year = _dt.date.today().year
    for m in FR_CITE.finditer(text):
        vol = int(m.group("vol") or m.group("vol2"))
        vol_year = FR_VOLUME_YEAR0 + vol
        if vol < 1 or vol_year > this_year + 1:
            continue
        page = int(m.group("page")) if m.group("page") else None
        day = _fr_day(vol_year, m.group("m"), m.group("d"), m.group("y"))
        cite = f"{vol} FR {page}" if page is not None else f"Vol. {vol}"
        key = (vol, page if page is not None else 10**7, day or "")
        if best is None or key < best[0]:
            best = (key, vol_year, day, cite)
    if best is None:
        days = []
        for m, d, y in BARE_DATE.findall(text):
            yy = int(y) + (0 if len(y) == 4 else 1900 if int(y) > 30 else 2000)
            got_day = _fr_day(yy, m, d, str(yy))
            if got_day:
                days.append(got_day)
        out = (ListingStart(day=min(days), year=int(min(days)[:4]), source="fr_date",
                            cite=" ".join(text.split())[:60]) if days else ListingStart())
    elif best[2]:
        out = ListingStart(day=best[2], year=int(best[2][:4]), source="fr_date", cite=best[3])
    else:
        out = ListingStart(year=best[1], source="fr_volume", cite=best[3])
    if len(_FR_CACHE) < 100_000:
        _FR_CACHE[text] = out
    return out
