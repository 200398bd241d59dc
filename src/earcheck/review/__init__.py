"""Cases, decisions, audit trail and re-screening: the review layer below the API.

Its tables live in the store's SQLite file (named migrations, see :mod:`.schema`);
decisions and audit rows are append-only, enforced by SQLite triggers.
"""
from __future__ import annotations

from . import schema
from .cases import DECISIONS, Review, ReviewError
from .hits import entry_hash, entry_key, hit_record, is_alert
from .rescreen import rescreen
from .upload import read_rows

schema.register()

__all__ = ["DECISIONS", "Review", "ReviewError", "entry_hash", "entry_key", "hit_record",
           "is_alert", "read_rows", "rescreen"]
