"""Named queries about practice: FSRS cards per learner and question, and the review log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from latsar.assessment.practice import CardState
from latsar.storage.models import PracticeCard, PracticeReview, table_of


def cards(s: Session, learner_id: int) -> list[PracticeCard]:
    return list(s.exec(select(PracticeCard).where(PracticeCard.learner_id == learner_id)).all())


def states(s: Session, learner_id: int) -> dict[str, CardState]:
    """Every card of a learner as a plain value, in one Core query (no ORM objects: this is
    what choosing the next practice item waits for)."""
    t = table_of(PracticeCard)
    query = sa_select(t.c.question_id, t.c.state, t.c.step, t.c.stability, t.c.difficulty, t.c.due, t.c.last_review, t.c.seen, t.c.right).where(t.c.learner_id == learner_id)
    return {r[0]: CardState(*r) for r in s.connection().execute(query)}


def get(s: Session, learner_id: int, question_id: str) -> PracticeCard | None:
    return s.get(PracticeCard, (learner_id, question_id))


def save(s: Session, card: PracticeCard) -> None:
    s.add(card)


def log(s: Session, learner_id: int, question_id: str, rating: int, at: datetime) -> None:
    s.add(PracticeReview(learner_id=learner_id, question_id=question_id, rating=rating, reviewed_at=at))


def reviews(s: Session, learner_id: int) -> list[PracticeReview]:
    query = select(PracticeReview).where(PracticeReview.learner_id == learner_id).order_by(PracticeReview.id)  # type: ignore[arg-type]
    return list(s.exec(query).all())
