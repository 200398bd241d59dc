"""``GET /consolidated_screening_list/v1/search``: the trade.gov CSL API v1 search.

Same parameters (``name``, ``fuzzy_name``, ``sources``, ``types``, ``countries``, ``address``,
``size``, ``offset``, plus ``q``) and the same response (``total``, ``offset``, ``results``
with the CSL field names, ``sources_used``, ``search_performed_at``) as
https://developer.trade.gov/ (Consolidated Screening List API v1), so an existing CSL
client changes only its host. With ``fuzzy_name=true`` each result carries a ``score``
(0-100) from earcheck's matcher.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from earcheck.models import LIST_NAMES, Party

from ..deps import current_user, workspace
from ..state import NoListLoaded, Workspace
from .util import check_name, reject_unknown_params, split_csv, tokens

router = APIRouter(tags=["Consolidated Screening List API v1"])

TYPES = {"person": "Individual", "organization": "Entity", "vessel": "Vessel", "aircraft": "Aircraft"}
#: CSL ``sources`` abbreviations -> earcheck list codes (CSL uses ``CAP`` / ``MBS`` spellings).
SOURCE_ALIASES = {"CAPTA": "CAP", "MBS": "NS-MBS", "NS_MBS": "NS-MBS"}
PARAMS = {"name", "fuzzy_name", "sources", "types", "countries", "address", "size", "offset", "q",
          "api_key", "subscription-key"}
MAX_SIZE = 100
_EXTRA_FIELDS = ("entity_number", "title", "standard_order", "call_sign", "vessel_type",
                 "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner")
_EXTRA_LISTS = ("citizenships", "dates_of_birth", "nationalities", "places_of_birth", "ids")


def _id_object(value: Any) -> dict[str, Any]:
    """An identifier as the API's object; the CSV packs it as ``"number, type[, country]"``."""
    if isinstance(value, dict):
        return value
    parts = [x.strip() for x in str(value).split(", ")]
    return {"type": parts[1] if len(parts) > 1 else None, "number": parts[0],
            "country": parts[2] if len(parts) > 2 else None, "issue_date": None,
            "expiration_date": None}


def csl_result(p: Party, score: float | None = None) -> dict[str, Any]:
    """One party in the CSL API v1 result shape."""
    extra = p.extra or {}
    out: dict[str, Any] = {
        "id": p.id,
        "source": p.list_name,
        "type": TYPES.get(p.kind, "Entity"),
        "programs": list(p.programs),
        "name": p.name,
        "addresses": [{"address": a.street or a.text or None, "city": a.city, "state": a.state,
                       "postal_code": a.postal_code, "country": a.country} for a in p.addresses],
        "federal_register_notice": p.federal_register,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "license_requirement": p.license_requirement,
        "license_policy": p.license_policy,
        "remarks": p.remarks,
        "source_list_url": p.source_url,
        "source_information_url": extra.get("source_information_url"),
        "alt_names": list(p.aliases),
    }
    for f in _EXTRA_FIELDS:
        out[f] = extra.get(f)
    for f in _EXTRA_LISTS:
        v = extra.get(f)
        out[f] = v if isinstance(v, list) else ([v] if v else [])
    out["ids"] = [_id_object(i) for i in out["ids"]]
    if score is not None:
        out["score"] = round(score * 100, 1)
    return out


def _filters(sources: list[str], types: list[str], countries: list[str], address: str | None,
             view: Any):
    codes = {SOURCE_ALIASES.get(s.upper(), s.upper()) for s in sources}
    want_types = {t.casefold() for t in types}
    ccs = {c.upper() for c in countries}
    addr_tokens = frozenset(tokens(address)) if address else frozenset()
    index = ({(p.list_code, p.id): i for i, p in enumerate(view.parties)} if addr_tokens else {})

    def address_tokens(p: Party) -> frozenset[str]:
        i = index.get((p.list_code, p.id))
        if i is not None:
            return view.address_tokens[i]
        return frozenset(tokens(" ".join(f"{a.text} {a.street or ''} {a.city or ''} {a.state or ''} "
                                         f"{a.postal_code or ''}" for a in p.addresses)))

    def keep(p: Party) -> bool:
        if codes and p.list_code.upper() not in codes:
            return False
        if want_types and TYPES.get(p.kind, "Entity").casefold() not in want_types:
            return False
        if ccs and not (ccs & ({a.country for a in p.addresses if a.country} | set(p.countries))):
            return False
        if addr_tokens and not addr_tokens <= address_tokens(p):
            return False
        return True
    return keep


