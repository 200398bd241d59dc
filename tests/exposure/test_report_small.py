"""The hand-computed ledger (tests/exposure/exposure_fakes.py: SMALL_LEDGER) on fake screening/rules.

Hand computation, all values in USD (rates: Fed G.5A annual averages, data/fx_rates.csv):
  line 2  2020-06-10 SMIC EAR99         100,000 USD   not yet listed      -> no licence   2020-Q2
  line 3  2020-12-20 SMIC EAR99          50,000 USD   listed 2020-12-18   -> licence      2020-Q4
  line 4  2021-03-01 SMIC 3B991         200,000 USD                       -> licence      2021-Q1
  line 5  2021-07-15 SMIC 3B001         645,080 CNY / 6.4508 = 100,000    -> licence      2021-Q3
  line 6  2021-11-30 Huawei EAR99        80,000 USD                       -> licence      2021-Q4
  line 7  2021-02-01 Hsinchu TW 3B001   300,000 USD                       -> no licence   2021-Q1
  line 8  2022-05-05 Dresdner DE        100,000 EUR * 1.0534 = 105,340   -> no licence   2022-Q2
  line 9  2022-08-01 Bad Actor (DPL)     20,000 USD                       -> prohibited   2022-Q3
  line 10 2022-10-03 YMTC (listed 2022-12-19) 60,000                      -> no licence   2022-Q4
  line 11 2023-01-10 Kumamoto JP   14,050,010 JPY / 140.5001 = 100,000    -> no licence   2023-Q1
  line 12 unknown currency XYZ (5,000)  -> reported, not totalled
  line 13 bad date 2021-13-01          -> reported, not totalled
  line 14 2021-09-09 Xinsheng EAR99      40,000 USD                       -> no licence   2021-Q3
  line 15 2021-10-10 Minority Fab        10,000 USD                       -> no licence   2021-Q4
Totals: licence required 50,000+200,000+100,000+80,000 = 430,000; prohibited 20,000;
  no licence 100,000+300,000+105,340+60,000+100,000+40,000+10,000 = 715,340; total 1,165,340.
"""
from __future__ import annotations

import json

import pytest

from earcheck.exposure import exposure_report

AS_OF = "2023-06-30"


@pytest.fixture
def rep(small, fake_kw):
    return exposure_report(small["ledger"], as_of=AS_OF, scenarios=small["scenarios"], **fake_kw)


def test_totals_by_decision(rep):
    j = rep.to_json()
    assert j["currency"] == "USD"
    assert j["lines"] == 12
    assert j["total"] == pytest.approx(1_165_340)
    bd = j["by_decision"]
    assert bd["license_required"] == pytest.approx(430_000)
    assert bd["prohibited"] == pytest.approx(20_000)
    assert bd["no_license_required"] == pytest.approx(715_340)
    assert bd["not_subject_to_ear"] == 0
    assert sum(bd.values()) == pytest.approx(j["total"])


def test_by_customer_quarter_list_rule_policy(rep):
    j = rep.to_json()
    smic = j["by_customer"]["Semiconductor Manufacturing International Corporation"]
    # 100,000 + 50,000 + 200,000 + 100,000; licence for all but the pre-listing line
    assert smic["total"] == pytest.approx(450_000)
    assert smic["license_required"] == pytest.approx(350_000)
    assert smic["no_license_required"] == pytest.approx(100_000)
    assert smic["lists"] == ["EL"]
    assert list(j["by_customer"])[0] == "Semiconductor Manufacturing International Corporation"
    q = j["by_quarter"]
    assert q["2021-Q1"]["license_required"] == pytest.approx(200_000)
    assert q["2021-Q1"]["no_license_required"] == pytest.approx(300_000)
    assert q["2021-Q3"]["license_required"] == pytest.approx(100_000)  # the CNY line
    assert q["2021-Q3"]["no_license_required"] == pytest.approx(40_000)
    assert q["2020-Q2"]["no_license_required"] == pytest.approx(100_000)
    assert sum(sum(v.values()) for v in q.values()) == pytest.approx(1_165_340)
    assert j["by_year"]["2021"]["license_required"] == pytest.approx(380_000)
    # lists: EL lines 3,4,5,6 = 430,000; the DPL line 20,000; YMTC not yet listed on its date
    assert j["by_list"] == {"EL": pytest.approx(430_000), "DPL": pytest.approx(20_000)}
    assert j["by_rule"]["744.11"] == pytest.approx(430_000)
    assert j["by_rule"]["738.4"] == pytest.approx(100_000)  # 3B001 to China
    assert j["by_rule"]["736.2(b)(4)"] == pytest.approx(20_000)
    # SMIC's mixed policy on 350,000; Huawei presumption of denial 80,000; DPL 20,000
    assert j["by_policy"] == {"policy_of_denial": pytest.approx(20_000),
                              "presumption_of_denial": pytest.approx(80_000),
                              "mixed": pytest.approx(350_000)}


