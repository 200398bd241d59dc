"""OpenSanctions FollowTheMoney (FtM) entities, one JSON object per line.

Format: https://followthemoney.tech/explorer/ — ``{"id", "caption", "schema", "properties",
"datasets", "target", "first_seen", "last_seen", ...}``.

* Person, Company, Organization, LegalEntity, PublicBody, Vessel, Airplane -> :class:`Party`
  (list code ``OS``; the OpenSanctions dataset names go to ``programs`` and ``extra["datasets"]``;
  ``extra["target"]`` says whether OpenSanctions flags the entity as a sanctions target).
* Sanction entities add programme, authority, start/end date and source URL to their party.
* Address entities fill the parties' ``addressEntity`` references.
* Ownership, Directorship, UnknownLink, Family become :class:`Link` objects on both sides.
"""
from __future__ import annotations

import json
from typing import Any

from earcheck.lists.common import clean, country_code, fail, iso_date, parse_address, uniq
from earcheck.models import Address, Link, Party

PARTY_SCHEMATA = {
    "Person": "person",
    "Company": "organization",
    "Organization": "organization",
    "LegalEntity": "organization",
    "PublicBody": "organization",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
#: link schema -> (subject property, object property, subject's link kind, object's link kind)
LINK_SCHEMATA = {
    "Ownership": ("asset", "owner", "owned_by", "owner_of"),
    "Directorship": ("director", "organization", "director_of", "directed_by"),
    "UnknownLink": ("subject", "object", "linked_to", "linked_to"),
    "Family": ("person", "relative", "family_of", "family_of"),
    "Associate": ("person", "associate", "associate_of", "associate_of"),
}
NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "abbreviation")
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "flag")
EXTRA_PROPS = {
    "birthDate": "dates_of_birth", "birthPlace": "places_of_birth", "nationality": "nationalities",
    "citizenship": "citizenships", "idNumber": "ids", "passportNumber": "ids", "innCode": "ids",
    "ogrnCode": "ids", "registrationNumber": "ids", "taxNumber": "ids", "imoNumber": "ids",
    "position": "title", "gender": "gender", "incorporationDate": "incorporation_date",
    "legalForm": "legal_form", "topics": "topics", "callSign": "call_sign", "flag": "vessel_flag",
}


def _props(e: dict) -> dict[str, list]:
    p = e.get("properties")
    return p if isinstance(p, dict) else {}


def _vals(e: dict, key: str) -> list[str]:
    v = _props(e).get(key) or []
    if not isinstance(v, list):
        v = [v]
    return [clean(x) for x in v if isinstance(x, (str, int, float)) and clean(x)]


def read_entities(text: str, path: object) -> list[dict[str, Any]]:
    """Entities of an FtM JSON lines file; an invalid (e.g. truncated) line is an error."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line == "\x1a":
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise fail(path, f"line {n}: invalid JSON ({exc}); truncated file?") from None
        if not isinstance(obj, dict) or "schema" not in obj or "id" not in obj:
            raise fail(path, f"line {n}: not an FtM entity (no id/schema)")
        out.append(obj)
    if not out:
        raise fail(path, "empty file")
    return out


def parse_ftm(text: str, path: object) -> tuple[list[Party], list[str], str | None]:
    warnings: list[str] = []
    entities = read_entities(text, path)
    by_id = {str(e["id"]): e for e in entities}
    parties: dict[str, Party] = {}
    for e in entities:
        kind = PARTY_SCHEMATA.get(str(e.get("schema")))
        if kind is None:
            continue
        names = uniq(n for k in NAME_PROPS for n in _vals(e, k))
        name = clean(e.get("caption")) or (names[0] if names else "")
        if not name:
            warnings.append(f"{path}: entity {e['id']}: empty name; skipped")
            continue
        addresses = [parse_address(a) for a in _vals(e, "address")]
        for ref in _vals(e, "addressEntity"):
            a = by_id.get(ref)
            if a is not None:
                full = (_vals(a, "full") or [clean(a.get("caption"))])[0]
                addresses.append(Address(
                    text=full, street=(_vals(a, "street") or [None])[0],
                    city=(_vals(a, "city") or [None])[0], postal_code=(_vals(a, "postalCode") or [None])[0],
                    country=country_code((_vals(a, "country") or [""])[0])))
        countries = uniq(country_code(c) for k in COUNTRY_PROPS for c in _vals(e, k))
        countries = uniq(countries + [a.country for a in addresses])
        datasets = [clean(d) for d in e.get("datasets") or [] if isinstance(d, str)]
        extra: dict[str, Any] = {"schema": e.get("schema"), "datasets": datasets,
                                 "target": bool(e.get("target"))}
        for prop, key in EXTRA_PROPS.items():
            vals = _vals(e, prop)
            if vals:
                cur = extra.setdefault(key, [])
                cur.extend(v for v in vals if v not in cur)
        if e.get("first_seen"):
            extra["first_seen"] = str(e["first_seen"])[:10]
        notes = _vals(e, "notes")
        parties[str(e["id"])] = Party(
            id=str(e["id"]),
            list_code="OS",
            name=name,
            kind=kind,
            aliases=[n for n in names if n != name],
            addresses=addresses,
            countries=countries,
            programs=uniq(_vals(e, "program") + _vals(e, "programId") + datasets),
            remarks="; ".join(notes) or None,
            source_url=(_vals(e, "sourceUrl") or [f"https://www.opensanctions.org/entities/{e['id']}/"])[0],
            extra=extra,
        )
    _apply_sanctions(entities, parties)
    _apply_links(entities, parties, by_id)
    last = [str(e.get("last_change") or e.get("last_seen") or "")[:10] for e in entities]
    published = max((d for d in last if iso_date(d)), default=None)
    return list(parties.values()), warnings, published


def _apply_sanctions(entities, parties) -> None:
    for s in entities:
        if s.get("schema") != "Sanction":
            continue
        for ref in _vals(s, "entity"):
            p = parties.get(ref)
            if p is None:
                continue
            p.programs = uniq(p.programs + _vals(s, "program"))
            starts = [d for d in map(iso_date, _vals(s, "listingDate") + _vals(s, "startDate")) if d]
            if starts and (p.start_date is None or min(starts) < p.start_date):
                p.start_date = min(starts)
            auth = _vals(s, "authority")
            if auth:
                cur = p.extra.setdefault("authorities", [])
                cur.extend(a for a in auth if a not in cur)
            if not p.federal_register:
                fr = [x for x in _vals(s, "summary") if "FR" in x]
                p.federal_register = fr[0] if fr else None


def _apply_links(entities, parties, by_id) -> None:
    def caption(ref: str) -> str:
        ent = by_id.get(ref)
        return clean(ent.get("caption")) if ent else ref

    for e in entities:
        spec = LINK_SCHEMATA.get(str(e.get("schema")))
        if spec is None:
            continue
        subj_prop, obj_prop, subj_kind, obj_kind = spec
        pct = None
        for v in _vals(e, "percentage"):
            try:
                pct = float(v.rstrip("%"))
            except ValueError:
                pass
        for s in _vals(e, subj_prop):
            for o in _vals(e, obj_prop):
                if s in parties:
                    parties[s].links.append(Link(kind=subj_kind, target_name=caption(o),
                                                 target_id=o if o in parties else None, percent=pct))
                if o in parties:
                    parties[o].links.append(Link(kind=obj_kind, target_name=caption(s),
                                                 target_id=s if s in parties else None, percent=pct))
