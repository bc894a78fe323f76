"""What a trainee's record says about how it was made: doubts to flag, never reasons to refuse.
Pure: standard library, msgspec and the course model only.

A results file is re-graded from its answers, but the answer key ships with latsar: anyone can
write any answers into a file and compute its digest again. Re-grading proves that the score
follows from the answers; it cannot prove that a person gave them, nor when. These rules read
the times a record carries and flag what a trainee working through latsar could not have
produced (the instructor decides what to make of it):

- ``NO_RESTUDY``: after a failed attempt the gate opens a retake only once every section listed
  for restudy has been read again to its end. A retake is flagged when a listed section has
  no reading completed after the failure (its last completion is missing or earlier), or when
  the record counts fewer openings of a section (``read_count``) than retakes that required it.
- ``TOO_FAST``: an attempt finished sooner than its answered questions, stem and options, can
  be read at ``READING_CEILING_WPM`` words a minute (a skimming speed, well above careful reading).
- ``OUT_OF_ORDER``: times that cannot follow one another: an attempt starting before the previous
  attempt at the same evaluation finished; an answer timed before its attempt started or after
  it finished; a section completed before it was first opened; anything recorded after the
  file was exported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from msgspec import Struct

from latsar.assessment.rules import grade
from latsar.course.model import Course, Question

READING_CEILING_WPM = 1000


class Doubt(StrEnum):
    NO_RESTUDY = "tanpa_baca_ulang"
    TOO_FAST = "terlalu_cepat"
    OUT_OF_ORDER = "waktu_tidak_urut"


class Order(StrEnum):
    """Which times of an OUT_OF_ORDER flag do not follow one another."""

    OVERLAP = "tumpang_tindih"  # an attempt began before the previous one at the evaluation ended
    ANSWER_OUTSIDE = "jawaban_di_luar_waktu"  # an answer outside its attempt's start and finish
    COMPLETED_BEFORE_OPENED = "selesai_sebelum_dibuka"  # a section read to its end before it was opened
    AFTER_EXPORT = "setelah_diekspor"  # something recorded after the file was made


class AttemptTrace(Struct, frozen=True):
    """One finished attempt as a record tells it. Times are naive UTC."""

    uid: str
    evaluation: str
    started_at: datetime
    finished_at: datetime
    answers: Mapping[str, str]  # question id -> canonical choice
    answered_at: tuple[datetime, ...] = ()


class ReadingTrace(Struct, frozen=True):
    section: str
    first_read_at: datetime | None
    last_read_at: datetime | None
    completed_at: datetime | None
    read_count: int


class Flag(Struct, frozen=True):
    doubt: Doubt
    evaluation: str | None = None
    uid: str | None = None  # the attempt flagged
    number: int = 0  # its number among the record's attempts at the evaluation (1: the first)
    seconds: int = 0  # TOO_FAST: how long it took
    needed: int = 0  # TOO_FAST: how long reading its questions takes at the ceiling
    sections: tuple[str, ...] = ()  # NO_RESTUDY: not re-read; COMPLETED_BEFORE_OPENED: which
    retakes: int = 0  # NO_RESTUDY by count: retakes that required the section…
    reads: int = 0  # …and the openings recorded
    order: Order | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.doubt.value, "evaluation": self.evaluation, "attempt": self.uid, "number": self.number or None}
        if self.doubt is Doubt.TOO_FAST:
            out.update(seconds=self.seconds, needed_seconds=self.needed)
        if self.sections:
            out["sections"] = list(self.sections)
        if self.retakes:
            out.update(retakes=self.retakes, reads=self.reads)
        if self.order is not None:
            out["order"] = self.order.value
        return out


@lru_cache(maxsize=4096)
def words(question: Question) -> int:
    return len(question.stem.split()) + sum(len(text.split()) for _, text in question.options)


def reading_seconds(course: Course, evaluation: str, answered: Sequence[str]) -> int:
    """Seconds to read the questions ``answered`` (stem and options) at the reading ceiling."""
    bank = course.evaluation(evaluation).bank
    total = 0
    for qid in answered:
        try:
            total += words(bank.question(qid))
        except KeyError:
            continue
    return (total * 60) // READING_CEILING_WPM


def doubts(course: Course, attempts: Sequence[AttemptTrace], reading: Mapping[str, ReadingTrace], exported_at: datetime | None = None) -> list[Flag]:
    """Every doubt about one person's record, in the order of their attempts."""
    flags: list[Flag] = []
    by_evaluation: dict[str, list[AttemptTrace]] = defaultdict(list)
    for a in sorted(attempts, key=lambda a: (a.started_at, a.finished_at)):
        by_evaluation[a.evaluation].append(a)
    for evaluation, mine in by_evaluation.items():
        flags += _evaluation(course, evaluation, mine, reading)
    for r in reading.values():
        if r.first_read_at is not None and r.completed_at is not None and r.completed_at < r.first_read_at:
            flags.append(Flag(Doubt.OUT_OF_ORDER, sections=(r.section,), order=Order.COMPLETED_BEFORE_OPENED))
    if exported_at is not None and _latest(attempts, reading) > exported_at:
        flags.append(Flag(Doubt.OUT_OF_ORDER, order=Order.AFTER_EXPORT))
    return flags


