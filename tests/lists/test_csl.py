"""trade.gov CSL CSV (current and older layouts) and JSON, on the real files."""
from __future__ import annotations

import collections
import csv
import re

from earcheck.lists import parse
from earcheck.lists.csl import CSL_COLUMNS

from pathlib import Path

DATA = Path(__file__).parent / "data"

HUAWEI_PARENT = "Huawei Technologies Co., Ltd. (Huawei)"


def by_name(parsed, name, code=None):
    return [p for p in parsed.parties if p.name == name and (code is None or p.list_code == code)]


def test_every_row_lands_in_exactly_one_party(csl2022, shared_data):
    with open(shared_data / "csl" / "consolidated_2022-05.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 14160
    assert csl2022.format == "csl_csv" and csl2022.dataset == "csl"
    assert csl2022.warnings == []
    ids = [i for p in csl2022.parties for i in p.source_ids]
    assert set(ids) == {r["_id"] for r in rows}  # merged, never lost
    assert len(ids) == len(rows) - 1  # the CAP row of 15268 is published twice, byte for byte
    assert len({p.id for p in csl2022.parties}) == len(csl2022.parties)  # unique ids
    assert len(csl2022.checksum) == 64
    assert csl2022.published == max(r["start_date"] for r in rows if r["start_date"])


def test_counts_per_list(csl2022):
    counts = collections.Counter(p.list_code for p in csl2022.parties)
    # OFAC lists have one row per ent_num: nothing to merge.
    assert counts["SDN"] == 10026 and counts["SSI"] == 290 and counts["CMIC"] == 68
    # BIS lists repeat a party once per address/country: merged.
    assert counts["EL"] == 1948  # 2,001 rows
    assert counts["DPL"] == 436  # 462 rows
    assert counts["DTC"] == 723 and counts["UVL"] == 201 and counts["MEU"] == 71
    assert set(counts) == {"SDN", "EL", "DTC", "DPL", "SSI", "UVL", "ISN", "PLC", "MEU", "CMIC",
                           "CAP", "NS-MBS", "FSE"}


def test_smic_entity_list_entry(csl2022):
    (smic,) = by_name(csl2022, "Semiconductor Manufacturing International Corporation (SMIC)", "EL")
    assert smic.id == "736c2c6ac3e138ed746296f09c18d066c8fddcd0"
    assert smic.federal_register == "85 FR 83420"
    assert smic.start_date == "2020-12-18" and smic.end_date is None
    assert smic.license_requirement.startswith("For all items subject to the EAR.")
    assert "  " not in smic.license_requirement  # stray double spaces collapsed
    assert smic.license_policy.startswith("Presumption of denial for items uniquely required")
    assert "10 nanometers and below" in smic.license_policy
    # "; and " joined aliases, plus the trailing acronym as a name
    assert "Semiconductor Mfg International Corp." in smic.aliases
    assert not any(a.lower().startswith("and ") for a in smic.aliases)
    assert "SMIC" in smic.aliases and "SMIC Shanghai" in smic.aliases
    assert smic.kind == "organization" and smic.countries == ["CN"]
    assert smic.addresses[0].city == "Shanghai" and smic.addresses[0].postal_code == "201203"
    el_smic = [p for p in csl2022.parties if p.list_code == "EL" and "85 FR 83420" in (p.federal_register or "")
               and re.search(r"SMIC|Semiconductor Manufacturing", " ".join(p.names))]
    assert len(el_smic) == 9  # SMIC and its eight listed subsidiaries (85 FR 83420)
    for p in el_smic:
        assert p.license_requirement.startswith("For all items subject to the EAR")
        assert p.license_policy.startswith("Presumption of denial for items uniquely required for production")


def test_several_addresses_in_one_cell(csl2022):
    (shenzhen,) = by_name(csl2022, "Semiconductor Manufacturing International (Shenzhen) Corporation")
    assert len(shenzhen.addresses) == 3
    assert {a.country for a in shenzhen.addresses} == {"CN"}
    assert shenzhen.addresses[0].postal_code == "518118"


def test_huawei_affiliates_split_out_and_linked(csl2022, csl2022_by_id):
    (parent,) = by_name(csl2022, HUAWEI_PARENT, "EL")
    assert len(parent.source_ids) == 3  # listed on three rows (Shenzhen, Chengdu..., Hong Kong)
    assert parent.id == min(parent.source_ids)
    affiliates = [p for p in csl2022.parties if any(l.kind == "affiliate_of" and l.target_id == parent.id
                                                    for l in p.links)]
    assert len(affiliates) >= 20
    names = {p.name for p in affiliates}
    assert "Beijing Huawei Longshine Information Technology Co., Ltd." in names
    assert "Huawei Marine Networks Co., Ltd." in names
    for p in affiliates:
        assert "Affiliated Entity" not in p.name
        assert HUAWEI_PARENT not in p.aliases and "Huawei Technologies Co., Ltd." not in p.aliases
        assert p.extra["listed_as"].startswith(HUAWEI_PARENT)
    longshine = next(p for p in affiliates if p.name.startswith("Beijing Huawei Longshine"))
    assert longshine.aliases == ["Beijing Huawei Longshine"]
    assert "84 FR 43495" in longshine.federal_register
    assert csl2022_by_id[parent.id] is parent


def test_subordinate_institutions_linked_to_parent(csl2022):
    subs = [p for p in csl2022.parties if any(l.kind == "subsidiary_of" for l in p.links)]
    bowei = next(p for p in subs if p.name == "Bowei Integrated Circuits")
    (cetc13,) = by_name(csl2022, "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)")
    assert bowei.links[0].target_id == cetc13.id
    baotou = next(p for p in subs if p.name.startswith("Baotou Guanghua"))
    assert baotou.links[0].target_name == "China National Nuclear Group Corporation (CNNC)"
    assert baotou.links[0].target_id is None  # parent not on the list


def test_repeated_rows_merged_into_one_party(csl2022):
    (gm,) = by_name(csl2022, "Gunther Migeotte", "EL")
    assert len(gm.source_ids) == 5 and gm.id == min(gm.source_ids)
    assert set(gm.countries) == {"NO", "ZA"}
    assert len(gm.addresses) >= 5
    assert gm.start_date == "2010-06-28"
    assert "77 FR 58006 (no. 182)" in gm.federal_register and "75 FR 36516" in gm.federal_register


def test_ids_shared_by_two_ofac_lists_made_unique(csl2022_by_id):
    sdn, cap = csl2022_by_id["34616"], csl2022_by_id["34616-CAP"]
    assert sdn.list_code == "SDN" and cap.list_code == "CAP"
    assert cap.source_ids == ["34616"] and cap.name == sdn.name == "ARIMERO HOLDING LIMITED"


def test_kinds(csl2022):
    kinds = collections.Counter((p.list_code, p.kind) for p in csl2022.parties)
    assert kinds[("SDN", "vessel")] == 433 and kinds[("SDN", "aircraft")] == 283
    assert kinds[("SDN", "person")] == 5206
    assert kinds[("EL", "organization")] > 1900
    (jin,) = by_name(csl2022, "JIN, ZHONGDA", "DPL")
    assert jin.kind == "person"
    (airline,) = by_name(csl2022, "UTAIR AVIATION JSC", "DPL")  # trailing comma stripped
    assert airline.kind == "organization"


def test_person_fields_and_extra(csl2022_by_id):
    irgc = csl2022_by_id["10391"]
    assert irgc.kind == "organization" and "IRGC" in irgc.programs
    persons = [p for p in csl2022_by_id.values() if p.list_code == "SDN" and p.kind == "person"
               and p.extra.get("dates_of_birth")]
    assert len(persons) > 3000
    p = persons[0]
    assert all(re.match(r"^[A-Z]{2}$", c) for c in p.countries)


def test_mis_encoded_characters_and_stray_whitespace(csl2022):
    names = {p.name for p in csl2022.parties if p.list_code == "MEU"}
    assert "XAIC Tech (Xi\u2019an) Industrial Co., Ltd." in names  # was "Xi\x92an" (cp1252 read as latin-1)
    assert "Government Flying Service" in names  # was "Government Flying Service \n\n"
    assert not any(re.search(r"[\x80-\x9f]|\s{2}|^\s|\s$", p.name) for p in csl2022.parties)


def test_newer_layout_2025(shared_data):
    parsed = parse(shared_data / "csl" / "consolidated_sample_2025-06.csv")
    assert len(parsed.parties) == 13 and parsed.warnings == []
    meu = next(p for p in parsed.parties if p.list_code == "MEU")
    assert "supplement no. 2" in meu.license_requirement.lower()
    assert all(len(p.id) >= 32 for p in parsed.parties if p.list_code not in ("SDN", "SSI", "PLC", "FSE"))


def test_older_layout_without_id_2019(shared_data):
    path = shared_data / "csl" / "csl_sample_2019-12.csv"
    with open(path, encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert "_id" not in header and len(header) == len(CSL_COLUMNS) - 1
    a, b = parse(path), parse(path)
    assert [p.id for p in a.parties] == [p.id for p in b.parties]  # stable ids
    assert len({p.id for p in a.parties}) == len(a.parties) == 110  # 115 rows
    assert a.warnings == []
    hashed = [p for p in a.parties if p.list_code == "DPL"]
    assert hashed and all(re.fullmatch(r"[0-9a-f]{40}", p.id) for p in hashed)
    ofac = [p for p in a.parties if p.list_code == "SDN"]
    assert all(p.id == p.extra["entity_number"] for p in ofac if "-" not in p.id)


def test_csl_json_matches_csv(csl2022_by_id):
    parsed = parse(DATA / "csl_api_sample.json")
    assert parsed.format == "csl_json" and parsed.dataset == "csl"
    got = {p.id: p for p in parsed.parties}
    smic = got["736c2c6ac3e138ed746296f09c18d066c8fddcd0"]
    ref = csl2022_by_id[smic.id]
    for attr in ("name", "aliases", "countries", "federal_register", "start_date",
                 "license_requirement", "license_policy", "kind"):
        assert getattr(smic, attr) == getattr(ref, attr), attr
    assert smic.addresses[0].city == "Shanghai" and smic.addresses[0].country == "CN"
    # two of Huawei's three rows are in the fixture: merged, and the affiliate links to them
    parent = next(p for p in parsed.parties if p.name == HUAWEI_PARENT)
    assert len(parent.source_ids) == 2
    longshine = next(p for p in parsed.parties if p.name.startswith("Beijing Huawei Longshine"))
    assert longshine.links[0].target_id == parent.id
    irgc = got["10391"]
    assert irgc.programs == csl2022_by_id["10391"].programs
    assert irgc.extra["ids"] and isinstance(irgc.extra["ids"][0], dict)


def test_aliases_written_into_dpl_names(csl2022):
    (sun,) = by_name(csl2022, "FUYI SUN", "DPL")  # published as "FUYI SUN A/K/A FRANK SUN"
    assert sun.aliases == ["FRANK SUN"] and sun.kind == "person"
    (li,) = by_name(csl2022, "PEARL LI", "DPL")  # "PEARL (A.K.A. NEI-CHIEN CHU) LI"
    assert li.aliases == ["NEI-CHIEN CHU"]
    assert not any("A/K/A" in p.name.upper() for p in csl2022.parties if p.list_code == "DPL")


def test_former_names_written_into_entity_list_names(csl2022):
    (lts,) = by_name(csl2022, "LTS Holding Limited", "EL")  # "(f.k.a. IPP-International ...)"
    assert "IPP-International Petroleum Products Ltd." in lts.aliases
    assert len(lts.source_ids) == 2  # the same entry on two rows
    (chitron,) = by_name(csl2022, "Chitron Electronics Company Ltd.", "EL")
    assert "Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)" in chitron.aliases
    assert {"HK", "CN"} <= set(chitron.countries)  # two rows merged (Hong Kong and China)


def test_quotes_exported_as_question_marks_repaired(csl2022):
    names = {n for p in csl2022.parties for n in p.names}
    assert "Donetsk People's Republic" in names  # published as "Donetsk People?s Republic"
    assert "Centre d'Etudes et de Recherches Scientifiques (CERS)" in names
    assert 'OAO Ship Repair Center "Zvezdochka"' in names
    assert "Xi'an Research Institute of Navigation Technology" in names
    assert sum("?" in n for n in names) < 40  # only ambiguous ones are left (was 124)


def test_us_addresses_without_country(shared_data):
    parsed = parse(shared_data / "csl" / "csl_sample_2019-12.csv")
    (adrian,) = by_name(parsed, "ADRIAN MANUEL HERNANDEZ", "DPL")  # "3037 S. 69TH DRIVE, PHONEIX, AZ, 85043"
    (addr,) = adrian.addresses
    assert (addr.city, addr.state, addr.postal_code, addr.country) == ("PHONEIX", "AZ", "85043", "US")
    assert adrian.countries == ["US"] and adrian.kind == "person"


def test_csl_json_bare_list(tmp_path):
    import json

    doc = json.loads((DATA / "csl_api_sample.json").read_text(encoding="utf-8"))
    path = tmp_path / "bare.json"
    path.write_text(json.dumps(doc["results"]), encoding="utf-8")
    a, b = parse(path), parse(DATA / "csl_api_sample.json")
    assert a.format == "csl_json" and [p.to_dict() for p in a.parties] == [p.to_dict() for p in b.parties]