def test_changed_status_as_of(rep):
    ch = rep.to_json()["changed_status"]
    # SMIC's pre-listing line (100,000) and YMTC's line (60,000) need a licence as of 2023-06-30
    assert ch["lines"] == 2
    assert ch["value"] == pytest.approx(160_000)
    assert ch["transitions"] == {"no_license_required -> license_required (list update)": pytest.approx(160_000)}
    assert ch["by_cause"] == {"lists": {"lines": 2, "value": pytest.approx(160_000)},
                              "rules": {"lines": 0, "value": 0}}
    assert [r["line"] for r in ch["top"]] == [2, 10]
    assert ch["top"][1]["listed_as_of"] == ["Yangtze Memory Technologies Co., Ltd."]


def test_errors_reported_not_dropped(rep):
    j = rep.to_json()
    assert j["error_counts"] == {"unknown_currency": 1, "bad_date": 1}
    assert j["unconverted"] == {"XYZ": 5000}
    kinds = {e["line"]: e["kind"] for e in j["errors"]}
    assert kinds == {12: "unknown_currency", 13: "bad_date"}


def test_rates_shown(rep):
    r = rep.to_json()["rates"]
    assert r["used"]["CNY"]["2021"] == pytest.approx(1 / 6.4508)
    assert r["used"]["EUR"]["2022"] == pytest.approx(1.0534)
    assert "G.5A" in r["source"]


def test_scenario_smic_listing_cost_in_2021(rep):
    s = rep.to_json()["scenarios"]["smic_2021"]
    # Against a world without SMIC: line 3 (50,000, Dec 2020) and line 4 (200,000, 2021) newly
    # need a licence; the 3B001 line already needed one (738.4), so it is not new.
    assert s["newly_license_required"] == pytest.approx(250_000)
    assert s["by_year"] == {"2020": pytest.approx(50_000), "2021": pytest.approx(200_000)}
    assert s["in_period"]["newly_license_required"] == pytest.approx(200_000)
    # 2021 lines: 200,000 + 100,000 + 80,000 + 300,000 + 40,000 + 10,000 = 730,000
    assert s["in_period"]["total"] == pytest.approx(730_000)
    assert s["in_period"]["reference_license_required"] == pytest.approx(180_000)
    assert s["in_period"]["scenario_license_required"] == pytest.approx(380_000)
    assert s["by_customer"] == {"Semiconductor Manufacturing International Corporation": pytest.approx(250_000)}
    assert s["reference"] == "against"


def test_scenario_remove_and_fifty_percent(rep):
    sc = rep.to_json()["scenarios"]
    h = sc["delist_huawei"]
    assert h["newly_license_required"] == 0
    assert h["no_longer_license_required"] == pytest.approx(80_000)
    assert h["net_change"] == pytest.approx(-80_000)
    f = sc["fifty"]
    # Xinsheng is 60 % SMIC-owned -> deemed listed from 2020-12-18; Minority Fab 49 % -> not
    assert f["newly_license_required"] == pytest.approx(40_000)
    assert f["by_customer"] == {"Xinsheng Wafer Technology Co., Ltd.": pytest.approx(40_000)}


