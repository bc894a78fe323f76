"""Streaming table writers for spreadsheets: CSV (UTF-8 with BOM), XLSX, JSON.

No live formulas, ever: a text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or CR is
written as text: in CSV with a leading apostrophe (which Excel and LibreOffice treat as "this
is text"), in XLSX as a string cell. Rows are written as they come, so memory stays flat.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx", "json")


def is_dangerous(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo:
            value = value.astimezone().replace(tzinfo=None)
        return value.isoformat(" ", "seconds")
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def csv_cell(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if is_dangerous(value):
        return "'" + value
    return value


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    out.write("\ufeff")  # UTF-8 BOM: Excel then reads the file as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    n = 0
    danger = frozenset(DANGEROUS)
    write = writer.writerow
    for row in rows:
        cells = []
        for v in row:
            t = type(v)
            if t is str:
                cells.append("'" + v if v and v[0] in danger else v)
            elif t is int or v is None:
                cells.append(v)  # csv writes None as an empty cell
            elif t is datetime and v.tzinfo is None:
                cells.append(v.isoformat(" ", "seconds"))
            elif t is bool:
                cells.append("ya" if v else "tidak")
            else:
                cells.append(csv_cell(v))
        write(cells)
        n += 1
    return n


def write_json(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    out.write("[")
    n = 0
    for row in rows:
        record = {}
        for key, value in zip(header, row):
            if isinstance(value, datetime):
                value = value.isoformat()
            record[key] = value
        out.write(("\n" if n == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n


def write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "latsar") -> int:
    """Write-only (streaming) workbook; every text cell is a string cell, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    bold = Font(bold=True)

    def cell(value: Any, header_row: bool = False):
        if isinstance(value, datetime):
            value = value.astimezone().replace(tzinfo=None) if value.tzinfo else value
        elif isinstance(value, bool):
            value = "ya" if value else "tidak"
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # text, even when it looks like a formula
        if isinstance(value, (datetime, date)):
            c.number_format = "yyyy-mm-dd hh:mm"
        if header_row:
            c.font = bold
        return c

    ws.append([cell(h, True) for h in header])
    n = 0
    for row in rows:
        ws.append([cell(v) for v in row])
        n += 1
    tmp = Path(path).with_name(Path(path).name + ".part")
    wb.save(tmp)
    os.replace(tmp, path)
    return n


def write_table(fmt: str, path: Path | None, header: Sequence[str], rows: Iterable[Sequence[Any]], stdout: IO[str] | None = None, title: str = "latsar") -> int:
    """Write to ``path`` atomically (a half-written file never replaces a good one), or to stdout."""
    if fmt == "xlsx":
        if path is None:
            raise ValueError("xlsx needs a file")
        return write_xlsx(path, header, rows, title)
    writer = write_csv if fmt == "csv" else write_json
    if path is None:
        return writer(stdout, header, rows)
    tmp = Path(path).with_name(Path(path).name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            n = writer(out, header, rows)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n
