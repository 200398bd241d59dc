"""The exposure report on the real store, screener and rules, with the shipped sample list
(30 real CSL entries: SMIC and subsidiaries from 2020-12-18, Huawei affiliates from 2019-05-21).

Hand computation (USD):
  2020-11-15 SMIC            EAR99 100,000  not yet listed         -> no licence required
  2021-03-01 SMIC            EAR99 250,000  Entity List, 744.11    -> licence required
  2021-09-15 SMIC (Beijing)  EAR99 150,000  Entity List, 744.11    -> licence required
  2021-06-01 Hsinchu (TW)    EAR99 400,000  unlisted               -> no licence required
  2021-04-01 Huawei          EAR99  50,000  Entity List, 744.11    -> licence required
  2022-02-01 SMIC            EAR99  75,000  Entity List, 744.11    -> licence required
  licence required 525,000; no licence 500,000; total 1,025,000.
"What would listing SMIC on 2020-12-18 have cost in 2021?" against a world without SMIC's
Entity List entries: 250,000 + 150,000 = 400,000 in 2021 (475,000 over all years).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

EARCHECK = str(__import__("pathlib").Path(sys.executable).with_name("earcheck"))

LEDGER = """date,customer,country,classification,value,currency
2020-11-15,Semiconductor Manufacturing International Corporation,CN,EAR99,100000,USD
2021-03-01,Semiconductor Manufacturing International Corporation,CN,EAR99,250000,USD
2021-09-15,Semiconductor Manufacturing International (Beijing) Corporation,CN,EAR99,150000,USD
2021-06-01,Hsinchu Precision Wafer Services Corp.,TW,EAR99,400000,USD
2021-04-01,"Huawei Technologies Co., Ltd.",CN,EAR99,50000,USD
2022-02-01,Semiconductor Manufacturing International Corporation,CN,EAR99,75000,USD
"""

SCENARIO = """
scenarios:
  - name: smic_2021
    title: What would listing SMIC on 2020-12-18 have cost in 2021?
    period: {from: 2021-01-01, to: 2021-12-31}
    against:
      - remove: {name_contains: [Semiconductor Manufacturing International, SMIC], list_code: [EL]}
    changes:
      - list:
          - {name: Semiconductor Manufacturing International Corporation, aliases: [SMIC], countries: [CN],
             start_date: 2020-12-18, license_requirement: For all items subject to the EAR.,
             license_policy: Case by case}
          - {name: Semiconductor Manufacturing International (Beijing) Corporation, aliases: [SMIC Beijing],
             countries: [CN], start_date: 2020-12-18, license_requirement: For all items subject to the EAR.,
             license_policy: Case by case}
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    old = {k: os.environ.get(k) for k in ("EARCHECK_HOME", "EARCHECK_DB")}
    os.environ["EARCHECK_HOME"] = str(home)
    os.environ.pop("EARCHECK_DB", None)
    try:
        from earcheck.lists import sample_path
        from earcheck.screening import Screener
        from earcheck.store import Store

        store = Store()
        store.load(sample_path())
        screener = Screener.from_store(store)
        d = tmp_path_factory.mktemp("ledger")
        (d / "ledger.csv").write_text(LEDGER)
        (d / "s.yaml").write_text(SCENARIO)
        yield {"store": store, "screener": screener, "dir": d, "home": home}
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def rep(env):
    from earcheck.exposure import exposure_report

    return exposure_report(env["dir"] / "ledger.csv", as_of="2023-01-01", store=env["store"],
                           screener=env["screener"], scenarios=env["dir"] / "s.yaml")


def test_real_totals(rep):
    j = rep.to_json()
    assert j["total"] == pytest.approx(1_025_000)
    assert j["by_decision"]["license_required"] == pytest.approx(525_000)
    assert j["by_decision"]["no_license_required"] == pytest.approx(500_000)
    assert j["by_rule"]["744.11"] == pytest.approx(525_000)
    assert j["by_list"]["EL"] == pytest.approx(525_000)
    assert j["by_customer"]["Semiconductor Manufacturing International Corporation"]["license_required"] \
        == pytest.approx(325_000)
    assert j["by_quarter"]["2020-Q4"]["no_license_required"] == pytest.approx(100_000)
    assert j["by_policy"]["presumption_of_denial"] == pytest.approx(50_000)  # Huawei
    # SMIC's entries: presumption of denial for advanced-node items, case-by-case otherwise
    assert j["by_policy"]["mixed"] == pytest.approx(475_000)


