"""Practice scheduled by FSRS, section checks feeding it, and the reader's remembered place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from latsar.assessment import practice
from latsar.assessment.practice import CardState, Why
from latsar.errors import NotFound, UsageError
from latsar.services import open_services
from tests.helpers import MP1_KEY, read_through, take

T0 = datetime(2026, 1, 5, 1, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_wrong_answer_comes_back_soon_and_a_right_one_waits_longer():
    missed, rating = practice.review(None, "q1", False, T0, 21)
    assert rating == practice.Rating.Again and missed.seen == 1 and missed.right == 0
    known, _ = practice.review(None, "q2", True, T0, 21)
    assert known.due > missed.due > T0
    # A card answered right again and again stops growing at the cap of the training period.
    card = known
    for _ in range(12):
        card, _ = practice.review(card, "q2", True, card.due, 21)
    assert card.due - card.last_review == timedelta(days=21) and card.learned and card.right == 13  # the interval, at its cap


def test_pick_next_prefers_due_then_new_then_early_never_the_same_twice():
    cards = {"q1": CardState("q1", due=T0 + timedelta(minutes=1), seen=1), "q2": CardState("q2", due=T0 + timedelta(days=2), seen=1)}
    order = ["q1", "q2", "q3"]
    assert practice.pick_next(order, cards, T0) == ("q3", Why.NEW)
    assert practice.pick_next(order, cards, T0 + timedelta(minutes=2)) == ("q1", Why.DUE)
    assert practice.pick_next(order, cards, T0 + timedelta(minutes=2), last="q1") == ("q3", Why.NEW)
    everything = {**cards, "q3": CardState("q3", due=T0 + timedelta(days=1), seen=1)}
    assert practice.pick_next(order, everything, T0) == ("q1", Why.EARLY)
    assert practice.pick_next(["q1"], {"q1": cards["q1"]}, T0, last="q1") == ("q1", Why.EARLY)
    assert practice.pick_next([], {}, T0) is None


def test_leitner_boxes_become_cards_that_keep_their_history():
    learning = practice.from_leitner("q", 1, T0, T0 - timedelta(minutes=10), 3, 2)
    assert learning.state == practice.State.Learning.value and learning.step == 1 and (learning.seen, learning.right) == (3, 2)
    review = practice.from_leitner("q", 4, T0 + timedelta(days=7), T0, 5, 5)
    assert review.state == practice.State.Review.value and review.stability == 7.0 and review.due == T0 + timedelta(days=7)
    later, _ = practice.review(review, "q", True, review.due, 21)
    assert later.seen == 6 and later.due > review.due


def test_cases_wait_until_the_gate_opens_their_sections(tmp_path):
    """Every case cites Materi Pokok 2: before MP1 is mastered practice offers none of them
    (it would send the trainee to read a locked section), the map counts none, and `l` says why."""
    svc = open_services(tmp_path / "g.db")
    me = svc.trainee(svc.learners.add("Ani").id)
    assert me.practice.counts().new == 0 and me.progress().practice.new == 0
    with pytest.raises(NotFound, match="Belum ada soal latihan yang terbuka"):
        me.practice.next()
    take(me, "mp1", MP1_KEY)
    cases = len(svc.course.practice.questions)
    assert me.practice.counts().new == cases and me.progress().practice.new == cases
    assert me.practice.next().question.id in {q.id for q in svc.course.practice.questions}


def test_practice_through_the_services(tmp_path):
    svc = open_services(tmp_path / "p.db")
    me = svc.trainee(svc.learners.add("Ani").id)
    take(me, "mp1", MP1_KEY)  # the cases are about Materi Pokok 2: open once MP1 is mastered
    card = me.practice.next()
    q = card.question
    wrong = next(letter for letter in q.letters if letter != q.key)
    assert me.practice.answer(q.id, wrong) is False
    following = me.practice.next(last=q.id)
    assert following.question.id != q.id and following.counts.seen == 1
    assert me.practice.answer(following.question.id, following.question.key) is True
    with pytest.raises(UsageError, match="tidak sah"):
        me.practice.answer(q.id, "z")
    assert len(me.attempts.history()) == 1  # practice made no attempt: only the evaluation taken


def test_a_section_check_missed_comes_back_the_day_fsrs_schedules_it_and_the_gate_never_moves(tmp_path):
    clock = Clock(T0)
    svc = open_services(tmp_path / "c.db", clock=clock)
    me = svc.trainee(svc.learners.add("Ani").id)
    checks = me.practice.checks("mp1-2")
    assert 3 <= len(checks) <= 5 and all(q.sections == ("mp1-2",) for q in checks)
    before = [q.id for q in svc.course.checks.questions if q.sections == ("mp1-2",)]
    with pytest.raises(NotFound):  # unread, and the cases wait for MP2: nothing in practice yet
        me.practice.next()
    me.reading.open("mp1-2")
    assert me.practice.counts().new == 0  # opened, not read to the end: not yet
    assert me.progress().practice.new == 0  # the map counts the same
    clock.now += timedelta(seconds=me.reading.minimum("mp1-2"))
    me.reading.complete("mp1-2")
    assert me.practice.counts().new == len(before) == me.progress().practice.new
    missed, *rest = checks
    wrong = next(letter for letter in missed.letters if letter != missed.key)
    assert me.practice.answer(missed.id, wrong) is False
    for q in rest:
        assert me.practice.answer(q.id, q.key) is True
    with svc.db.read() as s:
        from latsar.storage import practice as rows

        due = rows.get(s, me.id, missed.id).due
    # Not yet due: practice offers something else first (the checks of another section read).
    read_through(me, "mp1-1", clock)
    clock.now = due - timedelta(seconds=1)
    assert me.practice.next().question.id != missed.id
    # The moment FSRS scheduled it, it is the next question.
    clock.now = due
    card = me.practice.next()
    assert card.question.id == missed.id and card.why == "due"
    with svc.db.read() as s:
        assert [r.rating for r in rows.reviews(s, me.id)][:1] == [1]  # logged as Again
    progress = me.progress()
    assert progress.evaluations["mp1"].best is None and progress.evaluations["mp2"].lock is not None


def test_reading_time_and_place_are_remembered(tmp_path):
    svc = open_services(tmp_path / "r.db")
    me = svc.trainee(svc.learners.add("Ani").id)
    me.reading.open("mp1-2")
    me.reading.record("mp1-2", 95, 42.0)
    me.reading.record("mp1-2", 30, 60.0)
    again = open_services(tmp_path / "r.db").trainee(me.id)
    assert again.reading.position("mp1-2") == 60.0
    progress = again.progress()
    assert progress.sections["mp1-2"].seconds == 125 and progress.seconds_reading == 125
    assert progress.last_section == "mp1-2"


def test_practice_in_the_plain_terminal_reads_answers_from_a_script(cli, clock):
    import json

    from tests.helpers import lines
    from tests.test_cli_plain import read_in_terminal

    cli("learner", "add", "--name", "Ani")
    read_in_terminal("mp1-2", clock)
    code, out, err = cli("practice", "--section", "mp1-2", "--count", "3", "--json", input=lines("aaa"))
    assert code == 0, err
    result = json.loads(out)
    assert out.count("\n") == 1 and result["answered"] == 3
    assert [i["question"] for i in result["items"]] == ["cek-mp1-2-01", "cek-mp1-2-02", "cek-mp1-2-03"]
    assert result["correct"] == sum(i["correct"] for i in result["items"])
    assert set(result["practice"]) == {"due", "seen", "learned"} and result["practice"]["seen"] == 3
    code, out, _ = cli("progress", "--json")
    assert json.loads(out)["practice"]["seen"] == 3
    code, out, _ = cli("practice", "--count", "2", input=lines("b"))  # input ends early: practice just stops
    assert code == 0 and "dari 1 tepat" in out and "Jawaban:" in out
    code, _, err = cli("practice", "--count", "1", input="x\n")
    assert code == 2 and "Baris 1" in err
    code, _, err = cli("practice", "--section", "tidak-ada")
    assert code == 2 and "tidak ada" in err
    assert json.loads(cli("progress", "--json")[1])["evaluations"]["mp1"]["attempts"] == 0
