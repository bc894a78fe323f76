"""A cohort at a glance: who registered, who started, who passed, how well, how much was read,
and whose imported results files are doubtful (``doubts``: ``assessment.plausibility``).

``overview`` is a pure function of the summary rows (``storage.reports.summary``), so it is
tested against a hand-made cohort; ``CohortReports`` only fetches the rows.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct
from msgspec.structs import replace

from latsar.assessment.journal import EntryRecord
from latsar.assessment.records import SummaryRow
from latsar.course import Course, Evaluation
from latsar.services.context import Context
from latsar.services.instructor.doubts import PersonDoubts, of_database
from latsar.services.instructor.journal import JournalGlance, glance
from latsar.services.instructor.journal import describe as describe_journal
from latsar.services.learners import require_cohort
from latsar.storage import journal as journal_rows
from latsar.storage import reports

if TYPE_CHECKING:
    from latsar.services.instructor.figures import CohortDetail

NO_COHORT = "(tanpa angkatan)"


class Person(Struct, frozen=True):
    id: int
    name: str
    nip: str | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "nip": self.nip}

    @property
    def label(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else f"{self.name} (id {self.id})"


class EvaluationGlance(Struct, frozen=True):
    id: str
    name: str
    attempted: int  # learners with at least one finished attempt
    passed: int
    mean_best: float | None  # of the best percent of those who attempted
    median_best: float | None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "attempted": self.attempted, "passed": self.passed,
            "mean_best": _round(self.mean_best), "median_best": _round(self.median_best),
        }


class CohortGlance(Struct, frozen=True):
    cohort: str | None  # None: learners who belong to no cohort
    registered: int
    started: int  # read a section, finished an attempt or has one open
    not_started: tuple[Person, ...]
    evaluations: tuple[EvaluationGlance, ...]
    complete: int  # passed every evaluation
    sections_total: int
    sections_mean: float | None
    sections_median: float | None
    read_all: int  # learners who have read every section
    doubts: tuple[PersonDoubts, ...] = ()  # learners whose imported results files are doubtful
    journal: JournalGlance | None = None  # entries and verdicts per behaviour (the course's journal)

    @property
    def label(self) -> str:
        return self.cohort or NO_COHORT

    def to_json(self) -> dict[str, object]:
        return {
            "cohort": self.cohort,
            "registered": self.registered,
            "started": self.started,
            "not_started": [p.to_json() for p in self.not_started],
            "evaluations": [e.to_json() for e in self.evaluations],
            "complete": self.complete,
            "sections": {
                "total": self.sections_total, "mean_read": _round(self.sections_mean),
                "median_read": _round(self.sections_median), "read_all": self.read_all,
            },
            "doubtful": [d.to_json() for d in self.doubts],
            **({"journal": self.journal.to_json()} if self.journal else {}),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _mean_median(values: Sequence[int]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.fmean(values), float(statistics.median(values))


def started(row: SummaryRow) -> bool:
    """Read a section, finished an attempt, or has one open (started and not finished)."""
    return row.sections_read > 0 or any(row.attempts) or row.open_attempts > 0


def evaluation_glance(i: int, ev: Evaluation, rows: Sequence[SummaryRow]) -> EvaluationGlance:
    best = [b for r in rows if (b := r.best_percent[i]) is not None]
    mean, median = _mean_median(best)
    passed = sum(1 for r in rows if r.passed_at[i] is not None)
    return EvaluationGlance(ev.id, ev.name, len(best), passed, mean, median)


def overview(course: Course, cohort: str | None, rows: Sequence[SummaryRow]) -> CohortGlance:
    """The glance at one group of learners (their summary rows). Pure."""
    total = len(course.sections)
    reads = [min(r.sections_read, total) for r in rows]
    mean_read, median_read = _mean_median(reads)
    return CohortGlance(
        cohort=cohort,
        registered=len(rows),
        started=sum(1 for r in rows if started(r)),
        not_started=tuple(Person(r.learner_id, r.name, r.nip) for r in rows if not started(r)),
        evaluations=tuple(evaluation_glance(i, ev, rows) for i, ev in enumerate(course.evaluations)),
        complete=sum(1 for r in rows if r.complete),
        sections_total=total,
        sections_mean=mean_read,
        sections_median=median_read,
        read_all=sum(1 for n in reads if n >= total),
    )


def by_cohort(course: Course, rows: Iterable[SummaryRow]) -> list[CohortGlance]:
    """One glance per cohort, by name; learners without a cohort last. Pure."""
    groups: dict[str | None, list[SummaryRow]] = {}
    for r in rows:
        groups.setdefault(r.cohort, []).append(r)
    names = sorted((c for c in groups if c is not None), key=str.casefold)
    return [overview(course, c, groups[c]) for c in [*names, *([None] if None in groups else [])]]


class CohortReports:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def cohorts(self, cohort: str | None = None) -> list[CohortGlance]:
        """One glance per cohort (or only the cohort named; NotFound lists the cohorts there are)."""
        cohort = require_cohort(self.ctx, cohort)
        rows = reports.summary(self.ctx.db, [e.id for e in self.ctx.course.evaluations], cohort)
        if cohort is not None:  # the cohort asked for, even when no learner is left in it
            glances = [overview(self.ctx.course, cohort, list(rows))]
        else:
            glances = by_cohort(self.ctx.course, rows)
        doubts: dict[str | None, list[PersonDoubts]] = {}
        for person in of_database(self.ctx.course, reports.imported_traces(self.ctx.db, cohort)):
            doubts.setdefault(person.cohort, []).append(person)
        journals = self._journals(cohort, glances)
        return [replace(g, doubts=tuple(doubts.get(g.cohort, ())), journal=journals.get(g.cohort)) for g in glances]

    def _journals(self, cohort: str | None, glances: list[CohortGlance]) -> dict[str | None, JournalGlance | None]:
        """The journal's glance per cohort (every cohort shown, even one with no entry yet)."""
        course = self.ctx.course
        if course.journal is None:
            return {}
        entries: dict[str | None, list[EntryRecord]] = {g.cohort: [] for g in glances}
        for e in journal_rows.stream(self.ctx.db, cohort):
            entries.setdefault(cohort if cohort is not None else e.cohort, []).append(e)
        return {name: glance(course, found) for name, found in entries.items()}

    def details(self, cohort: str | None = None) -> list[CohortDetail]:
        """Every figure of the cohort report, per cohort (or only the cohort named)."""
        from latsar.services.instructor.figures import detail
        from latsar.services.instructor.items import Items

        out = []
        evaluation_ids = [e.id for e in self.ctx.course.evaluations]
        for g in self.cohorts(cohort):
            loose = g.cohort is None
            rows = [r for r in reports.summary(self.ctx.db, evaluation_ids, g.cohort) if (r.cohort is None) == loose]
            db = self.ctx.db
            out.append(detail(
                self.ctx.course, g, rows,
                reports.reading_by_section(db, g.cohort, loose), reports.open_attempts(db, g.cohort, loose), reports.presence(db, g.cohort, loose),
                Items(self.ctx).of_group(g.cohort, loose),
            ))
        return out


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".removesuffix(".0")


