"""Pairwise name comparison: align tokens, score with declared features, explain.

In the manner of nomenklatura's heuristic algorithms, the score is the best of the *main*
features (each times its weight) plus the sum of the *qualifiers* (penalties or bonuses),
clamped to [0, 1]. Qualifiers only apply when a main feature scored above zero. Every feature
is a function with a one-sentence docstring; :func:`features_doc` lists them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from rapidfuzz.distance import OSA

from .normalize import UNMATCHED_FACTOR, NormName, Token, normalize

#: Weight factor of a person's extra names when all names of the other side matched.
PERSON_SUBSET_FACTOR = 0.5

#: Similarity of a listed acronym spelt out by the query's initials (chance initials are common).
LISTED_ACRONYM_SIM = 0.65

#: At or above: a match (the party is very likely the one listed).
MATCH_THRESHOLD = 0.85
#: At or above (and below MATCH_THRESHOLD): a possible match a person should review.
REVIEW_THRESHOLD = 0.75


def decide(score: float) -> str:
    """``match`` / ``review`` / ``clear`` from the two thresholds."""
    if score >= MATCH_THRESHOLD:
        return "match"
    if score >= REVIEW_THRESHOLD:
        return "review"
    return "clear"


# --------------------------------------------------------------------------- token similarity


def _allowed_edits(n: int, person: bool = False) -> int:
    """Edits tolerated between two tokens whose shorter one has ``n`` letters.

    People's names are spelt more freely (Scholz / Schulze, Nadella / Nandela) than company
    names, where two edits in a short word usually make another company (Radian / Radiant).
    """
    if n < 4:
        return 0
    if n < (6 if person else 8):
        return 1
    if n < (10 if person else 11):
        return 2
    return 3


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Toneless pinyin syllables (~420) from pypinyin's character table (loaded once, ~0.2 s)."""
    from pypinyin.constants import PINYIN_DICT

    out = set()
    for readings in PINYIN_DICT.values():
        for r in readings.split(","):
            r = "".join(c for c in unicodedata.normalize("NFD", r) if not unicodedata.combining(c))
            out.add(r.replace("ü", "v"))
    return frozenset(out)


def is_chinese_name(tokens) -> bool:
    """Every part of a person's name is a pinyin syllable (XU Bin, Dai Jian): a Chinese name."""
    syl = pinyin_syllables()
    parts = [t.text for t in tokens if t.kind != "stop"]
    return len(parts) >= 2 and all(p in syl for p in parts)


def token_sim(x: Token, y: Token, person: bool = False) -> tuple[float, str]:
    """Similarity of two tokens in [0, 1] and how it was found (literal/symbol/fuzzy/initial)."""
    if x.text == y.text:
        return 1.0, "literal"
    if x.kind == "number" or y.kind == "number":
        return 0.0, ""
    if person and len(x.text) <= 6 and len(y.text) <= 6 and x.text in pinyin_syllables() \
            and y.text in pinyin_syllables():
        return 0.0, ""  # Cheng is not a typo of Sheng or Chen: distinct Chinese syllables
    if x.kind == "location" and y.kind == "location" and not (x.symbols & y.symbols):
        return 0.0, ""  # Beijing is not a typo of Nanjing
    if x.symbols and y.symbols and (x.symbols & y.symbols):
        return 0.95, "symbol"
    lx, ly = len(x.text), len(y.text)
    if lx == 1 or ly == 1:
        if not person:
            return 0.0, ""  # in a company name a lone letter is no initial ("d agostino")
        short, long_ = (x.text, y.text) if lx == 1 else (y.text, x.text)
        if long_.startswith(short):
            return 0.8, "initial"
        return 0.0, ""
    allowed = _allowed_edits(min(lx, ly), person)
    if allowed == 0 or abs(lx - ly) > allowed:
        return 0.0, ""
    d = OSA.distance(x.text, y.text, score_cutoff=allowed)
    if d > allowed:
        return 0.0, ""
    sim = 1.0 - d / max(lx, ly)
    if x.text[0] != y.text[0]:
        sim -= 0.1
    if min(lx, ly) <= 5:
        sim = min(sim, 0.65 if min(lx, ly) == 4 else 0.68)  # SMIC is not SOMIC, Masco not Mosco
    return max(sim, 0.0), "fuzzy"


