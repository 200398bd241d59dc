"""Benchmark: a large Acme Wafer Tools ledger through ``exposure_report``.

    .venv/bin/python bench/bench_exposure.py [--lines 1000000] [--list CSL.csv] [--scenarios]
        [--html]

Generates the ledger (same generator and mix as the demo ledger, deterministic seed) in a
temporary directory, loads a list into a temporary store (default: the real 2022 CSL from
../shared/data, else the shipped sample list), builds the screener, then times the report alone.
Prints lines/s, wall and CPU time of the report, and memory: the process's maximum resident set
size before and after the report (and, with ``--tracemalloc``, the peak of Python allocations
during the report; tracing slows the run, so timings of that run are not comparable).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "earcheck" / "exposure" / "data"
CSL = ROOT.parent / "shared" / "data" / "csl" / "consolidated_2022-05.csv"


def generator():
    spec = importlib.util.spec_from_file_location("make_demo_ledger", DATA / "make_demo_ledger.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--list", default=str(CSL) if CSL.exists() else None)
    ap.add_argument("--scenarios", action="store_true", help="also run demo_scenarios.yaml")
    ap.add_argument("--html", action="store_true", help="also write the HTML report")
    ap.add_argument("--as-of", default="2026-11-25")
    ap.add_argument("--tracemalloc", action="store_true",
                    help="also measure the Python allocation peak (slows the run 2-3x)")
    a = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="earcheck-bench-exposure-") as tmp:
        os.environ["EARCHECK_HOME"] = tmp
        os.environ.pop("EARCHECK_DB", None)
        from earcheck.exposure import exposure_report
        from earcheck.lists import sample_path
        from earcheck.screening import Screener
        from earcheck.store import Store

        t = time.perf_counter()
        ledger = generator().write(Path(tmp) / "ledger.csv", a.lines)
        size = ledger.stat().st_size
        print(f"generated {a.lines:,} lines ({size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        store = Store(Path(tmp) / "store.sqlite")
        src = a.list or sample_path()
        store.load(src)
        screener = Screener.from_store(store)
        print(f"list {Path(src).name} loaded and screener built in {time.perf_counter() - t:.1f} s")

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if a.tracemalloc:
            tracemalloc.start()
        t = time.perf_counter()
        cpu = time.process_time()
        rep = exposure_report(ledger, as_of=a.as_of, store=store, screener=screener,
                              scenarios=DATA / "demo_scenarios.yaml" if a.scenarios else None)
        elapsed = time.perf_counter() - t
        cpu = time.process_time() - cpu
        peak = None
        if a.tracemalloc:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        if a.html:
            t2 = time.perf_counter()
            rep.to_html(Path(tmp) / "report.html")
            print(f"HTML report written in {time.perf_counter() - t2:.1f} s")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"exposure_report: {rep.lines:,} lines in {elapsed:.1f} s = {rep.lines / elapsed:,.0f} lines/s"
              f" (CPU {cpu:.1f} s; {rep.stats}); scenarios: {len(rep.scenarios)}")
        print(f"load average during the run: {os.getloadavg()}")
        print(f"total {rep.total:,.0f} {rep.currency}; licence required or prohibited "
              f"{rep.license_required:,.0f}; errors {rep.error_counts}")
        if peak is not None:
            print(f"peak Python allocations during the report (tracemalloc) {peak / 1e6:.1f} MB")
        print(f"max RSS {rss:.0f} MB (before the report: {rss_before:.0f} MB, lists and screener loaded)")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
