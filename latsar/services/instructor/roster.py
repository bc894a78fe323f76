"""Roster import: a cohort's learners from a spreadsheet, all or nothing, in linear time.

A row whose NIP is already here under the same name changes nothing; under another name the
whole file is refused, unless ``update`` says the roster is the truth: then names, cohorts
and agencies of NIPs already present are corrected. A file with many bad rows is refused
with the first few and the count, not with all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

from latsar.errors import DataError, UsageError
from latsar.exchange.roster import RosterRow
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.learners import MAX_COHORT, clean_text
from latsar.storage import learners as rows
from latsar.storage.learners import match_key
from latsar.storage.models import Learner

SHOWN = 5  # problems named in a refusal; the rest are counted


@dataclass(frozen=True)
class Person:
    number: int  # the row number the spreadsheet shows
    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None


@dataclass
class RosterReport:
    added: int = 0
    unchanged: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)


def validate_row(row: RosterRow) -> Person:
    """A clean person, or UsageError naming the row and what is wrong."""
    n = row.number
    if row.problems:
        raise UsageError(f"baris {n}: {row.problems[0]}")
    try:
        name = clean_text(row.cells.get("name"), "Nama")
        if not name:
            raise UsageError("nama kosong")
        raw_nip = row.cells.get("nip", "").strip()
        nip = normalize_nip(raw_nip) if raw_nip else None
        return Person(n, name, nip, clean_text(row.cells.get("cohort"), "Angkatan", MAX_COHORT), clean_text(row.cells.get("instansi"), "Instansi"))
    except UsageError as exc:
        raise UsageError(f"baris {n}: {exc.message.rstrip('.')}") from None


def validate(raw_rows: Iterable[RosterRow]) -> tuple[list[Person], list[str]]:
    """Valid people and the problems of the other rows (a NIP twice in one file is a problem)."""
    valid: list[Person] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for raw in raw_rows:
        try:
            person = validate_row(raw)
        except UsageError as exc:
            problems.append(exc.message)
            continue
        if person.nip and person.nip in seen:
            problems.append(f"baris {person.number}: NIP {person.nip} sudah ada di baris {seen[person.nip]}")
            continue
        if person.nip:
            seen[person.nip] = person.number
        valid.append(person)
    return valid, problems


def summary(problems: list[str]) -> str:
    """The first few problems and how many more: one sentence however many rows are bad."""
    shown = "; ".join(problems[:SHOWN])
    more = f"; dan {len(problems) - SHOWN} baris lain" if len(problems) > SHOWN else ""
    return f"{len(problems)} baris salah: {shown}{more}"


class Roster:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def import_rows(self, raw_rows: Iterable[RosterRow], skip_invalid: bool = False, update: bool = False) -> RosterReport:
        """All rows or none: any invalid row stops the import unless ``skip_invalid``."""
        valid, problems = validate(raw_rows)
        if problems and not skip_invalid:
            raise DataError(f"Daftar peserta tidak diimpor ({summary(problems)}). Perbaiki, atau pakai --skip-invalid.")
        report = RosterReport(skipped=problems)
        with self.ctx.db.write() as s:
            by_nip = rows.by_nips(s, [p.nip for p in valid if p.nip])
            without = rows.without_nip_index(s)
            for person in valid:
                self._one(s, person, by_nip, without, update, report)
        return report

    def _one(self, s: Session, p: Person, by_nip: dict[str, Learner], without: dict[tuple[str, int | None], Learner], update: bool, report: RosterReport) -> None:
        if p.nip and p.nip in by_nip:
            self._known(s, p, by_nip[p.nip], update, report)
            return
        if not p.nip:
            key = (match_key(p.name), rows.cohort_id(s, p.cohort, create=False))
            if key in without:
                report.unchanged += 1
                return
        learner = rows.add(s, p.name, p.nip, rows.cohort_id(s, p.cohort), p.instansi)
        if not p.nip:
            without[(match_key(p.name), learner.cohort_id)] = learner
        report.added += 1

    def _known(self, s: Session, p: Person, existing: Learner, update: bool, report: RosterReport) -> None:
        """A NIP already here: the same person, a correction (``update``), or a conflict."""
        cohort = rows.cohort_id(s, p.cohort) if p.cohort else existing.cohort_id
        same = (match_key(existing.name), existing.cohort_id, existing.instansi or None) == (match_key(p.name), cohort, p.instansi or existing.instansi)
        if same:
            report.unchanged += 1
            return
        if not update:
            if match_key(existing.name) != match_key(p.name):
                raise DataError(
                    f"Daftar peserta tidak diimpor: baris {p.number}: NIP {p.nip} sudah terdaftar atas nama {existing.name}, bukan {p.name}. "
                    "Bila daftar ini yang benar, impor ulang dengan --update."
                )
            report.unchanged += 1
            return
        rows.change(s, existing, name=p.name, cohort_id=cohort, instansi=p.instansi or existing.instansi)
        report.updated += 1
