"""Reading a roster (CSV or XLSX) with Indonesian or English headers, defensively.

A roster comes from a spreadsheet someone typed: it may be in Windows' encoding, carry a
stray quote that would glue two people into one, hold formulas whose cached value is not what
the instructor typed, or be a zip bomb. Each of those is found and named; nothing is guessed.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from latsar.errors import DataError
from latsar.exchange.files import read_bytes

HEADERS = {
    "name": {"nama", "name", "nama lengkap", "nama peserta", "full name"},
    "nip": {"nip", "nomor induk pegawai"},
    "cohort": {"angkatan", "cohort", "kelas", "batch"},
    "instansi": {"instansi", "institution", "agency", "unit kerja", "organisasi"},
}
MAX_BYTES = 20 * 1024 * 1024  # a roster of 100,000 people is a few MB
MAX_UNPACKED = 100 * 1024 * 1024  # what an XLSX may unpack to
MAX_FIELD = 1000  # characters in one cell: no name, NIP, cohort or agency is longer
NIP_AS_NUMBER = "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; format kolom NIP sebagai Teks"


class RosterRow(Struct):
    """One data row as the spreadsheet shows it, before validation."""

    number: int  # the row number the spreadsheet shows
    cells: dict[str, str]  # name, nip, cohort, instansi
    problems: list[str] = field(default_factory=list)  # what was found while reading it


def _field(header: Any) -> str | None:
    key = " ".join(str(header or "").strip().lower().replace("_", " ").split())
    return next((name for name, names in HEADERS.items() if key in names), None)


def shown(value: Any, limit: int = 40) -> str:
    """A value as one short line of a message: printable characters, spaces collapsed."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mapping(header_row: list[Any], path: Path) -> dict[int, str]:
    mapping = {i: f for i, h in enumerate(header_row) if (f := _field(h))}
    if "name" not in mapping.values():
        found = ", ".join(shown(h) for h in header_row[:10] if h) or "kosong"
        raise DataError(f"{path}: baris 1 harus berisi judul kolom, setidaknya 'nama' (atau 'name'); ditemukan: {found}.")
    return mapping


