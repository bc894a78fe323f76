"""Roster import: a cohort's learners from a spreadsheet, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from latsar.errors import DataError, UsageError
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.learners import MAX_COHORT, clean_text
from latsar.storage import learners as rows


@dataclass(frozen=True)
class RosterRow:
    number: int  # the row number as the spreadsheet shows it
    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None


@dataclass
class RosterReport:
    added: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def validate_row(number: int, raw: dict[str, str]) -> RosterRow:
    """A clean roster row, or UsageError naming the row and what is wrong."""
    if raw.get("nip_error"):
        raise UsageError(f"baris {number}: {raw['nip_error']}")
    try:
        name = clean_text(raw.get("name"), "Nama")
        if not name:
            raise UsageError("nama kosong")
        nip = normalize_nip(raw["nip"]) if raw.get("nip", "").strip() else None
        return RosterRow(number, name, nip, clean_text(raw.get("cohort"), "Angkatan", MAX_COHORT), clean_text(raw.get("instansi"), "Instansi"))
    except UsageError as exc:
        raise UsageError(f"baris {number}: {exc.message.rstrip('.')}") from None


def validate(raw_rows: Iterable[tuple[int, dict[str, str]]]) -> tuple[list[RosterRow], list[str]]:
    """Valid rows and the problems of the others (a NIP twice in one file is a problem)."""
    valid: list[RosterRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in raw_rows:
        try:
            row = validate_row(number, raw)
        except UsageError as exc:
            problems.append(exc.message)
            continue
        if row.nip and row.nip in seen:
            problems.append(f"baris {number}: NIP {row.nip} sudah ada di baris {seen[row.nip]}")
            continue
        if row.nip:
            seen[row.nip] = number
        valid.append(row)
    return valid, problems


class Roster:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def import_rows(self, raw_rows: Iterable[tuple[int, dict[str, str]]], skip_invalid: bool = False) -> RosterReport:
        """All rows or none: any invalid row stops the import unless ``skip_invalid``."""
        valid, problems = validate(raw_rows)
        if problems and not skip_invalid:
            raise DataError(f"Daftar peserta tidak diimpor ({len(problems)} baris salah): " + "; ".join(problems) + ". Perbaiki, atau pakai --skip-invalid.")
        report = RosterReport(skipped=problems)
        with self.ctx.db.write() as s:
            for row in valid:
                if row.nip:
                    existing = rows.by_nip(s, row.nip)
                    if existing is not None and existing.name != row.name:
                        raise DataError(f"Daftar peserta tidak diimpor: baris {row.number}: NIP {row.nip} sudah terdaftar atas nama {existing.name}, bukan {row.name}.")
                else:
                    existing = rows.without_nip(s, row.name, rows.cohort_id(s, row.cohort, create=False))
                if existing is not None:
                    report.unchanged += 1
                    continue
                rows.add(s, row.name, row.nip, rows.cohort_id(s, row.cohort), row.instansi)
                report.added += 1
        return report
