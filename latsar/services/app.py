"""The front door: one course, one database, and the roles that act on them."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from latsar.course import Course, Section
from latsar.course.cache import load_cached
from latsar.errors import SecretRequired, UsageError
from latsar.services import reading
from latsar.services.context import Context
from latsar.services.learners import LearnerDirectory
from latsar.services.passphrase import Passphrase
from latsar.services.pins import Pins
from latsar.services.presence import Presence
from latsar.services.presentation import Voice
from latsar.services.trainee import Trainee
from latsar.storage.database import Database, is_url, open_database
from latsar.storage.models import utcnow

if TYPE_CHECKING:
    from latsar.services.instructor import Instructor


class Services:
    """The application over one course and one database.

    ``trainee(id)`` hands out what one trainee may do; ``instructor()`` what an instructor may.
    ``learners`` is the register (who exists), ``passphrase`` guards the instructor's door.
    """

    def __init__(self, course: Course, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self._ctx = Context(course, db, clock)
        self.course = course
        self.db = db
        self.voice: Voice = self._ctx.voice
        self.learners = LearnerDirectory(self._ctx)
        self.passphrase = Passphrase(self._ctx)
        self.pins = Pins(self._ctx)

    def trainee(self, learner_id: int) -> Trainee:
        """The services bound to one registered learner (NotFound if there is none). The faces
        use ``sign_in``, which asks for the learner's PIN when there is one."""
        self.learners.get(learner_id)
        return Trainee(self._ctx, learner_id)

    def sign_in(self, learner_id: int, pin: str | None = None) -> Trainee:
        """A trainee's services, once their PIN (if they have one) is given right."""
        if self.pins.has(learner_id):
            if pin is None:
                raise SecretRequired("Peserta ini memakai PIN; masukkan PIN-nya.")
            if not self.pins.check(learner_id, pin):
                raise SecretRequired("PIN salah.")
        return self.trainee(learner_id)

    def login(self, ref: str, pin: str) -> Trainee:
        """The classroom's door: NIP (or learner id) and PIN, both required."""
        try:
            learner = self.learners.resolve(ref)
        except UsageError:
            raise SecretRequired("NIP/id atau PIN salah.") from None
        if not self.pins.has(learner.id):
            raise SecretRequired("Peserta ini belum punya PIN; minta pengampu membuatkannya.")
        if not self.pins.check(learner.id, pin):
            raise SecretRequired("NIP/id atau PIN salah.")
        return self.trainee(learner.id)

    def instructor(self, passphrase: str | None = None) -> Instructor:
        """Instructor operations; once a passphrase is set, only with it."""
        if self.passphrase.exists():
            if passphrase is None:
                raise SecretRequired("Perintah pengampu memerlukan kata sandi pengampu.")
            if not self.passphrase.check(passphrase):
                raise SecretRequired("Kata sandi pengampu salah.")
        from latsar.services.instructor import Instructor  # not needed by a trainee's session

        return Instructor(self._ctx)

    def presence(self) -> Presence:
        """A new classroom session's voice in the room."""
        return Presence(self._ctx)

    def preview_section(self, section_id: str) -> Section:
        """A section for someone not registered yet: only what the gate opens to a newcomer."""
        return reading.preview(self._ctx, section_id)

    def close(self) -> None:
        self.db.dispose()


def open_services(db: str | os.PathLike[str] | None = None, content: str | os.PathLike[str] | None = None, clock: Callable[[], datetime] = utcnow) -> Services:
    """The factory the CLI, the TUI and the tests share: course + database."""
    from latsar.paths import content_root, db_path, home_dir

    course = load_cached(content_root(content), home_dir() / "cache")
    chosen = str(db) if db else os.environ.get("LATSAR_DB", "")
    target = chosen if is_url(chosen) else str(db_path(db))
    return Services(course, open_database(target), clock)
