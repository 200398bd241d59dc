"""CSV exports of an :class:`~earcheck.exposure.report.ExposureReport` (one file per view)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from earcheck.exposure.engine import DECISIONS

if TYPE_CHECKING:  # pragma: no cover
    from earcheck.exposure.report import ExposureReport


def _write(path: Path, header: list[str], rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([round(x, 2) if isinstance(x, float) else x for x in r])
    return path


def write_csv(rep: "ExposureReport", d: Path) -> list[Path]:
    """Write by_decision, by_customer, by_quarter, by_year, by_list, by_rule, by_policy,
    by_destination, changed_status, scenarios, rates and errors CSV files into ``d``."""
    d.mkdir(parents=True, exist_ok=True)
    cur = rep.currency
    out = [
        _write(d / "by_decision.csv", ["decision", f"value_{cur}"],
               [(k, v) for k, v in rep.by_decision.items()] + [("total", rep.total)]),
        _write(d / "by_customer.csv", ["customer", "country", f"total_{cur}", *DECISIONS, "lists", "listed_as", "rules"],
               [(k, c["country"], c["total"], *(c.get(x, 0.0) for x in DECISIONS),
                 "; ".join(c["lists"]), "; ".join(c["listed_as"]), "; ".join(c["rules"]))
                for k, c in rep.by_customer.items()]),
        _write(d / "by_quarter.csv", ["quarter", f"total_{cur}", *DECISIONS],
               [(q, sum(v.values()), *(v[x] for x in DECISIONS)) for q, v in rep.by_quarter.items()]),
        _write(d / "by_year.csv", ["year", f"total_{cur}", *DECISIONS],
               [(q, sum(v.values()), *(v[x] for x in DECISIONS)) for q, v in rep.by_year.items()]),
        _write(d / "by_destination.csv", ["country", f"total_{cur}", *DECISIONS],
               [(q, sum(v.values()), *(v[x] for x in DECISIONS)) for q, v in rep.by_destination.items()]),
        _write(d / "by_open_question.csv", ["question_kind", f"total_{cur}", *DECISIONS],
               [(q, sum(v.values()), *(v[x] for x in DECISIONS)) for q, v in rep.by_question.items()]),
        _write(d / "by_list.csv", ["list", f"value_{cur}"], rep.by_list.items()),
        _write(d / "by_rule.csv", ["rule", f"value_{cur}"], rep.by_rule.items()),
        _write(d / "by_policy.csv", ["review_policy", f"value_{cur}"], rep.by_policy.items()),
        _write(d / "changed_status.csv",
               ["line", "date", "customer", "country", "classification", f"value_{cur}",
                "decision_on_date", "decision_as_of", "cause", "lists_as_of"],
               [(r["line"], r["date"], r["customer"], r["country"], r["classification"], r["value"],
                 r["decision_on_date"], r["decision_as_of"], r["cause"], "; ".join(r["lists_as_of"]))
                for r in rep.changed["top"]]),
        _write(d / "scenarios.csv",
               ["scenario", "title", f"reference_license_required_{cur}", f"scenario_license_required_{cur}",
                f"newly_license_required_{cur}", f"no_longer_license_required_{cur}",
                "period_from", "period_to", f"period_newly_license_required_{cur}"],
               [(s["name"], s["title"], s["reference_license_required_total"], s["license_required_total"],
                 s["newly_license_required"], s["no_longer_license_required"], s["period"]["from"],
                 s["period"]["to"], s["in_period"]["newly_license_required"])
                for s in (x.to_json() for x in rep.scenarios)]),
        _write(d / "rates.csv", ["currency", "year", f"{cur}_per_unit"],
               [(c, y, r) for c, ys in rep.rates["used"].items() for y, r in ys.items()]),
        _write(d / "errors.csv", ["line", "kind", "message", "customer", "value", "currency"],
               [(e.get("line"), e["kind"], e["message"], e.get("customer"), e.get("value"), e.get("currency"))
                for e in rep.errors]),
    ]
    return out
