"""``exposure_report``: run a ledger through screening and licence determination, and total it.

One streaming pass over the ledger. Each line gets a determination as of its own date, one as
of the report's ``as_of`` date (to show lines whose status a list update changed), and two per
scenario (the scenario and its reference). Lines are then summed by a compact key (customer,
destination, quarter and the ids of those determinations), so the work per line is a few dict
look-ups; the views (by decision, list, rule, policy, customer, quarter, year) are expanded from
those sums at the end.
"""
from __future__ import annotations

import datetime as dt
import gc
import heapq
import json
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from earcheck.exposure.engine import (
    DECISIONS, POLICIES, RESTRICTED, CachingScreener, Determination, Determiner, OverlayScreener,
)
from earcheck.exposure.ledger import Line, LineError, ledger_roles, read_ledger
from earcheck.exposure.rates import Rates, RatesError
from earcheck.exposure.scenarios import (
    Scenario, ScenarioError, affiliate_parties, apply_list_changes, load_scenarios, norm, read_owners,
    removal_predicate,
)

MAX_ERRORS = 1000


def _r(x: float) -> float:
    return round(x + 0.0, 2)


def quarter(date: str) -> str:
    return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


@dataclass
class ScenarioResult:
    scenario: Scenario
    reference_is_baseline: bool
    by_decision: dict[str, float]
    reference_by_decision: dict[str, float]
    newly: float
    no_longer: float
    newly_by_customer: dict[str, float]
    newly_by_quarter: dict[str, float]
    newly_by_year: dict[str, float]
    in_period: dict[str, float]
    newly_lines: int

    def to_json(self) -> dict:
        restricted = sum(v for k, v in self.by_decision.items() if k in RESTRICTED)
        ref_restricted = sum(v for k, v in self.reference_by_decision.items() if k in RESTRICTED)
        return {
            **self.scenario.to_dict(),
            "reference": "baseline" if self.reference_is_baseline else "against",
            "by_decision": {k: _r(v) for k, v in self.by_decision.items()},
            "reference_by_decision": {k: _r(v) for k, v in self.reference_by_decision.items()},
            "license_required_total": _r(restricted),
            "reference_license_required_total": _r(ref_restricted),
            "newly_license_required": _r(self.newly),
            "newly_license_required_lines": self.newly_lines,
            "no_longer_license_required": _r(self.no_longer),
            "net_change": _r(restricted - ref_restricted),
            "in_period": {k: _r(v) for k, v in self.in_period.items()},
            "by_customer": {k: _r(v) for k, v in sorted(self.newly_by_customer.items(), key=lambda t: -t[1])},
            "by_quarter": {k: _r(v) for k, v in sorted(self.newly_by_quarter.items())},
            "by_year": {k: _r(v) for k, v in sorted(self.newly_by_year.items())},
        }


@dataclass
class ExposureReport:
    """The totals of one ledger run. ``to_json``, ``to_html``, ``to_csv``, ``to_png``."""

    ledger: str
    currency: str
    as_of: str
    lines: int
    total: float
    by_decision: dict[str, float]
    by_list: dict[str, float]
    by_rule: dict[str, float]
    by_policy: dict[str, float]
    by_customer: dict[str, dict]
    by_quarter: dict[str, dict[str, float]]
    by_year: dict[str, dict[str, float]]
    by_destination: dict[str, dict[str, float]]
    by_question: dict[str, dict[str, float]]
    changed: dict
    scenarios: list[ScenarioResult]
    rates: dict
    errors: list[dict]
    error_counts: dict[str, int]
    unconverted: dict[str, float]
    lists: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    generated: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))

    @property
    def license_required(self) -> float:
        return sum(v for k, v in self.by_decision.items() if k in RESTRICTED)

    def to_json(self) -> dict:
        return {
            "ledger": self.ledger,
            "currency": self.currency,
            "as_of": self.as_of,
            "lines": self.lines,
            "total": _r(self.total),
            "by_decision": {k: _r(v) for k, v in self.by_decision.items()},
            "by_list": {k: _r(v) for k, v in self.by_list.items()},
            "by_rule": {k: _r(v) for k, v in self.by_rule.items()},
            "by_policy": {k: _r(v) for k, v in self.by_policy.items()},
            "by_customer": {k: {kk: (_r(vv) if isinstance(vv, float) else vv) for kk, vv in d.items()}
                            for k, d in self.by_customer.items()},
            "by_quarter": {k: {kk: _r(vv) for kk, vv in d.items()} for k, d in self.by_quarter.items()},
            "by_year": {k: {kk: _r(vv) for kk, vv in d.items()} for k, d in self.by_year.items()},
            "by_destination": {k: {kk: _r(vv) for kk, vv in d.items()} for k, d in self.by_destination.items()},
            "by_open_question": {k: {kk: _r(vv) for kk, vv in d.items() if vv} for k, d in self.by_question.items()},
            "changed_status": self.changed,
            "scenarios": {s.scenario.name: s.to_json() for s in self.scenarios},
            "rates": self.rates,
            "errors": self.errors,
            "error_counts": self.error_counts,
            "unconverted": {k: _r(v) for k, v in self.unconverted.items()},
            "lists": self.lists,
            "stats": self.stats,
        }

    def to_html(self, path: str | Path) -> Path:
        from earcheck.exposure.html import render_html

        p = Path(path)
        p.write_text(render_html(self), encoding="utf-8")
        return p

    def to_csv(self, directory: str | Path) -> list[Path]:
        from earcheck.exposure.exports import write_csv

        return write_csv(self, Path(directory))

    def to_png(self, directory: str | Path) -> list[Path]:
        from earcheck.exposure.charts import write_png

        return write_png(self, Path(directory))