def read_roster(path: Path) -> Iterator[RosterRow]:
    """Every data row of a roster; DataError in one sentence for a file that cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise DataError(f"{path}: format tidak dikenal; pakai .csv atau .xlsx.")
    raw = read_bytes(path, MAX_BYTES, "Daftar peserta")
    return _csv(raw, path) if suffix == ".csv" else _xlsx(raw, path)


# -- CSV ---------------------------------------------------------------------------------------------


# Byte order marks that name an encoding: Excel's "Unicode Text" is UTF-16 with one. UTF-32's
# little-endian mark begins like UTF-16's, so it is tried first.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _decode(raw: bytes, path: Path) -> str:
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise DataError(f"{path}: diawali tanda {encoding.upper()} tetapi isinya bukan teks {encoding.upper()} yang utuh; simpan ulang sebagai \"CSV UTF-8\".") from None
    for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows saves "CSV" in Windows-1252
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(f"{path}: bukan teks UTF-8 atau Windows-1252; simpan ulang sebagai \"CSV UTF-8\".")


def _csv(raw: bytes, path: Path) -> Iterator[RosterRow]:
    text = _decode(raw, path)
    nul = text.find("\0")
    if nul >= 0:  # Python's csv reads NUL since 3.11; no spreadsheet writes one into text
        hint = " (UTF-16 tanpa tanda BOM?)" if text.count("\0") * 4 >= len(text) else ""
        raise DataError(f"{path}: baris {text.count(chr(10), 0, nul) + 1}: berkas memuat karakter NUL, bukan teks biasa{hint}; simpan ulang sebagai \"CSV UTF-8\".")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    old_limit = csv.field_size_limit(MAX_FIELD * 4)
    try:
        yield from _csv_rows(reader, path)
    except csv.Error as exc:
        raise DataError(f"{path}: baris {reader.line_num}: bukan CSV yang utuh: {_csv_problem(str(exc))}.") from None
    finally:
        csv.field_size_limit(old_limit)


DELIMITERS = (",", ";", "\t")


def _delimiter(text: str) -> str:
    """The delimiter that makes the first line a header latsar knows, read as CSV is read
    (quotes and all): the one that finds the most known column names, then the one whose
    first rows split into as many cells as the header. ``csv.Sniffer`` guesses from character
    counts, so a quoted cell with a comma in a ';' file (``"Bambang ""Bams"", S.T."``) made it
    pick ',' and the file was refused as having no header."""
    head = text[:8192]

    def score(delimiter: str) -> tuple[int, int, int]:
        try:
            rows = list(itertools.islice(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), 20))
        except csv.Error:
            return (0, 0, 0)
        if not rows:
            return (0, 0, 0)
        known = {f for h in rows[0] if (f := _field(h))}
        steady = sum(1 for r in rows[1:-1] if len(r) == len(rows[0]))  # the last may be cut at 8 KB
        return (int("name" in known), len(known), steady)

    return max(DELIMITERS, key=score)


CSV_PROBLEMS = (  # Python's csv messages, said for the person who will fix the file
    ("unexpected end of data", "tanda kutip dibuka tetapi tidak ditutup; perbaiki tanda kutipnya"),
    ("expected after", "ada teks sesudah tanda kutip penutup; perbaiki tanda kutipnya"),
    ("field larger than field limit", "ada isian yang terlalu panjang"),
    ("line contains nul", "berkas memuat karakter NUL (bukan teks biasa)"),
    ("new-line character seen in unquoted field", "ada baris baru di tengah isian tanpa tanda kutip"),
)


def _csv_problem(message: str) -> str:
    low = message.lower()
    return next((said for found, said in CSV_PROBLEMS if found in low), "tanda kutip atau pemisahnya tidak beraturan")


def _csv_rows(reader: Any, path: Path) -> Iterator[RosterRow]:
    header = next(reader, None)
    if header is None:
        raise DataError(f"{path}: berkas kosong.")
    if reader.line_num != 1:
        raise DataError(f"{path}: baris 1: tanda kutip tidak seimbang di judul kolom; perbaiki tanda kutipnya.")
    mapping = _mapping(header, path)
    number = 1
    for row in reader:
        number += 1
        if reader.line_num != number:  # a quoted cell ran over a line break: two people glued into one
            raise DataError(f"{path}: baris {number}: tanda kutip tidak seimbang, sehingga beberapa baris menyatu; perbaiki tanda kutipnya.")
        if not any(cell.strip() for cell in row):
            continue
        found = RosterRow(number, {f: (row[i].strip() if i < len(row) else "") for i, f in mapping.items()})
        if any(len(v) > MAX_FIELD for v in found.cells.values()):
            found.problems.append(f"isian lebih dari {MAX_FIELD} karakter")
        yield found


# -- XLSX --------------------------------------------------------------------------------------------


def _check_zip(raw: bytes, path: Path) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):  # NotImplemented: a
        # damaged byte asks for a zip version zipfile does not know
        raise DataError(f"{path}: bukan berkas XLSX yang dapat dibaca (arsipnya rusak).") from None
    if unpacked > MAX_UNPACKED:
        raise DataError(f"{path}: isi XLSX terlalu besar setelah dibuka ({unpacked // (1024 * 1024)} MB); tidak dibaca.")


def _xlsx_cell(name: str, cell: Any, found: RosterRow) -> None:
    """One cell as text; a formula or an 18-digit NIP kept as a number is a problem, never guessed."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
        found.problems.append(f"kolom {name} berisi rumus ({shown(value)}); tulis nilainya sebagai teks")
        value = None
    elif name == "nip" and isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 10**15:
        # Spreadsheets keep 15 significant digits: an 18-digit NIP stored as a number has
        # already lost its last digits.
        found.problems.append(NIP_AS_NUMBER)
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_FIELD:
        found.problems.append(f"isian lebih dari {MAX_FIELD} karakter")
    found.cells[name] = text


def _xlsx(raw: bytes, path: Path) -> Iterator[RosterRow]:
    _check_zip(raw, path)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(f"{path}: bukan berkas XLSX yang dapat dibaca ({type(exc).__name__}).") from exc
    try:
        yield from _xlsx_rows(wb, path)
    except DataError:
        raise
    except Exception as exc:  # a sheet whose XML breaks halfway
        raise DataError(f"{path}: lembar kerja rusak ({type(exc).__name__}); simpan ulang dari spreadsheet.") from exc
    finally:
        wb.close()


def _xlsx_rows(wb: Any, path: Path) -> Iterator[RosterRow]:
    """The rows there are, read only as wide as the columns the header names.

    A sheet's ``<dimension>`` is what the file claims, not what it holds: ``A1:XFD1048576``
    made openpyxl pad a 5 KB file's every row to 16,384 cells and walk a million rows (minutes
    at full CPU), and a claim smaller than the data cut rows off. So the claim is dropped
    (``reset_dimensions``): rows come as the sheet's XML has them, each only up to the last
    column read; the time follows the real cells, which the unpacked size bounds."""
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    header = next(ws.iter_rows(min_row=1, max_row=1), None)
    if header is None:
        raise DataError(f"{path}: lembar kerja kosong.")
    mapping = _mapping([c.value for c in header], path)
    rows = ws.iter_rows(min_row=2, max_col=max(mapping) + 1)
    for number, row in enumerate(rows, start=2):
        if not row or not any(c.value not in (None, "") for c in row):
            continue
        found = RosterRow(number, {})
        for i, name in mapping.items():
            cell = row[i] if i < len(row) else None
            if cell is None:
                found.cells[name] = ""
            else:
                _xlsx_cell(name, cell, found)
        yield found
