"""Name normalisation: from a raw name to a sequence of typed, comparable tokens.

Pipeline (each step a small function below):

1. Unicode NFKC, control characters dropped, parenthesised acronyms remembered.
2. Han script: ordinals (第十四 -> 14), then the glossary of common organisation words
   (``data/zh_glossary.yaml``, longest match) and pypinyin for what the glossary does not cover.
3. Scripts rigour does not transliterate itself (Arabic, Hebrew, Devanagari, ...) go through
   anyascii; Cyrillic, Greek, Armenian, Georgian and Hangul are left to rigour.
4. Numbers: "No. 14", "#14", "№ 14", "14th", "fourteenth" -> ``14`` (rigour's ordinal table).
5. rigour ``analyze_names``: case folding, legal forms to canonical compare forms across
   languages (Co., Ltd. / 有限公司 / ООО / LLC ...), symbols (DOMAIN, LOCATION, NUMERIC, ...).
   Before that, a misspelt word of a legal form ("Joint Sotck Company") is read as the legal
   form when it sits next to another legal-form word and rigour then reads it as one.
6. Each part becomes a :class:`Token` with a kind (name, legal, generic, location, number,
   stop) and a weight used by the comparator.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import yaml
from anyascii import anyascii
from pypinyin import lazy_pinyin
from rapidfuzz.distance import OSA
from rigour._core import ordinals_dict, stopwords_list
from rigour.names import NameTypeTag, analyze_names

#: Base weight of each token kind in the comparator (distinctive name words count most).
KIND_WEIGHTS = {
    "name": 1.0,
    "number": 1.0,
    "location": 0.7,
    "generic": 0.5,
    "legal": 0.1,
    "stop": 0.15,
}

#: Extra factor applied to a token's weight when it finds no partner on the other side:
#: a missing legal form or generic word says little, a missing distinctive word a lot.
UNMATCHED_FACTOR = {
    "name": 1.0,
    "number": 1.0,
    "location": 0.5,
    "generic": 0.7,
    "legal": 0.3,
    "stop": 0.3,
}

#: Particles of person names (Arabic, Romance, Germanic, Dutch), weighed like stopwords.
PERSON_PARTICLES = frozenset({"al", "el", "bin", "ibn", "ben", "bint", "abu", "de", "da", "di", "du", "del",
                              "della", "dos", "das", "van", "von", "der", "den", "ter", "la", "le", "y"})

# rigour SYMBOL ids that are really legal-form words (company, corporation, incorporated ...).
_LEGALISH_SYMBOLS = {"CO", "CORP", "INC", "LTD", "LLC", "GROUP", "HOLDING", "JSC", "PLC"}

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]")
_PAREN_ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9&\-\.]{1,11})\s*\)")
_NUMBER_PREFIX = re.compile(r"(?:\bno\.?|\bnumber|#|№)\s*(\d+)\b", re.IGNORECASE)
_ORDINAL_SUFFIX = re.compile(r"\b(\d+)(?:st|nd|rd|th|e|er|eme|ème|-?й|-?я|-?е|\.)(?!\w)", re.IGNORECASE)
_HAN_ORDINAL = re.compile(r"第([〇零一二三四五六七八九十百两壹贰叁肆伍陆柒捌玖拾]+)")
# "Company Limited" is the spelt-out form of "Co., Ltd." (rigour's table has both words, not the
# pair): join them so both spellings reach rigour's single `coltd` form.
_COMPANY_LIMITED = re.compile(r"\b(?:company|co\.?)[\s,]+(?:limited|ltd\.?)(?!\w)", re.IGNORECASE)
_SINGLE_LETTERS = re.compile(r"(?<!\w)[^\W\d_](?: [^\W\d_])+(?!\w)")
_WORD = re.compile(r"[^\W\d_]+")
_RIGOUR_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "HANGUL")


class Token(NamedTuple):
    """One comparable word of a name (a named tuple: cheap to build, pickle and compare)."""

    text: str
    kind: str
    symbols: frozenset[str] = frozenset()

    @property
    def weight(self) -> float:
        return KIND_WEIGHTS[self.kind]


class NormName(NamedTuple):
    """A name after normalisation: its tokens plus what the comparator needs to know."""

    original: str
    tokens: tuple[Token, ...]
    person: bool = False
    acronyms: frozenset[str] = frozenset()  # in parentheses, or written in capitals in mixed-case text
    cased: bool = False  # the original mixes upper and lower case (so capitals mean something)

    @property
    def key(self) -> str:
        """Canonical form: the token texts joined by spaces (exact-match key)."""
        return " ".join(t.text for t in self.tokens)

    @property
    def core_key(self) -> str:
        """Canonical form without legal forms and stopwords."""
        return " ".join(t.text for t in self.tokens if t.kind not in ("legal", "stop")) or self.key


# --------------------------------------------------------------------------- tables


@lru_cache(maxsize=1)
def zh_glossary() -> dict[str, str]:
    """Han-script organisation words -> English (data/zh_glossary.yaml)."""
    text = resources.files("earcheck.screening").joinpath("data/zh_glossary.yaml").read_text("utf-8")
    return {str(k): str(v or "") for k, v in yaml.safe_load(text)["words"].items()}


@lru_cache(maxsize=1)
def _glossary_maxlen() -> int:
    return max(len(k) for k in zh_glossary())


@lru_cache(maxsize=1)
def ordinal_words() -> dict[str, str]:
    """Single-token ordinals with digits from rigour's table -> digits ("14th", "14-й" -> "14")."""
    out: dict[str, str] = {}
    for num, forms in ordinals_dict().items():
        for form in forms:
            f = form.casefold()
            if " " in f or len(f) < 2 or _HAN.search(f):
                continue
            if not any(c.isdigit() for c in f):
                # spelt-out words ("One", "First", "Second") and roman numerals stay words:
                # "Capital One" is not "First Capital"
                continue
            out.setdefault(f, str(num))
    return out


