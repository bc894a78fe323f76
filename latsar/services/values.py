"""Values the services hand to the CLI, the plain terminal and the TUI: typed, never ORM rows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from msgspec import Struct, field

from latsar.assessment.journal import JournalStanding
from latsar.assessment.rules import AttemptState, GateLock, Presented, RetakeBlock, ReviewItem, Score, Standing, standing
from latsar.course.model import Question


class LearnerInfo(Struct, frozen=True):
    id: int
    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None
    created_at: datetime

    @property
    def label(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else self.name


class EntryKind(StrEnum):
    """What a line of the module map (or a next step) opens."""

    PART = "part"
    SECTION = "section"
    EVALUATION = "evaluation"
    PRACTICE = "practice"
    JOURNAL = "journal"  # the journal (its id: a behaviour to write for, or "" for the list)
    JOURNAL_ENTRY = "journal-entry"  # one entry of the journal (its id: the entry's)


class Target(Struct, frozen=True):
    """Something a trainee can open: a section, an evaluation, practice."""

    kind: EntryKind
    id: str

    @property
    def key(self) -> str:
        """A stable string for widget ids; ``Target.from_key`` reads it back."""
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def from_key(cls, key: str) -> Target:
        kind, _, ident = key.partition(":")
        return cls(EntryKind(kind), ident)


class AttemptView(Struct):
    id: int
    quiz_id: str
    title: str
    threshold: int
    presented: list[Presented]
    answers: dict[str, str | None]  # question id -> canonical letter
    flagged: set[str] = field(default_factory=set)

    def unanswered(self) -> list[Presented]:
        return [p for p in self.presented if not self.answers.get(p.question.id)]

    @property
    def answered_count(self) -> int:
        return sum(1 for p in self.presented if self.answers.get(p.question.id))


class AttemptResult(Struct, frozen=True):
    attempt_id: int
    quiz_id: str
    title: str
    score: Score
    restudy: tuple[str, ...]
    restudy_titles: tuple[str, ...]
    review: list[ReviewItem]
    finished_at: datetime | None

    @property
    def passed(self) -> bool:
        return self.score.passed

    @property
    def wrong_numbers(self) -> list[int]:
        return [item.number for item in self.review if not item.correct]

    def to_json(self) -> dict[str, object]:
        return {
            "quiz": self.quiz_id,
            "correct": self.score.correct,
            "total": self.score.total,
            "percent": self.score.percent,
            "threshold": self.score.threshold,
            "passed": self.score.passed,
            "restudy": list(self.restudy),
        }


class AttemptRow(Struct, frozen=True):
    id: int
    quiz_id: str
    state: AttemptState
    started_at: datetime
    finished_at: datetime | None
    score: Score | None  # None while the attempt is open

    @property
    def finished(self) -> bool:
        return self.state is AttemptState.FINISHED

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score.passed


class OpenAttempt(Struct, frozen=True):
    """An attempt started and not yet finished: where the trainee stopped."""

    id: int
    answered: int
    total: int


class EvaluationStatus(Struct, frozen=True):
    id: str
    title: str
    name: str
    threshold: int
    lock: GateLock | None  # the gate keeps it closed
    retake: RetakeBlock | None  # a new attempt may not start now
    best: Score | None
    attempts: int  # finished attempts
    open: OpenAttempt | None
    passed_at: datetime | None

    @property
    def passed(self) -> bool:
        return self.best is not None and self.best.passed

    @property
    def standing(self) -> Standing:
        return standing(self.lock, self.open is not None, self.best)


class SectionStatus(Struct, frozen=True):
    id: str
    title: str
    part: str
    read: bool  # the trainee reached its end at least once
    opened: bool  # opened at least once, finished or not
    lock: GateLock | None
    last_read_at: datetime | None
    seconds: int
    restudy: bool  # listed for restudy after the last failed attempt and not read to its end since
    skimmed: bool = False  # its end was last reached too soon to have been read


class ReachedEnd(Struct, frozen=True):
    """The end of a section was reached: whether that counts as reading it (``rules.read_in_time``)."""

    section_id: str
    counted: bool
    seconds: int  # since the section was opened
    needed: int  # the least time its words can be read in
    words: int

    @property
    def remaining(self) -> int:
        """Seconds until reaching the end would count."""
        return max(0, self.needed - self.seconds)


class MapItem(Struct, frozen=True):
    kind: EntryKind
    id: str
    title: str
    part: str

    @property
    def target(self) -> Target:
        return Target(self.kind, self.id)


class StepKind(StrEnum):
    RESTUDY = "restudy"
    READ = "read"
    CONTINUE = "continue"
    TAKE = "take"
    RETAKE = "retake"  # a failed evaluation whose restudy is done: take it again
    LOCKED = "locked"
    COMPLETE = "complete"
    # After the evaluations, the habituation journal: revise what the coach marked, write for the
    # next behaviour, or wait for the coach's review.
    JOURNAL_REVISE = "journal_revise"
    JOURNAL_WRITE = "journal_write"
    JOURNAL_WAIT = "journal_wait"


class NextStep(Struct, frozen=True):
    """The suggested next step and what it opens (nothing when locked or complete)."""

    kind: StepKind
    target: Target | None = None
    lock: GateLock | None = None
    open: OpenAttempt | None = None  # how far the attempt to continue is
    optional: bool = False  # continuing a retake begun after a pass: the trainee's choice, not required


class Progress(Struct, frozen=True):
    learner: LearnerInfo
    items: list[MapItem]
    sections: dict[str, SectionStatus]
    evaluations: dict[str, EvaluationStatus]
    history: list[AttemptRow]
    seconds_reading: int
    seconds_quizzing: int
    next_step: NextStep
    last_section: str | None
    practice: PracticeCounts
    journal: JournalStanding | None = None  # the habituation journal, when the course has one

    @property
    def module_complete(self) -> bool:
        """Every evaluation passed: the module mastered (what the instructor's export calls complete)."""
        return all(e.passed for e in self.evaluations.values())

    @property
    def all_read(self) -> bool:
        """Every section open to the trainee read to its end."""
        return all(s.read for s in self.sections.values() if not s.lock)

    @property
    def sections_read(self) -> int:
        return sum(1 for s in self.sections.values() if s.read)


class PracticeCounts(Struct, frozen=True):
    due: int  # seen before and due now
    seen: int
    learned: int  # remembered for days: FSRS review state
    new: int  # open to practise, never seen

    def to_json(self) -> dict[str, int]:
        return {"due": self.due, "seen": self.seen, "learned": self.learned}


class PracticeCard(Struct, frozen=True):
    question: Question
    why: str  # "due" (scheduled or missed), "new", or "early"
    counts: PracticeCounts
    total: int  # questions open to this trainee


class ResultsWritten(Struct, frozen=True):
    """A results file written for an instructor: how many attempts, how many of them finished."""

    attempts: int
    finished: int
    journal: int = 0  # journal entries
