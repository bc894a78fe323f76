"""The classroom, live: who is online, what each is doing, their best scores and the gate."""

from __future__ import annotations

from msgspec import Struct

from latsar.assessment import rules
from latsar.assessment.records import SummaryRow
from latsar.services.context import Context
from latsar.services.presence import Activity, Seat, room
from latsar.storage import reports


class RoomLine(Struct, frozen=True):
    seat: Seat  # the trainee's most recently heard-from session
    row: SummaryRow | None
    open: tuple[bool, ...]  # per evaluation: does the gate let this trainee take it?
    sessions: int = 1  # more than one: signed in twice (two tabs, or a PIN shared)

    @property
    def name(self) -> str:
        return self.seat.name if self.sessions == 1 else f"{self.seat.name} ({self.sessions} sesi)"

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
            Activity.RESULT: f"melihat hasil {what}",
            Activity.HOME: "di peta modul",
            Activity.JOURNAL: "menulis jurnal aktualisasi",
            Activity.LOGIN: "di layar masuk",
            Activity.INSTRUCTOR: "tampilan pengampu",
        }.get(s.activity, s.activity.value)

    def scores(self, evaluations: int) -> list[str]:
        """Best percent per evaluation, "-" where there is none."""
        best = self.row.best_percent if self.row else (None,) * evaluations
        return ["-" if p is None else str(p) for p in best]


class RoomNow(Struct, frozen=True):
    lines: list[RoomLine]  # one per signed-in trainee, most recent first
    others: int  # sessions not signed in as a trainee: at the login, or an instructor's


class Room:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        course = ctx.course
        self.titles = {s.id: s.title for s in course.sections} | {e.id: e.name for e in course.evaluations}

    def now(self) -> RoomNow:
        course = self.ctx.course
        seats = room(self.ctx)  # most recent first
        by_learner: dict[int, list[Seat]] = {}
        for seat in seats:
            if seat.learner_id is not None:
                by_learner.setdefault(seat.learner_id, []).append(seat)
        ids = list(by_learner)
        rows = {r.learner_id: r for r in reports.summary(self.ctx.db, [e.id for e in course.evaluations], learner_ids=ids)} if ids else {}
        lines = []
        for learner_id, own in by_learner.items():
            row = rows.get(learner_id)
            done = {ev.id for ev, at in zip(course.evaluations, row.passed_at) if at is not None} if row else set()
            gate = tuple(rules.evaluation_lock(course, ev.id, done) is None for ev in course.evaluations)
            lines.append(RoomLine(own[0], row, gate, len(own)))
        return RoomNow(lines, sum(1 for s in seats if s.learner_id is None))
