"""The working state of one determination, shared by the pipeline steps.

A step reads the transaction and the rule tables *as of the transaction date* and appends
requirements, notes and open questions. Nothing here decides; :mod:`earcheck.rules.engine`
turns the collected state into the output of issue 4.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from earcheck.models import Party

from .loader import Period, Table, View
from .model import Transaction

MACAU_D5 = "macau_d5"


@dataclass
class ListedHit:
    """One screening hit kept for the rules: the list entry and how sure the match is."""

    query: str          # the name screened (party, owner, designer, knowledge party)
    role: str           # end_user, owner, designer, knowledge, ...
    party: Party        # the list entry
    decision: str       # match | review
    score: float
    listing: str = "listed"   # listed | uncertain | unknown (see steps.listing_status)

    @property
    def list_code(self) -> str:
        return self.party.list_code


@dataclass
class Context:
    tx: Transaction
    tables: dict[str, Table]
    day: str
    destination: str                      # after 738.3(b) aliases (HK -> CN from 2020-12-23)
    groups: set[str]
    screening: list[dict] = field(default_factory=list)
    hits: list[ListedHit] = field(default_factory=list)
    subject: bool | None = None
    basis: list[str] = field(default_factory=list)
    route: str = "GP1"                    # GP1 U.S. origin, GP2 de minimis, GP3 FDP
    fdp: list[dict] = field(default_factory=list)   # FDP rules that caught the item
    requirements: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)   # questions that could add a requirement
    exception_bars: list[str] = field(default_factory=list)
    trace: list[dict] = field(default_factory=list)
    stop: bool = False

    # -- rule tables -------------------------------------------------------------------
    def view(self, table: str) -> View:
        return self.tables[table].at(self.day)

    def rule(self, table: str, key: str) -> Period | None:
        """The period of ``table.key`` in force on the date, or None when none is."""
        v = self.view(table)
        return v[key] if key in v else None

    def must(self, table: str, key: str) -> Period:
        """The period in force; raises :class:`NoRuleInForce` (the answer becomes a question)."""
        return self.view(table)[key]

    # -- destination helpers -----------------------------------------------------------
    def in_scope(self, scope: str) -> bool:
        d, g = self.destination, self.groups
        if scope == MACAU_D5:
            return d == "MO" or "D:5" in g
        if scope == "worldwide":
            return True
        if scope == "d1d4d5_ex_a5a6":
            return bool(g & {"D:1", "D:4", "D:5"}) and not (g & {"A:5", "A:6"})
        if scope == "d1d4d5_ex_a5a6_uae":
            return (d == "AE" or bool(g & {"D:1", "D:4", "D:5"})) and not (g & {"A:5", "A:6"})
        if scope == "cn_macau":
            return d in ("CN", "MO")
        raise ValueError(f"unknown destination scope {scope!r}")

    # -- recording ---------------------------------------------------------------------
    def require(self, *, rule: str, citation: str, summary: str, party: str | None = None,
                review_policy: str | None = None, license_exceptions: Any = "none",
                **extra: Any) -> dict:
        req = {"rule": rule, "citation": citation, "summary": summary, "party": party,
               "review_policy": review_policy, "license_exceptions": license_exceptions, **extra}
        self.requirements.append(req)
        return req

    def note(self, rule: str, citation: str, summary: str, party: str | None = None) -> None:
        self.notes.append({"rule": rule, "citation": citation, "summary": summary, "party": party})

    def ask(self, qid: str, text: str, *, blocking: bool = False) -> bool | None:
        """Return the answer to question ``qid`` if the transaction gives one; else ask it."""
        if qid in self.tx.answers:
            return self.tx.answers[qid]
        q = f"[{qid}] {text}"
        if q not in self.questions:
            self.questions.append(q)
        if blocking:
            self.blocking.append(qid)
        return None

    # -- hits --------------------------------------------------------------------------
    def listed(self, *codes: str, roles: tuple[str, ...] | None = None,
               decision: str = "match") -> list[ListedHit]:
        return [h for h in self.hits if h.list_code in codes and h.decision == decision
                and (roles is None or h.role in roles)]


def cite(period: Period, suffix: str = "") -> str:
    """``15 CFR 744.11(a)(3) (90 FR 47201)``-style citation of a rule period."""
    base = period.citation + suffix
    return f"{base} ({period.fr})" if period.fr else base
