"""``earcheck license check`` through typer's CliRunner against the 2022 CSL in a tmp store."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from earcheck.cli import app

from .checks import check_case
from .conftest import load_cases

CASES = load_cases()
runner = CliRunner()


@pytest.fixture
def home(case_home, store_screener, monkeypatch):
    """EARCHECK_HOME with the loaded store. Building a Screener from the store takes seconds,
    so the CLI gets the session's screener (built by ``Screener.from_store`` on the same store)
    instead of rebuilding it for every invocation."""
    monkeypatch.setenv("EARCHECK_HOME", str(case_home))
    monkeypatch.delenv("EARCHECK_DB", raising=False)
    try:
        from earcheck.screening import Screener
    except ImportError:
        return case_home
    monkeypatch.setattr(Screener, "from_store", classmethod(lambda cls, store, as_of=None: store_screener))
    return case_home


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_cli_json(case, home, tmp_path):
    f = tmp_path / "tx.json"
    f.write_text(json.dumps(case["tx"]))
    r = runner.invoke(app, ["license", "check", str(f), "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    check_case(case, res)
    assert "csl#" in res["lists_snapshot"]


def test_text_output_smic_2021(home):
    r = runner.invoke(app, ["license", "check", "--item", "EAR99", "--to", "CN", "--date", "2021-03-01",
                            "--party", "Semiconductor Manufacturing International Corporation"])
    assert r.exit_code == 0, r.output
    assert "Decision: LICENSE REQUIRED" in r.stdout
    assert "citation: 15 CFR 744.11" in r.stdout
    assert "review policy: Presumption of denial for items uniquely required" in r.stdout
    assert "[uniquely_required_10nm]" in r.stdout


def test_text_lists_the_entity_list_entry_before_other_lists_on_a_tie(home):
    """SMIC scores the same on the Entity List and on Treasury's CMIC list: the EL entry, on which
    the requirement rests, is shown first."""
    r = runner.invoke(app, ["license", "check", "--item", "EAR99", "--to", "CN", "--date", "2021-03-01",
                            "--party", "Semiconductor Manufacturing International Corporation", "--json"])
    res = json.loads(r.stdout)
    hits = res["screening"][0]["hits"]
    top = [h for h in hits if h["score"] == hits[0]["score"]]
    assert {h["list_code"] for h in top} >= {"EL", "CMIC"}
    assert hits[0]["list_code"] == "EL"
    req = next(x for x in res["requirements"] if x["rule"] == "744.11")
    assert req["entry_id"] == hits[0]["id"]
    text = runner.invoke(app, ["license", "check", "--item", "EAR99", "--to", "CN", "--date", "2021-03-01",
                               "--party", "Semiconductor Manufacturing International Corporation"]).stdout
    lines = text[text.index("Screening"):].splitlines()
    assert "(EL, match" in lines[2]


def test_domestic_sale_to_an_entity_list_party(home):
    r = runner.invoke(app, ["license", "check", "--item", "3B991", "--to", "US", "--date", "2021-03-01",
                            "--party", "Semiconductor Manufacturing International Corporation"])
    assert r.exit_code == 0, r.output
    assert "Decision: NO LICENSE REQUIRED" in r.stdout
    assert "ENTITY LIST PARTY: Semiconductor Manufacturing International Corporation (SMIC)" in r.stdout
    assert "[onward_export]" in r.stdout


def test_flags_answer_and_before_listing(home):
    base = ["license", "check", "--item", "EAR99", "--to", "CN",
            "--party", "Semiconductor Manufacturing International Corporation", "--json"]
    before = json.loads(runner.invoke(app, base + ["--date", "2020-11-15"]).stdout)
    assert before["decision"] == "no_license_required"
    after = json.loads(runner.invoke(app, base + ["--date", "2021-03-01", "--answer",
                                                  "uniquely_required_10nm=no"]).stdout)
    assert after["decision"] == "license_required"
    assert after["requirements"][0]["review_policy"].startswith("Case-by-case")
    assert not any("uniquely_required_10nm" in q for q in after["open_questions"])


def test_flags_foreign_item_de_minimis(home):
    args = ["license", "check", "--item", "3B001.c", "--to", "CN", "--from", "JP", "--made-in", "JP",
            "--date", "2021-03-01", "--party", "Semiconductor Manufacturing International Corporation", "--json"]
    low = json.loads(runner.invoke(app, args + ["--us-content", "15"]).stdout)
    high = json.loads(runner.invoke(app, args + ["--us-content", "30"]).stdout)
    assert low["decision"] == "not_subject_to_ear"
    assert high["decision"] == "license_required"


@pytest.mark.parametrize("content, message", [
    ('{"date": "2021-03-01"', "not valid JSON"),
    ('{"date": "2021-03-01", "item": {"classification": "EAR99"}}', "destination: required"),
    ('{"date": "2021-02-30", "destination": "CN"}', "date:"),
    ('{"date": "2021-03-01", "destination": "XX", "item": {"classification": "EAR99"}}',
     "destination: 'XX' is not a known country"),
    ('{"date": "2021-03-01", "destination": "CN"}', "item: required"),
    ('{"date": "2021-03-01", "destination": "CN", "item": {"kind": "commodity"}}',
     "item.classification: required"),
    ('{"date": "2021-03-01", "destination": "CN", "item": {"classification": "3X001"}}', "not an ECCN"),
    ('{"date": "2021-03-01", "destination": "CN", "colour": "red"}', "colour: Extra inputs"),
    ('[1, 2]', "must be a JSON object"),
])
def test_bad_input_one_line_exit_2(home, tmp_path, content, message):
    f = tmp_path / "tx.json"
    f.write_text(content)
    r = runner.invoke(app, ["license", "check", str(f)])
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err and message in err, err
    assert "Traceback" not in r.output


def test_missing_file_and_bad_answer(home, tmp_path):
    r = runner.invoke(app, ["license", "check", str(tmp_path / "nope.json")])
    assert r.exit_code == 2 and "file not found" in r.stderr
    r = runner.invoke(app, ["license", "check", "--item", "EAR99", "--to", "CN", "--answer", "x=maybe"])
    assert r.exit_code == 2 and "--answer" in r.stderr


@pytest.mark.parametrize("args,message", [
    (["--to", "CN"], "--item: required"),                       # QA: was NO LICENSE REQUIRED
    (["--to", "CN", "--party", "Acme"], "--item: required"),
    (["--item", "EAR99", "--to", "XX"], "destination: 'XX' is not a known country"),  # QA: was NLR
    (["--item", "EAR99", "--to", "Narnia"], "destination: 'Narnia' is not a known country"),
    (["--item", "EAR99", "--to", "Korea"], "not a known country"),  # ambiguous: never guessed
    (["--item", "EAR99", "--to", "CN", "--from", "ZZZ"], "from_country: 'ZZZ' is not a known country"),
])
def test_incomplete_or_invalid_input_is_an_error(home, args, message):
    r = runner.invoke(app, ["license", "check", "--date", "2021-03-01", *args])
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err and message in err, err


@pytest.mark.parametrize("to,code", [("China", "CN"), ("People's Republic of China", "CN"),
                                     ("Hong Kong", "HK"), ("Korea, Republic of", "KR"),
                                     ("CHN", "CN"), ("kor", "KR"), ("cn", "CN")])
def test_country_names_and_iso3_are_accepted(home, to, code):
    r = runner.invoke(app, ["license", "check", "--item", "EAR99", "--to", to, "--date", "2019-01-01",
                            "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    # Hong Kong is its own destination before 2020-12-23
    assert res["destination"] == code


def test_no_lists_loaded_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("EARCHECK_HOME", str(tmp_path / "empty"))
    monkeypatch.delenv("EARCHECK_DB", raising=False)
    r = runner.invoke(app, ["license", "check", "--item", "EAR99", "--to", "CN", "--party", "SMIC",
                            "--date", "2021-03-01"])
    assert r.exit_code == 2
    assert "no lists loaded" in r.stderr
    # Without parties there is nothing to screen: the chart still answers.
    r = runner.invoke(app, ["license", "check", "--item", "3B001.c", "--to", "CN", "--date", "2021-03-01", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["decision"] == "license_required"
