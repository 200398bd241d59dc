"""The eCFR CCL of 2026-07-23 applied to earlier dates, and the ECCN history that stops it."""
from __future__ import annotations

import pytest

from earcheck.rules import check_license, load_all
from earcheck.rules.steps import ERA_SCOPES

from .fakes import FakeScreener

SCR = FakeScreener([])


def run(cls, date, dest="CN", **kw):
    return check_license({"date": date, "destination": dest, "item": {"classification": cls, **kw}},
                         screener=SCR)


def qids(res, blocking=None):
    return [q["id"] for q in res["questions"] if blocking is None or q["blocking"] is blocking]


def caution(res):
    return [n for n in res["notes"] if n["rule"] == "774"]


@pytest.mark.parametrize("cls", ["3B991", "3D991", "3B991.b.1"])
def test_3b991_to_china_in_2021_is_answered_with_a_caution(cls):
    res = run(cls, "2021-03-01")
    assert res["decision"] == "no_license_required"   # AT only: no X for China
    (note,) = caution(res)
    assert "CCL text of 2026-07-23 applied to 2021-03-01" in note["summary"]
    assert "verify the entry's text on the transaction date" in note["summary"]
    assert note["citation"].startswith("15 CFR part 774") and "2026-07-23" in note["citation"]
    assert qids(res, blocking=True) == []


def test_backdated_row_still_requires_where_the_chart_has_an_x():
    # 3B991 is AT 1: Iran's row is empty, Part 746 governs; North Korea has AT 1 marked.
    kp = run("3B991", "2021-03-01", dest="KP")
    assert kp["decision"] == "license_required" and caution(kp)


@pytest.mark.parametrize("cls,date", [("3A090.a", "2021-03-01"), ("4A090", "2021-03-01"),
                                      ("3B993", "2023-06-01"), ("3E993", "2024-11-30"),
                                      ("3A901", "2024-09-05"), ("0A501.a", "2019-12-31")])
def test_eccn_before_its_creation_asks(cls, date):
    res = run(cls, date)
    assert res["decision"] == "indeterminate"
    assert "eccn_not_in_force" in qids(res, blocking=True)
    assert not caution(res)


def test_creation_date_is_the_boundary():
    assert "eccn_not_in_force" in qids(run("3E993", "2024-12-01"))
    after = run("3E993", "2024-12-02")
    assert "eccn_not_in_force" not in qids(after) and caution(after)


def test_removed_eccn_asks_after_its_removal():
    res = run("3B090", "2024-01-01")
    assert res["decision"] == "indeterminate"
    q = next(q for q in res["questions"] if q["id"] == "eccn_not_in_force")
    assert "removed after 2023-11-16" in q["text"] and q["blocking"]
    during = run("3B090", "2023-01-01")
    assert "eccn_not_encoded" in qids(during, blocking=True)


def test_new_paragraphs_only_block_themselves():
    z = run("4A003.z.1", "2022-06-01")
    assert "eccn_not_in_force" in qids(z, blocking=True)
    b = run("4A003.b", "2022-06-01")
    assert "eccn_not_in_force" not in qids(b)
    assert ".z paragraphs" in caution(b)[0]["summary"]


def test_rows_of_the_advanced_computing_era_are_asked_not_applied():
    res = run("3D001", "2021-01-01")
    assert "ccl_row_history" in qids(res)
    assert all("742.6" not in r["citation"] for r in res["requirements"])
    # From 2026-07-23 the text is in force and the rows apply as written.
    assert "ccl_row_history" not in qids(run("3D001", "2026-08-01"))


_ECFR = load_all()["part_774.ccl_ecfr"]
_ERA = sorted(k for k, ps in _ECFR.values.items()
              if any(c.get("scope") in ERA_SCOPES for c in ps[0].value["controls"]))


@pytest.mark.parametrize("eccn", _ERA)
def test_no_era_row_becomes_a_requirement_before_2022(eccn):
    """Every ECCN whose 2026 text has a 2022-2025 destination scope: on a 2021 date to China no
    requirement rests on such a row (only Country Chart columns or Part 746)."""
    res = run(eccn, "2021-06-01")
    for r in res["requirements"]:
        assert r["rule"] == "738.4" or r["rule"].startswith("746"), (eccn, r)


def test_history_table_is_aligned_with_the_conversion():
    hist = load_all()["part_774.eccn_history"]
    hand = load_all()["part_774.ccl"].values
    for key, periods in hist.values.items():
        removed = periods[-1].valid_to is not None
        assert (key in _ECFR.values or key in hand) != removed, key
        assert all(p.fr for p in periods), key
        assert periods[0].value["event"] in ("created", "changed"), key
        if key in hand and periods[0].value["event"] == "created":   # the two tables agree
            assert hand[key][0].valid_from == periods[0].valid_from, key
