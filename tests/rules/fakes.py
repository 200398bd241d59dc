"""A stand-in screener with the duck type of ``earcheck.screening.Screener``.

Used by the unit tests so the rules can be tested with hand-built Party objects whatever the
screening engine's scores are: normalised exact/near-exact name comparison only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from normality import normalize
from rapidfuzz import fuzz, process

from earcheck.models import Party


@dataclass
class FakeHit:
    party: Party
    score: float
    decision: str

    @property
    def list_code(self) -> str:
        return self.party.list_code


@dataclass
class FakeResult:
    name: str
    hits: list[FakeHit] = field(default_factory=list)

    @property
    def decision(self) -> str:
        ds = {h.decision for h in self.hits}
        return "match" if "match" in ds else "review" if ds else "clear"


class FakeScreener:
    """``screen(name, country=, as_of=)`` over a fixed list of parties."""

    snapshot = "fake-screener"

    def __init__(self, parties: list[Party], match: float = 0.95, review: float = 0.85):
        self.parties, self.match, self.review = parties, match, review
        self._names = [(normalize(n) or "", i) for i, p in enumerate(parties) for n in p.names]
        self._choices = [n for n, _ in self._names]

    def screen(self, name, country=None, address=None, limit=10, as_of=None, lists=None):
        q = normalize(name) or ""
        best: dict[int, float] = {}
        for _, score, j in process.extract(q, self._choices, scorer=fuzz.ratio, limit=200,
                                           score_cutoff=self.review * 100):
            i = self._names[j][1]
            best[i] = max(best.get(i, 0), score / 100)
        hits = []
        for i, score in best.items():
            p = self.parties[i]
            if not p.active_on(as_of) or (lists and p.list_code not in lists):
                continue
            hits.append(FakeHit(p, score, "match" if score >= self.match else "review"))
        hits.sort(key=lambda h: -h.score)
        return FakeResult(name, hits[:limit])
