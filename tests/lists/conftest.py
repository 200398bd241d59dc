"""Real files parsed once per test session (each parse takes about a second)."""
from __future__ import annotations

from pathlib import Path

import pytest

from earcheck.lists import parse

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def csl2022(shared_data):
    return parse(shared_data / "csl" / "consolidated_2022-05.csv")


@pytest.fixture(scope="session")
def csl2022_by_id(csl2022):
    return {p.id: p for p in csl2022.parties}


@pytest.fixture(scope="session")
def sdn2024(shared_data):
    return parse(shared_data / "ofac_sdn" / "2024-05-03" / "sdn.csv")


@pytest.fixture(scope="session")
def sdn_trio(shared_data):
    return parse(shared_data / "ofac_sdn" / "2022-01-31")


@pytest.fixture(scope="session")
def compact2026(shared_data):
    return parse(shared_data / "ear" / "screening-list.json")
