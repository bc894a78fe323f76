"""Doubts about imported records, in the instructor's words: the rules are
``assessment.plausibility``; this module says them and gathers, for the cohort report, what
the database holds of the people whose results came in files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from msgspec import Struct

from latsar.assessment.plausibility import AttemptTrace, Doubt, Flag, Order, ReadingTrace, doubts
from latsar.assessment.records import ImportedTrace
from latsar.course import Course


def naive_utc(value: datetime) -> datetime:
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def say(course: Course, flag: Flag) -> str:
    """One flag as a clause an instructor reads (no final period)."""
    attempt = ""
    if flag.evaluation is not None:
        attempt = f"{course.evaluation(flag.evaluation).name} percobaan ke-{flag.number}"
    sections = ", ".join(flag.sections)
    if flag.doubt is Doubt.TOO_FAST:
        return f"{attempt} selesai dalam {flag.seconds} detik, padahal membaca soal-soalnya saja perlu sedikitnya {flag.needed} detik"
    if flag.doubt is Doubt.NO_RESTUDY and flag.retakes:
        return f"{attempt}: {flag.retakes} percobaan ulang mengharuskan bagian {sections} dibaca ulang, tetapi bagian itu tercatat dibuka {flag.reads} kali"
    if flag.doubt is Doubt.NO_RESTUDY:
        return f"{attempt} dimulai tanpa membaca ulang sampai akhir bagian {sections}, yang wajib dibaca ulang sesudah percobaan sebelumnya gagal"
    if flag.order is Order.OVERLAP:
        return f"{attempt} dimulai sebelum percobaan sebelumnya selesai"
    if flag.order is Order.ANSWER_OUTSIDE:
        return f"{attempt} memuat jawaban yang waktunya di luar waktu mulai dan selesainya"
    if flag.order is Order.COMPLETED_BEFORE_OPENED:
        return f"bagian {sections} tercatat selesai dibaca sebelum pertama kali dibuka"
    return "ada waktu yang tercatat sesudah berkas itu dibuat (diekspor)"


class PersonDoubts(Struct, frozen=True):
    """The flags about one learner's imported attempts, said and as data."""

    learner_id: int
    name: str
    nip: str | None
    cohort: str | None
    flags: tuple[Flag, ...]
    said: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else f"{self.name} (id {self.learner_id})"

    def to_json(self) -> dict[str, object]:
        return {
            "learner": {"id": self.learner_id, "name": self.name, "nip": self.nip},
            "flags": [{**f.to_json(), "said": s} for f, s in zip(self.flags, self.said)],
        }


def of_database(course: Course, traces: Iterable[ImportedTrace]) -> list[PersonDoubts]:
    """The doubts about every learner with imported attempts, from what the database holds:
    the same rules as at import, on the attempts (all of the learner's, so that the order of
    retakes is whole) and reading records merged here. Only flags about an imported attempt, or
    about the reading records, are kept: an attempt taken on this installation was watched by it."""
    out = []
    for t in traces:
        evaluations = {e.id for e in course.evaluations}
        attempts = [
            AttemptTrace(a.uid, a.quiz_id, naive_utc(a.started_at), naive_utc(a.finished_at), a.answers, tuple(naive_utc(x) for x in a.answered_at))
            for a in t.attempts
            if a.quiz_id in evaluations
        ]
        reading = {
            r.section_id: ReadingTrace(r.section_id, _naive(r.first_read_at), _naive(r.last_read_at), _naive(r.completed_at), r.read_count)
            for r in t.reading
        }
        imported = {a.uid for a in t.attempts if a.imported}
        flags = tuple(f for f in doubts(course, attempts, reading) if f.uid is None or f.uid in imported)
        if flags:
            out.append(PersonDoubts(t.learner_id, t.name, t.nip, t.cohort, flags, tuple(say(course, f) for f in flags)))
    return out


def _naive(value: datetime | None) -> datetime | None:
    return None if value is None else naive_utc(value)