# --------------------------------------------------------------------------- alignment


@dataclass(slots=True)
class Pair:
    """Tokens of side A matched to tokens of side B with a similarity and a method."""

    a: list[int]
    b: list[int]
    sim: float
    how: str


@dataclass
class Alignment:
    """The token alignment of two normalised names, shared by all features."""

    qa: NormName
    qb: NormName
    pairs: list[Pair] = field(default_factory=list)
    used_a: set[int] = field(default_factory=set)
    used_b: set[int] = field(default_factory=set)

    frozen: tuple[list[Token], list[Token]] | None = None  # unmatched tokens once aligned

    def unmatched_a(self) -> list[Token]:
        if self.frozen is not None:
            return self.frozen[0]
        return [t for i, t in enumerate(self.qa.tokens) if i not in self.used_a]

    def unmatched_b(self) -> list[Token]:
        if self.frozen is not None:
            return self.frozen[1]
        return [t for i, t in enumerate(self.qb.tokens) if i not in self.used_b]

    def freeze(self) -> "Alignment":
        """Alignment done: compute the unmatched tokens once for all features."""
        self.frozen = (self.unmatched_a(), self.unmatched_b())
        return self


def _runs(tokens: tuple[Token, ...], used: set[int], start: int, max_len: int):
    """Consecutive unmatched runs beginning at ``start`` (stopwords may sit inside a run)."""
    run: list[int] = []
    for j in range(start, len(tokens)):
        if j in used:
            return
        run.append(j)
        if tokens[j].kind != "stop":
            yield list(run)
        if len([k for k in run if tokens[k].kind != "stop"]) >= max_len:
            return


def _initials_variants(words: list[Token]) -> set[str]:
    """Initials of a run of words: all of them, or without legal forms / numbers (often left out)."""
    out = {"".join(w.text if w.kind == "number" else w.text[0] for w in words)}
    for skip in (("legal",), ("number",), ("legal", "number")):
        kept = [w for w in words if w.kind not in skip]
        if len(kept) >= 2:
            out.add("".join(w.text if w.kind == "number" else w.text[0] for w in kept))
    return out


def _acronym_pass(al: Alignment, flip: bool) -> None:
    """Match a short token on one side to the initials of a run of words on the other.

    Guards against chance initials (ordinary names have plenty): never with a person's name;
    the short token must be written as an acronym (capitals in mixed-case text, or no case
    information); a legal form counts as an initial only after three other words (SMIC =
    Semiconductor Manufacturing International Corporation, but MMI is not Marcus & Millichap
    Inc); the acronym must be all that is left unmatched of its own name (bar legal forms);
    three-letter acronyms are weaker evidence (0.75) than longer ones (0.9). The other way
    round (the *listed* name is the acronym, the query spells words out) the initials of an
    ordinary multi-word name spell some listed acronym by chance (Corgi Space & Satellite
    Communications -> CSSC): LISTED_ACRONYM_SIM, below the review threshold on its own; the
    party's full listed name is what a spelt-out query should meet.
    """
    qa, qb = (al.qb, al.qa) if flip else (al.qa, al.qb)
    used_a, used_b = (al.used_b, al.used_a) if flip else (al.used_a, al.used_b)
    if qa.person or qb.person:
        return
    free = [t for j, t in enumerate(qb.tokens) if j not in used_b and t.kind != "stop"]
    if len(free) < 2:
        return
    free_initials = _initials_variants(free)
    for i, t in enumerate(qa.tokens):
        if i in used_a or not (3 <= len(t.text) <= 8) or not t.text.isalnum() or t.kind == "number":
            continue
        if not any(t.text in fi for fi in free_initials):  # cheap necessary condition
            continue
        if qa.cased and t.text not in qa.acronyms:
            continue  # "Sky Quarry Inc": Sky is a word, not an acronym
        if any(k != i and k not in used_a and u.kind not in ("legal", "stop") for k, u in enumerate(qa.tokens)):
            continue  # "CMS Energy": the acronym must be all that is left of its name
        if len(t.text) < 4 and (flip or len(qa.tokens) > 1):
            continue  # three letters are some name's initials by chance: only a bare query acronym
        found = None
        for start in range(len(qb.tokens)):
            for run in _runs(qb.tokens, used_b, start, len(t.text) + 2):
                words = [qb.tokens[k] for k in run if qb.tokens[k].kind != "stop"]
                if len(words) < 2:
                    continue
                if any(w.kind == "legal" for w in words) and sum(w.kind != "legal" for w in words) < 3:
                    continue
                if t.text in _initials_variants(words):
                    found = run
            if found:
                break
        if found:
            sim = LISTED_ACRONYM_SIM if flip else (0.9 if len(t.text) >= 4 else 0.75)
            used_a.add(i)
            used_b.update(found)
            pa, pb = ([i], found) if not flip else (found, [i])
            al.pairs.append(Pair(pa, pb, sim, "listed acronym (weak: chance initials)" if flip else "acronym"))


