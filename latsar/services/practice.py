"""Practice: case questions with feedback, scheduled for review. Never counts toward mastery."""

from __future__ import annotations

from latsar.assessment import spaced
from latsar.course import Bank
from latsar.errors import NotFound
from latsar.services.attempts import check_choice
from latsar.services.context import Context
from latsar.services.values import PracticeCard
from latsar.storage import practice as rows
from latsar.storage.models import PracticeItem


def _state(row: PracticeItem) -> spaced.ItemState:
    return spaced.ItemState(row.question_id, row.box, row.due_at, row.seen, row.right)


class Practice:
    """One learner's practice."""

    def __init__(self, ctx: Context, learner_id: int) -> None:
        self.ctx = ctx
        self.learner_id = learner_id

    def _bank(self) -> Bank:
        if self.ctx.course.practice is None:
            raise NotFound("Paket materi ini tidak memiliki soal latihan.")
        return self.ctx.course.practice

    def next(self, last: str | None = None) -> PracticeCard:
        bank = self._bank()
        with self.ctx.db.read() as s:
            states = {r.question_id: _state(r) for r in rows.items(s, self.learner_id)}
        qid, why = spaced.pick_next([q.id for q in bank.questions], states, self.ctx.clock(), last)
        seen = sum(1 for st in states.values() if st.seen)
        strong = sum(1 for st in states.values() if st.box >= 2)
        return PracticeCard(bank.question(qid), why, seen, strong, len(bank.questions))

    def answer(self, question_id: str, choice: str) -> bool:
        """Record a practice answer; returns whether it was right. Not an evaluation attempt."""
        question = self._bank().question(question_id)
        check_choice(question.letters, choice)
        correct = choice == question.key
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            row = rows.get(s, self.learner_id, question_id)
            new = spaced.after_answer(_state(row) if row else None, question_id, correct, now)
            row = row or PracticeItem(learner_id=self.learner_id, question_id=question_id)
            row.box, row.due_at, row.seen, row.right, row.last_at = new.box, new.due_at, new.seen, new.right, now
            rows.save(s, row)
        return correct
