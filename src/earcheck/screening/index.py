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
import marshal
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from earcheck.models import Party

from .compare import REVIEW_THRESHOLD
from .enrich import ZhName, by_english_key
from .normalize import UNMATCHED_FACTOR, NormName, Token, initials, normalize

#: Keys whose posting list is longer than this are not used to *find* candidates (they
#: still count when a candidate found through another key is estimated).
MAX_POSTINGS = 250
#: A candidate is compared in full when its optimistic bound reaches this.
BOUND_THRESHOLD = REVIEW_THRESHOLD - 0.15

# CSL writes some affiliates and subordinate institutions into the name of the parent entry:
# "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity: Shanghai Huawei ...".
_SPLIT_NAME = re.compile(r"\.?\s+(?:Affiliated Entity|Subordinate Institution)\s*[:\-–]\s*", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]{2,80})\)")


class Entry(NamedTuple):
    """One indexed name of one party."""

    party: int
    name: str
    norm: NormName
    source: str = "list"  # "list" | "derived" | enrichment source URL
    tokens: frozenset[str] = frozenset()
    weight: float = 0.0  # penalty_weight of the name (candidate bound)


def deletes(token: str) -> set[str]:
    """All one-character deletions of a token."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


#: Words that end an address part ("Bantian Longgang District", "Pudong New Area").
_ADDRESS_WORDS = frozenset({"district", "province", "county", "city", "area", "zone", "road", "street",
                            "avenue", "town", "township", "village", "building"})


def _is_place(part: str) -> bool:
    """A comma-separated part that names a place: only place names, or ends in an address word."""
    tokens = normalize(part).tokens
    if not tokens:
        return False
    return all(t.kind == "location" for t in tokens) or tokens[-1].text in _ADDRESS_WORDS


def derived_names(name: str) -> list[str]:
    """Extra forms of a listed name: the part after 'Affiliated Entity:', the name without a
    trailing ", City, Province" or ", ... District", and without parentheses that merely restate it."""
    out = []
    parts = _SPLIT_NAME.split(name)
    if len(parts) > 1:
        out.extend(p.strip(" .,;") for p in parts if p.strip(" .,;"))
    # CSL appends the place to some names: "Huawei Software Technologies Co., Ltd., Nanjing, Jiangsu"
    parts = [p.strip() for p in name.split(",")]
    cut = len(parts)
    while cut > 1 and parts[cut - 1] and _is_place(parts[cut - 1]):
        cut -= 1
    if cut < len(parts):
        out.append(", ".join(parts[:cut]).strip(" ,"))

    # "(Huawei)", "(SMIC)", "(CETC 14)" restate the name; "(UK)", "(Tianjin)", "(Group)" qualify it
    def restates(m: re.Match) -> str:
        kinds = {t.kind for t in normalize(m.group(1)).tokens}
        return " " if kinds and kinds <= {"name", "number"} else m.group(0)

    for form in [name] + out[-1:] if cut < len(parts) else [name]:
        stripped = " ".join(_PAREN.sub(restates, form).split()) if "(" in form else form
        if stripped != form:
            out.append(stripped)
    return out


def acronym_keys(norm: NormName) -> set[str]:
    """Initials of a multi-word name, with and without legal forms (2..10 letters)."""
    keys = set(a for a in norm.acronyms if a not in {t.text for t in norm.tokens})
    words = [t for t in norm.tokens if t.kind != "stop"]
    if len(words) >= 2:
        for skip in (("stop",), ("stop", "legal"), ("stop", "number"), ("stop", "legal", "number"),
                     ("stop", "legal", "location")):
            k = initials(norm.tokens, skip)
            if 3 <= len(k) <= 10:
                keys.add(k)
    return keys


def _number_values(norm: NormName) -> set[str]:
    """Digits of numbers spelt out in words ("first" -> "1", "forty four" -> "44", "40", "4")."""
    return {s[8:] for t in norm.tokens
            if t.kind == "number" and len(t.text) >= 3 and t.text.isalpha() and t.text.strip("ivxlcdm")
            for s in t.symbols if s.startswith("NUMERIC:") and s[8:].isdigit()}  # roman numerals stay


def penalty_weight(norm: NormName) -> float:
    """What the comparator's denominator would count if no token matched (weights x unmatched factors)."""
    return sum(t.weight * UNMATCHED_FACTOR[t.kind] for t in norm.tokens)


