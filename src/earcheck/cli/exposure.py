"""``earcheck exposure LEDGER``: revenue exposure of a sales ledger (thin layer over
:func:`earcheck.exposure.exposure_report`).

Bad input gives one line ``error: <file>: <problem>`` on stderr and exit code 2.

``--json`` keys (stable): ``ledger, currency, as_of, lines, total, by_decision`` (every decision
of issue 4: ``not_subject_to_ear, no_license_required, authorized, indeterminate,
license_required, prohibited``), ``by_list, by_rule, by_policy`` (value per list code, CFR
section, review-policy bucket; a line counts under each that applies; an entry with neither a
start date nor a Federal Register cite counts as ``"<code> (start date unknown)"``, an entry
whose FR cite is later than the line's date not at all), ``by_customer`` (total,
country, per-decision values, lists, listed_as, rules), ``by_quarter, by_year, by_destination,
by_open_question`` (per-decision values; the last by kind of open question of the rules), ``changed_status`` (lines, value, transitions, top), ``scenarios``
(per scenario: title, changes, against, period, by_decision, reference_by_decision,
license_required_total, reference_license_required_total, newly_license_required,
no_longer_license_required, net_change, in_period, by_customer, by_quarter, by_year),
``rates`` (basis, source, used, fallbacks), ``errors``, ``error_counts``, ``unconverted``,
``lists``, ``stats``. Values are in ``currency``, rounded to cents.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List, Optional

import typer


def _fail(msg: str) -> None:
    typer.echo("error: " + " ".join(str(msg).split()), err=True)
    raise typer.Exit(2)


def _columns(specs: list[str]) -> dict[str, str]:
    out = {}
    for s in specs:
        if "=" not in s:
            _fail(f"--column {s!r}: expected ROLE=HEADER, e.g. date=OrderDate")
        k, v = s.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def register(app: typer.Typer) -> None:
    """Attach ``exposure``."""

    @app.command()
    def exposure(
        ledger: Path = typer.Argument(..., help="Sales ledger or open orders: CSV or .xlsx (country: ISO-2/ISO-3 code or name)."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="Compare each line's status with this date (default today)."),
        scenarios: Optional[Path] = typer.Option(None, "--scenarios", help="What-if scenarios (YAML or JSON)."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the HTML report here."),
        as_json: bool = typer.Option(False, "--json", help="Print the totals as JSON."),
        csv_dir: Optional[Path] = typer.Option(None, "--csv-dir", help="Write CSV exports into this directory."),
        png_dir: Optional[Path] = typer.Option(None, "--png-dir", help="Write PNG charts into this directory."),
        column: List[str] = typer.Option([], "--column", help="Map a column role to a header: date=OrderDate (repeatable)."),
        currency: str = typer.Option("USD", "--currency", help="Report currency."),
        sheet: Optional[str] = typer.Option(None, "--sheet", help="Excel sheet name (default: the first)."),
        rates: Optional[Path] = typer.Option(None, "--rates", help="Exchange-rate table CSV (year,currency,rate,quote)."),
        db: Optional[Path] = typer.Option(None, "--db", help="Store path (default: $EARCHECK_DB or the data directory)."),
    ) -> None:
        """Screen every customer of a ledger and total revenue by licence decision, list, rule,
        review policy, customer and quarter; compare with --as-of and with what-if scenarios."""
        from earcheck.exposure import LedgerError, RatesError, ScenarioError, exposure_report

        cols = _columns(column)
        try:
            from earcheck.store import Store

            store = Store(db) if db else Store()
            if not store.current_snapshots():
                _fail(f"{store.path}: no lists loaded; run `earcheck lists load FILE` (or `earcheck demo`) first")
        except typer.Exit:
            raise
        except Exception as e:  # a broken store is one line, not a traceback
            if os.environ.get("EARCHECK_DEBUG"):
                raise
            _fail(f"store: {type(e).__name__}: {e}")
        try:
            rep = exposure_report(ledger, as_of=as_of, scenarios=scenarios, store=store, columns=cols,
                                  currency=currency, rates=rates, sheet=sheet)
        except (LedgerError, ScenarioError, RatesError) as e:
            _fail(str(e))
        except Exception as e:
            if os.environ.get("EARCHECK_DEBUG"):
                raise
            _fail(f"{ledger}: {type(e).__name__}: {e}")
        written = []
        try:
            if output:
                written.append(str(rep.to_html(output)))
            if csv_dir:
                written += [str(p) for p in rep.to_csv(csv_dir)]
            if png_dir:
                written += [str(p) for p in rep.to_png(png_dir)]
        except OSError as e:
            _fail(f"{e.filename or 'output'}: cannot write ({e.strerror or e})")
        if as_json:
            typer.echo(json.dumps(rep.to_json(), indent=2, ensure_ascii=False))
            return
        _print_summary(rep, written)


def _print_summary(rep, written: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    from earcheck.exposure.charts import LABELS

    con = Console()
    cur = rep.currency
    con.print(f"[bold]{rep.ledger}[/]: {rep.lines} lines, total {rep.total:,.0f} {cur}; "
              f"needs a licence or prohibited: [bold red]{rep.license_required:,.0f} {cur}[/]")
    t = Table(title="Revenue by licence decision")
    t.add_column("decision")
    t.add_column(cur, justify="right")
    for d, v in rep.by_decision.items():
        if v:
            t.add_row(LABELS[d], f"{v:,.0f}")
    con.print(t)
    if rep.by_customer:
        t = Table(title="Top customers needing a licence")
        for c in ("customer", "country", "licence required", "prohibited", "lists"):
            t.add_column(c)
        top = sorted(rep.by_customer.items(),
                     key=lambda kv: -(kv[1].get("license_required", 0) + kv[1].get("prohibited", 0)))
        for name, c in top[:10]:
            if c.get("license_required") or c.get("prohibited"):
                t.add_row(name, c["country"], f"{c.get('license_required', 0):,.0f}",
                          f"{c.get('prohibited', 0):,.0f}", ", ".join(c["lists"]))
        con.print(t)
    ch = rep.changed
    con.print(f"Status changed as of {rep.as_of}: {ch['lines']} lines, {ch['value']:,.0f} {cur}")
    for s in rep.scenarios:
        j = s.to_json()
        extra = ""
        if j["period"]["from"] or j["period"]["to"]:
            extra = (f"; in {j['period']['from'] or '...'}..{j['period']['to'] or '...'}: "
                     f"{j['in_period']['newly_license_required']:,.0f} {cur}")
        con.print(f"What-if [bold]{s.scenario.name}[/] ({s.scenario.title}): newly needing a licence "
                  f"{s.newly:,.0f} {cur}{extra}; no longer {s.no_longer:,.0f} {cur}")
    if rep.error_counts:
        con.print(f"[yellow]Lines not counted[/]: {rep.error_counts}"
                  + (f"; unconverted {dict(rep.unconverted)}" if rep.unconverted else ""))
    for p in written:
        con.print(f"wrote {p}")
