"""Benchmark: load the full 2022 CSL and the 2024 OFAC SDN CSV into a fresh store.

For each file, in a fresh child process (so memory figures are not polluted by the previous run):
parse time, store time (one transaction), time to fetch every current party back, peak RSS
(``resource.getrusage``), and, in a second child, the Python heap peak under ``tracemalloc``.
Then the size of the store on disk (after a WAL checkpoint), for each file alone and for both.

    .venv/bin/python bench/bench_load.py [--data ../shared/data] [--repeat 3]

Target (issue 2): the full CSL loads (parse + store) in under 5 s on a 2-core machine; fetching
all current parties back in under 1 s.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FILES = {
    "CSL 2022-05 (csv)": "csl/consolidated_2022-05.csv",
    "OFAC SDN 2024-05-03 (csv)": "ofac_sdn/2024-05-03/sdn.csv",
}


def _db_size(path: Path) -> int:
    from earcheck.store import Store

    conn = Store(path).connect()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _run(file: str, trace: bool, out: "mp.Queue") -> None:
    from earcheck.lists import parse
    from earcheck.store import Store

    if trace:
        tracemalloc.start()
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "bench.sqlite"
        store = Store(db)
        t0 = time.perf_counter()
        parsed = parse(file)
        t1 = time.perf_counter()
        res = store.load_parsed(parsed)
        t2 = time.perf_counter()
        parties = store.parties()
        t3 = time.perf_counter()
        peak_py = tracemalloc.get_traced_memory()[1] if trace else None
        out.put({
            "parse_s": t1 - t0, "store_s": t2 - t1, "total_s": t2 - t0, "fetch_s": t3 - t2,
            "parties": len(parties), "snapshot_total": res.snapshot.total,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "py_peak_mb": peak_py / 2**20 if peak_py else None,
            "db_mb": _db_size(db) / 2**20,
        })


def _child(file: str, trace: bool) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_run, args=(file, trace, q))
    p.start()
    r = q.get(timeout=600)
    p.join()
    return r


def _both(files: list[str]) -> tuple[float, float, int]:
    """Load both files into one store; time fetching all current parties; size on disk."""
    from earcheck.store import Store

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "both.sqlite"
        store = Store(db)
        for f in files:
            store.load(f)
        t0 = time.perf_counter()
        n = len(store.parties())
        fetch = time.perf_counter() - t0
        return fetch, _db_size(db) / 2**20, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("EARCHECK_SHARED_DATA", DEFAULT_DATA)))
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per file (best is reported)")
    args = ap.parse_args()
    print(f"machine: {platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} (other processes slow every figure)")
    paths = {label: args.data / rel for label, rel in FILES.items()}
    for label, path in paths.items():
        if not path.exists():
            raise SystemExit(f"error: {path}: not found (pass --data)")
        runs = [_child(str(path), trace=False) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["total_s"])
        traced = _child(str(path), trace=True)
        print(f"\n{label}: {path.stat().st_size / 2**20:.1f} MiB, {best['snapshot_total']} parties")
        all_runs = ", ".join(f"{r['total_s']:.2f}" for r in runs)
        print(f"  parse {best['parse_s']:.2f} s + store {best['store_s']:.2f} s = "
              f"{best['total_s']:.2f} s  (best of {args.repeat}; all: {all_runs})")
        print(f"  fetch all parties back: {best['fetch_s']:.2f} s")
        print(f"  peak RSS {max(r['rss_mb'] for r in runs):.0f} MiB; "
              f"Python heap peak (tracemalloc) {traced['py_peak_mb']:.0f} MiB")
        print(f"  store on disk: {best['db_mb']:.1f} MiB")
    fetch, size, n = _both([str(p) for p in paths.values()])
    print(f"\nboth in one store: {n} current parties, fetched in {fetch:.2f} s; "
          f"store on disk {size:.1f} MiB")


if __name__ == "__main__":
    main()
