"""Named queries about the practice bank's per-learner review state."""

from __future__ import annotations

from sqlmodel import Session, select

from latsar.storage.models import PracticeItem


def items(s: Session, learner_id: int) -> list[PracticeItem]:
    return list(s.exec(select(PracticeItem).where(PracticeItem.learner_id == learner_id)).all())


def get(s: Session, learner_id: int, question_id: str) -> PracticeItem | None:
    return s.get(PracticeItem, (learner_id, question_id))


def save(s: Session, item: PracticeItem) -> None:
    s.add(item)
