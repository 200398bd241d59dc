"""Listing dates without a start date (QA 1) and lists older than the date (QA 2).

The 2026 screening list gives no start dates: an entry's listing lower bound comes from its
Federal Register cites (``earcheck.models.listing_start``). Hand-built entries keep these fast.
"""
from __future__ import annotations

import pytest

from earcheck.models import Party, listing_start
from earcheck.rules import check_license

from .checks import qids
from .fakes import FakeScreener

YMTC = Party(id="ymtc", list_code="EL", name="Yangtze Memory Technologies Co., Ltd.",
             federal_register="87 FR 77508",
             license_requirement="For All Items Subject to the EAR (See §744.11 of the EAR).",
             license_policy="Presumption for denial")
DATED = Party(id="dated", list_code="EL", name="Dated Cite Electronics Co", countries=["CN"],
              federal_register="86 FR 18437, 4/9/21",
              license_requirement="For all items subject to the EAR.", license_policy="Presumption of denial")
CMIC = Party(id="cmic", list_code="CMIC", name="Undated Military Industrial Corp")
NO_CITE_EL = Party(id="nocite", list_code="EL", name="Uncited Trading Ltd",
                   license_requirement="For all items subject to the EAR.", license_policy="Presumption of denial")
SMIC_BJ = Party(id="smicbj", list_code="EL", name="Semiconductor Manufacturing International (Beijing) Corporation",
                start_date="2020-12-18", federal_register="85 FR 83420",
                license_requirement="For all items subject to the EAR.",
                license_policy="Case-by-case review")


def tx(name, date, item="EAR99", **kw):
    return {"date": date, "destination": "CN", "item": {"classification": item, **kw},
            "parties": [{"role": "end_user", "name": name, "country": "CN"}]}


def rules(res):
    return [r["rule"] for r in res["requirements"]]


@pytest.fixture(scope="module")
def scr():
    return FakeScreener([YMTC, DATED, CMIC, NO_CITE_EL, SMIC_BJ])


@pytest.mark.parametrize("text,day,year,source", [
    ("87 FR 77508", None, 2022, "fr_volume"),
    ("85 FR 83420, 12/22/20", "2020-12-22", 2020, "fr_date"),
    ("64 F.R. 40818 7/28/99", "1999-07-28", 1999, "fr_date"),
    ("86 FR 18437; 87 FR 62202", None, 2021, "fr_volume"),
    ("87 FR 62202; 86 FR 18437", None, 2021, "fr_volume"),       # earliest cite, not the first
    ("Vol. 87, No. 57, 03/24/2022", "2022-03-24", 2022, "fr_date"),
    ("76 FR no. 242 pg. 78146, 77 FR 58006 (no. 182)", None, 2011, "fr_volume"),
    ("", None, None, "unknown"),
])
def test_listing_start_from_fr_cites(text, day, year, source):
    ls = listing_start(Party(id="x", list_code="EL", name="x", federal_register=text))
    assert (ls.day, ls.year, ls.source) == (day, year, source)


def test_start_date_wins_and_active_on_uses_exact_fr_dates_only():
    p = Party(id="x", list_code="EL", name="x", start_date="2019-05-16", federal_register="87 FR 1")
    assert listing_start(p).day == "2019-05-16"
    assert not DATED.active_on("2021-02-01") and DATED.active_on("2021-03-20") and DATED.active_on("2021-05-01")
    assert YMTC.active_on("2021-06-01")  # a volume year alone is not used by active_on


def test_ymtc_before_its_fr_year_is_not_listed(scr):
    res = check_license(tx(YMTC.name, "2021-06-01"), screener=scr)
    assert res["decision"] == "no_license_required"
    assert "744.11" not in rules(res)
    assert any("not yet listed" in n["summary"] and "87 FR 77508" in n["summary"] for n in res["notes"])


def test_ymtc_in_its_fr_year_asks_and_blocks_when_it_decides(scr):
    res = check_license(tx(YMTC.name, "2022-06-01"), screener=scr)
    q = [q for q in res["questions"] if q["id"] == "listed_on_date:ymtc"]
    assert q and q[0]["blocking"] and "listed in 2022 per 87 FR 77508" in q[0]["text"]
    assert res["decision"] == "indeterminate" and not res["requirements"]
    answered = check_license({**tx(YMTC.name, "2022-06-01"), "answers": {"listed_on_date:ymtc": True}},
                             screener=scr)
    assert answered["decision"] == "license_required" and "744.11" in rules(answered)
    no = check_license({**tx(YMTC.name, "2022-06-01"), "answers": {"listed_on_date:ymtc": False}},
                       screener=scr)
    assert no["decision"] == "no_license_required"