@lru_cache(maxsize=1)
def _han_numbers() -> dict[str, str]:
    out: dict[str, str] = {}
    for num, forms in ordinals_dict().items():
        for form in forms:
            if _HAN.fullmatch(form.lstrip("第")):
                out.setdefault(form.lstrip("第"), str(num))
    return out


@lru_cache(maxsize=1)
def zh_places() -> frozenset[str]:
    """Chinese place names of the glossary, romanised (glossary entries that are their own pinyin)."""
    out = set()
    for zh, en in zh_glossary().items():
        if len(zh) >= 2 and en and "".join(lazy_pinyin(zh)) == en.replace(" ", ""):
            out.add(en.replace(" ", ""))
    return frozenset(out)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(stopwords_list())


# --------------------------------------------------------------------------- script handling


def segment_han(run: str) -> list[tuple[str, bool]]:
    """Split a Han run into (text, is_glossary_word) pieces.

    Dynamic programming: each glossary word costs 1, each uncovered character 0.6 and each
    stretch of uncovered characters 2 more, so 中科技术 reads 中科 + 技术 rather than
    中 + 科技 + 术.
    """
    gloss, maxlen = zh_glossary(), _glossary_maxlen()
    n = len(run)
    INF = float("inf")
    # best[i][u]: cost of run[:i], u = whether the last piece is uncovered text
    best = [[INF, INF] for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None, None] for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        for u in (0, 1):
            c = best[i][u]
            if c == INF:
                continue
            step = c + 0.6 + (0 if u else 2)  # extend or open an uncovered stretch
            if step < best[i + 1][1]:
                best[i + 1][1], back[i + 1][1] = step, (i, u)
            for k in range(1, min(maxlen, n - i) + 1):
                if run[i : i + k] in gloss and c + 1 < best[i + k][0]:
                    best[i + k][0], back[i + k][0] = c + 1, (i, u)
    u = 0 if best[n][0] <= best[n][1] else 1
    pieces: list[tuple[str, bool]] = []
    i = n
    while i > 0:
        j, pu = back[i][u]  # type: ignore[misc]
        text = run[j:i]
        if u and pieces and not pieces[-1][1]:
            pieces[-1] = (text + pieces[-1][0], False)
        else:
            pieces.append((text, not u))
        i, u = j, pu
    return pieces[::-1]


def han_to_latin(text: str) -> str:
    """Translate glossary words and romanise the rest of each Han run (pinyin, joined)."""

    def one_run(m: re.Match) -> str:
        gloss = zh_glossary()
        out = []
        for piece, is_word in segment_han(m.group(0)):
            if is_word:
                if gloss[piece]:
                    out.append(gloss[piece])
            else:
                out.append("".join(lazy_pinyin(piece)))
        return " " + " ".join(out) + " "

    text = _HAN_ORDINAL.sub(lambda m: " %s " % _han_numbers().get(m.group(1), m.group(1)), text)
    return _HAN.sub(one_run, text)


# Romanisations shared by several common words or by brand names (中心/中芯/中信/中兴 are all
# "zhongxin"): never translated from Latin text.
_AMBIGUOUS_PINYIN = {"zhongxin", "zhonggong", "jiguang", "guangdian", "huagong", "shiye", "renmin",
                     "wuli", "yiqi", "shifan", "tongxin", "kexue", "shuzi", "huaxue",
                     # also common given names (Wu Liu, Hai Yang, Wei Xing ...)
                     "wuliu", "haiyang", "jianshe", "jianzhu", "weixing", "dongli", "anquan", "jiliang",
                     "dianqi", "shiyou", "jidian", "hongwai", "liangzi", "yunshu", "gongan", "shihua",
                     "weibo", "shipin", "dianchi"}  # Weibo, 食品 food, Dianchi lake


