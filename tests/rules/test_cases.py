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
