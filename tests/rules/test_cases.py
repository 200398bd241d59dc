"""The worked examples of ear-rules.md § 12 through the Python API.

Run twice: with the stand-in screener over the parsed 2022 CSL (tests the rules whatever the
screening scores), and with the real store + screening engine (the end-to-end contract).
"""
from __future__ import annotations

import pytest

from earcheck.rules import check_license

from .checks import check_case
from .conftest import load_cases

CASES = load_cases()


def test_all_26_examples_are_covered():
    assert {c["example"] for c in CASES} == set(range(1, 27))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_fake_screener(case, fake_screener):
    check_case(case, check_license(case["tx"], screener=fake_screener))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_real_store(case, case_store, store_screener):
    check_case(case, check_license(case["tx"], store=case_store, screener=store_screener))


@pytest.fixture(scope="session")
def screener_2026(shared_data):
    from earcheck.lists import parse

    from .fakes import FakeScreener

    return FakeScreener(parse(shared_data / "ear" / "screening-list.json").parties)


def test_example7_footnote_5_read_from_the_2026_csl(screener_2026):
    """The 2026-07-31 CSL entry itself carries footnote 5 ("...744.11 of the EAR)5"): no fixture."""
    ex7 = next(c for c in CASES if c["id"] == "ex07_korean_3b993_fn5_smic_beijing")
    res = check_license(ex7["tx"], screener=screener_2026)
    check_case(ex7, res)
    assert "Foreign direct product (footnote 5)" in res["requirements"][0]["summary"]
    # Without the FDP prong (no U.S. technology) and 0 % content the tool is not subject.
    tx = {**ex7["tx"], "item": {**ex7["tx"]["item"], "direct_product_of": []}}
    assert check_license(tx, screener=screener_2026)["decision"] == "not_subject_to_ear"