def test_same_year_not_deciding_is_treated_as_listed_with_a_note(scr):
    # 3B001.c to China needs a licence under the chart anyway: the question does not block
    res = check_license(tx(YMTC.name, "2022-06-01", item="3B001.c"), screener=scr)
    assert res["decision"] == "license_required"
    assert "744.11" in rules(res) and "738.4" in rules(res)
    q = [q for q in res["questions"] if q["id"] == "listed_on_date:ymtc"]
    assert q and not q[0]["blocking"]
    assert any("treated as listed" in n["summary"] for n in res["notes"])


def test_ymtc_after_its_fr_year_is_listed(scr):
    res = check_license(tx(YMTC.name, "2023-06-01"), screener=scr)
    assert res["decision"] == "license_required" and "listed_on_date:ymtc" not in qids(res)


def test_exact_fr_date_decides(scr):
    assert check_license(tx(DATED.name, "2021-02-01"), screener=scr)["decision"] == "no_license_required"
    # within 30 days before publication the date is in doubt (effective before published)
    near = check_license(tx(DATED.name, "2021-03-20"), screener=scr)
    assert near["decision"] == "indeterminate" and "listed_on_date:dated" in qids(near)
    assert check_license(tx(DATED.name, "2021-04-09"), screener=scr)["decision"] == "license_required"


def test_undated_uncited_cmic_hit_adds_nothing_and_says_start_date_unknown(scr):
    res = check_license(tx(CMIC.name, "2019-06-01"), screener=scr)
    assert res["decision"] == "no_license_required" and not res["requirements"]
    hit = res["screening"][0]["hits"][0]
    assert hit["list_code"] == "CMIC" and "start date unknown" in hit["listed_from"]


def test_undated_uncited_el_entry_is_treated_as_listed_with_a_note(scr):
    res = check_license(tx(NO_CITE_EL.name, "2019-06-01"), screener=scr)
    assert res["decision"] == "license_required"
    assert any("start date unknown" in n["summary"] for n in res["notes"])


# ------------------------------------------------------------------ QA 2: stale lists
def korean_tool(date):
    t = tx(SMIC_BJ.name, date, item="3B001.c", made_in="KR", us_controlled_content_pct=0,
           direct_product_of=["3E001"])
    t["from_country"] = "KR"
    return t


def test_lists_older_than_the_date_block_a_not_subject_answer_on_an_el_party():
    scr = FakeScreener([SMIC_BJ])
    scr.lists_published = "2022-04-21"
    res = check_license(korean_tool("2025-03-01"), screener=scr)
    q = [q for q in res["questions"] if q["id"] == "lists_as_of"]
    assert q and q[0]["blocking"] and "2022-04-21" in q[0]["text"]
    assert res["decision"] == "indeterminate"
    ok = check_license({**korean_tool("2025-03-01"), "answers": {"lists_as_of": True}}, screener=scr)
    assert ok["decision"] == "not_subject_to_ear"
    # lists newer than the date: no question
    before = check_license(korean_tool("2022-03-01"), screener=scr)
    assert before["decision"] == "not_subject_to_ear" and "lists_as_of" not in qids(before)


def test_stale_lists_without_an_el_party_is_a_note_only():
    scr = FakeScreener([SMIC_BJ])
    scr.lists_published = "2022-04-21"
    res = check_license(tx("Acme Unlisted Widgets Co", "2025-03-01"), screener=scr)
    q = [q for q in res["questions"] if q["id"] == "lists_as_of"]
    assert q and not q[0]["blocking"] and res["decision"] == "no_license_required"


def test_ymtc_2021_with_the_real_2026_list(shared_data):
    """QA: the 2026 list (no start dates) made YMTC (listed Dec 2022, 87 FR 77508) need a
    licence in 2021."""
    from earcheck.lists import parse

    parties = [p for p in parse(shared_data / "ear" / "screening-list.json").parties
               if "yangtze memory" in p.name.lower()]
    assert parties and not any(p.start_date for p in parties)
    res = check_license(tx("Yangtze Memory Technologies Co., Ltd.", "2021-06-01"),
                        screener=FakeScreener(parties))
    assert res["decision"] == "no_license_required" and "744.11" not in rules(res)
    assert check_license(tx("Yangtze Memory Technologies Co., Ltd.", "2023-06-01"),
                         screener=FakeScreener(parties))["decision"] == "license_required"


def test_fr_year_with_a_known_rule_date_is_exact():
    """84 FR 22963 (Huawei) is in part_744/entry_effective_dates.yaml: effective 2019-05-16."""
    hw = Party(id="hw", list_code="EL", name="Huawei Technologies Co., Ltd.",
               federal_register="84 FR 22963; 85 FR 29853", license_requirement="For all items subject to the EAR.",
               license_policy="Presumption of denial")
    scr = FakeScreener([hw])
    before = check_license(tx(hw.name, "2019-04-01"), screener=scr)
    assert before["decision"] == "no_license_required" and not before["questions"]
    after = check_license(tx(hw.name, "2019-06-01"), screener=scr)
    assert after["decision"] == "license_required" and "listed_on_date:hw" not in qids(after)
    assert "effective 2019-05-16" in after["requirements"][0]["summary"]
