"""What a cohort's records look like to the reports and exports: typed rows, nothing of SQL.
Pure: standard library and msgspec. Storage fills them (``storage.reports``); the services and
the faces read them; neither side needs the other to know their shape."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

# The rows an export streams (100,000 learners, millions of answers) are built and read for
# every cell: structs that hold no other object are kept out of the cyclic collector (gc=False),
# and a struct is built in a third of a named tuple's time.


class SummaryRow(Struct, frozen=True, gc=False):
    """One learner. The per-evaluation tuples follow the course's order of evaluations."""

    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None
    best_percent: tuple[int | None, ...]  # whole percent, rounded down, of the best attempt
    attempts: tuple[int, ...]
    passed_at: tuple[datetime | None, ...]  # the first pass
    sections_read: int
    last_activity: datetime | None
    learner_id: int
    reading_seconds: int = 0  # time on task: reading, as the reader counted it
    evaluation_seconds: int = 0  # time on task: from start to submission of every finished attempt
    open_attempts: int = 0  # attempts started and not finished

    @property
    def complete(self) -> bool:
        return None not in self.passed_at


class AttemptRecord(Struct, frozen=True, gc=False):
    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None
    quiz_id: str
    number: int | None  # 1 for the learner's first finished attempt at this evaluation (None: not finished)
    started_at: datetime | None
    finished_at: datetime | None
    correct: int | None
    total: int | None
    percent: int | None
    passed: bool | None
    origin: str
    uid: str
    finished: bool = True  # False: started and not finished (number, score and pass are None then)
    answered: int | None = None  # questions answered (given for an unfinished attempt)


class AnswerRecord(Struct, frozen=True, gc=False):
    name: str
    nip: str | None
    cohort: str | None
    quiz_id: str
    attempt_uid: str
    finished_at: datetime | None
    question_id: str
    choice: str | None
    answered_at: datetime | None


class TracedAttempt(Struct, frozen=True):
    uid: str
    quiz_id: str
    started_at: datetime
    finished_at: datetime
    imported: bool
    answers: dict[str, str]  # question -> choice
    answered_at: tuple[datetime, ...]


class TracedReading(Struct, frozen=True):
    section_id: str
    first_read_at: datetime | None
    last_read_at: datetime | None
    completed_at: datetime | None
    read_count: int


class ImportedTrace(Struct, frozen=True):
    """A learner with at least one imported finished attempt: every finished attempt of theirs
    (with answers and their times) and every reading record."""

    learner_id: int
    name: str
    nip: str | None
    cohort: str | None
    attempts: tuple[TracedAttempt, ...]
    reading: tuple[TracedReading, ...]


class SectionReading(Struct, frozen=True):
    """One section across a group of learners: how many opened it, how many read it to its end."""

    section_id: str
    opened: int
    completed: int


class OpenAttemptRecord(Struct, frozen=True):
    """An attempt started and not finished."""

    learner_id: int
    name: str
    nip: str | None
    quiz_id: str
    started_at: datetime | None
    answered: int


class PresenceRecord(Struct, frozen=True):
    """One classroom session of a learner (``live_session``): from its start to when it was last seen."""

    learner_id: int
    started_at: datetime
    seen_at: datetime


class Footprint(Struct, frozen=True):
    """What a learner's record holds (counted before a removal or a merge)."""

    attempts: int
    answers: int
    sections: int
    cards: int
    reviews: int
    pin: bool
    sessions: int
    journal: int = 0  # journal entries


class Merged(Struct, frozen=True):
    """What a merge moved from OTHER to KEEP."""

    attempts: int
    open_folded: int  # open attempts at the same evaluation made one
    answers_copied: int
    sections_moved: int
    sections_combined: int
    cards_moved: int
    cards_combined: int
    reviews: int
    pin_moved: bool
    sessions: int
    filled: tuple[str, ...]  # KEEP's empty fields filled from OTHER: "nip", "cohort", "instansi"
    journal: int = 0  # journal entries moved (each stays one entry)
