"""The tables (schema v3). Timestamps are UTC.

Invariants live here, so they hold across processes and on SQLite and PostgreSQL alike:
at most one open attempt per learner and evaluation (a partial unique index), one answer per
attempt and question (the primary key; answers are upserted), one card per learner and
practice question, cohort names unique as people type them (``cohort.key``).
"""

# No `from __future__ import annotations`: with real annotations pydantic need not evaluate
# strings for every column (~10% of building the tables, at every start).
from datetime import UTC, date, datetime
from typing import Optional, cast

from sqlalchemy import DDL, Index, Table, event
from sqlmodel import Field, SQLModel

from latsar.assessment.journal import MAX_COMMENT, MAX_TEXT, Origin
from latsar.assessment.rules import AttemptState


def utcnow() -> datetime:
    return datetime.now(UTC)


class Row(SQLModel):
    """Every table's base. Rows are written by latsar and read from the database, never
    validated by pydantic (table models skip validation): its validators are built only if
    one is ever asked for (``defer_build``), not for every table at every start."""

    model_config = SQLModel.model_config | {"defer_build": True}


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for the streaming queries written in SQLAlchemy Core."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]  # set on every table=True model


class Meta(Row, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


class Cohort(Row, table=True):
    __tablename__ = "cohort"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=120)  # the first spelling seen
    key: str = Field(unique=True, max_length=120)  # how it matches: case and spaces ignored


class Learner(Row, table=True):
    __tablename__ = "learner"
    # An id is printed on PIN cards and typed as --learner: never given to anyone else, even
    # after its learner is removed (SQLite's AUTOINCREMENT; a PostgreSQL sequence never goes back).
    __table_args__ = {"sqlite_autoincrement": True}
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    nip: Optional[str] = Field(default=None, unique=True, index=True, max_length=18)
    cohort_id: Optional[int] = Field(default=None, foreign_key="cohort.id", index=True)
    instansi: Optional[str] = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    last_section: Optional[str] = Field(default=None, max_length=64)


class SectionProgress(Row, table=True):
    __tablename__ = "section_progress"
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    section_id: str = Field(primary_key=True, max_length=64)
    first_read_at: datetime = Field(default_factory=utcnow)
    last_read_at: datetime = Field(default_factory=utcnow)
    read_count: int = 1
    seconds: int = 0
    position: float = 0.0
    completed_at: Optional[datetime] = None  # the trainee reached the end of the section, in time to have read it
    skimmed_at: Optional[datetime] = None  # the last time the end was reached too soon to have been read


# At most one open attempt per learner and evaluation, whoever races to start one. A partial
# unique index, written as DDL that reads the same on SQLite and PostgreSQL (declaring it with
# `postgresql_where=` would load the PostgreSQL dialect at import, even on SQLite: ~15 ms of
# every trainee's first screen). Created with the table (below) and by the v1 -> v2 migration.
OPEN_ATTEMPT_INDEX = DDL(  # type: ignore[no-untyped-call]  # SQLAlchemy does not annotate DDL()
    f"CREATE UNIQUE INDEX ux_attempt_open ON attempt (learner_id, quiz_id) WHERE state = '{AttemptState.IN_PROGRESS.value}'"
)


class Attempt(Row, table=True):
    __tablename__ = "attempt"
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, index=True, max_length=64)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    quiz_id: str = Field(index=True, max_length=64)
    state: str = Field(default=AttemptState.IN_PROGRESS.value, index=True, max_length=16)
    seed: Optional[int] = None
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: Optional[datetime] = None
    correct: Optional[int] = None
    total: Optional[int] = None
    threshold: Optional[int] = None
    passed: Optional[bool] = None
    course_version: str = Field(default="", max_length=64)
    origin: str = Field(default="local", max_length=16)


event.listen(table_of(Attempt), "after_create", OPEN_ATTEMPT_INDEX)


class Answer(Row, table=True):
    __tablename__ = "answer"
    attempt_id: int = Field(foreign_key="attempt.id", primary_key=True)
    question_id: str = Field(primary_key=True, max_length=64)
    choice: Optional[str] = Field(default=None, max_length=4)
    flagged: bool = False
    answered_at: datetime = Field(default_factory=utcnow)


class PracticeCard(Row, table=True):
    """An FSRS card: one learner's memory of one practice or section-check question."""

    __tablename__ = "practice_card"
    __table_args__ = (Index("ix_practice_card_due", "learner_id", "due"),)
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    question_id: str = Field(primary_key=True, max_length=64)
    state: int = 1  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Optional[int] = 0
    stability: Optional[float] = None
    difficulty: Optional[float] = None
    due: datetime = Field(default_factory=utcnow)
    last_review: Optional[datetime] = None
    seen: int = 0
    right: int = 0


