"""The cohort report's figures beyond the glance: score distributions and pass rates, reading per
section, who has not finished (and the attempts left open), attendance per classroom day, item
analysis with its reliability read in plain words.

``detail`` is a pure function of rows the storage gives (summary rows, reading per section,
open attempts, presence, the item analysis), so it is tested on a hand-made cohort; the JSON
(``report cohort --json``) and the PDF and spreadsheets are made from the same objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from msgspec import Struct

from latsar.assessment.items import Analysis, Reliability
from latsar.assessment.records import OpenAttemptRecord, PresenceRecord, SectionReading, SummaryRow
from latsar.course import Course, Evaluation
from latsar.exchange.tabular import local
from latsar.services.instructor.report import CohortGlance, Person, started

BIN_WIDTH = 10  # percent: 0-9, 10-19, ..., 90-100


class Distribution(Struct, frozen=True):
    """One evaluation's best scores over the cohort: how many in each band of ten percent."""

    id: str
    name: str
    threshold: int
    registered: int
    attempted: int
    passed: int
    bins: tuple[int, ...]  # bins[i]: best percent in [10 i, 10 i + 9] (the last bin holds 100 too)

    @property
    def pass_rate(self) -> int | None:
        """Whole percent of the registered learners who passed, rounded down."""
        return (100 * self.passed) // self.registered if self.registered else None

    @property
    def pass_rate_attempted(self) -> int | None:
        return (100 * self.passed) // self.attempted if self.attempted else None

    @staticmethod
    def label(i: int) -> str:
        return f"{i * BIN_WIDTH}–{i * BIN_WIDTH + BIN_WIDTH - 1}" if i < 9 else "90–100"

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "threshold": self.threshold,
            "registered": self.registered,
            "attempted": self.attempted,
            "passed": self.passed,
            "pass_rate": self.pass_rate,
            "pass_rate_attempted": self.pass_rate_attempted,
            "bins": [{"from": i * BIN_WIDTH, "to": 100 if i == 9 else i * BIN_WIDTH + BIN_WIDTH - 1, "count": n} for i, n in enumerate(self.bins)],
        }


class SectionLine(Struct, frozen=True):
    id: str
    title: str
    part: str
    opened: int
    read: int  # read to the end

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "part": self.part, "opened": self.opened, "read": self.read}


class OpenAttempt(Struct, frozen=True):
    person: Person
    evaluation: str  # the evaluation's name
    answered: int
    total: int

    def to_json(self) -> dict[str, object]:
        return {**self.person.to_json(), "evaluation": self.evaluation, "answered": self.answered, "total": self.total}


class Unfinished(Struct, frozen=True):
    """A learner who has started and not passed every evaluation: what is left, in words."""

    person: Person
    left: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {**self.person.to_json(), "left": list(self.left)}


class Attendance(Struct, frozen=True):
    """Classroom days (local dates on which anyone of the cohort signed in to ``latsar serve``)
    and who was there each day."""

    days: tuple[date, ...]
    people: tuple[Person, ...]  # every learner of the cohort
    present: dict[int, frozenset[date]]  # learner id -> days present

    def count(self, day: date) -> int:
        return sum(1 for p in self.people if day in self.present.get(p.id, frozenset()))

    def to_json(self) -> dict[str, object]:
        return {
            "days": [{"date": d.isoformat(), "present": self.count(d), "registered": len(self.people)} for d in self.days],
            "learners": [{**p.to_json(), "days": [d.isoformat() for d in self.days if d in self.present.get(p.id, frozenset())]} for p in self.people],
        }


def items_of(course: Course, analyses: Mapping[str, Analysis]) -> tuple[ItemsOf, ...]:
    """Each analysed evaluation's items, in course order, its reliability read in plain words."""
    return tuple(ItemsOf(ev.id, ev.name, analyses[ev.id], reliability_reading(ev, analyses[ev.id].reliability)) for ev in course.evaluations if ev.id in analyses)


class ItemsOf(Struct, frozen=True):
    """One evaluation's item analysis, with its reliability said in plain words."""

    id: str
    name: str
    analysis: Analysis
    reading: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {**self.analysis.to_json(), "reading": list(self.reading)}


class CohortDetail(Struct, frozen=True):
    glance: CohortGlance
    distributions: tuple[Distribution, ...]
    sections: tuple[SectionLine, ...]
    unfinished: tuple[Unfinished, ...]
    open_attempts: tuple[OpenAttempt, ...]
    attendance: Attendance
    items: tuple[ItemsOf, ...]
    rows: tuple[SummaryRow, ...]

    def to_json(self) -> dict[str, object]:
        return {
            **self.glance.to_json(),
            "distribution": [d.to_json() for d in self.distributions],
            "reading_by_section": [s.to_json() for s in self.sections],
            "not_finished": [u.to_json() for u in self.unfinished],
            "open_attempts": [o.to_json() for o in self.open_attempts],
            "attendance": self.attendance.to_json(),
            "items": {i.id: i.to_json() for i in self.items},
        }


# -- the parts -------------------------------------------------------------------------------------


