"""The transaction input of ``check_license`` (issue 4), validated with pydantic.

Unknown keys are refused so that a typo (``"destinaton"``) is an error, not a silent default.
``TransactionError`` carries a one-line message naming each bad field.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ROLES = ("end_user", "ultimate_consignee", "intermediate_consignee", "purchaser")
ECCN = re.compile(r"^(EAR99|[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*)$")
CC = re.compile(r"^[A-Z]{2}$")

#: End uses the engine knows; anything else is kept and reported as not evaluated.
END_USES = (
    "military", "military_intelligence", "advanced_node_ic", "ic_production_unknown_node",
    "backend_assembly_test", "supercomputer", "semiconductor_manufacturing_equipment",
    "standards_activity", "wmd",
)


#: What to say when a required field is missing.
MISSING = {
    "item": "required, with item.classification (an ECCN such as 3B001.c, or EAR99)",
    "item.classification": "required (an ECCN such as 3B001.c, or EAR99); earcheck never assumes EAR99",
    "destination": "required (ISO-2 or ISO-3 code, or country name)",
    "date": "required (YYYY-MM-DD)",
}


class TransactionError(ValueError):
    """Bad transaction input; the message is one line."""


def _cc(v: str | None) -> str | None:
    """ISO-2 for an ISO-2 or ISO-3 code or a country name (``earcheck.lists.countries.iso2``)."""
    if v is None:
        return None
    from earcheck.lists.countries import iso2  # noqa: PLC0415 - rigour's table, loaded once

    code = iso2(v)
    if code is None:
        raise ValueError(f"{v.strip()!r} is not a known country (ISO-2 or ISO-3 code, or name)")
    return code


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Owner(_Strict):
    name: str = Field(min_length=1)
    percent: float | None = Field(default=None, ge=0, le=100)
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, v):
        return _cc(v)


class PartyIn(_Strict):
    role: Literal["end_user", "ultimate_consignee", "intermediate_consignee", "purchaser"] = "end_user"
    name: str = Field(min_length=1)
    country: str | None = None
    headquarters_country: str | None = None
    address: str | None = None   # screened too: Entity List entries can be addresses
    facility: str | None = None  # e.g. "Xi'an" for VEU facility checks
    owners: list[Owner] = Field(default_factory=list)

    @field_validator("country", "headquarters_country")
    @classmethod
    def _country(cls, v):
        return _cc(v)


class Item(_Strict):
    classification: str  # required: a missing classification is an error, never EAR99
    kind: Literal["commodity", "software", "technology"] = "commodity"
    made_in: str = "US"
    us_controlled_content_pct: float = Field(default=0, ge=0, le=100)
    contains_us_ic: bool = False
    direct_product_of: list[str] = Field(default_factory=list)
    plant_direct_product_of: list[str] = Field(default_factory=list)
    designed_by: str | None = None  # for the May-2020 Huawei FDP ("produced from designs of")

    @field_validator("classification")
    @classmethod
    def _eccn(cls, v: str) -> str:
        v = v.strip()
        v = "EAR99" if v.upper() == "EAR99" else v[:2].upper() + v[2:5] + v[5:].lower()
        if not ECCN.match(v):
            raise ValueError(f"{v!r} is not an ECCN (e.g. 3B001.c) or EAR99")
        return v

    @field_validator("made_in")
    @classmethod
    def _made(cls, v):
        return _cc(v)

    @field_validator("direct_product_of", "plant_direct_product_of")
    @classmethod
    def _eccns(cls, v: list[str]) -> list[str]:
        out = []
        for e in v:
            e = e.strip().upper()
            if not re.match(r"^[0-9][A-E][0-9]{3}$", e):
                raise ValueError(f"{e!r} is not a 5-character ECCN (e.g. 3E001)")
            out.append(e)
        return out


class Knowledge(_Strict):
    fact: str
    party: str | None = None


class Authorization(_Strict):
    type: Literal["license", "VEU"] = "license"
    holder: str | None = None
    facility: str | None = None
    number: str | None = None
    covers: list[str] = Field(default_factory=list)  # rules the licence covers, e.g. ["744.11"]


class Transaction(_Strict):
    """One export, reexport or transfer, as of ``date``."""

    date: dt.date
    from_country: str = "US"
    destination: str
    item: Item  # required (see Item.classification)
    parties: list[PartyIn] = Field(default_factory=list)
    end_uses: list[str] = Field(default_factory=list)
    knowledge: list[str | Knowledge] = Field(default_factory=list)
    authorizations: list[Authorization] = Field(default_factory=list)
    answers: dict[str, bool] = Field(default_factory=dict)  # answers to earlier open questions

    @field_validator("from_country", "destination")
    @classmethod
    def _country(cls, v):
        return _cc(v)

    @property
    def day(self) -> str:
        return self.date.isoformat()

    def knows(self, fact: str) -> list[Knowledge]:
        """Declared knowledge items named ``fact`` (strings count as party-less facts)."""
        out = []
        for k in self.knowledge:
            k = Knowledge(fact=k) if isinstance(k, str) else k
            if k.fact == fact:
                out.append(k)
        return out


def parse_transaction(tx: dict | Transaction) -> Transaction:
    """Validate ``tx``; raise :class:`TransactionError` with a one-line message."""
    if isinstance(tx, Transaction):
        return tx
    if not isinstance(tx, dict):
        raise TransactionError("transaction must be a JSON object")
    try:
        return Transaction.model_validate(tx)
    except ValidationError as e:
        parts = []
        for err in e.errors():
            loc = ".".join(str(x) for x in err["loc"]) or "transaction"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = MISSING.get(loc, "required")
            parts.append(f"{loc}: {msg}")
        raise TransactionError("; ".join(parts)) from None
