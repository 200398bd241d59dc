"""Exchange rates: put every ledger line into one reporting currency.

The shipped table (``data/fx_rates.csv``) holds annual average rates from the Federal Reserve's
G.5A release, one row per (year, currency). A line is converted with the rate of its own year;
a year outside the table uses the nearest year in the table, and the report says so. A currency
not in the table cannot be converted: :meth:`Rates.to_usd` returns ``None`` and the caller
reports the line instead of dropping it.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_RATES = Path(__file__).with_name("data") / "fx_rates.csv"


class RatesError(ValueError):
    """A rates table that cannot be read (one-line message)."""


@dataclass
class Rates:
    """USD value of one unit of each currency, by year."""

    usd_per_unit: dict[str, dict[int, float]]  # currency -> year -> USD per unit
    source: str = ""
    path: str = ""
    #: (currency, asked year) -> year actually used, filled as lines are converted
    fallbacks: dict[tuple[str, int], int] = field(default_factory=dict)
    used: dict[tuple[str, int], float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Rates":
        """Read a rates CSV (``year,currency,rate,quote``; ``#`` lines are comments/source)."""
        p = Path(path) if path else DEFAULT_RATES
        try:
            text = p.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise RatesError(f"{p}: cannot read rates table ({e.strerror or e})") from None
        comments = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")]
        rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        table: dict[str, dict[int, float]] = {"USD": {}}
        for i, row in enumerate(csv.DictReader(rows), start=2):
            try:
                year = int(row["year"])
                cur = row["currency"].strip().upper()
                rate = float(row["rate"])
                quote = (row.get("quote") or "per_usd").strip()
            except (KeyError, TypeError, ValueError):
                raise RatesError(f"{p}: bad rates row {i}: {row}") from None
            if rate <= 0 or quote not in ("per_usd", "usd_per"):
                raise RatesError(f"{p}: bad rates row {i}: {row}")
            table.setdefault(cur, {})[year] = rate if quote == "usd_per" else 1.0 / rate
        src = " ".join(c for c in comments if c.lower().startswith(("source", "release", "http")))
        return cls(table, source=src or " ".join(comments), path=str(p))

    def known(self, currency: str) -> bool:
        return currency in self.usd_per_unit

    def to_usd(self, currency: str, year: int) -> float | None:
        """USD per unit of ``currency`` in ``year``; ``None`` for an unknown currency."""
        if currency == "USD":
            return 1.0
        by_year = self.usd_per_unit.get(currency)
        if not by_year:
            return None
        rate = by_year.get(year)
        if rate is None:
            used = min(by_year, key=lambda y: (abs(y - year), -y))
            self.fallbacks[(currency, year)] = used
            rate = by_year[used]
        self.used[(currency, year)] = rate
        return rate

    def factor(self, currency: str, year: int, target: str) -> float | None:
        """Multiply a ``currency`` amount by this to get ``target`` currency (via USD)."""
        a = self.to_usd(currency, year)
        if a is None:
            return None
        b = self.to_usd(target, year)
        if b is None:
            return None
        return a / b

    def report(self, target: str) -> dict:
        """The rates actually used, for the report: source, basis, and per-currency, per-year."""
        used: dict[str, dict[str, float]] = {}
        for (cur, year), usd in sorted(self.used.items()):
            if cur == target:
                continue
            t = self.usd_per_unit.get(target, {})
            tgt = 1.0 if target == "USD" else t.get(year) or t.get(self.fallbacks.get((target, year), year))
            used.setdefault(cur, {})[str(year)] = round(usd / tgt, 8) if tgt else None
        return {
            "basis": f"{target} per unit of currency, annual average of the line's year",
            "source": self.source,
            "table": self.path,
            "used": used,
            "fallbacks": [
                {"currency": c, "year": y, "used_year": u} for (c, y), u in sorted(self.fallbacks.items())
            ],
        }
