"""Name screening: normalisation, candidate index, scoring and decisions.

Public API (docs/architecture.md): :class:`Screener`, :class:`ScreenResult`, :class:`Hit`,
:class:`Comparison`, :func:`compare`, :data:`MATCH_THRESHOLD`, :data:`REVIEW_THRESHOLD`.
"""
from __future__ import annotations

from .compare import MATCH_THRESHOLD, REVIEW_THRESHOLD, Comparison, compare, features_doc
from .screener import Hit, Screener, ScreenResult

__all__ = [
    "MATCH_THRESHOLD",
    "REVIEW_THRESHOLD",
    "Comparison",
    "Hit",
    "ScreenResult",
    "Screener",
    "compare",
    "features_doc",
]
