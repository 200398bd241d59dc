"""Generate the demo sales ledger of "Acme Wafer Tools" (a fictional US equipment supplier).

    python make_demo_ledger.py [OUT.csv] [--lines N] [--seed S]

Deterministic for a given seed. Customers mix real Entity List parties, named exactly as they
are listed (SMIC and subsidiaries, added 2020-12-18, 85 FR 83420; Huawei affiliates, added
2019-05-21 / 2019-08-21, 84 FR 22961 / 84 FR 43495; YMTC, added 2022-12-19, 87 FR 77505), with
fictional unlisted fabs and service companies in CN, TW, KR, JP, DE, SG and the US. Items: EAR99
spare parts and consumables, 3B001 process tools, 3B991 legacy tools, 3D991 software. Values are
drawn in USD and converted to the customer's invoicing currency with the year's rate from
``fx_rates.csv``, so the report's USD totals come back close to the drawn values.

The default run writes ``demo_ledger.csv`` beside this script (2019-2023, about 3,000 lines);
``--lines`` scales the same mix to any size (the benchmark uses 1,000,000).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20201218
YEARS = (2019, 2020, 2021, 2022, 2023)

# item: (classification, median order USD, lognormal sigma)
ITEMS = {
    "parts": ("EAR99", 40_000, 0.9),
    "tool": ("3B001", 2_400_000, 0.45),
    "legacy": ("3B991", 650_000, 0.5),
    "software": ("3D991", 120_000, 0.7),
}

# name, country, currencies (weighted), relative size, item mix, (first, last) year of orders
CUSTOMERS = [
    # SMIC and subsidiaries, as listed on the Entity List
    ("Semiconductor Manufacturing International Corporation", "CN", {"USD": 3, "CNY": 1}, 9.0,
     {"parts": 6, "tool": 1, "legacy": 2, "software": 1}, (2019, 2023)),
    ("Semiconductor Manufacturing International (Beijing) Corporation", "CN", {"USD": 1}, 4.0,
     {"parts": 6, "tool": 1, "legacy": 2, "software": 1}, (2019, 2023)),
    ("Semiconductor Manufacturing International (Tianjin) Corporation", "CN", {"USD": 1, "CNY": 1}, 2.0,
     {"parts": 7, "legacy": 2, "software": 1}, (2019, 2023)),
    ("Semiconductor Manufacturing International (Shenzhen) Corporation", "CN", {"USD": 1}, 1.5,
     {"parts": 7, "legacy": 2, "software": 1}, (2019, 2023)),
    ("Semiconductor Manufacturing South China Corporation", "CN", {"USD": 1}, 3.0,
     {"parts": 5, "tool": 1, "legacy": 2, "software": 1}, (2019, 2023)),
    ("SMIC Northern Integrated Circuit Manufacturing (Beijing) Co., Ltd.", "CN", {"USD": 1}, 3.0,
     {"parts": 6, "tool": 1, "legacy": 2}, (2019, 2023)),
    ("SMIC Hong Kong International Company Limited", "HK", {"HKD": 1, "USD": 1}, 0.6,
     {"parts": 8, "software": 1}, (2019, 2023)),
    # Huawei affiliates, as listed
    ("Huawei Technologies Co., Ltd.", "CN", {"USD": 1}, 0.8, {"parts": 6, "software": 3}, (2019, 2023)),
    ("HiSilicon Technologies Co., Ltd", "CN", {"USD": 1}, 0.6, {"parts": 5, "software": 4}, (2019, 2023)),
    ("Huawei Device Co., Ltd.", "CN", {"CNY": 1}, 0.4, {"parts": 9}, (2019, 2021)),
    ("Shanghai HiSilicon Technologies Co., Ltd.", "CN", {"USD": 1}, 0.3, {"parts": 5, "software": 4}, (2019, 2022)),
    # listed 2022-12-19 (87 FR 77505): on later lists only
    ("Yangtze Memory Technologies Co., Ltd.", "CN", {"USD": 1}, 5.0,
     {"parts": 5, "tool": 2, "legacy": 2, "software": 1}, (2019, 2023)),
    # fictional, unlisted
    ("Wuxi Hengxin Microelectronics Co., Ltd.", "CN", {"CNY": 2, "USD": 1}, 3.0,
     {"parts": 5, "tool": 1, "legacy": 3, "software": 1}, (2019, 2023)),
    ("Jiangsu Ruiguang Semiconductor Co., Ltd.", "CN", {"USD": 1}, 2.0,
     {"parts": 5, "legacy": 3, "software": 1}, (2020, 2023)),
    ("Lingang Xinchuang Wafer Services Co., Ltd.", "CN", {"CNY": 1}, 1.5,
     {"parts": 6, "legacy": 3, "software": 1}, (2021, 2023)),
    ("Hsinchu Precision Wafer Services Corp.", "TW", {"USD": 2, "TWD": 1}, 7.0,
     {"parts": 5, "tool": 2, "legacy": 1, "software": 1}, (2019, 2023)),
    ("Tainan Advanced Foundry Co., Ltd.", "TW", {"TWD": 1}, 4.0,
     {"parts": 5, "tool": 2, "software": 1}, (2019, 2023)),
    ("Gyeonggi Nanofab Co., Ltd.", "KR", {"KRW": 1, "USD": 1}, 5.0,
     {"parts": 5, "tool": 2, "legacy": 1, "software": 1}, (2019, 2023)),
    ("Kumamoto Thin Film Kogyo K.K.", "JP", {"JPY": 1}, 3.0,
     {"parts": 5, "tool": 1, "legacy": 1, "software": 2}, (2019, 2023)),
    ("Dresdner Halbleiter Prozesstechnik GmbH", "DE", {"EUR": 1}, 2.5,
     {"parts": 5, "tool": 1, "legacy": 1, "software": 2}, (2019, 2023)),
    ("Tampines Wafer Fabrication Pte. Ltd.", "SG", {"USD": 1, "SGD": 1}, 1.5,
     {"parts": 6, "legacy": 2, "software": 1}, (2019, 2023)),
    ("Cascade Semiconductor Equipment Services LLC", "US", {"USD": 1}, 2.0,
     {"parts": 7, "software": 2}, (2019, 2023)),
    ("Mohawk Valley Foundry Inc.", "US", {"USD": 1}, 3.0,
     {"parts": 5, "tool": 2, "legacy": 1, "software": 1}, (2019, 2023)),
]

#: Share of each year's SMIC-group orders actually placed after 2020-12-18 (demand fell after
#: the listing but did not vanish: licences for mature-node items were granted).
SMIC_AFTER_LISTING = {2021: 0.55, 2022: 0.45, 2023: 0.4}


def load_rates() -> dict[tuple[str, int], float]:
    """Currency units per USD by (currency, year), from fx_rates.csv."""
    out: dict[tuple[str, int], float] = {}
    rows = [ln for ln in (HERE / "fx_rates.csv").read_text().splitlines() if ln and not ln.startswith("#")]
    for r in csv.DictReader(rows):
        rate = float(r["rate"])
        out[(r["currency"], int(r["year"]))] = 1 / rate if r["quote"] == "usd_per" else rate
    return out


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def rows(n_lines: int | None = None, seed: int = SEED):
    """Yield ledger rows (dicts). ``n_lines`` defaults to about 3,000 lines over 2019-2023."""
    rng = random.Random(seed)
    rates = load_rates()
    per_year = (n_lines or 3000) / len(YEARS)
    years_active = {c[0]: c[5] for c in CUSTOMERS}
    order = 0
    for year in YEARS:
        custs = [c for c in CUSTOMERS if years_active[c[0]][0] <= year <= years_active[c[0]][1]]
        total_size = sum(c[3] for c in custs)
        days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        # exact line count per year when n_lines is given
        count = int(round(per_year * (YEARS.index(year) + 1))) - int(round(per_year * YEARS.index(year)))
        batch = []
        for _ in range(count):
            name, country, curs, size, mix, _span = rng.choices(custs, weights=[c[3] for c in custs])[0]
            date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(days))
            if name.startswith(("Semiconductor Manufacturing", "SMIC")) and year in SMIC_AFTER_LISTING:
                if rng.random() > SMIC_AFTER_LISTING[year]:
                    name, country, curs = ("Wuxi Hengxin Microelectronics Co., Ltd.", "CN", {"CNY": 2, "USD": 1})
            kind = _pick(rng, mix)
            cls, median, sigma = ITEMS[kind]
            usd = median * math.exp(rng.gauss(0, sigma))
            cur = _pick(rng, curs)
            value = usd * rates.get((cur, year), 1.0)
            batch.append({"date": date.isoformat(), "customer": name, "country": country,
                          "classification": cls,
                          "value": f"{value:.0f}" if cur in ("JPY", "KRW") else f"{value:.2f}",
                          "currency": cur})
        batch.sort(key=lambda r: r["date"])  # a ledger is in date order
        for r in batch:
            order += 1
            yield {"order": f"AWT-{year}-{order:07d}", **r}


FIELDS = ["order", "date", "customer", "country", "classification", "value", "currency"]


def write(path: str | Path, n_lines: int | None = None, seed: int = SEED) -> Path:
    p = Path(path)
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        w.writeheader()
        w.writerows(rows(n_lines, seed))
    return p


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default=str(HERE / "demo_ledger.csv"))
    ap.add_argument("--lines", type=int, default=None)
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()
    print(write(a.out, a.lines, a.seed))


if __name__ == "__main__":
    main()
