"""The plausibility rules (issue 18, item 8): what a record's own times make doubtful.

A record made the way latsar makes them (the gate's restudy between retakes, time to read every
question, times in order) is never flagged, whatever the answers; each rule catches its case.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from latsar.assessment.plausibility import READING_CEILING_WPM, AttemptTrace, Doubt, Order, ReadingTrace, doubts, reading_seconds
from latsar.assessment.rules import grade
from latsar.course import load_course
from latsar.paths import shipped_pack

COURSE = load_course(shipped_pack())
T0 = datetime(2026, 11, 2, 1, 0)
MP1 = COURSE.evaluation("mp1")


class Trainee:
    """A trainee as latsar records one: reads what the gate asks, takes the time to read."""

    def __init__(self) -> None:
        self.now = T0
        self.attempts: list[AttemptTrace] = []
        self.reading: dict[str, ReadingTrace] = {}

    def wait(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def read(self, section: str, seconds: float) -> None:
        opened = self.wait(1)
        done = self.wait(seconds)
        old = self.reading.get(section)
        self.reading[section] = ReadingTrace(section, old.first_read_at if old else opened, opened, done, (old.read_count if old else 0) + 1)

    def take(self, evaluation: str, letters: str, slack: float) -> None:
        questions = COURSE.evaluation(evaluation).bank.questions
        started = self.wait(1)
        answers = {q.id: letter for q, letter in zip(questions, letters)}
        per = (reading_seconds(COURSE, evaluation, list(answers)) + slack) / len(answers)
        times = tuple(self.wait(per) for _ in answers)
        self.attempts.append(AttemptTrace(f"u{len(self.attempts):08d}", evaluation, started, self.wait(1), answers, times))

    def restudy(self, evaluation: str, seconds: float) -> None:
        ev = COURSE.evaluation(evaluation)
        last = self.attempts[-1]
        for sid in grade(ev.bank.questions, last.answers, ev.threshold).restudy:
            self.read(sid, seconds)


letters = st.text(alphabet="abcd", min_size=10, max_size=10)


@settings(max_examples=60, deadline=None)
@given(sheets=st.lists(letters, min_size=1, max_size=6), slack=st.floats(0, 600), reading=st.floats(1, 900), first_reads=st.booleans())
def test_a_record_made_as_latsar_makes_them_is_never_flagged(sheets, slack, reading, first_reads):
    me = Trainee()
    if first_reads:
        for s in ("mp1-1", "mp1-2", "mp1-3"):
            me.read(s, reading)
    for sheet in sheets:
        if me.attempts:
            me.restudy("mp1", reading)
        me.take("mp1", sheet, slack)
    assert doubts(COURSE, me.attempts, me.reading, exported_at=me.wait(5)) == []


def _failing_twice() -> Trainee:
    me = Trainee()
    me.take("mp1", "aaaaaaaaaa", 60)
    me.restudy("mp1", 120)
    me.take("mp1", "aaaaaaaaaa", 60)
    me.restudy("mp1", 120)
    me.take("mp1", "bccbaccdba", 60)
    return me


def test_the_helper_record_is_sound():
    me = _failing_twice()
    assert doubts(COURSE, me.attempts, me.reading, me.wait(1)) == []


def test_retakes_without_the_restudy_between_them_are_flagged():
    """Issue 18: 25 MP1 retakes with no reading between them were accepted without a word."""
    me = Trainee()
    for _ in range(25):
        me.take("mp1", "aaaaaaaaaa", 60)
    flags = doubts(COURSE, me.attempts, me.reading, me.wait(1))
    flagged = [f for f in flags if f.doubt is Doubt.NO_RESTUDY]
    assert [f.number for f in flagged] == list(range(2, 26))
    assert set(flagged[0].sections) == set(grade(MP1.bank.questions, me.attempts[0].answers, MP1.threshold).restudy)


def test_a_section_read_before_the_failure_only_does_not_count():
    me = _failing_twice()
    failed_at = me.attempts[1].finished_at
    sid = next(iter(me.reading))
    me.reading[sid] = replace(me.reading[sid], completed_at=failed_at - timedelta(seconds=1))
    flags = [f for f in doubts(COURSE, me.attempts, me.reading) if f.doubt is Doubt.NO_RESTUDY]
    assert flags and flags[0].number == 3 and sid in flags[0].sections


def test_fewer_openings_than_the_retakes_that_needed_them_is_flagged():
    """The last completion can be late enough for every retake; the count of openings cannot."""
    me = _failing_twice()
    sid = next(iter(me.reading))
    me.reading[sid] = replace(me.reading[sid], read_count=1)
    (flag,) = [f for f in doubts(COURSE, me.attempts, me.reading) if f.doubt is Doubt.NO_RESTUDY]
    assert (flag.retakes, flag.reads, flag.sections) == (2, 1, (sid,))


def test_a_free_retake_policy_asks_for_no_restudy():
    me = Trainee()
    for _ in range(3):
        me.take("mp1", "aaaaaaaaaa", 60)
    free = replace(COURSE, retake=replace(COURSE.retake, policy="free"))
    assert [f for f in doubts(free, me.attempts, me.reading) if f.doubt is Doubt.NO_RESTUDY] == []


@pytest.mark.parametrize(("seconds", "flagged"), [(0.02, True), (10, True), (17, True), (19, False), (600, False)])
def test_answers_faster_than_the_questions_can_be_read_are_flagged(seconds, flagged):
    """Issue 18: ten answers in 0.02 s were accepted. MP1's stems and options are 306 words:
    at 1,000 words a minute, 18 seconds."""
    assert reading_seconds(COURSE, "mp1", [q.id for q in MP1.bank.questions]) == 306 * 60 // READING_CEILING_WPM == 18
    start = T0
    answers = {q.id: q.key for q in MP1.bank.questions}
    times = tuple(start + timedelta(seconds=seconds * (i + 1) / 11) for i in range(10))
    attempt = AttemptTrace("u1", "mp1", start, start + timedelta(seconds=seconds), answers, times)
    flags = doubts(COURSE, [attempt], {})
    assert [f.doubt for f in flags] == ([Doubt.TOO_FAST] if flagged else [])
    if flagged:
        assert (flags[0].seconds, flags[0].needed) == (int(seconds), 18)


def test_times_out_of_order_are_flagged():
    me = _failing_twice()
    exported = me.wait(1)
    a2 = me.attempts[1]
    overlapping = replace(a2, started_at=me.attempts[0].finished_at - timedelta(seconds=30))
    outside = replace(me.attempts[2], answered_at=(me.attempts[2].finished_at + timedelta(seconds=5),))
    sid = next(iter(me.reading))
    backwards = {**me.reading, sid: replace(me.reading[sid], completed_at=me.reading[sid].first_read_at - timedelta(minutes=1))}
    orders = lambda attempts, reading, at=None: [f.order for f in doubts(COURSE, attempts, reading, at) if f.doubt is Doubt.OUT_OF_ORDER]  # noqa: E731
    assert orders([me.attempts[0], overlapping, me.attempts[2]], me.reading) == [Order.OVERLAP]
    assert orders([me.attempts[0], a2, outside], me.reading) == [Order.ANSWER_OUTSIDE]
    assert Order.COMPLETED_BEFORE_OPENED in orders(me.attempts, backwards)
    assert orders(me.attempts, me.reading, me.attempts[2].finished_at - timedelta(seconds=1)) == [Order.AFTER_EXPORT]
    assert orders(me.attempts, me.reading, exported) == []
