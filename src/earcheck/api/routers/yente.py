"""yente-compatible routes: ``POST /match/{dataset}``, ``GET /search/{dataset}``,
``GET /entities/{id}``, ``GET /catalog``, ``GET /algorithms``, ``/healthz``, ``/readyz``.

Shapes follow yente's ``yente/data/common.py`` as parsed by OpenSanctions' ``yente-client``:
each result is a FollowTheMoney-style entity (``id``, ``caption``, ``schema``, ``properties``,
``datasets``, ``referents``, ``target``, ``first_seen``, ``last_seen``, ``last_change``) and,
in ``/match``, ``score``, ``match``, ``features`` and ``explanations``. Datasets: ``default``
(everything loaded) and one per list code in lower case (``el``, ``sdn``, ``dpl``...).
"""
from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from earcheck.models import LIST_NAMES, Party

from ..deps import current_user, workspace
from ..schemas import EntityExample, MatchRequest
from ..state import NoListLoaded, ListView, Workspace, entity_id
from .util import check_name, reject_unknown_params, split_csv

router = APIRouter(tags=["yente-compatible matching"])

ALGORITHM = "earcheck-v1"
ALGORITHM_ALIASES = {ALGORITHM, "best", "default"}
#: yente's (nomenklatura's) algorithm names. earcheck has one matcher: a yente client asking for
#: any of these gets earcheck's, and the answer's ``matcher`` says so (``requested``, ``note``).
YENTE_ALGORITHMS = {"logic-v1", "logic-v2", "name-based", "name-qualified", "name-matcher",
                    "regression-v1", "regression-v2", "regression-v3", "ofac-249",
                    "ofac-249-v1", "erun-v1"}
#: Versions of those families not listed above (``logic-v3``, ``regression-v4``...).
_YENTE_FAMILY = re.compile(r"^(logic|regression|name|erun|ofac)-[a-z0-9-]*$")
SCHEMAS = {"person": "Person", "organization": "Organization", "vessel": "Vessel",
           "aircraft": "Airplane"}
#: query schema -> party kinds it may match (FtM schema compatibility, simplified)
QUERY_KINDS = {
    "Person": {"person"}, "Company": {"organization"}, "Organization": {"organization"},
    "PublicBody": {"organization"}, "LegalEntity": {"person", "organization"},
    "Thing": set(SCHEMAS), "Vessel": {"vessel"}, "Airplane": {"aircraft"},
}
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
MAX_QUERIES = 50
MATCH_PARAMS = {"threshold", "cutoff", "limit", "algorithm", "include_dataset", "exclude_dataset",
                "exclude_schema", "exclude_entity_ids", "topics", "changed_since", "fuzzy"}
SEARCH_PARAMS = {"q", "limit", "offset", "countries", "schema", "include_dataset", "exclude_dataset",
                 "exclude_schema", "topics", "changed_since", "fuzzy", "simple", "facets", "sort",
                 "filter", "datasets"}


def _date_time(day: str | None) -> str | None:
    return f"{day}T00:00:00" if day and len(day) == 10 else None


def ftm_entity(p: Party, view: ListView) -> dict[str, Any]:
    """A party as a FollowTheMoney-style entity dict."""
    props: dict[str, list[str]] = {"name": [p.name]}
    if p.aliases:
        props["alias"] = list(p.aliases)
    countries = sorted({c.lower() for c in [*p.countries, *(a.country for a in p.addresses)] if c})
    if countries:
        props["country"] = countries
    addresses = [a.text for a in p.addresses if a.text]
    if addresses:
        props["address"] = addresses
    if p.programs:
        props["program"] = list(p.programs)
    notes = [n for n in (p.remarks,
                         p.license_requirement and f"License requirement: {p.license_requirement}",
                         p.license_policy and f"License review policy: {p.license_policy}",
                         p.federal_register and f"Federal Register: {p.federal_register}") if n]
    if notes:
        props["notes"] = notes
    if p.source_url:
        props["sourceUrl"] = [p.source_url]
    if p.start_date:
        props["createdAt"] = [p.start_date]
    props["topics"] = ["export.control" if p.list_code in ("EL", "MEU", "UVL", "DPL", "MIEU")
                       else "sanction"]
    return {
        "id": entity_id(p),
        "caption": p.name,
        "schema": SCHEMAS.get(p.kind, "LegalEntity"),
        "properties": props,
        "datasets": [p.list_code.lower()],
        "referents": [],
        "target": True,
        "first_seen": _date_time(p.start_date),
        "last_seen": view.loaded_at,
        "last_change": _date_time(p.start_date),
    }


