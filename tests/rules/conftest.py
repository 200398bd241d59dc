"""Fixtures for the rules tests: the 2022 CSL (+ a hand-typed fixture list) in a tmp store."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from earcheck.models import Party

from .fakes import FakeScreener

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"


def fixture_parsed():
    """The hand-typed fixture list (tests/cases/fixture_lists.yaml) as a ParsedList."""
    from earcheck.lists import ParsedList

    path = CASES_DIR / "fixture_lists.yaml"
    raw = path.read_bytes()
    doc = yaml.safe_load(raw)
    parties = [Party(**{k: v for k, v in p.items()}) for p in doc["parties"]]
    return ParsedList(dataset=doc["dataset"], format="sample_json", source=str(path),
                      checksum=hashlib.sha256(raw).hexdigest(), published=doc["published"],
                      parties=parties)


@pytest.fixture(scope="session")
def csl_2022(shared_data):
    from earcheck.lists import parse

    return parse(shared_data / "csl" / "consolidated_2022-05.csv")


@pytest.fixture(scope="session")
def case_parties(csl_2022) -> list[Party]:
    return csl_2022.parties + fixture_parsed().parties


@pytest.fixture(scope="session")
def fake_screener(case_parties, csl_2022) -> FakeScreener:
    fake = FakeScreener(case_parties)
    # as the store would say: the oldest snapshot's as-of date (check_license warns after it)
    fake.lists_published = min(csl_2022.published, fixture_parsed().published)
    return fake


@pytest.fixture(scope="session")
def case_home(tmp_path_factory, csl_2022):
    """EARCHECK_HOME with a store holding the 2022 CSL and the fixture list."""
    from earcheck.store import Store

    home = tmp_path_factory.mktemp("earcheck_home")
    store = Store(home / "earcheck.sqlite")
    store.load_parsed(csl_2022)
    store.load_parsed(fixture_parsed())
    return home


@pytest.fixture(scope="session")
def case_store(case_home):
    from earcheck.store import Store

    return Store(case_home / "earcheck.sqlite")


@pytest.fixture(scope="session")
def store_screener(case_store, case_parties):
    """The real screening engine over the store when it exists, else the fake one."""
    try:
        from earcheck.screening import Screener
    except ImportError:
        return FakeScreener(case_store.parties())
    return Screener.from_store(case_store)


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "fixture_lists.yaml":
            continue
        cases.extend(yaml.safe_load(path.read_text()))
    return cases
