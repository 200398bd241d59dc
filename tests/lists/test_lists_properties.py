"""Property tests: arbitrary input never raises anything but ListFormatError; CSL CSV round-trip."""
from __future__ import annotations

import csv
import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earcheck.lists import ListFormatError, ParsedList, parse
from earcheck.lists.csl import CSL_COLUMNS
from earcheck.models import LIST_NAMES

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def parse_or_error(path) -> ParsedList | None:
    try:
        return parse(path)
    except ListFormatError as exc:
        assert "\n" not in str(exc)
        return None


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path, data):
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    parse_or_error(path)


PREFIXES = [",".join(CSL_COLUMNS) + "\n", "306,", "{", "[", '{"id": "x", "schema": "Person", "properties": {}}\n',
            '{"fieldKey": {}, "tables": {"sources": ["EL"]}, "entries": ', '{"format": "earcheck_sample", "parties": ']


@SETTINGS
@given(st.sampled_from(PREFIXES), st.text(max_size=1500))
def test_arbitrary_text_after_a_plausible_start(tmp_path, prefix, text):
    path = tmp_path / "x.txt"
    path.write_text(prefix + text, encoding="utf-8")
    parse_or_error(path)


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
json_value = st.recursive(json_leaf, lambda c: st.one_of(st.lists(c, max_size=4),
                                                       st.dictionaries(st.sampled_from(
                                                           ["name", "source", "n", "s", "a", "c", "e",
                                                            "addresses", "alt_names", "id", "schema",
                                                            "properties", "results", "entries"]), c,
                                                           max_size=5)), max_leaves=20)


@SETTINGS
@given(st.sampled_from(["results", "entries", "parties"]), st.lists(json_value, max_size=5))
def test_arbitrary_json_records(tmp_path, key, records):
    import json

    doc = {key: records, "tables": {"sources": list(LIST_NAMES.values())}, "fieldKey": {},
           "format": "earcheck_sample" if key == "parties" else None, "source": 1, "name": 2}
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc))
    parse_or_error(path)


word = st.text(alphabet=string.ascii_letters + "éüß-'&", min_size=2, max_size=10)
name = st.lists(word, min_size=1, max_size=4).map(" ".join)
country = st.sampled_from(["CN", "RU", "IR", "AE", "DE", "US", "HK"])
address = st.tuples(st.integers(1, 999), word, word, country).map(lambda t: f"{t[0]} {t[1]} Road, {t[2]}, {t[3]}")
party = st.fixed_dictionaries({
    "name": name,
    "alt_names": st.lists(name, max_size=3, unique=True),
    "addresses": st.lists(address, max_size=3, unique=True),
    "source": st.sampled_from([v for k, v in LIST_NAMES.items() if k not in ("OS", "MIEU")]),
})


@SETTINGS
@given(st.lists(party, min_size=1, max_size=8, unique_by=lambda p: (p["source"], p["name"].casefold())))
def test_generated_csl_csv_round_trip(tmp_path, parties):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSL_COLUMNS)
    for i, p in enumerate(parties):
        values = {"_id": f"id{i:03d}", "source": p["source"], "name": p["name"],
                  "alt_names": "; ".join(p["alt_names"]), "addresses": "; ".join(p["addresses"])}
        w.writerow([values.get(c, "") for c in CSL_COLUMNS])
    path = tmp_path / "gen.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    parsed = parse(path)
    assert parsed.format == "csl_csv" and parsed.warnings == []
    got = {p.id: p for p in parsed.parties}
    assert len(got) == len(parties)
    for i, p in enumerate(parties):
        q = got[f"id{i:03d}"]
        assert q.name == p["name"]
        assert q.aliases == [a for a in p["alt_names"] if a != p["name"]]
        assert [a.text for a in q.addresses] == p["addresses"]
        assert q.countries == list(dict.fromkeys(a[-2:] for a in p["addresses"]))
        assert LIST_NAMES[q.list_code] == p["source"]
