"""Versioned SQLite store of restricted-party lists (see docs/architecture.md).

``Store`` keeps every load as a snapshot; ``Store.diff`` compares two snapshots or files;
``register_migration`` lets other layers add their own tables.
"""
from __future__ import annotations

from .diff import DiffSide, FieldChange, ListDiff, PartyChange
from .migrations import register_migration
from .store import MIN_LOAD_RATIO, LoadRefused, LoadResult, Snapshot, Store, StoreError

__all__ = [
    "Store",
    "Snapshot",
    "LoadResult",
    "StoreError",
    "LoadRefused",
    "MIN_LOAD_RATIO",
    "ListDiff",
    "PartyChange",
    "FieldChange",
    "DiffSide",
    "register_migration",
]
