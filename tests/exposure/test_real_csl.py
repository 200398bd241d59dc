"""The demo question on the real 2022 Consolidated Screening List (../shared/data; skipped when
absent): what would listing SMIC on 2020-12-18 have cost Acme Wafer Tools in 2021?

The expected figure is computed independently from the ledger file: in the reference world (no
entry of the 2020-12-18 rule, 85 FR 83420, and no SMIC entry) a 3B001 tool to China already
needs a licence under the Country Chart (NS 2, 15 CFR 738.4); with SMIC listed "for all items
subject to the EAR" every line to an SMIC company needs one. So the 2021 cost is the value of
the 2021 lines to SMIC companies whose item is not 3B001.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import earcheck.exposure
from earcheck.exposure import exposure_report
from earcheck.exposure.rates import Rates

DATA = Path(earcheck.exposure.__file__).with_name("data")
SMIC_GROUP = {
    "Semiconductor Manufacturing International Corporation",
    "Semiconductor Manufacturing International (Beijing) Corporation",
    "Semiconductor Manufacturing International (Tianjin) Corporation",
    "Semiconductor Manufacturing International (Shenzhen) Corporation",
    "Semiconductor Manufacturing South China Corporation",
    "SMIC Northern Integrated Circuit Manufacturing (Beijing) Co., Ltd.",
    "SMIC Hong Kong International Company Limited",
}


@pytest.fixture(scope="module")
def csl_report(shared_data, tmp_path_factory):
    import os

    home = tmp_path_factory.mktemp("csl_home")
    old = os.environ.get("EARCHECK_HOME")
    os.environ["EARCHECK_HOME"] = str(home)
    try:
        from earcheck.screening import Screener
        from earcheck.store import Store

        store = Store(home / "store.sqlite")
        store.load(shared_data / "csl" / "consolidated_2022-05.csv")
        screener = Screener.from_store(store)
        yield exposure_report(DATA / "demo_ledger.csv", as_of="2022-05-01", store=store,
                              screener=screener, scenarios=DATA / "demo_scenarios.yaml")
    finally:
        if old is None:
            os.environ.pop("EARCHECK_HOME", None)
        else:
            os.environ["EARCHECK_HOME"] = old


def _by_hand() -> tuple[float, float]:
    rates = Rates.load()
    cost_2021 = all_smic_2021 = 0.0
    with open(DATA / "demo_ledger.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["customer"] in SMIC_GROUP and r["date"].startswith("2021"):
                usd = float(r["value"]) * rates.to_usd(r["currency"], 2021)
                all_smic_2021 += usd
                if r["classification"] != "3B001":
                    cost_2021 += usd
    return cost_2021, all_smic_2021


def test_smic_listing_cost_in_2021_on_the_real_list(csl_report):
    cost_2021, all_smic_2021 = _by_hand()
    s = csl_report.to_json()["scenarios"]["smic_2021"]
    assert 0 < cost_2021 < all_smic_2021
    assert s["in_period"]["newly_license_required"] == pytest.approx(cost_2021, rel=1e-9)
    assert sum(s["by_customer"].values()) == pytest.approx(s["newly_license_required"])
    assert set(s["by_customer"]) == SMIC_GROUP


def test_real_list_baseline(csl_report):
    j = csl_report.to_json()
    # every SMIC company is on the Entity List in the 2022 CSL, from 2020-12-18 (HK: 12-22)
    for name in SMIC_GROUP:
        assert "EL" in j["by_customer"][name]["lists"], name
    assert j["by_rule"]["744.11"] > 0 and j["by_list"]["EL"] > 0
    # YMTC was listed on 2022-12-19, after this list was published: not listed here
    assert j["by_customer"]["Yangtze Memory Technologies Co., Ltd."]["lists"] == []
