"""Bad ledgers: a clear one-line error for an unreadable file, a reported line otherwise."""
from __future__ import annotations

import pytest

from earcheck.exposure import LedgerError, ScenarioError, exposure_report
from earcheck.exposure.ledger import Line, LineError, read_ledger

HEADER = "date,customer,country,classification,value,currency\n"


def run(tmp_path, text, fake_kw, name="l.csv", **kw):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return exposure_report(p, as_of="2023-01-01", **fake_kw, **kw)


def test_missing_column(tmp_path, fake_kw):
    with pytest.raises(LedgerError, match=r"missing column 'value'.*header has: date, customer"):
        run(tmp_path, "date,customer,country,classification,currency\n2021-01-01,A,CN,EAR99,USD\n", fake_kw)


def test_renamed_columns(tmp_path, fake_kw):
    text = "OrderDate;Client;Dest;ECCN;Amount;Cur\n2021-01-01;A;CN;EAR99;1.000,5;USD\n"
    # semicolon-delimited; "1.000,5" is not a number in our parser -> reported, not guessed
    rep = run(tmp_path, text, fake_kw, columns={"date": "OrderDate", "customer": "Client", "country": "Dest",
                                                "classification": "ECCN", "value": "Amount", "currency": "Cur"})
    assert rep.lines == 0 and rep.error_counts == {"bad_value": 1}
    rep = run(tmp_path, text.replace("1.000,5", "1000.5"), fake_kw,
              columns={"date": "orderdate", "customer": "Client", "country": "Dest",
                       "classification": "ECCN", "value": "Amount", "currency": "Cur"})
    assert rep.total == 1000.5


def test_unknown_column_role(tmp_path, fake_kw):
    with pytest.raises(LedgerError, match="unknown column role 'when'"):
        run(tmp_path, HEADER, fake_kw, columns={"when": "date"})


def test_bad_lines_reported_and_rest_counted(tmp_path, fake_kw):
    text = HEADER + (
        "2021-01-01,A,CN,EAR99,100,USD\n"
        "01/02/2021,A,CN,EAR99,100,USD\n"      # bad date
        "2021-01-03,A,CN,EAR99,lots,USD\n"     # non-numeric value
        "2021-01-04,A,Narnia,EAR99,100,USD\n"  # not a country
        "2021-01-05,,CN,EAR99,100,USD\n"       # no customer
        "2021-01-06,A,CN,EAR99,100,ZZZ\n"      # unknown currency
        "2021-01-07,A,CN,,100,USD\n"           # no classification
        ",,,,,\n"                              # blank row: skipped silently
        "2021-01-08,A,CN,EAR99,\"1,250.50\",USD\n"
        "2021-01-09,A,CN,EAR99\n"              # short row
    )
    rep = run(tmp_path, text, fake_kw)
    assert rep.lines == 2
    assert rep.total == pytest.approx(1350.5)
    assert rep.error_counts == {"bad_date": 1, "bad_value": 2, "bad_country": 1, "missing_field": 2,
                                "unknown_currency": 1}
    assert rep.unconverted == {"ZZZ": 100}
    lines = sorted(e["line"] for e in rep.errors)
    assert lines == [3, 4, 5, 6, 7, 8, 11]
    assert any("'Narnia' is not a known country" in e["message"] for e in rep.errors)


def test_country_names_and_iso3_codes_are_read(tmp_path, fake_kw):
    """QA 4: 'China' was a bad_country line; names and ISO-3 codes are countries."""
    text = HEADER + ("2021-01-01,A,China,EAR99,100,USD\n"
                     "2021-01-02,A,People's Republic of China,EAR99,100,USD\n"
                     "2021-01-03,B,Hong Kong,EAR99,100,USD\n"
                     "2021-01-04,C,\"Korea, Republic of\",EAR99,100,USD\n"
                     "2021-01-05,C,KOR,EAR99,100,USD\n")
    rep = run(tmp_path, text, fake_kw)
    assert rep.lines == 5 and not rep.error_counts
    assert {c: v["country"] for c, v in rep.by_customer.items()} == {"A": "CN", "B": "HK", "C": "KR"}


def test_empty_file(tmp_path, fake_kw):
    with pytest.raises(LedgerError, match="empty ledger"):
        run(tmp_path, "", fake_kw)
    with pytest.raises(LedgerError, match="empty ledger"):
        run(tmp_path, "\n\n  \n", fake_kw)


def test_header_only_is_an_empty_report(tmp_path, fake_kw):
    rep = run(tmp_path, HEADER, fake_kw)
    assert rep.lines == 0 and rep.total == 0
    assert rep.to_html(tmp_path / "r.html").exists()
    assert rep.to_png(tmp_path / "png") == []


def test_missing_file_and_directory(tmp_path, fake_kw):
    with pytest.raises(LedgerError, match="no such file"):
        exposure_report(tmp_path / "nope.csv", **fake_kw)
    with pytest.raises(LedgerError, match="is a directory"):
        exposure_report(tmp_path, **fake_kw)


def test_unreadable_xlsx(tmp_path, fake_kw):
    p = tmp_path / "bad.xlsx"
    p.write_bytes(b"this is not a zip file at all")
    with pytest.raises(LedgerError, match="not a readable Excel workbook"):
        exposure_report(p, **fake_kw)
    p2 = tmp_path / "old.xls"
    p2.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(LedgerError, match="xls is not supported"):
        exposure_report(p2, **fake_kw)