@lru_cache(maxsize=1)
def pinyin_glossary() -> dict[str, str]:
    """Romanised glossary words -> English ("daxue" -> "university", "youxiangongsi" -> "co ltd").

    Built from the glossary itself, for words of two or more characters whose English differs
    from their pinyin (so place names map to themselves and are left out).
    """
    out: dict[str, str] = {}
    for zh, en in zh_glossary().items():
        if len(zh) < 2 or "".join(lazy_pinyin(zh)) in _AMBIGUOUS_PINYIN:
            continue
        py = "".join(lazy_pinyin(zh))
        if py != en.replace(" ", ""):
            out.setdefault(py, en)
    return out


def gloss_pinyin_words(text: str) -> str:
    """Replace romanised Chinese organisation words (joined or split in two) by their English."""
    words = text.split()
    if not words:
        return text
    gloss = pinyin_glossary()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i].casefold()
        if i + 1 < len(words):
            pair = w + words[i + 1].casefold()
            if pair in gloss:
                out.append(gloss[pair])
                i += 2
                continue
        out.append(gloss.get(w, words[i]))
        i += 1
    return " ".join(out)


def _needs_anyascii(ch: str) -> bool:
    if ch.isascii() or not ch.isalpha():
        return False
    name = unicodedata.name(ch, "")
    return not name.startswith(_RIGOUR_SCRIPTS)


def to_latin(text: str) -> str:
    """Romanise Han (glossary + pinyin) and the scripts rigour leaves alone (anyascii)."""
    if text.isascii():
        return text
    if _HAN.search(text):
        text = han_to_latin(text)
    if any(_needs_anyascii(c) for c in text):
        text = "".join(anyascii(c) if _needs_anyascii(c) else c for c in text)
    return text


