"""Named queries about reading: which sections a learner opened, finished, for how long, where they were."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from latsar.storage.models import SectionProgress

MAX_SECONDS = 4 * 3600  # one reading session never counts more than this


def reads(s: Session, learner_id: int) -> dict[str, SectionProgress]:
    rows = s.exec(select(SectionProgress).where(SectionProgress.learner_id == learner_id)).all()
    return {r.section_id: r for r in rows}


def get(s: Session, learner_id: int, section_id: str) -> SectionProgress | None:
    return s.get(SectionProgress, (learner_id, section_id))


def mark_opened(s: Session, learner_id: int, section_id: str, now: datetime) -> None:
    row = get(s, learner_id, section_id)
    if row is None:
        s.add(SectionProgress(learner_id=learner_id, section_id=section_id, first_read_at=now, last_read_at=now))
        return
    row.read_count += 1
    row.last_read_at = now
    s.add(row)


def mark_completed(s: Session, learner_id: int, section_id: str, now: datetime) -> None:
    """The trainee reached the end of the section now (``completed_at`` keeps the latest time)."""
    row = get(s, learner_id, section_id)
    if row is None:
        row = SectionProgress(learner_id=learner_id, section_id=section_id, first_read_at=now, last_read_at=now)
    row.completed_at = now
    s.add(row)


def add_time(s: Session, learner_id: int, section_id: str, seconds: int, position: float | None) -> None:
    row = get(s, learner_id, section_id)
    if row is None:
        return
    row.seconds += max(0, min(int(seconds), MAX_SECONDS))
    if position is not None:
        row.position = float(position)
    s.add(row)


def merge(s: Session, learner_id: int, section_id: str, first: datetime, last: datetime, count: int, seconds: int) -> bool:
    """Merge a reading record from elsewhere; True if it added anything."""
    row = get(s, learner_id, section_id)
    if row is None:
        s.add(SectionProgress(learner_id=learner_id, section_id=section_id, first_read_at=first, last_read_at=last, read_count=count, seconds=seconds))
        return True
    if last <= row.last_read_at and seconds <= row.seconds:
        return False
    row.last_read_at = max(row.last_read_at, last)
    row.first_read_at = min(row.first_read_at, first)
    row.read_count = max(row.read_count, count)
    row.seconds = max(row.seconds, seconds)
    s.add(row)
    return True
