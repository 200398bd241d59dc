"""Helpers shared by the routers: query-parameter checks and name normalisation."""
from __future__ import annotations

import re
import unicodedata

from fastapi import HTTPException, Request

from earcheck.api.config import MAX_NAME_CHARS


def reject_unknown_params(request: Request, allowed: set[str]) -> None:
    """400 naming any query parameter the route does not know (typos must not pass silently)."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise HTTPException(400, f"unknown query parameter(s): {', '.join(unknown)}; "
                                 f"allowed: {', '.join(sorted(allowed))}")


def split_csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def check_name(name: str | None, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise HTTPException(400, f"{field} is empty")
    if len(name) > MAX_NAME_CHARS:
        raise HTTPException(400, f"{field} is longer than {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise HTTPException(400, f"{field} contains control characters")
    return name


_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Case-folded, accent-free word tokens (for keyword search)."""
    from anyascii import anyascii

    return _WORD.findall(anyascii(text).casefold())
