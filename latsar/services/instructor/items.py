"""Item analysis over each learner's first finished attempt."""

from __future__ import annotations

from latsar.assessment import items
from latsar.services.context import Context
from latsar.storage import reports


class Items:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def report(self, cohort: str | None = None) -> dict[str, list[items.ItemStat]]:
        """Per evaluation, item statistics over each learner's first finished attempt."""
        return {
            ev.id: items.analyse(ev.bank.questions, reports.first_attempt_answers(self.ctx.db, ev.id, cohort))
            for ev in self.ctx.course.evaluations
        }
