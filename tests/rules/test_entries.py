"""Reading Entity List entries: scope, EXCEPT clauses, footnote marks, policy clauses."""
from __future__ import annotations

import pytest

from earcheck.rules.entries import exception_applies, parse_entry, parse_requirement

HUAWEI = ("For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, EXCEPT for "
          "technology subject to the EAR that is designated as EAR99, or controlled on the Commerce Control "
          "List for anti-terrorism reasons only, when released to members of a “standards organization” "
          "(see §772.1) for the purpose of contributing to the revision or development of a “standard”.")
SMIC_2020 = ("Presumption of denial for items uniquely required for production of semiconducto rs at advanced "
             "technology nodes (10 nanometers and below, including extreme ultraviolet technology); Case by "
             "case for all other items.")


@pytest.mark.parametrize("text, scope, notes", [
    ("For all items subject to the EAR.  (See §744.11 of the EAR)", "all", set()),
    ("All items subject to the EAR. (See §744.11 of the EAR)", "all", set()),
    (HUAWEI, "all", {1}),
    ("For all items subject to the EAR. (See §§734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR.)", "all", {3}),
    ("For all items subject to the EAR (See §§734.4(a)(9), 734.9(e)(3), and 744.11 of the EAR)", "all", {5}),
    ("For all items subject to the EAR, see §§ 734.9(e)(2) and 744.11", "all", {4}),
    ("For all items subject to the EAR, see §§ 734.9(e)(1)¹ and 744.11 of the EAR²", "all", {1}),
    ("For all items subject to the EAR when used in projects specified in §746.5 of the EAR.", "projects", set()),
    ("", "unknown", set()),
])
def test_requirement_scope_and_footnotes(text, scope, notes):
    s, _, n = parse_requirement(text)
    assert (s, n) == (scope, notes)


def test_huawei_except_clause_and_standards_carve_out():
    terms = parse_entry(HUAWEI, "Presumption of denial")
    assert terms.exceptions.startswith("technology subject to the EAR that is designated as EAR99")
    assert exception_applies(terms.exceptions, "EAR99", "technology", ["standards_activity"])
    assert not exception_applies(terms.exceptions, "EAR99", "commodity", ["standards_activity"])
    assert not exception_applies(terms.exceptions, "3E001", "technology", ["standards_activity"])
    assert not exception_applies(terms.exceptions, "EAR99", "technology", [])


def test_smic_conditional_policy():
    terms = parse_entry("For all items subject to the EAR.", SMIC_2020)
    assert [(c.policy, bool(c.condition)) for c in terms.clauses] == [
        ("presumption of denial", True), ("case-by-case", False)]
    assert "uniquely required" in terms.clauses[0].condition
    assert terms.worst_policy == "presumption of denial"


@pytest.mark.parametrize("text, worst", [
    ("Presumption of denial.", "presumption of denial"),
    ("Policy of denial. See §§ 746.8(b) and 744.21(e).", "policy of denial"),
    ("Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items", "case-by-case"),
    ("See §744.2(d) of the EAR.", "see referenced sections"),
])
def test_policy_vocabulary(text, worst):
    assert parse_entry("For all items subject to the EAR", text).worst_policy == worst
