"""Arbitrary user input never produces a server error (hypothesis, in process)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    ["", " ", "\x00", "a" * 5000, "SMIC\n", "中芯国际", "ش", "💥" * 50, "%s%n", "' OR 1=1 --"])


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from earcheck.api import ApiSettings, create_app
    from earcheck.store import Store
    from service_fixtures import V1_ROWS, screener_factory, write_csl

    d = tmp_path_factory.mktemp("fuzz")
    store = Store(d / "s.sqlite")
    store.load(write_csl(d / "v1.csv", V1_ROWS))
    app = create_app(ApiSettings(db_path=store.path, load_sample_if_empty=False), store=store,
                     screener_factory=screener_factory)
    with TestClient(app, client=("127.0.0.1", 1), raise_server_exceptions=False) as c:
        yield c


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, country=st.one_of(st.none(), TEXT), address=st.one_of(st.none(), TEXT))
def test_screen_and_match_never_500(fuzz_client, name, country, address):
    c = fuzz_client
    r = c.post("/screen", json={"name": name, "country": country, "address": address})
    assert r.status_code in (200, 400), r.text
    props = {"name": [name]}
    if country is not None:
        props["country"] = [country]
    if address is not None:
        props["address"] = [address]
    r = c.post("/match/default", json={"queries": {"q": {"schema": "Company", "properties": props}}})
    assert r.status_code in (200, 400), r.text
    r = c.get("/consolidated_screening_list/v1/search",
              params={"name": name, "fuzzy_name": "true", "address": address or ""})
    assert r.status_code in (200, 400), r.text
    r = c.get("/search/default", params={"q": name})
    assert r.status_code in (200, 400), r.text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), ext=st.sampled_from(["csv", "xlsx", "txt", "pdf"]))
def test_upload_never_500(fuzz_client, data, ext):
    r = fuzz_client.post("/batches", files={"file": (f"f.{ext}", data, "application/octet-stream")})
    assert r.status_code in (200, 400), r.text
