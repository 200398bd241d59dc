"""OpenSanctions FtM JSON lines, the compact 2026 CSL and the shipped sample list."""
from __future__ import annotations

import collections
import json

import pytest

from earcheck.lists import ListFormatError, detect_format, parse, sample_path


def test_ftm_company_with_aliases_and_links(shared_data):
    parsed = parse(shared_data / "opensanctions_ftm" / "yente_fixture_zala.entities.ftm.json")
    assert parsed.format == "ftm_jsonl" and parsed.dataset == "opensanctions"
    assert collections.Counter(p.kind for p in parsed.parties) == {"organization": 11, "person": 6}
    by_id = {p.id: p for p in parsed.parties}
    cst = by_id["NK-abdzbEBkqyT29GyREbiURZ"]
    assert cst.name == "LLC CST" and cst.list_code == "OS" and cst.extra["target"] is True
    assert "Zala Aero Group" in cst.aliases and "ООО «ЦСТ»" in cst.aliases
    assert "us_ofac_sdn" in cst.extra["datasets"] and "us_ofac_sdn" in cst.programs
    assert cst.countries == ["RU"]
    owners = {(l.target_name, l.percent) for l in cst.links if l.kind == "owned_by"}
    assert ("JSC Kalashnikov Concern", 49.0) in owners
    kalashnikov = by_id["NK-nR5AXM9AVPq4pQaSPSaVam"]
    assert any(l.kind == "owner_of" and l.target_id == cst.id for l in kalashnikov.links)
    assert cst.start_date and cst.start_date <= "2023-12-31"  # from its Sanction entities
    assert parsed.published == "2026-04-29"


def test_ftm_multilingual_organization(shared_data):
    parsed = parse(shared_data / "opensanctions_ftm" / "yente_fixture_t1.entities.ftm.json")
    assert len(parsed.parties) == 6
    org = next(p for p in parsed.parties if "Inter Tobacco" in p.name)
    assert org.kind == "organization" and len(org.aliases) >= 3


def test_compact_2026(compact2026, csl2022_by_id):
    assert compact2026.format == "compact_json" and compact2026.dataset == "csl"
    assert compact2026.published == "2026-07-31"
    counts = collections.Counter(p.list_code for p in compact2026.parties)
    assert counts["SDN"] == 19181  # one entry per ent_num
    assert counts["EL"] == 3320  # 3,420 entries, repeated per country: merged
    assert sum(len(p.source_ids) for p in compact2026.parties) <= 25921
    by_id = {p.id: p for p in compact2026.parties}
    # OFAC ids are the entity numbers, equal to the 2022 CSL _id: a diff can follow them
    assert by_id["10391"].name == csl2022_by_id["10391"].name
    smic = next(p for p in compact2026.parties if p.list_code == "EL"
                and p.name == "Semiconductor Manufacturing International Corporation (SMIC)")
    assert smic.federal_register == "85 FR 83420; 89 FR 96837"  # amended in Dec 2024
    assert "SMIC" in smic.aliases and smic.countries == ["CN"] and smic.addresses == []
    longshine = next(p for p in compact2026.parties if p.name.startswith("Beijing Huawei Longshine"))
    parent = next(p for p in compact2026.parties if p.name == "Huawei Technologies Co., Ltd. (Huawei)")
    assert longshine.links[0].kind == "affiliate_of" and longshine.links[0].target_id == parent.id


def test_compact_ids_are_stable(shared_data, compact2026):
    again = parse(shared_data / "ear" / "screening-list.json")
    assert [p.id for p in again.parties] == [p.id for p in compact2026.parties]


def test_compact_bad_table_index(tmp_path):
    doc = {"fieldKey": {"n": "name"}, "tables": {"sources": ["Entity List (EL) - Bureau of Industry and Security"]},
           "entries": [{"n": "X Co.", "s": 7}]}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ListFormatError, match="outside tables.sources"):
        parse(path)


def test_sample_list():
    path = sample_path()
    assert path.is_file() and detect_format(path) == "sample_json"
    parsed = parse(path)
    assert parsed.dataset == "sample" and parsed.format == "sample_json"
    assert 25 <= len(parsed.parties) <= 40
    codes = collections.Counter(p.list_code for p in parsed.parties)
    assert codes["EL"] >= 15 and codes["SDN"] >= 3 and codes["DPL"] >= 3 and codes["UVL"] and codes["MEU"]
    by_name = {p.name: p for p in parsed.parties}
    smic = by_name["Semiconductor Manufacturing International Corporation (SMIC)"]
    assert smic.federal_register == "85 FR 83420" and smic.start_date == "2020-12-18"
    assert "Presumption of denial" in smic.license_policy
    parent = by_name["Huawei Technologies Co., Ltd. (Huawei)"]
    affiliates = [p for p in parsed.parties if any(l.target_id == parent.id for l in p.links)]
    assert len(affiliates) >= 5
    assert all("84 FR 22961" in p.federal_register for p in affiliates + [parent])
    assert all(p.federal_register or p.list_code in ("SDN", "CMIC", "UVL") for p in parsed.parties)


def test_sample_agrees_with_full_list(csl2022_by_id):
    parsed = parse(sample_path())
    ids = {p.id for p in parsed.parties}
    for p in parsed.parties:
        full = csl2022_by_id[p.id].to_dict()
        for link in full["links"]:  # the sample's links point into the sample only
            if link["target_id"] not in ids:
                link["target_id"] = None
        assert p.to_dict() == full


def test_sample_rejects_bad_party(tmp_path):
    doc = json.loads(sample_path().read_text())
    doc["parties"][0]["start_date"] = "18/12/2020"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ListFormatError, match="not an ISO date"):
        parse(path)
    doc["parties"][0] = {"id": "1", "list_code": "EL", "name": "X", "colour": "red"}
    path.write_text(json.dumps(doc))
    with pytest.raises(ListFormatError, match="unknown field"):
        parse(path)


def test_hash_ids_follow_amended_entries(tmp_path):
    """Entries without an id keep their id when the FR citation changes (a later version)."""
    def write(fr):
        doc = {"sourceGeneratedAt": "2026-07-31T13:15:00+00:00", "fieldKey": {},
               "tables": {"sources": ["Entity List (EL) - Bureau of Industry and Security"]},
               "entries": [{"n": "SMIC Holdings Limited", "s": 0, "c": ["CN"], "fr": fr}]}
        path = tmp_path / f"v{len(fr)}.json"
        path.write_text(json.dumps(doc))
        return parse(path).parties[0]
    old, new = write("85 FR 83420"), write("85 FR 83420; 89 FR 96837")
    assert old.id == new.id and old.federal_register != new.federal_register
