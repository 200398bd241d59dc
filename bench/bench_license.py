"""Licence-determination benchmark: rule-table load time and determinations per second.

Runs the worked-example transactions of tests/cases/ (ear-rules.md § 12) against the real
2022 CSL: once end to end (real Screener), once with the screening answers cached, to show
the cost of the rules themselves.

    python bench/bench_license.py [--rounds 20]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

from earcheck.lists import parse
from earcheck.rules import check_license, load_all
from earcheck.screening import Screener

ROOT = Path(__file__).resolve().parents[1]
CSL = ROOT.parent / "shared" / "data" / "csl" / "consolidated_2022-05.csv"


class CachedScreener:
    """Replays another screener's answers (isolates the rules' own cost)."""

    def __init__(self, inner):
        self.inner, self.cache = inner, {}

    def screen(self, name, country=None, as_of=None, **kw):
        key = (name, country, as_of)
        if key not in self.cache:
            self.cache[key] = self.inner.screen(name, country=country, as_of=as_of, **kw)
        return self.cache[key]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    cases = yaml.safe_load((ROOT / "tests" / "cases" / "worked_examples.yaml").read_text())
    txs = [c["tx"] for c in cases]

    t = time.perf_counter()
    load_all.cache_clear()
    tables = load_all()
    print(f"rule tables: {len(tables)} files, {sum(len(x.values) for x in tables.values())} keys, "
          f"loaded in {time.perf_counter() - t:.2f} s")

    parties = parse(CSL).parties
    t = time.perf_counter()
    screener = Screener.from_parties(parties)
    print(f"screener over {len(parties)} parties built in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    for tx in txs:
        check_license(tx, screener=screener)
    cold = time.perf_counter() - t
    print(f"end to end, first pass: {len(txs)} determinations in {cold:.2f} s "
          f"({len(txs) / cold:.1f}/s)")

    cached = CachedScreener(screener)
    for tx in txs:
        check_license(tx, screener=cached)
    per = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        for tx in txs:
            check_license(tx, screener=cached)
        per.append((time.perf_counter() - t) / len(txs))
    print(f"rules only (screening cached), {args.rounds} rounds x {len(txs)}: median "
          f"{statistics.median(per) * 1000:.2f} ms per determination "
          f"({1 / statistics.median(per):.0f}/s)")


if __name__ == "__main__":
    main()
