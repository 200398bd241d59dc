"""A destination in the United States: not an export or reexport (15 CFR 734.13, 734.14)."""
from __future__ import annotations

from earcheck.models import Party
from earcheck.rules import check_license
from earcheck.rules.render import render_text

from .fakes import FakeScreener

ACME = Party(id="el-acme", list_code="EL", name="Acme Listed Semiconductor Co", countries=["CN"],
             start_date="2021-06-01", license_requirement="For all items subject to the EAR.",
             license_policy="Presumption of denial", federal_register="99 FR 1")
DENIED = Party(id="dpl-1", list_code="DPL", name="Denied Trading LLC", start_date="2019-01-01")
SCR = FakeScreener([ACME, DENIED])


def run(party=None, dest="US", frm="US", cls="3B001.c", kind="commodity", answers=None, scr=SCR):
    tx = {"date": "2022-06-01", "from_country": frm, "destination": dest,
          "item": {"classification": cls, "kind": kind}, "answers": answers or {},
          "parties": [{"name": party, "country": "US"}] if party else []}
    return check_license(tx, screener=scr)


def qs(res):
    return {q["id"]: q for q in res["questions"]}


def test_domestic_sale_needs_no_licence_with_a_note():
    res = run()
    assert res["decision"] == "no_license_required" and res["requirements"] == []
    assert any(n["rule"] == "734.13" and "not an export, reexport" in n["summary"] for n in res["notes"])
    assert qs(res)["onward_export"]["blocking"] is False
    assert "deemed_export" not in qs(res)            # a commodity cannot be deemed-exported


def test_entity_list_party_in_the_us_is_a_prominent_note_not_a_requirement():
    res = run("Acme Listed Semiconductor Co")
    assert res["decision"] == "no_license_required"
    assert not any(r["rule"] == "744.11" for r in res["requirements"])
    note = next(n for n in res["notes"] if n["rule"] == "744.11")
    assert note["summary"].startswith("ENTITY LIST PARTY") and "744.11(a)" in note["summary"]
    assert res["screening"][0]["hits"][0]["list_code"] == "EL"       # still visible
    assert "ENTITY LIST PARTY" in render_text(res)
    # The same party abroad: the Entity List requirement applies.
    abroad = run("Acme Listed Semiconductor Co", dest="CN")
    assert [r["rule"] for r in abroad["requirements"]].count("744.11") == 1


def test_denied_person_stays_prohibited_domestically():
    res = run("Denied Trading LLC")
    assert res["decision"] == "prohibited"
    assert [r["rule"] for r in res["requirements"]] == ["736.2(b)(4)"]


def test_possible_match_blocks_only_for_the_denied_persons_list():
    near_el = run("Acme Listed Semiconductor Company Ltd", scr=FakeScreener([ACME], match=0.99, review=0.7))
    assert near_el["decision"] == "no_license_required"
    assert any(q["id"].startswith("review:") and not q["blocking"] for q in near_el["questions"])
    near_dpl = run("Denied Trading LLC Inc", scr=FakeScreener([DENIED], match=0.99, review=0.7))
    assert near_dpl["decision"] == "indeterminate"


def test_technology_asks_about_deemed_exports_and_onward_export_answer_blocks():
    res = run(cls="3E001", kind="technology")
    assert res["decision"] == "no_license_required"
    assert qs(res)["deemed_export"]["blocking"] is False and "734.13" in qs(res)["deemed_export"]["text"]
    onward = run(answers={"onward_export": True})
    assert onward["decision"] == "indeterminate"
    assert qs(onward)["onward_export_destination"]["blocking"] is True


def test_shipment_into_the_us_and_territories():
    into = run(frm="JP", dest="US", cls="3B001.c")
    assert into["decision"] in ("no_license_required", "not_subject_to_ear")
    assert run(dest="PR")["decision"] == "no_license_required"


class TiedScreener:
    """Every party hits with the same score (as the real engine does for SMIC's entries)."""

    snapshot = "tied"

    def __init__(self, parties):
        self.parties = parties

    def screen(self, name, **kw):
        from .fakes import FakeHit, FakeResult
        return FakeResult(name, [FakeHit(p, 1.0, "match") for p in self.parties])


def test_tied_entity_list_entries_rest_on_the_exact_name_and_el_shows_first():
    other = Party(id="cmic-1", list_code="CMIC", name="ACME LISTED SEMICONDUCTOR CO")
    sub = Party(id="el-sub", list_code="EL", name="Acme Listed Semiconductor (Tianjin) Co",
                start_date="2021-06-01", license_requirement="For all items subject to the EAR.",
                license_policy="Case-by-case", federal_register="99 FR 2")
    res = run("Acme Listed Semiconductor Co", dest="CN", scr=TiedScreener([other, sub, ACME]))
    (req,) = [r for r in res["requirements"] if r["rule"] == "744.11"]
    assert req["entry_id"] == "el-acme" and req["review_policy"] == "Presumption of denial"
    assert [h["list_code"] for h in res["screening"][0]["hits"]][:2] == ["EL", "EL"]
    text = render_text(res)
    assert text.index("(EL, match") < text.index("(CMIC, match")
