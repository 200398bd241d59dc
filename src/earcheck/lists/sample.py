"""The shipped sample list: 30 real entries (SMIC and subsidiaries, Huawei and affiliates, SDN,
DPL, UVL and MEU entries) so that a fresh install without network or ``../shared`` still works.

File: ``data/sample.json`` = ``{"format": "earcheck_sample", "dataset": "sample", "published",
"sources", "parties": [Party.to_dict(), ...]}``. Ids are the 2022 CSL ``_id`` values (OFAC
ent_num for Treasury lists) so the sample and the full list agree.
"""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from earcheck.lists.common import fail, iso_date
from earcheck.models import Address, Link, Party

_PARTY_FIELDS = {f.name for f in fields(Party)}
_ADDRESS_FIELDS = {f.name for f in fields(Address)}
_LINK_FIELDS = {f.name for f in fields(Link)}


def sample_path() -> Path:
    return Path(__file__).resolve().parent / "data" / "sample.json"


def _party(d: Any, path: object, n: int) -> Party:
    if not isinstance(d, dict):
        raise fail(path, f"party {n}: not an object")
    unknown = set(d) - _PARTY_FIELDS
    if unknown:
        raise fail(path, f"party {n}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("id", "list_code", "name"):
        if not isinstance(d.get(key), str) or not d[key].strip():
            raise fail(path, f"party {n}: missing {key}")
    for key in ("aliases", "addresses", "countries", "programs", "links", "source_ids"):
        if d.get(key) is not None and not isinstance(d[key], list):
            raise fail(path, f"party {n} ({d['id']}): {key} must be a list")
    if d.get("extra") is not None and not isinstance(d["extra"], dict):
        raise fail(path, f"party {n} ({d['id']}): extra must be an object")
    for a in d.get("addresses") or []:
        if not isinstance(a, dict) or set(a) - _ADDRESS_FIELDS:
            raise fail(path, f"party {n} ({d['id']}): bad address {a!r}")
    for link in d.get("links") or []:
        if not isinstance(link, dict) or set(link) - _LINK_FIELDS or "target_name" not in link:
            raise fail(path, f"party {n} ({d['id']}): bad link {link!r}")
    for key in ("start_date", "end_date"):
        if d.get(key) is not None and iso_date(d[key]) != d[key]:
            raise fail(path, f"party {n} ({d['id']}): {key} {d[key]!r} is not an ISO date")
    try:
        return Party.from_dict(d)
    except (TypeError, ValueError) as exc:
        raise fail(path, f"party {n} ({d['id']}): {exc}") from None


def parse_sample(obj: Any, path: object) -> tuple[list[Party], list[str], str | None]:
    if not isinstance(obj, dict) or not isinstance(obj.get("parties"), list):
        raise fail(path, "not an earcheck sample list: no 'parties' list")
    parties = [_party(d, path, n) for n, d in enumerate(obj["parties"], 1)]
    ids = [p.id for p in parties]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise fail(path, f"duplicate party id(s) {', '.join(dup)}")
    return parties, [], iso_date(obj.get("published"))
