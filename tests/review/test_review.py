"""The review layer: cases open only for new alerts, decisions and audit rows are append-only."""
from __future__ import annotations

import sqlite3

import pytest

from earcheck.models import Party
from earcheck.review import Review, ReviewError, entry_hash, hit_record, read_rows, rescreen


class _Hit:
    def __init__(self, party: Party, score: float = 0.95, decision: str = "match"):
        self.party, self.score, self.decision = party, score, decision
        self.matched_name, self.explanation = party.name, "test hit"


SMIC = Party(id="smic-1", list_code="EL", name="Semiconductor Manufacturing International Corporation",
             aliases=["SMIC"], countries=["CN"], license_requirement="For all items subject to the EAR.",
             license_policy="Case-by-case review.")


@pytest.fixture
def review(tmp_path):
    path = tmp_path / "r.sqlite"
    return Review(lambda: sqlite3.connect(path))


def _screen(review, party=SMIC, name="SMIC", origin="single"):
    return review.record_screening({"name": name, "country": "CN"}, "match", [hit_record(_Hit(party))],
                                   user="ana", origin=origin, snapshot="abc")


def test_alert_opens_case_once_and_decision_is_recorded(review):
    first = _screen(review)
    assert first["case_id"] is not None and first["new"] == ["EL:smic-1"]
    again = _screen(review, name="  smic ")  # same customer, same entry: no second case
    assert again["case_id"] is None and again["known_cases"] == [first["case_id"]]
    assert [c["id"] for c in review.queue()] == [first["case_id"]]
    review.decide(first["case_id"], "false_positive", "different company", user="ana")
    assert review.queue() == []
    case = review.case(first["case_id"])
    assert case["status"] == "false_positive" and case["decisions"][0]["comment"] == "different company"
    assert case["hits"][0]["license_policy"] == "Case-by-case review."


def test_changed_entry_reopens_a_cleared_party(review):
    first = _screen(review)
    review.decide(first["case_id"], "false_positive", "", user="ana")
    changed = Party.from_dict(dict(SMIC.to_dict(), license_policy="Presumption of denial."))
    assert entry_hash(changed) != entry_hash(SMIC)
    out = _screen(review, party=changed, origin="rescreen")
    assert out["case_id"] is not None and out["case_id"] != first["case_id"]


def test_decisions_and_audit_are_append_only(review, tmp_path):
    first = _screen(review)
    review.decide(first["case_id"], "escalated", "check owner", user="ana")
    conn = sqlite3.connect(tmp_path / "r.sqlite", isolation_level=None)
    for sql in ("UPDATE review_decisions SET decision = 'false_positive'",
                "DELETE FROM review_decisions", "UPDATE review_audit SET user = 'x'",
                "DELETE FROM review_audit", "UPDATE review_cases SET hits = '[]'",
                "DELETE FROM review_cases"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()
    actions = [r["action"] for r in review.audit_rows()]
    assert actions == ["decision", "screening"]
    csv_text = "".join(review.audit_csv())
    assert csv_text.splitlines()[0] == "id,at,user,action,inputs,snapshot,result"
    assert "check owner" in csv_text


def test_bad_decision_and_unknown_case(review):
    first = _screen(review)
    with pytest.raises(ReviewError, match="decision must be one of"):
        review.decide(first["case_id"], "maybe", user="ana")
    with pytest.raises(ReviewError, match="no case 999"):
        review.decide(999, "true_match", user="ana")


def test_rescreen_raises_only_new_alerts(review):
    _screen(review)
    review.record_screening({"name": "Acme Widgets", "country": "US"}, "clear", [], user="ana",
                            origin="batch", snapshot="abc")
    other = Party(id="acme-9", list_code="EL", name="Acme Widgets", countries=["US"])

    def screen(name, country, address):
        if name == "SMIC":
            return "match", [hit_record(_Hit(SMIC))]
        return "match", [hit_record(_Hit(other))]

    out = rescreen(review, screen, user="system", snapshot="def")
    assert out["screened"] == 2 and len(out["new_cases"]) == 1 and out["quiet"] == 1
    assert review.case(out["new_cases"][0])["customer"] == "Acme Widgets"
    assert rescreen(review, screen, user="system", snapshot="def")["new_cases"] == []


def test_read_rows_csv_and_excel(tmp_path):
    rows = read_rows(b"Company Name,Country\nSMIC,CN\n,US\nAcme,\n", "c.csv")
    assert rows == [{"row": 0, "name": "SMIC", "country": "CN", "address": None},
                    {"row": 1, "name": "", "country": "US", "address": None},
                    {"row": 2, "name": "Acme", "country": None, "address": None}]
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["customer", "address"])
    wb.active.append(["Huawei", "Shenzhen"])
    wb.save(tmp_path / "c.xlsx")
    assert read_rows((tmp_path / "c.xlsx").read_bytes(), "c.xlsx")[0]["address"] == "Shenzhen"
    with pytest.raises(ReviewError, match="no name column"):
        read_rows(b"foo,bar\n1,2\n", "x.csv")
    with pytest.raises(ReviewError, match="not a readable Excel file"):
        read_rows(b"garbage", "x.xlsx")
    with pytest.raises(ReviewError, match="unsupported file type"):
        read_rows(b"x", "x.pdf")


