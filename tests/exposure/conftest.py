"""Fixtures of the exposure tests (fakes and data live in exposure_fakes.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from exposure_fakes import OWNERS, PARTIES, SCENARIOS, SMALL_LEDGER, FakeScreener, fake_check


@pytest.fixture
def small(tmp_path) -> dict:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(SMALL_LEDGER, encoding="utf-8")
    (tmp_path / "owners.csv").write_text(OWNERS, encoding="utf-8")
    scen = tmp_path / "scenarios.yaml"
    scen.write_text(SCENARIOS, encoding="utf-8")
    return {"ledger": ledger, "scenarios": scen, "dir": tmp_path}


@pytest.fixture
def fake_kw() -> dict:
    """Keyword arguments that make exposure_report run on the fakes."""
    return {"parties": list(PARTIES), "screener_factory": FakeScreener.from_parties, "check": fake_check}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
