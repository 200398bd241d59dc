"""OFAC SDN legacy CSV: ``sdn.csv`` alone, or joined with ``add.csv`` and ``alt.csv`` on ent_num.

Format (OFAC ``dat_spec.txt``): no header row, ``-0-`` (often ``-0- ``) means empty, the file may
end with a Ctrl-Z (0x1A) line. Columns:

* sdn.csv: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
  Vess_flag, Vess_owner, Remarks
* add.csv: ent_num, Add_num, Address, City/State/Postal, Country, Add_remarks
* alt.csv: ent_num, alt_num, alt_type (aka/fka/nka), alt_name, alt_remarks

``sdn.csv`` alone has no alias file: aliases are taken from the Remarks text
(``a.k.a. 'X'; a.k.a. 'Y'``, also ``f.k.a.``/``n.k.a.``), as are dates/places of birth,
nationality and citizenship. Source: https://www.treasury.gov/ofac/downloads/sdn.csv
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from earcheck.lists.affiliates import linked_to, resolve_links
from earcheck.lists.common import clean, country_code, fail, iso_date, uniq
from earcheck.models import Address, Party

SDN_COLUMNS = ("ent_num", "name", "type", "program", "title", "call_sign", "vessel_type",
               "tonnage", "grt", "vessel_flag", "vessel_owner", "remarks")
WIDTHS = {"sdn.csv": 12, "add.csv": 6, "alt.csv": 5}
KINDS = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
SOURCE_URL = "https://sanctionssearch.ofac.treas.gov/"

# a quoted name ends at a quote followed by ; . ( ) or the end: names may hold apostrophes
# ("a.k.a. 'ABU-'UMAR'.", "a.k.a. ''ABD-AL-'IZ'; a.k.a. 'ABU YASIR'.")
_AKA = re.compile(r"\b[afn]\.k\.a\.,?\s*'(.+?)'(?=\s*(?:[;.)(]|$))", re.I)
_PROGRAM_SPLIT = re.compile(r"\]\s*\[")
_FIELD = re.compile(r"^(DOB|POB|nationality|citizen|Gender|Passport|National ID No\.)\s+(.+)$", re.I)


def sniff_ofac(first_line: str) -> str | None:
    """Which OFAC file a first data line belongs to: ``sdn``, ``add``, ``alt`` or ``None``."""
    try:
        fields = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return None
    if not fields or not fields[0].strip().lstrip("-").isdigit():
        return None
    n = len(fields)
    if n == 12:
        return "sdn"
    if n == 5 and fields[2].strip().lower() in ("aka", "fka", "nka"):
        return "alt"
    if n == 6:
        return "add"
    return None


def _null(v: str) -> str:
    v = clean(v)
    return "" if v == "-0-" else v


def read_rows(text: str, name: str, path: object) -> list[list[str]]:
    """Rows of one OFAC CSV; a short or open-quoted last row (truncated download) is an error."""
    width = WIDTHS[name]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for fields in reader:
            if not fields or (len(fields) == 1 and fields[0].strip("\x1a \t") == ""):
                continue
            rows.append(fields)
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise fail(path, f"truncated file: unterminated quoted field (line {reader.line_num})") from None
        raise fail(path, f"malformed CSV at line {reader.line_num}: {exc}") from None
    if not rows:
        raise fail(path, "empty file")
    if not rows[0][0].strip().lstrip("-").isdigit() or len(rows[0]) != width:
        raise fail(path, f"not an OFAC {name}: first row is not {width} fields starting with an entity number")
    if len(rows[-1]) != width:
        raise fail(path, f"truncated or malformed last row ({len(rows[-1])} of {width} columns)")
    return rows


def remarks_facts(remarks: str) -> tuple[list[str], dict[str, list[str]]]:
    """Aliases and person facts from an SDN Remarks text."""
    aliases = [m.group(1).strip() for m in _AKA.finditer(remarks)] if "k.a." in remarks else []
    facts: dict[str, list[str]] = {}
    if any(k in remarks for k in ("DOB", "POB", "nationality", "citizen", "Passport", "Gender")):
        for part in remarks.split(";"):
            m = _FIELD.match(part.strip().rstrip("."))
            if m:
                key = {"dob": "dates_of_birth", "pob": "places_of_birth", "nationality": "nationalities",
                       "citizen": "citizenships", "gender": "gender", "passport": "ids",
                       "national id no.": "ids"}[m.group(1).lower()]
                val = m.group(2).strip()
                if key == "ids":
                    val = f"{m.group(1)} {val}"
                facts.setdefault(key, []).append(val)
    return uniq(aliases), facts


def _address(fields: list[str]) -> Address | None:
    street, csp, country, remark = (_null(f) for f in fields[2:6])
    text = ", ".join(p for p in (street, csp, country) if p)
    if not text:
        return None
    city, postal = csp or None, None
    if csp:
        m = re.match(r"^(.*?)[ ,]+([A-Z]{0,3}[- ]?\d[\dA-Z -]{2,9})$", csp)
        if m and m.group(1):
            city, postal = m.group(1).strip(" ,"), m.group(2).strip()
    cc = country_code(country) if country and country.lower() != "undetermined" else None
    return Address(text=text, street=street or None, city=city, postal_code=postal, country=cc)


def parse_sdn(files: dict[str, tuple[Path, str]]) -> tuple[list[Party], list[str]]:
    """Parties from ``{"sdn.csv": (path, text), ["add.csv": ..., "alt.csv": ...]}``."""
    warnings: list[str] = []
    sdn_path, sdn_text = files["sdn.csv"]
    parties: dict[str, Party] = {}
    for fields in read_rows(sdn_text, "sdn.csv", sdn_path):
        if len(fields) != 12:
            warnings.append(f"{sdn_path}: ent_num {fields[0]}: {len(fields)} columns instead of 12; skipped")
            continue
        row = dict(zip(SDN_COLUMNS, (_null(f) for f in fields)))
        ent = row["ent_num"]
        if not row["name"]:
            warnings.append(f"{sdn_path}: ent_num {ent}: empty name; skipped")
            continue
        if ent in parties:  # a real quirk (2022-01-31 sdn.csv, 2677): keep both, never drop a party
            n = 2
            while f"{ent}-{n}" in parties:
                n += 1
            warnings.append(f"{sdn_path}: ent_num {ent} repeated ({row['name']!r}); kept as {ent}-{n}")
            ent = f"{ent}-{n}"
        remarks = row["remarks"]
        aliases, facts = remarks_facts(remarks)
        extra: dict = {}
        if row["title"]:
            extra["title"] = row["title"]
        for key in ("call_sign", "vessel_type", "vessel_flag", "vessel_owner"):
            if row[key]:
                extra[key] = row[key]
        if row["tonnage"]:
            extra["gross_tonnage"] = row["tonnage"]
        if row["grt"]:
            extra["gross_registered_tonnage"] = row["grt"]
        extra.update(facts)
        dobs = [d for d in (iso_date(x) for x in facts.get("dates_of_birth", [])) if d]
        if dobs:
            extra["dates_of_birth_iso"] = dobs
        nat = [country_code(x) for x in facts.get("nationalities", []) + facts.get("citizenships", [])]
        parties[ent] = Party(
            id=ent,
            list_code="SDN",
            name=row["name"],
            kind=KINDS.get(row["type"].lower(), "organization"),
            aliases=[a for a in aliases if a != row["name"]],
            countries=uniq(nat),
            programs=[p.strip("[] ") for p in _PROGRAM_SPLIT.split(row["program"]) if p.strip("[] ")],
            remarks=remarks or None,
            links=linked_to(remarks),
            source_url=SOURCE_URL,
            extra=extra,
        )
    if "alt.csv" in files:
        path, text = files["alt.csv"]
        for fields in read_rows(text, "alt.csv", path):
            if len(fields) != 5:
                continue
            ent, _num, typ, name, remark = (_null(f) for f in fields)
            p = parties.get(ent)
            if p is None:
                warnings.append(f"{path}: alias for unknown ent_num {ent}; ignored")
                continue
            if name and name != p.name and name not in p.aliases:
                p.aliases.append(name)
            if typ and typ.lower() != "aka":
                p.extra.setdefault("former_names" if typ.lower() == "fka" else "new_names", []).append(name)
    if "add.csv" in files:
        path, text = files["add.csv"]
        for fields in read_rows(text, "add.csv", path):
            if len(fields) != 6:
                continue
            ent = _null(fields[0])
            p = parties.get(ent)
            if p is None:
                warnings.append(f"{path}: address for unknown ent_num {ent}; ignored")
                continue
            addr = _address(fields)
            if addr is not None:
                p.addresses.append(addr)
                if addr.country and addr.country not in p.countries:
                    p.countries.append(addr.country)
    resolve_links(list(parties.values()))
    return sorted(parties.values(), key=lambda p: (int(p.id.split("-")[0]) if p.id.split("-")[0].isdigit() else 0, p.id)), warnings
