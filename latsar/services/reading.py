"""Reading the module: a section opens when the gate allows; time and place are kept.

A section counts as read once the trainee reached its end (``complete``): opening it is not
enough. The face that shows the section decides when the end is reached (the TUI when the
page is scrolled to the bottom or fits on the screen; ``latsar read`` prints it whole).
"""

from __future__ import annotations

from latsar.assessment import rules
from latsar.course import Section
from latsar.errors import Blocked
from latsar.services import record
from latsar.services.context import Context
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

    def complete(self, section_id: str) -> None:
        """The trainee reached the end of the section: it counts as read (again) from now."""
        lock = self.lock(section_id)
        if lock:
            raise Blocked(self.ctx.voice.lock(lock))
        with self.ctx.db.write() as s:
            rows.mark_completed(s, self.learner_id, section_id, self.ctx.clock())

    def record(self, section_id: str, seconds: int = 0, position: float | None = None) -> None:
        """Add reading time and remember the scroll position of a section already opened."""
        with self.ctx.db.write() as s:
            rows.add_time(s, self.learner_id, section_id, seconds, position)

    def position(self, section_id: str) -> float:
        with self.ctx.db.read() as s:
            row = rows.get(s, self.learner_id, section_id)
            return row.position if row else 0.0


def preview(ctx: Context, section_id: str) -> Section:
    """A section for someone not registered: what the gate opens to a newcomer, nothing recorded."""
    ctx.require_section(section_id)
    lock = rules.section_lock(ctx.course, section_id, set())
    if lock:
        raise Blocked(ctx.voice.lock(lock))
    return ctx.course.section(section_id)
