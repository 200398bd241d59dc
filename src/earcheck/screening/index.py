"""Candidate index: from a query to the few listed names worth a full comparison.

Every name of every party (plus derived aliases: the affiliate / subordinate part of CSL's
combined names, acronyms in parentheses, and the Chinese names of the enrichment table) is
normalised once. Inverted postings map keys to name entries:

* each token text ("huawei", "14", "coltd");
* the initials of the name ("semiconductor manufacturing international corporation" -> "smic",
  with and without legal forms) so acronyms meet full names both ways;
* adjacent token pairs written together ("zhong ke" -> "zhongke");
* one-deletion variants of tokens of four letters or more (SymSpell), so a typo still finds
  the token (edit distance one, including adjacent transpositions).

A query gathers candidates from its selective keys, estimates an upper bound of the comparator
score from the weights of shared tokens, and only candidates whose bound can reach the review
threshold are compared in full.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from earcheck.models import Party

from .compare import REVIEW_THRESHOLD
from .enrich import ZhName, by_english_key
from .normalize import UNMATCHED_FACTOR, NormName, initials, normalize

#: Keys whose posting list is longer than this are not used to *find* candidates (they
#: still count when a candidate found through another key is estimated).
MAX_POSTINGS = 1500
#: A candidate is compared in full when its optimistic bound reaches this.
BOUND_THRESHOLD = REVIEW_THRESHOLD - 0.1

# CSL writes some affiliates and subordinate institutions into the name of the parent entry:
# "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity: Shanghai Huawei ...".
_SPLIT_NAME = re.compile(r"\.?\s+(?:Affiliated Entity|Subordinate Institution)\s*[:\-–]\s*", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]{2,80})\)")


@dataclass(slots=True)
class Entry:
    """One indexed name of one party."""

    party: int
    name: str
    norm: NormName
    source: str = "list"  # "list" | "derived" | enrichment source URL
    tokens: frozenset[str] = frozenset()
    weight: float = 0.0


def deletes(token: str) -> set[str]:
    """All one-character deletions of a token."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def derived_names(name: str) -> list[str]:
    """Extra forms of a listed name: the part after 'Affiliated Entity:', text without parentheses."""
    out = []
    parts = _SPLIT_NAME.split(name)
    if len(parts) > 1:
        out.extend(p.strip(" .,;") for p in parts if p.strip(" .,;"))
    # "(Huawei)", "(SMIC)", "(CETC 14)" restate the name; "(UK)", "(Tianjin)", "(Group)" qualify it
    def restates(m: re.Match) -> str:
        kinds = {t.kind for t in normalize(m.group(1)).tokens}
        return " " if kinds and kinds <= {"name", "number"} else m.group(0)

    stripped = " ".join(_PAREN.sub(restates, name).split())
    if stripped != name:
        out.append(stripped)
    return out


def acronym_keys(norm: NormName) -> set[str]:
    """Initials of a multi-word name, with and without legal forms (2..10 letters)."""
    keys = set(norm.acronyms)
    words = [t for t in norm.tokens if t.kind != "stop"]
    if len(words) >= 2:
        for skip in (("stop",), ("stop", "legal"), ("stop", "legal", "location")):
            k = initials(norm.tokens, skip)
            if 2 <= len(k) <= 10:
                keys.add(k)
    return keys


def entry_weight(norm: NormName) -> float:
    return sum(t.weight for t in norm.tokens)


