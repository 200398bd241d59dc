"""HTML report, CSV and PNG exports of the hand-computed ledger (fake screening/rules)."""
from __future__ import annotations

import csv
import re

import pytest

from earcheck.exposure import exposure_report


@pytest.fixture(scope="module")
def rep(tmp_path_factory):
    from exposure_fakes import OWNERS, PARTIES, SCENARIOS, SMALL_LEDGER, FakeScreener, fake_check

    d = tmp_path_factory.mktemp("small")
    (d / "ledger.csv").write_text(SMALL_LEDGER)
    (d / "owners.csv").write_text(OWNERS)
    (d / "s.yaml").write_text(SCENARIOS)
    return exposure_report(d / "ledger.csv", as_of="2023-06-30", scenarios=d / "s.yaml",
                           parties=list(PARTIES), screener_factory=FakeScreener.from_parties,
                           check=fake_check)


def test_html_contains_figures_and_charts(rep, tmp_path):
    p = rep.to_html(tmp_path / "report.html")
    html = p.read_text()
    assert html.startswith("<!doctype html>")
    assert "1,165,340 USD" in html  # total
    assert "430,000" in html and "20,000" in html  # licence required, prohibited
    assert "What would listing SMIC on 2020-12-18 have cost in 2021?" in html
    assert "200,000 USD" in html  # the 2021 cost of the SMIC listing (hand computed)
    assert "Semiconductor Manufacturing International Corporation" in html
    assert html.count("<svg") >= 4  # decisions, scenarios, quarters, customers
    assert "G.5A" in html  # the rates' source
    assert "no exchange rate for currency &#39;XYZ&#39;" in html or "XYZ" in html
    # self-contained: no external scripts, stylesheets or images
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', html)


def test_csv_exports(rep, tmp_path):
    files = {p.name: p for p in rep.to_csv(tmp_path / "csv")}
    assert {"by_decision.csv", "by_customer.csv", "by_quarter.csv", "by_list.csv", "by_rule.csv",
            "by_policy.csv", "by_open_question.csv", "changed_status.csv", "scenarios.csv", "rates.csv", "errors.csv"} <= set(files)
    rows = {r["decision"]: float(r["value_USD"]) for r in csv.DictReader(open(files["by_decision.csv"]))}
    assert rows["license_required"] == pytest.approx(430_000)
    assert rows["total"] == pytest.approx(1_165_340)
    sc = {r["scenario"]: r for r in csv.DictReader(open(files["scenarios.csv"]))}
    assert float(sc["smic_2021"]["period_newly_license_required_USD"]) == pytest.approx(200_000)
    errs = list(csv.DictReader(open(files["errors.csv"])))
    assert {e["kind"] for e in errs} == {"unknown_currency", "bad_date"}


def test_png_exports(rep, tmp_path):
    files = rep.to_png(tmp_path / "png")
    assert {p.name for p in files} == {"decisions.png", "quarters.png", "customers.png", "scenarios.png"}
    for p in files:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert p.stat().st_size > 2000
