"""The habituation journal ("Jurnal aktualisasi"): a trainee's entries, written at their desk,
reviewed by the coach, shared in class by the trainee's own choice.

``Journal`` is what a trainee may do with their own journal (bound to them, like their reading
and attempts); the coach's side is ``services.instructor.journal``. What an entry may hold is
checked here once (``clean``), for every face and for entries that arrive in results files.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from msgspec import Struct
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from latsar.assessment import journal as rules
from latsar.assessment.journal import MAX_ENTRIES, MAX_TEXT, MAX_VERSIONS, Content, EntryRecord, EntryStatus, JournalStanding, Verdict
from latsar.course import Course
from latsar.course.model import Behaviour
from latsar.course.model import Journal as JournalSpec
from latsar.errors import NotFound, UsageError
from latsar.services.context import Context
from latsar.services.learners import LearnerDirectory, clean_text
from latsar.services.values import LearnerInfo
from latsar.storage import journal as rows
from latsar.storage.journal import Filter

# The parts of an entry as a trainee reads and types them, in order.
FIELD_WORDS = {
    "situation": "Situasi",
    "action": "Yang saya lakukan",
    "result": "Hasil bagi yang dilayani",
    "improvement": "Lain kali lebih baik",
}
DAY_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


class Draft(Struct, frozen=True):
    """An entry as a face hands it over: the text as typed, the date as typed ("" is today)."""

    behaviour: str
    happened_on: str | date
    situation: str
    action: str
    result: str
    improvement: str


class ReviewView(Struct, frozen=True):
    version: int
    verdict: Verdict
    comment: str
    reviewed_at: datetime


class VersionView(Struct, frozen=True):
    version: int
    content: Content
    written_at: datetime
    reviews: tuple[ReviewView, ...]  # the coach's verdicts on this version, oldest first


class EntryDetail(Struct, frozen=True):
    """An entry with its whole history: every version and every verdict."""

    record: EntryRecord
    versions: tuple[VersionView, ...]  # oldest first; the last is the current one

    @property
    def editable(self) -> bool:
        return rules.editable(self.record.status)


class BehaviourSection(Struct, frozen=True):
    behaviour: Behaviour
    letter: str  # "a", "b", "c": the module's order
    standing: rules.BehaviourStanding
    entries: tuple[EntryRecord, ...]  # at their current version, by date

    def to_json(self) -> dict[str, object]:
        s = self.standing
        return {
            "id": self.behaviour.id, "letter": self.letter, "title": self.behaviour.title,
            "accepted": s.accepted, "needs_revision": s.needs_revision, "waiting": s.waiting, "done": s.done,
            "entries": [entry_json(e) for e in self.entries],
        }


class JournalSection(Struct, frozen=True):
    """A trainee's journal as typed values, ready for a section of the per-trainee report: who,
    the target and where they stand, and per behaviour every entry at its current version with
    the coach's latest verdict and comment (``EntryRecord.version`` counts its revisions)."""

    title: str
    learner: LearnerInfo
    standing: JournalStanding
    behaviours: tuple[BehaviourSection, ...]
    other: tuple[EntryRecord, ...] = ()  # of a behaviour the course no longer has

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "learner": {"id": self.learner.id, "name": self.learner.name, "nip": self.learner.nip, "cohort": self.learner.cohort},
            "target": self.standing.target, "done": self.standing.done, "total": self.standing.total,
            "behaviours": [b.to_json() for b in self.behaviours],
        }


def entry_json(e: EntryRecord) -> dict[str, object]:
    """An entry for scripts (`latsar jurnal list --json`, the cohort's exports in JSON)."""
    c = e.content
    return {
        "id": e.id, "uid": e.uid, "behaviour": c.behaviour, "date": c.happened_on.isoformat(),
        "situation": c.situation, "action": c.action, "result": c.result, "improvement": c.improvement,
        "version": e.version, "written_at": iso(e.written_at), "status": e.status.value,
        "verdict": e.verdict.value if e.verdict else None, "comment": e.comment or None,
        "reviewed_at": iso(e.reviewed_at), "shared": e.shared,
    }


