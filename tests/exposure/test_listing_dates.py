"""QA 5: entries without a start date (the 2026 list, CMIC) are not listed on every date."""
from __future__ import annotations

import pytest

from earcheck.exposure import exposure_report
from earcheck.models import Party
from exposure_fakes import FakeScreener

AS_OF = "2026-01-15"
PARTIES = [
    # the 2026 list gives no start dates: YMTC's lower bound is its FR cite's year (2022)
    Party(id="el-ymtc", list_code="EL", name="Yangtze Memory Technologies Co., Ltd.", countries=["CN"],
          federal_register="87 FR 77508", license_requirement="For all items subject to the EAR.",
          license_policy="Presumption of denial"),
    # FR volume year 2019 only, but the rules know the rule's date (effective 2019-05-16)
    Party(id="el-hw", list_code="EL", name="Huawei Technologies Co., Ltd.", countries=["CN"],
          federal_register="84 FR 22963; 85 FR 29853", license_requirement="For all items subject to the EAR.",
          license_policy="Presumption of denial"),
    # neither a start date nor a FR cite
    Party(id="cmic-x", list_code="CMIC", name="Undated Military Industrial Corp", countries=["CN"]),
]
LEDGER = """date,customer,country,classification,value,currency
2021-06-01,"Yangtze Memory Technologies Co., Ltd.",CN,EAR99,100,USD
2023-06-01,"Yangtze Memory Technologies Co., Ltd.",CN,EAR99,200,USD
2019-06-01,Undated Military Industrial Corp,CN,EAR99,1000,USD
2019-03-01,"Huawei Technologies Co., Ltd.",CN,EAR99,10,USD
2019-06-01,"Huawei Technologies Co., Ltd.",CN,EAR99,20,USD
"""


@pytest.fixture
def report(tmp_path):
    from earcheck.rules import check_license

    p = tmp_path / "l.csv"
    p.write_text(LEDGER, encoding="utf-8")
    return exposure_report(p, as_of=AS_OF, parties=list(PARTIES),
                           screener_factory=FakeScreener.from_parties, check=check_license).to_json()


def test_fr_year_bound_and_unknown_start_in_by_list(report):
    # before the fix: EL 300 (YMTC listed in 2021) and CMIC 1000 counted as listed in 2019
    assert report["by_list"] == {"EL": 220, "CMIC (start date unknown)": 1000}
    assert report["by_decision"]["license_required"] == 220
    assert report["by_decision"]["no_license_required"] == 1110
    assert report["by_customer"]["Undated Military Industrial Corp"]["lists"] == ["CMIC (start date unknown)"]


def test_bad_scenarios_file_is_named(tmp_path):
    from typer.testing import CliRunner

    from earcheck.cli import app

    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\xff\xfe binary")
    ledger = tmp_path / "l.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    from earcheck.exposure import ScenarioError, load_scenarios

    with pytest.raises(ScenarioError, match="junk.bin"):
        load_scenarios(junk)
    from earcheck.lists import sample_path
    from earcheck.store import Store

    db = tmp_path / "s.sqlite"
    Store(db).load(sample_path())
    r = CliRunner().invoke(app, ["exposure", str(ledger), "--scenarios", str(junk), "--db", str(db)])
    assert r.exit_code == 2
    err = r.stderr.strip()
    # QA: the error named the ledger (l.csv) instead of the scenarios file
    assert err.startswith("error: ") and "junk.bin" in err and "l.csv" not in err, err
