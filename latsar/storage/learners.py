"""Named queries about learners and cohorts. Called inside a transaction the services open."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from msgspec import Struct
from sqlalchemy import bindparam, func, or_, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from latsar.storage.models import Cohort, Learner, table_of, utcnow

CHUNK = 900  # values in one IN (...): under SQLite's old limit of 999 variables
BATCH = 5000  # rows in one executemany


def match_key(text: str) -> str:
    """How names match as people type them: case and runs of spaces ignored."""
    return " ".join(text.split()).casefold()


def cohort_key(name: str) -> str:
    """How a cohort's name matches: "Angkatan 7", "angkatan 7" and "Angkatan  7" are one cohort."""
    return match_key(name)


def cohort_by_name(s: Session, name: str) -> Cohort | None:
    return s.exec(select(Cohort).where(Cohort.key == cohort_key(name))).first()


def cohort_id(s: Session, name: str | None, create: bool = True) -> int | None:
    """The id of the cohort called ``name`` (as people type it); created when missing, keeping
    this first spelling, unless ``create`` is off."""
    if not name:
        return None
    row = cohort_by_name(s, name)
    if row is None and create:
        row = Cohort(name=name, key=cohort_key(name))
        s.add(row)
        s.flush()
    return row.id if row else None


def by_nip(s: Session, nip: str) -> Learner | None:
    return s.exec(select(Learner).where(Learner.nip == nip)).first()


def by_id(s: Session, learner_id: int) -> Learner | None:
    return s.get(Learner, learner_id)


def with_cohort(s: Session, learner_id: int | None = None, cohort: str | None = None, no_cohort: bool = False) -> list[tuple[Learner, str | None]]:
    """Learners (one, or all of a cohort, or all without a cohort, or all) with their cohort's name, by id."""
    query = select(Learner, Cohort.name).join(Cohort, col(Learner.cohort_id) == col(Cohort.id), isouter=True)
    if learner_id is not None:
        query = query.where(Learner.id == learner_id)
    if cohort:
        query = query.where(Cohort.key == cohort_key(cohort))
    if no_cohort:
        query = query.where(col(Learner.cohort_id).is_(None))
    return list(s.exec(query.order_by(col(Learner.id))).all())


def add(s: Session, name: str, nip: str | None, cohort: int | None, instansi: str | None) -> Learner:
    learner = Learner(name=name, nip=nip, cohort_id=cohort, instansi=instansi)
    s.add(learner)
    s.flush()
    return learner


def set_last_section(s: Session, learner_id: int, section_id: str) -> None:
    learner = s.get(Learner, learner_id)
    if learner is not None:
        learner.last_section = section_id
        s.add(learner)


# -- cohorts -----------------------------------------------------------------------------------------


def cohorts(s: Session) -> list[tuple[Cohort, int]]:
    """Every cohort with its number of learners, by name (empty cohorts too)."""
    count = func.count(col(Learner.id))
    query = select(Cohort, count).join(Learner, col(Learner.cohort_id) == col(Cohort.id), isouter=True).group_by(col(Cohort.id)).order_by(col(Cohort.name))
    return [(c, int(n)) for c, n in s.exec(query).all()]


def without_cohort(s: Session) -> int:
    """How many learners belong to no cohort."""
    return int(s.exec(select(func.count()).select_from(Learner).where(col(Learner.cohort_id).is_(None))).one())


def rename_cohort(s: Session, cohort: Cohort, name: str) -> None:
    cohort.name, cohort.key = name, cohort_key(name)
    s.add(cohort)
    s.flush()


def move_cohort(s: Session, source: Cohort, target: Cohort) -> int:
    """Every learner of ``source`` joins ``target``; ``source`` is deleted. How many moved."""
    moved = s.connection().execute(update(Learner).where(col(Learner.cohort_id) == source.id).values(cohort_id=target.id)).rowcount
    s.delete(source)
    s.flush()
    return int(moved)


def prune_cohort(s: Session, cohort_id: int | None) -> bool:
    """Delete the cohort if no learner is left in it (cohorts exist through their learners)."""
    if cohort_id is None:
        return False
    s.flush()
    if s.exec(select(Learner.id).where(Learner.cohort_id == cohort_id)).first() is not None:
        return False
    row = s.get(Cohort, cohort_id)
    if row is None:
        return False
    s.delete(row)
    s.flush()
    return True


def save(s: Session, learner: Learner) -> None:
    s.add(learner)
    s.flush()


# -- many learners at once: Core, a few statements for a whole roster or batch of results files -----