def detail_json(d: EntryDetail) -> dict[str, object]:
    return {
        **entry_json(d.record),
        "editable": d.editable,
        "versions": [
            {
                "version": v.version, "written_at": iso(v.written_at), "behaviour": v.content.behaviour, "date": v.content.happened_on.isoformat(),
                "situation": v.content.situation, "action": v.content.action, "result": v.content.result, "improvement": v.content.improvement,
                "reviews": [{"verdict": r.verdict.value, "comment": r.comment or None, "reviewed_at": iso(r.reviewed_at)} for r in v.reviews],
            }
            for v in d.versions
        ],
    }


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


# -- what an entry may hold ----------------------------------------------------------------------------


def spec(course: Course) -> JournalSpec:
    """The course's journal, or a usage error: a pack without one has nothing to write in."""
    if course.journal is None:
        raise UsageError("Paket materi ini tidak memiliki jurnal aktualisasi.")
    return course.journal


def behaviour_of(course: Course, text: str) -> str:
    """The behaviour a trainee names: its id, or its letter in the module's order ("b")."""
    journal = spec(course)
    key = text.strip().lower().rstrip(".")
    for i, b in enumerate(journal.behaviours):
        if key in (b.id, "abcdefghijkl"[i]):
            return b.id
    names = ", ".join(f"{journal.letter(b.id)}/{b.id} ({b.title})" for b in journal.behaviours)
    raise UsageError(f"Perilaku '{text.strip()}' tidak dikenal; pilih {names}.")


def parse_day(value: str | date, today: date) -> date:
    if isinstance(value, date):
        day = value
    elif not value.strip():
        day = today
    else:
        day = _parsed(value.strip())
    why = rules.check_day(day, today)
    if why:
        raise UsageError(f"Tanggal ditolak: {why}.")
    return day


def _parsed(text: str) -> date:
    for fmt in DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UsageError(f"Tanggal '{text}' tidak sah; tulis seperti 2026-11-02 atau 02-11-2026.")


def clean(course: Course, draft: Draft, today: date) -> Content:
    """An entry as it may be kept, or a usage error in one sentence naming what is wrong: a
    behaviour the course has, a date between 2020 and tomorrow, four parts each written (at most
    ``MAX_TEXT`` characters, no control characters) and none holding a citizen's personal data."""
    behaviour = behaviour_of(course, draft.behaviour)
    day = parse_day(draft.happened_on, today)
    texts: list[str] = []
    for name, words in FIELD_WORDS.items():
        text = clean_text(getattr(draft, name), words, MAX_TEXT)
        if not text:
            raise UsageError(f"{words} wajib diisi.")
        found = rules.personal_data(text)
        if found:
            raise UsageError(f"{words} memuat {found}; jangan menulis data pribadi warga yang Anda layani.")
        texts.append(text)
    return Content(behaviour, day, *texts)


# -- reading entries -------------------------------------------------------------------------------------


def detail(s: Session, record: EntryRecord) -> EntryDetail:
    reviews = rows.reviews(s, record.id)
    views = tuple(
        VersionView(
            v.version, Content(v.behaviour, v.happened_on, v.situation, v.action, v.result, v.improvement), v.written_at,
            tuple(ReviewView(r.version, Verdict(r.verdict), r.comment, r.reviewed_at) for r in reviews if r.version == v.version),
        )
        for v in rows.versions(s, record.id)
    )
    return EntryDetail(record, views)


def one(s: Session, entry_id: int, learner_id: int | None = None) -> EntryRecord:
    """Entry ``entry_id`` (of ``learner_id`` only, when given): another trainee's entry is as
    unknown as one that does not exist."""
    found = rows.current(s, Filter(entry_id=entry_id, learner_id=learner_id))
    if not found:
        raise NotFound(f"Entri jurnal {entry_id} tidak ada.")
    return found[0]


def standing_of(course: Course, entries: list[EntryRecord]) -> JournalStanding | None:
    return rules.standing(course.journal, [e.state for e in entries]) if course.journal else None


def section(ctx: Context, learner_id: int) -> JournalSection:
    """A trainee's journal, ready for a report (``JournalSection``)."""
    journal = spec(ctx.course)
    learner = LearnerDirectory(ctx).get(learner_id)
    with ctx.db.read() as s:
        entries = rows.current(s, Filter(learner_id=learner_id))
    standing = rules.standing(journal, [e.state for e in entries])
    by_behaviour = {b.id: b for b in standing.behaviours}
    parts = tuple(
        BehaviourSection(b, journal.letter(b.id), by_behaviour[b.id], tuple(e for e in entries if e.content.behaviour == b.id))
        for b in journal.behaviours
    )
    other = tuple(e for e in entries if not journal.has(e.content.behaviour))
    return JournalSection(journal.title, learner, standing, parts, other)


