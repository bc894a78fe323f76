"""The coach's side of the habituation journal, behind the instructor passphrase: the queue of
entries waiting for review (oldest first), the verdict with a comment, the entries trainees
share with the class, a trainee's journal for their report, and the counts per behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct

from latsar.assessment import journal as rules
from latsar.assessment.journal import MAX_COMMENT, EntryRecord, EntryStatus, Verdict
from latsar.course import Course
from latsar.course.model import Journal as JournalSpec
from latsar.errors import UsageError
from latsar.services.context import Context
from latsar.services.journal import EntryDetail, JournalSection, detail, one, section, spec
from latsar.services.learners import clean_text, require_cohort
from latsar.storage import journal as rows
from latsar.storage.journal import Filter

VERDICT_CHOICES = "sesuai, perlu-diperbaiki"


class BehaviourGlance(Struct, frozen=True):
    """One behaviour across a group of trainees: entries at their current version, by status."""

    id: str
    letter: str
    title: str
    entries: int
    accepted: int
    needs_revision: int
    waiting: int
    authors: int  # trainees with at least one entry of it
    done: int  # trainees who reached the target for it

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "letter": self.letter, "title": self.title, "entries": self.entries, "sesuai": self.accepted,
            "perlu_diperbaiki": self.needs_revision, "menunggu": self.waiting, "trainees": self.authors, "target_met": self.done,
        }


class JournalGlance(Struct, frozen=True):
    """The journal across a group of trainees (a cohort): per behaviour, and how many trainees
    reached the whole target."""

    title: str
    target: int
    behaviours: tuple[BehaviourGlance, ...]
    complete: int  # trainees who reached the target for every behaviour
    shared: int  # entries shared with the class

    def to_json(self) -> dict[str, object]:
        return {"target": self.target, "complete": self.complete, "shared": self.shared, "behaviours": [b.to_json() for b in self.behaviours]}


def glance(course: Course, entries: Iterable[EntryRecord]) -> JournalGlance | None:
    """Counts per behaviour over ``entries`` (of any number of trainees). Pure."""
    journal = course.journal
    if journal is None:
        return None
    mine: dict[int, list[EntryRecord]] = {}
    for e in entries:
        mine.setdefault(e.learner_id, []).append(e)
    standings = [rules.standing(journal, [e.state for e in es]) for es in mine.values()]
    every = [e for es in mine.values() for e in es]
    parts = tuple(_behaviour_glance(journal, i, every, standings) for i in range(len(journal.behaviours)))
    return JournalGlance(journal.title, journal.target, parts, sum(1 for st in standings if st.complete), sum(1 for e in every if e.shared))


def _behaviour_glance(journal: JournalSpec, i: int, every: list[EntryRecord], standings: list[rules.JournalStanding]) -> BehaviourGlance:
    """The ``i``-th behaviour across every entry and every trainee's standing."""
    b = journal.behaviours[i]
    of_b = [e for e in every if e.content.behaviour == b.id]
    count = {s: sum(1 for e in of_b if e.status is s) for s in EntryStatus}
    return BehaviourGlance(
        b.id, journal.letter(b.id), b.title, len(of_b), count[EntryStatus.ACCEPTED], count[EntryStatus.NEEDS_REVISION],
        count[EntryStatus.WAITING], len({e.learner_id for e in of_b}), sum(1 for st in standings if st.behaviours[i].done),
    )


def describe(g: JournalGlance) -> list[str]:
    """The glance as lines an instructor reads (plain terminal and TUI)."""
    lines = [f"{g.title} (target {g.target} entri sesuai per perilaku): {g.complete} peserta mencapai target, {g.shared} entri dibagikan"]
    for b in g.behaviours:
        lines.append(
            f"  {b.letter}. {b.title}: {b.entries} entri dari {b.authors} peserta — {b.accepted} sesuai, "
            f"{b.needs_revision} perlu diperbaiki, {b.waiting} menunggu; {b.done} peserta mencapai target"
        )
    return lines


class Coaching:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def queue(self, cohort: str | None = None) -> list[EntryRecord]:
        """Entries whose current version waits for a verdict, oldest first (of one cohort)."""
        spec(self.ctx.course)
        cohort = require_cohort(self.ctx, cohort)
        with self.ctx.db.read() as s:
            return rows.current(s, Filter(cohort=cohort, waiting=True), oldest_first=True)

    def entry(self, entry_id: int) -> EntryDetail:
        with self.ctx.db.read() as s:
            return detail(s, one(s, entry_id))

    def review(self, entry_id: int, version: int | None, verdict: Verdict | str, comment: str = "") -> EntryDetail:
        """The coach's verdict on the current version of an entry, with a comment (required when
        it asks for improvement: the trainee must know what to improve). ``version`` is the
        version the coach read: an entry revised since is not judged unread."""
        chosen = verdict if isinstance(verdict, Verdict) else Verdict.parse(verdict)
        if chosen is None:
            raise UsageError(f"Putusan '{verdict}' tidak dikenal; pilih {VERDICT_CHOICES}.")
        said = clean_text(comment, "Komentar", MAX_COMMENT) or ""
        if chosen is Verdict.PERLU_DIPERBAIKI and not said:
            raise UsageError("Tulis komentar: apa yang perlu diperbaiki peserta.")
        with self.ctx.db.write() as s:
            record = one(s, entry_id)
            if version is not None and version != record.version:
                raise UsageError(f"Entri {entry_id} baru saja diubah peserta (kini versi {record.version}); baca versi itu dulu.")
            rows.add_review(s, entry_id, record.version, chosen, said, self.ctx.clock())
        return self.entry(entry_id)

    def shared(self, cohort: str | None = None) -> list[EntryRecord]:
        """Entries their authors share with the class, by behaviour (the module's order), then
        author and date."""
        journal = spec(self.ctx.course)
        cohort = require_cohort(self.ctx, cohort)
        with self.ctx.db.read() as s:
            found = rows.current(s, Filter(cohort=cohort, shared=True))
        order = {b.id: i for i, b in enumerate(journal.behaviours)}
        return sorted(found, key=lambda e: order.get(e.content.behaviour, len(order)))

    def section(self, learner_id: int) -> JournalSection:
        """A trainee's journal as typed values, for the per-trainee report."""
        return section(self.ctx, learner_id)

    def glance(self, cohort: str | None = None) -> JournalGlance | None:
        """Entries and verdicts per behaviour (of one cohort); None when the course has no journal."""
        if self.ctx.course.journal is None:
            return None
        return glance(self.ctx.course, rows.stream(self.ctx.db, cohort))
