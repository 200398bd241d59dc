"""Helpers shared by the list parsers: reading bytes, cleaning text, splitting cells, dates.

Everything here is pure and fast (the full CSL has 14,160 rows and must parse in well under
two seconds), so lookups that are slow the first time are cached.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from earcheck.lists import ListFormatError
from earcheck.lists.countries import US_STATES, country_code
from earcheck.models import Address

_WS = re.compile(r"\s+")
# cp1252 bytes that were decoded as latin-1 end up as C1 control characters (U+0080-U+009F),
# e.g. "Xi\x92an" for "Xi’an"; utf-8 decoded as cp1252/latin-1 shows as "Ã©", "â€™", "Â ".
_C1 = re.compile(r"[\x80-\x9f]")
_MOJIBAKE = re.compile(r"[ÃÂâÐÑ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def fail(source: object, problem: str) -> ListFormatError:
    """A :class:`ListFormatError` with the one-line message ``<file>: <problem>``."""
    problem = _WS.sub(" ", str(problem)).strip()
    return ListFormatError(f"{source}: {problem}")


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """Read a file (or its first ``limit`` bytes); OS errors become one-line ListFormatErrors."""
    p = Path(path)
    try:
        if p.is_dir():
            raise fail(p, "is a directory, not a list file")
        if limit is not None:
            with p.open("rb") as f:
                return f.read(limit)
        return p.read_bytes()
    except ListFormatError:
        raise
    except FileNotFoundError:
        raise fail(p, "no such file") from None
    except OSError as exc:
        raise fail(p, f"cannot read file ({exc.strerror or exc})") from None


def sha256(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for c in chunks:
        h.update(c)
    return h.hexdigest()


def decode(raw: bytes, source: object, partial: bool = False) -> tuple[str, list[str]]:
    """Decode a text list file: BOM-aware UTF-8/UTF-16, else Windows-1252 (with a warning).

    ``partial`` is for the head of a file: a multi-byte character cut at the end is dropped.
    Binary data (NUL bytes, many control characters) raises :class:`ListFormatError`.
    """
    if partial and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        for cut in (1, 2, 3):  # a UTF-8 character cut in two at the end of the head
            try:
                raw[:-cut].decode("utf-8")
            except UnicodeDecodeError:
                continue
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raw = raw[:-cut]
            break
    warnings: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), warnings
        except UnicodeDecodeError:
            raise fail(source, "invalid UTF-16 text") from None
    if b"\x00" in raw:
        raise fail(source, "binary data or wrong encoding (NUL bytes); expected UTF-8 or Windows-1252 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise fail(source, "wrong encoding: neither UTF-8 nor Windows-1252 text") from None
        warnings.append(f"{source}: not UTF-8, decoded as Windows-1252")
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch < " " and ch not in "\r\n\t\x1a")
    if sample and bad > max(3, len(sample) // 100):
        raise fail(source, "binary data or wrong encoding (control characters in text)")
    return text, warnings


@lru_cache(maxsize=65536)
def fix_mojibake(s: str) -> str:
    """Repair text that was decoded with the wrong code page, only when the repair is clean.

    ``"CafÃ©"`` -> ``"Café"`` (UTF-8 read as cp1252/latin-1); ``"Xi\\x92an"`` -> ``"Xi’an"``
    (cp1252 read as latin-1). Text that does not round-trip cleanly is returned unchanged.
    """
    if _MOJIBAKE.search(s):
        for enc in ("cp1252", "latin-1"):
            try:
                fixed = s.encode(enc).decode("utf-8")
            except UnicodeError:
                continue
            if fixed != s:
                s = fixed
                break
    if _C1.search(s):
        try:
            s = s.encode("latin-1").decode("cp1252")
        except UnicodeError:
            pass
    return s


_Q_POSSESSIVE = re.compile(r"(?<=[A-Za-z])\?(?=s\b)")
_Q_ELISION = re.compile(r"\b([dlDL])\?(?=[AEIOUYHaeiouyh])")
_Q_QUOTED = re.compile(r"(^|[\s(])\?([^?\s][^?]*?[^?\s]|[^?\s])\?(?=$|[\s),;.])")


def repair_question_marks(s: str) -> str:
    """Undo the CSL's lossy export of curly quotes as ``?`` where the intent is unambiguous.

    ``Donetsk People?s Republic`` -> ``People's``; ``Centre d?Etudes`` -> ``d'Etudes``;
    ``Ship Repair Center ?Zvezdochka?`` -> ``"Zvezdochka"``. Other ``?`` are left alone.
    """
    if "?" not in s:
        return s
    s = _Q_POSSESSIVE.sub("'", s).replace("Xi?an", "Xi'an")
    s = _Q_ELISION.sub(r"\1'", s)
    return _Q_QUOTED.sub(r'\1"\2"', s)


def clean(s: object) -> str:
    """Collapse whitespace runs to one space, strip, and repair mis-encoded characters."""
    if not s:
        return ""
    if not isinstance(s, str):
        s = str(s)
    if not s.isascii():
        s = fix_mojibake(s)
    return " ".join(s.split())


def none_if_empty(s: object) -> str | None:
    s = clean(s)
    return s or None


_ALIAS_SPLIT = re.compile(r"\s*;\s*(?:and\s+)?")


_CITATION_SPLIT = re.compile(r"\s*[;,]\s*(?:and\s+)?")


def split_citations(s: object) -> list[str]:
    """Federal Register citations of a cell (``84 FR 22961, 85 FR 29852; 87 FR 8180``)."""
    return uniq(p.strip(" .") for p in _CITATION_SPLIT.split(clean(s)) if p.strip(" ."))


def split_multi(s: object) -> list[str]:
    """Split a ``; ``-joined CSL cell (also ``; and ``), cleaned, empties and duplicates dropped."""
    text = clean(s)
    if not text:
        return []
    if ";" not in text:
        return [text.strip(" ,")] if text.strip(" ,") else []
    out: dict[str, None] = {}
    for part in _ALIAS_SPLIT.split(text):
        part = part.strip(" ;,")
        if part:
            out.setdefault(part, None)
    return list(out)


_US_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_STATE = re.compile(r"^[A-Z]{2,3}$")
_REGION_WORDS = (" Province", " Oblast", " State", " Prefecture", " Region", " Krai", " Governorate")
_POSTAL = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9 \-]{1,10}$", re.I)


def parse_address(text: str) -> Address:
    """One CSL address string, ``street, city, [state,] postal, COUNTRY``, into an Address."""
    text = clean(text).strip(" ,;")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    addr = Address(text=text)
    if not parts:
        return addr
    cc = country_code(parts[-1])
    if cc:
        addr.country = cc
        parts = parts[:-1]
    if parts and _POSTAL.match(parts[-1]) and not parts[-1].lower().startswith(("no", "p.o")):
        addr.postal_code = parts[-1]
        parts = parts[:-1]
    if len(parts) >= 2 and (_STATE.match(parts[-1]) or parts[-1].endswith(_REGION_WORDS)):
        addr.state = parts[-1]
        parts = parts[:-1]
        if not cc and addr.postal_code and _US_ZIP.match(addr.postal_code) and addr.state in US_STATES:
            addr.country = "US"  # "CITY, TX, 75081" (Denied Persons List addresses)
    if len(parts) >= 2:
        addr.city = parts[-1]
        parts = parts[:-1]
    elif parts and cc and len(parts) == 1 and not any(ch.isdigit() for ch in parts[0]):
        addr.city = parts[0]
        parts = []
    if parts:
        addr.street = ", ".join(parts)
    return addr


def split_addresses(cell: object) -> list[Address]:
    """Several addresses in one CSL cell, joined by ``; `` (or ``; and ``)."""
    return [parse_address(a) for a in split_multi(cell)]


_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_DMY_TXT = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def iso_date(s: object) -> str | None:
    """Normalise ``YYYY-MM-DD``, ``YYYY-MM-DDThh:mm``, ``M/D/YYYY``, ``M/D/YY`` or ``12 Mar 2020``."""
    t = clean(s)
    if not t:
        return None
    try:
        if len(t) >= 10 and t[4] == "-" and t[7] == "-":
            return date.fromisoformat(t[:10]).isoformat()
        m = _MDY.match(t)
        if m:
            mo, d, y = int(m[1]), int(m[2]), int(m[3])
            if y < 100:
                y += 2000 if y < 70 else 1900
            return date(y, mo, d).isoformat()
        m = _DMY_TXT.match(t)
        if m and m[2].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1])).isoformat()
    except ValueError:
        return None
    return None


def stable_id(*parts: object) -> str:
    """A deterministic id for records that have none: sha1 of the normalised parts."""
    key = "|".join(clean(p).casefold() for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Grouping key for names: whitespace collapsed, case folded, trailing dots dropped."""
    return clean(name).casefold().rstrip(" .")


def uniq(items) -> list:
    """Order-preserving de-duplication of hashable items (None and '' dropped)."""
    out: dict = {}
    for i in items:
        if i is not None and i != "":
            out.setdefault(i, None)
    return list(out)
