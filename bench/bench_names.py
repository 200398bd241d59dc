"""Pairwise name-matching benchmark: earcheck vs nomenklatura logic-v2 on the name bench.

Data: ../shared/data/eval/nomenklatura_name_bench_cases.csv (826 labelled pairs, copied from
nomenklatura's contrib/name_bench). earcheck predicts a match when its score reaches
REVIEW_THRESHOLD (the alert threshold); logic-v2 at its default 0.70. logic-v2 runs only when
nomenklatura is importable (the bench venv, see bench/README.md): it is never a runtime dependency.

    python bench/bench_names.py [--cases CSV] [--losses N]
"""
from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from pathlib import Path

from earcheck.screening import REVIEW_THRESHOLD, compare

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "eval" / "nomenklatura_name_bench_cases.csv"


def load(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def earcheck_score(row: dict) -> float:
    return compare(row["name1"], row["name2"], person=row["schema"] == "Person").score


def logicv2_scorer():
    """A scorer over nomenklatura's logic-v2, or None when nomenklatura is not installed."""
    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
        from nomenklatura.matching.types import ScoringConfig
    except Exception:  # noqa: BLE001 - any import problem means: not in the bench venv
        return None

    def make(schema: str, name: str, i: int):
        proxy = model.make_entity(schema)
        proxy.id = f"e{i}"
        proxy.add("name", name)
        return proxy

    counter = iter(range(10**9))

    def score(row: dict) -> float:
        # unique ids: nomenklatura caches name analysis per entity id
        a = make(row["schema"], row["name1"], next(counter))
        b = make(row["schema"], row["name2"], next(counter))
        return LogicV2.compare(a, b, ScoringConfig.defaults()).score

    return score


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float, int, int, int, int]:
    tp = sum(1 for y, p in pairs if y and p)
    fp = sum(1 for y, p in pairs if not y and p)
    fn = sum(1 for y, p in pairs if y and not p)
    tn = sum(1 for y, p in pairs if not y and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, tp, fp, fn, tn


def report(title: str, rows: list[dict], scores: list[float], threshold: float) -> None:
    pairs = [(r["is_match"] == "true", s >= threshold) for r, s in zip(rows, scores)]
    p, r, f, tp, fp, fn, tn = prf(pairs)
    print(f"\n== {title} @ {threshold:.2f}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (TP {tp} FP {fp} FN {fn} TN {tn})")
    groups: dict[str, list] = defaultdict(list)
    for row, pr in zip(rows, pairs):
        groups[f"{row['case_group']}/{row['schema']}"].append(pr)
    for g in sorted(groups):
        p, r, f, tp, fp, fn, tn = prf(groups[g])
        print(f"   {g:32s} n={len(groups[g]):3d}  P {p:.3f} R {r:.3f} F1 {f:.3f}  FP {fp:3d} FN {fn:3d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT)
    ap.add_argument("--losses", type=int, default=40, help="how many lost cases to list")
    args = ap.parse_args()
    rows = load(args.cases)
    print(f"{len(rows)} pairs from {args.cases}")
    t = time.perf_counter()
    ours = [earcheck_score(r) for r in rows]
    dt = time.perf_counter() - t
    print(f"earcheck: {dt / len(rows) * 1e6:.0f} µs/pair (cold caches)")
    for th in sorted({0.6, 0.7, 0.75, REVIEW_THRESHOLD, 0.8, 0.85}):
        report("earcheck", rows, ours, th)
    scorer = logicv2_scorer()
    if scorer is None:
        print("\nnomenklatura not importable: logic-v2 column skipped (use /work/bench-venv, see bench/README.md)")
        return
    t = time.perf_counter()
    theirs = [scorer(r) for r in rows]
    dt = time.perf_counter() - t
    print(f"\nlogic-v2: {dt / len(rows) * 1e6:.0f} µs/pair")
    report("logic-v2", rows, theirs, 0.70)
    losses = [
        (r, o, t)
        for r, o, t in zip(rows, ours, theirs)
        if (o >= REVIEW_THRESHOLD) != (r["is_match"] == "true") and (t >= 0.70) == (r["is_match"] == "true")
    ]
    wins = sum(
        1
        for r, o, t in zip(rows, ours, theirs)
        if (o >= REVIEW_THRESHOLD) == (r["is_match"] == "true") and (t >= 0.70) != (r["is_match"] == "true")
    )
    print(f"\nearcheck right where logic-v2 wrong: {wins}; earcheck wrong where logic-v2 right: {len(losses)}")
    for r, o, t in losses[: args.losses]:
        print(f"   [{r['is_match']:5s}] ours {o:.2f} lv2 {t:.2f}  {r['schema']:8s} {r['name1']!r} vs {r['name2']!r}")


if __name__ == "__main__":
    main()
