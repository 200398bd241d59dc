"""trade.gov Consolidated Screening List (CSL): CSV (29 or 28 columns) and JSON.

Source: https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv
(formerly https://api.trade.gov/static/consolidated_screening_list/consolidated.csv) and its
JSON form (``{"results": [...]}`` or a bare list, same field names, lists instead of ``; ``
strings, ``addresses`` as objects).

Quirks handled (see tests/lists/test_csl.py for the real rows behind each):

* multi-valued cells joined by ``; `` and ``; and ``; several addresses in one cell;
* names such as ``Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Beijing Huawei
  Longshine ...``: the listed party is the affiliate, linked to its parent (:mod:`.affiliates`);
* one party repeated on several rows (one per address or country): merged into one Party whose
  id is the smallest ``_id`` of the group and whose ``source_ids`` hold all of them;
* the older layout without ``_id``: the entity number, else a stable hash of list + name;
* stray whitespace, mis-encoded characters, empty names (skipped with a warning).
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any, Iterable

from earcheck.lists.affiliates import (
    linked_to,
    paren_aliases,
    resolve_links,
    split_affiliate,
    split_inline_aka,
)
from earcheck.lists.common import (
    clean,
    country_code,
    fail,
    iso_date,
    name_key,
    none_if_empty,
    parse_address,
    repair_question_marks,
    split_addresses,
    split_citations,
    split_multi,
    stable_id,
    uniq,
)
from earcheck.lists.kinds import guess_kind
from earcheck.lists.sources import list_code_for
from earcheck.models import Address, Party

#: The 29 columns of the current layout; the pre-2020 layout lacks ``_id``.
CSL_COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
)
REQUIRED = ("name", "source")
VESSEL_FIELDS = ("call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
                 "vessel_flag", "vessel_owner")

csv.field_size_limit(10_000_000)


# --------------------------------------------------------------------------- CSV


def read_csv_rows(text: str, source: object) -> tuple[list[dict[str, str]], list[str]]:
    """Rows of a CSL CSV as dicts of cleaned, non-empty cells. A truncated file (open quote,
    short last row) is an error."""
    warnings: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise fail(source, "empty file")
        header = [clean(h).lstrip("\ufeff").lower() for h in header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise fail(source, f"not a CSL CSV: missing required column(s) {', '.join(missing)}")
        width = len(header)
        rows: list[dict[str, str]] = []
        last: list[str] | None = None
        last_line = 0
        for fields in reader:
            if not fields or (len(fields) == 1 and fields[0].strip("\x1a \t") == ""):
                continue  # blank line or Ctrl-Z end-of-file marker
            if last is not None:
                _check_width(last, width, last_line, source, warnings, rows, header)
            last, last_line = fields, reader.line_num
        if last is not None:
            if len(last) != width:
                raise fail(source, f"truncated or malformed last row (line {last_line}: "
                                   f"{len(last)} of {width} columns)")
            _check_width(last, width, last_line, source, warnings, rows, header)
    except csv.Error as exc:
        if "end of data" in str(exc) or "EOF" in str(exc):
            raise fail(source, f"truncated file: unterminated quoted field (line {reader.line_num})") from None
        raise fail(source, f"malformed CSV at line {reader.line_num}: {exc}") from None
    return rows, warnings


def _check_width(fields, width, line, source, warnings, rows, header) -> None:
    if len(fields) != width:
        warnings.append(f"{source}: line {line}: {len(fields)} columns instead of {width}; row skipped")
        return
    rows.append({h: clean(v) for h, v in zip(header, fields) if v})


def parse_csv_text(text: str, source: object) -> tuple[list[Party], list[str]]:
    rows, warnings = read_csv_rows(text, source)
    return build_parties(rows, source, warnings, cleaned=True), warnings


# --------------------------------------------------------------------------- JSON


def json_rows(obj: Any, source: object) -> list[dict[str, Any]]:
    """The records of the CSL JSON: ``{"results": [...]}`` (API/bulk) or a bare list."""
    if isinstance(obj, dict):
        for key in ("results", "entries", "data"):
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
        else:
            raise fail(source, "not a CSL JSON: no 'results' list")
    if not isinstance(obj, list):
        raise fail(source, "not a CSL JSON: expected a list of records")
    rows = [r for r in obj if isinstance(r, dict)]
    if obj and not rows:
        raise fail(source, "not a CSL JSON: records are not objects")
    if rows and not any("name" in r and "source" in r for r in rows[:50]):
        raise fail(source, "not a CSL JSON: records lack 'name' and 'source'")
    return rows


# --------------------------------------------------------------------------- rows -> parties


def _text(row: dict, key: str) -> str:
    """A cell as one cleaned string (lists joined with ``; ``)."""
    v = row.get(key)
    if not v:
        return ""
    if isinstance(v, str):
        return v  # cleaned once in build_parties
    if isinstance(v, list):
        return "; ".join(clean(x) for x in v if isinstance(x, (str, int, float)) and clean(x))
    if isinstance(v, dict):
        return ""
    return clean(v)


def _list(row: dict, key: str) -> list[str]:
    v = row.get(key)
    if not v:
        return []
    if isinstance(v, list):
        out: list[str] = []
        for x in v:
            if isinstance(x, (str, int, float)):
                out.extend(split_multi(x) if isinstance(x, str) and "; " in x else [clean(x)])
        return uniq(out)
    if isinstance(v, (str, int, float)):
        return split_multi(v)
    return []


def _addresses(row: dict) -> list[Address]:
    v = row.get("addresses")
    if isinstance(v, list):
        out = []
        for a in v:
            if isinstance(a, str):
                out.extend(split_addresses(a))
            elif isinstance(a, dict):
                parts = [clean(a.get(k)) for k in ("address", "city", "state", "postal_code", "country")]
                text = ", ".join(p for p in parts if p)
                if not text:
                    continue
                out.append(Address(
                    text=text,
                    street=none_if_empty(a.get("address")),
                    city=none_if_empty(a.get("city")),
                    state=none_if_empty(a.get("state")),
                    postal_code=none_if_empty(a.get("postal_code")),
                    country=country_code(clean(a.get("country"))),
                ))
        return out
    if isinstance(v, str):
        return split_addresses(v)
    return []


def _ids(row: dict) -> list:
    v = row.get("ids")
    if not v:
        return []
    if isinstance(v, list):
        return [x if isinstance(x, dict) else clean(x) for x in v if x]
    return split_multi(v) if isinstance(v, str) else []


def row_to_party(row: dict, source: object, index: int, warnings: list[str]) -> Party | None:
    """One CSL record into a Party (before merging); ``None`` (with a warning) if unusable."""
    src = _text(row, "source")
    raw_name = _text(row, "name").strip(" ,;")
    where = f"{source}: record {index + 1}"
    if not raw_name:
        warnings.append(f"{where}: empty name; skipped")
        return None
    if not src:
        warnings.append(f"{where}: empty source for {raw_name!r}; skipped")
        return None
    code = list_code_for(src)
    if code is None:
        warnings.append(f"{where}: unknown source {src!r}; list code taken from the text")
        code = src
    fr = _text(row, "federal_register_notice") or None
    name, link = split_affiliate(repair_question_marks(raw_name))
    name, inline = split_inline_aka(name)
    if not name:
        warnings.append(f"{where}: empty name; skipped")
        return None
    # Publisher id; else OFAC entity number; else a hash of list + name, which stays the same
    # when the entry is amended (new FR citation, address) so that diffs can follow it.
    rid = (_text(row, "_id") or _text(row, "id") or _text(row, "entity_number")
           or stable_id(code, name_key(name)))
    aliases = uniq(a for a in inline + [repair_question_marks(x) for x in _list(row, "alt_names")] if a != name)
    aliases = uniq(aliases + [a for a in paren_aliases(name) if a not in aliases])
    addresses = _addresses(row)
    citizenships = [country_code(c) or c for c in _list(row, "citizenships")]
    nationalities = [country_code(c) or c for c in _list(row, "nationalities")]
    countries = uniq([a.country for a in addresses] + [c for c in citizenships + nationalities
                                                       if len(c) == 2 and c.isupper()])
    title = _text(row, "title")
    dobs = _list(row, "dates_of_birth")
    extra: dict[str, Any] = {}
    if title:
        extra["title"] = title
    for key, val in (("dates_of_birth", dobs), ("places_of_birth", _list(row, "places_of_birth")),
                     ("nationalities", nationalities), ("citizenships", citizenships),
                     ("ids", _ids(row))):
        if val:
            extra[key] = val
    for key in VESSEL_FIELDS + ("standard_order", "entity_number", "source_information_url"):
        val = _text(row, key)
        if val:
            extra[key] = val
    if link is not None:
        extra["listed_as"] = raw_name
    return Party(
        id=rid,
        list_code=code,
        name=name,
        kind=guess_kind(name, code, _text(row, "type"), has_person_data=bool(title or dobs)),
        aliases=aliases,
        addresses=addresses,
        countries=countries,
        programs=_list(row, "programs"),
        federal_register=fr,
        start_date=iso_date(row.get("start_date")),
        end_date=iso_date(row.get("end_date")),
        license_requirement=_text(row, "license_requirement") or None,
        license_policy=_text(row, "license_policy") or None,
        remarks=_text(row, "remarks") or None,
        source_url=_text(row, "source_list_url") or _text(row, "source_information_url") or None,
        links=([link] if link else []) + linked_to(_text(row, "remarks")),
        extra=extra,
    )


def _group_key(p: Party) -> tuple[str, str]:
    num = p.extra.get("entity_number")
    if num:
        return (p.list_code, "e:" + num)
    return (p.list_code, "n:" + name_key(p.name))


_CITE = re.compile(r"(\d+)\s*F\.?\s?R\.?\s*(\d+)")


def _citation_order(c: str) -> tuple[int, int, str]:
    m = _CITE.search(c)
    return (int(m[1]), int(m[2]), c) if m else (10**6, 0, c)


def merge_group(group: list[Party]) -> Party:
    """Rows of one party (one per address or country) into one Party: id = smallest id."""
    if len(group) == 1:
        return group[0]
    group = sorted(group, key=lambda p: p.id)
    first = group[0]
    merged = Party(**{**first.__dict__})
    merged.source_ids = uniq(i for p in group for i in p.source_ids)
    merged.aliases = uniq(a for p in group for a in p.aliases if a != first.name)
    seen_addr: dict[str, Address] = {}
    for p in group:
        for a in p.addresses:
            seen_addr.setdefault(a.text.casefold(), a)
    merged.addresses = list(seen_addr.values())
    merged.countries = uniq(c for p in group for c in p.countries)
    merged.programs = uniq(x for p in group for x in p.programs)
    frs = uniq(p.federal_register for p in group if p.federal_register)
    if len(frs) > 1:
        frs = sorted(uniq(c for f in frs for c in split_citations(f)), key=_citation_order)
    merged.federal_register = "; ".join(frs) or None
    starts = [p.start_date for p in group if p.start_date]
    merged.start_date = min(starts) if starts else None
    ends = [p.end_date for p in group]
    merged.end_date = None if any(e is None for e in ends) else max(ends)  # type: ignore[type-var]
    for attr in ("license_requirement", "license_policy", "remarks", "source_url"):
        if getattr(merged, attr) is None:
            setattr(merged, attr, next((getattr(p, attr) for p in group if getattr(p, attr)), None))
    links = {}
    for p in group:
        for link in p.links:
            links.setdefault((link.kind, link.target_name), link)
    merged.links = list(links.values())
    extra: dict[str, Any] = {}
    for p in group:
        for k, v in p.extra.items():
            if isinstance(v, list):
                cur = extra.setdefault(k, [])
                cur.extend(x for x in v if x not in cur)
            else:
                extra.setdefault(k, v)
    merged.extra = extra
    if first.kind != "person" and any(p.kind == "person" for p in group):
        merged.kind = next(p.kind for p in group if p.kind != "organization")
    return merged


def dedupe_ids(parties: list[Party]) -> None:
    """Make ids unique in one file: SDN rows and other OFAC lists (CAP, SSI) share ent_nums.

    The SDN party (else the first) keeps the publisher's id; the others get ``<id>-<LIST>``.
    ``source_ids`` keep the publisher's ids either way.
    """
    by_id: dict[str, list[Party]] = {}
    for p in parties:
        by_id.setdefault(p.id, []).append(p)
    for pid, ps in by_id.items():
        if len(ps) < 2:
            continue
        keeper = next((p for p in ps if p.list_code == "SDN"), ps[0])
        n = 0
        for p in ps:
            if p is keeper:
                continue
            new = f"{pid}-{p.list_code}"
            while new in by_id:
                n += 1
                new = f"{pid}-{p.list_code}-{n}"
            p.id = new


def build_parties(rows: Iterable[dict], source: object, warnings: list[str],
                  cleaned: bool = False) -> list[Party]:
    """CSL records into merged, linked parties with unique ids (shared by CSV, JSON, compact).

    ``cleaned``: the rows' strings are already cleaned and empty values dropped (CSV reader).
    """
    groups: dict[tuple[str, str], list[Party]] = {}
    for i, row in enumerate(rows):
        if not cleaned:
            row = {k: (clean(v) if isinstance(v, str) else v) for k, v in row.items() if v}
        p = row_to_party(row, source, i, warnings)
        if p is not None:
            groups.setdefault(_group_key(p), []).append(p)
    parties = [merge_group(g) for g in groups.values()]
    parties.sort(key=lambda p: (p.list_code, p.id))
    dedupe_ids(parties)
    resolve_links(parties)
    return parties


def published_from(parties: list[Party]) -> str | None:
    """A lower bound of the as-of date of a CSL file that states none: its latest start date."""
    today = date.today().isoformat()
    dates = [p.start_date for p in parties if p.start_date and p.start_date <= today]
    return max(dates) if dates else None


def looks_like_csl_header(first_line: str) -> bool:
    cols = {c.strip().strip('"').lstrip("\ufeff").lower() for c in first_line.split(",")}
    return {"name", "source"} <= cols and len(cols & set(CSL_COLUMNS)) >= 5


__all__ = ["CSL_COLUMNS", "build_parties", "json_rows", "parse_csv_text",
           "published_from", "looks_like_csl_header", "read_csv_rows"]