class PracticeReview(Row, table=True):
    """Every practice answer, as FSRS rated it: the review log."""

    __tablename__ = "practice_review"
    id: Optional[int] = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    question_id: str = Field(max_length=64)
    rating: int  # fsrs.Rating: 1 again, 3 good
    reviewed_at: datetime = Field(default_factory=utcnow)
    duration_ms: Optional[int] = None


class LearnerPin(Row, table=True):
    """A learner's PIN (scrypt, salted). Wrong guesses are counted in ``guess``."""

    __tablename__ = "learner_pin"
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    salt: str = Field(max_length=64)
    digest: str = Field(max_length=256)
    set_at: datetime = Field(default_factory=utcnow)


class LiveSession(Row, table=True):
    """A session of the classroom server: who is online and what they are doing."""

    __tablename__ = "live_session"
    id: str = Field(primary_key=True, max_length=64)
    learner_id: Optional[int] = Field(default=None, foreign_key="learner.id", index=True)
    node: str = Field(default="", max_length=128)
    started_at: datetime = Field(default_factory=utcnow)
    seen_at: datetime = Field(default_factory=utcnow)
    ended_at: Optional[datetime] = None
    activity: str = Field(default="", max_length=16)  # home, reading, evaluation, practice
    target: Optional[str] = Field(default=None, max_length=64)  # the section or evaluation
    answered: Optional[int] = None
    total: Optional[int] = None


class InstructorSecret(Row, table=True):
    """The instructor passphrase (scrypt); one row. Wrong guesses are counted in ``guess``."""

    __tablename__ = "instructor_secret"
    id: int = Field(default=1, primary_key=True)
    salt: str = Field(max_length=64)
    digest: str = Field(max_length=256)


class Guess(Row, table=True):
    """Wrong guesses of a PIN or the passphrase, counted per scope: one target (a learner's PIN,
    an NIP nobody has, the passphrase) from one source (a browser's address, a terminal), and
    one source over all targets. How long the next guess must wait follows from the count and
    the time of the last failure alone, so every wait ends (``services.guard``)."""

    __tablename__ = "guess"
    scope: str = Field(primary_key=True, max_length=200)
    failures: int = 0
    last_failure: datetime = Field(default_factory=utcnow)


class JournalEntry(Row, table=True):
    """An entry of a trainee's habituation journal ("Jurnal aktualisasi"). Its text is in
    ``journal_version``; the coach's verdicts in ``journal_review``. ``uid`` names it on every
    machine (a results file brings it by that name); sharing it in class is the trainee's
    choice, made at ``shared_at``."""

    __tablename__ = "journal_entry"
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, max_length=64)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    shared: bool = False
    shared_at: Optional[datetime] = None
    origin: str = Field(default=Origin.LOCAL.value, max_length=16)


class JournalVersion(Row, table=True):
    """One version of an entry's text: 1 when written, one more at every revision; never changed."""

    __tablename__ = "journal_version"
    entry_id: int = Field(foreign_key="journal_entry.id", primary_key=True)
    version: int = Field(primary_key=True)
    behaviour: str = Field(max_length=64)
    happened_on: date
    situation: str = Field(max_length=MAX_TEXT)
    action: str = Field(max_length=MAX_TEXT)
    result: str = Field(max_length=MAX_TEXT)
    improvement: str = Field(max_length=MAX_TEXT)
    written_at: datetime = Field(default_factory=utcnow)


class JournalReview(Row, table=True):
    """A coach's verdict on one version of an entry, with a comment. Kept, never changed: the
    latest verdict on the current version is the entry's status."""

    __tablename__ = "journal_review"
    __table_args__ = (Index("ix_journal_review_entry", "entry_id", "version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="journal_entry.id")
    version: int
    verdict: str = Field(max_length=24)  # assessment.journal.Verdict
    comment: str = Field(default="", max_length=MAX_COMMENT)
    reviewed_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "Answer",
    "Attempt",
    "Cohort",
    "Guess",
    "InstructorSecret",
    "JournalEntry",
    "JournalReview",
    "JournalVersion",
    "Learner",
    "LearnerPin",
    "LiveSession",
    "Meta",
    "PracticeCard",
    "PracticeReview",
    "SectionProgress",
    "table_of",
    "utcnow",
]
