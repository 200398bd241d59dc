"""Reliability bench for ``earcheck serve`` on loopback. Prints the figures; asserts nothing.

1. Load: 50 concurrent clients for a bounded time against a real ``earcheck serve``
   subprocess holding the full 2022 CSL: a mix of yente ``/match``, CSL v1 fuzzy search and
   recorded ``/screen`` calls. Reports p50/p99 latency, throughput and errors.
2. A list update (the 2025 CSL sample as a newer ``csl`` snapshot) while the load runs:
   every answer names the list snapshot it used and ``GET /lists`` reports (checksum,
   entries); a half-loaded list would show a checksum with the wrong number of entries or an
   unknown checksum.
3. A server killed (SIGKILL) during a batch while an analyst records decisions: every
   decision the server acknowledged must be in the database after the kill; the restarted
   server marks the batch ``interrupted``.

Run: ``.venv/bin/python bench/bench_api.py [--seconds 10] [--clients 50] [--list PATH]``
(needs ../shared/data; falls back to the shipped sample list without it).
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
EARCHECK = str(ROOT / ".venv" / "bin" / "earcheck")
ADMIN, ANALYST = "bench-admin-key", "bench-analyst-key"
LISTED = ["SMIC", "Semiconductor Manufacturing International Corp", "Huawei Technologies",
          "Hikvision", "Rosoboronexport", "Iran Air", "Hangzhou Hikvision Digital Technology",
          "China Electronics Technology Group", "Beijing Institute of Technology", "Gazprom Neft"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def company_names(n: int) -> list[str]:
    path = SHARED / "companies" / "nasdaq_listed.csv"
    if not path.exists():
        return [f"Example Trading Company {i}" for i in range(n)]
    with path.open(newline="", encoding="utf-8") as f:
        names = [r["Company Name"] for r in csv.DictReader(f) if r.get("Company Name")]
    random.Random(7).shuffle(names)
    return names[:n]


class Server:
    """``earcheck serve`` as a subprocess on a free loopback port."""

    def __init__(self, home: Path):
        self.home, self.port, self.proc = home, free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180) -> float:
        env = dict(os.environ, EARCHECK_HOME=str(self.home), EARCHECK_DB=str(self.home / "db.sqlite"),
                   EARCHECK_API_KEYS=f"{ADMIN}:admin:admin,{ANALYST}:analyst:analyst")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([EARCHECK, "serve", "--port", str(self.port)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: {self.proc.stderr.read().decode()[-500:]}")
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("server did not become ready")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def load_phase(url: str, seconds: float, clients: int, update_source: str | None) -> dict:
    names = company_names(2000) + LISTED * 20
    rng = random.Random(1)
    lat: dict[str, list[float]] = {"match": [], "csl": [], "screen": []}
    errors: list[str] = []
    seen_snapshots: set[str] = set()
    lists_pairs: set[tuple[str, int]] = set()
    update_info: dict = {}
    stop = {"at": time.perf_counter() + seconds}  # extended to 3 s after a list update finishes
    limits = httpx.Limits(max_connections=clients + 4, max_keepalive_connections=clients + 4)

    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        async def worker(i: int) -> None:
            while time.perf_counter() < stop["at"]:
                name = rng.choice(names)
                kind = rng.choices(("match", "csl", "screen"), (6, 2, 2))[0]
                t0 = time.perf_counter()
                try:
                    if kind == "match":
                        r = await http.post("/match/default", json={"queries": {"q": {
                            "schema": "Company", "properties": {"name": [name]}}}})
                    elif kind == "csl":
                        r = await http.get("/consolidated_screening_list/v1/search",
                                           params={"name": name, "fuzzy_name": "true", "size": 5})
                    else:
                        r = await http.post("/screen", json={"name": name},
                                            headers={"Authorization": f"ApiKey {ANALYST}"})
                    dt = time.perf_counter() - t0
                    if r.status_code != 200:
                        errors.append(f"{kind} {r.status_code} {r.text[:100]}")
                        continue
                    lat[kind].append(dt)
                    body = r.json()
                    if kind == "screen":
                        seen_snapshots.add(body["lists_snapshot"])
                    elif kind == "csl":
                        seen_snapshots.add(",".join(f"{s['source']}:{s['checksum']}"
                                                    for s in body["sources_used"]))
                except httpx.HTTPError as e:
                    errors.append(f"{kind} {type(e).__name__}")

        async def prober() -> None:
            while time.perf_counter() < stop["at"]:
                r = await http.get("/lists")
                if r.status_code == 200:
                    b = r.json()
                    lists_pairs.add((b["checksum"], b["parties"]))
                await asyncio.sleep(0.05)

        async def updater() -> None:
            await asyncio.sleep(seconds / 3)
            stop["at"] = float("inf")
            t0 = time.perf_counter()
            r = await http.post("/lists/update", json={"source": update_source},
                                headers={"Authorization": f"ApiKey {ADMIN}"}, timeout=600)
            update_info.update(status=r.status_code, seconds=time.perf_counter() - t0,
                               body=r.json() if r.status_code == 200 else r.text[:300])
            stop["at"] = time.perf_counter() + 3

        t_start = time.perf_counter()
        tasks = [worker(i) for i in range(clients)] + [prober()]
        if update_source:
            tasks.append(updater())
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - t_start
    return {"lat": lat, "errors": errors, "elapsed": elapsed, "snapshots": seen_snapshots,
            "lists_pairs": lists_pairs, "update": update_info}


def kill_phase(home: Path, rows: int) -> dict:
    """Upload a batch, decide cases as they appear, SIGKILL the server mid-batch, verify."""
    srv = Server(home)
    srv.start()
    acked: list[int] = []
    hdr = {"Authorization": f"ApiKey {ANALYST}"}
    names = company_names(rows - rows // 10) + LISTED * (rows // 100 + 1)
    random.Random(3).shuffle(names)
    body = "name\n" + "\n".join(n.replace(",", " ") for n in names[:rows]) + "\n"
    with httpx.Client(base_url=srv.url, timeout=30, headers=hdr) as http:
        b = http.post("/batches", files={"file": ("customers.csv", body.encode(), "text/csv")}).json()
        t0 = time.perf_counter()
        decided: set[int] = set()
        while time.perf_counter() - t0 < 60:
            prog = http.get(f"/batches/{b['id']}").json()
            for case in http.get("/cases", params={"status": "open"}).json()["results"]:
                if case["id"] in decided:
                    continue
                r = http.post(f"/cases/{case['id']}/decisions",
                              json={"decision": "false_positive", "comment": "bench"})
                if r.status_code == 200:
                    acked.append(r.json()["id"])
                    decided.add(case["id"])
            if prog["done"] >= rows // 3 and acked:
                break
            time.sleep(0.05)
        done_before_kill = http.get(f"/batches/{b['id']}").json()["done"]
    srv.kill()
    conn = sqlite3.connect(home / "db.sqlite")
    stored = {r[0] for r in conn.execute("SELECT id FROM review_decisions")}
    screened = conn.execute("SELECT count(*) FROM review_audit WHERE action = 'screening' "
                            "AND json_extract(inputs, '$.origin') = 'batch'").fetchone()[0]
    conn.close()
    restart = Server(home)
    restart.port = free_port()
    restart_s = restart.start()
    status = httpx.get(f"{restart.url}/batches/{b['id']}", headers=hdr).json()["status"]
    restart.stop()
    return {"rows": rows, "done_before_kill": done_before_kill, "acked": len(acked),
            "lost": len(set(acked) - stored), "screened_rows_recorded": screened,
            "status_after_restart": status, "restart_s": restart_s}


def newer_list(src: Path, dst: Path) -> Path:
    """A plausible next publication of a CSL CSV: some entries gone, some amended."""
    with src.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    out = rows[200:]
    for r in out:
        if "huawei" in r["name"].lower():
            r["license_policy"] = (r["license_policy"] or "") + " (amended)"
    with dst.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(out)
    return dst


def report_load(title: str, res: dict, clients: int) -> None:
    all_lat = [x for v in res["lat"].values() for x in v]
    n = len(all_lat)
    print(f"\n== {title}: {clients} concurrent clients, {res['elapsed']:.1f} s ==")
    print(f"requests ok: {n}, errors: {len(res['errors'])}, throughput: {n / res['elapsed']:.0f} req/s")
    print(f"latency all     p50 {1000 * pct(all_lat, 50):.0f} ms, p99 {1000 * pct(all_lat, 99):.0f} ms")
    for k, v in res["lat"].items():
        print(f"latency {k:7s} p50 {1000 * pct(v, 50):.0f} ms, p99 {1000 * pct(v, 99):.0f} ms ({len(v)} requests)")
    for e in res["errors"][:5]:
        print("  error:", e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--list", default=str(SHARED / "csl" / "consolidated_2022-05.csv"))
    ap.add_argument("--update", default=None,
                    help="newer list to load during the load (default: the --list file with 200 rows "
                         "dropped and every Huawei entry's licence policy amended)")
    ap.add_argument("--batch-rows", type=int, default=1500)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="earcheck-bench-") as tmp:
        home = Path(tmp)
        sys.path.insert(0, str(ROOT / "src"))
        from earcheck.store import Store

        store = Store(home / "db.sqlite")
        if Path(args.list).exists():
            snap = store.load(args.list).snapshot
        else:
            from earcheck.lists import sample_path
            snap = store.load(sample_path()).snapshot
            args.update = None
        print(f"list: {args.list} -> {snap.total} entries")
        if args.update is None and args.list.endswith(".csv") and Path(args.list).exists():
            args.update = str(newer_list(Path(args.list), home / "newer.csv"))
        srv = Server(home)
        ready = srv.start()
        print(f"server ready in {ready:.1f} s on {srv.url}")
        try:
            steady = asyncio.run(load_phase(srv.url, args.seconds, args.clients, None))
            upd = (args.update if args.update and Path(args.update).exists() else None)
            res = asyncio.run(load_phase(srv.url, args.seconds, args.clients, upd)) if upd else None
        finally:
            srv.stop()

        report_load("steady load", steady, args.clients)
        if res:
            report_load("load with a list update in flight", res, args.clients)
            up = res["update"]
            body = up.get("body")
            summary = body.get("rescreen") if isinstance(body, dict) else body
            if isinstance(summary, dict):
                summary = {k: (len(v) if isinstance(v, list) else v) for k, v in summary.items()}
            print(f"list update: status {up.get('status')}, {up.get('seconds', 0):.1f} s; re-screen: {summary}")
            pairs = res["lists_pairs"]
            checksums = {c for c, _ in pairs}
            print(f"GET /lists views seen: {sorted((c[-12:], n) for c, n in pairs)}; "
                  f"one entry count per checksum (no half-loaded list): {len(pairs) == len(checksums)}")
            print(f"snapshots named in answers: {len(res['snapshots'])} distinct, all among the "
                  f"/lists views: {all(any(c.split(':')[-1] in s for c in checksums) for s in res['snapshots'])}")

        kill_home = home / "kill"
        kill_home.mkdir()
        Store(kill_home / "db.sqlite").load(args.list if Path(args.list).exists() else snap.source)
        k = kill_phase(kill_home, args.batch_rows)
        print(f"\n== SIGKILL during a batch of {k['rows']} rows ==")
        print(f"rows done before kill: {k['done_before_kill']} (screenings recorded: {k['screened_rows_recorded']}); "
              f"decisions acknowledged: {k['acked']}, lost after kill: {k['lost']}; "
              f"batch status after restart: {k['status_after_restart']} (restart {k['restart_s']:.1f} s)")


if __name__ == "__main__":
    main()
