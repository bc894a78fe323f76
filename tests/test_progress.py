"""Progress says only what is true: the next step follows the module's order, an open attempt
comes first with how far it is, and passing the evaluations is not the same as reading it all."""

from __future__ import annotations

import pytest

from latsar.services.journal import Draft
from latsar.services.presentation import Mark
from latsar.services.values import EntryKind, NextStep, StepKind, Target
from tests.helpers import MP1_KEY, MP2_KEY, read_through, take


@pytest.fixture
def me(svc):
    return svc.trainee(svc.learners.add("Ani").id)


def reading_order(svc) -> list[str]:
    return [s.id for s in svc.course.reading_order()]


def test_next_step_follows_the_module_order_from_the_first_unread_section(svc, me, clock):
    order = reading_order(svc)
    step = me.progress().next_step
    assert step.kind is StepKind.READ
    assert step.target == Target(EntryKind.SECTION, order[0])
    read_through(me, order[0], clock)
    step = me.progress().next_step
    assert step.target == Target(EntryKind.SECTION, "bab1-a")  # BAB I comes next, in the module's order
    assert svc.voice.next_step(step) == "Baca: A. Deskripsi Singkat."
    me.reading.open("bab1-a")  # opened, not finished: still the next step
    assert me.progress().next_step.target == Target(EntryKind.SECTION, "bab1-a")
    for sid in ("bab1-a", "bab1-b", "bab1-d", "bab1-e", "mp1-1", "mp1-2"):
        read_through(me, sid, clock)
    assert me.progress().next_step.target == Target(EntryKind.SECTION, "bab1-c")  # a skipped section is not forgotten


def test_an_open_attempt_comes_first_with_how_far_it_is(svc, me):
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented[:4], MP1_KEY):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
    progress = me.progress()
    step = progress.next_step
    assert step.kind is StepKind.CONTINUE and step.target == Target(EntryKind.EVALUATION, "mp1")
    assert svc.voice.next_step(step) == "Lanjutkan Evaluasi MP1 yang belum selesai (4 dari 10 soal dijawab)."
    assert svc.voice.evaluation(progress.evaluations["mp1"]).text == "◐ sedang dikerjakan, 4/10 dijawab"


def test_after_a_failed_evaluation_restudy_comes_first_then_the_retake(svc, me, clock):
    """The module's rule in the next step: below the threshold, restudy what was missed, then take
    the evaluation again, before the rest of the module's reading order."""
    take(me, "mp1", "a" * 10)  # failed
    progress = me.progress()
    restudy = [sid for sid, s in progress.sections.items() if s.restudy]
    assert restudy and progress.next_step.kind is StepKind.RESTUDY
    assert svc.voice.evaluation(progress.evaluations["mp1"]) == Mark("↻", "belum lulus, pelajari ulang dulu")
    for sid in restudy:
        assert me.progress().next_step.target == Target(EntryKind.SECTION, sid)
        read_through(me, sid, clock)
    progress = me.progress()
    step = progress.next_step
    assert not progress.sections[reading_order(svc)[0]].read  # unread sections remain, yet:
    assert step.kind is StepKind.RETAKE and step.target == Target(EntryKind.EVALUATION, "mp1")
    assert svc.voice.evaluation(progress.evaluations["mp1"]) == Mark("▶", "belum lulus")
    assert svc.voice.next_step(step).startswith("Ulangi Evaluasi MP1: bagian yang perlu dipelajari ulang sudah dibaca")
    take(me, "mp1", MP1_KEY)
    assert me.progress().next_step.kind is StepKind.READ  # passed: back to the module's order


def test_passing_both_evaluations_is_not_reading_every_section(svc, me, clock):
    take(me, "mp1", MP1_KEY)
    take(me, "mp2", MP2_KEY)
    progress = me.progress()
    done = svc.voice.completion(progress)
    assert progress.module_complete and not progress.all_read
    assert done == f"Evaluasi MP1 dan Evaluasi MP2 lulus ★ · {len(progress.sections)} bagian belum dibaca"
    assert "Modul selesai" not in done
    # Both evaluations passed: the habituation journal comes next (issue 21), its first behaviour.
    assert progress.next_step == NextStep(StepKind.JOURNAL_WRITE, Target(EntryKind.JOURNAL, "kebutuhan"))
    for sid in reading_order(svc):
        read_through(me, sid, clock)
    progress = me.progress()
    assert svc.voice.completion(progress).startswith("Modul selesai ★")
    assert progress.next_step.kind is StepKind.JOURNAL_WRITE
    entries = [me.journal.write(Draft(b.id, "", "Situasi.", "Tindakan.", "Hasil.", "Lain kali.")).record.id for b in svc.course.journal.behaviours]
    assert me.progress().next_step == NextStep(StepKind.JOURNAL_WAIT, Target(EntryKind.JOURNAL, ""))
    coach = svc.instructor_at_terminal(None).journal
    for entry in entries:
        coach.review(entry, 1, "sesuai")
    progress = me.progress()
    assert progress.next_step.kind is StepKind.COMPLETE
    assert "semua bagian sudah dibaca" in svc.voice.next_step(progress.next_step)