@dataclass
class Index:
    """Normalised names of parties with inverted postings (see module docstring)."""

    parties: list[Party]
    entries: list[Entry] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    deletions: dict[str, list[str]] = field(default_factory=dict)
    exact: dict[str, list[int]] = field(default_factory=dict)

    # ------------------------------------------------------------------ build
    @classmethod
    def build(cls, parties: list[Party]) -> "Index":
        idx = cls(parties=list(parties))
        zh = by_english_key()
        post: dict[str, set[int]] = defaultdict(set)
        for pi, party in enumerate(idx.parties):
            person = party.kind == "person"
            seen: set[str] = set()
            names: list[tuple[str, str]] = []
            for n in party.names:
                names.append((n, "list"))
                names.extend((d, "derived") for d in derived_names(n))
            for n, src in [ns for ns in names if ns[1] == "list"]:
                for z in zh.get(normalize(n).key, ()):  # enrichment: Chinese names
                    names.append((z.zh, z.source))
            for n, src in names:
                if not n or n in seen:
                    continue
                seen.add(n)
                norm = normalize(n, person)
                if not norm.tokens:
                    continue
                ei = len(idx.entries)
                toks = frozenset(t.text for t in norm.tokens)
                idx.entries.append(Entry(pi, n, norm, src, toks, entry_weight(norm)))
                idx.exact.setdefault(norm.key, []).append(ei)
                for k in idx.keys_of(norm):
                    post[k].add(ei)
        idx.postings = {k: sorted(v) for k, v in post.items()}
        dels: dict[str, set[str]] = defaultdict(set)
        for tok in idx.postings:
            if len(tok) >= 4 and tok.isalpha():
                for d in deletes(tok):
                    dels[d].add(tok)
        idx.deletions = {k: sorted(v) for k, v in dels.items()}
        return idx

    @staticmethod
    def keys_of(norm: NormName) -> set[str]:
        """The posting keys of a normalised name."""
        toks = [t.text for t in norm.tokens]
        keys = set(toks)
        keys.update(a + b for a, b in zip(toks, toks[1:]))
        keys.update(acronym_keys(norm))
        return keys

    # ------------------------------------------------------------------ query
    def _expand(self, key: str) -> list[str]:
        """The indexed keys a query key can reach: itself and its one-edit neighbours."""
        out = [key] if key in self.postings else []
        if len(key) >= 4 and key.isalpha():
            seen = set(out)
            for tok in self.deletions.get(key, ()):  # query is a deletion of the indexed token
                if tok not in seen:
                    seen.add(tok)
                    out.append(tok)
            for d in deletes(key):
                if d in self.postings and d not in seen and len(d) >= 4:
                    seen.add(d)
                    out.append(d)
                for tok in self.deletions.get(d, ()):
                    if tok not in seen:
                        seen.add(tok)
                        out.append(tok)
        return out

    def candidates(self, norm: NormName, limit: int = 40) -> list[int]:
        """Entry ids whose optimistic score bound can reach the review threshold, best first."""
        if not norm.tokens:
            return []
        weights: dict[str, float] = {}
        for t in norm.tokens:
            weights[t.text] = max(weights.get(t.text, 0.0), t.weight)
        toks = [t.text for t in norm.tokens]
        for a, b in zip(toks, toks[1:]):
            weights.setdefault(a + b, 1.0)
        for k in acronym_keys(norm):
            weights.setdefault(k, 1.0)
        qweight = sum(t.weight for t in norm.tokens)
        found: dict[int, float] = defaultdict(float)
        selective = 0
        common: list[tuple[str, float]] = []
        for key, w in weights.items():
            for ik in self._expand(key):
                plist = self.postings[ik]
                if len(plist) > MAX_POSTINGS:
                    common.append((ik, w))
                    continue
                selective += 1
                for ei in plist:
                    found[ei] += w
        if not selective and common:
            # only very common words: look at the shortest lists anyway, capped
            common.sort(key=lambda kw: len(self.postings[kw[0]]))
            for ei in self.postings[common[0][0]][: MAX_POSTINGS * 2]:
                found[ei] += common[0][1]
        exact = self.exact.get(norm.key, [])
        scored: list[tuple[float, int]] = []
        for ei, acc in found.items():
            e = self.entries[ei]
            shared = acc
            for key, w in common:
                if key in e.tokens:
                    shared += w
            shared = min(shared, qweight if qweight else shared, e.weight if e.weight else shared)
            rest = max(qweight - shared, 0.0) + max(e.weight - shared, 0.0)
            bound = 2 * shared / (2 * shared + min(UNMATCHED_FACTOR.values()) * rest) if shared else 0.0
            if bound >= BOUND_THRESHOLD or ei in exact:
                scored.append((bound, ei))
        scored.sort(reverse=True)
        out = [ei for _, ei in scored[:limit]]
        for ei in exact:
            if ei not in out:
                out.insert(0, ei)
        return out
