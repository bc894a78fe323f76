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
from latsar.services.guard import Guard, Source
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

WRONG_LOGIN = "NIP/id atau PIN salah. Belum punya PIN? Minta pengampu membuatkannya."


class Services:
    """The application over one course and one database.

    ``trainee(id)`` hands out what one trainee may do; ``instructor(passphrase)`` what an instructor may.
    ``learners`` is the register (who exists), ``passphrase`` guards the instructor's door.
    ``source`` is where this process's guesses of PINs and the passphrase come from: a
    terminal of this machine, or (a classroom session) the trainee's browser.
    """

    def __init__(self, course: Course, db: Database, clock: Callable[[], datetime] = utcnow, source: Source | None = None) -> None:
        self._ctx = Context(course, db, clock)
        self.course = course
        self.db = db
        self.voice: Voice = self._ctx.voice
        self.source = source or Source.terminal()
        self.session_id: str | None = None  # a classroom session: the id the server gave it
        guard = Guard(self._ctx, self.source)
        self.learners = LearnerDirectory(self._ctx)
        self.passphrase = Passphrase(self._ctx, guard)
        self.pins = Pins(self._ctx, guard)

    def trainee(self, learner_id: int) -> Trainee:
        """The services bound to one registered learner (NotFound if there is none). The faces
        use ``sign_in``, which asks for the learner's PIN when there is one."""
        self.learners.get(learner_id)
        return Trainee(self._ctx, learner_id, self.pins)

    def sign_in(self, learner_id: int, pin: str | None = None) -> Trainee:
        """A trainee's services, once their PIN (if they have one) is given right."""
        if self.pins.has(learner_id):
            if pin is None:
                raise SecretRequired("Peserta ini memakai PIN; masukkan PIN-nya.")
            if not self.pins.check(learner_id, pin):
                raise SecretRequired("PIN salah.")
        return self.trainee(learner_id)

    def login(self, ref: str, pin: str) -> Trainee:
        """The classroom's door: NIP (or learner id) and PIN, both required. A wrong PIN, an
        NIP nobody has and a learner without a PIN get the same answer, after the same time."""
        try:
            learner_id: int | None = self.learners.resolve(ref).id if ref.strip() else None
        except UsageError:
            learner_id = None
        ok = self.pins.check(learner_id, pin) if learner_id is not None else self.pins.check_unknown(ref, pin)
        if not ok or learner_id is None:
            raise SecretRequired(WRONG_LOGIN)
        return self.trainee(learner_id)

    def instructor(self, passphrase: str) -> Instructor:
        """Instructor operations, with the passphrase: never without one, never with an empty
        one (the app's door and the classroom's)."""
        if not self.passphrase.check(passphrase):
            raise SecretRequired("Kata sandi pengampu salah.")
        return self._instructor()

    def instructor_at_terminal(self, passphrase: str | None) -> Instructor:
        """The terminal's door: with the passphrase once one is set; before that, open to
        whoever runs latsar on this machine (their own database)."""
        if self.passphrase.exists():
            if not passphrase:
                raise SecretRequired("Perintah pengampu memerlukan kata sandi pengampu.")
            return self.instructor(passphrase)
        return self._instructor()

    def _instructor(self) -> Instructor:
        from latsar.services.instructor import Instructor  # not needed by a trainee's session

        return Instructor(self._ctx, self.pins)

    def presence(self) -> Presence:
        """A new classroom session's voice in the room."""
        return Presence(self._ctx, self.session_id)

    def preview_section(self, section_id: str) -> Section:
        """A section for someone not registered yet: only what the gate opens to a newcomer."""
        return reading.preview(self._ctx, section_id)

    def close(self) -> None:
        self.db.dispose()


def open_services(
    db: str | os.PathLike[str] | None = None,
    content: str | os.PathLike[str] | None = None,
    clock: Callable[[], datetime] = utcnow,
    source: Source | None = None,
) -> Services:
    """The factory the CLI, the TUI and the tests share: course + database."""
    from latsar.paths import content_root, home_dir

    course = load_cached(content_root(content), home_dir() / "cache")
    return Services(course, open_database(database_target(db)), clock, source)


def database_target(db: str | os.PathLike[str] | None) -> str:
    """The database meant by ``--db`` (else ``LATSAR_DB``, else the default file): a path or a URL."""
    from latsar.paths import db_path

    chosen = str(db) if db else os.environ.get("LATSAR_DB", "")
    return chosen if is_url(chosen) or chosen.startswith("file:") else str(db_path(db))


def session_services(course: Course, db: str | None, session: str, client: str) -> Services:
    """A classroom session's services, forked from a parent that loaded ``course``: the database
    the server opened and checked at its start, connected to afresh; guesses counted for the
    browser at ``client``."""
    import uuid

    session = session or uuid.uuid4().hex
    svc = Services(course, open_database(database_target(db), verify=False), source=Source.browser(client or "?", session))
    svc.session_id = session
    return svc