@router.get("/consolidated_screening_list/v1/search",
            summary="Search the Consolidated Screening List (trade.gov CSL API v1 compatible)")
def csl_search(
    request: Request,
    name: str | None = Query(None, description="Name or alias to search for", examples=["SMIC"]),
    fuzzy_name: bool = Query(False, description="Fuzzy name matching; adds a 0-100 score"),
    sources: str | None = Query(None, description="Comma-separated list codes, e.g. EL,SDN"),
    types: str | None = Query(None, description="Comma-separated: Individual,Entity,Vessel,Aircraft"),
    countries: str | None = Query(None, description="Comma-separated ISO-2 codes of addresses"),
    address: str | None = Query(None, description="Words that must appear in an address"),
    q: str | None = Query(None, description="Keywords searched in names, remarks and programs"),
    size: int = Query(10, ge=1, le=MAX_SIZE),
    offset: int = Query(0, ge=0, le=100_000),
    ws: Workspace = Depends(workspace),
) -> dict[str, Any]:
    """CSL API v1 search. Example: ``?name=SMIC&fuzzy_name=true&sources=EL`` returns
    ``{"total": 1, "results": [{"name": "Semiconductor Manufacturing International Corporation",
    "source": "Entity List (EL) - Bureau of Industry and Security", "license_policy": ...,
    "score": 100.0, ...}]}``."""
    reject_unknown_params(request, PARAMS)
    view = ws.view
    if not view.parties:
        raise NoListLoaded("no restricted-party list is loaded")
    src, typ, ccs = split_csv(sources), split_csv(types), split_csv(countries)
    bad_types = [t for t in typ if t.casefold() not in {v.casefold() for v in TYPES.values()}]
    if bad_types:
        raise HTTPException(400, f"unknown type(s): {', '.join(bad_types)}; "
                                 "use Individual, Entity, Vessel or Aircraft")
    bad_cc = [c for c in ccs if len(c) != 2 or not c.isalpha()]
    if bad_cc:
        raise HTTPException(400, f"countries must be ISO-2 codes, not: {', '.join(bad_cc)}")
    known = set(LIST_NAMES) | set(SOURCE_ALIASES)
    bad_src = [x for x in src if x.upper() not in known]
    if bad_src:
        raise HTTPException(400, f"unknown source(s): {', '.join(bad_src)}; use list codes such as "
                                 "EL, MEU, DPL, UVL, SDN, SSI, FSE, CAP, CMIC, MBS, PLC, ISN, DTC")
    keep = _filters(src, typ, ccs, address, view)
    scored: list[tuple[Party, float | None]]
    if name is not None and fuzzy_name:
        name = check_name(name)
        result = view.screener.screen(name, limit=max(200, offset + size))
        best: dict[tuple[str, str], tuple[Party, float]] = {}
        for h in result.hits:
            if keep(h.party):
                best.setdefault((h.party.list_code, h.party.id), (h.party, float(h.score)))
        scored = list(best.values())
    else:
        want = tokens(check_name(name)) if name is not None else []
        kw = tokens(q) if q else []
        scored = []
        want_set = frozenset(want)
        kw_set = frozenset(kw)
        for i, p in enumerate(view.parties):
            if want and not any(want_set <= t for t in view.name_tokens[i]):
                continue
            if kw and not kw_set <= view.text_tokens[i]:
                continue
            if not keep(p):
                continue
            scored.append((p, None))
    page = scored[offset:offset + size]
    if name is not None:
        ws.review.audit(user=current_user(request).name, action="screening",
                        inputs={"route": "/consolidated_screening_list/v1/search",
                                **{k: v for k, v in request.query_params.items() if k not in ("api_key", "subscription-key")}},
                        snapshot=view.checksum, result={"total": len(scored),
                                                        "top": [(p.list_code, p.id, s) for p, s in page[:5]]})
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return {
        "total": len(scored),
        "offset": offset,
        "sources": sorted({p.list_name for p, _ in page}),
        "results": [csl_result(p, s) for p, s in page],
        "search_performed_at": now,
        "sources_used": [{"source": s.dataset, "source_last_updated": s.published or s.loaded_at,
                          "last_imported": s.loaded_at, "checksum": s.checksum}
                         for s in view.snapshots],
    }
