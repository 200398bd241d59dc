"""Parse time and peak memory of each real list file (no store): `python bench/bench_lists.py`.

Reports wall time, CPU time (robust when the machine is shared) and the tracemalloc peak of
`earcheck.lists.parse` for every file in ../shared/data that the parsers read, plus the party
counts per list code. Each file is parsed `--repeat` times (default 3); the best run is shown.
"""
from __future__ import annotations

import argparse
import collections
import time
import tracemalloc
from pathlib import Path

from earcheck.lists import parse, sample_path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FILES = [
    "csl/consolidated_2022-05.csv",
    "csl/consolidated_sample_2025-06.csv",
    "csl/csl_sample_2019-12.csv",
    "ofac_sdn/2024-05-03/sdn.csv",
    "ofac_sdn/2022-01-31",
    "ear/screening-list.json",
    "opensanctions_ftm/yente_fixture_zala.entities.ftm.json",
    "opensanctions_ftm/yente_fixture_t1.entities.ftm.json",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", type=Path, default=SHARED)
    args = ap.parse_args()
    parse(sample_path())  # warm imports and lookup tables once
    sources = [sample_path()] + [args.data / f for f in FILES if (args.data / f).exists()]
    for src in sources:
        best_wall = best_cpu = float("inf")
        for _ in range(args.repeat):
            w, c = time.perf_counter(), time.process_time()
            parsed = parse(src)
            best_wall = min(best_wall, time.perf_counter() - w)
            best_cpu = min(best_cpu, time.process_time() - c)
        tracemalloc.start()
        parse(src)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        counts = collections.Counter(p.list_code for p in parsed.parties)
        name = src.relative_to(args.data) if args.data in src.parents else src.name
        print(f"{name}: {parsed.format}, {len(parsed.parties)} parties, wall {best_wall:.2f}s, "
              f"cpu {best_cpu:.2f}s, peak {peak / 2**20:.0f} MiB, warnings {len(parsed.warnings)}")
        print("   " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
