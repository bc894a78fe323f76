"""The module's rules, as pure functions: grading, shuffling, the gate, retakes, review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latsar.assessment import rules
from latsar.course import load_course
from latsar.paths import shipped_pack
from latsar.services.presentation import Voice

COURSE = load_course(shipped_pack())
NOW = datetime(2026, 6, 1, tzinfo=UTC)
VOICE = Voice(COURSE)
MP1 = COURSE.evaluation("mp1").bank.questions
KEYS = {q.id: q.key for q in MP1}


def answers_with(correct: int) -> dict[str, str]:
    """The first `correct` questions right, the rest wrong."""
    out = {}
    for i, q in enumerate(MP1):
        out[q.id] = q.key if i < correct else next(l for l in q.letters if l != q.key)
    return out


def test_eight_of_ten_passes_and_seven_fails():
    assert rules.grade(MP1, answers_with(8), 80).score.passed is True
    assert rules.grade(MP1, answers_with(7), 80).score.passed is False


def test_examples_near_the_line():
    assert rules.Score(35, 44, 80).passed is False  # 79.5 %: would round to 80
    assert rules.Score(12, 15, 80).passed is True  # exactly 80 %
    assert rules.Score(35, 44, 80).percent == 79


@settings(deadline=None)  # correctness properties; a slow shared CI machine must not fail them
@given(total=st.integers(min_value=1, max_value=500), data=st.data(), threshold=st.integers(min_value=1, max_value=100))
def test_passed_iff_share_reaches_threshold(total, data, threshold):
    correct = data.draw(st.integers(min_value=0, max_value=total))
    assert rules.Score(correct, total, threshold).passed == (Fraction(correct, total) >= Fraction(threshold, 100))
    assert rules.Score(correct, total, threshold).percent <= 100 * correct / total


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1), picks=st.lists(st.integers(0, 3), min_size=10, max_size=10))
def test_shuffle_never_changes_a_score(seed, picks):
    """The same choices (by option text) score the same in the module's order and shuffled."""
    plain = rules.present(MP1, None)
    mixed = rules.present(MP1, seed)
    chosen_text = {p.question.id: p.options[i][2] for p, i in zip(plain, picks)}
    canon_plain = {p.question.id: next(c for _, c, t in p.options if t == chosen_text[p.question.id]) for p in plain}
    canon_mixed = {}
    for p in mixed:
        shown = next(l for l, _, t in p.options if t == chosen_text[p.question.id])
        canon_mixed[p.question.id] = p.canonical(shown)
    assert rules.grade(MP1, canon_plain, 80).score == rules.grade(MP1, canon_mixed, 80).score
    assert sorted(p.question.id for p in mixed) == sorted(KEYS)
    assert rules.present(MP1, seed) == mixed  # a resumed attempt looks the same


def test_restudy_lists_sections_behind_missed_and_unanswered_questions():
    answers = answers_with(10)
    answers["mp1-q03"] = "a"  # wrong: mp1-3, mp1-rangkuman
    del answers["mp1-q10"]  # unanswered: mp1-4
    graded = rules.grade(MP1, answers, 80)
    assert graded.score.correct == 8
    assert graded.wrong == ("mp1-q03", "mp1-q10")
    assert graded.restudy == ("mp1-3", "mp1-rangkuman", "mp1-4")


def test_best_attempt_counts():
    scores = [rules.Score(6, 10, 80), rules.Score(9, 10, 80), rules.Score(7, 10, 80)]
    assert rules.best(scores) == rules.Score(9, 10, 80)
    assert rules.best([]) is None


def test_gate_keeps_mp2_closed_until_mp1_is_mastered():
    assert VOICE.lock(rules.section_lock(COURSE, "mp2-1a", set())) == "Materi Pokok 2 terbuka setelah Evaluasi MP1 ≥ 80%."
    assert rules.evaluation_lock(COURSE, "mp2", set()) is not None
    assert rules.section_lock(COURSE, "mp1-1", set()) is None
    assert rules.section_lock(COURSE, "kode-etik", set()) is None  # enrichment is never gated
    done = rules.mastered(COURSE, {"mp1": rules.Score(8, 10, 80), "mp2": None})
    assert done == {"mp1"}
    assert rules.section_lock(COURSE, "mp2-1a", done) is None
    assert rules.evaluation_lock(COURSE, "mp2", done) is None
    assert rules.mastered(COURSE, {"mp1": rules.Score(7, 10, 80)}) == set()


def test_retake_policy_waits_for_the_restudy_sections():
    t0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
    failed = rules.FinishedAttempt(t0, False, ("mp1-1", "mp1-4"))
    blocked = VOICE.retake(rules.retake_block(COURSE, "mp1", [failed], {"mp1-1": t0 - timedelta(hours=1)}, NOW))
    assert "1. Pengertian Pelayanan Publik" in blocked and "4. Nilai" in blocked
    half = VOICE.retake(rules.retake_block(COURSE, "mp1", [failed], {"mp1-1": t0 + timedelta(minutes=5)}, NOW))
    assert "1. Pengertian" not in half and "4. Nilai" in half
    both = {"mp1-1": t0 + timedelta(minutes=5), "mp1-4": t0 + timedelta(minutes=6)}
    assert rules.retake_block(COURSE, "mp1", [failed], both, NOW) is None
    passed = rules.FinishedAttempt(t0, True, ())
    assert rules.retake_block(COURSE, "mp1", [failed, passed], {}, NOW) is None


def test_an_attempt_dated_in_the_future_never_blocks_a_retake():
    # A laptop whose clock ran a year ahead recorded a failed attempt "in 2027".
    future = rules.FinishedAttempt(NOW + timedelta(days=365), False, ("mp1-1",))
    assert rules.retake_block(COURSE, "mp1", [future], {}, NOW) is None
    assert rules.sections_to_reopen(future, {}, NOW) == []
    past = rules.FinishedAttempt(NOW - timedelta(days=1), False, ("mp1-1",))
    assert rules.retake_block(COURSE, "mp1", [past], {}, NOW) is not None


def test_retake_policy_free_and_attempt_cap():
    from msgspec.structs import replace

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    failed = rules.FinishedAttempt(t0, False, ("mp1-1",))
    free = replace(COURSE, retake=rules_policy("free", 0))
    assert rules.retake_block(free, "mp1", [failed], {}, NOW) is None
    capped = replace(COURSE, retake=rules_policy("free", 2))
    assert rules.retake_block(capped, "mp1", [failed], {}, NOW) is None
    assert "Batas 2 percobaan" in Voice(capped).retake(rules.retake_block(capped, "mp1", [failed, failed], {}, NOW))


def rules_policy(policy, cap):
    from latsar.course import RetakePolicy

    return RetakePolicy(policy=policy, max_attempts=cap)


@pytest.mark.parametrize("seed", [None, 12345])
def test_review_after_a_fail_hides_keys_and_after_a_pass_shows_them(seed):
    presented = rules.present(MP1, seed)
    failing = answers_with(5)
    items = rules.review(presented, failing, passed=False)
    assert all(i.key is None and i.explanation is None for i in items)
    assert sum(not i.correct for i in items) == 5
    passing = answers_with(10)
    items = rules.review(presented, passing, passed=True)
    for item, p in zip(items, presented):
        assert p.canonical(item.key) == p.question.key
        assert item.explanation
