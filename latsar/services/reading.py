"""Reading the module: a section opens when the gate allows; time and place are kept.

A section counts as read once the trainee reached its end (``complete``) no sooner after opening
it than its words could be read at the course's words-per-minute ceiling
(``rules.read_in_time``): opening it is not enough, nor is jumping to its end. The rule is here,
once, for every face; the face only says when the end is reached (the TUI and the classroom's
browser when the end of the page is on the screen; ``latsar read`` when the trainee leaves its
pager at the last page).
"""

from __future__ import annotations

from datetime import UTC, datetime

from latsar.assessment import rules
from latsar.course import Section
from latsar.course.search import Match, find
from latsar.errors import Blocked
from latsar.services import record
from latsar.services.context import Context
from latsar.services.values import ReachedEnd
from latsar.storage import learners as learner_rows
from latsar.storage import reading as rows


class Reading:
    """One learner's reading."""

    def __init__(self, ctx: Context, learner_id: int) -> None:
        self.ctx = ctx
        self.learner_id = learner_id

    def lock(self, section_id: str) -> rules.GateLock | None:
        self.ctx.require_section(section_id)
        with self.ctx.db.read() as s:
            done = record.load(s, self.ctx.course, self.learner_id).mastered(self.ctx.course)
        return rules.section_lock(self.ctx.course, section_id, done)

    def open(self, section_id: str) -> Section:
        """The section, marked opened; Blocked if the gate keeps it closed."""
        lock = self.lock(section_id)
        if lock:
            raise Blocked(self.ctx.voice.lock(lock))
        with self.ctx.db.write() as s:
            rows.mark_opened(s, self.learner_id, section_id, self.ctx.clock())
            learner_rows.set_last_section(s, self.learner_id, section_id)
        return self.ctx.course.section(section_id)

    def search(self, query: str, first: str | None = None) -> list[Match]:
        """Where ``query`` is in the sections this trainee may open: ``first`` (the section being
        read) first, then the module in order. Sections the gate keeps closed are not searched."""
        course = self.ctx.course
        with self.ctx.db.read() as s:
            done = record.load(s, course, self.learner_id).mastered(course)
        order = [sec for sec in course.reading_order() if rules.section_lock(course, sec.id, done) is None]
        order.sort(key=lambda sec: sec.id != first)  # stable: the rest keep the module's order
        return find(order, query)

    def minimum(self, section_id: str) -> int:
        """The least time, in seconds, that reading the section to its end takes."""
        self.ctx.require_section(section_id)
        return rules.reading_minimum(self.ctx.course.section(section_id).words, self.ctx.course.reading_wpm)

    def complete(self, section_id: str) -> ReachedEnd:
        """The trainee reached the end of the section: it counts as read (again) from now when
        the time since they opened it is enough to have read it; else it was skimmed."""
        lock = self.lock(section_id)
        if lock:
            raise Blocked(self.ctx.voice.lock(lock))
        words = self.ctx.course.section(section_id).words
        needed = self.minimum(section_id)
        now = self.ctx.clock()
        with self.ctx.db.write() as s:
            row = rows.get(s, self.learner_id, section_id)
            seconds = _since(row.last_read_at, now) if row is not None else 0
            counted = rules.read_in_time(seconds, words, self.ctx.course.reading_wpm)
            (rows.mark_completed if counted else rows.mark_skimmed)(s, self.learner_id, section_id, now)
        return ReachedEnd(section_id, counted, seconds, needed, words)

    def record(self, section_id: str, seconds: int = 0, position: float | None = None) -> None:
        """Add reading time and remember the scroll position of a section already opened."""
        with self.ctx.db.write() as s:
            rows.add_time(s, self.learner_id, section_id, seconds, position)

    def position(self, section_id: str) -> float:
        with self.ctx.db.read() as s:
            row = rows.get(s, self.learner_id, section_id)
            return row.position if row else 0.0


def _since(opened: datetime, now: datetime) -> int:
    """Whole seconds from ``opened`` (stored UTC; SQLite gives it back naive) to ``now``; never negative."""
    aware = opened if opened.tzinfo is not None else opened.replace(tzinfo=UTC)
    return max(0, int((now - aware).total_seconds()))


def preview(ctx: Context, section_id: str) -> Section:
    """A section for someone not registered: what the gate opens to a newcomer, nothing recorded."""
    ctx.require_section(section_id)
    lock = rules.section_lock(ctx.course, section_id, set())
    if lock:
        raise Blocked(ctx.voice.lock(lock))
    return ctx.course.section(section_id)