@dataclass
class Index:
    """Normalised names of parties with inverted postings (see module docstring)."""

    parties: list[Party]
    entries: list[Entry] = field(default_factory=list)
    postings: dict[str, tuple[int, ...]] = field(default_factory=dict)
    deletions: dict[str, str] = field(default_factory=dict)  # deletion -> "token token ..."
    exact: dict[str, list[int]] = field(default_factory=dict)

    # ------------------------------------------------------------------ build
    @classmethod
    def build(cls, parties: list[Party]) -> "Index":
        idx = cls(parties=list(parties))
        zh = by_english_key()
        post: dict[str, list[int]] = defaultdict(list)
        for pi, party in enumerate(idx.parties):
            person = party.kind == "person"
            seen: set[str] = set()
            names: list[tuple[str, str]] = []
            for n in party.names:
                names.append((n, "list"))
                names.extend((d, "derived") for d in derived_names(n))
            for n, src in [ns for ns in names if ns[1] in ("list", "derived") and not person]:
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
                idx.entries.append(Entry(pi, n, norm, src, toks, penalty_weight(norm)))
                idx.exact.setdefault(norm.key, []).append(ei)
                for k in idx.keys_of(norm):
                    post[k].append(ei)  # entry ids grow: lists stay sorted and unique
        idx.postings = {k: tuple(v) for k, v in post.items()}
        dels: dict[str, str] = {}
        for tok in idx.postings:
            if len(tok) >= 4 and tok.isalpha():
                for d in deletes(tok):
                    prev = dels.get(d)
                    dels[d] = tok if prev is None else prev + " " + tok
        idx.deletions = dels
        return idx

    # ------------------------------------------------------------------ persistence
    def to_bytes(self) -> bytes:
        """Serialise: parties by pickle, everything else as plain tuples by marshal (fast to load)."""
        raw = []
        for e in self.entries:
            if isinstance(e, Entry):
                n = e.norm
                toks = tuple((t.text, t.kind, tuple(sorted(t.symbols))) for t in n.tokens)
                e = (e.party, e.name, (toks, n.person, tuple(n.acronyms), n.cased), e.source, e.tokens, e.weight)
            raw.append(e)
        core = marshal.dumps((raw, self.postings, self.deletions, self.exact))
        return pickle.dumps((pickle.dumps(self.parties, protocol=pickle.HIGHEST_PROTOCOL), core),
                            protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Index":
        parties_blob, core = pickle.loads(data)
        raw, postings, deletions, exact = marshal.loads(core)
        return cls(parties=pickle.loads(parties_blob), entries=raw, postings=postings,
                   deletions=deletions, exact=exact)

    def entry(self, ei: int) -> Entry:
        """Entry ``ei``; entries loaded from the cache are turned into objects on first use."""
        e = self.entries[ei]
        if not isinstance(e, Entry):
            party, name, (toks, person, acr, cased), source, tokens, weight = e
            norm = NormName(name, tuple(Token(t, k, frozenset(sy)) for t, k, sy in toks), person, frozenset(acr), cased)
            e = self.entries[ei] = Entry(party, name, norm, source, tokens, weight)
        return e

    @staticmethod
    def keys_of(norm: NormName) -> set[str]:
        """The posting keys of a normalised name: tokens, "+"joined pairs, "^"initials."""
        toks = [t.text for t in norm.tokens]
        keys = set(toks) | _number_values(norm)
        keys.update("+" + a + b for a, b in zip(toks, toks[1:]))
        keys.update("^" + k for k in acronym_keys(norm))
        return keys

    # ------------------------------------------------------------------ query
    def _expand(self, key: str) -> list[str]:
        """The indexed keys a query key can reach: itself and its one-edit neighbours."""
        out = [key] if key in self.postings else []
        if len(key) >= 4 and key.isalpha():
            seen = set(out)
            for tok in self.deletions.get(key, "").split():  # query is a deletion of the indexed token
                if tok not in seen:
                    seen.add(tok)
                    out.append(tok)
            for d in deletes(key):
                if d in self.postings and d not in seen and len(d) >= 4:
                    seen.add(d)
                    out.append(d)
                for tok in self.deletions.get(d, "").split():
                    if tok not in seen:
                        seen.add(tok)
                        out.append(tok)
        return out

    def candidates(self, norm: NormName, limit: int = 40) -> list[int]:
        """Entry ids whose optimistic score bound can reach the review threshold, best first.

        Token keys add the query token's weight to the entries they reach; acronym and
        joined-word keys (which align one token with several) force a full comparison.
        """
        if not norm.tokens:
            return []
        weights: dict[str, float] = {}
        for t in norm.tokens:
            weights[t.text] = max(weights.get(t.text, 0.0), t.weight)
        for v in _number_values(norm):  # "First" also finds "1st", "44" finds "Forty-Four"
            weights.setdefault(v, 1.0)
        # Distinctive tokens (names, numbers) find candidates; generic words, places and legal
        # forms only count for candidates found so: a listed name sharing none of the query's
        # distinctive words cannot reach the review threshold.
        finders = {t.text for t in norm.tokens if t.kind in ("name", "number")} | _number_values(norm) \
            or set(weights)
        qpen = penalty_weight(norm)
        found: dict[int, float] = defaultdict(float)
        forced: set[int] = set(self.exact.get(norm.key, ()))
        common: list[tuple[str, float]] = [(k, w) for k, w in weights.items() if k not in finders]
        selective = 0
        too_common: list[tuple[str, float]] = []
        for key, w in weights.items():
            if key not in finders:
                continue
            for ik in self._expand(key):
                plist = self.postings[ik]
                if len(plist) > MAX_POSTINGS:
                    common.append((ik, w))
                    too_common.append((ik, w))
                    continue
                selective += 1
                for ei in plist:
                    found[ei] += w
            if 3 <= len(key) <= 10 and key.isalnum():  # query token = initials of a listed name
                forced.update(self.postings.get("^" + key, ())[:MAX_POSTINGS])
            if len(key) >= 6:  # query token = two listed words written together
                forced.update(self.postings.get("+" + key, ())[:MAX_POSTINGS])
        toks = [t.text for t in norm.tokens]
        for extra in {a + b for a, b in zip(toks, toks[1:])} | acronym_keys(norm):
            plist = self.postings.get(extra, ())  # listed token = joined words / initials of the query
            if len(plist) <= MAX_POSTINGS:
                forced.update(plist)
        if not selective and too_common:
            # only very common distinctive words ("Muhammad Ahmad"): use the shortest list, capped
            too_common.sort(key=lambda kw: len(self.postings[kw[0]]))
            key, w = too_common[0]
            common.remove((key, w))
            for ei in self.postings[key][: MAX_POSTINGS * 8]:
                found[ei] += w
        scored: list[tuple[float, int]] = []
        entries = self.entries
        # bound >= T needs shared >= T * qpen / (2 - T) (the query's unmatched part alone):
        # entries that cannot share that much even with every common word are skipped at once
        need = BOUND_THRESHOLD * qpen / (2 - BOUND_THRESHOLD) - sum(w for _, w in common)
        for ei, acc in found.items():
            if acc < need:
                continue
            e = entries[ei]  # Entry or raw tuple: fields 4 (token set) and 5 (penalty weight) agree
            etoks, epen = e[4], e[5]
            shared = acc
            for key, w in common:
                if key in etoks:
                    shared += w
            rest = max(qpen - shared, 0.0) + max(epen - shared, 0.0)
            bound = 2 * shared / (2 * shared + rest)
            if bound >= BOUND_THRESHOLD:
                scored.append((bound, ei))
        scored.sort(reverse=True)
        out = [ei for _, ei in scored[:limit]]
        seen = set(out)
        out.extend(ei for ei in forced if ei not in seen)
        return out