def _concat_pass(al: Alignment, flip: bool) -> None:
    """Match one token to two or three adjacent tokens written together (word split/join)."""
    qa, qb = (al.qb, al.qa) if flip else (al.qa, al.qb)
    used_a, used_b = (al.used_b, al.used_a) if flip else (al.used_a, al.used_b)
    for i, t in enumerate(qa.tokens):
        if i in used_a or len(t.text) < 4:
            continue
        best: tuple[float, list[int]] | None = None
        for start in range(len(qb.tokens)):
            if start in used_b or qb.tokens[start].text[:1] != t.text[:1]:
                continue  # the joined words must start like the token
            run: list[int] = []
            for j in range(start, min(start + 3, len(qb.tokens))):
                if j in used_b:
                    break
                run.append(j)
                if len(run) < 2:
                    continue
                joined = Token("".join(qb.tokens[k].text for k in run), "name")
                sim, _ = token_sim(Token(t.text, "name"), joined)
                if sim > 0.8 and (best is None or sim > best[0]):
                    best = (sim, list(run))
        if best:
            used_a.add(i)
            used_b.update(best[1])
            pa, pb = ([i], best[1]) if not flip else (best[1], [i])
            al.pairs.append(Pair(pa, pb, best[0], "joined"))


def _number_words_pass(al: Alignment, flip: bool) -> None:
    """Match a number written in digits to the same number spelt out ("1st" / "First", "44" /
    "Forty-Four", "3" / "Three"): one or two adjacent words carrying rigour's NUMERIC symbol of
    that value. Words on both sides stay words ("Capital One" is not "First Capital")."""
    qa, qb = (al.qb, al.qa) if flip else (al.qa, al.qb)
    used_a, used_b = (al.used_b, al.used_a) if flip else (al.used_a, al.used_b)
    for i, t in enumerate(qa.tokens):
        if i in used_a or not t.text.isdigit():
            continue
        sym = "NUMERIC:" + str(int(t.text))
        best: list[int] = []
        for j, u in enumerate(qb.tokens):
            if j in used_b or u.text.isdigit() or sym not in u.symbols:
                continue
            run = [j]
            if j + 1 < len(qb.tokens) and j + 1 not in used_b and sym in qb.tokens[j + 1].symbols:
                run.append(j + 1)
            if len(run) > len(best):
                best = run
        if best:
            used_a.add(i)
            used_b.update(best)
            pa, pb = ([i], best) if not flip else (best, [i])
            al.pairs.append(Pair(pa, pb, 0.95, "number word"))


_VOWELS = frozenset("aeiouy")


def _person_initials_pass(al: Alignment, flip: bool) -> None:
    """In people's names, a short word without vowels is a run of initials ("JC Juncker" =
    Jean-Claude Juncker): match it to adjacent names on the other side with those first letters."""
    qa, qb = (al.qb, al.qa) if flip else (al.qa, al.qb)
    used_a, used_b = (al.used_b, al.used_a) if flip else (al.used_a, al.used_b)
    if sum(len(t.text) > 3 for t in qa.tokens) == 0:
        return  # initials alone ("N.N.") identify nobody
    for i, t in enumerate(qa.tokens):
        if i in used_a or not (2 <= len(t.text) <= 3) or not t.text.isalpha() or _VOWELS & set(t.text):
            continue
        n = len(t.text)
        for start in range(len(qb.tokens) - n + 1):
            run = list(range(start, start + n))
            if any(j in used_b or len(qb.tokens[j].text) < 2 for j in run):
                continue
            if "".join(qb.tokens[j].text[0] for j in run) == t.text:
                used_a.add(i)
                used_b.update(run)
                pa, pb = ([i], run) if not flip else (run, [i])
                al.pairs.append(Pair(pa, pb, 0.8, "initials"))
                break


