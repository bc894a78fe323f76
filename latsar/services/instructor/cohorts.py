"""Cohorts as people type them: list them, rename one (or fold it into another)."""

from __future__ import annotations

from msgspec import Struct

from latsar.errors import UsageError
from latsar.services.context import Context
from latsar.services.learners import MAX_COHORT, clean_text, known_cohorts
from latsar.storage import learners as rows


class CohortInfo(Struct, frozen=True):
    name: str  # the first spelling
    learners: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "learners": self.learners}


class Renamed(Struct, frozen=True):
    old: str
    new: str
    merged: bool  # OLD joined a cohort that already existed
    learners: int  # learners now in NEW that came from OLD (when merged)


class Cohorts:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def list(self) -> list[CohortInfo]:
        with self.ctx.db.read() as s:
            return [CohortInfo(c.name, n) for c, n in rows.cohorts(s)]

    def without_cohort(self) -> int:
        """How many learners belong to no cohort."""
        with self.ctx.db.read() as s:
            return rows.without_cohort(s)

    def rename(self, old: str, new: str, merge: bool = False) -> Renamed:
        """Rename cohort OLD (as people type it) to NEW. A NEW that only respells OLD ("angkatan 7"
        for "Angkatan 7") changes the spelling. A NEW that is another existing cohort is refused
        unless ``merge``: then OLD's learners join it, it keeps its own spelling, and OLD is gone."""
        clean = clean_text(new, "Angkatan", MAX_COHORT)
        if not clean:
            raise UsageError("Nama angkatan baru tidak boleh kosong.")
        with self.ctx.db.write() as s:
            source = rows.cohort_by_name(s, old)
            if source is None:
                raise UsageError(f"Angkatan '{old.strip()}' tidak ada; {known_cohorts([c.name for c, _ in rows.cohorts(s)])}")
            old_name = source.name
            target = rows.cohort_by_name(s, clean)
            if target is None or target.id == source.id:
                rows.rename_cohort(s, source, clean)
                return Renamed(old_name, clean, False, 0)
            if not merge:
                raise UsageError(
                    f"Angkatan '{target.name}' sudah ada; untuk menggabungkan '{old_name}' ke dalamnya, "
                    f"ulangi dengan --merge: latsar cohort rename \"{old_name}\" \"{target.name}\" --merge"
                )
            moved = rows.move_cohort(s, source, target)
            return Renamed(old_name, target.name, True, moved)