def test_json_serialisable(rep):
    text = json.dumps(rep.to_json())
    assert '"by_decision"' in text


def test_cache_one_determination_per_period(small, fake_kw, tmp_path):
    # 2,000 lines of one customer in one period -> one screening and a handful of determinations
    rows = ["date,customer,country,classification,value,currency"]
    rows += [f"2021-0{1 + i % 9}-1{i % 10},Hsinchu Wafer Services Corp.,TW,EAR99,1,USD" for i in range(2000)]
    p = tmp_path / "many.csv"
    p.write_text("\n".join(rows) + "\n")
    rep = exposure_report(p, as_of=AS_OF, **fake_kw)
    assert rep.total == pytest.approx(2000)
    assert rep.stats["screenings"] == 1
    assert rep.stats["determinations"] <= 5


def test_exact_dates_same_totals(small, fake_kw):
    a = exposure_report(small["ledger"], as_of=AS_OF, **fake_kw).to_json()
    b = exposure_report(small["ledger"], as_of=AS_OF, exact_dates=True, **fake_kw).to_json()
    assert a["by_decision"] == b["by_decision"]
    assert a["by_customer"] == b["by_customer"]


def test_report_currency_eur(small, fake_kw):
    rep = exposure_report(small["ledger"], as_of=AS_OF, currency="EUR", **fake_kw)
    # the EUR line is 100,000 EUR exactly; the 2021 SMIC USD line is 200,000 / 1.1830 EUR
    assert rep.by_customer["Dresdner Prozesstechnik GmbH"]["total"] == pytest.approx(100_000)
    assert rep.by_quarter["2021-Q1"]["license_required"] == pytest.approx(200_000 / 1.1830)


def test_rules_failure_is_reported(tmp_path, fake_kw):
    p = tmp_path / "l.csv"
    p.write_text("date,customer,country,classification,value,currency\n"
                 "2021-01-01,Acme,CN,BOOM,10,USD\n2021-01-02,Acme,CN,EAR99,5,USD\n")
    rep = exposure_report(p, as_of=AS_OF, **fake_kw)
    assert rep.by_decision["indeterminate"] == 10
    assert rep.by_decision["no_license_required"] == 5
    assert rep.error_counts == {"determination_error": 1}
    assert "BOOM" in rep.errors[0]["message"]
    assert rep.errors[0]["line"] == 2  # QA: was null


def test_fifty_percent_rule_from_ledger_owners_column(tmp_path, fake_kw):
    p = tmp_path / "l.csv"
    p.write_text("date,customer,country,classification,value,currency,owners\n"
                 "2020-06-01,Lingang Fab Co.,CN,EAR99,10,USD,Semiconductor Manufacturing International Corporation:60; X:40\n"
                 "2021-06-01,Lingang Fab Co.,CN,EAR99,20,USD,Semiconductor Manufacturing International Corporation:60; X:40\n"
                 "2021-06-01,Other Fab Co.,CN,EAR99,40,USD,SMIC:20; Huawei Technologies Co. Ltd.:20\n")
    rep = exposure_report(p, as_of=AS_OF, scenarios={"scenarios": [
        {"name": "fifty", "changes": [{"fifty_percent_rule": {}}]}]}, **fake_kw)
    s = rep.to_json()["scenarios"]["fifty"]
    # SMIC's 60 % counts from SMIC's listing (2020-12-18): only the 2021 line, 20; the other
    # customer's listed owners hold 20 % + 20 % = 40 % < 50 %
    assert s["newly_license_required"] == 20
    assert s["by_customer"] == {"Lingang Fab Co.": 20}


