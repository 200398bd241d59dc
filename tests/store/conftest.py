"""Fixtures for the store tests."""
from __future__ import annotations

import pytest

from earcheck.store import Store


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "store.sqlite")