def align(qa: NormName, qb: NormName) -> Alignment:
    """Greedy best-first token alignment: exact tokens, acronyms and joined words, then fuzzy."""
    al = Alignment(qa, qb)
    person = qa.person and qb.person
    cands = []
    for i, x in enumerate(qa.tokens):
        for j, y in enumerate(qb.tokens):
            sim, how = token_sim(x, y, person)
            if sim > 0:
                cands.append((sim, -abs(i - j), i, j, how))
    cands.sort(reverse=True)

    def take(exact: bool) -> None:
        for sim, _, i, j, how in cands:
            if (how in ("literal", "symbol")) != exact or i in al.used_a or j in al.used_b:
                continue
            al.used_a.add(i)
            al.used_b.add(j)
            al.pairs.append(Pair([i], [j], sim, how))

    take(exact=True)  # literal and symbol matches first,
    if len(al.used_a) < len(qa.tokens) and len(al.used_b) < len(qb.tokens):
        _number_words_pass(al, False)  # numbers in digits and in words,
        _number_words_pass(al, True)
        _acronym_pass(al, False)  # then acronyms and words written together ("d agostino"),
        _acronym_pass(al, True)
        _concat_pass(al, False)
        _concat_pass(al, True)
        if person:
            _person_initials_pass(al, False)
            _person_initials_pass(al, True)
    take(exact=False)  # then fuzzy spellings and initials
    return al.freeze()


# --------------------------------------------------------------------------- features


def _restated(nn: NormName, unmatched: list[Token]) -> list[Token]:
    """``unmatched`` without acronyms that restate their own name ("... Corporation (SMIC)")."""
    if not nn.acronyms or not any(t.text in nn.acronyms for t in unmatched):
        return unmatched
    rest = [t for t in nn.tokens if t.kind != "stop" and t.text not in nn.acronyms]
    if len(rest) < 2:
        return unmatched
    inits = _initials_variants(rest)
    return [t for t in unmatched if not (t.text in nn.acronyms and t.text in inits)]


def _unmatched(al: Alignment, side: str) -> list[Token]:
    """Unmatched tokens of one side, an acronym restating its own name set aside."""
    return _restated(al.qa, al.unmatched_a()) if side == "a" else _restated(al.qb, al.unmatched_b())


def name_literal(al: Alignment) -> float:
    """The two names are identical after normalisation (case, script, legal forms, numbers)."""
    return 1.0 if al.qa.key == al.qb.key and al.qa.key else 0.0


def name_core_literal(al: Alignment) -> float:
    """The names are identical once legal forms and stopwords are set aside."""
    return 1.0 if al.qa.core_key == al.qb.core_key and al.qa.core_key else 0.0


def name_tokens(al: Alignment) -> float:
    """Weighted share of the tokens of both names that align (literal, symbol, fuzzy, acronym, joined)."""
    num = den = 0.0
    for p in al.pairs:
        w = sum(al.qa.tokens[i].weight for i in p.a) + sum(al.qb.tokens[j].weight for j in p.b)
        num += p.sim * w
        den += w
    ua, ub = _unmatched(al, "a"), _unmatched(al, "b")
    # A person named in full on one side and in short on the other ("UMAR PATEK" vs "UMAR PATEK
    # ABDULLAH ANSHORI"): extra names count half when every name of the shorter side matched.
    subset = (al.qa.person and al.qb.person and al.pairs and (not ua or not ub)
              and min(len(al.qa.tokens), len(al.qb.tokens)) >= 2  # "PATRICIA" alone is no subset
              and not chinese_name_partial(al))
    for t in ua + ub:
        den += t.weight * UNMATCHED_FACTOR[t.kind] * (PERSON_SUBSET_FACTOR if subset else 1.0)
    return num / den if den else 0.0