def test_remove_by_federal_register(small, fake_kw):
    from earcheck.exposure.scenarios import apply_list_changes, removal_predicate
    from exposure_fakes import PARTIES

    pred = removal_predicate([{"remove": {"federal_register": ["85 FR 83420"]}}])
    assert [p.id for p in PARTIES if pred(p)] == ["el-smic"]
    assert apply_list_changes(PARTIES, [{"remove": {"federal_register": ["85 FR 83420"]}}]) == PARTIES[1:]


def test_screening_failure_is_indeterminate_not_clear(tmp_path, fake_kw):
    p = tmp_path / "l.csv"
    p.write_text("date,customer,country,classification,value,currency\n"
                 "2021-01-01,EXPLODE,CN,EAR99,10,USD\n2021-01-02,Acme,CN,EAR99,5,USD\n")
    rep = exposure_report(p, as_of=AS_OF, **fake_kw)
    assert rep.by_decision["indeterminate"] == 10
    assert rep.by_decision["no_license_required"] == 5
    assert rep.error_counts == {"determination_error": 1}
    assert "screening failed" in rep.errors[0]["message"]
    assert rep.errors[0]["line"] == 2


def test_rule_change_is_not_a_list_update(tmp_path, fake_kw):
    """A rule in force from 2022-10-07 (a date in data/regulatory_dates.yaml) changes the status
    of an earlier line of an unlisted customer: counted as a rule change, not a list update."""
    def check(tx, *, store=None, screener=None):
        if tx["date"] >= "2022-10-07" and tx["item"]["classification"] == "3B001":
            return {"decision": "license_required",
                    "requirements": [{"rule": "744.23", "review_policy": "presumption of denial"}]}
        return {"decision": "no_license_required", "requirements": []}

    p = tmp_path / "l.csv"
    p.write_text("date,customer,country,classification,value,currency\n"
                 "2022-10-06,Acme Fab,CN,3B001,7,USD\n2022-10-07,Acme Fab,CN,3B001,11,USD\n")
    rep = exposure_report(p, as_of="2023-01-01", **dict(fake_kw, check=check))
    assert rep.by_decision["license_required"] == 11 and rep.by_decision["no_license_required"] == 7
    assert rep.changed["by_cause"]["rules"] == {"lines": 1, "value": 7}
    assert rep.changed["by_cause"]["lists"]["lines"] == 0
    assert rep.by_rule == {"744.23": 11}


def test_open_questions_totalled_by_kind(tmp_path, fake_kw):
    def check(tx, *, store=None, screener=None):
        if tx["item"]["classification"] == "3D991":
            return {"decision": "indeterminate", "requirements": [],
                    "open_questions": ["[eccn_not_encoded] ECCN 3D991 is not in the table",
                                       "[review:Acme:abc] Is Acme the listed party X?"]}
        return {"decision": "no_license_required", "requirements": [], "open_questions": ["no tag here"]}

    p = tmp_path / "l.csv"
    p.write_text("date,customer,country,classification,value,currency\n"
                 "2021-01-01,Acme,CN,3D991,10,USD\n2021-01-02,Acme,CN,EAR99,5,USD\n")
    rep = exposure_report(p, as_of=AS_OF, **dict(fake_kw, check=check))
    q = rep.to_json()["by_open_question"]
    assert q == {"eccn_not_encoded": {"indeterminate": 10}, "review": {"indeterminate": 10},
                 "other": {"no_license_required": 5}}
    assert "eccn_not_encoded" in rep.to_html(tmp_path / "r.html").read_text()


def test_new_open_question_alone_is_not_a_status_change(tmp_path, fake_kw):
    def check(tx, *, store=None, screener=None):
        qs = ["[new_question] asked from 2022-10-07"] if tx["date"] >= "2022-10-07" else []
        return {"decision": "no_license_required", "requirements": [], "open_questions": qs}

    p = tmp_path / "l.csv"
    p.write_text("date,customer,country,classification,value,currency\n2021-01-01,Acme,CN,EAR99,5,USD\n")
    rep = exposure_report(p, as_of="2023-01-01", **dict(fake_kw, check=check))
    assert rep.changed["lines"] == 0 and rep.changed["top"] == []
