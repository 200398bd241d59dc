"""Country names and codes to ISO-2, from rigour's territory table plus publisher spellings.

rigour's ``lookup_territory`` builds a large fuzzy index the first time it runs (about a second);
list loading must stay fast, so this module indexes the country names once and only falls back
to rigour's fuzzy lookup when asked to.
"""
from __future__ import annotations

from functools import lru_cache

#: Spellings used by OFAC (add.csv ``Country``) and the CSL that differ from the ISO names.
#: Regions are mapped to the country that the list itself uses for them (OFAC dat_spec.txt).
PUBLISHER_NAMES: dict[str, str] = {
    "bahamas, the": "BS", "the gambia": "GM", "gambia, the": "GM", "burma": "MM",
    "congo, democratic republic of the": "CD", "congo, republic of the": "CG",
    "cote d ivoire": "CI", "cote d'ivoire": "CI", "korea, north": "KP", "korea, south": "KR",
    "north korea": "KP", "south korea": "KR", "laos": "LA", "macau": "MO", "macao": "MO",
    "netherlands antilles": "AN", "palestinian": "PS", "west bank": "PS", "region: gaza": "PS",
    "gaza": "PS", "region: crimea": "UA", "crimea": "UA", "region: kafia kingi": "SS",
    "region: northern mali": "ML", "russia": "RU", "russian federation": "RU",
    "virgin islands, british": "VG", "u.a.e": "AE", "u.a.e.": "AE", "uae": "AE",
    "united states of america": "US", "usa": "US", "u.s.a.": "US", "uk": "GB",
    "great britain": "GB", "england": "GB", "prc": "CN", "p.r. china": "CN",
    "people's republic of china": "CN", "iran (islamic republic of)": "IR", "syria": "SY",
    "vietnam": "VN", "hong kong": "HK", "hong kong sar": "HK", "viet nam": "VN", "taiwan": "TW", "kosovo": "XK", "turkey": "TR",
    "turkiye": "TR", "gaza strip": "PS", "curacao": "CW", "czechia": "CZ", "czech republic": "CZ", "moldova": "MD",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "brunei": "BN",
}


#: USPS state and territory codes: a DPL address ``CITY, ST, 12345`` without a country is in the US.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)


@lru_cache(maxsize=1)
def _index() -> tuple[frozenset[str], dict[str, str]]:
    from rigour.territories import get_territories

    codes: set[str] = set()
    names: dict[str, str] = {}
    for t in get_territories():
        if len(t.code) != 2:
            continue
        code = t.code.upper()
        codes.add(code)
        for n in (t.name, t.full_name):
            if n:
                names.setdefault(n.casefold(), code)
    names.update(PUBLISHER_NAMES)
    return frozenset(codes), names


@lru_cache(maxsize=16384)
def country_code(text: str | None, fuzzy: bool = False) -> str | None:
    """ISO-2 code (upper case) for an ISO-2 code or a country name; ``None`` if not a country."""
    if not text:
        return None
    t = " ".join(text.split()).strip(" .,;")
    if len(t) == 2:
        t = t.upper()
        return t if t in _index()[0] else None
    if len(t) < 3 or len(t) > 60 or any(ch.isdigit() for ch in t):
        return None
    code = _index()[1].get(t.casefold())
    if code or not fuzzy:
        return code
    from rigour.territories import lookup_territory

    terr = lookup_territory(t)
    if terr is None:
        return None
    code = (terr.ftm_country or terr.code or "").upper()
    return code if len(code) == 2 else None


#: ISO 3166 short names that neither rigour nor the publishers' table spell this way.
INPUT_NAMES: dict[str, str] = {
    "taiwan, province of china": "TW", "korea, democratic people's republic of": "KP",
    "lao people's democratic republic": "LA", "syrian arab republic": "SY",
    "macao sar": "MO", "hong kong, china": "HK", "macau sar": "MO",
}


@lru_cache(maxsize=1)
def _alpha3() -> dict[str, str]:
    from rigour.territories import get_territories

    return {t.alpha3.upper(): t.code.upper() for t in get_territories()
            if t.alpha3 and len(t.code) == 2}


@lru_cache(maxsize=4096)
def iso2(text: str | None) -> str | None:
    """ISO-2 code for a country given as an ISO-2 code, an ISO-3 code or a name ("China",
    "People's Republic of China", "Hong Kong", "Korea, Republic of"); ``None`` when it is not
    one. Exact only (no fuzzy guess: "Korea" alone is refused, never read as KR or KP).
    The one helper the licence, exposure and screening inputs use for a country."""
    if not text or not str(text).strip():
        return None
    t = " ".join(str(text).split()).strip(" .,;")
    if len(t) == 2:
        t = t.upper()
        t = "GB" if t == "UK" else t
        return t if t in _index()[0] else None
    if len(t) == 3 and t.isalpha() and t.upper() in _alpha3():
        return _alpha3()[t.upper()]
    code = country_code(t) or INPUT_NAMES.get(t.casefold())
    if code is None and "," in t:  # "Korea, Republic of" -> "Republic of Korea"
        head, _, tail = t.partition(",")
        code = country_code(f"{tail.strip()} {head.strip()}")
    return code