def _dataset_codes(view: ListView, dataset: str, include: list[str], exclude: list[str]) -> set[str]:
    """List codes searched for a dataset name; 404 for an unknown dataset."""
    known = {c.lower(): c for c in view.list_codes}
    if dataset in ("default", "earcheck", "all"):
        codes = set(known.values())
    elif dataset.lower() in known:
        codes = {known[dataset.lower()]}
    else:
        raise HTTPException(404, f"no dataset {dataset!r}; known: default, {', '.join(sorted(known))}")
    codes |= {known[d.lower()] for d in include if d.lower() in known}
    return codes - {known[d.lower()] for d in exclude if d.lower() in known}


def _explanations(hit: Any, query_name: str) -> tuple[dict[str, float], dict[str, Any]]:
    features: dict[str, float] = {}
    expl: dict[str, Any] = {"name_match": {"score": float(hit.score), "detail": hit.explanation or None,
                                           "query": query_name,
                                           "candidate": getattr(hit, "matched_name", None),
                                           "weight": 1.0}}
    for k, v in (getattr(hit, "features", None) or {}).items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        features[str(k)] = float(v)
        expl.setdefault(str(k), {"score": float(v), "detail": None, "query": None, "candidate": None,
                                 "weight": None})
    features.setdefault("name_match", float(hit.score))
    return features, expl


def _query_names(q: EntityExample) -> list[str]:
    names = [n for p in NAME_PROPS for n in q.values(p) if n.strip()]
    parts = [" ".join(q.values(p)) for p in ("firstName", "middleName", "fatherName", "lastName")]
    full = " ".join(x for x in parts if x.strip())
    if full.strip():
        names.append(full)
    return list(dict.fromkeys(n.strip() for n in names))[:5]


def match_one(ws: Workspace, view: ListView, key: str, q: EntityExample, *, codes: set[str],
              threshold: float, cutoff: float, limit: int, exclude_ids: set[str]) -> dict[str, Any]:
    """Screen one query example; the yente ``EntityMatches`` shape."""
    if q.schema_ not in QUERY_KINDS:
        raise HTTPException(400, f"query {key!r}: schema {q.schema_!r} is not matchable; use one of "
                                 f"{', '.join(sorted(QUERY_KINDS))}")
    names = _query_names(q)
    if not names:
        raise HTTPException(400, f"query {key!r} has no name (properties name, alias, firstName, "
                                 "lastName)")
    for n in names:
        check_name(n, f"query {key!r} name")
    countries = [c.upper() for c in q.values("country") + q.values("jurisdiction") if len(c) == 2]
    address = (q.values("address") or [None])[0]
    kinds = QUERY_KINDS[q.schema_]
    best: dict[str, tuple[float, Any, str]] = {}
    for n in names:
        result = view.screener.screen(n, country=countries[0] if countries else None, address=address,
                                      limit=max(limit * 3, 20))
        for h in result.hits:
            p = h.party
            eid = entity_id(p)
            if p.list_code not in codes or p.kind not in kinds or eid in exclude_ids:
                continue
            if float(h.score) < cutoff:
                continue
            if eid not in best or float(h.score) > best[eid][0]:
                best[eid] = (float(h.score), h, n)
    ranked = sorted(best.values(), key=lambda t: -t[0])
    results = []
    for score, h, n in ranked[:limit]:
        features, expl = _explanations(h, n)
        ent = ftm_entity(h.party, view)
        ent.update(score=round(score, 4), match=score >= threshold, features=features,
                   explanations=expl, token=None)
        results.append(ent)
    query = {"id": q.id, "schema": q.schema_,
             "properties": {k: q.values(k) for k in q.properties if q.values(k)}}
    return {"status": 200, "results": results, "total": {"value": len(ranked), "relation": "eq"},
            "query": query}


