"""Hand-built lists for the store tests, so they do not depend on the parsers."""
from __future__ import annotations

import hashlib

import pytest

from earcheck.lists import ParsedList
from earcheck.models import Address, Link, Party
from earcheck.store import Store


def make_list(parties: list[Party], dataset: str = "csl", published: str | None = None,
              tag: str | None = None) -> ParsedList:
    """A ParsedList whose checksum is derived from its content (or ``tag``)."""
    key = tag if tag is not None else repr([p.to_dict() for p in parties])
    return ParsedList(dataset=dataset, format="csl_csv", source=f"{dataset}-{published}.csv",
                      checksum=hashlib.sha256(key.encode()).hexdigest(), published=published,
                      parties=parties)


def smic(**kw) -> Party:
    base = dict(
        id="e1", list_code="EL", name="Semiconductor Manufacturing International Corporation (SMIC)",
        aliases=["SMIC", "SMIC Shanghai"],
        addresses=[Address(text="18 Zhangjiang Road, Shanghai, CN", city="Shanghai", country="CN")],
        countries=["CN"], federal_register="85 FR 83420", start_date="2020-12-18",
        license_requirement="For all items subject to the EAR.",
        license_policy="Presumption of denial for items uniquely required for production at 10 nm and below; case by case otherwise",
        extra={"ids": [{"type": "USCC", "number": "91310000"}]},
    )
    base.update(kw)
    return Party(**base)


def v1() -> list[Party]:
    return [
        smic(),
        Party(id="e2", list_code="EL", name="SMIC Beijing", start_date="2020-12-18",
              links=[Link(kind="affiliate_of", target_name="SMIC", target_id="e1")]),
        Party(id="s1", list_code="SDN", name="IVANOV, Ivan", kind="person", programs=["RUSSIA-EO14024"],
              start_date="2022-02-24"),
        Party(id="d1", list_code="DPL", name="ACME EXPORTS", start_date="2010-01-01", end_date="2020-01-01"),
    ]


def v2() -> list[Party]:
    return [
        smic(aliases=["SMIC Shanghai", "SMIC", "SMIC Corp"]),  # reordered + one new alias
        Party(id="e2", list_code="EL", name="SMIC Beijing", start_date="2020-12-18",
              links=[Link(kind="affiliate_of", target_name="SMIC", target_id="e1")]),
        # s1 removed; d1 unchanged; two added
        Party(id="d1", list_code="DPL", name="ACME EXPORTS", start_date="2010-01-01", end_date="2020-01-01"),
        Party(id="e3", list_code="EL", name="Yangtze Memory Technologies Co., Ltd.", start_date="2022-12-16",
              federal_register="87 FR 77505"),
        Party(id="m1", list_code="MEU", name="Aviation Industry Corporation", start_date="2021-01-14"),
    ]


def dump(store: Store) -> str:
    """Full SQL dump of the database (for before/after comparisons)."""
    conn = store.connect()
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path) -> Store:
    """A fresh store in a temporary directory (import this fixture into a test module)."""
    return Store(tmp_path / "store.sqlite")
