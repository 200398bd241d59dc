"""Shared fixtures. Tests that need the real public data in ../shared/data skip when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The real public data: ``$EARCHECK_SHARED_DATA``, else ``../shared/data`` beside the checkout.
SHARED = Path(
    os.environ.get("EARCHECK_SHARED_DATA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real public data not found at {SHARED} (set EARCHECK_SHARED_DATA)")
    return SHARED


@pytest.fixture
def earcheck_home(tmp_path, monkeypatch) -> Path:
    """An empty EARCHECK_HOME for one test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("EARCHECK_HOME", str(home))
    monkeypatch.delenv("EARCHECK_DB", raising=False)
    return home
