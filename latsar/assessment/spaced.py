"""Spaced review for the practice bank (a Leitner system). Pure.

A missed item drops to box 0 and comes back a few minutes later in the same session; an item
answered right moves up a box and comes back after a longer wait. Practice never counts
toward mastery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# Wait before an item in box N is due again.
INTERVALS = (
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
)
MASTERED_BOX = len(INTERVALS) - 1


@dataclass(frozen=True)
class ItemState:
    question_id: str
    box: int
    due_at: datetime
    seen: int
    right: int


def after_answer(state: ItemState | None, question_id: str, correct: bool, now: datetime) -> ItemState:
    box = 0 if state is None else state.box
    box = min(box + 1, MASTERED_BOX) if correct else 0
    return ItemState(
        question_id=question_id,
        box=box,
        due_at=now + INTERVALS[box],
        seen=(state.seen if state else 0) + 1,
        right=(state.right if state else 0) + (1 if correct else 0),
    )


def _queues(bank_order: Sequence[str], states: dict[str, ItemState], now: datetime, last: str | None) -> list[tuple[list[str], str]]:
    """Where the next item may come from, in order of preference, each with its reason."""
    due = sorted((s for s in states.values() if s.due_at <= now), key=lambda s: (s.due_at, s.box))
    others = [s for s in due if s.question_id != last]
    return [
        ([s.question_id for s in others if s.box == 0], "due"),  # missed items that are due
        ([q for q in bank_order if q not in states and q != last], "new"),
        ([s.question_id for s in others], "due"),
        ([s.question_id for s in due], "due"),  # the question just answered, when nothing else is left
    ]


def pick_next(bank_order: Sequence[str], states: dict[str, ItemState], now: datetime, last: str | None = None) -> tuple[str, str]:
    """The next question id and why: "due" (a missed or scheduled item), "new", or "early"."""
    for ids, why in _queues(bank_order, states, now, last):
        if ids:
            return ids[0], why
    waiting = sorted((s for s in states.values() if s.question_id != last), key=lambda s: s.due_at)
    return (waiting[0].question_id if waiting else bank_order[0]), "early"
