"""A list update while screening requests are in flight: every answer comes from one whole
list view (old or new), never from a half-loaded one. Bounded in count; figures live in
bench/bench_api.py."""
from __future__ import annotations

import threading

import httpx

from service_fixtures import ServerThread


def test_requests_during_update_see_old_or_new_view(make_app, lists_dir):
    app, ws = make_app()
    srv = ServerThread(app).start()
    seen: list[tuple[str, int]] = []
    snapshots: set[str] = set()
    errors: list[str] = []
    stop = threading.Event()

    def client() -> None:
        with httpx.Client(base_url=srv.url, timeout=30) as http:
            for _ in range(400):
                if stop.is_set():
                    break
                r = http.get("/lists")
                if r.status_code != 200:
                    errors.append(r.text)
                    continue
                b = r.json()
                seen.append((b["checksum"], b["parties"]))
                s = http.post("/screen", json={"name": "Acme Widgets Trading"})
                if s.status_code != 200:
                    errors.append(s.text)
                    continue
                snapshots.add(s.json()["lists_snapshot"])
    try:
        threads = [threading.Thread(target=client) for _ in range(6)]
        for t in threads:
            t.start()
        while len(seen) < 6 and not errors:  # requests are in flight on the old list
            threading.Event().wait(0.01)
        r = httpx.post(srv.url + "/lists/update", json={"source": str(lists_dir / "csl_v2.csv")}, timeout=60)
        assert r.status_code == 200, r.text
        threading.Event().wait(0.3)
        stop.set()
        for t in threads:
            t.join(30)
    finally:
        srv.stop()
    assert not errors
    views = set(seen)
    assert {n for _, n in views} <= {3, 4}
    assert len({c for c, _ in views}) == len(views)  # one entry count per checksum
    assert snapshots <= {c for c, _ in views} and len(views) == 2
