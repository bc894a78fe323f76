"""Live sessions of the classroom server: who is online and what they are doing."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from latsar.storage.models import Learner, LiveSession


def touch(s: Session, session_id: str, node: str, now: datetime, **fields: object) -> None:
    """Create or update a session row: its learner, activity and when it was last seen."""
    row = s.get(LiveSession, session_id) or LiveSession(id=session_id, node=node, started_at=now)
    for name, value in fields.items():
        setattr(row, name, value)
    row.seen_at = now
    s.add(row)


def end(s: Session, session_id: str, now: datetime) -> None:
    row = s.get(LiveSession, session_id)
    if row is not None:
        row.ended_at = now
        s.add(row)


def online(s: Session, since: datetime) -> list[tuple[LiveSession, Learner | None]]:
    """Sessions seen since ``since`` and not ended, with their learner, most recent first."""
    query = (
        select(LiveSession, Learner)
        .join(Learner, col(LiveSession.learner_id) == col(Learner.id), isouter=True)
        .where(col(LiveSession.ended_at).is_(None), col(LiveSession.seen_at) >= since)
        .order_by(col(LiveSession.seen_at).desc())
    )
    return list(s.exec(query).all())
