"""The habituation journal's rules, written once. Pure: standard library and msgspec only.

- An entry practises one of the course's behaviours; its text is kept in versions. A trainee
  may write a new version while the current one waits for review or was marked "perlu
  diperbaiki"; once the current version is "sesuai" the entry is final.
- The status of an entry is the coach's latest verdict on its current version, or waiting.
- The target: every behaviour has at least ``target`` entries whose current version is
  "sesuai" (the map's "Aktualisasi 2/3" counts the behaviours that reach it).
- What to do next: revise the oldest entry marked for improvement, else write for the first
  behaviour (in the module's order) that is not done and has nothing waiting for review.
- Citizens' personal data has no place in a journal: long runs of digits (an NIK, a family
  card number, a telephone number) are refused with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from msgspec import Struct

from latsar.course.model import Journal

# What an entry holds, and how long each part may be (characters). The journal is a few
# sentences per part; nothing else (no attachment) is ever stored.
TEXT_FIELDS = ("situation", "action", "result", "improvement")
MAX_TEXT = 1000
MAX_COMMENT = 1000
MAX_VERSIONS = 50  # revisions of one entry: more is not a trainee's journal
MAX_ENTRIES = 300  # entries of one trainee
EARLIEST_DAY = date(2020, 1, 1)


class Verdict(StrEnum):
    """The coach's verdict on one version of an entry."""

    SESUAI = "sesuai"
    PERLU_DIPERBAIKI = "perlu_diperbaiki"

    @property
    def words(self) -> str:
        return "sesuai" if self is Verdict.SESUAI else "perlu diperbaiki"

    @classmethod
    def parse(cls, text: str) -> Verdict | None:
        """A verdict as people type it: "sesuai", "perlu diperbaiki", "perlu-diperbaiki"."""
        key = re.sub(r"[\s_-]+", "_", text.strip().lower())
        return next((v for v in cls if v.value == key), None)


class EntryStatus(StrEnum):
    WAITING = "waiting"  # the current version has no verdict yet
    ACCEPTED = "accepted"  # "sesuai"
    NEEDS_REVISION = "needs_revision"  # "perlu diperbaiki"


class Origin(StrEnum):
    """Where an entry was written: here, or on a laptop whose results file brought it."""

    LOCAL = "local"
    IMPORTED = "imported"


def status(verdict: Verdict | None) -> EntryStatus:
    if verdict is None:
        return EntryStatus.WAITING
    return EntryStatus.ACCEPTED if verdict is Verdict.SESUAI else EntryStatus.NEEDS_REVISION


def editable(entry_status: EntryStatus) -> bool:
    """Whether the trainee may write a new version: not once the coach found it "sesuai"."""
    return entry_status is not EntryStatus.ACCEPTED


class Content(Struct, frozen=True):
    """One version's text, as the trainee wrote it (cleaned)."""

    behaviour: str
    happened_on: date
    situation: str
    action: str
    result: str
    improvement: str

    def texts(self) -> tuple[str, str, str, str]:
        return self.situation, self.action, self.result, self.improvement


class EntryRecord(Struct, frozen=True):
    """One entry at its current version, with its author and the coach's latest verdict on that
    version: what the lists, the coach's queue, the class's shared entries, the reports and the
    exports read. Storage fills it; nothing of SQL shows."""

    id: int
    uid: str
    learner_id: int
    name: str
    nip: str | None
    cohort: str | None
    version: int  # the current version
    content: Content
    written_at: datetime  # when the current version was written
    created_at: datetime
    shared: bool
    origin: Origin
    verdict: Verdict | None
    comment: str
    reviewed_at: datetime | None

    @property
    def status(self) -> EntryStatus:
        return status(self.verdict)

    @property
    def state(self) -> EntryState:
        return EntryState(self.id, self.content.behaviour, self.status, self.written_at)


class EntryState(Struct, frozen=True):
    """What the rules need to know of one entry: its current behaviour and status."""

    id: int
    behaviour: str
    status: EntryStatus
    written_at: datetime  # of the current version


class BehaviourStanding(Struct, frozen=True):
    id: str
    accepted: int
    waiting: int
    needs_revision: int
    target: int

    @property
    def done(self) -> bool:
        return self.accepted >= self.target

    @property
    def entries(self) -> int:
        return self.accepted + self.waiting + self.needs_revision


class JournalStanding(Struct, frozen=True):
    """Where a trainee stands with the journal."""

    behaviours: tuple[BehaviourStanding, ...]
    target: int
    revise: int | None  # the entry to revise first: the oldest marked "perlu diperbaiki"
    next_behaviour: str | None  # the first behaviour not done with nothing waiting for review

    @property
    def done(self) -> int:
        return sum(1 for b in self.behaviours if b.done)

    @property
    def total(self) -> int:
        return len(self.behaviours)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def waiting(self) -> int:
        return sum(b.waiting for b in self.behaviours)

    @property
    def entries(self) -> int:
        return sum(b.entries for b in self.behaviours)


def standing(journal: Journal, entries: Iterable[EntryState]) -> JournalStanding:
    """The trainee's standing from their entries (an entry of a behaviour the course no longer
    has counts for nothing)."""
    mine = list(entries)
    counts = {b.id: {s: 0 for s in EntryStatus} for b in journal.behaviours}
    for e in mine:
        if e.behaviour in counts:
            counts[e.behaviour][e.status] += 1
    behaviours = tuple(
        BehaviourStanding(b.id, c[EntryStatus.ACCEPTED], c[EntryStatus.WAITING], c[EntryStatus.NEEDS_REVISION], journal.target)
        for b in journal.behaviours
        for c in (counts[b.id],)
    )
    to_revise = sorted((e for e in mine if e.status is EntryStatus.NEEDS_REVISION and e.behaviour in counts), key=lambda e: (e.written_at, e.id))
    following = next((b.id for b in behaviours if not b.done and b.accepted + b.waiting < b.target), None)
    return JournalStanding(behaviours, journal.target, to_revise[0].id if to_revise else None, following)


# -- what a trainee may write ---------------------------------------------------------------------

# A citizen's NIK and family-card number have 16 digits, a telephone number 10 to 13: a run of
# ten or more digits, written together or with spaces, dots or dashes between groups.
_LONG_NUMBER = re.compile(r"(?<![\d])\+?\d(?:[ .\-]?\d){9,}(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def personal_data(text: str) -> str | None:
    """What in ``text`` looks like a citizen's personal data, in words; None when nothing does."""
    if _LONG_NUMBER.search(text):
        return "deret angka panjang (NIK, nomor KK, atau nomor telepon?)"
    if _EMAIL.search(text):
        return "alamat email"
    return None


def check_day(day: date, today: date) -> str | None:
    """Why a journal's date cannot be, or None: not before 2020, not after tomorrow (a laptop's
    clock a day ahead is forgiven)."""
    if day < EARLIEST_DAY:
        return f"tanggal {day.isoformat()} terlalu lampau"
    if (day - today).days > 1:
        return f"tanggal {day.isoformat()} ada di masa depan"
    return None
