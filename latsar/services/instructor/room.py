"""The classroom, live: who is online, what each is doing, their best scores and the gate."""

from __future__ import annotations

from dataclasses import dataclass

from latsar.assessment import rules
from latsar.services.context import Context
from latsar.services.presence import Activity, Seat, room
from latsar.storage import reports
from latsar.storage.reports import SummaryRow


@dataclass(frozen=True)
class RoomLine:
    seat: Seat
    row: SummaryRow | None  # None before the session has signed in
    open: tuple[bool, ...]  # per evaluation: does the gate let this trainee take it?

    def doing(self, ctx_titles: dict[str, str]) -> str:
        """What the trainee is doing, in words: "membaca 2. Membangun Budaya …", "Evaluasi MP1 4/10"."""
        s = self.seat
        what = ctx_titles.get(s.target or "", s.target or "")
        if s.activity is Activity.EVALUATION:
            progress = f" {s.answered}/{s.total}" if s.total else ""
            return f"mengerjakan {what}{progress}"
        return {
            Activity.READING: f"membaca {what}",
            Activity.PRACTICE: "latihan" + (f" ({what})" if what else ""),
            Activity.HOME: "di peta modul",
            Activity.LOGIN: "di layar masuk",
            Activity.INSTRUCTOR: "tampilan pengampu",
        }.get(s.activity, s.activity.value)

    def scores(self, evaluations: int) -> list[str]:
        """Best percent per evaluation, "-" where there is none."""
        best = self.row.best_percent if self.row else (None,) * evaluations
        return ["-" if p is None else str(p) for p in best]


class Room:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        course = ctx.course
        self.titles = {s.id: s.title for s in course.sections} | {e.id: e.name for e in course.evaluations}

    def now(self) -> list[RoomLine]:
        course = self.ctx.course
        seats = room(self.ctx)
        ids = [s.learner_id for s in seats if s.learner_id is not None]
        rows = {r.learner_id: r for r in reports.summary(self.ctx.db, [e.id for e in course.evaluations], learner_ids=ids)} if ids else {}
        lines = []
        for seat in seats:
            row = rows.get(seat.learner_id or -1)
            done = {ev.id for ev, at in zip(course.evaluations, row.passed_at) if at is not None} if row else set()
            gate = tuple(rules.evaluation_lock(course, ev.id, done) is None for ev in course.evaluations)
            lines.append(RoomLine(seat, row, gate))
        return lines
