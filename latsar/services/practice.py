"""Practice: case questions and section checks, scheduled by FSRS. Never counts toward mastery.

Practice draws from the case bank and from the checks of the sections the trainee has read.
A section's own check ("Cek pemahaman") is offered at the end of the section; its answers are
practice reviews too.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from latsar.assessment import practice as fsrs_rules
from latsar.assessment import rules
from latsar.assessment.practice import CardState
from latsar.course import Course, Question
from latsar.errors import Blocked, NotFound
from latsar.services import record
from latsar.services.attempts import check_choice
from latsar.services.context import Context
from latsar.services.values import PracticeCard, PracticeCounts
from latsar.storage import practice as rows
from latsar.storage import reading as reading_rows
from latsar.storage.models import PracticeCard as CardRow


def _state(row: CardRow) -> CardState:
    return CardState(row.question_id, row.state, row.step, row.stability, row.difficulty, row.due, row.last_review, row.seen, row.right)


def candidates(course: Course, read: set[str], done: set[str]) -> list[str]:
    """The cases whose sections the gate has opened (``done``: the evaluations mastered), then
    the checks of the sections read, in bank order. A case about a part still locked waits:
    it would send the trainee to read what they may not open yet."""
    cases = [q.id for q in course.practice.questions if _open_to(course, q, done)] if course.practice else []
    checks = [q.id for q in course.checks.questions if q.sections[0] in read] if course.checks else []
    return cases + checks


def _open_to(course: Course, question: Question, done: set[str]) -> bool:
    return all(rules.section_lock(course, sid, done) is None for sid in question.sections if course.has_section(sid))


def cards(s: Session, learner_id: int) -> dict[str, CardState]:
    return rows.states(s, learner_id)


def counts(ids: list[str], states: dict[str, CardState], now: datetime) -> PracticeCounts:
    c = fsrs_rules.counts(ids, states, now)
    return PracticeCounts(c.due, c.seen, c.learned, c.new)


class Practice:
    """One learner's practice."""

    def __init__(self, ctx: Context, learner_id: int) -> None:
        self.ctx = ctx
        self.learner_id = learner_id
        course = ctx.course
        self._questions: dict[str, Question] = {q.id: q for bank in (course.practice, course.checks) if bank for q in bank.questions}

    def question(self, question_id: str) -> Question:
        try:
            return self._questions[question_id]
        except KeyError:
            raise NotFound(f"Soal latihan '{question_id}' tidak ada.") from None

    def _open(self, section_id: str | None = None) -> tuple[list[str], dict[str, CardState]]:
        """Practice questions open to this trainee (the case bank and checks of sections read,
        or one section's checks) and the trainee's cards, read together."""
        course = self.ctx.course
        if section_id is not None:
            self.ctx.require_section(section_id)
        with self.ctx.db.read() as s:
            states = cards(s, self.learner_id)
            if section_id is not None:
                return [q.id for q in course.checks_for(section_id)], states
            done = record.load(s, course, self.learner_id).mastered(course)
            return candidates(course, reading_rows.read_sections(s, self.learner_id), done), states

    def counts(self) -> PracticeCounts:
        return counts(*self._open(), self.ctx.clock())

    def next(self, last: str | None = None, section_id: str | None = None) -> PracticeCard:
        """The next practice question (of one section's checks when ``section_id`` is given)."""
        ids, states = self._open(section_id)
        now = self.ctx.clock()
        picked = fsrs_rules.pick_next(ids, states, now, last)
        if picked is None:
            raise NotFound(
                "Belum ada soal latihan yang terbuka: cek pemahaman sebuah bagian masuk latihan setelah bagian itu dibaca "
                "sampai akhir, dan soal kasus setelah bagian yang dibahasnya terbuka."
            )
        return PracticeCard(self.question(picked[0]), picked[1].value, counts(ids, states, now), len(ids))

    def checks(self, section_id: str) -> tuple[Question, ...]:
        """A section's own check questions, in order; Blocked while the gate keeps it closed."""
        self.ctx.require_section(section_id)
        course = self.ctx.course
        with self.ctx.db.read() as s:
            done = record.load(s, course, self.learner_id).mastered(course)
        lock = rules.section_lock(course, section_id, done)
        if lock:
            raise Blocked(self.ctx.voice.lock(lock))
        return course.checks_for(section_id)

    def answer(self, question_id: str, choice: str) -> bool:
        """Record a practice answer as an FSRS review; returns whether it was right."""
        question = self.question(question_id)
        check_choice(question.letters, choice)
        correct = choice == question.key
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            row = rows.get(s, self.learner_id, question_id)
            card, rating = fsrs_rules.review(_state(row) if row else None, question_id, correct, now, self.ctx.course.practice_max_interval_days)
            row = row or CardRow(learner_id=self.learner_id, question_id=question_id)
            row.state, row.step, row.stability, row.difficulty = card.state, card.step, card.stability, card.difficulty
            row.due, row.last_review, row.seen, row.right = card.due or now, card.last_review, card.seen, card.right
            rows.save(s, row)
            rows.log(s, self.learner_id, question_id, rating.value, now)
        return correct
