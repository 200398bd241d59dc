"""Shared data model: the party record every list format maps into.

Every parser in :mod:`earcheck.lists` produces :class:`Party` objects; the store persists
them as JSON; screening, rules, exposure and the API read them back. Dates are ISO strings
(``YYYY-MM-DD``) or ``None`` so that records round-trip through JSON unchanged.
"""
from __future__ import annotations

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
        """True if the entry is in force on ``day`` (ISO date); ``None`` means today/any."""
        if day is None:
            return True
        if self.start_date and self.start_date > day:
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
