"""A learner's record, read in one transaction: what every rule about that learner needs.

Finished attempts with their answers (one query for all of them), open attempts, and reading.
The gate, the retake policy, progress and the next step are all computed from this one value,
so they can never disagree with each other.
"""

from __future__ import annotations

from datetime import UTC, datetime

from msgspec import Struct
from msgspec.structs import replace
from sqlmodel import Session

from latsar.assessment import rules
from latsar.course import Course
from latsar.services.values import OpenAttempt
from latsar.storage import attempts as attempt_rows
from latsar.storage import reading as reading_rows
from latsar.storage.models import Answer, Attempt


class Finished(Struct, frozen=True):
    """A finished attempt, graded from its answers."""

    id: int
    quiz_id: str
    started_at: datetime
    finished_at: datetime
    score: rules.Score
    restudy: tuple[str, ...]
    seconds: int = 0  # time spent on it (``rules.time_on_attempt``): long pauses capped

    @property
    def summary(self) -> rules.FinishedAttempt:
        return rules.FinishedAttempt(self.finished_at, self.score.passed, self.restudy)


class Read(Struct, frozen=True):
    """A section the trainee opened; it counts as read once its end was reached."""

    last_read_at: datetime
    seconds: int
    completed_at: datetime | None  # the last time the trainee reached its end, in time to have read it
    skimmed_at: datetime | None = None  # the last time the end was reached too soon

    @property
    def done(self) -> bool:
        return self.completed_at is not None

    @property
    def skimmed(self) -> bool:
        """Its end was last reached too soon: skimmed since it was last read (if ever)."""
        return self.skimmed_at is not None and (self.completed_at is None or self.skimmed_at > self.completed_at)


def graded(course: Course, attempt: Attempt, answers: list[Answer]) -> rules.Graded:
    """An attempt graded from its stored answers against the course's keys; the sections to
    restudy in the module's order."""
    ev = course.evaluation(attempt.quiz_id)
    g = rules.grade(ev.bank.questions, {a.question_id: a.choice for a in answers}, attempt.threshold or ev.threshold)
    return replace(g, restudy=course.in_order(g.restudy))


class Record(Struct, frozen=True):
    finished: tuple[Finished, ...]  # oldest first
    open: dict[str, OpenAttempt]  # by evaluation id
    reads: dict[str, Read]  # by section id: every section opened, finished or not

    def of(self, quiz_id: str) -> list[Finished]:
        return [a for a in self.finished if a.quiz_id == quiz_id]

    def best(self, quiz_id: str) -> rules.Score | None:
        return rules.best(a.score for a in self.of(quiz_id))

    def mastered(self, course: Course) -> set[str]:
        return rules.mastered(course, {e.id: self.best(e.id) for e in course.evaluations})

    @property
    def read(self) -> set[str]:
        """Sections read: the trainee reached their end at least once."""
        return {sid for sid, r in self.reads.items() if r.done}

    @property
    def completed(self) -> dict[str, datetime]:
        """When the trainee last reached the end of each section read."""
        return {sid: r.completed_at for sid, r in self.reads.items() if r.completed_at is not None}

    def retake_block(self, course: Course, quiz_id: str, now: datetime) -> rules.RetakeBlock | None:
        return rules.retake_block(course, quiz_id, [a.summary for a in self.of(quiz_id)], self.completed, now)

    def to_reopen(self, quiz_id: str, now: datetime) -> list[str]:
        mine = self.of(quiz_id)
        return rules.sections_to_reopen(mine[-1].summary if mine else None, self.completed, now)


def _finished(course: Course, a: Attempt, answers: list[Answer]) -> Finished | None:
    """A finished attempt of this course, graded; None for anything else."""
    if a.id is None or a.finished_at is None or not a.total or not course_has(course, a.quiz_id):
        return None
    g = graded(course, a, answers)
    score = rules.Score(a.correct or 0, a.total, a.threshold or g.score.threshold)
    moments = [a.started_at, a.finished_at, *(x.answered_at for x in answers)]
    return Finished(a.id, a.quiz_id, a.started_at, a.finished_at, score, g.restudy, rules.time_on_attempt([_utc(m) for m in moments]))


def _open(course: Course, a: Attempt, answers: list[Answer]) -> OpenAttempt | None:
    if a.id is None or not course_has(course, a.quiz_id):
        return None
    return OpenAttempt(a.id, sum(1 for x in answers if x.choice), len(course.evaluation(a.quiz_id).bank.questions))


def load(s: Session, course: Course, learner_id: int) -> Record:
    finished_rows = attempt_rows.finished(s, learner_id)
    open_rows = attempt_rows.open_attempts(s, learner_id)
    answers = attempt_rows.answers_by_attempt(s, [a.id for a in finished_rows + open_rows if a.id is not None])
    finished = [f for a in finished_rows if (f := _finished(course, a, answers.get(a.id or 0, [])))]
    opened = {a.quiz_id: o for a in open_rows if (o := _open(course, a, answers.get(a.id or 0, [])))}
    reads = {sid: Read(r.last_read_at, r.seconds, r.completed_at, r.skimmed_at) for sid, r in reading_rows.reads(s, learner_id).items()}
    return Record(tuple(finished), opened, reads)


def course_has(course: Course, quiz_id: str) -> bool:
    return any(e.id == quiz_id for e in course.evaluations)


def _utc(moment: datetime) -> datetime:
    """A stored time (UTC; SQLite gives it back naive), comparable with any other."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