class Known(Struct, frozen=True):
    """A learner as a roster import compares it: no ORM object, no per-row flush."""

    id: int
    name: str
    nip: str | None
    cohort_id: int | None
    instansi: str | None


def _known(r: Any) -> Known:
    return Known(r[0], r[1], r[2], r[3], r[4])


def known_by_nips(s: Session, nips: Iterable[str]) -> dict[str, Known]:
    """The learners holding any of ``nips``, by NIP (in chunks, however long the list)."""
    t = table_of(Learner)
    wanted = sorted(set(nips))
    out: dict[str, Known] = {}
    conn = s.connection()
    for start in range(0, len(wanted), CHUNK):
        query = core_select(t.c.id, t.c.name, t.c.nip, t.c.cohort_id, t.c.instansi).where(t.c.nip.in_(wanted[start : start + CHUNK]))
        for r in conn.execute(query):
            out[r[2]] = _known(r)
    return out


def known_without_nip(s: Session, cohort_ids: Iterable[int | None] | None = None) -> dict[tuple[str, int | None], Known]:
    """Learners without a NIP by (name as people type it, cohort), the first registered
    winning; only those of ``cohort_ids`` when given. One query."""
    t = table_of(Learner)
    query = core_select(t.c.id, t.c.name, t.c.nip, t.c.cohort_id, t.c.instansi).where(t.c.nip.is_(None)).order_by(t.c.id)
    if cohort_ids is not None:
        ids = set(cohort_ids)
        some = [i for i in ids if i is not None]
        if not some and None not in ids:
            return {}
        if some and None in ids:
            query = query.where(or_(t.c.cohort_id.in_(some), t.c.cohort_id.is_(None)))
        else:
            query = query.where(t.c.cohort_id.in_(some) if some else t.c.cohort_id.is_(None))
    out: dict[tuple[str, int | None], Known] = {}
    for r in s.connection().execute(query):
        out.setdefault((match_key(r[1]), r[3]), _known(r))
    return out


def cohort_keys(s: Session) -> dict[str, int]:
    """Every cohort's id by its key (how its name matches)."""
    t = table_of(Cohort)
    return {key: cid for cid, key in s.connection().execute(core_select(t.c.id, t.c.key))}


def ensure_cohorts(s: Session, names: Iterable[str], known: dict[str, int]) -> None:
    """Create the cohorts of ``names`` that ``known`` (key -> id) lacks, each under the first
    spelling given, and add them to ``known``."""
    missing: dict[str, str] = {}
    for name in dict.fromkeys(names):  # each spelling once, in order
        key = cohort_key(name)
        if key not in known:
            missing.setdefault(key, name)
    if not missing:
        return
    t = table_of(Cohort)
    conn = s.connection()
    conn.execute(t.insert(), [{"name": name, "key": key} for key, name in missing.items()])
    keys = list(missing)
    for start in range(0, len(keys), CHUNK):
        for cid, key in conn.execute(core_select(t.c.id, t.c.key).where(t.c.key.in_(keys[start : start + CHUNK]))):
            known[key] = cid


def insert_many(s: Session, learners: Sequence[dict[str, Any]]) -> None:
    """Insert learners (name, nip, cohort_id, instansi) in batches of ``BATCH`` rows."""
    t = table_of(Learner)
    conn = s.connection()
    now = utcnow()
    for start in range(0, len(learners), BATCH):
        conn.execute(t.insert(), [{**row, "created_at": now} for row in learners[start : start + BATCH]])


def insert_one(s: Session, name: str, nip: str | None, cohort: int | None, instansi: str | None) -> int:
    t = table_of(Learner)
    row = s.connection().execute(t.insert().values(name=name, nip=nip, cohort_id=cohort, instansi=instansi, created_at=utcnow()).returning(t.c.id))
    return int(row.scalar_one())


def update_many(s: Session, changes: Sequence[dict[str, Any]]) -> None:
    """Set name, cohort_id and instansi of learners (``id`` names each), in batches."""
    t = table_of(Learner)
    stmt = update(t).where(t.c.id == bindparam("_id")).values(name=bindparam("_name"), cohort_id=bindparam("_cohort"), instansi=bindparam("_instansi"))
    conn = s.connection()
    rows = [{"_id": c["id"], "_name": c["name"], "_cohort": c["cohort_id"], "_instansi": c["instansi"]} for c in changes]
    for start in range(0, len(rows), BATCH):
        conn.execute(stmt, rows[start : start + BATCH])
