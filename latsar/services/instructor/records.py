"""Correcting learners' records: edit one, merge two registrations of one person, remove one.

Each is one transaction. A merge or a removal cannot be undone, so a SQLite file is backed up
next to itself first.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct
from sqlmodel import Session

from latsar.assessment.records import Footprint, Merged
from latsar.errors import NotFound, UsageError
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.learners import MAX_COHORT, LearnerDirectory, clean_text
from latsar.services.maintenance import backup_before
from latsar.services.values import LearnerInfo
from latsar.storage import learners as rows
from latsar.storage import records
from latsar.storage.models import Learner

__all__ = ["Change", "Edited", "Footprint", "Merged", "MergeReport", "Records", "Removed"]

FIELD_NAMES = {"name": "nama", "nip": "NIP", "cohort": "angkatan", "instansi": "instansi"}


class Change(Struct, frozen=True):
    field: str  # name, nip, cohort, instansi
    before: str | None
    after: str | None

    @property
    def label(self) -> str:
        return FIELD_NAMES[self.field]


class Edited(Struct, frozen=True):
    learner: LearnerInfo
    changes: tuple[Change, ...]


class MergeReport(Struct, frozen=True):
    kept: LearnerInfo
    merged: LearnerInfo  # OTHER as it was; it no longer exists
    moved: Merged
    backup: Path | None


class Removed(Struct, frozen=True):
    learner: LearnerInfo  # as it was
    footprint: Footprint
    backup: Path | None


class Records:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.directory = LearnerDirectory(ctx)

    def _row(self, s: Session, learner_id: int) -> Learner:
        learner = rows.by_id(s, learner_id)
        if learner is None:
            raise NotFound(f"Peserta dengan id {learner_id} tidak ada.")
        return learner

    def footprint(self, learner_id: int) -> Footprint:
        """What the record of a learner holds (for a confirmation before removing it)."""
        self.directory.get(learner_id)
        with self.ctx.db.read() as s:
            return records.footprint(s, learner_id)

    def edit(
        self, learner_id: int, name: str | None = None, nip: str | None = None, cohort: str | None = None, instansi: str | None = None
    ) -> Edited:
        """Change the fields given (None: leave as it is; "" clears NIP, cohort or instansi),
        validated as when registering. A cohort is matched as people type it, or created."""
        before = self.directory.get(learner_id)
        wanted = _cleaned(name, nip, cohort, instansi)
        if not wanted:
            raise UsageError("Tidak ada yang diubah: beri --name, --nip, --cohort atau --instansi.")
        with self.ctx.db.write() as s:
            learner = self._row(s, learner_id)
            if wanted.get("nip"):
                other = rows.by_nip(s, str(wanted["nip"]))
                if other is not None and other.id != learner_id:
                    raise UsageError(
                        f"NIP {wanted['nip']} sudah terdaftar atas nama {other.name} (id {other.id}); "
                        f"bila orangnya sama, gabungkan: latsar learner merge {other.id} {learner_id}"
                    )
            old_cohort = learner.cohort_id
            for field in ("name", "nip", "instansi"):
                if field in wanted:
                    setattr(learner, field, wanted[field])
            if "cohort" in wanted:
                learner.cohort_id = rows.cohort_id(s, wanted["cohort"])
            rows.save(s, learner)
            if learner.cohort_id != old_cohort:
                rows.prune_cohort(s, old_cohort)
        after = self.directory.get(learner_id)
        changes = tuple(
            Change(f, getattr(before, f), getattr(after, f)) for f in ("name", "nip", "cohort", "instansi") if getattr(before, f) != getattr(after, f)
        )
        return Edited(after, changes)

    def merge(self, keep_id: int, other_id: int) -> MergeReport:
        """OTHER is the same person as KEEP: everything OTHER did becomes KEEP's, nothing is
        lost, and OTHER is deleted. KEEP keeps its name and fields; its empty fields are filled
        from OTHER's."""
        if keep_id == other_id:
            raise UsageError("Peserta tidak dapat digabung dengan dirinya sendiri.")
        self.directory.get(keep_id)  # NotFound before anything is backed up
        merged = self.directory.get(other_id)
        backup = backup_before(self.ctx.db, "gabung", self.ctx.clock())
        with self.ctx.db.write() as s:
            moved = records.merge(s, self._row(s, keep_id), self._row(s, other_id))
        return MergeReport(self.directory.get(keep_id), merged, moved, backup)

    def remove(self, learner_id: int) -> Removed:
        """Delete a learner and everything about them, after backing a SQLite file up."""
        learner = self.directory.get(learner_id)
        backup = backup_before(self.ctx.db, "hapus", self.ctx.clock())
        with self.ctx.db.write() as s:
            footprint = records.footprint(s, learner_id)
            records.remove(s, self._row(s, learner_id))
        return Removed(learner, footprint, backup)


def _cleaned(name: str | None, nip: str | None, cohort: str | None, instansi: str | None) -> dict[str, str | None]:
    """The fields to change, cleaned and validated as ``learner add`` does."""
    wanted: dict[str, str | None] = {}
    if name is not None:
        clean = clean_text(name, "Nama")
        if not clean:
            raise UsageError("Nama peserta tidak boleh kosong.")
        wanted["name"] = clean
    if nip is not None:
        wanted["nip"] = normalize_nip(nip) if nip.strip() else None
    if cohort is not None:
        wanted["cohort"] = clean_text(cohort, "Angkatan", MAX_COHORT)
    if instansi is not None:
        wanted["instansi"] = clean_text(instansi, "Instansi")
    return wanted
