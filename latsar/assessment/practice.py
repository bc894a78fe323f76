"""Practice scheduled by FSRS (the ``fsrs`` package). Pure: no UI, no ORM.

A wrong answer is rated Again, a right one Good. Intervals are capped so that reviews fall
inside the training period (``Course.practice_max_interval_days``). Practice never counts
toward mastery: nothing here touches an evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from msgspec import Struct
from msgspec.structs import replace

STRONG_STABILITY_DAYS = 2.0  # "learned": graduated to review and remembered for days


class Why(StrEnum):
    """Why this question comes now."""

    DUE = "due"  # scheduled for today, or missed and coming back
    NEW = "new"  # never seen
    EARLY = "early"  # nothing is due: the one due soonest, ahead of time


class CardState(Struct, frozen=True):
    """One learner's memory of one question, as FSRS keeps it, plus plain counts."""

    question_id: str
    state: int = State.Learning.value
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    seen: int = 0
    right: int = 0

    @property
    def learned(self) -> bool:
        return self.state == State.Review.value and (self.stability or 0) >= STRONG_STABILITY_DAYS

    def is_due(self, now: datetime) -> bool:
        return self.due is None or self.due <= now


class Counts(Struct, frozen=True):
    due: int  # seen before and due now
    seen: int
    learned: int
    new: int  # never seen, available


@lru_cache(maxsize=8)
def scheduler(max_interval_days: int) -> Scheduler:
    # No fuzzing: the same answers give the same schedule, which trainees (and tests) can trust.
    return Scheduler(maximum_interval=max_interval_days, enable_fuzzing=False)


def review(card: CardState | None, question_id: str, correct: bool, now: datetime, max_interval_days: int) -> tuple[CardState, Rating]:
    """The card after one answer, and the rating FSRS gave it."""
    card = card or CardState(question_id)
    rating = Rating.Good if correct else Rating.Again
    before = Card(state=State(card.state), step=card.step, stability=card.stability, difficulty=card.difficulty, due=card.due or now, last_review=card.last_review)
    after, _ = scheduler(max_interval_days).review_card(before, rating, review_datetime=now)
    return replace(
        card,
        state=after.state.value,
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
        seen=card.seen + 1,
        right=card.right + (1 if correct else 0),
    ), rating


def _earliest(ids: Iterable[str], cards: dict[str, CardState], now: datetime) -> str | None:
    """The question whose card is due first."""
    return min(((cards[qid].due or now, qid) for qid in ids), default=(now, None))[1]


def pick_next(candidates: Sequence[str], cards: dict[str, CardState], now: datetime, last: str | None = None) -> tuple[str, Why] | None:
    """The next question: the most overdue, else a new one in the bank's order, else the one due
    soonest. The question just answered comes back only when nothing else is left."""
    others = [qid for qid in candidates if qid != last]
    seen = [qid for qid in others if qid in cards]
    due = _earliest((qid for qid in seen if cards[qid].is_due(now)), cards, now)
    if due is not None:
        return due, Why.DUE
    new = next((qid for qid in others if qid not in cards), None)
    if new is not None:
        return new, Why.NEW
    soonest = _earliest(seen, cards, now)
    if soonest is not None:
        return soonest, Why.EARLY
    return (last, Why.EARLY) if last is not None and last in candidates else None


def counts(candidates: Iterable[str], cards: dict[str, CardState], now: datetime) -> Counts:
    ids = list(candidates)
    mine = [cards[qid] for qid in ids if qid in cards]
    return Counts(
        due=sum(1 for c in mine if c.is_due(now)),
        seen=len(mine),
        learned=sum(1 for c in mine if c.learned),
        new=len(ids) - len(mine),
    )


def from_leitner(question_id: str, box: int, due: datetime, last: datetime, seen: int, right: int) -> CardState:
    """A card for an item of v1's Leitner boxes (2 min, 10 min, 1, 3, 7 days), its history kept.

    Boxes 0 and 1 were still being learned: FSRS learning steps 0 and 1. From box 2 the item
    was remembered for a day or more: a review card whose stability is that interval.
    """
    if box <= 1:
        return CardState(question_id, State.Learning.value, box, None, None, due, last, seen, right)
    stability = {2: 1.0, 3: 3.0}.get(box, 7.0)
    return CardState(question_id, State.Review.value, None, stability, 5.0, due, last, seen, right)
