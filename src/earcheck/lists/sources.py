"""List codes from the CSL ``source`` text, e.g. ``"Entity List (EL) - Bureau of Industry and Security"``.

The code is the parenthesised abbreviation of the source name; the table below covers the
spellings of the older layouts (and the compact 2026 file) that have no parenthesis.
"""
from __future__ import annotations

import re
from functools import lru_cache

from earcheck.models import LIST_NAMES

_PAREN = re.compile(r"\(([A-Z][A-Z0-9-]*)(?: List)?\)")

#: Source names (lower case, leading words) without a parenthesised code.
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("entity list", "EL"),
    ("denied persons", "DPL"),
    ("unverified", "UVL"),
    ("military end user", "MEU"),
    ("military intelligence end user", "MIEU"),
    ("specially designated nationals", "SDN"),
    ("sectoral sanctions", "SSI"),
    ("foreign sanctions evaders", "FSE"),
    ("palestinian legislative council", "PLC"),
    ("capta", "CAP"),
    ("correspondent account", "CAP"),
    ("non-sdn chinese military", "CMIC"),
    ("non-sdn menu-based", "NS-MBS"),
    ("nonproliferation sanctions", "ISN"),
    ("itar debarred", "DTC"),
    ("aeca debarred", "DTC"),
)


@lru_cache(maxsize=256)
def list_code_for(source: str) -> str | None:
    """The list code (EL, SDN, DPL, ...) of a CSL ``source`` value, or ``None`` if unknown."""
    text = " ".join(source.split())
    if text.upper() in LIST_NAMES:
        return text.upper()
    m = _PAREN.search(text)
    if m:
        code = m.group(1)
        return {"NS-MBS": "NS-MBS", "CAPTA": "CAP"}.get(code, code)
    low = text.lower()
    for key, code in _KEYWORDS:
        if low.startswith(key) or key in low:
            return code
    return None