def _default_check() -> Callable[..., dict]:
    from earcheck.rules import check_license

    return check_license


def exposure_report(
    ledger: str | Path,
    *,
    as_of: str | None = None,
    scenarios: str | Path | dict | list | None = None,
    store: Any = None,
    columns: dict[str, str] | None = None,
    currency: str = "USD",
    screener: Any = None,
    parties: list | None = None,
    screener_factory: Callable[[list], Any] | None = None,
    check: Callable[..., dict] | None = None,
    rates: Rates | str | Path | None = None,
    sheet: str | None = None,
    exact_dates: bool = False,
    top_changed: int = 200,
) -> ExposureReport:
    """Screen and determine every ledger line; total by decision, list, rule, policy, customer,
    quarter; compare with ``as_of`` (default today) and with each what-if scenario.

    ``store`` defaults to the configured store; ``screener``/``parties``/``screener_factory``/
    ``check`` replace the screening and rules layers (tests, or a pre-built screener).
    Raises ``LedgerError``, ``ScenarioError`` or ``RatesError`` with a one-line message.
    """
    # The pass allocates millions of short-lived objects next to a large screening index; with
    # the cyclic collector on, every full collection walks the whole index (tens of seconds on
    # a million lines). Lines are freed by reference counting, so it is paused for the run.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _exposure_report(
            ledger, as_of=as_of, scenarios=scenarios, store=store, columns=columns, currency=currency,
            screener=screener, parties=parties, screener_factory=screener_factory, check=check,
            rates=rates, sheet=sheet, exact_dates=exact_dates, top_changed=top_changed)
    finally:
        if enabled:
            gc.enable()


