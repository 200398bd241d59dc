"""CLI commands for demo (thin layer over the Python API)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the main app."""
