"""The strict rule-table loader: every malformed table is refused with file and key path."""
from __future__ import annotations

import textwrap

import pytest

from earcheck.rules import NoRuleInForce, RuleDataError, load_all, load_file

GOOD = """
description: test table
reference: 15 CFR 744.11
last_verified_on: 2026-11-25
values:
  rule:
    - valid_from: 2025-09-29
      valid_to: 2025-11-09
      value: in_force
      citation: 15 CFR 744.11
    - valid_from: 2025-11-10
      value: suspended
      citation: 15 CFR 744.11
      fr: 90 FR 47201
"""


def write(tmp_path, text):
    p = tmp_path / "t.yaml"
    p.write_text(textwrap.dedent(text))
    return p


def test_good_table_and_at(tmp_path):
    t = load_file(write(tmp_path, GOOD), "t.yaml")
    assert t.at("2025-10-01").value("rule") == "in_force"
    assert t.at("2026-01-01").value("rule") == "suspended"
    assert t.get("rule", "2025-11-09").value == "in_force"
    with pytest.raises(NoRuleInForce, match="t.yaml: no value for 'rule' in force on 2025-01-01"):
        t.at("2025-01-01")["rule"]
    assert "rule" not in t.at("2025-01-01")


@pytest.mark.parametrize("mutation, message", [
    (("      citation: 15 CFR 744.11\n    - valid_from: 2025-11-10", "    - valid_from: 2025-11-10"),
     "values.rule[0]: missing key(s) ['citation']"),
    (("valid_to: 2025-11-09", "valid_to: 2025-11-10"), "values.rule: periods overlap"),
    (("      valid_to: 2025-11-09\n", ""), "values.rule: periods overlap"),
    (("valid_from: 2025-09-29", "valid_from: 29/09/2025"), "values.rule[0].valid_from: '29/09/2025' is not an ISO date"),
    (("valid_from: 2025-09-29", "valid_from: 2025-02-30"), "is not an ISO date"),
    (("      fr: 90 FR 47201", "      fr: 90 FR 47201\n      colour: red"), "values.rule[1]: unknown key(s) ['colour']"),
    (("reference: 15 CFR 744.11", "reference: 15 CFR 744.11\nauthor: me"), "t.yaml: unknown key(s) ['author']"),
    (("      citation: 15 CFR 744.11\n      fr", "      citation: ''\n      fr"), "values.rule[1].citation: a value needs a non-empty citation"),
    (("      citation: 15 CFR 744.11\n      fr", "      citation: 90 FR 47201\n      fr"), "must start with '15 CFR'"),
    (("last_verified_on: 2026-11-25\n", ""), "missing key(s) ['last_verified_on']"),
    (("valid_to: 2025-11-09", "valid_to: 2025-01-01"), "valid_to 2025-01-01 before valid_from"),
    (("  rule:\n", "  rule:\n    - valid_from: 2020-01-01\n      value: 1\n      citation: 15 CFR 1\n      confidence: X\n"), "confidence: 'X'"),
])
def test_malformed_tables_are_refused(tmp_path, mutation, message):
    old, new = mutation
    text = textwrap.dedent(GOOD)
    assert old in text
    with pytest.raises(RuleDataError) as e:
        load_file(write(tmp_path, text.replace(old, new, 1)), "t.yaml")
    assert message in str(e.value)
    assert str(e.value).startswith("t.yaml")
    assert "\n" not in str(e.value)


def test_duplicate_keys_are_refused(tmp_path):
    text = textwrap.dedent(GOOD).replace("values:\n", "values:\n  rule:\n    - valid_from: 2020-01-01\n"
                                         "      value: 1\n      citation: 15 CFR 1\n", 1)
    with pytest.raises(RuleDataError, match="duplicate key 'rule'"):
        load_file(write(tmp_path, text), "t.yaml")


def test_shipped_tables_load_and_every_value_is_cited():
    load_all.cache_clear()
    tables = load_all()
    assert {"part_738.country_chart", "part_740.country_groups", "part_774.ccl", "part_734.fdp",
            "part_744.entity_list", "part_744.end_use", "part_746.embargoes", "part_748.veu"} <= set(tables)
    for name, t in tables.items():
        for key, periods in t.values.items():
            for p in periods:
                assert p.citation.startswith("15 CFR"), (name, key)


def test_hong_kong_follows_china_from_2020_12_23():
    t = load_all()
    dest = t["part_738.destinations"]
    assert "HK" not in dest.at("2020-12-22")
    assert dest.at("2020-12-23").value("HK") == "CN"
    chart = t["part_738.country_chart"]
    assert "HK" in chart.at("2020-12-22") and "HK" not in chart.at("2020-12-23")


def test_affiliates_rule_timeline():
    t = load_all()["part_744.entity_list"]
    states = {d: t.at(d).value("affiliates_rule")["state"] for d in
              ("2025-09-28", "2025-09-29", "2025-11-09", "2025-11-10", "2026-11-09", "2026-11-10")}
    assert states == {"2025-09-28": "not_in_force", "2025-09-29": "in_force", "2025-11-09": "in_force",
                      "2025-11-10": "suspended", "2026-11-09": "suspended", "2026-11-10": "in_force"}


def test_country_groups_from_the_ecfr_table():
    g = load_all()["part_740.country_groups"].at("2026-01-01")
    assert "CN" in g.value("D:5") and "MO" not in g.value("D:5")
    assert g.value("E:1") == ["IR", "KP", "SY"] and g.value("E:2") == ["CU"]
    assert "JP" in g.value("A:5") and "CN" not in g.value("B")


def test_shipped_tables_are_the_conversion_of_the_ecfr_json(shared_data, tmp_path):
    """The generated tables in rules/data/ are exactly what the converter makes of the eCFR
    transcriptions (no hand edits drift in)."""
    from earcheck.rules.convert import DATA, main

    main([str(shared_data / "ear")], out_dir=tmp_path)
    for rel in ("part_738/country_chart.yaml", "part_740/country_groups.yaml", "part_774/ccl_ecfr.yaml"):
        assert (tmp_path / rel).read_text() == (DATA / rel).read_text(), rel
