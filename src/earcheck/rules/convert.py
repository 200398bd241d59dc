"""Convert the official eCFR tables (JSON transcriptions) into earcheck's dated YAML.

Run once by a maintainer, never at runtime::

    python -m earcheck.rules.convert /work/shared/data/ear

It writes ``data/part_738/country_chart.yaml`` and ``data/part_740/country_groups.yaml``
(keyed by ISO-2 code, each value dated and cited). The JSON inputs are transcriptions of
Supp. No. 1 to Part 738 and Supp. No. 1 to Part 740 from the eCFR of 2026-07-23. Dated
changes that the 2026 text does not show (Hong Kong before 2020-12-23) are added from
``HISTORY`` below, each with its Federal Register citation.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml
from rigour.territories import get_territories

DATA = Path(__file__).parent / "data"

#: Names used by the eCFR tables that rigour does not spell the same way.
NAME_OVERRIDES = {
    "Bahamas, The": "BS", "Gambia, The": "GM", "Korea, South": "KR", "Korea, North": "KP",
    "Burma": "MM", "Congo (Democratic Republic of the)": "CD", "Congo (Democratic Republic of)": "CD",
    "Congo (Republic of the)": "CG", "Cote d'Ivoire": "CI", "Curaçao": "CW", "Czech Republic": "CZ",
    "Eswatini": "SZ", "Kosovo": "XK", "Laos": "LA", "Macau": "MO", "Micronesia (Federated State of)": "FM",
    "Russia": "RU", "St. Kitts and Nevis": "KN", "St. Lucia": "LC", "St. Vincent and the Grenadines": "VC",
    "Seycheles": "SC", "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "SX",
    "South Sudan, Republic of": "SS", "Taiwan": "TW", "Türkiye": "TR", "Vatican City": "VA",
    "Vietnam": "VN", "China": "CN", "China (PRC)": "CN", "Syria": "SY", "Iran": "IR", "Brunei": "BN",
    "Cape Verde": "CV", "Moldova": "MD", "Tanzania": "TZ", "Bolivia": "BO", "Venezuela": "VE",
    "United Kingdom": "GB", "United States": "US", "Western Sahara": "EH", "North Macedonia": "MK",
    "Timor-Leste": "TL", "Nauru": "NR", "Bosnia & Herzegovina": "BA", "Cote d'lvoire": "CI",
    "Micronesia, Federated States of": "FM", "Saint Kitts & Nevis": "KN", "Sao Tome & Principe": "ST",
    "Sao Tome and Principe": "ST", "The Bahamas": "BS", "Trinidad & Tobago": "TT",
}

ECFR_2026 = "eCFR 2026-07-23"
EAR_1996 = "1996-03-25"  # 61 FR 12714: the restructured EAR (chart and groups framework)


def name_index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for t in get_territories():
        if len(t.code) == 2:
            for n in (t.name, t.full_name):
                if n:
                    idx.setdefault(n.lower(), t.code.upper())
    for n, c in NAME_OVERRIDES.items():
        idx[n.lower()] = c
    return idx


def code_for(name: str, idx: dict[str, str]) -> str:
    try:
        return idx[name.lower()]
    except KeyError:
        raise SystemExit(f"no ISO-2 code for eCFR name {name!r}; add it to NAME_OVERRIDES")


def convert_chart(src: Path, idx: dict[str, str]) -> dict:
    c = json.loads((src / "country-chart.json").read_text())
    cite = "15 CFR part 738, Supp. No. 1"
    values: dict[str, list] = {}
    for name, row in c["countries"].items():
        values[code_for(name, idx)] = [{
            "valid_from": EAR_1996,
            "value": {"name": name, "marks": row["marks"], "footnotes": row["footnotes"]},
            "citation": cite, "source": ECFR_2026, "confidence": "D",
            "note": "2026 row; earlier changes to this row are not encoded",
        }]
    for name, row in c["embargoed"].items():
        values[code_for(name, idx)] = [{
            "valid_from": EAR_1996,
            "value": {"name": name, "marks": [], "footnotes": row["footnotes"], "embargo": row["pointer"]},
            "citation": cite, "source": ECFR_2026, "confidence": "D",
        }]
    # Hong Kong: own row until 2020-12-22, then governed by the China row (85 FR 83765/83788).
    values["HK"] = [{
        "valid_from": EAR_1996, "valid_to": "2020-12-22",
        "value": {"name": "Hong Kong", "marks": ["CB 1", "NP 1", "NS 1", "MT 1", "RS 1", "CC 1"],
                  "footnotes": []},
        "citation": cite, "source": "pre-2020 chart, recalled; not re-read", "confidence": "U",
        "note": "Hong Kong row before its removal; verify marks against the 2020 CFR",
    }]
    return {
        "description": "Commerce Country Chart: marks (X) per destination and column.",
        "reference": cite,
        "source": c["source"]["url"],
        "last_verified_on": "2026-11-25",
        "values": dict(sorted(values.items())),
    }


def convert_groups(src: Path, idx: dict[str, str]) -> dict:
    g = json.loads((src / "country-groups.json").read_text())
    cite = "15 CFR part 740, Supp. No. 1"
    values = {}
    for group, members in g["groups"].items():
        codes = sorted({code_for(m, idx) for m in members})
        values[group] = [{
            "valid_from": EAR_1996, "value": codes, "citation": cite, "source": ECFR_2026,
            "confidence": "D", "note": "2026 membership; earlier changes not encoded",
        }]
    return {
        "description": "Country Groups (A:1-A:6, B, D:1-D:5, E:1, E:2): ISO-2 members per group.",
        "reference": cite,
        "source": g["source"]["url"],
        "last_verified_on": "2026-11-25",
        "values": values,
    }


# ---------------------------------------------------------------------------- CCL
COUNTRY_WORDS = {"North Korea": "KP", "Iraq": "IQ", "Pakistan": "PK", "China": "CN", "Russia": "RU",
                 "Venezuela": "VE", "Iran": "IR", "Syria": "SY", "Cuba": "CU", "Belarus": "BY"}
TOKEN = re.compile(r"^(?:paragraphs? )?\.?([a-z](?:\.[0-9a-z]+)*)$")


def _expand_range(a: str, b: str) -> list[str] | None:
    """``a.1 to a.3`` -> a.1, a.2, a.3; ``k to n`` -> k, l, m, n; else None."""
    pa, pb = a.split("."), b.split(".")
    if len(pa) != len(pb) or pa[:-1] != pb[:-1]:
        return None
    x, y = pa[-1], pb[-1]
    if x.isdigit() and y.isdigit():
        seq = [str(i) for i in range(int(x), int(y) + 1)]
    elif len(x) == 1 and len(y) == 1 and x.isalpha() and y.isalpha():
        seq = [chr(i) for i in range(ord(x), ord(y) + 1)]
    else:
        return None
    return [".".join(pa[:-1] + [v]) for v in seq]


def parse_paragraphs(text: str, eccn: str):
    """``"entire entry"`` -> "all"; a plain list of sub-paragraphs -> list; else None."""
    t = text.strip().rstrip(".").replace("the entire entry", "entire entry")
    if t == "entire entry":
        return "all"
    m = re.match(r"^entire entry,? except:? (.*)$", t, flags=re.I)
    if m:
        rest = parse_paragraphs(m.group(1), eccn)
        return {"all_except": rest} if isinstance(rest, list) else None
    t = t.replace(eccn + ".", "").replace(eccn, "")
    parts = [p.strip() for p in re.split(r",\s*(?:and |or )?|\s+and\s+|\s+or\s+", t) if p.strip()]
    out: list[str] = []
    for part in parts:
        m = re.match(r"^\.?([a-z][.0-9a-z]*)\s+(?:to|through)\s+\.?([a-z][.0-9a-z]*)$", part)
        if m:
            rng = _expand_range(m.group(1), m.group(2))
            if rng is None:
                return None
            out.extend(rng)
            continue
        m = TOKEN.match(part)
        if not m:
            return None
        out.append(m.group(1))
    return out or None


def parse_scope(text: str) -> dict:
    t = " ".join(text.split())
    m = re.match(r"^([A-Z]{2}) Column (\d)\b", t)
    if m:
        return {"column": f"{m.group(1)} {m.group(2)}"}
    sec = re.search(r"§\s*([0-9]{3}\.[0-9]+(?:\([0-9a-zA-Z]+\))*)", t)
    section = sec.group(1) if sec else None
    low = t.lower()
    if "for un controls" in low:
        return {"scope": "un", "section": section or "746.1(b)"}
    if "macau or a destination specified in country group d:5" in low:
        return {"scope": "macau_d5", "section": section}
    if "united arab emirates or destinations specified in country groups d:1, d:4, and d:5" in low:
        return {"scope": "d1d4d5_ex_a5a6_uae", "section": section}
    if low.startswith("worldwide control") or "any destination worldwide" in low \
            or "required for all destinations" in low:
        return {"scope": "worldwide", "section": section}
    named = [c for w, c in COUNTRY_WORDS.items() if w in t]
    if named and ("license is required" in low or low.startswith("china, russia")):
        return {"scope": "countries", "countries": named, "section": section}
    return {"scope": "see", "section": section, "text": t[:200]}


def convert_ccl(src: Path) -> dict:
    c = json.loads((src / "ccl.json").read_text())
    values = {}
    for e in c["entries"]:
        controls = []
        for row in e["countryChart"]:
            control, chart_text = " ".join(row["control"].split()), row["countryChart"]
            single = re.match(r"^(.*?)\s+([A-Z]{2} Column \d)\.?$", control) if row.get("singleCellRow") else None
            if single:
                control, chart_text = single.group(1), single.group(2)
            m = re.match(r"^([A-Z]+) applies to (.*)$", control)
            reason, what = (m.group(1), m.group(2)) if m else ("?", control)
            paras = parse_paragraphs(what, e["eccn"]) if m else None
            ctl = {"reason": reason, **parse_scope(chart_text)}
            if paras is None:
                ctl["paragraphs"] = "conditional"
                ctl["condition"] = " ".join(what.split())[:240]
            else:
                ctl["paragraphs"] = paras
            if ctl.get("section") is None:
                ctl.pop("section", None)
            controls.append(ctl)
        values[e["eccn"]] = [{
            "valid_from": "2026-07-23",
            "value": {"heading": " ".join(e["heading"].split())[:160], "controls": controls,
                      "exceptions": {k: " ".join(str(v).split())[:160]
                                     for k, v in (e.get("licenceExceptionFlags") or {}).items()}},
            "citation": f"15 CFR part 774, Supp. No. 1, ECCN {e['eccn']}",
            "source": ECFR_2026, "confidence": "D",
            "note": "eCFR text of 2026-07-23; earlier dates are not covered (the engine asks)",
        }]
    return {
        "description": ("Commerce Control List (all ECCNs of the eCFR of 2026-07-23), converted "
                        "mechanically: used for ECCNs that part_774/ccl.yaml (hand-dated) does not "
                        "hold. Rows whose sub-paragraph scope could not be parsed are "
                        "'conditional' and produce a question when they would require a licence."),
        "reference": "15 CFR part 774, Supp. No. 1",
        "source": c["source"]["url"] if isinstance(c.get("source"), dict) else str(c.get("source")),
        "last_verified_on": "2026-11-25",
        "values": values,
    }


def main(argv: list[str], out_dir: Path = DATA) -> None:
    src = Path(argv[0]) if argv else Path("/work/shared/data/ear")
    idx = name_index()
    for rel, doc in (("part_738/country_chart.yaml", convert_chart(src, idx)),
                     ("part_740/country_groups.yaml", convert_groups(src, idx)),
                     ("part_774/ccl_ecfr.yaml", convert_ccl(src))):
        out = out_dir / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("# Generated by earcheck.rules.convert from the eCFR tables; edit with care.\n"
                       + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None))
        print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
