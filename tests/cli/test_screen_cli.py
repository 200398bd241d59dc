"""``earcheck screen`` / ``earcheck compare`` through typer's CliRunner, on a real CSL sample.

The store holds the 2019 CSL sample (115 rows); batches are CSV and .xlsx files with a bad row.
"""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from earcheck.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def loaded(earcheck_home, shared_data):
    from earcheck.store import Store

    Store().load(shared_data / "csl" / "csl_sample_2019-12.csv")
    return earcheck_home


def assert_error(r, *needles: str) -> str:
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    for n in needles:
        assert n in err, err
    assert "Traceback" not in r.output
    return err


def test_empty_store_says_so(earcheck_home):
    r = run("screen", "SMIC")
    assert_error(r, "no lists loaded", "earcheck lists load")


def test_screen_one_name_text_and_json(loaded):
    r = run("screen", "Guian New District Huawei Investment Co Ltd")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("MATCH")
    assert "licence requirement" in r.stdout
    r = run("screen", "Guian New District Huawei Investment Co Ltd", "--json", "--country", "CN")
    d = json.loads(r.stdout)
    assert d["decision"] == "match" and d["country"] == "CN"
    hit = d["hits"][0]
    assert {"id", "list", "name", "matched_name", "score", "explanation"} <= set(hit)
    assert hit["list"] == "EL" and hit["license_policy"]


def test_screen_as_of_and_list_filter(loaded):
    # DPL entry in force 2017-10-16 .. 2020-10-13
    d = json.loads(run("screen", "Adrian Manuel Hernandez", "--json", "--as-of", "2019-01-01").stdout)
    assert d["decision"] == "match"
    d = json.loads(run("screen", "Adrian Manuel Hernandez", "--json", "--as-of", "2021-01-01").stdout)
    assert d["decision"] == "clear"
    d = json.loads(run("screen", "Adrian Manuel Hernandez", "--json", "--list", "SDN").stdout)
    assert d["decision"] == "clear"
    assert_error(run("screen", "X Y", "--as-of", "yesterday"), "--as-of")


def test_screen_unlisted_and_bad_names(loaded):
    assert json.loads(run("screen", "Apple Inc", "--json").stdout)["decision"] == "clear"
    d = json.loads(run("screen", "x", "--json").stdout)
    assert d["decision"] == "clear" and "short" in d["reason"]
    assert_error(run("screen"), "NAME")


def write_csv(path, rows):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerows(rows)


BATCH = [
    ["customer", "cc"],
    ["Guian New District Huawei Investment Co., Ltd.", "CN"],
    ["", "US"],
    ["Acme Widgets Inc", "US"],
    ["A" * 10_000, ""],
    ["Adrian Manuel Hernandez\x07", "US"],
]


def check_lines(lines):
    rows = [json.loads(line) for line in lines]
    assert [r["row"] for r in rows] == [0, 1, 2, 3, 4]
    assert rows[0]["decision"] == "match" and rows[0]["hits"][0]["list"] == "EL"
    assert rows[1]["decision"] == "clear" and "empty" in rows[1]["reason"]
    assert rows[2]["decision"] == "clear" and rows[2]["hits"] == []
    assert rows[3]["decision"] == "clear" and "too long" in rows[3]["reason"]
    assert rows[4]["decision"] == "match" and "control" in rows[4]["reason"]
    for r in rows:
        scores = [h["score"] for h in r["hits"]]
        assert scores == sorted(scores, reverse=True)


def test_batch_csv_with_bad_rows(loaded, tmp_path):
    src = tmp_path / "in.csv"
    write_csv(src, BATCH)
    out = tmp_path / "out.jsonl"
    r = run("screen", "--input", str(src), "--name-column", "customer", "--country-column", "cc",
            "--output", str(out), "--workers", "1")
    assert r.exit_code == 0, r.output
    check_lines(out.read_text(encoding="utf-8").splitlines())
    assert "5 rows" in r.stderr
    # to stdout, in worker processes
    r = run("screen", "--input", str(src), "--name-column", "customer", "--workers", "2")
    assert r.exit_code == 0, r.output
    check_lines(r.stdout.splitlines())


def test_batch_xlsx_with_bad_row(loaded, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in BATCH:
        ws.append([c.replace("\x07", "") for c in row])
    ws.append([None, None])  # an empty cell
    src = tmp_path / "in.xlsx"
    wb.save(src)
    r = run("screen", "--input", str(src), "--name-column", "Customer", "--workers", "1")
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 6
    assert lines[0]["decision"] == "match"
    assert lines[5]["decision"] == "clear" and "empty" in lines[5]["reason"]


def test_batch_errors(loaded, tmp_path):
    src = tmp_path / "in.csv"
    write_csv(src, BATCH)
    assert_error(run("screen", "--input", str(src), "--name-column", "nope"), "in.csv", "no column 'nope'")
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a zip file")
    assert_error(run("screen", "--input", str(bad), "--name-column", "x"), "broken.xlsx", "Excel")
    assert_error(run("screen", "--input", str(tmp_path / "missing.csv"), "--name-column", "x"), "no such file")
    assert_error(run("screen", "--input", str(src)), "--name-column")


def test_compare_command():
    r = run("compare", "CETC 14th Research Institute", "CETC 13th Research Institute", "--json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["decision"] == "clear" and d["features"]["number_mismatch"] < 0
    r = run("compare", "华为技术有限公司", "Huawei Technologies Co., Ltd.")
    assert r.exit_code == 0 and r.stdout.startswith("1.00 match")
    assert_error(run("compare", "", "Huawei"), "name A", "empty")


def test_country_given_as_a_name_is_read_as_its_code(loaded):
    by_code = json.loads(run("screen", "Guian New District Huawei Investment Co Ltd", "--json", "--country", "CN").stdout)
    by_name = json.loads(run("screen", "Guian New District Huawei Investment Co Ltd", "--json", "--country", "China").stdout)
    assert by_name["country"] == "CN"
    assert by_name["hits"][0]["score"] == by_code["hits"][0]["score"]
    assert "mismatch" not in by_name["hits"][0]["explanation"]
    assert_error(run("screen", "SMIC", "--country", "Narnia"), "--country", "Narnia")


def test_unreadable_country_in_a_batch_row_is_ignored_with_a_reason(loaded):
    from earcheck.screening import Screener
    from earcheck.store import Store

    res = Screener.from_store(Store()).screen("Guian New District Huawei Investment Co Ltd", country="Narnia")
    assert res.decision == "match" and "not recognised" in (res.reason or "")
