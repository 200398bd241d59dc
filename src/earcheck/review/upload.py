"""Read an uploaded customer file (CSV or Excel) into rows to screen.

The name column is found by its header (``name``, ``company``, ``customer``, ``party``...);
country and address columns are optional. Errors are one line (:class:`ReviewError`).
"""
from __future__ import annotations

import csv
import io
from typing import Any

from .cases import ReviewError

NAME_HEADERS = ("name", "party", "party_name", "customer", "customer_name", "company",
                "company_name", "entity", "entity_name", "full_name", "legal_name")
COUNTRY_HEADERS = ("country", "country_code", "cc", "iso2", "nationality")
ADDRESS_HEADERS = ("address", "street", "addr", "full_address")
MAX_ROWS = 200_000


def _norm(h: Any) -> str:
    return "_".join(str(h or "").strip().lower().replace("-", " ").split())


def _pick(headers: list[str], wanted: tuple[str, ...], chosen: str | None) -> int | None:
    norm = [_norm(h) for h in headers]
    if chosen:
        if _norm(chosen) in norm:
            return norm.index(_norm(chosen))
        raise ReviewError(f"no column {chosen!r} (columns: {', '.join(map(str, headers))})")
    for w in wanted:
        if w in norm:
            return norm.index(w)
    return None


def read_rows(data: bytes, filename: str, name_column: str | None = None) -> list[dict[str, Any]]:
    """Rows ``{"row", "name", "country", "address"}`` from CSV or .xlsx bytes."""
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        table = _xlsx(data, filename)
    elif lower.endswith((".csv", ".txt", ".tsv")):
        table = _csv(data, filename)
    else:
        raise ReviewError(f"{filename}: unsupported file type (upload .csv or .xlsx)")
    if not table:
        raise ReviewError(f"{filename}: the file is empty")
    headers = [str(h or "") for h in table[0]]
    ni = _pick(headers, NAME_HEADERS, name_column)
    if ni is None:
        raise ReviewError(f"{filename}: no name column (expected one of: name, company, customer, "
                          f"party; found: {', '.join(headers) or 'none'})")
    ci = _pick(headers, COUNTRY_HEADERS, None)
    ai = _pick(headers, ADDRESS_HEADERS, None)
    rows = []
    for i, r in enumerate(table[1:]):
        if i >= MAX_ROWS:
            raise ReviewError(f"{filename}: more than {MAX_ROWS} rows")

        def cell(j: int | None) -> str | None:
            if j is None or j >= len(r) or r[j] is None:
                return None
            v = str(r[j]).strip()
            return v or None
        rows.append({"row": i, "name": cell(ni) or "", "country": (cell(ci) or None),
                     "address": cell(ai)})
    return rows


def _csv(data: bytes, filename: str) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]
    except csv.Error as e:
        raise ReviewError(f"{filename}: not a readable CSV file ({e})") from None


def _xlsx(data: bytes, filename: str) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged file
        raise ReviewError(f"{filename}: not a readable Excel file ({type(e).__name__})") from None
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
    finally:
        wb.close()
