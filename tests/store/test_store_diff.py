"""Store.diff on hand-built lists: added, removed, changed (with the fields), JSON shape."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import make_list, store, v1, v2  # noqa: F401 (store: fixture)

from earcheck.models import Address, Party
from earcheck.store import StoreError
from earcheck.store.diff import DiffSide, diff_parties


@pytest.fixture
def two(store):
    a = store.load_parsed(make_list(v1(), published="2022-05-01")).snapshot
    b = store.load_parsed(make_list(v2(), published="2023-01-01")).snapshot
    return store, a, b


def test_diff_added_removed_changed(two):
    store, a, b = two
    d = store.diff(a.id, b.id)
    assert [p.id for p in d.added] == ["e3", "m1"]
    assert [p.id for p in d.removed] == ["s1"]
    assert [c.id for c in d.changed] == ["e1"]
    assert d.unchanged == 2  # e2, d1
    ch = d.changed[0]
    assert set(ch.fields) == {"aliases"}  # reordering is not a change, the new alias is
    assert ch.fields["aliases"].added == ["SMIC Corp"] and ch.fields["aliases"].removed == []
    assert ch.fields["aliases"].old == ["SMIC", "SMIC Shanghai"]


def test_diff_reverse_is_symmetric(two):
    store, a, b = two
    fwd, back = store.diff(a.id, b.id), store.diff(str(b.id), str(a.id))
    assert {p.id for p in fwd.added} == {p.id for p in back.removed}
    assert {p.id for p in fwd.removed} == {p.id for p in back.added}
    assert back.changed[0].fields["aliases"].removed == ["SMIC Corp"]


def test_diff_same_snapshot_is_empty(two):
    store, a, _ = two
    d = store.diff(a.id, a.id)
    assert not d.added and not d.removed and not d.changed and d.unchanged == 4


def test_diff_reports_scalar_field_changes():
    old = [Party(id="1", list_code="EL", name="A", license_policy="Case by case")]
    new = [Party(id="1", list_code="EL", name="A", license_policy="Presumption of denial",
                 end_date="2024-01-01")]
    side = DiffSide("x", "file", None, "csl", "csl_csv", "x", "0", None, 1)
    d = diff_parties(side, old, side, new)
    f = d.changed[0].fields
    assert set(f) == {"license_policy", "end_date"}
    assert f["license_policy"].old == "Case by case" and f["license_policy"].new == "Presumption of denial"
    assert f["end_date"].added is None  # scalar: no element lists


def test_diff_keeps_repeated_ids():
    old = [Party(id="1", list_code="EL", name="A")]
    new = [Party(id="1", list_code="EL", name="A"), Party(id="1", list_code="SDN", name="A")]
    side = DiffSide("x", "file", None, "csl", "csl_csv", "x", "0", None, 1)
    d = diff_parties(side, old, side, new)
    assert [(p.id, p.list_code) for p in d.added] == [("1", "SDN")]


def test_diff_json_shape_is_stable(two):
    store, a, b = two
    j = store.diff(a.id, b.id).to_dict()
    assert list(j) == ["old", "new", "counts", "ignored_fields", "by_list", "changed_fields", "added",
                       "removed", "changed"]
    assert j["counts"] == {"added": 2, "removed": 1, "changed": 1, "unchanged": 2, "matched_by_name": 0}
    assert j["ignored_fields"] == {"source_url": "link metadata"}
    assert j["changed"][0]["matched_by"] == "id" and j["changed"][0]["old_id"] == "e1"
    assert j["by_list"]["EL"] == {"added": 1, "removed": 0, "changed": 1}
    assert j["old"]["kind"] == "snapshot" and j["old"]["snapshot_id"] == a.id
    assert set(j["added"][0]) == {"id", "list_code", "name", "kind", "federal_register", "start_date", "end_date"}
    assert j["changed"][0]["fields"]["aliases"]["added"] == ["SMIC Corp"]
    json.dumps(j)  # serialisable


def test_diff_summary_names_the_changes(two):
    store, a, b = two
    text = store.diff(a.id, b.id).summary()
    assert "2 added, 1 removed, 1 changed, 2 unchanged" in text
    assert "Yangtze Memory Technologies" in text and "87 FR 77505" in text
    assert "IVANOV, Ivan" in text


def test_diff_unknown_snapshot_is_an_error(two):
    store, a, _ = two
    with pytest.raises(StoreError, match="no snapshot 99"):
        store.diff(a.id, 99)


def _side(fmt: str) -> DiffSide:
    return DiffSide("x", "file", None, "csl", fmt, "x", "0", None, 1)


def test_unmatched_ids_are_paired_by_list_and_name():
    old = [Party(id="hash1", list_code="EL", name="Huawei Technologies Co., Ltd.", countries=["CN"]),
           Party(id="hash2", list_code="EL", name="Same Name"), Party(id="hash3", list_code="EL", name="Same Name"),
           Party(id="hash4", list_code="SDN", name="Other")]
    new = [Party(id="n1", list_code="EL", name="HUAWEI TECHNOLOGIES CO LTD", countries=["CN", "HK"]),
           Party(id="n2", list_code="EL", name="Same Name"),
           Party(id="n4", list_code="EL", name="Other")]  # same name, other list: not paired
    d = diff_parties(_side("csl_csv"), old, _side("csl_csv"), new)
    assert d.matched_by_name == 1
    (ch,) = d.changed
    assert (ch.old.id, ch.new.id, ch.matched_by) == ("hash1", "n1", "name")
    assert set(ch.fields) == {"name", "countries"}  # the id is not reported as a change
    assert ch.fields["countries"].added == ["HK"]
    # ambiguous names (two "Same Name" on the old side) are not guessed
    assert {p.id for p in d.removed} == {"hash2", "hash3", "hash4"}
    assert {p.id for p in d.added} == {"n2", "n4"}


def test_fields_one_format_lacks_are_not_compared_across_formats():
    old = [Party(id="1", list_code="EL", name="A", remarks="r", addresses=[Address(text="x")],
                 extra={"ids": ["USCC 1"], "entity_number": "1"}),
           Party(id="2", list_code="EL", name="B", extra={"entity_number": "2"})]
    new = [Party(id="1", list_code="EL", name="A", extra={"entity_number": "1"}),
           Party(id="2", list_code="EL", name="B2", extra={"entity_number": "2"})]
    d = diff_parties(_side("csl_csv"), old, _side("compact_json"), new)
    assert set(d.ignored_fields) == {"source_url", "remarks", "addresses", "extra.ids"}
    assert d.unchanged == 1 and [c.id for c in d.changed] == ["2"]
    # same format: the missing remarks/addresses/ids are real changes
    same = diff_parties(_side("csl_csv"), old, _side("csl_csv"), new)
    assert set(same.changed[0].fields) == {"remarks", "addresses", "extra"}


def test_case_and_spacing_only_are_not_changes():
    old = [Party(id="1", list_code="CMIC", name="CHINA MOBILE  LIMITED", aliases=["CHINA MOBILE LTD"])]
    new = [Party(id="1", list_code="CMIC", name="China Mobile Limited", aliases=["China Mobile Ltd", "CML"])]
    d = diff_parties(_side("csl_csv"), old, _side("csl_csv"), new)
    (ch,) = d.changed
    assert set(ch.fields) == {"aliases"}
    assert ch.fields["aliases"].added == ["CML"] and ch.fields["aliases"].removed == []


_names = st.sampled_from(["Alpha Co", "ALPHA CO", "Beta Ltd", "Gamma", "Delta GmbH"])
_p = st.builds(Party, id=st.sampled_from(list("abcdefgh")), list_code=st.sampled_from(["EL", "SDN"]),
               name=_names, aliases=st.lists(_names, max_size=2),
               license_policy=st.none() | st.sampled_from(["Case by case", "Presumption of denial"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_p, max_size=8), st.lists(_p, max_size=8))
def test_diff_accounts_for_every_party(old, new):
    d = diff_parties(_side("csl_csv"), old, _side("csl_csv"), new)
    assert len(d.added) + len(d.changed) + d.unchanged == len(new)
    assert len(d.removed) + len(d.changed) + d.unchanged == len(old)
    same = diff_parties(_side("csl_csv"), new, _side("csl_csv"), new)
    assert not same.added and not same.removed and not same.changed
    back = diff_parties(_side("csl_csv"), new, _side("csl_csv"), old)
    assert (len(back.added), len(back.removed), len(back.changed)) == (len(d.removed), len(d.added), len(d.changed))
