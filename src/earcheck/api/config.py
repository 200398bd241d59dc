"""Settings of the HTTP service, read from ``EARCHECK_*`` environment variables.

``EARCHECK_API_KEYS`` is a comma-separated list of ``key:role`` or ``key:role:user`` entries
(roles: ``analyst`` may write cases and decisions, ``admin`` may also update lists). When no
key is configured the service runs in *local mode*: write routes are open to loopback clients
only, as user ``local``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("analyst", "admin")
MAX_BODY_BYTES = 1_000_000        # JSON requests
MAX_UPLOAD_BYTES = 20_000_000     # customer files
MAX_QUERIES = 50                  # queries in one /match request
MAX_NAME_CHARS = 1000


@dataclass
class Key:
    role: str
    user: str


def parse_api_keys(text: str | None) -> dict[str, Key]:
    """``"k1:admin,k2:analyst:maria"`` -> ``{"k1": Key("admin", "admin-1"), ...}``."""
    keys: dict[str, Key] = {}
    for i, item in enumerate(filter(None, (p.strip() for p in (text or "").split(","))), 1):
        parts = item.split(":")
        if len(parts) not in (2, 3) or not parts[0] or parts[1] not in ROLES:
            raise ValueError(f"EARCHECK_API_KEYS: entry {i} must be key:role[:user] with role "
                             f"analyst or admin")
        keys[parts[0]] = Key(parts[1], parts[2] if len(parts) == 3 and parts[2] else f"{parts[1]}-{i}")
    return keys


@dataclass
class ApiSettings:
    """Everything ``create_app`` needs; tests build one directly."""

    db_path: Path | None = None                 # None: earcheck.settings.db_path()
    api_keys: dict[str, Key] = field(default_factory=dict)
    max_body_bytes: int = MAX_BODY_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    watch_seconds: float = 10.0                 # poll the store for lists loaded elsewhere (0: off)
    worker_threads: int = 8                     # threads running requests (EARCHECK_THREADS)
    load_sample_if_empty: bool = True           # a fresh install screens against the sample list
    title: str = "earcheck"
    description: str = ("Restricted-party screening (trade.gov CSL API v1 and yente-compatible), "
                        "EAR licence determination, case review and audit trail.")

    @classmethod
    def from_env(cls) -> "ApiSettings":
        db = os.environ.get("EARCHECK_DB")
        return cls(
            db_path=Path(db) if db else None,
            api_keys=parse_api_keys(os.environ.get("EARCHECK_API_KEYS")),
            max_body_bytes=int(os.environ.get("EARCHECK_MAX_BODY_BYTES") or MAX_BODY_BYTES),
            max_upload_bytes=int(os.environ.get("EARCHECK_MAX_UPLOAD_BYTES") or MAX_UPLOAD_BYTES),
            watch_seconds=float(os.environ.get("EARCHECK_WATCH_SECONDS") or 10),
            worker_threads=max(1, int(os.environ.get("EARCHECK_THREADS") or 8)),
            load_sample_if_empty=os.environ.get("EARCHECK_NO_SAMPLE", "") == "",
        )
