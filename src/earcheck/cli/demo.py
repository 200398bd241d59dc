"""``earcheck demo``: load the shipped sample list and show each layer at work.

Runs offline on a fresh machine: it uses only the sample list and demo ledger shipped in the
package. Imports are inside the command so a broken layer cannot break the rest of the CLI.
"""
from __future__ import annotations

import typer

DEMO_NAMES = [
    ("SMIC", "CN"),
    ("中芯国际集成电路制造有限公司", None),
    ("Huawei Technologies Co Ltd", "CN"),
    ("Beijing Huawei Longshine Information Technology", None),
    ("Acme Widgets Inc", "US"),
]

DEMO_TRANSACTION = {
    "date": "2021-03-01",
    "from_country": "US",
    "destination": "CN",
    "item": {"classification": "EAR99", "kind": "commodity", "made_in": "US"},
    "parties": [
        {
            "role": "end_user",
            "name": "Semiconductor Manufacturing International Corporation",
            "country": "CN",
        }
    ],
}


def register(app: typer.Typer) -> None:
    """Attach ``demo``."""

    @app.command()
    def demo() -> None:
        """Load the shipped sample list, then screen names and check one licence."""
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        from earcheck.lists import sample_path
        from earcheck.rules import check_license
        from earcheck.screening import Screener
        from earcheck.store import Store

        console = Console()
        store = Store()
        result = store.load(sample_path())
        snap = result.snapshot
        verb = "loaded" if result.created else "already loaded"
        console.print(f"[bold]Sample list {verb}[/] into {store.path}: snapshot {snap.id}, "
                      f"{snap.total} parties {dict(sorted(snap.counts.items()))}")

        screener = Screener.from_store(store)
        table = Table(title="Screening (embedded sample list)")
        for col in ("query", "decision", "best hit", "list", "score"):
            table.add_column(col)
        for name, country in DEMO_NAMES:
            res = screener.screen(name, country=country)
            best = res.hits[0] if res.hits else None
            table.add_row(name, res.decision, best.name if best else "-",
                          best.list_code if best else "-", f"{best.score:.2f}" if best else "-")
        console.print(table)

        det = check_license(DEMO_TRANSACTION, store=store, screener=screener)
        console.print("[bold]Licence check[/]: EAR99 item to SMIC on 2021-03-01 -> "
                      f"[bold]{det['decision']}[/]")
        for req in det.get("requirements", []):
            console.print(escape(f"  - {req['citation']}: {req['summary']} "
                                 f"(policy: {req.get('review_policy')})"))
        for q in det.get("open_questions", []):
            console.print(escape(f"  ? {q}"))
        console.print("\nNext: `earcheck lists load ../shared/data/csl/consolidated_2022-05.csv` "
                      "for the full list, `earcheck screen NAME`, `earcheck serve`.")