def chinese_name_partial(al: Alignment) -> float:
    """People with Chinese names (all parts pinyin syllables) where a syllable finds no partner:
    Chinese names have no optional middle names, so XU Bin is not Xu Bo Bin."""
    if not (al.qa.person and al.qb.person and al.pairs):
        return 0.0
    for side, unmatched in ((al.qa.tokens, al.unmatched_a()), (al.qb.tokens, al.unmatched_b())):
        if any(t.kind != "stop" for t in unmatched) and is_chinese_name(side):
            return 1.0
    return 0.0


_PATRONYM = frozenset({"bin", "ibn", "bint", "ben"})


def patronym_swap(al: Alignment) -> float:
    """People named "X bin Y" on one side and "Y bin X" on the other: the son and the father
    (SALMAN BIN MUHAMMAD is not MUHAMMAD BIN SALMAN), whatever the order of the other names."""
    if not (al.qa.person and al.qb.person):
        return 0.0

    def roles(tokens) -> tuple[set[int], set[int]]:
        for k, t in enumerate(tokens):  # the first particle: own name before, father's after
            if t.text in _PATRONYM and 0 < k < len(tokens) - 1:
                return {k - 1}, {k + 1}
        return set(), set()

    ba, aa = roles(al.qa.tokens)
    bb, ab = roles(al.qb.tokens)
    if not (ba and bb):
        return 0.0
    for p in al.pairs:
        if (set(p.a) & ba and set(p.b) & ab) or (set(p.a) & aa and set(p.b) & bb):
            return 1.0
    return 0.0


_HAN_OR_HANGUL = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3040-\u30ff\s·・.]+$")


def script_reading_mismatch(al: Alignment) -> float:
    """Both names are written in Chinese, Japanese or Korean characters and read differently
    (tones included: 高市 gāo shì is not 高石 gāo shí; 김정은 is not 김종은): romanisation hides
    the difference, the characters do not. Simplified and traditional forms read alike."""
    a, b = al.qa.original or "", al.qb.original or ""
    if a.isascii() or b.isascii() or not (_HAN_OR_HANGUL.match(a) and _HAN_OR_HANGUL.match(b)):
        return 0.0
    return 0.0 if _reading(a) == _reading(b) else 1.0


