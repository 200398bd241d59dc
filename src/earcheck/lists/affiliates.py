"""Compound Entity List names: the listed party is the affiliate, linked to its parent.

Real patterns in the 2022 CSL (Entity List rows)::

    Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Beijing Huawei Longshine ...
    China Electronics Technology Group Corporation 13th Research Institute (CETC 13).
        Subordinate Institution - Bowei Integrated Circuits
    Department of Atomic Energy entity: Bhabha Atomic Research Center (BARC)
    Baotou Guanghua Chemical Industrial Corporation (Parent Organization: China National
        Nuclear Group Corporation (CNNC))

The parent's name is not an alias of the affiliate: it becomes a :class:`Link` whose
``target_id`` is the parent's id when the parent is listed in the same file.
"""
from __future__ import annotations

import re

from earcheck.lists.common import name_key
from earcheck.lists.countries import country_code
from earcheck.models import Link, Party

#: (pattern, link kind, which group is the listed party). Checked in order.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<parent>.+?)\.?\s+Affiliated Entit(?:y|ies)\s*:\s*(?P<child>.+)$", re.I), "affiliate_of"),
    (re.compile(r"^(?P<parent>.+?)\.?\s+Subordinate Institution\s*[-:\u2013\u2014]\s*(?P<child>.+)$", re.I), "subsidiary_of"),
    (re.compile(r"^(?P<parent>Department of Atomic Energy) entit(?:y|ies)\s*:\s*(?P<child>.+)$", re.I), "subsidiary_of"),
    (re.compile(r"^(?P<child>.+?)\s*\(\s*Parent Organi[sz]ation\s*:\s*(?P<parent>.+)\)\s*$", re.I), "subsidiary_of"),
)

_TRAILING_PAREN = re.compile(r"^(?P<base>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
_LEGAL_FORMS = {
    "llc", "ltd", "inc", "fzc", "fze", "fzco", "jsc", "ojsc", "cjsc", "pjsc", "ooo", "gmbh", "ag", "sa",
    "plc", "llp", "bv", "nv", "srl", "co", "corp", "pvt", "pte", "bhd", "hk", "pty", "kg", "zao", "oao",
    "limited", "company", "corporation", "private", "pvt ltd", "co ltd", "sa de cv", "gmbh & co kg",
}


def split_affiliate(name: str) -> tuple[str, Link | None]:
    """``(listed name, link to parent)`` for a compound name; ``(name, None)`` otherwise."""
    if ":" not in name and " - " not in name and "Subordinate" not in name:
        return name, None
    for pattern, kind in PATTERNS:
        m = pattern.match(name)
        if m:
            child = m["child"].strip(" ;,")
            parent = m["parent"].strip(" .;,")
            if child and parent:
                return child, Link(kind=kind, target_name=parent)
    return name, None


_AKA_PAREN = re.compile(r"\s*\((?:[afn]\.k\.a\.?,?|[afn]/k/a)\s+([^()]+(?:\([^()]*\)[^()]*)*)\)\s*", re.I)
_AKA_TAIL = re.compile(r",?\s+(?:[afn]/k/a|[afn]\.k\.a\.?,?)\s+", re.I)


def split_inline_aka(name: str) -> tuple[str, list[str]]:
    """Aliases written into the name cell: ``FUYI SUN A/K/A FRANK SUN``, ``PEARL (A.K.A.
    NEI-CHIEN CHU) LI`` (DPL), ``Gazprom Promgaz, AO (f.k.a. Otkrytoe ...)`` (EL) -> name, aliases."""
    if "k/a" not in name.lower() and "k.a" not in name.lower():
        return name, []
    aliases = [m.group(1).strip() for m in _AKA_PAREN.finditer(name)]
    name = " ".join(_AKA_PAREN.sub(" ", name).split())
    parts = _AKA_TAIL.split(name)
    return parts[0].strip(" ,;"), [a.strip(" ,;") for a in aliases + parts[1:] if a.strip(" ,;")]


def paren_aliases(name: str) -> list[str]:
    """Names implied by a trailing acronym: ``"Semiconductor ... Corporation (SMIC)"`` gives
    ``["SMIC", "Semiconductor ... Corporation"]``. Legal forms such as ``(FZC)`` are skipped."""
    m = _TRAILING_PAREN.match(name) if name.endswith(")") else None
    if not m:
        return []
    inner, base = m["inner"].strip(), m["base"].strip(" ,")
    if len(inner) > 20 or " " in inner.strip() and len(inner.split()) > 2:
        return []
    if inner.lower().strip(".").replace(".", "") in _LEGAL_FORMS or inner.isdigit():
        return []
    if len(base) < 4 or country_code(inner) or not _abbreviates(inner, base):
        return []
    return [inner, base]


_WORD = re.compile(r"[^\W\d_][\w'\-]*")


def _abbreviates(inner: str, base: str) -> bool:
    """``SMIC`` for ``Semiconductor Manufacturing ...``, ``Huawei`` for ``Huawei Technologies``;
    not ``IAEA`` for ``Nuclear reactors ... not under International Atomic Energy Agency``."""
    base_words = [w for w in _WORD.findall(base) if w.lower() != "the"]
    if not base_words:
        return False
    lowered = {w.lower() for w in base_words}
    if any(w.lower() in lowered for w in _WORD.findall(inner) if len(w) >= 3):
        return True
    letters = [ch for ch in inner if ch.isalpha()]
    return bool(letters) and letters[0].upper() == base_words[0][0].upper()


_LINKED_TO = re.compile(r"Linked To:\s*([^;]+)")


def linked_to(remarks: str | None) -> list[Link]:
    """OFAC's ``Linked To: HIZBALLAH.`` (sdn.csv) / ``(Linked To: HIZBALLAH)`` (CSL) remarks."""
    if not remarks or "Linked To" not in remarks:
        return []
    links = []
    for m in _LINKED_TO.finditer(remarks):
        t = m.group(1).strip()
        if m.end() >= len(remarks.rstrip()) and t.endswith("."):
            t = t[:-1].rstrip()
        while t.endswith(")") and t.count(")") > t.count("("):
            t = t[:-1].rstrip()
        if t:
            links.append(Link(kind="linked_to", target_name=t))
    return links


def _variants(name: str) -> list[str]:
    keys = [name_key(name)]
    if name.endswith(")"):
        m = _TRAILING_PAREN.match(name)
        if m:
            keys.append(name_key(m["base"]))
    return keys


def resolve_links(parties: list[Party]) -> None:
    """Fill ``Link.target_id`` for parents listed in the same file (same list preferred)."""
    if not any(link.target_id is None for p in parties for link in p.links):
        return
    wanted = {k for p in parties for link in p.links if link.target_id is None
              for k in _variants(link.target_name)}
    index: dict[str, dict[str, str]] = {}  # key -> list_code -> id
    for use_aliases in (False, True):  # primary names win over aliases
        for p in parties:
            for n in (p.aliases if use_aliases else (p.name,)):
                for key in _variants(n):
                    if key in wanted:
                        index.setdefault(key, {}).setdefault(p.list_code, p.id)
    for p in parties:
        for link in p.links:
            if link.target_id is not None:
                continue
            for key in _variants(link.target_name):
                hits = index.get(key)
                if hits:
                    target = hits.get(p.list_code) or next(iter(hits.values()))
                    if target != p.id:
                        link.target_id = target
                    break
