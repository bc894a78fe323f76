"""Named queries about practice: FSRS cards per learner and question, and the review log."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from latsar.storage.models import PracticeCard, PracticeReview


def cards(s: Session, learner_id: int) -> list[PracticeCard]:
    return list(s.exec(select(PracticeCard).where(PracticeCard.learner_id == learner_id)).all())


def get(s: Session, learner_id: int, question_id: str) -> PracticeCard | None:
    return s.get(PracticeCard, (learner_id, question_id))


def save(s: Session, card: PracticeCard) -> None:
    s.add(card)


def log(s: Session, learner_id: int, question_id: str, rating: int, at: datetime) -> None:
    s.add(PracticeReview(learner_id=learner_id, question_id=question_id, rating=rating, reviewed_at=at))


def reviews(s: Session, learner_id: int) -> list[PracticeReview]:
    query = select(PracticeReview).where(PracticeReview.learner_id == learner_id).order_by(PracticeReview.id)  # type: ignore[arg-type]
    return list(s.exec(query).all())