def clean(text: str) -> str:
    """NFKC, control characters to spaces, whitespace squashed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def normalize_numbers(text: str) -> str:
    """"No. 14", "#14", "14th", "fourteenth" -> "14"."""
    text = _NUMBER_PREFIX.sub(r" \1 ", text)
    text = _ORDINAL_SUFFIX.sub(r"\1", text)
    words = ordinal_words()
    return " ".join(words.get(w.casefold(), w) if not w.isdigit() else w for w in text.split())


def paren_acronyms(text: str) -> frozenset[str]:
    """Acronyms written in parentheses in a listed name: "... Corporation (SMIC)" -> {"smic"}."""
    return frozenset(a.replace(".", "").replace("-", "").casefold() for a in _PAREN_ACRONYM.findall(text))


# --------------------------------------------------------------------------- tokens


def _kind(part: str, symbols: set[str], person: bool) -> str:
    if part.isdigit():
        return "number"
    if person and len(part) == 1:
        return "name"  # an initial ("V. Putin"), not the roman numeral five
    cats = {s.split(":", 1)[0] for s in symbols} if symbols else set()
    if "NUMERIC" in cats:
        return "number"
    if "ORG_CLASS" in cats or ("SYMBOL" in cats and any(s[7:] in _LEGALISH_SYMBOLS for s in symbols if s.startswith("SYMBOL:"))):
        return "legal"
    if person:
        # in a person's name only name particles are stopwords ("KU JA YOUNG": ja is a name)
        return "stop" if part in PERSON_PARTICLES else ("legal" if "ORG_CLASS" in cats else "name")
    if part in stopwords() and len(part) <= 4:
        return "stop"
    if "LOCATION" in cats or part in zh_places():
        return "location"
    if "DOMAIN" in cats or "SYMBOL" in cats:
        return "generic"
    return "name"


#: Words of multi-word legal forms (after rigour's org-type table, resources/names/org_types.yml
#: in https://github.com/opensanctions/rigour), spelt out in English and in the usual
#: romanisations; a word one edit away from one of these (5+ letters) may be a typo of it.
LEGAL_FORM_WORDS = frozenset({
    "company", "corporation", "incorporated", "limited", "joint", "stock", "public", "closed", "private",
    "liability", "partnership", "holding", "holdings", "society", "societe", "sociedad", "anonima", "anonyme",
    "responsabilidad", "responsabilite", "limitada", "obshchestvo", "otvetstvennostyu", "ogranichennoy",
    "aktsionernoe", "aktsionernoye", "zakrytoe", "zakrytoye", "otkrytoe", "otkrytoye", "publichnoe",
    "gesellschaft", "aktiengesellschaft", "beschrankter", "haftung", "cooperative", "unitary", "enterprise",
})


@lru_cache(maxsize=1)
def _legal_deletes() -> dict[str, frozenset[str]]:
    """Symmetric-delete table: each legal-form word and its one-letter deletions -> the words."""
    out: dict[str, set[str]] = {}
    for w in LEGAL_FORM_WORDS:
        if len(w) >= 5:
            for v in {w} | {w[:i] + w[i + 1 :] for i in range(len(w))}:
                out.setdefault(v, set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=50_000)
def legal_form_typo(word: str) -> str | None:
    """The legal-form word ``word`` is one edit (OSA) away from, if exactly one ("sttock" -> stock)."""
    w = word.casefold()
    if len(w) < 5 or w in LEGAL_FORM_WORDS:
        return None
    table = _legal_deletes()
    found = set()
    for v in {w} | {w[:i] + w[i + 1 :] for i in range(len(w))}:
        for cand in table.get(v, ()):
            if OSA.distance(w, cand, score_cutoff=1) <= 1:
                found.add(cand)
    return found.pop() if len(found) == 1 else None


def fix_legal_form_typos(text: str) -> str | None:
    """Replace misspelt legal-form words that stand next to a legal-form word; None if none."""
    spans = list(_WORD.finditer(text))
    words = [m.group(0).casefold() for m in spans]
    out, changed, last = [], False, 0
    for k, m in enumerate(spans):
        fix = legal_form_typo(words[k])
        if fix and ((k > 0 and words[k - 1] in LEGAL_FORM_WORDS)
                    or (k + 1 < len(words) and words[k + 1] in LEGAL_FORM_WORDS)):
            out.append(text[last : m.start()] + fix)
            last, changed = m.end(), True
    if not changed:
        return None
    return "".join(out) + text[last:]


_TOKENS: dict[tuple, Token] = {}


def _token(text: str, kind: str, symbols: frozenset[str]) -> Token:
    """Interned tokens: equal tokens share one object (smaller index, faster pickling)."""
    key = (text, kind, symbols)
    tok = _TOKENS.get(key)
    if tok is None:
        tok = _TOKENS[key] = Token(text, kind, symbols)
    return tok


def _analyse(text: str, person: bool) -> tuple[Token, ...]:
    """rigour's analysis of prepared text -> typed tokens."""
    # Always rigour's organisation analysis: its person analysis loads a large given-name
    # table (~15 s per process), too slow for a command line; person names lose only the
    # cross-language given-name symbols, and transliteration still brings scripts together.
    analysed = list(analyze_names(NameTypeTag.ORG, [text], phonetics=False)) if text.strip() else []
    tokens: list[Token] = []
    if analysed:
        n = analysed[0]
        by_part: dict[int, set[str]] = {}
        for span in n.spans:
            cat = str(span.symbol.category).rsplit(".", 1)[-1]
            if cat == "NAME" or (person and cat in ("LOCATION", "DOMAIN", "SYMBOL")):
                continue
            for p in span.parts:
                by_part.setdefault(p.index, set()).add(f"{cat}:{span.symbol.id}")
        for p in n.parts:
            text_p = p.comparable
            if not text_p:
                continue
            syms = by_part.get(p.index, set())
            tokens.append(_token(text_p, _kind(text_p, syms, person), frozenset(syms)))
    return tuple(tokens)


@lru_cache(maxsize=200_000)
def normalize(name: str, person: bool = False) -> NormName:
    """Normalise one name into typed tokens (cached; names repeat a lot in batches)."""
    raw = clean(name)
    acronyms = paren_acronyms(raw)
    cased = any(c.isupper() for c in raw) and any(c.islower() for c in raw)
    if cased:
        acronyms = acronyms | {w.casefold() for w in re.findall(r"\b[A-Z][A-Z0-9&]{1,9}\b", raw)}
    text = gloss_pinyin_words(normalize_numbers(to_latin(raw.replace("&", " and "))))
    text = _COMPANY_LIMITED.sub("co., ltd.", text)
    if not person:  # "s a de c v" (punctuation lost) -> "sa de cv", which rigour knows
        text = _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)
    tokens = _analyse(text, person)
    if not person:
        fixed = fix_legal_form_typos(text)
        if fixed is not None:
            # keep the reading only if rigour then takes the corrected word into a legal form
            alt = _analyse(_COMPANY_LIMITED.sub("co., ltd.", fixed), person)
            # (and never if that leaves nothing but legal forms: "Public Stack Company")
            rest = sum(t.kind not in ("legal", "stop") for t in alt)
            if rest and sum(t.kind != "legal" for t in alt) < sum(t.kind != "legal" for t in tokens):
                tokens = alt
    return NormName(original=name, tokens=tokens, person=person, acronyms=acronyms, cased=cased)


def initials(tokens: tuple[Token, ...] | list[Token], skip: tuple[str, ...] = ("stop",)) -> str:
    """First letters of the tokens whose kind is not in ``skip`` (numbers kept whole)."""
    return "".join(t.text if t.kind == "number" else t.text[0] for t in tokens if t.kind not in skip and t.text)