def test_binary_csv(tmp_path, fake_kw):
    p = tmp_path / "bin.csv"
    p.write_bytes(b"\xff\xfe\x00\x01garbage\x80\x81")
    with pytest.raises(LedgerError, match="not a UTF-8 text CSV"):
        exposure_report(p, **fake_kw)


def test_xlsx_ledger(tmp_path, fake_kw):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["Date", "Customer", "Country", "Classification", "Value", "Currency", "Owners"])
    ws.append([dt.datetime(2021, 3, 1), "Semiconductor Manufacturing International Corporation", "CN",
               "EAR99", 1000, "USD", None])
    ws.append([dt.date(2020, 3, 1), "Semiconductor Manufacturing International Corporation", "CN",
               "EAR99", 500.5, "USD", None])
    ws.append(["2021-03-02", "Other Co", "CN", "EAR99", "x", "USD", "Bad owners"])
    p = tmp_path / "l.xlsx"
    wb.save(p)
    rep = exposure_report(p, as_of="2023-01-01", **fake_kw)
    assert rep.by_decision["license_required"] == 1000
    assert rep.by_decision["no_license_required"] == 500.5
    assert rep.error_counts == {"bad_value": 1}
    with pytest.raises(LedgerError, match="no sheet 'Nope'"):
        exposure_report(p, sheet="Nope", **fake_kw)


def test_owners_column_parsed():
    from earcheck.exposure.ledger import parse_owners

    assert parse_owners("SMIC:60; Investor (40%)") == (("SMIC", 60.0), ("Investor", 40.0))
    with pytest.raises(ValueError):
        parse_owners("just a name")


def test_read_ledger_streams(tmp_path):
    p = tmp_path / "l.csv"
    p.write_text(HEADER + "2021-01-01,A,cn,ear99,5,usd\n2021-02-30,A,CN,EAR99,5,USD\n")
    items = list(read_ledger(p))
    assert isinstance(items[0], Line) and items[0].country == "CN" and items[0].currency == "USD"
    assert isinstance(items[1], LineError) and items[1].kind == "bad_date"


def test_bad_scenarios(tmp_path, fake_kw):
    ledger = tmp_path / "l.csv"
    ledger.write_text(HEADER + "2021-01-01,A,CN,EAR99,5,USD\n")
    cases = {
        "s1.yaml": ("scenarios: [{name: x, changes: [{frobnicate: 1}]}]", "each change must be one of"),
        "s2.yaml": ("scenarios: [{name: x, changes: [{list: {start_date: 2020-01-01}}]}]", "needs a name"),
        "s3.yaml": ("scenarios: [{name: x, changes: [{list: {name: A, start_date: someday}}]}]", "not an ISO date"),
        "s4.yaml": ("scenarios: [", "not valid YAML"),
        "s5.json": ("{\"scenarios\": []}", "non-empty"),
        "s6.yaml": ("scenarios: [{name: x, changes: [{fifty_percent_rule: {owners: nope.csv}}]}]", "not found"),
    }
    for name, (text, msg) in cases.items():
        p = tmp_path / name
        p.write_text(text)
        with pytest.raises(ScenarioError, match=msg):
            exposure_report(ledger, scenarios=p, **fake_kw)
    with pytest.raises(ScenarioError, match="cannot read"):
        exposure_report(ledger, scenarios=tmp_path / "missing.yaml", **fake_kw)


def test_unknown_report_currency(tmp_path, fake_kw):
    from earcheck.exposure import RatesError

    ledger = tmp_path / "l.csv"
    ledger.write_text(HEADER)
    with pytest.raises(RatesError, match="no rates for report currency XXX"):
        exposure_report(ledger, currency="XXX", **fake_kw)


def test_rate_year_fallback(tmp_path, fake_kw):
    rep = run(tmp_path, HEADER + "2025-03-01,A,JP,EAR99,140500.1,JPY\n", fake_kw)
    assert rep.total == pytest.approx(1000)  # the 2023 rate, nearest year in the table
    assert rep.rates["fallbacks"] == [{"currency": "JPY", "year": 2025, "used_year": 2023}]


def test_custom_and_bad_rates_tables(tmp_path, fake_kw):
    from earcheck.exposure import RatesError

    ledger = tmp_path / "l.csv"
    ledger.write_text(HEADER + "2021-05-01,A,CN,EAR99,700,XYZ\n")
    rates = tmp_path / "rates.csv"
    rates.write_text("# source: house rates 2021\nyear,currency,rate,quote\n2021,XYZ,7,per_usd\n")
    rep = exposure_report(ledger, rates=rates, **fake_kw)
    assert rep.total == pytest.approx(100)
    assert rep.rates["used"] == {"XYZ": {"2021": pytest.approx(1 / 7)}}
    rates.write_text("year,currency,rate,quote\n2021,XYZ,seven,per_usd\n")
    with pytest.raises(RatesError, match="bad rates row 2"):
        exposure_report(ledger, rates=rates, **fake_kw)
    with pytest.raises(RatesError, match="cannot read rates table"):
        exposure_report(ledger, rates=tmp_path / "none.csv", **fake_kw)
