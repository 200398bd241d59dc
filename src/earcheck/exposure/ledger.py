"""Read a sales ledger or open-order book, line by line, from CSV or Excel.

The ledger is streamed (``csv`` reader, or ``openpyxl`` in read-only mode), never loaded whole.
Column names are matched case-insensitively; the defaults are the canonical names below and any
of them can be renamed with ``columns={"date": "OrderDate", ...}``.

A file that cannot be read at all (missing, empty, not a workbook, a required column absent)
raises :class:`LedgerError` with a one-line message. A single bad line (bad date, non-numeric
value, ...) is yielded as a :class:`LineError` so the caller reports it and carries on.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

#: Canonical column names. Required ones must be present in the header.
REQUIRED = ("date", "customer", "country", "classification", "value")
OPTIONAL = ("currency", "from_country", "owners", "made_in")
COLUMNS = REQUIRED + OPTIONAL


class LedgerError(ValueError):
    """The ledger as a whole cannot be read. Message: ``<file>: <problem>``."""


@dataclass(slots=True)
class Line:
    """One parsed ledger line."""

    lineno: int  # 1-based row number in the file (header is row 1 for CSV)
    date: str  # ISO date
    customer: str
    country: str  # ISO-2 destination
    classification: str
    value: float
    currency: str
    from_country: str
    owners: tuple[tuple[str, float], ...]
    made_in: str


@dataclass(slots=True)
class LineError:
    """One line that could not be used, with what is known of it."""

    lineno: int
    kind: str  # bad_date | bad_value | missing_field | bad_country | unknown_currency | ...
    message: str
    customer: str | None = None
    value: Any = None
    currency: str | None = None

    def to_dict(self) -> dict:
        return {"line": self.lineno, "kind": self.kind, "message": self.message,
                "customer": self.customer, "value": self.value, "currency": self.currency}


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")
_OWNER = re.compile(r"^(.*?)[\s:=(]+(\d+(?:\.\d+)?)\s*%?\)?\s*$")


def parse_date(v: Any, fmt: str | None = None) -> str:
    """ISO date string from a cell: ``date``/``datetime`` objects, ISO text, ``YYYY/MM/DD``."""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v).strip() if v is not None else ""
    if not s:
        raise ValueError("empty date")
    if fmt:
        return dt.datetime.strptime(s, fmt).date().isoformat()
    m = _ISO.match(s) or _SLASH.match(s)
    if not m:
        raise ValueError(f"unrecognised date {s!r} (expected YYYY-MM-DD)")
    return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()


def parse_value(v: Any) -> float:
    """A number from a cell: accepts ``1,234.50``, ``(100)`` for negatives, spaces."""
    if isinstance(v, bool):
        raise ValueError(f"not a number: {v!r}")
    if isinstance(v, (int, float)):
        f = float(v)
    elif isinstance(v, str) and _PLAIN.match(v):
        return float(v)
    else:
        s = str(v).strip() if v is not None else ""
        if not s:
            raise ValueError("empty value")
        neg = s.startswith("(") and s.endswith(")")
        s = s.strip("()").replace(" ", "").replace("\u00a0", "").replace("_", "")
        if "," in s:  # thousands separators only; a decimal comma is ambiguous, so refused
            if not _THOUSANDS.match(s):
                raise ValueError(f"ambiguous number {v!r} (use 1234.50 or 1,234.50)")
            s = s.replace(",", "")
        f = float(s)  # ValueError with its own message if not numeric
        if neg:
            f = -f
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {v!r}")
    return f


def parse_owners(v: Any) -> tuple[tuple[str, float], ...]:
    """Owners cell: ``"Owner A:60; Owner B (40%)"`` -> ``(("Owner A", 60.0), ("Owner B", 40.0))``."""
    s = str(v).strip() if v is not None else ""
    if not s:
        return ()
    out = []
    for part in re.split(r"[;|]", s):
        part = part.strip()
        if not part:
            continue
        m = _OWNER.match(part)
        if not m or not m[1].strip():
            raise ValueError(f"owner {part!r} not in the form 'Name:percent'")
        out.append((m[1].strip(), float(m[2])))
    return tuple(out)


def _country(v: Any, what: str) -> str:
    """ISO-2 for an ISO-2 or ISO-3 code or a country name ("China", "Hong Kong", "KOR")."""
    from earcheck.lists.countries import iso2  # noqa: PLC0415

    code = iso2(str(v)) if v is not None else None
    if code is None:
        raise ValueError(f"{what} {v!r} is not a known country (ISO-2 or ISO-3 code, or name)")
    return code


def _rows(path: Path, sheet: str | None) -> Iterator[list[Any]]:
    """Raw rows of the file (header first)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, sheet)
        return
    if suffix == ".xls":
        raise LedgerError(f"{path}: old binary .xls is not supported; save it as .xlsx or CSV")
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except OSError as e:
        raise LedgerError(f"{path}: cannot open ledger ({e.strerror or e})") from None
    with f:
        try:
            head = f.read(65536)
        except UnicodeDecodeError:
            raise LedgerError(f"{path}: not a UTF-8 text CSV file") from None
        if not head.strip():
            raise LedgerError(f"{path}: empty ledger (no header row)")
        if head.startswith("PK\x03\x04"):
            raise LedgerError(f"{path}: looks like an Excel workbook; name it .xlsx")
        try:
            dialect = csv.Sniffer().sniff(head.split("\n", 1)[0], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        f.seek(0)
        try:
            yield from csv.reader(f, dialect)
        except UnicodeDecodeError as e:
            raise LedgerError(f"{path}: not UTF-8 text past byte {e.start}") from None
        except csv.Error as e:
            raise LedgerError(f"{path}: CSV error: {e}") from None


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise LedgerError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise LedgerError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    except Exception as e:  # openpyxl raises its own InvalidFileException and others
        raise LedgerError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    try:
        if sheet:
            if sheet not in wb.sheetnames:
                raise LedgerError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        try:
            for row in ws.iter_rows(values_only=True):
                yield list(row)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
            raise LedgerError(f"{path}: Excel sheet cannot be read ({type(e).__name__}: {e})") from None
    finally:
        wb.close()


def _header_map(path: Path, header: list[Any], columns: dict[str, str] | None) -> dict[str, int]:
    names = [str(h).strip().casefold() if h is not None else "" for h in header]
    wanted = {c: c for c in COLUMNS}
    for canon, actual in (columns or {}).items():
        if canon not in wanted:
            raise LedgerError(f"{path}: unknown column role {canon!r} (known: {', '.join(COLUMNS)})")
        wanted[canon] = actual
    idx: dict[str, int] = {}
    for canon, actual in wanted.items():
        key = actual.strip().casefold()
        if key in names:
            idx[canon] = names.index(key)
    missing = [f"{c!r}" + (f" (as {wanted[c]!r})" if wanted[c] != c else "") for c in REQUIRED if c not in idx]
    if missing:
        shown = ", ".join(str(h) for h in header if h is not None)
        raise LedgerError(f"{path}: missing column {', '.join(missing)}; header has: {shown}")
    return idx


def ledger_roles(path: str | Path, columns: dict[str, str] | None = None, *,
                 sheet: str | None = None) -> set[str]:
    """The column roles present in the ledger's header (raises :class:`LedgerError`)."""
    path = Path(path)
    rows = _rows(path, sheet)
    try:
        for row in rows:
            if any(c not in (None, "") for c in row):
                return set(_header_map(path, row, columns))
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()
    raise LedgerError(f"{path}: empty ledger (no header row)")


def read_ledger(path: str | Path, columns: dict[str, str] | None = None, *, sheet: str | None = None,
                default_currency: str = "USD", date_format: str | None = None,
                ) -> Iterator[Line | LineError]:
    """Stream the ledger: yields a :class:`Line` or a :class:`LineError` per data row.

    Raises :class:`LedgerError` before the first line for a file that cannot be read at all.
    Blank rows are skipped silently. Without a ``currency`` column every value is taken to be
    in ``default_currency``.
    """
    path = Path(path)
    if not path.exists():
        raise LedgerError(f"{path}: no such file")
    if path.is_dir():
        raise LedgerError(f"{path}: is a directory, not a ledger file")
    rows = _rows(path, sheet)
    header = None
    lineno = 0
    for row in rows:
        lineno += 1
        if any(c not in (None, "") for c in row):
            header = row
            break
    if header is None:
        raise LedgerError(f"{path}: empty ledger (no header row)")
    idx = _header_map(path, header, columns)
    i_date, i_cust, i_ctry = idx["date"], idx["customer"], idx["country"]
    i_cls, i_val = idx["classification"], idx["value"]
    i_cur, i_from = idx.get("currency"), idx.get("from_country")
    i_own, i_made = idx.get("owners"), idx.get("made_in")
    width = max(idx.values()) + 1
    date_cache: dict[Any, str] = {}
    for row in rows:
        lineno += 1
        if len(row) < width:
            if not any(c not in (None, "") for c in row):
                continue
            row = list(row) + [None] * (width - len(row))
        cust = row[i_cust]
        cust = str(cust).strip() if cust is not None else ""
        raw_val = row[i_val]
        cur = default_currency
        if i_cur is not None:
            c = row[i_cur]
            cur = str(c).strip().upper() if c not in (None, "") else ""
        try:
            if not cust:
                if not any(c not in (None, "") for c in row):
                    continue
                raise _Bad("missing_field", "empty customer")
            d = row[i_date]
            date = date_cache.get(d) if isinstance(d, str) else None
            if date is None:
                try:
                    date = parse_date(d, date_format)
                except ValueError as e:
                    raise _Bad("bad_date", f"bad date {d!r}: {e}") from None
                if isinstance(d, str) and len(date_cache) < 100_000:
                    date_cache[d] = date
            try:
                value = parse_value(raw_val)
            except ValueError:
                raise _Bad("bad_value", f"value {raw_val!r} is not a number") from None
            if not cur:
                raise _Bad("missing_field", "empty currency")
            try:
                country = _country(row[i_ctry], "country")
                frm = _country(row[i_from], "from_country") if i_from is not None and row[i_from] not in (None, "") else "US"
                made = _country(row[i_made], "made_in") if i_made is not None and row[i_made] not in (None, "") else frm
            except ValueError as e:
                raise _Bad("bad_country", str(e)) from None
            cls = row[i_cls]
            cls = str(cls).strip() if cls is not None else ""
            if not cls:
                raise _Bad("missing_field", "empty classification")
            try:
                owners = parse_owners(row[i_own]) if i_own is not None else ()
            except ValueError as e:
                raise _Bad("bad_owners", str(e)) from None
        except _Bad as b:
            yield LineError(lineno, b.kind, b.message, customer=cust or None,
                            value=raw_val if isinstance(raw_val, (int, float, str)) else str(raw_val),
                            currency=cur or None)
            continue
        yield Line(lineno, date, cust, country, cls, value, cur, frm, owners, made)


class _Bad(Exception):
    def __init__(self, kind: str, message: str):
        self.kind, self.message = kind, message
