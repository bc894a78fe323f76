"""Named queries about the habituation journal: entries, their versions, the coach's reviews.

An entry's current version is its highest; its status is the latest review of that version.
``current`` reads entries that way in one statement (Core, portable SQL), with whatever filter
the caller needs: one learner, one cohort, the coach's queue, what the class shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from msgspec import Struct
from sqlalchemy import Select, and_, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from latsar.assessment.journal import Content, EntryRecord, Origin, Verdict
from latsar.storage.database import STREAM, Database, as_utc
from latsar.storage.learners import cohort_key
from latsar.storage.models import Cohort, JournalEntry, JournalReview, JournalVersion, Learner, table_of

CHUNK = 900  # values in one IN (...)


class Filter(Struct, frozen=True):
    """Which entries ``current`` reads."""

    learner_id: int | None = None
    cohort: str | None = None
    entry_id: int | None = None
    waiting: bool = False  # only those whose current version has no verdict: the coach's queue
    shared: bool = False  # only those their authors share with the class


def _statement(where: Filter) -> Select[Any]:
    e, v, r = table_of(JournalEntry), table_of(JournalVersion), table_of(JournalReview)
    l, c = table_of(Learner), table_of(Cohort)
    top = select(v.c.entry_id, func.max(v.c.version).label("version")).group_by(v.c.entry_id).subquery("top")
    last = select(r.c.entry_id, r.c.version, func.max(r.c.id).label("review_id")).group_by(r.c.entry_id, r.c.version).subquery("last")
    verdict = r.alias("verdict")
    stmt = (
        select(
            e.c.id, e.c.uid, e.c.learner_id, l.c.name, l.c.nip, c.c.name, v.c.version,
            v.c.behaviour, v.c.happened_on, v.c.situation, v.c.action, v.c.result, v.c.improvement,
            v.c.written_at, e.c.created_at, e.c.shared, e.c.origin, verdict.c.verdict, verdict.c.comment, verdict.c.reviewed_at,
        )
        .select_from(
            e.join(top, top.c.entry_id == e.c.id)
            .join(v, and_(v.c.entry_id == e.c.id, v.c.version == top.c.version))
            .join(l, l.c.id == e.c.learner_id)
            .outerjoin(c, c.c.id == l.c.cohort_id)
            .outerjoin(last, and_(last.c.entry_id == e.c.id, last.c.version == v.c.version))
            .outerjoin(verdict, verdict.c.id == last.c.review_id)
        )
    )
    if where.learner_id is not None:
        stmt = stmt.where(e.c.learner_id == where.learner_id)
    if where.entry_id is not None:
        stmt = stmt.where(e.c.id == where.entry_id)
    if where.cohort:
        stmt = stmt.where(c.c.key == cohort_key(where.cohort))
    if where.waiting:
        stmt = stmt.where(verdict.c.id.is_(None))
    if where.shared:
        stmt = stmt.where(e.c.shared.is_(True))
    return stmt


def _record(r: Any) -> EntryRecord:
    content = Content(r[7], _day(r[8]), r[9], r[10], r[11], r[12])
    written, created, reviewed = as_utc(r[13]), as_utc(r[14]), as_utc(r[19])
    assert written is not None and created is not None
    return EntryRecord(
        r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]), content, written, created, bool(r[15]), Origin(r[16]),
        Verdict(r[17]) if r[17] is not None else None, r[18] or "", reviewed,
    )


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def current(s: Session, where: Filter, oldest_first: bool = False) -> list[EntryRecord]:
    """Entries at their current version. Ordered by author (cohort, name), then by the date the
    practice happened; ``oldest_first``: by when the current version was written (the queue)."""
    stmt = _statement(where)
    e, v, l = table_of(JournalEntry), table_of(JournalVersion), table_of(Learner)
    if oldest_first:
        stmt = stmt.order_by(v.c.written_at, e.c.id)
    else:
        stmt = stmt.order_by(l.c.name, e.c.learner_id, v.c.happened_on, e.c.id)
    return [_record(r) for r in s.connection().execute(stmt)]


def stream(db: Database, cohort: str | None = None) -> Iterator[EntryRecord]:
    """Every entry at its current version, by cohort, author and date, as the rows come."""
    e, v, l, c = table_of(JournalEntry), table_of(JournalVersion), table_of(Learner), table_of(Cohort)
    stmt = _statement(Filter(cohort=cohort)).order_by(c.c.name, l.c.name, e.c.learner_id, v.c.happened_on, e.c.id)
    with db.engine.connect() as conn:
        for r in conn.execution_options(**STREAM).execute(stmt):
            yield _record(r)


def entry(s: Session, entry_id: int) -> JournalEntry | None:
    return s.get(JournalEntry, entry_id)


def versions(s: Session, entry_id: int) -> list[JournalVersion]:
    v = table_of(JournalVersion)
    rows = s.connection().execute(select(v).where(v.c.entry_id == entry_id).order_by(v.c.version)).all()
    return [JournalVersion(**dict(r._mapping)) for r in rows]


def reviews(s: Session, entry_id: int) -> list[JournalReview]:
    r = table_of(JournalReview)
    rows = s.connection().execute(select(r).where(r.c.entry_id == entry_id).order_by(r.c.id)).all()
    return [JournalReview(**dict(x._mapping)) for x in rows]


def latest_version(s: Session, entry_id: int) -> int:
    v = table_of(JournalVersion)
    return int(s.connection().execute(select(func.max(v.c.version)).where(v.c.entry_id == entry_id)).scalar_one() or 0)


def _version_values(entry_id: int, version: int, content: Content, at: datetime) -> dict[str, Any]:
    return {
        "entry_id": entry_id, "version": version, "behaviour": content.behaviour, "happened_on": content.happened_on,
        "situation": content.situation, "action": content.action, "result": content.result, "improvement": content.improvement,
        "written_at": at,
    }


def add(s: Session, uid: str, learner_id: int, content: Content, now: datetime, shared: bool = False) -> int:
    """A new entry with its first version; its id."""
    e = table_of(JournalEntry)
    conn = s.connection()
    values = {"uid": uid, "learner_id": learner_id, "created_at": now, "shared": shared, "shared_at": now if shared else None, "origin": Origin.LOCAL.value}
    entry_id = int(conn.execute(e.insert().values(**values).returning(e.c.id)).scalar_one())
    add_version(s, entry_id, 1, content, now)
    return entry_id


def add_version(s: Session, entry_id: int, version: int, content: Content, now: datetime) -> None:
    """A version of an entry; the primary key (entry, version) lets only one writer have it."""
    s.connection().execute(table_of(JournalVersion).insert().values(**_version_values(entry_id, version, content, now)))


def add_review(s: Session, entry_id: int, version: int, verdict: Verdict, comment: str, now: datetime) -> None:
    values = {"entry_id": entry_id, "version": version, "verdict": verdict.value, "comment": comment, "reviewed_at": now}
    s.connection().execute(table_of(JournalReview).insert().values(**values))


def set_shared(s: Session, entry_id: int, shared: bool, now: datetime) -> None:
    e = table_of(JournalEntry)
    s.connection().execute(e.update().where(e.c.id == entry_id).values(shared=shared, shared_at=now))


def of_learner(s: Session, learner_id: int) -> list[tuple[JournalEntry, list[JournalVersion]]]:
    """Every entry of a learner with every version, in the order written (a results file)."""
    e, v = table_of(JournalEntry), table_of(JournalVersion)
    conn = s.connection()
    heads = [JournalEntry(**dict(r._mapping)) for r in conn.execute(select(e).where(e.c.learner_id == learner_id).order_by(e.c.id))]
    texts: dict[int, list[JournalVersion]] = {h.id: [] for h in heads if h.id is not None}
    mine = select(e.c.id).where(e.c.learner_id == learner_id)
    for r in conn.execute(select(v).where(v.c.entry_id.in_(mine)).order_by(v.c.entry_id, v.c.version)):
        texts[r.entry_id].append(JournalVersion(**dict(r._mapping)))
    return [(h, texts[h.id]) for h in heads if h.id is not None]


# -- many entries at once (results files) ----------------------------------------------------------


class KnownEntry(Struct, frozen=True):
    """An entry already here, as an imported one is compared with it."""

    id: int
    uid: str
    learner_id: int
    versions: dict[int, Content]
    shared_at: datetime | None


def known_by_uids(s: Session, uids: Iterable[str]) -> dict[str, KnownEntry]:
    e, v = table_of(JournalEntry), table_of(JournalVersion)
    wanted = sorted(set(uids))
    conn = s.connection()
    heads: dict[int, tuple[str, int, datetime | None]] = {}
    for start in range(0, len(wanted), CHUNK):
        for r in conn.execute(select(e.c.id, e.c.uid, e.c.learner_id, e.c.shared_at).where(e.c.uid.in_(wanted[start : start + CHUNK]))):
            heads[r[0]] = (r[1], r[2], as_utc(r[3]))
    texts: dict[int, dict[int, Content]] = {i: {} for i in heads}
    ids = list(heads)
    for start in range(0, len(ids), CHUNK):
        query = select(v.c.entry_id, v.c.version, v.c.behaviour, v.c.happened_on, v.c.situation, v.c.action, v.c.result, v.c.improvement)
        for t in conn.execute(query.where(v.c.entry_id.in_(ids[start : start + CHUNK]))):
            texts[t[0]][int(t[1])] = Content(t[2], _day(t[3]), t[4], t[5], t[6], t[7])
    return {uid: KnownEntry(i, uid, lid, texts[i], at) for i, (uid, lid, at) in heads.items()}


class NewEntry(Struct, frozen=True):
    """An entry a results file brings: its author here and every version not here yet."""

    uid: str
    learner_id: int
    created_at: datetime
    shared: bool
    shared_at: datetime | None


def insert_imported(s: Session, entries: Sequence[NewEntry], added: Sequence[tuple[str, int, Content, datetime]], shares: Sequence[tuple[str, bool, datetime]]) -> None:
    """Entries new here, versions new here (by entry uid: version, text, time), and sharing
    choices made later than the one here (by uid)."""
    e = table_of(JournalEntry)
    conn = s.connection()
    if entries:
        conn.execute(e.insert(), [
            {"uid": n.uid, "learner_id": n.learner_id, "created_at": n.created_at, "shared": n.shared, "shared_at": n.shared_at, "origin": Origin.IMPORTED.value}
            for n in entries
        ])
    if added:
        ids = _ids_of(conn, {uid for uid, *_ in added})
        conn.execute(table_of(JournalVersion).insert(), [_version_values(ids[uid], version, content, at) for uid, version, content, at in added])
    for uid, shared, at in shares:
        conn.execute(e.update().where(e.c.uid == uid).values(shared=shared, shared_at=at))


def _ids_of(conn: Connection, uids: set[str]) -> dict[str, int]:
    e = table_of(JournalEntry)
    wanted = sorted(uids)
    out: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        out.update({uid: i for i, uid in conn.execute(select(e.c.id, e.c.uid).where(e.c.uid.in_(wanted[start : start + CHUNK])))})
    return out


# -- a learner's whole journal: merged into another learner's, or removed ---------------------------


def count(s: Session, learner_id: int) -> int:
    e = table_of(JournalEntry)
    return int(s.connection().execute(select(func.count()).select_from(e).where(e.c.learner_id == learner_id)).scalar_one())


def move_all(s: Session, source: int, target: int) -> int:
    """Every entry of learner ``source`` becomes ``target``'s (entries are never combined: each
    is one practice, told once); how many."""
    e = table_of(JournalEntry)
    return int(s.connection().execute(e.update().where(e.c.learner_id == source).values(learner_id=target)).rowcount)


def delete_all_of(s: Session, learner_id: int) -> int:
    """Delete a learner's entries with their versions and reviews; how many entries."""
    e, v, r = table_of(JournalEntry), table_of(JournalVersion), table_of(JournalReview)
    conn = s.connection()
    mine = select(e.c.id).where(e.c.learner_id == learner_id)
    conn.execute(r.delete().where(r.c.entry_id.in_(mine)))
    conn.execute(v.delete().where(v.c.entry_id.in_(mine)))
    return int(conn.execute(e.delete().where(e.c.learner_id == learner_id)).rowcount)
