"""The module's assessment rules, written once. Pure: standard library and msgspec only.

- Grading is integer arithmetic: passed iff ``100 * correct >= threshold * total``.
- The restudy list names the sections behind every missed (or unanswered) question.
- Mastery counts the best finished attempt.
- The gate: a part or evaluation opens once every evaluation it requires is mastered.
- The retake policy: after a failed attempt, a retake opens once each section listed for
  restudy has been read again to its end after that attempt ("restudy"), or at once ("free");
  ``max_attempts`` caps attempts. Opening a section is not reading it.
- Reading: a section counts as read when its end is reached no sooner after opening it than its
  words could be read at the course's words-per-minute ceiling; sooner, it was skimmed.
- The review policy: after a failed attempt, which answers were wrong and what to restudy,
  never the right letters; after a pass, the full review with keys and explanations.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from msgspec import Struct

from latsar.course.model import Course, Question


class Score(Struct, frozen=True):
    correct: int
    total: int
    threshold: int

    @property
    def passed(self) -> bool:
        return 100 * self.correct >= self.threshold * self.total

    @property
    def percent(self) -> int:
        """Whole percent, rounded down, so that a fail never displays as the threshold."""
        return (100 * self.correct) // self.total if self.total else 0

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.correct, self.total) if self.total else Fraction(0)


class Graded(Struct, frozen=True):
    score: Score
    wrong: tuple[str, ...]  # question ids answered wrongly or not at all, in bank order
    restudy: tuple[str, ...]  # section ids, in first-mention order (``Course.in_order`` puts them in the module's)


def grade(questions: Sequence[Question], answers: Mapping[str, str | None], threshold: int) -> Graded:
    """Grade canonical answers (question id -> option letter of the bank) against the keys."""
    wrong = tuple(q.id for q in questions if answers.get(q.id) != q.key)
    score = Score(len(questions) - len(wrong), len(questions), threshold)
    return Graded(score, wrong, restudy_sections(questions, wrong))


def restudy_sections(questions: Sequence[Question], wrong: Iterable[str]) -> tuple[str, ...]:
    missed = set(wrong)
    seen: list[str] = []
    for q in questions:
        if q.id in missed:
            for sid in q.sections:
                if sid not in seen:
                    seen.append(sid)
    return tuple(seen)


def best(scores: Iterable[Score]) -> Score | None:
    """The best finished attempt: highest share correct; on a tie, the first."""
    top: Score | None = None
    for s in scores:
        if top is None or s.ratio > top.ratio:
            top = s
    return top


# -- shuffling ------------------------------------------------------------------------------


class Presented(Struct, frozen=True):
    """A question as shown: its number in this attempt and the letters shown for each option."""

    number: int
    question: Question
    options: tuple[tuple[str, str, str], ...]  # (shown letter, canonical letter, text)

    def canonical(self, shown: str) -> str:
        for letter, canon, _ in self.options:
            if letter == shown:
                return canon
        raise KeyError(shown)

    def shown(self, canonical: str) -> str:
        for letter, canon, _ in self.options:
            if canon == canonical:
                return letter
        raise KeyError(canonical)


def present(questions: Sequence[Question], seed: int | None) -> list[Presented]:
    """Question and option order for an attempt. ``seed=None`` keeps the module's order.

    The same seed always gives the same order, so a resumed attempt looks the same, and the
    answers are stored by canonical letter, so shuffling never changes a score.
    """
    order = list(questions)
    rng = random.Random(seed) if seed is not None else None
    if rng is not None:
        rng.shuffle(order)
    out = []
    for n, q in enumerate(order, start=1):
        canon = list(q.options)
        if rng is not None:
            rng.shuffle(canon)
        out.append(
            Presented(n, q, tuple((shown, c, text) for shown, (c, text) in zip(q.letters, canon)))
        )
    return out


# -- the gate and the retake policy ---------------------------------------------------------


class AttemptState(StrEnum):
    """The life of an attempt: open until it is finished, exactly once."""

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    ABANDONED = "abandoned"  # a second open attempt that a race left behind; kept, never graded


class Subject(StrEnum):
    PART = "part"
    EVALUATION = "evaluation"


class GateLock(Struct, frozen=True):
    """A part (and so its sections) or an evaluation that the gate keeps closed.

    ``missing`` names the evaluations to master first. Whether something is locked is
    whether there is a lock; what to tell the trainee is the presentation's business.
    """

    subject: Subject
    id: str
    missing: tuple[str, ...]


class RetakeReason(StrEnum):
    RESTUDY = "restudy"  # reopen the sections listed after the last failed attempt
    LIMIT = "limit"  # the course caps the number of attempts


class RetakeBlock(Struct, frozen=True):
    """Why a new attempt at ``evaluation`` may not start now."""

    evaluation: str
    reason: RetakeReason
    sections: tuple[str, ...] = ()
    limit: int = 0


def mastered(course: Course, best_scores: Mapping[str, Score | None]) -> set[str]:
    return {eid for eid, s in best_scores.items() if s is not None and s.passed}


def _missing(requires: Iterable[str], done: set[str]) -> tuple[str, ...]:
    return tuple(r for r in requires if r not in done)


def part_lock(course: Course, part_id: str, done: set[str]) -> GateLock | None:
    missing = _missing(course.part(part_id).requires, done)
    return GateLock(Subject.PART, part_id, missing) if missing else None


def section_lock(course: Course, section_id: str, done: set[str]) -> GateLock | None:
    return part_lock(course, course.section(section_id).part, done)


def evaluation_lock(course: Course, evaluation_id: str, done: set[str]) -> GateLock | None:
    ev = course.evaluation(evaluation_id)
    lock = part_lock(course, ev.part, done)
    if lock:
        return lock
    missing = _missing(ev.requires, done)
    return GateLock(Subject.EVALUATION, ev.id, missing) if missing else None


class Standing(StrEnum):
    """Where a learner stands with one evaluation; one precedence, used everywhere."""

    LOCKED = "locked"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    FAILED = "failed"
    NOT_STARTED = "not_started"


def standing(lock: GateLock | None, attempt_open: bool, best_score: Score | None) -> Standing:
    """Locked first, then a pass (an optional retake left open never hides it), then an open
    attempt, then the best finished attempt."""
    if lock is not None:
        return Standing.LOCKED
    if best_score is not None and best_score.passed:
        return Standing.PASSED
    if attempt_open:
        return Standing.IN_PROGRESS
    if best_score is None:
        return Standing.NOT_STARTED
    return Standing.FAILED


class FinishedAttempt(Struct, frozen=True):
    finished_at: datetime
    passed: bool
    restudy: tuple[str, ...]


def sections_to_reopen(last: FinishedAttempt | None, completed: Mapping[str, datetime], now: datetime) -> list[str]:
    """Sections listed for restudy after the last (failed) attempt not read to their end since.

    ``completed`` holds, per section, the last time the trainee reached its end: reaching it
    before the failed attempt, or opening the section after it without reaching the end, does
    not count as restudying it. An attempt dated in the future (a laptop whose clock ran
    ahead) never blocks: nothing read today could come after it.
    """
    if last is None or last.passed or last.finished_at > now:
        return []
    return [sid for sid in last.restudy if (completed.get(sid) is None or completed[sid] <= last.finished_at)]


PAUSE_CAP = 5 * 60  # the longest stretch between two answers counted as working on an attempt


def time_on_attempt(moments: list[datetime], cap: int = PAUSE_CAP) -> int:
    """Seconds spent on an attempt from its moments (start, each answer, finish): a pause longer
    than ``cap`` (the app closed for hours, the attempt resumed the next day) counts as ``cap``."""
    ordered = sorted(moments)
    return sum(min(cap, max(0, int((b - a).total_seconds()))) for a, b in zip(ordered, ordered[1:]))


def reading_minimum(words: int, words_per_minute: int) -> int:
    """The least time, in whole seconds (rounded up), that ``words`` can be read in at
    ``words_per_minute``: reaching a section's end sooner is skimming it, not reading it."""
    return -(-words * 60 // max(words_per_minute, 1))


def read_in_time(seconds: float, words: int, words_per_minute: int) -> bool:
    """Whether reaching a section's end ``seconds`` after opening it counts as reading it."""
    return seconds >= reading_minimum(words, words_per_minute)


def asks_before_retake(standing: Standing, attempt_open: bool) -> bool:
    """After a pass, a new attempt is the trainee's choice: every face asks before starting
    one (a resumed attempt, or one never passed, starts without asking)."""
    return standing is Standing.PASSED and not attempt_open


def retake_block(
    course: Course,
    evaluation_id: str,
    finished: Sequence[FinishedAttempt],
    completed: Mapping[str, datetime],
    now: datetime,
) -> RetakeBlock | None:
    """Why a new attempt may not start now, or None. ``finished`` is oldest first; ``completed``
    is when the trainee last reached the end of each section."""
    policy = course.retake
    if policy.max_attempts and len(finished) >= policy.max_attempts and not any(a.passed for a in finished):
        return RetakeBlock(evaluation_id, RetakeReason.LIMIT, limit=policy.max_attempts)
    if policy.policy == "restudy" and finished:
        todo = sections_to_reopen(finished[-1], completed, now)
        if todo:
            return RetakeBlock(evaluation_id, RetakeReason.RESTUDY, sections=course.in_order(todo))
    return None


# -- review ---------------------------------------------------------------------------------


class ReviewItem(Struct, frozen=True):
    number: int
    question_id: str
    stem: str
    options: tuple[tuple[str, str], ...]  # (shown letter, text)
    chosen: str | None  # shown letter
    correct: bool
    sections: tuple[str, ...]
    key: str | None  # shown letter; only after a pass
    explanation: str | None  # only after a pass


def review(presented: Sequence[Presented], answers: Mapping[str, str | None], passed: bool) -> list[ReviewItem]:
    """The review the policy allows: keys and explanations only after a pass."""
    items = []
    for p in presented:
        q = p.question
        chosen_canon = answers.get(q.id)
        items.append(
            ReviewItem(
                number=p.number,
                question_id=q.id,
                stem=q.stem,
                options=tuple((shown, text) for shown, _, text in p.options),
                chosen=p.shown(chosen_canon) if chosen_canon else None,
                correct=chosen_canon == q.key,
                sections=q.sections,
                key=p.shown(q.key) if passed else None,
                explanation=q.explanation if passed else None,
            )
        )
    return items
