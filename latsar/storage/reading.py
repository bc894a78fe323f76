"""Named queries about reading: which sections a learner opened, finished, for how long, where they were."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from msgspec import Struct
from sqlalchemy import bindparam, update
from sqlalchemy import select as core_select
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


def mark_skimmed(s: Session, learner_id: int, section_id: str, now: datetime) -> None:
    """The trainee reached the end of the section now, too soon to have read it."""
    row = get(s, learner_id, section_id)
    if row is None:
        row = SectionProgress(learner_id=learner_id, section_id=section_id, first_read_at=now, last_read_at=now)
    row.skimmed_at = now
    s.add(row)


def add_time(s: Session, learner_id: int, section_id: str, seconds: int, position: float | None) -> None:
    row = get(s, learner_id, section_id)
    if row is None:
        return
    row.seconds += max(0, min(int(seconds), MAX_SECONDS))
    if position is not None:
        row.position = float(position)
    s.add(row)


class Record(Struct, frozen=True):
    """What a reading record says, as two machines' records are merged."""

    first_read_at: datetime
    last_read_at: datetime
    read_count: int
    seconds: int
    completed_at: datetime | None


def merged(old: Record | None, new: Record) -> Record | None:
    """``old`` once the record ``new`` from elsewhere is merged in (the first and the last
    reading, the larger count and time, the later completion); None when it adds nothing."""
    if old is None:
        return new
    newer_completion = new.completed_at is not None and (old.completed_at is None or new.completed_at > old.completed_at)
    if new.last_read_at <= old.last_read_at and new.seconds <= old.seconds and not newer_completion:
        return None
    return Record(
        min(old.first_read_at, new.first_read_at),
        max(old.last_read_at, new.last_read_at),
        max(old.read_count, new.read_count),
        max(old.seconds, new.seconds),
        new.completed_at if newer_completion else old.completed_at,
    )


def records_of(s: Session, learner_ids: Iterable[int]) -> dict[tuple[int, str], Record]:
    """Every reading record of ``learner_ids``, by (learner, section): one query per chunk."""
    t = table_of(SectionProgress)
    ids = sorted(set(learner_ids))
    out: dict[tuple[int, str], Record] = {}
    conn = s.connection()
    for start in range(0, len(ids), 900):
        query = core_select(t.c.learner_id, t.c.section_id, t.c.first_read_at, t.c.last_read_at, t.c.read_count, t.c.seconds, t.c.completed_at)
        for r in conn.execute(query.where(t.c.learner_id.in_(ids[start : start + 900]))):
            out[(r[0], r[1])] = Record(r[2], r[3], r[4], r[5], r[6])
    return out


def save_records(s: Session, new: Sequence[tuple[int, str, Record]], changed: Sequence[tuple[int, str, Record]]) -> None:
    """Insert ``new`` records and rewrite ``changed`` ones (learner, section, record): two statements."""
    t = table_of(SectionProgress)
    conn = s.connection()

    def values(lid: int, sid: str, r: Record) -> dict[str, object]:
        return {"_lid": lid, "_sid": sid, "_first": r.first_read_at, "_last": r.last_read_at, "_count": r.read_count, "_seconds": r.seconds, "_done": r.completed_at}

    if new:
        conn.execute(t.insert(), [{"learner_id": lid, "section_id": sid, "first_read_at": r.first_read_at, "last_read_at": r.last_read_at,
                                   "read_count": r.read_count, "seconds": r.seconds, "position": 0.0, "completed_at": r.completed_at} for lid, sid, r in new])
    if changed:
        stmt = (
            update(t)
            .where(t.c.learner_id == bindparam("_lid"), t.c.section_id == bindparam("_sid"))
            .values(first_read_at=bindparam("_first"), last_read_at=bindparam("_last"), read_count=bindparam("_count"), seconds=bindparam("_seconds"), completed_at=bindparam("_done"))
        )
        conn.execute(stmt, [values(*c) for c in changed])


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
    skimmed = [t for t in (keep.skimmed_at, other.skimmed_at) if t is not None]
    keep.skimmed_at = max(skimmed) if skimmed else None


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