def _exposure_report(ledger, *, as_of, scenarios, store, columns, currency, screener, parties,
                     screener_factory, check, rates, sheet, exact_dates, top_changed) -> ExposureReport:
    currency = currency.upper()
    as_of = as_of or dt.date.today().isoformat()
    try:
        as_of = dt.date.fromisoformat(str(as_of)).isoformat()
    except ValueError:
        raise ScenarioError(f"as_of: {as_of!r} is not an ISO date (YYYY-MM-DD)") from None
    rates = rates if isinstance(rates, Rates) else Rates.load(rates)
    if not rates.known(currency):
        raise RatesError(f"{rates.path}: no rates for report currency {currency}")
    scen = scenarios if isinstance(scenarios, list) and all(isinstance(s, Scenario) for s in scenarios) \
        else load_scenarios(scenarios)
    check = check or _default_check()
    # a ledger that cannot be read at all fails now, before the lists are loaded
    for _ in read_ledger(ledger, columns, sheet=sheet, default_currency=currency):
        break
    roles = ledger_roles(ledger, columns, sheet=sheet)

    # -- the lists: baseline screener and, for scenarios, the parties to edit ----------------
    if screener is None and screener_factory is None and store is None:
        from earcheck.store import Store

        store = Store()
    if screener_factory is None:
        from earcheck.screening import Screener

        screener_factory = Screener.from_parties
    if screener is None:
        if store is not None:
            from earcheck.screening import Screener

            screener = Screener.from_store(store)
        else:
            screener = screener_factory(list(parties or []))
    # owners for the 50 % rule: from files named in scenarios, and from the ledger's column
    needs_owners = any("fifty_percent_rule" in ch for s in scen for ch in s.world)
    ledger_owners: dict[str, list[tuple[str, float]]] = {}
    customer_names: dict[str, str] = {}
    if needs_owners and "owners" in roles:
        for item in read_ledger(ledger, columns, sheet=sheet, default_currency=currency):
            if isinstance(item, Line):
                k = norm(item.customer)
                customer_names.setdefault(k, item.customer)
                if item.owners and k not in ledger_owners:
                    ledger_owners[k] = list(item.owners)

    worlds: dict[str, Determiner] = {}
    shared: dict = {}
    base_det = worlds[""] = Determiner(screener, check, store, exact_dates=exact_dates, shared=shared)

    def world(changes: list[dict]) -> Determiner:
        """The determiner for the lists after ``changes`` (base screener + overlay)."""
        key = json.dumps(changes, sort_keys=True) if changes else ""
        if key in worlds:
            return worlds[key]
        added = apply_list_changes([], changes)
        removed = removal_predicate(changes)
        scr = OverlayScreener(screener, removed, screener_factory(added) if added else None)
        for ch in changes:
            if "fifty_percent_rule" in ch:
                owners = dict(ledger_owners)
                names = dict(customer_names)
                if ch["fifty_percent_rule"].get("owners"):
                    owners.update(read_owners(ch["fifty_percent_rule"]["owners"], names))
                pre = CachingScreener(scr)
                aff = affiliate_parties(owners, names,
                                        lambda name: pre.screen_all(name))
                if aff:
                    added = added + aff
                    scr = OverlayScreener(screener, removed, screener_factory(added))
        worlds[key] = Determiner(scr, check, store, exact_dates=exact_dates, shared=shared)
        return worlds[key]

    scen_dets = [(s, world(s.world), world(s.against)) for s in scen]

    # -- the pass ------------------------------------------------------------------------------
    det_ids: dict[Determination, int] = {}
    dets: list[Determination] = []

    def did(d: Determination) -> int:
        i = det_ids.get(d)
        if i is None:
            i = det_ids[d] = len(dets)
            dets.append(d)
        return i

    agg: dict[tuple, list] = {}
    errors: list[dict] = []
    error_counts: dict[str, int] = defaultdict(int)
    unconverted: dict[str, float] = defaultdict(float)
    factors: dict[tuple[str, str], float | None] = {}
    quarters: dict[str, str] = {}
    changed_heap: list[tuple] = []
    nlines = 0
    world_list = list(worlds.values())
    combo_breaks: dict[tuple, list[str]] = {}
    line_cache: dict[tuple, tuple] = {}
    in_period: dict[str, tuple] = {}

    def add_error(e: dict) -> None:
        error_counts[e["kind"]] += 1
        if len(errors) < MAX_ERRORS:
            errors.append(e)

    for item in read_ledger(ledger, columns, sheet=sheet, default_currency=currency):
        if isinstance(item, LineError):
            add_error(item.to_dict())
            continue
        line: Line = item
        year = line.date[:4]
        fk = (line.currency, year)
        f = factors.get(fk, -1.0)
        if f == -1.0:
            f = factors[fk] = rates.factor(line.currency, int(year), currency)
        if f is None:
            unconverted[line.currency] += line.value
            add_error({"line": line.lineno, "kind": "unknown_currency",
                       "message": f"no exchange rate for currency {line.currency!r}; line not totalled",
                       "customer": line.customer, "value": line.value, "currency": line.currency})
            continue
        v = line.value * f
        q = quarters.get(line.date)
        if q is None:
            q = quarters[line.date] = quarter(line.date)
        # one look-up per line: all determinations are constant between the union of every
        # world's change dates for this customer (see engine.Determiner)
        bk = (line.customer, line.country, line.owners)
        br = combo_breaks.get(bk)
        if br is None:
            br = combo_breaks[bk] = sorted(set().union(*(w.breakpoints(*bk) for w in world_list)))
        ck = (line.customer, line.country, line.classification, line.from_country, line.made_in,
              line.owners, line.date if exact_dates else bisect_right(br, line.date))
        ids = line_cache.get(ck)
        if ids is None:
            args = (line.customer, line.country, line.classification, line.from_country,
                    line.owners, line.made_in)
            n_errs = [len(w.errors) for w in world_list]
            ids = line_cache[ck] = (
                did(base_det.determine(line.date, *args)),
                did(base_det.determine(as_of, *args)),
                tuple((did(w.determine(line.date, *args)), did(r.determine(line.date, *args)))
                      for _, w, r in scen_dets))
            for w, n in zip(world_list, n_errs):
                for e in w.errors[n:]:  # a determination error: the first line that met it
                    e.setdefault("line", line.lineno)
        d0, d1, wr = ids
        inp = in_period.get(line.date)
        if inp is None:
            inp = in_period[line.date] = tuple(s.in_period(line.date) for s in scen)
        key = (line.customer, line.country, q, d0, d1, wr, inp)
        a = agg.get(key)
        if a is None:
            agg[key] = [v, 1]
        else:
            a[0] += v
            a[1] += 1
        nlines += 1
        if d0 != d1 and top_changed and dets[d0].status != dets[d1].status:
            rec = (abs(v), -line.lineno, line.lineno, line.date, line.customer, line.country,
                   line.classification, v, d0, d1)
            if len(changed_heap) < top_changed:
                heapq.heappush(changed_heap, rec)
            else:
                heapq.heappushpop(changed_heap, rec)

    for w in worlds.values():
        for e in w.errors:
            add_error(dict(e, line=e.get("line")))

    return _build(
        ledger=str(ledger), currency=currency, as_of=as_of, nlines=nlines, agg=agg, dets=dets,
        scen_dets=scen_dets, changed_heap=changed_heap, rates=rates, errors=errors,
        error_counts=dict(error_counts), unconverted=dict(unconverted), store=store,
        stats={"distinct_customers": len({k[0] for k in agg}),
               "determinations": sum(w.calls for w in worlds.values()),
               "screenings": sum(w.screener.calls for w in worlds.values()),
               "worlds": len(worlds)},
    )