def test_while_the_journal_waits_for_the_coach_unread_sections_come_first(svc, me):
    take(me, "mp1", MP1_KEY)
    take(me, "mp2", MP2_KEY)
    for b in svc.course.journal.behaviours:
        me.journal.write(Draft(b.id, "", "Situasi.", "Tindakan.", "Hasil.", "Lain kali."))
    step = me.progress().next_step
    assert step.kind is StepKind.READ and step.target.id == reading_order(svc)[0]


def test_every_section_read_without_passing_is_not_complete(svc, me, clock):
    for sid in reading_order(svc):
        if not me.progress().sections[sid].lock:
            read_through(me, sid, clock)
    progress = me.progress()
    assert svc.voice.completion(progress) is None
    assert progress.next_step.kind is StepKind.TAKE and progress.next_step.target == Target(EntryKind.EVALUATION, "mp1")


def test_a_title_two_parts_share_names_its_part(svc, me):
    from latsar.services.values import NextStep

    step = NextStep(StepKind.READ, Target(EntryKind.SECTION, "mp2-umpan-balik"))
    assert svc.voice.next_step(step) == "Baca: D. Umpan Balik dan Tindak Lanjut (Materi Pokok 2)."
    assert svc.voice.next_step(NextStep(StepKind.READ, Target(EntryKind.SECTION, "mp1-1"))) == "Baca: 1. Pengertian Pelayanan Publik."


def test_the_sections_to_restudy_are_listed_in_the_module_order(svc, me):
    result = take(me, "mp1", "a" * 10)
    order = [s.id for s in svc.course.sections]
    assert len(result.restudy) > 2 and list(result.restudy) == sorted(result.restudy, key=order.index)
    assert result.restudy_titles == tuple(svc.course.section(sid).title for sid in result.restudy)


def test_an_unfinished_optional_retake_never_hides_the_pass_nor_outranks_required_work(svc, me, clock):
    """After a pass, a retake is the trainee's choice: left half done, the evaluation is still
    "★ lulus" (with the retake said beside it), it resumes without asking again, and "Berikutnya"
    sends the trainee to the module's required work first; the retake comes last."""
    from latsar.assessment.rules import Standing

    take(me, "mp1", MP1_KEY)
    view = me.attempts.start_or_resume("mp1")
    for p, letter in zip(view.presented[:4], "aaaa"):
        me.attempts.answer(view.id, p.question.id, p.canonical(letter))
    progress = me.progress()
    ev = progress.evaluations["mp1"]
    assert ev.standing is Standing.PASSED and ev.passed
    mark = svc.voice.evaluation(ev)
    assert mark.symbol == "★" and mark.label.startswith("lulus") and "4/10" in mark.label
    assert progress.next_step.kind is StepKind.READ  # required reading first, not the optional retake
    assert me.attempts.retake_question("mp1") is None  # resuming an open attempt asks nothing
    take(me, "mp2", MP2_KEY)
    for sid in reading_order(svc):
        read_through(me, sid, clock)
    # The habituation journal is the module's work once both evaluations are passed: it comes
    # before the optional retake too.
    assert me.progress().next_step.kind is StepKind.JOURNAL_WRITE
    entries = [me.journal.write(Draft(b.id, "", "Situasi.", "Tindakan.", "Hasil.", "Lain kali.")).record.id for b in svc.course.journal.behaviours]
    coach = svc.instructor_at_terminal(None).journal
    for entry in entries:
        coach.review(entry, 1, "sesuai")
    step = me.progress().next_step
    assert step.kind is StepKind.CONTINUE and step.target == Target(EntryKind.EVALUATION, "mp1") and step.optional
    sentence = svc.voice.next_step(step)
    assert "4 dari 10" in sentence and "tidak wajib" in sentence


def test_a_restudy_list_is_in_the_module_order_wherever_it_is_said(svc, me):
    """The retake refused too early names the sections in the module's order, as the result does."""
    from latsar.errors import Blocked

    result = take(me, "mp1", "bcaaacaaab")  # misses 3, 4, 7-10: 3, Rangkuman, 4, then 1 by first mention
    titles = list(result.restudy_titles)
    assert titles == [svc.course.section(s).title for s in result.restudy]
    with pytest.raises(Blocked) as refused:
        me.attempts.start_or_resume("mp1")
    said = refused.value.message
    positions = [said.index(t) for t in titles]
    assert positions == sorted(positions), said
    block = me.progress().evaluations["mp1"].retake
    order = [s.id for s in svc.course.reading_order()]
    assert list(block.sections) == sorted(block.sections, key=order.index)


def test_time_on_evaluations_leaves_out_the_hours_the_app_was_closed(svc, clock):
    """An attempt begun, left for three hours (the app closed) and finished: a few minutes of
    work, not three hours ("waktu evaluasi: 3 jam")."""
    from latsar.assessment.rules import PAUSE_CAP

    me = svc.trainee(svc.learners.add("Ani").id)
    view = me.attempts.start_or_resume("mp1")
    for i, p in enumerate(view.presented):
        clock.advance(3 * 3600 if i == 4 else 30)
        me.attempts.answer(view.id, p.question.id, p.canonical("a"))
    clock.advance(20)
    me.attempts.submit(view.id)
    seconds = me.progress().seconds_quizzing
    assert seconds == 9 * 30 + PAUSE_CAP + 20
