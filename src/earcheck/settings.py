"""Settings read from ``EARCHECK_*`` environment variables, with defaults.

Read at call time (not import time) so tests can change the environment.
"""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

#: Official trade.gov CSL bulk download (CSV).
CSL_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"


def home() -> Path:
    """Data directory: ``$EARCHECK_HOME`` or the per-user data directory."""
    p = Path(os.environ.get("EARCHECK_HOME") or user_data_dir("earcheck"))
    p.mkdir(parents=True, exist_ok=True)
    return p


def db_path() -> Path:
    """The embedded SQLite store."""
    return Path(os.environ.get("EARCHECK_DB") or home() / "earcheck.sqlite")


def csl_url() -> str:
    return os.environ.get("EARCHECK_CSL_URL") or CSL_URL
