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


def later_card(a: PracticeCard, b: PracticeCard) -> PracticeCard:
    """Of one person's two cards for one question, the one whose FSRS state to keep: the one
    reviewed last (its stability, difficulty and due date already take the latest answer into
    account; the other's schedule is stale). Never reviewed counts as oldest; on a tie, the card
    with more reviews; then ``a``."""
    if (a.last_review is None) != (b.last_review is None):
        return a if a.last_review is not None else b
    if a.last_review is not None and b.last_review is not None and a.last_review != b.last_review:
        return a if a.last_review > b.last_review else b
    return b if b.seen > a.seen else a


FSRS_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review")


def move_all(s: Session, source: int, target: int) -> tuple[int, int, int]:
    """Learner ``source``'s practice becomes ``target``'s: cards (one per question: the later
    card's FSRS state, both cards' counts added) and every review in the log. Returns (cards
    moved, cards combined, reviews moved)."""
    mine = {c.question_id: c for c in cards(s, target)}
    moved = combined = 0
    for theirs in cards(s, source):
        keep = mine.get(theirs.question_id)
        if keep is None:
            moved += 1
            continue
        if later_card(keep, theirs) is theirs:
            for name in FSRS_FIELDS:
                setattr(keep, name, getattr(theirs, name))
        keep.seen += theirs.seen
        keep.right += theirs.right
        s.add(keep)
        s.delete(theirs)
        combined += 1
    s.flush()
    conn = s.connection()
    card, review = table_of(PracticeCard), table_of(PracticeReview)
    conn.execute(card.update().where(card.c.learner_id == source).values(learner_id=target))
    reviews_moved = conn.execute(review.update().where(review.c.learner_id == source).values(learner_id=target)).rowcount
    s.expire_all()
    return moved, combined, int(reviews_moved)


def counts(s: Session, learner_id: int) -> tuple[int, int]:
    """How many cards and logged reviews a learner has."""
    from sqlalchemy import func

    n_cards = s.exec(select(func.count()).select_from(PracticeCard).where(PracticeCard.learner_id == learner_id)).one()
    n_reviews = s.exec(select(func.count()).select_from(PracticeReview).where(PracticeReview.learner_id == learner_id)).one()
    return int(n_cards), int(n_reviews)


def delete_all_of(s: Session, learner_id: int) -> None:
    conn = s.connection()
    for table in (table_of(PracticeCard), table_of(PracticeReview)):
        conn.execute(table.delete().where(table.c.learner_id == learner_id))
