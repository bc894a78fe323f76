"""Reading a roster (CSV or XLSX) with Indonesian or English headers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from latsar.errors import DataError

HEADERS = {
    "name": {"nama", "name", "nama lengkap", "nama peserta", "full name"},
    "nip": {"nip", "nomor induk pegawai"},
    "cohort": {"angkatan", "cohort", "kelas", "batch"},
    "instansi": {"instansi", "institution", "agency", "unit kerja", "organisasi"},
}


def _field(header: str) -> str | None:
    key = " ".join(str(header or "").strip().lower().replace("_", " ").split())
    for field, names in HEADERS.items():
        if key in names:
            return field
    return None


def _mapping(header_row: list, path: Path) -> dict[int, str]:
    mapping = {i: f for i, h in enumerate(header_row) if (f := _field(h))}
    if "name" not in mapping.values():
        raise DataError(f"{path}: baris 1 harus berisi judul kolom, setidaknya 'nama' (atau 'name'); ditemukan: {', '.join(str(h) for h in header_row if h) or 'kosong'}.")
    return mapping


def read_roster(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, {name, nip, cohort, instansi}) for each data row."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Berkas {path} tidak ditemukan.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        yield from _xlsx(path)
    else:
        raise DataError(f"{path}: format tidak dikenal; pakai .csv atau .xlsx.")


def _csv(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(text.splitlines(), dialect))
    if not rows:
        raise DataError(f"{path}: berkas kosong.")
    mapping = _mapping(rows[0], path)
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        yield number, {field: (row[i].strip() if i < len(row) else "") for i, field in mapping.items()}


NIP_AS_NUMBER = "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang; format kolom NIP sebagai Teks"


def _xlsx_cell(field: str, value: object, out: dict[str, str]) -> None:
    """One cell as text into ``out``; an 18-digit NIP kept as a number is refused, never guessed."""
    if field == "nip" and isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 10**15:
        # Spreadsheets keep 15 significant digits: an 18-digit NIP stored as a number has
        # already lost its last digits.
        out["nip_error"] = NIP_AS_NUMBER
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out[field] = "" if value is None else str(value).strip()


def _xlsx(path: Path):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(f"{path}: bukan berkas XLSX yang dapat dibaca ({type(exc).__name__}).") from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise DataError(f"{path}: lembar kerja kosong.")
        mapping = _mapping(list(header), path)
        for number, row in enumerate(rows, start=2):
            if not row or not any(c not in (None, "") for c in row):
                continue
            out: dict[str, str] = {}
            for i, field in mapping.items():
                _xlsx_cell(field, row[i] if i < len(row) else None, out)
            yield number, out
    finally:
        wb.close()
