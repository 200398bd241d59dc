"""Browser tests reuse the service fixtures (tiny CSL lists, app factory, loopback server)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from service_fixtures import lists_dir, make_app  # noqa: E402,F401
