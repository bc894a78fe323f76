"""The stored secrets: the instructor passphrase (one row) and learners' PINs (slow salted
hashes only), and the count of wrong guesses against them (``guess``).

A wrong guess is counted by one statement (``count_failure``): the count and the time of the
last failure change together, so no crash can leave a wait without its end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlmodel import Session

from latsar.storage.models import Guess, InstructorSecret, LearnerPin, Meta, table_of

CERTIFICATE_KEY = "certificate_key"  # meta: the fingerprint of the key this database's certificates are signed with


def get(s: Session) -> InstructorSecret | None:
    return s.get(InstructorSecret, 1)


def save(s: Session, salt: str, digest: str) -> None:
    row = get(s) or InstructorSecret(id=1, salt="", digest="")
    row.salt, row.digest = salt, digest
    s.add(row)


def certificate_key(s: Session) -> str | None:
    """The fingerprint of the certificate key recorded for this database, None before the first."""
    row = s.get(Meta, CERTIFICATE_KEY)
    return row.value if row is not None else None


def record_certificate_key(s: Session, fingerprint: str) -> None:
    row = s.get(Meta, CERTIFICATE_KEY) or Meta(key=CERTIFICATE_KEY, value="")
    row.value = fingerprint
    s.add(row)


def pin(s: Session, learner_id: int) -> LearnerPin | None:
    return s.get(LearnerPin, learner_id)


def save_pin(s: Session, learner_id: int, salt: str, digest: str, now: datetime) -> None:
    row = pin(s, learner_id) or LearnerPin(learner_id=learner_id, salt="", digest="")
    row.salt, row.digest, row.set_at = salt, digest, now
    s.add(row)


# -- wrong guesses ------------------------------------------------------------------------------------


def guesses(s: Session, scopes: Iterable[str]) -> dict[str, tuple[int, datetime]]:
    """The count and last failure of each scope that has one, its rows locked until the
    transaction ends (PostgreSQL; a SQLite write transaction holds the whole file already)."""
    t = table_of(Guess)
    query = select(t.c.scope, t.c.failures, t.c.last_failure).where(t.c.scope.in_(list(scopes))).with_for_update()
    return {scope: (failures, last) for scope, failures, last in s.connection().execute(query)}


def _insert(s: Session) -> Any:
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def count_failure(s: Session, scope: str, now: datetime, forget_before: datetime) -> None:
    """One more wrong guess in ``scope``, at ``now``; a count whose last failure is older than
    ``forget_before`` starts again at one. One statement on SQLite and PostgreSQL alike."""
    t = table_of(Guess)
    stmt = _insert(s)(t).values(scope=scope, failures=1, last_failure=now)
    s.connection().execute(
        stmt.on_conflict_do_update(
            index_elements=["scope"],
            set_={
                "failures": case((t.c.last_failure < forget_before, 1), else_=t.c.failures + 1),
                "last_failure": now,
            },
        )
    )


def forgive(s: Session, scopes: Iterable[str]) -> None:
    """A right guess: these scopes start again at zero."""
    t = table_of(Guess)
    s.connection().execute(delete(t).where(t.c.scope.in_(list(scopes))))


def uncount(s: Session, scope: str) -> None:
    """Take back one failure counted ahead of a check that turned out right."""
    t = table_of(Guess)
    s.connection().execute(update(t).where(t.c.scope == scope, t.c.failures > 0).values(failures=t.c.failures - 1))
