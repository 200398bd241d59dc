"""Engine behaviour with hand-built Party objects and the stand-in screener, plus properties."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earcheck.lists.countries import iso2
from earcheck.models import Party
from earcheck.rules import DECISIONS, NoListsLoaded, TransactionError, check_license, load_all
from earcheck.rules.steps import STEPS

from .fakes import FakeScreener

ACME = Party(id="el-acme", list_code="EL", name="Acme Listed Semiconductor Co", countries=["CN"],
             start_date="2021-06-01", license_requirement="For all items subject to the EAR.",
             license_policy="Presumption of denial", federal_register="99 FR 1")
DENIED = Party(id="dpl-1", list_code="DPL", name="Denied Trading LLC", start_date="2019-01-01",
               end_date="2030-01-01")


def tx(**kw):
    base = {"date": "2022-01-01", "destination": "CN", "item": {"classification": "EAR99"},
            "parties": [{"role": "end_user", "name": "Acme Listed Semiconductor Co", "country": "CN"}]}
    base.update(kw)
    return base


def rules(res):
    return [r["rule"] for r in res["requirements"]]


def test_steps_are_declared_in_order_with_docstrings():
    names = [s.__name__ for s in STEPS]
    assert names[0] == "subject_to_ear" and names.index("denial_orders") < names.index("entity_list")
    assert all(s.__doc__ and "§" in s.__doc__ for s in STEPS), [s.__name__ for s in STEPS if "§" not in (s.__doc__ or "")]


def test_review_hit_on_entity_list_is_indeterminate_not_clear():
    scr = FakeScreener([ACME], match=0.99, review=0.8)
    res = check_license(tx(parties=[{"name": "Acme Listed Semiconductor Company", "country": "CN"}]), screener=scr)
    assert res["decision"] == "indeterminate"
    assert any(q.startswith("[review:") for q in res["open_questions"])


def test_licence_held_authorizes_but_never_overcomes_gp4():
    scr = FakeScreener([ACME, DENIED])
    held = [{"type": "license", "number": "D123456"}]
    res = check_license(tx(authorizations=held), screener=scr)
    assert res["decision"] == "authorized"
    assert res["requirements"][0]["authorized_by"] == "BIS licence D123456"
    res = check_license(tx(parties=[{"name": "Denied Trading LLC"}], authorizations=held), screener=scr)
    assert res["decision"] == "prohibited"


def test_eccn_not_encoded_is_a_question_not_clearance():
    # 9A699 is in neither CCL table (no such ECCN in the eCFR of 2026-07-23).
    res = check_license(tx(item={"classification": "9A699.a"}, parties=[]), screener=FakeScreener([]))
    assert res["decision"] == "indeterminate"
    assert any("[eccn_not_encoded]" in q for q in res["open_questions"])


def test_3a090_before_its_creation_is_not_guessed():
    res = check_license(tx(date="2022-06-01", item={"classification": "3A090.a"}, parties=[]), screener=FakeScreener([]))
    assert res["decision"] == "indeterminate"


def test_huawei_standards_carve_out():
    hw = Party(id="hw", list_code="EL", name="Huawei Technologies Co., Ltd.", start_date="2019-05-16",
               license_requirement=("For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 "
                                    "of the EAR, EXCEPT for technology subject to the EAR that is designated "
                                    "as EAR99 ... released to members of a standards organization"),
               license_policy="Presumption of denial")
    scr = FakeScreener([hw])
    t = tx(date="2021-01-01", item={"classification": "EAR99", "kind": "technology"},
           parties=[{"name": "Huawei Technologies Co., Ltd."}])
    assert check_license(t, screener=scr)["decision"] == "license_required"
    t["end_uses"] = ["standards_activity"]
    res = check_license(t, screener=scr)
    assert res["decision"] == "no_license_required" and res["notes"][0]["rule"] == "744.11"


def test_owner_with_unknown_share_raises_red_flag_29():
    scr = FakeScreener([ACME])
    t = tx(date="2025-10-15", parties=[{"name": "Unlisted Sub Co", "owners": [{"name": "Acme Listed Semiconductor Co"}]}])
    res = check_license(t, screener=scr)
    assert res["decision"] == "indeterminate"
    assert any("Red Flag 29" in q for q in res["open_questions"])


def test_aggregate_ownership_by_two_listed_owners():
    other = Party(id="el-b", list_code="EL", name="Beta Listed Foundry Ltd", start_date="2020-01-01",
                  license_requirement="For all items subject to the EAR.", license_policy="Policy of denial")
    scr = FakeScreener([ACME, other])
    t = tx(date="2025-10-15", parties=[{"name": "Joint Venture Co", "owners": [
        {"name": "Acme Listed Semiconductor Co", "percent": 30}, {"name": "Beta Listed Foundry Ltd", "percent": 25}]}])
    res = check_license(t, screener=scr)
    assert rules(res) == ["744.11"]
    req = res["requirements"][0]
    assert req["inherited_from"] == "Beta Listed Foundry Ltd"  # most restrictive owner
    assert req["review_policy"] == "Policy of denial"


def test_transaction_errors_are_one_line():
    with pytest.raises(TransactionError) as e:
        check_license({"date": "2021-01-01", "destination": "CN", "parties": [{"role": "seller", "name": "X"}]})
    assert "parties.0.role" in str(e.value) and "\n" not in str(e.value)


def test_no_lists_loaded_is_an_error_not_clearance():
    with pytest.raises(NoListsLoaded, match="no lists loaded"):
        check_license(tx(), store=_EmptyStore())


class _EmptyStore:
    def current_snapshots(self):
        return []


# ------------------------------------------------------------------ properties
DAYS = st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2030, 12, 31))
SETTINGS = settings(max_examples=60, deadline=None)


EL_DAYS = st.dates(min_value=dt.date(1997, 2, 3), max_value=dt.date(2030, 12, 31))  # EL since 62 FR 4910


@SETTINGS
@given(listed=EL_DAYS, day=EL_DAYS)
def test_property_entity_list_requirement_starts_with_the_listing(listed, day):
    p = Party(id="el-x", list_code="EL", name="Acme Listed Semiconductor Co", start_date=listed.isoformat(),
              license_requirement="For all items subject to the EAR.", license_policy="Presumption of denial")
    res = check_license(tx(date=day.isoformat()), screener=FakeScreener([p]))
    assert ("744.11" in rules(res)) == (day >= listed)


def _non_embargoed():
    tables = load_all()
    chart = tables["part_738.country_chart"]
    emb = set(tables["part_746.embargoes"].values)
    return sorted(k for k in chart.values if k not in emb and k != "HK")


@SETTINGS
@given(dest=st.sampled_from(_non_embargoed()), day=DAYS)
def test_property_ear99_unlisted_non_embargoed_never_needs_a_licence(dest, day):
    res = check_license(tx(date=day.isoformat(), destination=dest,
                           parties=[{"name": "Plain Unlisted Customer GmbH", "country": dest}]),
                        screener=FakeScreener([ACME]))
    assert res["decision"] == "no_license_required", res


@SETTINGS
@given(pct=st.floats(min_value=0, max_value=100), dest=st.sampled_from(["CN", "JP", "IR", "CU", "DE", "KP"]))
def test_property_de_minimis_threshold(pct, dest):
    res = check_license({"date": "2024-06-01", "from_country": "JP", "destination": dest,
                         "item": {"classification": "3A991", "made_in": "JP", "us_controlled_content_pct": pct}},
                        screener=FakeScreener([]))
    limit = 10 if dest in ("IR", "CU", "KP") else 25
    assert res["subject_to_ear"]["subject"] == (pct > limit)


@SETTINGS
@given(pct=st.floats(min_value=0, max_value=100), day=DAYS)
def test_property_affiliates_rule(pct, day):
    t = tx(date=day.isoformat(), parties=[{"name": "Unlisted Sub Co",
                                           "owners": [{"name": "Acme Listed Semiconductor Co", "percent": pct}]}])
    res = check_license(t, screener=FakeScreener([ACME]))
    d = day.isoformat()
    in_force = ("2025-09-29" <= d <= "2025-11-09") or d >= "2026-11-10"
    assert ("744.11" in rules(res)) == (in_force and pct >= 50 and d >= ACME.start_date)


@SETTINGS
@given(day=st.dates(min_value=dt.date(2019, 1, 2), max_value=dt.date(2029, 12, 31)),
       item=st.sampled_from(["EAR99", "3A001.a.2", "3B001.c", "5A992.c"]))
def test_property_denied_party_is_always_prohibited(day, item):
    res = check_license(tx(date=day.isoformat(), item={"classification": item},
                           parties=[{"name": "Denied Trading LLC"}]), screener=FakeScreener([DENIED]))
    assert res["decision"] == "prohibited"


# ------------------------------------------------------------------ more rules
MEU_PARTY = Party(id="meu-1", list_code="MEU", name="Example Aviation Industry Corp", start_date="2020-12-23",
                  license_requirement="For all items subject to the EAR. (See §744.21(b))",
                  license_policy="Presumption of denial")


def test_meu_list_party_asks_about_supp2_and_skips_ear99():
    scr = FakeScreener([MEU_PARTY])
    t = tx(date="2021-06-01", parties=[{"name": "Example Aviation Industry Corp"}])
    res = check_license(t, screener=scr)
    assert res["decision"] == "no_license_required" and res["notes"][0]["rule"] == "744.21"
    t["item"] = {"classification": "3A991"}
    res = check_license(t, screener=scr)
    assert res["decision"] == "indeterminate" and any("[supp2_744]" in q for q in res["open_questions"])
    t["answers"] = {"supp2_744": True}
    res = check_license(t, screener=scr)
    assert rules(res) == ["744.21"] and res["requirements"][0]["license_exceptions"] == ["GOV (740.11(b)(2)(i)-(ii))"]
    t["date"] = "2020-12-01"  # before the MEU List entry
    assert check_license(t, screener=scr)["decision"] == "no_license_required"


def test_sdn_program_maps_to_part_744_section():
    sdgt = Party(id="sdn-1", list_code="SDN", name="Example Front Company", programs=["SDGT"])
    res = check_license(tx(destination="AE", parties=[{"name": "Example Front Company"}]),
                        screener=FakeScreener([sdgt]))
    assert rules(res) == ["744.12"] and res["decision"] == "license_required"


def test_russia_ear99_is_asked_not_cleared_and_cuba_always_requires():
    res = check_license(tx(date="2023-01-01", destination="RU", parties=[]), screener=FakeScreener([]))
    assert res["decision"] == "indeterminate" and any("[part746_ear99]" in q for q in res["open_questions"])
    res = check_license(tx(date="2021-01-01", destination="RU", parties=[]), screener=FakeScreener([]))
    assert res["decision"] == "no_license_required"  # before 746.8 (2022-02-24)
    res = check_license(tx(destination="CU", parties=[]), screener=FakeScreener([]))
    assert rules(res) == ["746.2"]


def test_veu_without_facility_is_asked():
    res = check_license({"date": "2024-06-01", "destination": "CN", "item": {"classification": "3B001.c"},
                         "parties": [{"name": "Samsung China Semiconductor Co., Ltd."}],
                         "answers": {"veu_item_eligible": True}}, screener=FakeScreener([]))
    assert res["decision"] == "license_required"
    assert any("[veu_facility]" in q for q in res["open_questions"])


def test_huawei_fdp_version_1_needs_a_huawei_design():
    hw = Party(id="hw", list_code="EL", name="Huawei Technologies Co., Ltd.", start_date="2019-05-16",
               license_requirement="For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11",
               license_policy="Presumption of denial")
    scr = FakeScreener([hw])
    base = {"date": "2020-06-01", "from_country": "TW", "destination": "CN",
            "item": {"classification": "3A991", "made_in": "TW", "direct_product_of": ["3E001"]},
            "parties": [{"name": "Huawei Technologies Co., Ltd."}], "answers": {"fdp_savings_clause": False}}
    assert check_license(base, screener=scr)["decision"] == "not_subject_to_ear"
    base["item"]["designed_by"] = "Huawei Technologies Co., Ltd."
    res = check_license(base, screener=scr)
    assert res["decision"] == "license_required" and "736.2(b)(3)(vi)" in res["requirements"][0]["citation"]


def test_ecfr_ccl_conversion_covers_other_eccns_from_its_date():
    scr = FakeScreener([])
    chem = {"destination": "CN", "item": {"classification": "1C350"}}
    assert rules(check_license({**chem, "date": "2026-08-01"}, screener=scr)) == ["738.4"]  # CB 2: X for China
    assert check_license({**chem, "destination": "DE", "date": "2026-08-01"}, screener=scr)["decision"] == "no_license_required"
    # The conversion is the text of 2026-07-23: on an earlier date it is applied with a caution
    # note (1C350 is not in part_774/eccn_history.yaml); before 1996 it is asked, not guessed.
    early = check_license({**chem, "date": "2024-01-01"}, screener=scr)
    assert rules(early) == ["738.4"]
    assert any(n["rule"] == "774" and "CCL text of 2026-07-23 applied" in n["summary"] for n in early["notes"])
    old = check_license({**chem, "date": "1990-01-01"}, screener=scr)
    assert old["decision"] == "indeterminate" and any("[eccn_not_encoded]" in q for q in old["open_questions"])
    # "entire entry except .y" rows: the .y paragraph is outside them.
    y = check_license({"date": "2026-08-01", "destination": "DE", "item": {"classification": "0A501.y"}}, screener=scr)
    a = check_license({"date": "2026-08-01", "destination": "DE", "item": {"classification": "0A501.a"}}, screener=scr)
    assert "738.4" in rules(a) and "738.4" not in rules(y)


def test_paragraph_parsing_of_the_conversion():
    from earcheck.rules.convert import parse_paragraphs

    assert parse_paragraphs("3B001.a.4, c, d, f.1, f.5, f.6, k to n, p.2, p.4, r", "3B001") == [
        "a.4", "c", "d", "f.1", "f.5", "f.6", "k", "l", "m", "n", "p.2", "p.4", "r"]
    assert parse_paragraphs("3B001.a.1 to a.3, b, e", "3B001") == ["a.1", "a.2", "a.3", "b", "e"]
    assert parse_paragraphs("entire entry except 0A501.y", "0A501") == {"all_except": ["y"]}
    assert parse_paragraphs("“software” for equipment controlled by 3B001.q", "3D001") is None


def test_structured_questions_and_unknown_knowledge():
    res = check_license(tx(knowledge=["saw_a_red_flag"], parties=[]), screener=FakeScreener([]))
    assert res["decision"] == "indeterminate"
    q = {x["id"]: x for x in res["questions"]}
    assert q["knowledge:saw_a_red_flag"]["blocking"] is True
    assert len(res["questions"]) == len(res["open_questions"])


_ECCNS = sorted(load_all()["part_774.ccl_ecfr"].values)


@settings(max_examples=150, deadline=None)
@given(dest=st.from_regex(r"[A-Z]{2}", fullmatch=True).filter(iso2),
       day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2035, 12, 31)),
       eccn=st.sampled_from(["EAR99", *_ECCNS]),
       sub=st.sampled_from(["", ".a", ".b.1", ".y", ".z"]),
       made_in=st.sampled_from(["US", "JP", "CN"]),
       pct=st.floats(min_value=0, max_value=100),
       tech=st.sampled_from([[], ["3E001"], ["3E992"]]),
       uses=st.lists(st.sampled_from(["military", "advanced_node_ic", "supercomputer", "backend_assembly_test"]), max_size=2))
def test_property_never_crashes_and_always_decides(dest, day, eccn, sub, made_in, pct, tech, uses):
    t = {"date": day.isoformat(), "destination": dest, "from_country": made_in,
         "item": {"classification": eccn + (sub if eccn != "EAR99" else ""), "made_in": made_in,
                  "us_controlled_content_pct": pct, "direct_product_of": tech},
         "parties": [{"name": "Acme Listed Semiconductor Co", "owners": [{"name": "Someone", "percent": 60}]}],
         "end_uses": uses}
    res = check_license(t, screener=FakeScreener([ACME, DENIED]))
    assert res["decision"] in DECISIONS
    assert all(r["citation"].startswith("15 CFR") for r in res["requirements"])
    assert all(n["citation"].startswith("15 CFR") for n in res["notes"] if n["rule"] != "OFAC")


def test_hong_kong_transition_is_asked_then_china():
    scr = FakeScreener([])
    item = {"classification": "3A001.a.2"}  # NS 2: X for China
    mid = check_license({"date": "2020-10-01", "destination": "HK", "item": item}, screener=scr)
    assert mid["decision"] == "indeterminate" and mid["destination"] == "HK"
    assert any("[destination_note:HK]" in q for q in mid["open_questions"])
    after = check_license({"date": "2021-03-01", "destination": "HK", "item": item}, screener=scr)
    assert after["decision"] == "license_required" and after["destination"] == "CN"
    assert after["notes"][0]["rule"] == "738.3"
