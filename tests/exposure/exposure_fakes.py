"""Fakes of the screening and rules layers (same duck type as the contracts), and the small
hand-computed ledger the exposure tests check against (imported by conftest and tests)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from earcheck.models import Party


@dataclass
class FakeHit:
    party: Party
    id: str
    list_code: str
    name: str
    matched_name: str
    score: float
    decision: str
    explanation: str = ""
    features: dict = field(default_factory=dict)


@dataclass
class FakeResult:
    name: str
    country: str | None
    decision: str
    hits: list
    reason: str | None = None


def _n(s: str) -> str:
    return " ".join(s.casefold().replace(",", " ").replace(".", " ").split())


class FakeScreener:
    """Exact (normalised) name match against names and aliases; honours as_of and limit."""

    builds = 0

    def __init__(self, parties):
        self.parties = list(parties)
        self.index: dict[str, list[Party]] = {}
        for p in self.parties:
            for nm in p.names:
                self.index.setdefault(_n(nm), []).append(p)
        self.calls = 0

    @classmethod
    def from_parties(cls, parties):
        cls.builds += 1
        return cls(parties)

    def screen(self, name, country=None, address=None, limit=10, as_of=None, lists=None):
        self.calls += 1
        if name == "EXPLODE":
            raise KeyError("technologies")
        hits = [FakeHit(p, p.id, p.list_code, p.name, name, 1.0, "match")
                for p in self.index.get(_n(name), []) if p.active_on(as_of)
                and (not lists or p.list_code in lists)][:limit]
        return FakeResult(name, country, "match" if hits else "clear", hits)


def fake_check(tx, *, store=None, screener=None):
    """A tiny rules engine: EL -> 744.11, DPL -> prohibited, 3B001 to CN -> 738.4."""
    reqs, decision = [], "no_license_required"
    for party in tx["parties"]:
        if party["role"] != "end_user":
            continue
        for h in screener.screen(party["name"], country=party.get("country"), as_of=tx["date"]).hits:
            if h.decision != "match":
                continue
            if h.party.list_code == "DPL":
                reqs.append({"rule": "736.2(b)(4)", "citation": "15 CFR 736.2(b)(4)", "party": party["name"],
                             "review_policy": "policy of denial"})
                decision = "prohibited"
            elif h.party.list_code == "EL":
                reqs.append({"rule": "744.11", "citation": "15 CFR 744.11", "party": party["name"],
                             "review_policy": h.party.license_policy})
                if decision != "prohibited":
                    decision = "license_required"
    if tx["item"]["classification"].upper().startswith("3B001") and tx["destination"] == "CN":
        reqs.append({"rule": "738.4", "citation": "15 CFR 738.4", "party": None, "review_policy": "case by case"})
        if decision != "prohibited":
            decision = "license_required"
    if tx["item"]["classification"] == "BOOM":
        raise RuntimeError("unknown ECCN BOOM")
    return {"decision": decision, "requirements": reqs, "as_of": tx["date"]}


SMIC_POLICY = ("Presumption of denial for items uniquely required for production of semiconductors at "
               "advanced technology nodes (10 nanometers and below); Case by case for all other items")

PARTIES = [
    Party(id="el-smic", list_code="EL", name="Semiconductor Manufacturing International Corporation",
          aliases=["SMIC"], countries=["CN"], start_date="2020-12-18",
          license_requirement="For all items subject to the EAR. (See §744.11 of the EAR)",
          license_policy=SMIC_POLICY, federal_register="85 FR 83420"),
    Party(id="el-huawei", list_code="EL", name="Huawei Technologies Co., Ltd.", countries=["CN"],
          start_date="2019-05-16", license_requirement="For all items subject to the EAR",
          license_policy="Presumption of denial"),
    Party(id="dpl-bad", list_code="DPL", name="Bad Actor Trading", countries=["AE"], start_date="2019-01-01"),
    Party(id="el-ymtc", list_code="EL", name="Yangtze Memory Technologies Co., Ltd.", countries=["CN"],
          start_date="2022-12-19", license_policy="Presumption of denial"),
]

# 14 data rows: 12 good lines, one in an unknown currency, one with a bad date.
SMALL_LEDGER = """date,customer,country,classification,value,currency
2020-06-10,Semiconductor Manufacturing International Corporation,CN,EAR99,100000,USD
2020-12-20,Semiconductor Manufacturing International Corporation,CN,EAR99,50000,USD
2021-03-01,Semiconductor Manufacturing International Corporation,CN,3B991,200000,USD
2021-07-15,Semiconductor Manufacturing International Corporation,CN,3B001,645080,CNY
2021-11-30,"Huawei Technologies Co., Ltd.",CN,EAR99,80000,USD
2021-02-01,Hsinchu Wafer Services Corp.,TW,3B001,300000,USD
2022-05-05,Dresdner Prozesstechnik GmbH,DE,3B991,100000,EUR
2022-08-01,Bad Actor Trading,AE,EAR99,20000,USD
2022-10-03,"Yangtze Memory Technologies Co., Ltd.",CN,EAR99,60000,USD
2023-01-10,Kumamoto Thin Film K.K.,JP,3D991,14050010,JPY
2021-05-05,Mystery Co,CN,EAR99,5000,XYZ
2021-13-01,Foo Ltd,CN,EAR99,1000,USD
2021-09-09,"Xinsheng Wafer Technology Co., Ltd.",CN,EAR99,40000,USD
2021-10-10,"Minority Fab Co., Ltd.",CN,EAR99,10000,USD
"""

OWNERS = """customer,owner,percent
"Xinsheng Wafer Technology Co., Ltd.",Semiconductor Manufacturing International Corporation,60
"Xinsheng Wafer Technology Co., Ltd.",Some Private Investor,40
"Minority Fab Co., Ltd.","Huawei Technologies Co., Ltd.",49
"""

SCENARIOS = """
scenarios:
  - name: smic_2021
    title: What would listing SMIC on 2020-12-18 have cost in 2021?
    period: {from: 2021-01-01, to: 2021-12-31}
    against:
      - remove: {name_contains: [Semiconductor Manufacturing International]}
    changes:
      - list:
          name: Semiconductor Manufacturing International Corporation
          aliases: [SMIC]
          countries: [CN]
          start_date: 2020-12-18
          license_policy: Case by case
  - name: delist_huawei
    title: Remove Huawei
    changes:
      - remove: {name: ["Huawei Technologies Co., Ltd."]}
  - name: fifty
    title: Apply the 50% rule to owners
    changes:
      - fifty_percent_rule: {owners: owners.csv}
"""
