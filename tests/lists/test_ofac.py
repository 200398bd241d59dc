"""OFAC SDN legacy CSV: sdn.csv alone (2024-05-03) and the sdn/add/alt trio (2022-01-31)."""
from __future__ import annotations

import collections

from earcheck.lists import detect_format, parse
from earcheck.lists.ofac import remarks_facts


def test_sdn_alone_counts_and_kinds(sdn2024):
    assert sdn2024.format == "ofac_sdn_csv" and sdn2024.dataset == "ofac_sdn"
    assert len(sdn2024.parties) == 14965  # every record; the Ctrl-Z line is not a record
    assert sdn2024.warnings == []
    kinds = collections.Counter(p.kind for p in sdn2024.parties)
    assert kinds == {"organization": 6884, "person": 6854, "vessel": 851, "aircraft": 376}
    assert max(int(p.id) for p in sdn2024.parties) == 48907
    assert all(p.list_code == "SDN" for p in sdn2024.parties)


def test_sdn_alone_aliases_from_remarks(sdn2024):
    by_id = {p.id: p for p in sdn2024.parties}
    bnc = by_id["306"]
    assert bnc.name == "BANCO NACIONAL DE CUBA" and bnc.aliases == ["BNC"] and bnc.programs == ["CUBA"]
    with_aka = [p for p in sdn2024.parties if "k.a. '" in (p.remarks or "")]
    assert len(with_aka) == 2100 and all(p.aliases for p in with_aka)
    n_aka = sum(p.remarks.count("k.a. '") for p in with_aka)
    assert sum(len(p.aliases) for p in with_aka) >= n_aka - 5
    assert not any(p.remarks == "-0-" or p.name == "-0-" or p.extra.get("title") == "-0-" for p in sdn2024.parties)
    assert sum(1 for p in sdn2024.parties if p.remarks is None) > 400  # "-0- " means empty
    multi = [p for p in sdn2024.parties if p.programs and len(p.programs) > 1]
    assert multi and not any("[" in x or "]" in x for p in multi for x in p.programs)


def test_remarks_parsing_on_real_text():
    text = ("DOB 09 Feb 1951; POB Gaza, Egypt; Passport 92/664 (Egypt); SSN 523-33-8386 "
            "(United States); Political Leader in Amman, Jordan and Damascus, Syria for HAMAS; "
            "a.k.a. 'ABU-'UMAR'.")
    aliases, facts = remarks_facts(text)
    assert aliases == ["ABU-'UMAR"]
    assert facts["dates_of_birth"] == ["09 Feb 1951"] and facts["places_of_birth"] == ["Gaza, Egypt"]
    aliases, _ = remarks_facts("a.k.a. 'X CORP'; a.k.a. 'Y TRADING'; f.k.a. 'Z LTD'.")
    assert aliases == ["X CORP", "Y TRADING", "Z LTD"]
    aliases, _ = remarks_facts("alt. Passport 1046403 (Egypt); a.k.a. ''ABD-AL-'IZ'; a.k.a. 'ABU YASIR'.")
    assert aliases == ["'ABD-AL-'IZ", "ABU YASIR"]


def test_trio_joins_aliases_and_addresses(sdn_trio, shared_data):
    assert sdn_trio.format == "ofac_sdn_trio"
    by_id = {p.id: p for p in sdn_trio.parties}
    bnc = by_id["306"]
    assert bnc.aliases == ["BNC", "NATIONAL BANK OF CUBA"]
    assert {a.country for a in bnc.addresses} == {"CH", "ES", "JP", "PA"}
    zurich = next(a for a in bnc.addresses if a.country == "CH")
    assert zurich.street == "Zweierstrasse 35" and zurich.city == "Zurich" and zurich.postal_code == "CH-8022"
    assert sum(len(p.addresses) for p in sdn_trio.parties) > 11000
    assert sum(len(p.aliases) for p in sdn_trio.parties) > 12000
    # the same trio given as a list of paths (any order) is the same publication
    d = shared_data / "ofac_sdn" / "2022-01-31"
    again = parse([d / "alt.csv", d / "sdn.csv", d / "add.csv"])
    assert again.checksum == sdn_trio.checksum and len(again.parties) == len(sdn_trio.parties)
    assert detect_format(d) == "ofac_sdn_trio"


def test_trio_real_quirks(sdn_trio):
    by_id = {p.id: p for p in sdn_trio.parties}
    # ent_num 2677 is used twice in this sdn.csv: both parties are kept, neither is dropped
    assert by_id["2677"].name == "AL-ZOMOR, Abboud Abdul Latif Hassan"
    assert by_id["2677-2"].name == "HAMER AND NAIL CONSTRUCTION LIMITED"
    assert any("2677" in w for w in sdn_trio.warnings)
    # aliases of the individual come from alt.csv
    assert "ZUMAR, Abbud" in by_id["2677"].aliases and by_id["2677"].kind == "person"
    assert "EG" in by_id["2677"].countries


def test_sdn_ids_equal_csl_ids(sdn2024, csl2022_by_id):
    """OFAC ent_num is the CSL _id of SDN rows: ids agree across the two publications."""
    by_id = {p.id: p for p in sdn2024.parties}
    for ent in ("306", "10391", "17018", "25578"):
        assert csl2022_by_id[ent].list_code == "SDN"
        assert by_id[ent].name == csl2022_by_id[ent].name


def test_linked_to_remarks_become_links(sdn2024, csl2022_by_id):
    by_id = {p.id: p for p in sdn2024.parties}
    melli = by_id["25578"]  # "Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE."
    link = next(l for l in melli.links if l.kind == "linked_to")
    assert link.target_name == "ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"
    assert link.target_id == "10465" and by_id["10465"].name == link.target_name
    links = [l for p in sdn2024.parties for l in p.links]
    assert len(links) > 6000 and sum(l.target_id is not None for l in links) / len(links) > 0.99
    # the CSL writes the same remark in parentheses: "(Linked To: ...-QODS FORCE)"
    csl_link = next(l for l in csl2022_by_id["25578"].links if l.kind == "linked_to")
    assert csl_link.target_name == link.target_name and csl_link.target_id == "10465"
