"""Secrets with a lockout counter: the instructor passphrase (one row) and learners' PINs.

Failures are counted in the database by one conditional ``UPDATE`` before the slow hash is
even computed, so however many processes try at once, at most ``max_failures`` guesses are
ever evaluated before the lock holds (on SQLite and on PostgreSQL alike).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import Session, SQLModel, col

from latsar.storage.models import InstructorSecret, LearnerPin, table_of


def get(s: Session) -> InstructorSecret | None:
    return s.get(InstructorSecret, 1)


def save(s: Session, salt: str, digest: str) -> None:
    row = get(s) or InstructorSecret(id=1, salt="", digest="")
    row.salt, row.digest, row.failures, row.locked_until = salt, digest, 0, None
    s.add(row)


def pin(s: Session, learner_id: int) -> LearnerPin | None:
    return s.get(LearnerPin, learner_id)


def save_pin(s: Session, learner_id: int, salt: str, digest: str, now: datetime) -> None:
    row = pin(s, learner_id) or LearnerPin(learner_id=learner_id, salt="", digest="")
    row.salt, row.digest, row.failures, row.locked_until, row.set_at = salt, digest, 0, None, now
    s.add(row)


def _where(model: type[SQLModel], key: int) -> ColumnElement[bool]:
    column = table_of(model).c.id if model is InstructorSecret else table_of(model).c.learner_id
    return column == key


def reserve(s: Session, model: type[SQLModel], key: int, now: datetime, max_failures: int) -> bool:
    """Count one guess before it is checked; False while locked (or ``max_failures`` guesses are out)."""
    t = table_of(model)
    done = s.connection().execute(
        update(t)
        .where(_where(model, key), or_(col(t.c.locked_until).is_(None), t.c.locked_until <= now), t.c.failures < max_failures)
        .values(failures=t.c.failures + 1)
    )
    return bool(done.rowcount == 1)


def settle(s: Session, model: type[SQLModel], key: int, ok: bool, lock_until: datetime, max_failures: int) -> None:
    """After the check: a right guess clears the count; the last allowed wrong one locks."""
    t = table_of(model)
    values: dict[str, Any] = {"failures": 0, "locked_until": None} if ok else {"failures": 0, "locked_until": lock_until}
    where = _where(model, key) if ok else (_where(model, key) & (t.c.failures >= max_failures))
    s.connection().execute(update(t).where(where).values(**values))