def test_concurrent_screenings_of_one_new_party_open_one_case(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from earcheck.store import Store

    review = Review(Store(tmp_path / "s.sqlite").connect)
    with ThreadPoolExecutor(16) as pool:
        outs = list(pool.map(lambda _: _screen(review), range(64)))
    assert sum(o["case_id"] is not None for o in outs) == 1
    assert len(review.customers()) == 1 and len(review.queue()) == 1
    assert len(review.audit_rows(action="screening")) == 64


# -- the content hash: decision-relevant fields only, as ``lists diff`` compares them -----------


def test_entry_hash_ignores_format_only_differences():
    same = Party.from_dict(dict(
        SMIC.to_dict(), name="SEMICONDUCTOR  manufacturing International Corporation ",
        aliases=["smic"], remarks="carried by one format only", source_url="https://x",
        addresses=[{"text": "Shanghai"}], federal_register="85 FR 83420", extra={"ids": ["1"]}))
    assert entry_hash(same) == entry_hash(SMIC)
    for field, value in (("name", "SMIC Beijing"), ("aliases", ["SMIC", "SMIC Corp"]),
                         ("license_requirement", "For items on the CCL."),
                         ("license_policy", "Presumption of denial."), ("programs", ["IRAN"]),
                         ("countries", ["CN", "HK"]), ("list_code", "MEU")):
        changed = Party.from_dict(dict(SMIC.to_dict(), **{field: value}))
        assert entry_hash(changed) != entry_hash(SMIC), field


def test_cleared_alert_stays_quiet_when_the_list_changes_format(review, shared_data):
    """QA repro: PTC cleared against SDN 23146 from the 2022 CSV; the same entry from the 2026
    compact JSON (``lists diff``: unchanged) must not open a new case."""
    from earcheck.lists import parse

    csv_entry = next(p for p in parse(shared_data / "csl" / "consolidated_2022-05.csv").parties
                     if p.id == "23146")
    json_entry = next(p for p in parse(shared_data / "ear" / "screening-list.json").parties
                      if p.id == "23146")
    assert csv_entry.to_dict() != json_entry.to_dict()  # the formats differ in other fields
    first = _screen(review, party=csv_entry, name="PTC Inc.")
    review.decide(first["case_id"], "false_positive", "printer in Ohio", user="ana")
    again = _screen(review, party=json_entry, name="PTC Inc.", origin="rescreen")
    assert again["case_id"] is None and again["known_cases"] == [first["case_id"]]


def test_entry_with_another_id_but_same_name_and_content_is_known(review):
    """Formats without shared ids (the 2022 CSV's hash ids, the compact JSON's name hashes)."""
    first = _screen(review)
    review.decide(first["case_id"], "false_positive", "", user="ana")
    other_id = Party.from_dict(dict(SMIC.to_dict(), id="0f0f", source_ids=["0f0f"]))
    assert _screen(review, party=other_id, origin="rescreen")["case_id"] is None
    changed = Party.from_dict(dict(other_id.to_dict(), programs=["NEW"]))
    assert _screen(review, party=changed, origin="rescreen")["case_id"] is not None


def test_decisions_recorded_under_the_earlier_hash_still_count(review):
    from earcheck.review.hits import entry_hash_v1

    legacy = dict(hit_record(_Hit(SMIC)), entry_hash=entry_hash_v1(SMIC))
    legacy.pop("entry_name_key")
    legacy.pop("entry_hash_v1")
    first = review.record_screening({"name": "SMIC", "country": "CN"}, "match", [legacy],
                                    user="ana", origin="single", snapshot="old")
    review.decide(first["case_id"], "false_positive", "", user="ana")
    assert _screen(review, origin="rescreen")["case_id"] is None
    # now remembered under the current hash: a remark is not a change, a new policy is
    remark = Party.from_dict(dict(SMIC.to_dict(), remarks="amended"))
    assert _screen(review, party=remark, origin="rescreen")["case_id"] is None
    policy = Party.from_dict(dict(SMIC.to_dict(), license_policy="Presumption of denial."))
    assert _screen(review, party=policy, origin="rescreen")["case_id"] is not None
