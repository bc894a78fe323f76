"""What every use case works with: the course, the database, the voice, and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from latsar.course import Course, Evaluation
from latsar.errors import NotFound
from latsar.services.presentation import Voice
from latsar.storage.database import Database
from latsar.storage.models import utcnow


class Context:
    def __init__(self, course: Course, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.course = course
        self.db = db
        self.clock = clock  # injectable, so schedules can be tested
        self.voice = Voice(course)

    def evaluation(self, quiz_id: str) -> Evaluation:
        """The evaluation called ``quiz_id``, or a usage error naming the ones there are."""
        try:
            return self.course.evaluation(quiz_id)
        except KeyError:
            names = ", ".join(e.id for e in self.course.evaluations)
            raise NotFound(f"Evaluasi '{quiz_id}' tidak ada (pilih: {names}).") from None

    def require_section(self, section_id: str) -> None:
        if not self.course.has_section(section_id):
            raise NotFound(f"Bagian '{section_id}' tidak ada. Lihat daftar bagian dengan `latsar read`.")
