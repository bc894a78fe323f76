"""Named queries about reading: which sections a learner opened, finished, for how long, where they were."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from latsar.storage.models import SectionProgress, table_of

MAX_SECONDS = 4 * 3600  # one reading session never counts more than this


def reads(s: Session, learner_id: int) -> dict[str, SectionProgress]:
    rows = s.exec(select(SectionProgress).where(SectionProgress.learner_id == learner_id)).all()
    return {r.section_id: r for r in rows}


def read_sections(s: Session, learner_id: int) -> set[str]:
    """The ids of the sections a learner has read: reached their end at least once."""
    query = select(SectionProgress.section_id).where(SectionProgress.learner_id == learner_id, col(SectionProgress.completed_at).is_not(None))
    return set(s.exec(query).all())


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


def merge(s: Session, learner_id: int, section_id: str, first: datetime, last: datetime, count: int, seconds: int, completed: datetime | None) -> bool:
    """Merge a reading record from elsewhere; True if it added anything."""
    row = get(s, learner_id, section_id)
    if row is None:
        s.add(SectionProgress(learner_id=learner_id, section_id=section_id, first_read_at=first, last_read_at=last, read_count=count, seconds=seconds, completed_at=completed))
        return True
    newer_completion = completed is not None and (row.completed_at is None or completed > row.completed_at)
    if last <= row.last_read_at and seconds <= row.seconds and not newer_completion:
        return False
    row.last_read_at = max(row.last_read_at, last)
    row.first_read_at = min(row.first_read_at, first)
    row.read_count = max(row.read_count, count)
    row.seconds = max(row.seconds, seconds)
    if newer_completion:
        row.completed_at = completed
    s.add(row)
    return True


def combine(keep: SectionProgress, other: SectionProgress) -> None:
    """One person's reading of a section recorded under two registrations, as one record in
    ``keep``: the first and the last reading, every reading and every second counted, the
    place of the later reading, and the section completed if either completed it (the later
    completion, like ``last_read_at``)."""
    if other.last_read_at > keep.last_read_at:
        keep.position = other.position
    keep.first_read_at = min(keep.first_read_at, other.first_read_at)
    keep.last_read_at = max(keep.last_read_at, other.last_read_at)
    keep.read_count += other.read_count
    keep.seconds += other.seconds
    done = [t for t in (keep.completed_at, other.completed_at) if t is not None]
    keep.completed_at = max(done) if done else None


def move_all(s: Session, source: int, target: int) -> tuple[int, int]:
    """Learner ``source``'s reading becomes ``target``'s. Returns (sections moved, sections
    combined with a record ``target`` already had)."""
    mine = reads(s, target)
    moved = combined = 0
    for section_id, theirs in reads(s, source).items():
        if section_id in mine:
            combine(mine[section_id], theirs)
            s.add(mine[section_id])
            s.delete(theirs)
            combined += 1
        else:
            moved += 1
    s.flush()
    table = table_of(SectionProgress)
    s.connection().execute(table.update().where(table.c.learner_id == source).values(learner_id=target))
    s.expire_all()
    return moved, combined


def delete_all_of(s: Session, learner_id: int) -> int:
    table = table_of(SectionProgress)
    return int(s.connection().execute(table.delete().where(table.c.learner_id == learner_id)).rowcount)
