"""The tables. Timestamps are timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Optional, cast

from sqlalchemy import Table
from sqlmodel import Field, SQLModel

from latsar.assessment.rules import AttemptState


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for the streaming queries written in SQLAlchemy Core."""
    return cast(Table, model.__table__)


class Meta(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


class Cohort(SQLModel, table=True):
    __tablename__ = "cohort"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=120)


class Learner(SQLModel, table=True):
    __tablename__ = "learner"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    nip: Optional[str] = Field(default=None, unique=True, index=True, max_length=18)
    cohort_id: Optional[int] = Field(default=None, foreign_key="cohort.id", index=True)
    instansi: Optional[str] = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    last_section: Optional[str] = Field(default=None, max_length=64)


class SectionProgress(SQLModel, table=True):
    __tablename__ = "section_progress"
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    section_id: str = Field(primary_key=True, max_length=64)
    first_read_at: datetime = Field(default_factory=utcnow)
    last_read_at: datetime = Field(default_factory=utcnow)
    read_count: int = 1
    seconds: int = 0
    position: float = 0.0


class Attempt(SQLModel, table=True):
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


class Answer(SQLModel, table=True):
    __tablename__ = "answer"
    attempt_id: int = Field(foreign_key="attempt.id", primary_key=True)
    question_id: str = Field(primary_key=True, max_length=64)
    choice: Optional[str] = Field(default=None, max_length=4)
    flagged: bool = False
    answered_at: datetime = Field(default_factory=utcnow)


class PracticeItem(SQLModel, table=True):
    """Spaced review of the practice bank, per learner and question."""

    __tablename__ = "practice_item"
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    question_id: str = Field(primary_key=True, max_length=64)
    box: int = 0
    due_at: datetime = Field(default_factory=utcnow)
    seen: int = 0
    right: int = 0
    last_at: datetime = Field(default_factory=utcnow)


class InstructorSecret(SQLModel, table=True):
    """The instructor passphrase (scrypt) and its lockout state; one row."""

    __tablename__ = "instructor_secret"
    id: int = Field(default=1, primary_key=True)
    salt: str = Field(max_length=64)
    digest: str = Field(max_length=256)
    failures: int = 0
    locked_until: Optional[datetime] = None


__all__ = [
    "Answer",
    "Attempt",
    "Cohort",
    "InstructorSecret",
    "Learner",
    "Meta",
    "PracticeItem",
    "SectionProgress",
    "table_of",
    "utcnow",
]
