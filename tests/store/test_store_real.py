"""The store on the real lists in ../shared/data: exact round trip, as-of, and the 2022 -> 2026 diff."""
from __future__ import annotations

import pytest

from earcheck.lists import ListFormatError, parse
from earcheck.store import Store


@pytest.fixture(scope="module")
def csl_2022(shared_data):
    return parse(shared_data / "csl" / "consolidated_2022-05.csv")


@pytest.fixture(scope="module")
def real_store(tmp_path_factory, shared_data, csl_2022):
    s = Store(tmp_path_factory.mktemp("real") / "real.sqlite")
    s.load_parsed(csl_2022)
    s.load(shared_data / "ofac_sdn" / "2024-05-03" / "sdn.csv")
    return s


@pytest.fixture(scope="module")
def diff_2022_2026(real_store, shared_data):
    csl_snap = real_store.current_snapshots()[0]
    assert csl_snap.dataset == "csl"
    return real_store.diff(csl_snap.id, str(shared_data / "ear" / "screening-list.json"))


def test_real_lists_round_trip_exactly(real_store, csl_2022):
    csl_snap, sdn_snap = real_store.current_snapshots()
    assert (csl_snap.dataset, sdn_snap.dataset) == ("csl", "ofac_sdn")
    assert real_store.parties([csl_snap.id]) == csl_2022.parties
    assert csl_snap.total == len(csl_2022.parties) and csl_snap.checksum == csl_2022.checksum
    assert sum(csl_snap.counts.values()) == csl_snap.total
    assert sdn_snap.counts == {"SDN": sdn_snap.total}


def test_real_sdn_entries_in_csl_and_ofac_are_served_once(real_store, csl_2022):
    """The 2022 CSL carries SDN entries under their OFAC ent_num; the 2024 SDN file (loaded
    later, undated) shadows them, so each entry is served once, from the newer file."""
    csl_snap, sdn_snap = real_store.current_snapshots()
    sdn_ids = {p.id for p in real_store.parties([sdn_snap.id])}
    both = [p for p in csl_2022.parties if p.list_code == "SDN" and p.id in sdn_ids]
    assert len(both) > 5000
    effective = real_store.parties()
    assert len(effective) == csl_snap.total + sdn_snap.total - len(both)
    keys = [(p.list_code, p.id) for p in effective]
    assert len(keys) == len(set(keys))
    assert real_store.shadowing() == [{"dataset": "csl", "snapshot_id": csl_snap.id,
                                       "shadowed_by": "ofac_sdn", "by_snapshot_id": sdn_snap.id,
                                       "parties": len(both), "counts": {"SDN": len(both)}}]
    st = real_store.status()
    assert st["total"] == len(effective) and st["datasets"][0]["shadowed"] == len(both)
    assert st["counts"]["SDN"] == sum(p.list_code == "SDN" for p in effective)


def test_real_as_of_excludes_smic_before_its_listing(real_store, csl_2022):
    smic = [p for p in csl_2022.parties if p.list_code == "EL" and p.start_date == "2020-12-18"
            and "SMIC" in p.names]
    assert smic
    csl_id = real_store.current_snapshots()[0].id
    before = real_store.parties([csl_id], as_of="2020-12-17")
    assert not {p.id for p in before} & {p.id for p in smic}
    assert {p.id for p in smic} <= {p.id for p in real_store.parties([csl_id], as_of="2020-12-18")}
    assert [p.id for p in before] == [p.id for p in csl_2022.parties if p.active_on("2020-12-17")]


def test_real_show_by_id(real_store, csl_2022):
    p = csl_2022.parties[123]
    assert real_store.party(p.id) == p


def test_failed_real_load_leaves_everything(real_store, tmp_path, shared_data):
    before = [(s.id, s.checksum) for s in real_store.snapshots()]
    raw = (shared_data / "csl" / "consolidated_2022-05.csv").read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ListFormatError, match="truncated"):
        real_store.load(cut)
    assert [(s.id, s.checksum) for s in real_store.snapshots()] == before


def test_diff_2022_csv_to_2026_json_accounts_for_every_party(diff_2022_2026, csl_2022, shared_data):
    d = diff_2022_2026
    new_total = d.new.total
    assert d.new.kind == "file" and d.new.format == "compact_json"
    assert len(d.added) + len(d.changed) + d.unchanged == new_total
    assert len(d.removed) + len(d.changed) + d.unchanged == len(csl_2022.parties)
    # fields the compact format does not carry are not reported as changes
    assert {"addresses", "remarks"} <= set(d.ignored_fields)
    assert not any("addresses" in c.fields for c in d.changed)


def test_diff_2022_2026_known_additions_and_changes(diff_2022_2026):
    d = diff_2022_2026
    added = {(p.list_code, p.name) for p in d.added}
    # YMTC was added to the Entity List on 2022-12-16 (87 FR 77505), after the May 2022 file
    assert ("EL", "Yangtze Memory Technologies Co., Ltd.") in added
    assert all(p.start_date is None or p.start_date > "2022-04-21" for p in d.added if p.list_code == "EL")
    # SMIC: the EL entry is the same party (matched by list and name: the ids differ between the
    # two formats) and its licence policy changed after 2022
    smic = [c for c in d.changed if c.new.list_code == "EL"
            and c.new.name.startswith("Semiconductor Manufacturing International Corporation")]
    assert len(smic) == 1
    ch = smic[0]
    assert ch.matched_by == "name" and "license_policy" in ch.fields
    assert "85 FR 83420" in ch.fields["federal_register"].old
    assert ch.fields["federal_register"].new.startswith(ch.fields["federal_register"].old)


def test_diff_sdn_ids_match_across_formats(diff_2022_2026, csl_2022):
    """OFAC ent_nums are stable: an SDN id in both versions is never reported added+removed."""
    added = {p.id for p in diff_2022_2026.added}
    removed = {p.id for p in diff_2022_2026.removed}
    assert not added & removed
    changed = {c.id: c for c in diff_2022_2026.changed}
    kept = [p for p in csl_2022.parties if p.list_code == "SDN" and p.id in changed]
    assert len(kept) > 1000 and all(changed[p.id].matched_by == "id" for p in kept)
