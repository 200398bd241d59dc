"""``earcheck license check``: EAR licence determination as of a date (thin layer over
:func:`earcheck.rules.check_license`).

    earcheck license check TX.json [--json]
    earcheck license check --item 3B001.c --to CN --party "SMIC" --date 2021-03-01

Bad JSON or missing fields give one line ``error: <file>: <problem>`` and exit 2. Readable
text by default (decision, each requirement with its citation and policy, open questions);
``--json`` prints the output object of issue 4.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List, Optional

import typer

license_app = typer.Typer(help="EAR licence determination as of a date, with citations.",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach the ``license`` sub-app."""
    app.add_typer(license_app, name="license")


def _fail(msg: str) -> None:
    typer.echo(f"error: {' '.join(str(msg).split())}", err=True)
    raise typer.Exit(2)


def _answers(pairs: list[str]) -> dict[str, bool]:
    out = {}
    for p in pairs:
        k, sep, v = p.partition("=")
        if not sep or v.strip().lower() not in ("yes", "no", "true", "false"):
            _fail(f"--answer: expected ID=yes|no, got {p!r}")
        out[k.strip()] = v.strip().lower() in ("yes", "true")
    return out


def build_transaction(tx_file: Optional[Path], *, item, to, parties, date, from_, made_in,
                      us_content, end_uses, answers) -> dict:
    """The transaction dict from a JSON file, overridden by any flags given."""
    tx: dict = {}
    if tx_file is not None:
        try:
            tx = json.loads(tx_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            _fail(f"{tx_file}: file not found")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            _fail(f"{tx_file}: not valid JSON ({e})")
        if not isinstance(tx, dict):
            _fail(f"{tx_file}: the transaction must be a JSON object")
    if date:
        tx["date"] = date
    if to:
        tx["destination"] = to
    if from_:
        tx["from_country"] = from_
    it = tx.setdefault("item", {}) if (item or made_in or us_content is not None) else tx.get("item")
    if item:
        it["classification"] = item
    if made_in:
        it["made_in"] = made_in
    if us_content is not None:
        it["us_controlled_content_pct"] = us_content
    if parties:
        tx["parties"] = tx.get("parties", []) + [
            {"role": "end_user", "name": n, **({"country": to} if to else {})} for n in parties]
    if end_uses:
        tx["end_uses"] = tx.get("end_uses", []) + end_uses
    if answers:
        tx["answers"] = {**tx.get("answers", {}), **answers}
    if "date" not in tx:
        tx["date"] = __import__("datetime").date.today().isoformat()
    return tx


@license_app.command("check")
def check(
    tx_file: Optional[Path] = typer.Argument(None, metavar="[TX.json]", help="Transaction JSON (issue 4 input)."),
    item: Optional[str] = typer.Option(None, "--item", help="ECCN (e.g. 3B001.c) or EAR99."),
    to: Optional[str] = typer.Option(None, "--to", help="Destination: ISO-2 or ISO-3 code, or country name."),
    party: List[str] = typer.Option([], "--party", help="Party name (repeatable; role end_user)."),
    date: Optional[str] = typer.Option(None, "--date", help="Date of the export (YYYY-MM-DD); default today."),
    from_: Optional[str] = typer.Option(None, "--from", help="Country it ships from (code or name; default US)."),
    made_in: Optional[str] = typer.Option(None, "--made-in", help="Country of production (code or name)."),
    us_content: Optional[float] = typer.Option(None, "--us-content", help="Controlled U.S. content, percent."),
    end_use: List[str] = typer.Option([], "--end-use", help="Declared end use (repeatable), e.g. advanced_node_ic."),
    answer: List[str] = typer.Option([], "--answer", help="Answer an open question: ID=yes|no (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON output of issue 4."),
) -> None:
    """Decide whether a BIS licence is needed, why, and under which review policy."""
    from earcheck.rules import NoListsLoaded, TransactionError, check_license

    if tx_file is None and not (item or to or party):
        _fail("give a transaction file TX.json or at least --item and --to (and --party)")
    if tx_file is None and not item:
        _fail("--item: required (an ECCN such as 3B001.c, or EAR99); earcheck never assumes EAR99")
    tx = build_transaction(tx_file, item=item, to=to, parties=party, date=date, from_=from_,
                           made_in=made_in, us_content=us_content, end_uses=end_use,
                           answers=_answers(answer))
    where = f"{tx_file}: " if tx_file else ""
    try:
        res = check_license(tx)
    except TransactionError as e:
        _fail(f"{where}{e}")
    except NoListsLoaded as e:
        _fail(str(e))
    except Exception as e:  # noqa: BLE001 - never a traceback
        if os.environ.get("EARCHECK_DEBUG"):
            raise
        _fail(f"{where}{type(e).__name__}: {e}")
    if as_json:
        typer.echo(json.dumps(res, indent=2, ensure_ascii=False, default=str))
    else:
        from earcheck.rules.render import render_text

        typer.echo(render_text(res))
