"""Spaced review of the practice bank, and the reader's remembered place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latsar.assessment import spaced
from latsar.services import open_services

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)


def test_a_missed_item_comes_back_later_and_a_known_one_waits_longer():
    missed = spaced.after_answer(None, "q1", False, T0)
    assert missed.box == 0 and missed.due_at == T0 + spaced.INTERVALS[0]
    right = spaced.after_answer(None, "q2", True, T0)
    assert right.box == 1 and right.due_at > missed.due_at
    again = spaced.after_answer(right, "q2", True, T0)
    assert again.box == 2 and again.right == 2 and again.seen == 2
    states = {"q1": missed, "q2": right}
    # Before the missed item is due, new items come first; once it is due, it comes back.
    assert spaced.pick_next(["q1", "q2", "q3"], states, T0 + timedelta(minutes=1)) == ("q3", "new")
    assert spaced.pick_next(["q1", "q2", "q3"], states, T0 + timedelta(minutes=3)) == ("q1", "due")
    # Never the same question twice in a row when another is available.
    assert spaced.pick_next(["q1", "q2", "q3"], states, T0 + timedelta(minutes=3), last="q1")[0] != "q1"


def test_practice_through_the_services(tmp_path):
    svc = open_services(tmp_path / "p.db")
    me = svc.trainee(svc.learners.add("Ani").id)
    card = me.practice.next()
    q = card.question
    wrong = next(letter for letter in q.letters if letter != q.key)
    assert me.practice.answer(q.id, wrong) is False
    following = me.practice.next(last=q.id)
    assert following.question.id != q.id and following.seen == 1
    assert me.practice.answer(following.question.id, following.question.key) is True
    assert me.attempts.history() == []


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
