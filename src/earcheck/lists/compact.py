"""The compact 2026 re-encoding of the CSL (``screening-list.json``, not an official format).

Shape: ``{"sourceGeneratedAt", "fieldKey", "tables": {"sources", "licenceRequirements",
"licencePolicies", "programmes", "urls"}, "entries": [{"n", "a", "s", "t", "c", "e", "lr",
"lp", "pg", "fr", "u"}]}`` where ``s``/``lr``/``lp``/``pg``/``u`` index the tables and ``c``
holds ISO-2 countries (no addresses, no ``_id``).

Entries are expanded back to CSL records and go through the same pipeline as the CSV
(:func:`earcheck.lists.csl.build_parties`), so names, affiliates and merging match. Ids: the
``entity_number`` where present (equal to the CSL ``_id`` of OFAC rows), else the same stable
hash of list code + name that the id-less CSV layout uses (unchanged when an entry is amended).
"""
from __future__ import annotations

from typing import Any

from earcheck.lists.common import fail, iso_date
from earcheck.lists.csl import build_parties
from earcheck.models import Party

FIELDS = {"n": "name", "a": "alt_names", "t": "type", "e": "entity_number", "fr": "federal_register_notice"}
INDEXED = {"s": ("sources", "source"), "lr": ("licenceRequirements", "license_requirement"),
           "lp": ("licencePolicies", "license_policy"), "pg": ("programmes", "programs"),
           "u": ("urls", "source_list_url")}


def _lookup(tables: dict, table: str, idx: Any, path: object, n: int):
    if idx is None:
        return None
    values = tables.get(table) or []
    if isinstance(idx, list):
        return [_lookup(tables, table, i, path, n) for i in idx]
    if not isinstance(idx, int) or not 0 <= idx < len(values):
        raise fail(path, f"entry {n}: index {idx!r} outside tables.{table}")
    return values[idx]


def parse_compact(obj: Any, path: object) -> tuple[list[Party], list[str], str | None]:
    if not isinstance(obj, dict) or not isinstance(obj.get("entries"), list):
        raise fail(path, "not a compact screening list: no 'entries' list")
    tables = obj.get("tables") or {}
    if not isinstance(tables, dict) or not isinstance(tables.get("sources"), list):
        raise fail(path, "not a compact screening list: no 'tables.sources'")
    rows: list[dict[str, Any]] = []
    for n, entry in enumerate(obj["entries"], 1):
        if not isinstance(entry, dict):
            raise fail(path, f"entry {n}: not an object")
        row: dict[str, Any] = {long: entry.get(short) for short, long in FIELDS.items()}
        for short, (table, long) in INDEXED.items():
            row[long] = _lookup(tables, table, entry.get(short), path, n)
        countries = entry.get("c") if isinstance(entry.get("c"), list) else []
        row["addresses"] = [{"country": c} for c in countries if isinstance(c, str)]
        if row.get("entity_number") is not None:
            row["_id"] = str(row["entity_number"])
        rows.append(row)
    warnings: list[str] = []
    parties = build_parties(rows, path, warnings)
    for p in parties:  # country-only "addresses" are not addresses
        p.addresses = [a for a in p.addresses if a.text != a.country] if p.addresses else []
    published = iso_date(obj.get("sourceGeneratedAt") or obj.get("retrievedAt"))
    return parties, warnings, published

