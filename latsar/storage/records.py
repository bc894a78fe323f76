"""A learner's whole record across every table that points at a learner: merge two, or remove one.

``HANDLED`` names those tables; ``tests/test_records.py`` checks it against the schema, so a new
table that refers to a learner cannot be forgotten by a merge or a removal. Both run inside the
caller's one write transaction.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session

from latsar.assessment.records import Footprint, Merged
from latsar.storage import attempts, journal, learners, practice, reading
from latsar.storage.models import Learner, LearnerPin, LiveSession, table_of

# Every table with a foreign key to learner.id (attempt's answers hang on the attempt, a journal
# entry's versions and reviews on the entry).
HANDLED = ("attempt", "section_progress", "practice_card", "practice_review", "learner_pin", "live_session", "journal_entry")




def footprint(s: Session, learner_id: int) -> Footprint:
    n_attempts, n_answers = attempts.counts(s, learner_id)
    n_cards, n_reviews = practice.counts(s, learner_id)
    live = table_of(LiveSession)
    sessions = s.connection().execute(core_select(func.count()).select_from(live).where(live.c.learner_id == learner_id)).scalar_one()
    return Footprint(
        n_attempts, n_answers, len(reading.reads(s, learner_id)), n_cards, n_reviews, s.get(LearnerPin, learner_id) is not None, int(sessions),
        journal.count(s, learner_id),
    )


def _fill(s: Session, keep: Learner, other: Learner) -> tuple[str, ...]:
    """KEEP's empty fields take OTHER's values; KEEP keeps everything it has."""
    filled = []
    if keep.nip is None and other.nip is not None:
        nip, other.nip = other.nip, None
        learners.save(s, other)  # the NIP is unique: free it before KEEP takes it
        keep.nip = nip
        filled.append("nip")
    if keep.cohort_id is None and other.cohort_id is not None:
        keep.cohort_id = other.cohort_id
        filled.append("cohort")
    if keep.instansi is None and other.instansi is not None:
        keep.instansi = other.instansi
        filled.append("instansi")
    keep.last_section = keep.last_section or other.last_section
    keep.created_at = min(keep.created_at, other.created_at)
    learners.save(s, keep)
    return tuple(filled)


def _move_pin(s: Session, keep: int, other: int) -> bool:
    """KEEP's PIN stays if it has one; otherwise OTHER's becomes KEEP's."""
    pin = table_of(LearnerPin)
    conn = s.connection()
    if s.get(LearnerPin, keep) is not None:
        conn.execute(pin.delete().where(pin.c.learner_id == other))
        return False
    return bool(conn.execute(pin.update().where(pin.c.learner_id == other).values(learner_id=keep)).rowcount)


def merge(s: Session, keep: Learner, other: Learner) -> Merged:
    """Everything of OTHER becomes KEEP's, then OTHER (and a cohort it leaves empty) is deleted."""
    assert keep.id is not None and other.id is not None
    keep_id, other_id, other_cohort = keep.id, other.id, other.cohort_id
    filled = _fill(s, keep, other)
    n_attempts, folded, copied = attempts.move_all(s, other_id, keep_id)
    sections_moved, sections_combined = reading.move_all(s, other_id, keep_id)
    cards_moved, cards_combined, reviews = practice.move_all(s, other_id, keep_id)
    pin_moved = _move_pin(s, keep_id, other_id)
    live = table_of(LiveSession)
    sessions = s.connection().execute(live.update().where(live.c.learner_id == other_id).values(learner_id=keep_id)).rowcount
    entries = journal.move_all(s, other_id, keep_id)
    _delete_learner(s, other_id, other_cohort)
    return Merged(n_attempts, folded, copied, sections_moved, sections_combined, cards_moved, cards_combined, reviews, pin_moved, int(sessions), filled, entries)


def remove(s: Session, learner: Learner) -> None:
    """Delete a learner and every row about them (and a cohort they leave empty)."""
    assert learner.id is not None
    learner_id, cohort = learner.id, learner.cohort_id
    attempts.delete_all_of(s, learner_id)
    reading.delete_all_of(s, learner_id)
    practice.delete_all_of(s, learner_id)
    journal.delete_all_of(s, learner_id)
    conn = s.connection()
    for model in (LearnerPin, LiveSession):
        table = table_of(model)
        conn.execute(table.delete().where(table.c.learner_id == learner_id))
    _delete_learner(s, learner_id, cohort)


def _delete_learner(s: Session, learner_id: int, cohort_id: int | None) -> None:
    s.expire_all()
    table = table_of(Learner)
    s.connection().execute(table.delete().where(table.c.id == learner_id))
    learners.prune_cohort(s, cohort_id)
