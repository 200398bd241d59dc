"""Screening fixtures: the real 2022 CSL parsed once, and its index built once per session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def csl_parties(shared_data):
    from earcheck.lists import parse

    return parse(shared_data / "csl" / "consolidated_2022-05.csv").parties


@pytest.fixture(scope="session")
def csl_screener(csl_parties):
    from earcheck.screening import Screener

    return Screener.from_parties(csl_parties)
