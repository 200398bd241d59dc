"""``earcheck screen`` and ``earcheck compare``: a thin layer over :mod:`earcheck.screening`.

* ``earcheck screen "NAME" [--country CC] [--json] [--as-of DATE] [--list EL ...]``
* ``earcheck screen --input FILE --name-column COL [--country-column COL] [--output OUT.jsonl]``
  screens a CSV or Excel file of any size, streaming one JSON line per row
  (``{"row", "name", "decision", "hits": [...]}``, hits best first); a bad row is reported on
  its own line and the batch goes on.
* ``earcheck compare "A" "B" [--json]`` compares one pair and explains the score.

Errors: one line ``error: <file>: <problem>`` on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional

import typer

NO_LISTS = "no lists loaded: run `earcheck lists load ...`"


class InputError(ValueError):
    """A batch input that cannot be read: one line message."""


def _one_line(msg: str) -> str:
    return " ".join(str(msg).split())


def _fail(msg: str) -> None:
    typer.echo(f"error: {_one_line(msg)}", err=True)
    raise typer.Exit(2)


# --------------------------------------------------------------------------- batch readers


def _excel_rows(path: Path) -> tuple[list[str], Iterator[list[Any]]]:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
    except Exception as e:  # noqa: BLE001 - any failure: unreadable workbook
        raise InputError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {_one_line(e)})") from None
    if header is None:
        raise InputError(f"{path}: the workbook's first sheet is empty")
    cols = ["" if h is None else str(h).strip() for h in header]

    def gen() -> Iterator[list[Any]]:
        try:
            for r in rows:
                yield list(r)
        finally:
            wb.close()

    return cols, gen()


def _csv_rows(path: Path) -> tuple[list[str], Iterator[list[Any]]]:
    try:
        f = open(path, newline="", encoding="utf-8-sig", errors="replace")
    except OSError as e:
        raise InputError(f"{path}: {e.strerror or e}") from None
    try:
        sample = f.read(65536)
        f.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        csv.field_size_limit(1 << 24)
        reader = csv.reader(f, dialect)
        header = next(reader, None)
    except Exception as e:  # noqa: BLE001
        f.close()
        raise InputError(f"{path}: not a readable CSV file ({_one_line(e)})") from None
    if header is None:
        f.close()
        raise InputError(f"{path}: the file is empty")

    def gen() -> Iterator[list[Any]]:
        try:
            yield from reader
        finally:
            f.close()

    return [h.strip() for h in header], gen()


def read_rows(path: Path, name_column: str, country_column: str | None) -> Iterator[tuple[Any, Any]]:
    """(name, country) per data row of a CSV or Excel file; raises InputError on bad files/columns."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    cols, rows = _excel_rows(path) if suffix in (".xlsx", ".xlsm") else _csv_rows(path)

    def col(name: str) -> int:
        for i, c in enumerate(cols):
            if c == name:
                return i
        for i, c in enumerate(cols):
            if c.casefold() == name.casefold():
                return i
        shown = ", ".join(repr(c) for c in cols[:20])
        raise InputError(f"{path}: no column {name!r} (columns: {shown})")

    ni = col(name_column)
    ci = col(country_column) if country_column else None

    def gen() -> Iterator[tuple[Any, Any]]:
        for r in rows:
            name = r[ni] if ni < len(r) else None
            country = r[ci] if ci is not None and ci < len(r) else None
            yield name, (str(country).strip() or None) if country is not None else None

    return gen()


# --------------------------------------------------------------------------- output


def _print_result(res, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(res.to_dict(), ensure_ascii=False))
        return
    head = f"{res.decision.upper()}: {res.name!r}"
    if res.country:
        head += f" ({res.country})"
    if res.reason:
        head += f" [{res.reason}]"
    typer.echo(head)
    if not res.hits:
        typer.echo("  no listed party scored at or above the review threshold")
    for h in res.hits:
        typer.echo(f"  {h.score:.2f} {h.decision:6s} {h.list_code:5s} {h.id}  {h.name}")
        if h.matched_name != h.name:
            typer.echo(f"       matched: {h.matched_name}")
        typer.echo(f"       why: {h.explanation}")
        if h.party.license_requirement:
            typer.echo(f"       licence requirement: {_one_line(h.party.license_requirement)}")
        if h.party.license_policy:
            typer.echo(f"       review policy: {_one_line(h.party.license_policy)}")