def distribution(i: int, ev: Evaluation, rows: Sequence[SummaryRow]) -> Distribution:
    bins = [0] * 10
    for r in rows:
        best = r.best_percent[i]
        if best is not None:
            bins[min(best // BIN_WIDTH, 9)] += 1
    passed = sum(1 for r in rows if r.passed_at[i] is not None)
    return Distribution(ev.id, ev.name, ev.threshold, len(rows), sum(bins), passed, tuple(bins))


def section_lines(course: Course, reading: Sequence[SectionReading]) -> tuple[SectionLine, ...]:
    by_id = {r.section_id: r for r in reading}
    return tuple(SectionLine(s.id, s.title, course.part(s.part).name, by_id[s.id].opened if s.id in by_id else 0, by_id[s.id].completed if s.id in by_id else 0) for s in course.sections)


def _person(r: SummaryRow) -> Person:
    return Person(r.learner_id, r.name, r.nip)


def unfinished(course: Course, rows: Sequence[SummaryRow], open_attempts: Sequence[OpenAttempt]) -> tuple[Unfinished, ...]:
    """Who started and has not passed every evaluation, and what is left for each."""
    still_open = {(o.person.id, o.evaluation): o for o in open_attempts}
    out = []
    for r in rows:
        if r.complete or not started(r):
            continue
        left = []
        for i, ev in enumerate(course.evaluations):
            if r.passed_at[i] is not None:
                continue
            going = still_open.get((r.learner_id, ev.name))
            if going is not None:
                left.append(f"{ev.name} sedang dikerjakan ({going.answered}/{going.total} dijawab)")
            elif r.attempts[i]:
                left.append(f"{ev.name} belum lulus (terbaik {r.best_percent[i]}%)")
            else:
                left.append(f"{ev.name} belum dikerjakan")
        left.append(f"{min(r.sections_read, len(course.sections))} dari {len(course.sections)} bagian dibaca")
        out.append(Unfinished(_person(r), tuple(left)))
    return tuple(out)


def open_attempt_lines(course: Course, records: Sequence[OpenAttemptRecord]) -> tuple[OpenAttempt, ...]:
    out = []
    for o in records:
        try:
            ev = course.evaluation(o.quiz_id)
        except KeyError:  # an evaluation this course no longer has
            continue
        out.append(OpenAttempt(Person(o.learner_id, o.name, o.nip), ev.name, o.answered, len(ev.bank.questions)))
    return tuple(out)


def attendance(rows: Sequence[SummaryRow], sessions: Sequence[PresenceRecord]) -> Attendance:
    """Each session counts on every local date from its start to when it was last seen."""
    members = {r.learner_id for r in rows}
    present: dict[int, set[date]] = {}
    for s in sessions:
        if s.learner_id not in members:
            continue
        day, last = local(s.started_at).date(), local(max(s.seen_at, s.started_at)).date()
        while day <= last:
            present.setdefault(s.learner_id, set()).add(day)
            day += timedelta(days=1)
    days = tuple(sorted({d for ds in present.values() for d in ds}))
    return Attendance(days, tuple(_person(r) for r in rows), {k: frozenset(v) for k, v in present.items()})


def reliability_reading(ev: Evaluation, r: Reliability) -> tuple[str, ...]:
    """What KR-20 and SEM mean for this evaluation, in plain words (Bahasa Indonesia)."""
    if r.kr20 is None or r.sem is None:
        return ("Reliabilitas belum dapat dihitung: perlu sedikitnya dua peserta dengan skor yang berbeda.",)
    k, kr20, sem = r.k, r.kr20, r.sem
    if kr20 >= 0.8:
        level = "tinggi: skor evaluasi ini konsisten, dan urutan peserta menurut skornya dapat dipercaya"
    elif kr20 >= 0.7:
        level = "cukup: skor dapat dipakai untuk keputusan lulus/belum lulus, bersama pengamatan lain"
    elif kr20 >= 0.5:
        level = "rendah: sebagian skor ditentukan oleh kebetulan; periksa soal yang ditandai sebelum memakai skor untuk membandingkan peserta"
    else:
        level = "sangat rendah: skor belum dapat membedakan peserta yang menguasai materi dari yang belum; periksa soal yang ditandai"
    points = sem * 100 / k if k else 0.0
    return (
        f"KR-20 {kr20:.2f} ({r.n} peserta, {k} soal) berarti reliabilitas {level}. Evaluasi yang pendek ({k} soal) wajarnya bernilai lebih rendah daripada tes panjang.",
        f"SEM {sem:.2f} soal: bila evaluasi yang setara diulang, skor seorang peserta dapat bergeser sekitar ±{sem:.1f} soal "
        f"(±{points:.0f} poin persen). Skor yang sejauh itu dari batas lulus {ev.threshold}% belum pasti berada di sisi yang benar.",
    )


def detail(
    course: Course,
    glance: CohortGlance,
    rows: Sequence[SummaryRow],
    reading: Sequence[SectionReading],
    open_records: Sequence[OpenAttemptRecord],
    sessions: Sequence[PresenceRecord],
    analyses: dict[str, Analysis],
) -> CohortDetail:
    """Every figure of one cohort's report. Pure."""
    members = {r.learner_id for r in rows}
    going = open_attempt_lines(course, [o for o in open_records if o.learner_id in members])
    items = items_of(course, analyses)
    return CohortDetail(
        glance=glance,
        distributions=tuple(distribution(i, ev, rows) for i, ev in enumerate(course.evaluations)),
        sections=section_lines(course, reading),
        unfinished=unfinished(course, rows, going),
        open_attempts=going,
        attendance=attendance(rows, sessions),
        items=items,
        rows=tuple(rows),
    )
