"""Roster import: a cohort's learners from a spreadsheet, all or nothing, in linear time.

A row whose NIP is already here under the same name changes nothing; under another name the
whole file is refused, unless ``update`` says the roster is the truth: then names, cohorts
and agencies of NIPs already present are corrected. A file with many bad rows is refused
with the first few and the count, not with all of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct, field
from sqlmodel import Session

from latsar.errors import DataError, UsageError
from latsar.exchange.roster import RosterRow
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.learners import MAX_COHORT, clean_text
from latsar.storage import learners as rows
from latsar.storage.learners import Known, cohort_key, match_key

SHOWN = 5  # problems named in a refusal; the rest are counted


class Person(Struct, frozen=True):
    number: int  # the row number the spreadsheet shows
    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None


class RosterReport(Struct):
    added: int = 0
    unchanged: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)  # NIPs here whose name, cohort or agency the roster writes otherwise (without --update)


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
        """All rows or none: any invalid row stops the import unless ``skip_invalid``.

        Every decision is made before anything is written; then the new learners go in as a
        few batched inserts (cohorts looked up once, created once), not one ORM flush per row."""
        valid, problems = validate(raw_rows)
        if problems and not skip_invalid:
            raise DataError(f"Daftar peserta tidak diimpor ({summary(problems)}). Perbaiki, atau pakai --skip-invalid.")
        report = RosterReport(skipped=problems)
        with self.ctx.db.write() as s:
            plan = _Plan(s, valid, update, report)
            rows.ensure_cohorts(s, plan.cohorts_needed, plan.cohort_ids)
            rows.insert_many(s, [{"name": p.name, "nip": p.nip, "cohort_id": plan.cohort_of(p), "instansi": p.instansi} for p in plan.new])
            rows.update_many(s, [{"id": k.id, "name": p.name, "cohort_id": plan.cohort_of(p, k.cohort_id), "instansi": p.instansi or k.instansi} for p, k in plan.changed])
        return report


class _Plan:
    """What a roster does to the learners here, decided row by row before anything is written:
    new learners, corrections (``update``), and rows that change nothing."""

    def __init__(self, s: Session, people: list[Person], update: bool, report: RosterReport) -> None:
        self.cohort_ids = rows.cohort_keys(s)  # key -> id
        self.new: list[Person] = []
        self.changed: list[tuple[Person, Known]] = []
        self.cohorts_needed: list[str] = []
        by_nip = rows.known_by_nips(s, [p.nip for p in people if p.nip])
        # Learners without a NIP match by name and cohort, both as people type them; by the
        # cohort's key, so that a cohort this roster creates matches too.
        key_of = {cid: key for key, cid in self.cohort_ids.items()}
        without: set[tuple[str, str | None]] = set()
        if any(not p.nip for p in people):
            without = {(name, key_of.get(cid) if cid is not None else None) for name, cid in rows.known_without_nip(s)}
        for p in people:
            if p.nip and p.nip in by_nip:
                self._known(p, by_nip[p.nip], update, report)
                continue
            key = (match_key(p.name), cohort_key(p.cohort) if p.cohort else None)
            if not p.nip and key in without:
                report.unchanged += 1
                continue
            self._add(p)
            report.added += 1
            if not p.nip:  # the same name twice in one cohort, without NIPs: one person
                without.add(key)
        report.updated = len(self.changed)

    def cohort_of(self, p: Person, otherwise: int | None = None) -> int | None:
        return self.cohort_ids[cohort_key(p.cohort)] if p.cohort else otherwise

    def _add(self, p: Person) -> None:
        self.new.append(p)
        if p.cohort:
            self.cohorts_needed.append(p.cohort)

    def _known(self, p: Person, existing: Known, update: bool, report: RosterReport) -> None:
        """A NIP already here: the same person, a correction (``update``), or a conflict."""
        cohort = self.cohort_ids.get(cohort_key(p.cohort), -1) if p.cohort else existing.cohort_id  # -1: a cohort not here yet
        # The name as written: --update corrects its capitals too ("ani lestari" -> "Ani Lestari").
        same = (existing.name, existing.cohort_id, existing.instansi or None) == (p.name, cohort, p.instansi or existing.instansi)
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
            report.differing.append(f"baris {p.number}: {existing.name} (NIP {p.nip})")
            return
        self.changed.append((p, existing))
        if p.cohort:
            self.cohorts_needed.append(p.cohort)