@router.post("/match/{dataset}", summary="Match entities by example (yente-compatible)")
def match(dataset: str, body: MatchRequest, request: Request,
          threshold: float = Query(0.7, ge=0.0, le=1.0),
          cutoff: float = Query(0.5, ge=0.0, le=1.0),
          limit: int = Query(5, ge=1, le=500),
          algorithm: str = Query(ALGORITHM),
          ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """yente's ``/match``. Body ``{"queries": {"q1": {"schema": "Company", "properties":
    {"name": ["SMIC"], "country": ["cn"]}}}}``; answer ``{"responses": {"q1": {"results":
    [{"id": "el-...", "caption": ..., "score": 0.97, "match": true, ...}], "total": {"value": 1,
    "relation": "eq"}, "query": {...}, "status": 200}}, "limit": 5}``. Every call is recorded
    in the audit trail."""
    reject_unknown_params(request, MATCH_PARAMS)
    matcher = resolve_algorithm(algorithm)
    if not body.queries:
        raise HTTPException(400, "queries is empty")
    if len(body.queries) > MAX_QUERIES:
        raise HTTPException(400, f"too many queries ({len(body.queries)}; at most {MAX_QUERIES})")
    qp = request.query_params
    view = ws.view
    if not view.parties:
        raise NoListLoaded("no restricted-party list is loaded")
    codes = _dataset_codes(view, dataset, qp.getlist("include_dataset"), qp.getlist("exclude_dataset"))
    exclude_ids = set(qp.getlist("exclude_entity_ids"))
    responses = {k: match_one(ws, view, k, q, codes=codes, threshold=threshold, cutoff=cutoff,
                              limit=limit, exclude_ids=exclude_ids)
                 for k, q in body.queries.items()}
    user = current_user(request)
    ws.review.audit(user=user.name, action="screening",
                    inputs={"route": f"/match/{dataset}",
                            "queries": {k: q.model_dump(by_alias=True) for k, q in body.queries.items()}},
                    snapshot=view.checksum,
                    result={k: [(r["id"], r["score"]) for r in v["results"]] for k, v in responses.items()})
    return {"responses": responses, "limit": limit, "matcher": matcher}


def resolve_algorithm(algorithm: str) -> dict[str, Any]:
    """The ``matcher`` block of a /match answer for the requested algorithm name.

    earcheck's own name, ``best`` and ``default`` are its matcher; yente's algorithm names
    (``logic-v2``, ``regression-v1``, ``name-based``...) are mapped to it and the answer says so;
    anything else is not an algorithm: 400."""
    out = {"name": ALGORITHM, "description": "earcheck name screening", "features": {},
           "requested": algorithm}
    if algorithm in ALGORITHM_ALIASES:
        return out
    if algorithm in YENTE_ALGORITHMS or _YENTE_FAMILY.match(algorithm):
        out["note"] = (f"earcheck has one matcher: yente's algorithm {algorithm!r} was mapped to "
                       f"{ALGORITHM}")
        return out
    raise HTTPException(400, f"unknown algorithm {algorithm!r}; use {ALGORITHM}, best, or one of "
                             f"yente's ({', '.join(sorted(YENTE_ALGORITHMS))}), all answered by "
                             f"{ALGORITHM}")


@router.get("/search/{dataset}", summary="Search entities by name (yente-compatible)")
def search(dataset: str, request: Request, q: str = Query("", max_length=1000),
           limit: int = Query(10, ge=0, le=500), offset: int = Query(0, ge=0, le=10_000),
           ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """yente's ``/search``: entities whose names match ``q``, best first."""
    reject_unknown_params(request, SEARCH_PARAMS)
    qp = request.query_params
    view = ws.view
    codes = _dataset_codes(view, dataset, qp.getlist("include_dataset"), qp.getlist("exclude_dataset"))
    countries = {c.lower() for v in qp.getlist("countries") for c in split_csv(v)}
    schema = qp.get("schema")
    if q.strip():
        parties = text_search(view, check_name(q, "q"))
    else:
        parties = list(view.parties)
    kept = []
    for p in parties:
        if p.list_code not in codes:
            continue
        if countries and not countries & {c.lower() for c in
                                          [*p.countries, *(a.country for a in p.addresses)] if c}:
            continue
        if schema and SCHEMAS.get(p.kind, "LegalEntity") != schema:
            continue
        kept.append(p)
    ents = [ftm_entity(p, view) for p in kept[offset:offset + limit]]
    return {"results": ents, "facets": {},
            "total": {"value": len(kept), "relation": "eq"}, "limit": limit, "offset": offset}


#: Most parties a text search considers (before the dataset, country and schema filters).
SEARCH_MAX = 500


def text_search(view: ListView, q: str) -> list[Party]:
    """yente's ``/search`` is a text search: the screener's name matches (best first), then every
    party one of whose names contains all the words of ``q`` (``Putin`` finds ``PUTIN, Vladimir
    Vladimirovich``), the names with fewest other words first."""
    from .util import tokens

    hits = [h.party for h in view.screener.screen(q, limit=200).hits]
    words = frozenset(tokens(q))
    seen = {id(p) for p in hits}
    extra: list[tuple[int, int, Party]] = []
    if words:
        for i, (p, names) in enumerate(zip(view.parties, view.name_tokens)):
            if id(p) in seen:
                continue
            sizes = [len(n) for n in names if words <= n]
            if sizes:
                extra.append((min(sizes), i, p))
    extra.sort(key=lambda t: t[:2])
    return (hits + [p for _, _, p in extra])[:SEARCH_MAX]


@router.get("/entities/{entity_id}", summary="Fetch one entity (yente-compatible)")
def entity(entity_id: str, nested: bool = True, ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """One list entry as a FollowTheMoney-style entity; 404 when unknown."""
    view = ws.view
    p = view.by_id.get(entity_id)
    if p is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return ftm_entity(p, view)


@router.get("/catalog", summary="Datasets loaded (yente-compatible)")
def catalog(ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    view = ws.view
    counts: dict[str, int] = {}
    for p in view.parties:
        counts[p.list_code] = counts.get(p.list_code, 0) + 1
    newest = max((s.loaded_at for s in view.snapshots), default=None)
    version = view.version
    datasets = [{"name": "default", "title": "All lists loaded in earcheck", "load": True,
                 "children": sorted(c.lower() for c in counts), "entity_count": len(view.parties),
                 "updated_at": newest, "version": version, "index_version": version,
                 "index_current": True}]
    for code, n in sorted(counts.items()):
        datasets.append({"name": code.lower(), "title": LIST_NAMES.get(code, code), "load": True,
                         "entity_count": n, "updated_at": newest, "version": version,
                         "index_version": version, "index_current": True})
    names = [d["name"] for d in datasets]
    return {"datasets": datasets, "current": names, "outdated": [], "index_stale": False}


@router.get("/algorithms", summary="Matching algorithms (yente-compatible)")
def algorithms() -> dict[str, Any]:
    return {"algorithms": [{"name": ALGORITHM, "description":
                            "earcheck's name screening: normalised names and aliases, "
                            "transliteration, country and address agreement; yente's algorithm "
                            f"names ({', '.join(sorted(YENTE_ALGORITHMS))}) are accepted and "
                            "answered by it", "docs": {}}],
            "default": ALGORITHM, "best": ALGORITHM}


@router.get("/healthz", summary="Liveness")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: lists loaded")
def readyz(ws: Workspace = Depends(workspace)) -> dict[str, str]:
    if not ws.view.parties:
        raise HTTPException(503, "no list loaded")
    return {"status": "ok"}
