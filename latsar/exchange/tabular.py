"""Tables for spreadsheets and scripts: one column specification, three streaming writers.

A ``Table`` is a column specification plus a stream of typed rows. The same specification
drives CSV (UTF-8 with BOM), XLSX, JSON and the instructor screen, so a column is named,
typed and read from its row in exactly one place.

No live formulas, ever: a text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or CR is
written as text: in CSV with a leading apostrophe (which Excel and LibreOffice treat as "this
is text"), in XLSX as a string cell. Rows are written as they come, so memory stays flat.

Time says its zone: JSON carries ISO 8601 with the offset; CSV and XLSX carry local time and
name the zone in the column's header.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from msgspec import Struct

from latsar.exchange.files import open_text, output_path, staged

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx", "json")
R = TypeVar("R")


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"  # a float (p, D, r, KR-20): written as the row gives it (rounded there)
    BOOL = "bool"
    TIME = "time"


class Column(Struct, Generic[R], frozen=True):
    key: str  # the machine name: CSV/JSON header
    title: str  # what a person reads: the instructor screen's header
    kind: Kind
    get: Callable[[R], Any]
    blank: str | None = None  # what CSV writes for no value (None: an empty cell); Moodle's grades want "-"


class Table(Struct, Generic[R]):
    name: str  # a sheet title
    columns: Sequence[Column[R]]
    rows: Iterable[R]

    def cells(self) -> Iterator[tuple[Any, ...]]:
        getters = [c.get for c in self.columns]
        for row in self.rows:
            yield tuple(get(row) for get in getters)


# -- time ------------------------------------------------------------------------------------------

# Zones without daylight saving (all of Indonesia) have one offset: add it instead of converting.
_FIXED_OFFSET = None if time.daylight else timedelta(seconds=-time.timezone)
INDONESIA = {7: "WIB", 8: "WITA", 9: "WIT"}


def local(value: datetime) -> datetime:
    """An aware (or naive UTC) time as naive local time."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if _FIXED_OFFSET is not None:
        return value + _FIXED_OFFSET
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def aware(value: datetime) -> datetime:
    """A naive UTC (or aware) time in this machine's zone, with its offset."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()


def zone_label() -> str:
    """This machine's zone as people name it: "WIB, UTC+07:00"."""
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    name = INDONESIA.get(minutes // 60) if minutes % 60 == 0 else None
    return f"{name}, {text}" if name else text


def header(column: Column[Any], zone: str) -> str:
    return f"{column.key} ({zone})" if column.kind is Kind.TIME else column.key


def is_dangerous(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS)


# -- CSV -------------------------------------------------------------------------------------------


def _csv_text(v: Any) -> Any:
    return "'" + v if v and v[0] in _DANGER else v


def _csv_bool(v: Any) -> Any:
    return v if v is None else ("ya" if v else "tidak")


def _csv_time(v: Any) -> Any:
    return v if v is None else local(v).isoformat(" ", "seconds")


_DANGER = frozenset(DANGEROUS)
_CSV = {Kind.TEXT: _csv_text, Kind.INT: None, Kind.NUMBER: None, Kind.BOOL: _csv_bool, Kind.TIME: _csv_time}


def write_csv(out: IO[str], table: Table[Any]) -> int:
    out.write("\ufeff")  # UTF-8 BOM: Excel then reads the file as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    zone = zone_label()
    writer.writerow([_csv_text(header(c, zone)) for c in table.columns])
    cells = [_csv_cell(c) for c in table.columns]
    n = 0
    for r in table.rows:
        writer.writerow([cell(r) for cell in cells])  # csv writes None as an empty cell
        n += 1
    return n


def _csv_cell(column: Column[Any]) -> Callable[[Any], Any]:
    """Read a column's value from a row and write it as CSV does, in one call."""
    get, convert, blank = column.get, _CSV[column.kind], column.blank
    if blank is not None:  # written as it is: "-" is not a formula to guard against here
        return lambda r: blank if (v := get(r)) is None else (v if convert is None else convert(v))
    if convert is None:
        return get
    return lambda r: convert(get(r))


# -- JSON ------------------------------------------------------------------------------------------


def _json_value(kind: Kind, v: Any) -> Any:
    if kind is Kind.TIME and v is not None:
        return aware(v).isoformat(timespec="seconds")
    return v


def write_json(out: IO[str], table: Table[Any]) -> int:
    out.write("[")
    keys = [(c.key, c.kind) for c in table.columns]
    n = 0
    for cells in table.cells():
        record = {key: _json_value(kind, v) for (key, kind), v in zip(keys, cells)}
        out.write(("\n" if n == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n


# -- XLSX ------------------------------------------------------------------------------------------

XLSX_OPTIONS = {
    "constant_memory": True,  # each row goes to disk as it is written: memory stays flat
    "strings_to_formulas": False,  # a text cell is a string cell, never a formula
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd hh:mm",
}


def _xlsx_bool(v: Any) -> Any:
    return v if v is None else ("ya" if v else "tidak")


def _xlsx_time(v: Any) -> Any:
    return v if v is None else local(v)


_XLSX: dict[Kind, Callable[[Any], Any] | None] = {Kind.TEXT: None, Kind.INT: None, Kind.NUMBER: None, Kind.BOOL: _xlsx_bool, Kind.TIME: _xlsx_time}


def write_xlsx(path: Path, table: Table[Any]) -> int:
    """One sheet; see ``write_book``."""
    return write_book(path, [table])[0]


def write_book(path: Path, tables: Sequence[Table[Any]]) -> list[int]:
    """A workbook of one sheet per table, streamed by XlsxWriter in constant-memory mode; every
    text cell is a string cell, never a formula. The rows written per sheet."""
    import xlsxwriter  # only when a workbook is made
    from xlsxwriter.exceptions import FileCreateError

    counts = []
    with staged(path) as tmp, _scratch(tmp.parent) as scratch:
        wb = xlsxwriter.Workbook(str(tmp), {**XLSX_OPTIONS, "tmpdir": str(scratch)})
        bold = wb.add_format({"bold": True})
        zone = zone_label()
        for table in tables:
            ws = wb.add_worksheet(_sheet_name(table.name, wb.sheetnames))
            ws.write_row(0, 0, [header(c, zone) for c in table.columns], bold)
            getters = [c.get for c in table.columns]
            converted = [(i, convert) for i, c in enumerate(table.columns) if (convert := _XLSX[c.kind]) is not None]
            write_row = ws.write_row
            n = 0
            for row in table.rows:
                n += 1
                values = [get(row) for get in getters]
                for i, convert in converted:
                    values[i] = convert(values[i])
                write_row(n, 0, values)
            counts.append(n)
        try:
            wb.close()
        except FileCreateError as exc:  # a full disk, say: said as the OSError it is
            raise (exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))) from None
    return counts


@contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    """A private folder beside the output for XlsxWriter's row files (constant-memory mode writes
    each sheet's rows there before zipping them): removed whatever happens, so a full disk or a
    failure leaves no file of learners' data behind."""
    import shutil
    import tempfile

    made = Path(tempfile.mkdtemp(prefix=".latsar-xlsx-", dir=folder))
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def _sheet_name(name: str, taken: dict[str, Any]) -> str:
    """A sheet name Excel takes: at most 31 characters, none of []:*?/\\, not taken yet."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip("' ")[:31] or "Lembar"
    candidate, k = clean, 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        candidate = f"{clean[: 31 - len(str(k)) - 1]} {k}"
        k += 1
    return candidate


def write_table(fmt: str, path: Path | None, table: Table[Any], stdout: IO[str] | None = None) -> int:
    """Write to ``path`` atomically (a half-written file never replaces a good one), or to stdout."""
    if fmt == "xlsx":
        if path is None:
            raise ValueError("xlsx needs a file")
        output_path(path)
        return write_xlsx(path, table)
    writer = write_csv if fmt == "csv" else write_json
    if path is None:
        assert stdout is not None
        return writer(stdout, table)
    with open_text(path) as out:
        return writer(out, table)
