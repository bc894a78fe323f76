"""What the services hand to the CLI and the TUI: plain data, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from latsar.assessment.rules import Presented, ReviewItem, Score
from latsar.course.model import Question


@dataclass(frozen=True)
class LearnerInfo:
    id: int
    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None
    created_at: datetime

    @property
    def label(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else self.name


@dataclass
class AttemptView:
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


@dataclass(frozen=True)
class AttemptResult:
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

    def to_json(self) -> dict:
        return {
            "quiz": self.quiz_id,
            "correct": self.score.correct,
            "total": self.score.total,
            "percent": self.score.percent,
            "threshold": self.score.threshold,
            "passed": self.score.passed,
            "restudy": list(self.restudy),
        }


@dataclass(frozen=True)
class AttemptRow:
    id: int
    quiz_id: str
    state: str
    started_at: datetime
    finished_at: datetime | None
    correct: int | None
    total: int | None
    passed: bool | None

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return Score(self.correct, self.total, 0).percent


@dataclass(frozen=True)
class EvaluationStatus:
    id: str
    title: str
    name: str
    threshold: int
    locked: str | None  # why the gate keeps it closed
    retake_blocked: str | None  # why a new attempt may not start now
    best: Score | None
    attempts: int
    in_progress: int | None  # attempt id
    passed_at: datetime | None

    @property
    def passed(self) -> bool:
        return self.best is not None and self.best.passed


@dataclass(frozen=True)
class SectionStatus:
    id: str
    title: str
    part: str
    read: bool
    locked: str | None
    last_read_at: datetime | None
    seconds: int
    restudy: bool  # listed for restudy after the last failed attempt and not reopened since


@dataclass(frozen=True)
class MapItem:
    kind: str  # "part" | "section" | "evaluation"
    id: str
    title: str
    part: str


@dataclass(frozen=True)
class Progress:
    learner: LearnerInfo
    items: list[MapItem]
    sections: dict[str, SectionStatus]
    evaluations: dict[str, EvaluationStatus]
    history: list[AttemptRow]
    seconds_reading: int
    seconds_quizzing: int
    next_step: str
    next_target: tuple[str, str] | None  # ("section"|"evaluation", id)
    last_section: str | None

    @property
    def module_complete(self) -> bool:
        return all(e.passed for e in self.evaluations.values())

    def to_json(self) -> dict:
        return {
            "learner": {"id": self.learner.id, "name": self.learner.name, "nip": self.learner.nip, "cohort": self.learner.cohort},
            "sections_read": sorted(s.id for s in self.sections.values() if s.read),
            "sections_total": len(self.sections),
            "evaluations": {
                e.id: {
                    "best_percent": e.best.percent if e.best else None,
                    "best_correct": e.best.correct if e.best else None,
                    "total": e.best.total if e.best else None,
                    "threshold": e.threshold,
                    "passed": e.passed,
                    "attempts": e.attempts,
                    "locked": e.locked,
                    "passed_at": e.passed_at.isoformat() if e.passed_at else None,
                }
                for e in self.evaluations.values()
            },
            "module_complete": self.module_complete,
            "seconds_reading": self.seconds_reading,
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class PracticeCard:
    question: Question
    why: str  # "due" (a missed or scheduled item), "new", or "early"
    seen: int
    strong: int  # items answered right at least twice in a row
    total: int
