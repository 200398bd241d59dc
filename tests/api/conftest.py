"""Service-test fixtures live in ``service_fixtures.py`` (shared with tests/browser)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from service_fixtures import client, lists_dir, make_app  # noqa: E402,F401
