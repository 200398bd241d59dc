"""Shared fixtures of the service tests: a store holding a tiny real-format CSL file, the app on it.

The screener is earcheck's own (``earcheck.screening.Screener``) over those parties.
"""
from __future__ import annotations

import csv
import socket
import threading
import time
from pathlib import Path

import pytest

HEADER = ("_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
          "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
          "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
          "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
          "source_information_url,ids").split(",")
EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
SMIC_POLICY = ("Presumption of denial for items uniquely required for production of semiconductors "
               "at advanced technology nodes; Case by case for all other items.")

V1_ROWS = [
    dict(_id="e1", source=EL, name="Semiconductor Manufacturing International Corporation",
         addresses="18 Zhangjiang Road, Pudong New Area, Shanghai, CN", alt_names="SMIC; SMIC Shanghai",
         federal_register_notice="85 FR 83420", start_date="2020-12-18",
         license_requirement="For all items subject to the EAR.", license_policy=SMIC_POLICY),
    dict(_id="e2", source=EL, name="Huawei Technologies Co., Ltd.", addresses="Bantian, Shenzhen, CN",
         alt_names="Huawei", federal_register_notice="84 FR 22963", start_date="2019-05-16",
         license_requirement="For all items subject to the EAR.", license_policy="Presumption of denial."),
    dict(_id="s1", source=SDN, type="Individual", name="BADGUY, Ivan", programs="RUSSIA-EO14024",
         addresses="Moscow, RU", start_date="2022-03-01"),
]
# The newer list: Huawei's entry changed (policy), a new entry matching a saved customer.
V2_ROWS = [V1_ROWS[0],
           dict(V1_ROWS[1], license_policy="Presumption of denial; case by case for 5G items."),
           V1_ROWS[2],
           dict(_id="e3", source=EL, name="Acme Widgets Trading Company", addresses="Dubai, AE",
                alt_names="Acme Widgets", federal_register_notice="88 FR 12345", start_date="2023-02-27",
                license_requirement="For all items subject to the EAR.",
                license_policy="Presumption of denial.")]


def write_csl(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in HEADER})
    return path


def screener_factory(store, parties):
    """earcheck's own screener over the given parties (no on-disk cache)."""
    from earcheck.screening import Screener

    return Screener.from_parties(parties)


@pytest.fixture
def lists_dir(tmp_path) -> Path:
    d = tmp_path / "lists"
    d.mkdir()
    write_csl(d / "csl_v1.csv", V1_ROWS)
    write_csl(d / "csl_v2.csv", V2_ROWS)
    return d


@pytest.fixture
def make_app(tmp_path, lists_dir):
    """``make_app(api_keys=...)`` -> (app, workspace) on a fresh store holding csl_v1.csv."""
    from earcheck.api import ApiSettings, create_app
    from earcheck.api.config import parse_api_keys
    from earcheck.store import Store

    def make(api_keys: str = ""):
        store = Store(tmp_path / "store.sqlite")
        store.load(lists_dir / "csl_v1.csv")
        settings = ApiSettings(db_path=store.path, api_keys=parse_api_keys(api_keys),
                               load_sample_if_empty=False)
        app = create_app(settings, store=store, screener_factory=screener_factory)
        return app, app.state.workspace
    return make


@pytest.fixture
def client(make_app):
    from fastapi.testclient import TestClient

    app, _ = make_app()
    with TestClient(app, client=("127.0.0.1", 50000)) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """uvicorn serving an app on 127.0.0.1 in a thread (stopped by ``stop()``)."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServerThread":
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