def test_real_changed_status(rep):
    ch = rep.to_json()["changed_status"]
    # the pre-listing SMIC line needs a licence as of 2023-01-01
    assert ch["lines"] == 1
    assert ch["value"] == pytest.approx(100_000)
    assert ch["top"][0]["decision_as_of"] == "license_required"


def test_real_smic_scenario_cost_in_2021(rep):
    s = rep.to_json()["scenarios"]["smic_2021"]
    assert s["in_period"]["newly_license_required"] == pytest.approx(400_000)
    assert s["newly_license_required"] == pytest.approx(475_000)
    assert s["by_year"] == {"2021": pytest.approx(400_000), "2022": pytest.approx(75_000)}
    assert s["in_period"]["reference_license_required"] == pytest.approx(50_000)  # Huawei only


def test_cli_json_and_outputs(env, tmp_path):
    cmd = [EARCHECK, "exposure", str(env["dir"] / "ledger.csv"),
           "--as-of", "2023-01-01", "--scenarios", str(env["dir"] / "s.yaml"), "--json",
           "--output", str(tmp_path / "r.html"), "--csv-dir", str(tmp_path / "csv"),
           "--png-dir", str(tmp_path / "png")]
    envv = dict(os.environ, EARCHECK_HOME=str(env["home"]))
    out = subprocess.run(cmd, capture_output=True, text=True, env=envv, timeout=300)
    assert out.returncode == 0, out.stderr
    j = json.loads(out.stdout)
    assert set(j) >= {"currency", "total", "by_decision", "by_list", "by_customer", "by_quarter",
                      "by_policy", "by_rule", "scenarios", "rates", "errors"}
    assert j["scenarios"]["smic_2021"]["in_period"]["newly_license_required"] == pytest.approx(400_000)
    assert "400,000 USD" in (tmp_path / "r.html").read_text()
    assert (tmp_path / "csv" / "by_customer.csv").exists()
    assert (tmp_path / "png" / "quarters.png").exists()


def test_cli_errors_are_one_line(env, tmp_path):
    envv = dict(os.environ, EARCHECK_HOME=str(env["home"]))
    bad = tmp_path / "bad.csv"
    bad.write_text("date,customer\n2021-01-01,A\n")
    for args, msg in (([str(bad)], "missing column"),
                      ([str(tmp_path / "nope.csv")], "no such file"),
                      ([str(env["dir"] / "ledger.csv"), "--column", "date"], "expected ROLE=HEADER"),
                      ([str(env["dir"] / "ledger.csv"), "--as-of", "yesterday"], "not an ISO date")):
        out = subprocess.run([EARCHECK, "exposure", *args],
                             capture_output=True, text=True, env=envv, timeout=120)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert out.stderr.startswith("error: ") and msg in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_cli_empty_store(tmp_path):
    ledger = tmp_path / "l.csv"
    ledger.write_text(LEDGER)
    envv = dict(os.environ, EARCHECK_HOME=str(tmp_path / "empty"))
    envv.pop("EARCHECK_DB", None)
    out = subprocess.run([EARCHECK, "exposure", str(ledger)],
                         capture_output=True, text=True, env=envv, timeout=120)
    assert out.returncode == 2 and "no lists loaded" in out.stderr


def test_period_cache_matches_exact_dates_on_real_rules(env):
    """One determination per period of constant inputs gives the same totals as one per date,
    on the demo ledger (3,000 lines, 2019-2023) with the real rules and the sample list."""
    from pathlib import Path

    import earcheck.exposure
    from earcheck.exposure import exposure_report

    demo = Path(earcheck.exposure.__file__).with_name("data") / "demo_ledger.csv"
    kw = dict(as_of="2026-01-15", store=env["store"], screener=env["screener"])
    a = exposure_report(demo, **kw)
    b = exposure_report(demo, exact_dates=True, **kw)
    assert a.stats["determinations"] < b.stats["determinations"]
    assert a.to_json()["by_decision"] == b.to_json()["by_decision"]
    assert a.to_json()["by_customer"] == b.to_json()["by_customer"]
    assert a.to_json()["changed_status"]["by_cause"] == b.to_json()["changed_status"]["by_cause"]
    assert a.by_decision["license_required"] > 0
