"""Named queries about learners and cohorts. Called inside a transaction the services open."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from latsar.storage.models import Cohort, Learner


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


def without_nip(s: Session, name: str, cohort: int | None) -> Learner | None:
    """A learner registered without a NIP in that cohort whose name matches as people type it."""
    key = match_key(name)
    query = select(Learner).where(col(Learner.nip).is_(None), Learner.cohort_id == cohort).order_by(col(Learner.id))
    return next((learner for learner in s.exec(query) if match_key(learner.name) == key), None)


def without_nip_index(s: Session) -> dict[tuple[str, int | None], Learner]:
    """Every learner without a NIP by (name as people type it, cohort): one query for a whole roster."""
    query = select(Learner).where(col(Learner.nip).is_(None)).order_by(col(Learner.id))
    out: dict[tuple[str, int | None], Learner] = {}
    for learner in s.exec(query):
        out.setdefault((match_key(learner.name), learner.cohort_id), learner)
    return out


def with_cohort(s: Session, learner_id: int | None = None, cohort: str | None = None) -> list[tuple[Learner, str | None]]:
    """Learners (one, or all of a cohort, or all) with their cohort's name, by id."""
    query = select(Learner, Cohort.name).join(Cohort, col(Learner.cohort_id) == col(Cohort.id), isouter=True)
    if learner_id is not None:
        query = query.where(Learner.id == learner_id)
    if cohort:
        query = query.where(Cohort.key == cohort_key(cohort))
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


def by_nips(s: Session, nips: list[str]) -> dict[str, Learner]:
    """The learners holding any of ``nips``, by NIP (in chunks, however long the list)."""
    out: dict[str, Learner] = {}
    for start in range(0, len(nips), 900):
        chunk = nips[start : start + 900]
        for learner in s.exec(select(Learner).where(col(Learner.nip).in_(chunk))):
            out[learner.nip or ""] = learner
    return out


def change(s: Session, learner: Learner, **fields: object) -> None:
    for name, value in fields.items():
        setattr(learner, name, value)
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
