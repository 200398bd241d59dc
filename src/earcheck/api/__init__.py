"""The HTTP service and web workspace: ``create_app(settings)`` (see :mod:`.app`)."""
from __future__ import annotations

from .app import create_app
from .config import ApiSettings

__all__ = ["ApiSettings", "create_app"]
