"""Assertions shared by the API and CLI runs of the YAML cases."""
from __future__ import annotations

import re


def qids(result: dict) -> set[str]:
    return {m.group(1) for q in result["open_questions"] for m in [re.match(r"\[([^\]]+)\]", q)] if m}


def check_case(case: dict, result: dict) -> None:
    exp = case["expect"]
    cid = case["id"]
    rules = [r["rule"] for r in result["requirements"]]
    notes = [n["rule"] for n in result.get("notes", [])]
    assert result["decision"] == exp["decision"], (cid, result["decision"], result["requirements"], result["open_questions"])
    for r in exp.get("rules", []):
        assert r in rules, (cid, r, rules)
    for r in exp.get("not_rules", []):
        assert r not in rules, (cid, r, rules)
    for r in exp.get("note_rules", []):
        assert r in notes, (cid, r, notes)
    for q in exp.get("questions", []):
        assert q in qids(result), (cid, q, result["open_questions"])
    for r in result["requirements"]:
        assert r["citation"].startswith("15 CFR"), (cid, r)
    if "basis_contains" in exp:
        assert exp["basis_contains"] in result["subject_to_ear"]["basis"], (cid, result["subject_to_ear"])
    if "citation_contains" in exp:
        assert any(exp["citation_contains"] in r["citation"] for r in result["requirements"]), cid
    if "policy_contains" in exp:
        assert any(exp["policy_contains"].lower() in (r["review_policy"] or "").lower()
                   for r in result["requirements"]), (cid, [r["review_policy"] for r in result["requirements"]])
    if exp.get("exceptions_none"):
        assert all(r["license_exceptions"] == "none" for r in result["requirements"]), (cid, result["requirements"])
    if "exceptions_contains" in exp:
        assert any(exp["exceptions_contains"] in str(r["license_exceptions"]) for r in result["requirements"]), cid
    if "destination" in exp:
        assert result["destination"] == exp["destination"]