def _latest(attempts: Sequence[AttemptTrace], reading: Mapping[str, ReadingTrace]) -> datetime:
    times = [t for a in attempts for t in (a.started_at, a.finished_at, *a.answered_at)]
    times += [t for r in reading.values() for t in (r.first_read_at, r.last_read_at, r.completed_at) if t is not None]
    return max(times, default=datetime.min)


def _evaluation(course: Course, evaluation: str, attempts: list[AttemptTrace], reading: Mapping[str, ReadingTrace]) -> list[Flag]:
    """The doubts about one evaluation's attempts (oldest first)."""
    flags: list[Flag] = []
    needed_by: dict[str, list[int]] = defaultdict(list)  # section -> the retakes (numbers) that required re-reading it
    for n, a in enumerate(attempts, start=1):
        flags += _alone(course, evaluation, a, n)
        if n > 1:
            flags += _retake(course, evaluation, attempts[n - 2], a, n, reading, needed_by)
    return flags + _counted(evaluation, attempts, reading, needed_by, {f.uid for f in flags if f.doubt is Doubt.NO_RESTUDY and f.uid})


def _alone(course: Course, evaluation: str, a: AttemptTrace, n: int) -> list[Flag]:
    """What one attempt's own times make doubtful: too fast, answers outside its time."""
    flags = []
    took = int((a.finished_at - a.started_at).total_seconds())
    needed = reading_seconds(course, evaluation, list(a.answers))
    if a.answers and took < needed:
        flags.append(Flag(Doubt.TOO_FAST, evaluation, a.uid, n, seconds=max(took, 0), needed=needed))
    if any(t < a.started_at or t > a.finished_at for t in a.answered_at):
        flags.append(Flag(Doubt.OUT_OF_ORDER, evaluation, a.uid, n, order=Order.ANSWER_OUTSIDE))
    return flags


def _retake(
    course: Course, evaluation: str, before: AttemptTrace, a: AttemptTrace, n: int, reading: Mapping[str, ReadingTrace], needed_by: dict[str, list[int]]
) -> list[Flag]:
    """What follows from the attempt ``a`` coming after ``before``: overlap, the restudy the gate asks."""
    flags = []
    if a.started_at < before.finished_at:
        flags.append(Flag(Doubt.OUT_OF_ORDER, evaluation, a.uid, n, order=Order.OVERLAP))
    ev = course.evaluation(evaluation)
    graded = grade(ev.bank.questions, before.answers, ev.threshold)
    if course.retake.policy != "restudy" or graded.score.passed:
        return flags
    unread = []
    for sid in course.in_order(graded.restudy):
        needed_by[sid].append(n)
        done = reading[sid].completed_at if sid in reading else None
        if done is None or done <= before.finished_at:
            unread.append(sid)
    if unread:
        flags.append(Flag(Doubt.NO_RESTUDY, evaluation, a.uid, n, sections=tuple(unread)))
    return flags


def _counted(evaluation: str, attempts: list[AttemptTrace], reading: Mapping[str, ReadingTrace], needed_by: dict[str, list[int]], flagged: set[str]) -> list[Flag]:
    """Sections opened fewer times than the retakes that required re-reading them: the last such
    retake is flagged (unless it already was)."""
    flags = []
    for sid, numbers in needed_by.items():
        reads = reading[sid].read_count if sid in reading else 0
        a = attempts[numbers[-1] - 1]
        if len(numbers) > reads and a.uid not in flagged:
            flags.append(Flag(Doubt.NO_RESTUDY, evaluation, a.uid, numbers[-1], sections=(sid,), retakes=len(numbers), reads=reads))
            flagged.add(a.uid)
    return flags