@lru_cache(maxsize=4096)
def _reading(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    chars = "".join(c for c in text if c.isalpha())
    return " ".join(lazy_pinyin(chars, style=Style.TONE3, errors=lambda x: list(x)))


def number_mismatch(al: Alignment) -> float:
    """Both names carry numbers and they differ (CETC 14th vs 13th institute): strong evidence against."""
    ua = {t.text for t in al.unmatched_a() if t.kind == "number"}
    ub = {t.text for t in al.unmatched_b() if t.kind == "number"}
    return 1.0 if ua and ub else 0.0


def number_extra(al: Alignment) -> float:
    """Only one of the names carries a number (a numbered sibling of the other)."""
    ua = any(t.kind == "number" for t in al.unmatched_a())
    ub = any(t.kind == "number" for t in al.unmatched_b())
    return 1.0 if ua != ub else 0.0


def location_mismatch(al: Alignment) -> float:
    """Both names name a place and the places differ (Beijing Zhongke vs Shanghai Zhongke)."""
    ua = [t for t in al.unmatched_a() if t.kind == "location"]
    ub = [t for t in al.unmatched_b() if t.kind == "location"]
    return 1.0 if ua and ub else 0.0


def name_mismatch(al: Alignment) -> float:
    """Distinctive words remain unmatched on both sides (different given names, different brands)."""
    ua = [t for t in al.unmatched_a() if t.kind == "name" and len(t.text) > 1]
    ub = [t for t in al.unmatched_b() if t.kind == "name" and len(t.text) > 1]
    if not ua or not ub:
        return 0.0
    return 1.0


def domain_mismatch(al: Alignment) -> float:
    """Both names keep an unmatched word naming a line of business (Oil vs Gas, Securities vs Banking)."""
    ua = any(t.kind == "generic" for t in al.unmatched_a())
    ub = any(t.kind == "generic" for t in al.unmatched_b())
    return 1.0 if ua and ub else 0.0


_CONTENT = ("name", "generic", "location", "number")


def words_mismatch(al: Alignment) -> float:
    """Both names keep unmatched words of different kinds (a line of business on one side, a place
    or a brand on the other: Ningbo Semiconductor International vs Semiconductor Manufacturing
    International); same-kind differences are the name/domain/location/number mismatches."""
    ua = {t.kind for t in _unmatched(al, "a") if t.kind in _CONTENT and len(t.text) > 1}
    ub = {t.kind for t in _unmatched(al, "b") if t.kind in _CONTENT and len(t.text) > 1}
    if not ua or not ub or ua & ub:
        return 0.0
    return 1.0


def single_word_evidence(al: Alignment) -> float:
    """The match rests on one word while other words of either name find no partner
    (Devon Energy vs DEVON, Largo Inc vs LARGO LEASING LTD): a longer name that contains a
    listed word is often another company. Places are left out (Huawei France is a branch)."""
    if al.qa.person or al.qb.person:
        return 0.0
    matched = [p for p in al.pairs if any(al.qa.tokens[i].kind not in ("legal", "stop") for i in p.a)]
    if len(matched) != 1 or "acronym" in matched[0].how or len(matched[0].a) != 1 or len(matched[0].b) != 1:
        return 0.0
    extra = [t for t in al.unmatched_a() + al.unmatched_b() if t.kind in ("name", "generic")]
    return 1.0 if extra else 0.0


def listed_extra(al: Alignment) -> float:
    """The listed name carries a distinctive word or place the query lacks (SMIC (Tianjin) for a
    query of the parent SMIC): a sibling entity may be meant, so the pair is at most a review."""
    return 1.0 if _listed_extra_tokens(al) else 0.0


def _listed_extra_tokens(al: Alignment) -> list[Token]:
    """Unmatched distinctive listed tokens, bar an acronym restating the listed name ("... (SMIC)")."""
    return [t for t in _unmatched(al, "b") if t.kind in ("name", "location", "number")]


@dataclass(frozen=True)
class Feature:
    """A scoring feature: main features compete (max), qualifiers add their weight."""

    func: Callable[[Alignment], float]
    weight: float
    qualifier: bool = False

    @property
    def name(self) -> str:
        return self.func.__name__

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


FEATURES: list[Feature] = [
    Feature(name_literal, 1.0),
    Feature(name_core_literal, 0.95),
    Feature(name_tokens, 1.0),
    Feature(number_mismatch, -0.4, qualifier=True),
    Feature(number_extra, -0.15, qualifier=True),
    Feature(location_mismatch, -0.3, qualifier=True),
    Feature(name_mismatch, -0.1, qualifier=True),
    Feature(domain_mismatch, -0.15, qualifier=True),
    Feature(words_mismatch, -0.1, qualifier=True),
    Feature(single_word_evidence, -0.12, qualifier=True),
    Feature(chinese_name_partial, -0.1, qualifier=True),
    Feature(patronym_swap, -0.3, qualifier=True),
    Feature(script_reading_mismatch, -0.3, qualifier=True),
]

#: Score ceiling (just below MATCH_THRESHOLD) when :func:`listed_extra` holds.
LISTED_EXTRA_CAP = 0.84

#: Country qualifiers (applied outside the name features because they need the countries).
COUNTRY_MISMATCH = -0.1
COUNTRY_MATCH = 0.05


def features_doc() -> list[dict]:
    """The declared features with weights and docstrings (for API docs and explanations)."""
    return [{"name": f.name, "weight": f.weight, "qualifier": f.qualifier, "doc": f.doc} for f in FEATURES]


# --------------------------------------------------------------------------- results


@dataclass
class Comparison:
    """The outcome of comparing two names."""

    score: float
    decision: str
    explanation: str
    features: dict[str, float]
    name_a: str = ""
    name_b: str = ""

    def to_dict(self) -> dict:
        return {
            "a": self.name_a,
            "b": self.name_b,
            "score": round(self.score, 4),
            "decision": self.decision,
            "explanation": self.explanation,
            "features": {k: round(v, 4) for k, v in self.features.items()},
        }


def _describe(al: Alignment) -> list[str]:
    parts = []
    for p in sorted(al.pairs, key=lambda p: min(p.a)):
        ta = " ".join(al.qa.tokens[i].text for i in p.a)
        tb = " ".join(al.qb.tokens[j].text for j in p.b)
        rel = "=" if p.how == "literal" else "~"
        parts.append(f"'{ta}'{rel}'{tb}' {p.how} {p.sim:.2f}")
    return parts


def score_alignment(
    al: Alignment, country_a: list[str] | None = None, country_b: list[str] | None = None
) -> tuple[float, dict[str, float], str]:
    """Apply FEATURES to an alignment: (score, feature values, explanation)."""
    feats: dict[str, float] = {}
    best = 0.0
    best_name = ""
    for f in FEATURES:
        if f.qualifier:
            continue
        v = f.func(al)
        if v:
            feats[f.name] = v
        if v * f.weight > best:
            best, best_name = v * f.weight, f.name
    penalties: list[str] = []
    total = best
    if best > 0:
        for f in FEATURES:
            if not f.qualifier:
                continue
            v = f.func(al)
            if v:
                feats[f.name] = v * f.weight
                total += v * f.weight
                penalties.append(f"{f.name} {v * f.weight:+.2f}")
        ca = {c.upper() for c in country_a or [] if c}
        cb = {c.upper() for c in country_b or [] if c}
        if ca and cb:
            if ca & cb:
                feats["country_match"] = COUNTRY_MATCH
                total += COUNTRY_MATCH
                penalties.append(f"country_match {COUNTRY_MATCH:+.2f} ({','.join(sorted(ca & cb))})")
            else:
                feats["country_mismatch"] = COUNTRY_MISMATCH
                total += COUNTRY_MISMATCH
                penalties.append(
                    f"country_mismatch {COUNTRY_MISMATCH:+.2f} ({','.join(sorted(ca))} vs {','.join(sorted(cb))})"
                )
    score = min(1.0, max(0.0, total))
    if score > LISTED_EXTRA_CAP and listed_extra(al):
        score = LISTED_EXTRA_CAP
        feats["listed_extra"] = LISTED_EXTRA_CAP
        extra = " ".join(t.text for t in _listed_extra_tokens(al))
        penalties.append(f"listed_extra: at most review ('{extra}' only in the listed name: confirm which entity)")
    expl = [f"{best_name} {best:.2f}"] if best_name else ["no shared tokens"]
    matched = _describe(al)
    if matched:
        expl.append("matched: " + ", ".join(matched))
    ua = [t.text for t in al.unmatched_a()]
    ub = [t.text for t in al.unmatched_b()]
    if ua:
        expl.append("only in query: " + " ".join(ua))
    if ub:
        expl.append("only in listed name: " + " ".join(ub))
    if penalties:
        expl.append("qualifiers: " + ", ".join(penalties))
    return score, feats, "; ".join(expl)


def compare_norm(
    qa: NormName, qb: NormName, country_a: list[str] | None = None, country_b: list[str] | None = None
) -> Comparison:
    """Compare two already normalised names."""
    al = align(qa, qb)
    score, feats, expl = score_alignment(al, country_a, country_b)
    return Comparison(score, decide(score), expl, feats, qa.original, qb.original)


def _as_list(c: str | list[str] | None) -> list[str]:
    if not c:
        return []
    return [c] if isinstance(c, str) else list(c)


def compare(
    a: str,
    b: str,
    country_a: str | list[str] | None = None,
    country_b: str | list[str] | None = None,
    *,
    person: bool | None = None,
) -> Comparison:
    """Compare two names; Han-script names also meet the English names of the enrichment table.

    ``person`` tells the normaliser both names are people (None: read them as organisation
    names, which also serves person names, minus the cross-language given-name symbols).
    """
    from .enrich import expand_variants

    ca, cb = _as_list(country_a), _as_list(country_b)
    readings = [bool(person)]
    best: Comparison | None = None
    for per in readings:
        for va in expand_variants(a):
            for vb in expand_variants(b):
                c = compare_norm(normalize(va, per), normalize(vb, per), ca, cb)
                if va != a or vb != b:
                    c.explanation += f"; via enrichment alias '{va if va != a else vb}'"
                if best is None or c.score > best.score:
                    best = c
    assert best is not None
    best.name_a, best.name_b = a, b
    return best
