"""The shipped demo ledger, owners table and scenarios: valid, and reproducible from the generator."""
from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import earcheck.exposure
from earcheck.exposure import load_scenarios
from earcheck.exposure.ledger import Line, read_ledger
from earcheck.exposure.rates import Rates

DATA = Path(earcheck.exposure.__file__).with_name("data")


def _gen():
    spec = importlib.util.spec_from_file_location("make_demo_ledger", DATA / "make_demo_ledger.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_demo_ledger_is_reproducible(tmp_path):
    out = _gen().write(tmp_path / "again.csv")
    assert out.read_bytes() == (DATA / "demo_ledger.csv").read_bytes()


def test_demo_ledger_content():
    items = list(read_ledger(DATA / "demo_ledger.csv"))
    assert all(isinstance(i, Line) for i in items)
    assert len(items) == 3000
    years = Counter(i.date[:4] for i in items)
    assert sorted(years) == ["2019", "2020", "2021", "2022", "2023"]
    assert {i.classification for i in items} == {"EAR99", "3B001", "3B991", "3D991"}
    assert {i.country for i in items} >= {"CN", "TW", "KR", "JP", "DE", "US"}
    rates = Rates.load()
    assert {i.currency for i in items} >= {"USD", "CNY", "EUR", "JPY", "KRW", "TWD"}
    assert all(rates.known(i.currency) for i in items)
    custs = {i.customer for i in items}
    assert "Semiconductor Manufacturing International Corporation" in custs
    assert "Huawei Technologies Co., Ltd." in custs


def test_demo_scenarios_load():
    sc = {s.name: s for s in load_scenarios(DATA / "demo_scenarios.yaml")}
    assert set(sc) == {"smic_2021", "delist_huawei", "list_wuxi_hengxin_2022", "fifty_percent_rule"}
    smic = sc["smic_2021"]
    assert smic.period == ("2021-01-01", "2021-12-31")
    assert smic.against[0]["remove"] == {"federal_register": ["85 FR 83420"], "list_code": ["EL"]}
    listed = smic.changes[0]["list"]
    assert {e["start_date"] for e in listed} == {"2020-12-18", "2020-12-22"}
    assert all("Case by case" in e["license_policy"] for e in listed)