def describe(g: CohortGlance, names: int = 30) -> list[str]:
    """The glance as lines an instructor reads (plain terminal and TUI); the first is a heading."""
    lines = [f"{g.label} — {g.registered} peserta terdaftar, {g.started} sudah mulai, {len(g.not_started)} belum mulai"]
    for e in g.evaluations:
        score = f"; skor terbaik rata-rata {_num(e.mean_best)}, median {_num(e.median_best)}" if e.attempted else ""
        lines.append(f"{e.name}: {e.attempted} mengerjakan, {e.passed} lulus{score}")
    lines.append(f"Lulus semua evaluasi: {g.complete}")
    lines.append(
        f"Bagian dibaca: rata-rata {_num(g.sections_mean)} dari {g.sections_total}, median {_num(g.sections_median)}; "
        f"{g.read_all} peserta sudah membuka semua bagian"
    )
    if g.not_started:
        shown = ", ".join(p.label for p in g.not_started[:names])
        more = f", dan {len(g.not_started) - names} lainnya" if len(g.not_started) > names else ""
        lines.append(f"Belum mulai ({len(g.not_started)}): {shown}{more}")
    if g.journal is not None:
        lines += describe_journal(g.journal)
    if g.doubts:
        lines.append(f"Berkas hasil yang meragukan ({len(g.doubts)} peserta; lihat README: apa yang dibuktikan berkas hasil):")
        lines += [f"  {d.label}: {'; '.join(d.said)}" for d in g.doubts[:names]]
        if len(g.doubts) > names:
            lines.append(f"  dan {len(g.doubts) - names} peserta lainnya")
    return lines