def _zero() -> dict[str, float]:
    return {d: 0.0 for d in DECISIONS}


def _build(*, ledger, currency, as_of, nlines, agg, dets, scen_dets, changed_heap, rates, errors,
           error_counts, unconverted, store, stats) -> ExposureReport:
    total = 0.0
    by_decision = _zero()
    by_list: dict[str, float] = defaultdict(float)
    by_rule: dict[str, float] = defaultdict(float)
    by_policy: dict[str, float] = defaultdict(float)
    by_customer: dict[str, dict] = {}
    by_quarter: dict[str, dict[str, float]] = defaultdict(_zero)
    by_year: dict[str, dict[str, float]] = defaultdict(_zero)
    by_dest: dict[str, dict[str, float]] = defaultdict(_zero)
    by_question: dict[str, dict[str, float]] = defaultdict(_zero)
    transitions: dict[str, float] = defaultdict(float)
    changed_value, changed_lines = 0.0, 0
    by_cause = {"lists": {"lines": 0, "value": 0.0}, "rules": {"lines": 0, "value": 0.0}}
    sc = [dict(by=_zero(), ref=_zero(), newly=0.0, no_longer=0.0, cust=defaultdict(float),
               q=defaultdict(float), y=defaultdict(float), lines=0,
               period=dict(scenario_license_required=0.0, reference_license_required=0.0,
                           newly_license_required=0.0, total=0.0))
          for _ in scen_dets]

    for (cust, ctry, q, d0, d1, wr, inp_flags), (v, n) in agg.items():
        det = dets[d0]
        dec = det.decision
        total += v
        by_decision[dec] += v
        for code in det.lists:
            by_list[code] += v
        for rule in det.rules:
            by_rule[rule] += v
        if det.policy:
            by_policy[det.policy] += v
        c = by_customer.get(cust)
        if c is None:
            c = by_customer[cust] = {"total": 0.0, "country": ctry, **_zero(), "lists": set(),
                                     "listed_as": set(), "rules": set()}
        c["total"] += v
        c[dec] += v
        c["lists"].update(det.lists)
        c["listed_as"].update(det.listed_as)
        c["rules"].update(det.rules)
        by_quarter[q][dec] += v
        by_year[q[:4]][dec] += v
        by_dest[ctry][dec] += v
        for kind in det.questions:
            by_question[kind][dec] += v
        if det.error:
            by_question["error"][dec] += v
        if d0 != d1 and det.status != dets[d1].status:
            a, b = dets[d0].decision, dets[d1].decision
            changed_lines += n
            changed_value += v
            cause = "lists" if dets[d0].listed_as != dets[d1].listed_as else "rules"
            by_cause[cause]["lines"] += n
            by_cause[cause]["value"] += v
            why = "list update" if cause == "lists" else "rule change"
            transitions[f"{a} -> {b} ({why})" if a != b
                        else f"{a}, unchanged, other requirements ({why})"] += v
        for i, ((ws, rs), inp) in enumerate(zip(wr, inp_flags)):
            s, r = dets[ws].decision, dets[rs].decision
            acc = sc[i]
            acc["by"][s] += v
            acc["ref"][r] += v
            new = s in RESTRICTED and r not in RESTRICTED
            if new:
                acc["newly"] += v
                acc["lines"] += n
                acc["cust"][cust] += v
                acc["q"][q] += v
                acc["y"][q[:4]] += v
            elif r in RESTRICTED and s not in RESTRICTED:
                acc["no_longer"] += v
            if inp:
                p = acc["period"]
                p["total"] += v
                if s in RESTRICTED:
                    p["scenario_license_required"] += v
                if r in RESTRICTED:
                    p["reference_license_required"] += v
                if new:
                    p["newly_license_required"] += v

    for c in by_customer.values():
        for k in ("lists", "listed_as", "rules"):
            c[k] = sorted(c[k])
        for d in DECISIONS:
            if not c[d]:
                del c[d]
    by_customer = dict(sorted(by_customer.items(), key=lambda t: -t[1]["total"]))
    top = sorted(changed_heap, reverse=True)
    changed = {
        "lines": changed_lines,
        "value": _r(changed_value),
        "as_of": as_of,
        "by_cause": {k: {"lines": c["lines"], "value": _r(c["value"])} for k, c in by_cause.items()},
        "transitions": {k: _r(v) for k, v in sorted(transitions.items(), key=lambda t: -t[1])},
        "top": [{"line": r[2], "date": r[3], "customer": r[4], "country": r[5],
                 "classification": r[6], "value": _r(r[7]),
                 "decision_on_date": dets[r[8]].decision, "decision_as_of": dets[r[9]].decision,
                 "cause": "lists" if dets[r[8]].listed_as != dets[r[9]].listed_as else "rules",
                 "lists_on_date": list(dets[r[8]].lists), "lists_as_of": list(dets[r[9]].lists),
                 "listed_as_of": list(dets[r[9]].listed_as)} for r in top],
    }
    scenario_results = [
        ScenarioResult(s, not s.against, acc["by"], acc["ref"], acc["newly"], acc["no_longer"],
                       dict(acc["cust"]), dict(acc["q"]), dict(acc["y"]), acc["period"], acc["lines"])
        for (s, _, _), acc in zip(scen_dets, sc)
    ]
    lists = []
    if store is not None and hasattr(store, "current_snapshots"):
        try:
            lists = [{"dataset": s.dataset, "published": s.published, "source": s.source,
                      "checksum": s.checksum[:12], "parties": s.total, "loaded_at": s.loaded_at}
                     for s in store.current_snapshots()]
        except Exception:  # pragma: no cover - a store without snapshots
            lists = []
    return ExposureReport(
        ledger=ledger, currency=currency, as_of=as_of, lines=nlines, total=total,
        by_decision=by_decision,
        by_list=dict(sorted(by_list.items(), key=lambda t: -t[1])),
        by_rule=dict(sorted(by_rule.items(), key=lambda t: -t[1])),
        by_policy={k: by_policy[k] for k in reversed(POLICIES) if k in by_policy},
        by_customer=by_customer,
        by_quarter=dict(sorted(by_quarter.items())),
        by_year=dict(sorted(by_year.items())),
        by_destination=dict(sorted(by_dest.items(), key=lambda t: -sum(t[1].values()))),
        by_question=dict(sorted(by_question.items(), key=lambda t: -sum(t[1].values()))),
        changed=changed, scenarios=scenario_results, rates=rates.report(currency),
        errors=errors, error_counts=error_counts, unconverted=unconverted, lists=lists, stats=stats,
    )


__all__ = ["ExposureReport", "ScenarioResult", "exposure_report", "RatesError", "ScenarioError"]
