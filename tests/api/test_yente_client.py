"""OpenSanctions' own client, ``yente-client``, pointed at earcheck on a loopback port.

Every call parses the server's answer with the client's pydantic models, so a field the
client needs but earcheck does not send (or sends in the wrong shape) fails here.
"""
from __future__ import annotations

import pytest

yente_client = pytest.importorskip("yente_client")

from service_fixtures import ServerThread  # noqa: E402


@pytest.fixture
def server(make_app):
    app, _ = make_app()
    srv = ServerThread(app).start()
    yield srv
    srv.stop()


def test_yente_client_match_search_fetch(server):
    from yente_client import Client, Company, Person
    from yente_client.exceptions import BadRequestError, NotFoundError

    with Client(base_url=server.url, app_name="earcheck-test") as c:
        assert c.healthz().status == "ok" and c.readyz().status == "ok"
        algos = c.algorithms()
        assert algos.default in {a.name for a in algos.algorithms}
        catalog = c.datasets()
        names = {d.name for d in catalog.datasets}
        assert {"default", "el", "sdn"} <= names

        res = c.match(Company(name="SMIC", country="cn"))
        assert res.top is not None
        assert res.top.caption == "Semiconductor Manufacturing International Corporation"
        assert res.top.match and res.top.score >= 0.7 and res.top.schema_ == "Organization"
        assert res.total.value >= 1 and res.limit == 5
        assert "name_match" in res.top.explanations
        assert any("Presumption of denial" in n for n in res.top.properties["notes"])
        assert res.query["properties"]["name"] == ["SMIC"]

        # A Person query never returns companies; an unrelated name returns no match.
        person = c.match(Person(firstName="Ivan", lastName="Badguy"))
        assert person.results and all(r.schema_ == "Person" for r in person.results)
        assert not c.match(Company(name="Plain Bakery of Vermont")).matches

        # Dataset restriction and exclusion work through the client's filters.
        only_sdn = c.match(Company(name="SMIC"), datasets=["sdn"])
        assert only_sdn.results == []
        excl = c.match(Company(name="SMIC"), exclude_entities=[res.top.id])
        assert res.top.id not in {r.id for r in excl.results}

        found = c.search("huawei")
        assert found.results[0].caption == "Huawei Technologies Co., Ltd." and found.total.value >= 1

        ent = c.fetch(res.top.id)
        assert ent.id == res.top.id and ent.datasets == ["el"]
        with pytest.raises(NotFoundError):
            c.fetch("el-does-not-exist")
        with pytest.raises(BadRequestError):
            c.match(Company(name="SMIC"), algorithm="no-such-algorithm")
        # yente's own algorithm names are answered by earcheck's matcher
        assert c.match(Company(name="SMIC"), algorithm="logic-v2").top.id == res.top.id
        assert c.search("badguy").results[0].caption == "BADGUY, Ivan"

        streamed = dict(c.match_iter([("a", Company(name="Huawei Technologies")),
                                      ("b", Company(name="SMIC"))], workers=2))
        assert streamed["a"].top.caption.startswith("Huawei") and streamed["b"].top is not None
