"""Read an Entity List (or MEU List) entry's licence requirement and review policy text.

The requirement and policy come from the loaded list (``Party.license_requirement`` and
``Party.license_policy``), never from a hard-coded table, so the answer follows the list
snapshot. This module turns the free text into a small structure:

* scope: ``all`` ("For all items subject to the EAR") or ``ccl`` ("items on the CCL") or
  ``projects`` (746.5 projects) or ``unknown``;
* exceptions: the "EXCEPT ..." clause (Huawei-style standards carve-out, food and medicine);
* footnotes: FDP footnote marks (1, 3, 4, 5) from superscripts or from the sections cited
  (736.2(b)(3)(vi) or 734.9(e)(1) -> 1; 734.9(g) -> 3; 734.9(e)(2) -> 4; 734.9(e)(3) or
  734.4(a)(9) -> 5);
* policy: a normalised label plus the conditional clauses (SMIC's "uniquely required" split).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

POLICY_RANK = {"policy of denial": 5, "presumption of denial": 4, "case-by-case": 3,
               "presumption of approval": 2, "see referenced sections": 1, "unknown": 0}

FOOTNOTE_SECTIONS = [
    (re.compile(r"736\.2\s*\(b\)\s*\(3\)\s*\(vi\)"), 1),
    (re.compile(r"734\.9\s*\(e\)\s*\(1\)"), 1),
    (re.compile(r"734\.9\s*\(g\)"), 3),
    (re.compile(r"734\.9\s*\(e\)\s*\(2\)"), 4),
    (re.compile(r"734\.9\s*\(e\)\s*\(3\)"), 5),
    (re.compile(r"734\.4\s*\(a\)\s*\(9\)"), 5),
]
#: A footnote mark glued to a section cite, as the CSL prints it: "734.9(g),3" or "744.11¹".
MARK = re.compile(r"\)\s*,?([1-5])(?=[\s,;.)]|$)|[\u00b9\u00b2\u00b3\u2074\u2075]")
SUPERSCRIPTS = {"\u00b9": 1, "\u00b2": 2, "\u00b3": 3, "\u2074": 4, "\u2075": 5}


@dataclass
class PolicyClause:
    condition: str | None  # None = applies to everything else
    policy: str            # normalised label (see POLICY_RANK)
    text: str


@dataclass
class EntryTerms:
    scope: str
    exceptions: str | None
    footnotes: set[int] = field(default_factory=set)
    policy_text: str = ""
    clauses: list[PolicyClause] = field(default_factory=list)

    @property
    def worst_policy(self) -> str:
        if not self.clauses:
            return "unknown"
        return max((c.policy for c in self.clauses), key=lambda p: POLICY_RANK[p])


def _norm_policy(text: str) -> str:
    t = text.lower().replace("casa-by-case", "case-by-case").replace("case by case", "case-by-case")
    if "policy of denial" in t:
        return "policy of denial"
    if "presumption of denial" in t or "presumption for denial" in t:
        return "presumption of denial"
    if "case-by-case" in t:
        return "case-by-case"
    if "presumption of approval" in t or "presumption of  approval" in t:
        return "presumption of approval"
    if t.strip().startswith("see"):
        return "see referenced sections"
    return "unknown"


def parse_requirement(text: str | None) -> tuple[str, str | None, set[int]]:
    """Return ``(scope, exceptions, footnotes)`` of a licence-requirement cell."""
    t = " ".join((text or "").split())
    low = t.lower()
    if not t:
        scope = "unknown"
    elif "when used in projects" in low:
        scope = "projects"
    elif re.search(r"items subjects? to the ear", low):
        scope = "all"
    elif "listed on the ccl" in low or "on the commerce control list" in low:
        scope = "ccl"
    else:
        scope = "unknown"
    exceptions = None
    m = re.search(r"\b(except(?: for)?|apart from)\b(.*)", t, flags=re.I)
    if m:
        exceptions = m.group(2).strip(" :,.") or None
    notes = {n for rx, n in FOOTNOTE_SECTIONS if rx.search(t)}
    for m in MARK.finditer(t):
        if m.group(1):
            notes.add(int(m.group(1)))
        else:
            notes.add(SUPERSCRIPTS[m.group(0)])
    notes.discard(2)  # footnote 2 is the cybersecurity carve-out, not an FDP designation
    return scope, exceptions, notes


def parse_policy(text: str | None) -> list[PolicyClause]:
    """Split a review-policy cell into clauses; conditional ones keep their condition."""
    t = " ".join((text or "").split())
    if not t:
        return []
    t = t.replace("semiconducto rs", "semiconductors")
    out = []
    for part in re.split(r";\s*|\.\s+(?=[A-Z])", t):
        part = part.strip(" .")
        if not part:
            continue
        m = re.match(r"(?i)(.*?\b(?:denial|approval|case-by-case|case by case)(?: basis| review)?)\s+for\s+(.*)", part)
        cond = None
        if m and not re.match(r"(?i)all (other )?items\b", m.group(2)):
            cond = m.group(2).strip()
        out.append(PolicyClause(condition=cond, policy=_norm_policy(part), text=part))
    return out


def parse_entry(requirement: str | None, policy: str | None) -> EntryTerms:
    scope, exceptions, notes = parse_requirement(requirement)
    text = " ".join((policy or "").split()).replace("semiconducto rs", "semiconductors")
    return EntryTerms(scope=scope, exceptions=exceptions, footnotes=notes,
                      policy_text=text, clauses=parse_policy(policy))


def exception_applies(exceptions: str | None, classification: str, kind: str, end_uses: list[str]) -> bool:
    """True when the entry's EXCEPT clause takes this item out of the requirement.

    Understood clauses: the standards-organization carve-out (EAR99/AT-only technology for a
    standards activity) and "food or medicine designated as EAR99". Other clauses are never
    applied automatically.
    """
    if not exceptions:
        return False
    low = exceptions.lower()
    if "standard" in low and kind in ("technology", "software") and "standards_activity" in end_uses:
        return classification == "EAR99" or classification[2:5].startswith("9")
    if "food or medicine" in low and classification == "EAR99" and "food_or_medicine" in end_uses:
        return True
    return False