def _batch(screener, path: Path, name_column: str, country_column: str | None, output: Path | None,
           workers: int, kwargs: dict) -> None:
    try:
        rows = read_rows(path, name_column, country_column)
        first = next(rows, None)
    except InputError as e:
        _fail(str(e))
        return
    if first is None:
        typer.echo(f"warning: {path}: no data rows", err=True)

    def all_rows() -> Iterator[tuple[Any, Any]]:
        if first is not None:
            yield first
        yield from rows

    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    progress = None
    try:
        if sys.stderr.isatty():
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            progress = Progress(SpinnerColumn(), TextColumn("{task.completed} rows screened"),
                                TimeElapsedColumn(), transient=True)
            progress.start()
            task = progress.add_task("screen", total=None)
        counts = {"match": 0, "review": 0, "clear": 0}
        for i, res in enumerate(screener.screen_many(all_rows(), workers=workers, **kwargs)):
            out.write(json.dumps(res.to_dict(row=i), ensure_ascii=False) + "\n")
            counts[res.decision] += 1
            if progress is not None and i % 200 == 0:
                progress.update(task, completed=i + 1)
        out.flush()
    except InputError as e:
        _fail(str(e))
    finally:
        if progress is not None:
            progress.stop()
        if output:
            out.close()
    total = sum(counts.values())
    typer.echo(f"{total} rows: {counts['match']} match, {counts['review']} review, {counts['clear']} clear"
               + (f" -> {output}" if output else ""), err=True)


# --------------------------------------------------------------------------- commands


def register(app: typer.Typer) -> None:
    """Attach ``screen`` and ``compare``."""

    @app.command()
    def screen(
        name: Optional[str] = typer.Argument(None, help="Name to screen (omit with --input)."),
        country: Optional[str] = typer.Option(None, "--country", help="Country of the party: ISO-2, ISO-3 or name."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="Only entries in force on this ISO date."),
        lists: Optional[List[str]] = typer.Option(None, "--list", help="Restrict to list codes (EL, SDN, ...)."),
        limit: int = typer.Option(10, "--limit", help="Most hits per name."),
        input: Optional[Path] = typer.Option(None, "--input", help="CSV or Excel (.xlsx) file to screen."),
        name_column: Optional[str] = typer.Option(None, "--name-column", help="Column holding the names."),
        country_column: Optional[str] = typer.Option(None, "--country-column", help="Column holding ISO-2 countries."),
        output: Optional[Path] = typer.Option(None, "--output", help="Write JSON lines here (default stdout)."),
        workers: int = typer.Option(0, "--workers", help="Worker processes for --input (0: one per CPU)."),
    ) -> None:
        """Screen one name, or a CSV/Excel file of names, against the loaded lists."""
        if input is None and name is None:
            _fail("give a NAME to screen, or --input FILE --name-column COL")
        if input is not None and not name_column:
            _fail(f"{input}: --name-column is required with --input")
        if as_of is not None:
            from datetime import date

            try:
                date.fromisoformat(as_of)
            except ValueError:
                _fail(f"--as-of: not an ISO date (YYYY-MM-DD): {as_of!r}")
        if country is not None:
            from earcheck.lists.countries import iso2

            if iso2(country) is None:
                _fail(f"--country: {country!r} is not a known country (ISO-2 or ISO-3 code, or name)")
        from earcheck.screening import Screener
        from earcheck.store import Store

        try:
            store = Store()
            if not store.current_snapshots():
                _fail(NO_LISTS)
            screener = Screener.from_store(store)
        except typer.Exit:
            raise
        except Exception as e:  # noqa: BLE001 - never a traceback
            if os.environ.get("EARCHECK_DEBUG"):
                raise
            _fail(f"store: {type(e).__name__}: {e}")
            return
        kwargs = {"as_of": as_of, "lists": lists or None, "limit": limit}
        if input is not None:
            _batch(screener, input, name_column or "", country_column, output, workers or (os.cpu_count() or 1), kwargs)
            return
        res = screener.screen(name, country=country, **kwargs)
        _print_result(res, as_json)

    @app.command()
    def compare(
        a: str = typer.Argument(..., help="First name."),
        b: str = typer.Argument(..., help="Second name."),
        country_a: Optional[str] = typer.Option(None, "--country-a", help="ISO-2 country of the first."),
        country_b: Optional[str] = typer.Option(None, "--country-b", help="ISO-2 country of the second."),
        person: bool = typer.Option(False, "--person", help="Both names are people."),
        as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
    ) -> None:
        """Compare two names and explain the score."""
        from earcheck.screening import compare as compare_names
        from earcheck.screening.screener import check_name

        for label, value in (("A", a), ("B", b)):
            _, reason, ok = check_name(value)
            if not ok:
                _fail(f"name {label}: {reason}")
        c = compare_names(a, b, country_a, country_b, person=person or None)
        if as_json:
            typer.echo(json.dumps(c.to_dict(), ensure_ascii=False))
        else:
            typer.echo(f"{c.score:.2f} {c.decision}: {a!r} vs {b!r}")
            typer.echo(f"  why: {c.explanation}")