def new_uid() -> str:
    return uuid.uuid4().hex


class Overview(Struct, frozen=True):
    """A trainee's journal at a glance: where they stand and every entry (current versions)."""

    standing: JournalStanding
    entries: tuple[EntryRecord, ...]


class Journal:
    """One trainee's journal."""

    def __init__(self, ctx: Context, learner_id: int) -> None:
        self.ctx = ctx
        self.learner_id = learner_id

    def today(self) -> date:
        return self.ctx.clock().astimezone().date()

    def entries(self, behaviour: str | None = None) -> list[EntryRecord]:
        """The trainee's entries at their current version, by date (of one behaviour, when named)."""
        wanted = behaviour_of(self.ctx.course, behaviour) if behaviour else None
        spec(self.ctx.course)
        with self.ctx.db.read() as s:
            found = rows.current(s, Filter(learner_id=self.learner_id))
        return [e for e in found if wanted is None or e.content.behaviour == wanted]

    def standing(self) -> JournalStanding:
        return self.overview().standing

    def overview(self) -> Overview:
        """Where the trainee stands and every entry, read together."""
        journal = spec(self.ctx.course)
        entries = self.entries()
        return Overview(rules.standing(journal, [e.state for e in entries]), tuple(entries))

    def entry(self, entry_id: int) -> EntryDetail:
        with self.ctx.db.read() as s:
            return detail(s, one(s, entry_id, self.learner_id))

    def section(self) -> JournalSection:
        return section(self.ctx, self.learner_id)

    def write(self, draft: Draft, share: bool = False) -> EntryDetail:
        """A new entry (version 1), waiting for the coach's review."""
        content = clean(self.ctx.course, draft, self.today())
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            if rows.count(s, self.learner_id) >= MAX_ENTRIES:
                raise UsageError(f"Jurnal ini sudah memuat {MAX_ENTRIES} entri, batas satu peserta.")
            entry_id = rows.add(s, new_uid(), self.learner_id, content, now, share)
        return self.entry(entry_id)

    def revise(self, entry_id: int, draft: Draft, version: int | None = None) -> EntryDetail:
        """A new version of one's entry, while it waits for review or was marked "perlu
        diperbaiki" (never once "sesuai"). ``version`` is the version the trainee was looking at:
        if the entry has moved on since (another window, or the coach's verdict), nothing is
        written and they are told. The same text again changes nothing."""
        content = clean(self.ctx.course, draft, self.today())
        try:
            with self.ctx.db.write() as s:
                record = one(s, entry_id, self.learner_id)
                self._may_revise(record, version)
                if record.content == content:
                    return detail(s, record)
                rows.add_version(s, entry_id, record.version + 1, content, self.ctx.clock())
        except IntegrityError:  # another window wrote the same version a moment before
            raise UsageError(f"Entri {entry_id} baru saja diubah di jendela lain; buka lagi untuk melihat versinya yang terbaru.") from None
        return self.entry(entry_id)

    @staticmethod
    def _may_revise(record: EntryRecord, version: int | None) -> None:
        if record.status is EntryStatus.ACCEPTED:
            raise UsageError(f"Entri {record.id} sudah dinilai sesuai oleh coach; entri itu tidak diubah lagi.")
        if version is not None and version != record.version:
            raise UsageError(f"Entri {record.id} sudah berubah (kini versi {record.version}); baca versi terbarunya dulu.")
        if record.version >= MAX_VERSIONS:
            raise UsageError(f"Entri {record.id} sudah {MAX_VERSIONS} kali diubah; tulis entri baru.")

    def share(self, entry_id: int, shared: bool = True) -> EntryDetail:
        """Share an entry with the class (the instructor's "Berbagi pengalaman"), or stop."""
        with self.ctx.db.write() as s:
            record = one(s, entry_id, self.learner_id)
            if record.shared != shared:
                rows.set_shared(s, entry_id, shared, self.ctx.clock())
        return self.entry(entry_id)
