"""The instructor passphrase row (one row) and its lockout counter."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from latsar.storage.models import InstructorSecret


def get(s: Session) -> InstructorSecret | None:
    return s.get(InstructorSecret, 1)


def save(s: Session, salt: str, digest: str) -> None:
    row = get(s) or InstructorSecret(id=1, salt="", digest="")
    row.salt, row.digest, row.failures, row.locked_until = salt, digest, 0, None
    s.add(row)


def record(s: Session, ok: bool, max_failures: int, lock_until: datetime) -> None:
    """Count a check: success clears the failures; the last allowed failure locks."""
    row = get(s)
    if row is None:
        return
    if ok:
        row.failures, row.locked_until = 0, None
    else:
        row.failures += 1
        if row.failures >= max_failures:
            row.failures, row.locked_until = 0, lock_until
    s.add(row)
