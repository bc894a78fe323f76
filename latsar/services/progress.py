"""Progress: the module map with marks, every evaluation's standing, and the next step.

Everything comes from one ``Record`` read in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from latsar.assessment import rules
from latsar.assessment.journal import JournalStanding
from latsar.course import Course
from latsar.course.model import MapEntry
from latsar.services import practice, record
from latsar.services.attempts import row as attempt_row
from latsar.services.context import Context
from latsar.services.journal import standing_of
from latsar.services.learners import info
from latsar.services.values import (
    EntryKind,
    EvaluationStatus,
    MapItem,
    NextStep,
    Progress,
    SectionStatus,
    StepKind,
    Target,
)
from latsar.storage import attempts as attempt_rows
from latsar.storage import journal as journal_rows
from latsar.storage import learners as learner_rows
from latsar.storage import reading as reading_rows


def build(ctx: Context, learner_id: int) -> Progress:
    course = ctx.course
    with ctx.db.read() as s:
        rec = record.load(s, course, learner_id)
        (learner, cohort), = learner_rows.with_cohort(s, learner_id=learner_id)
        history = [attempt_row(a) for a in attempt_rows.all_of(s, learner_id)]
        seconds_reading = sum(r.seconds for r in reading_rows.reads(s, learner_id).values())
        cards = practice.cards(s, learner_id)
        journal = standing_of(course, journal_rows.current(s, journal_rows.Filter(learner_id=learner_id))) if course.journal else None
    done = rec.mastered(course)
    now = ctx.clock()
    evaluations = {ev.id: _evaluation(course, rec, ev.id, done, now) for ev in course.evaluations}
    restudy_now = {sid for ev in course.evaluations for sid in rec.to_reopen(ev.id, now)}
    sections = {sec.id: _section(course, rec, sec.id, done, restudy_now) for sec in course.sections}
    return Progress(
        learner=info(learner, cohort),
        items=module_map(course),
        sections=sections,
        evaluations=evaluations,
        history=history,
        seconds_reading=seconds_reading,
        seconds_quizzing=sum(a.seconds for a in rec.finished),  # long pauses capped: not the hours the app was closed
        next_step=next_step(course, sections, evaluations, journal),
        last_section=learner.last_section,
        practice=practice.counts(practice.candidates(course, rec.read, rec.mastered(course)), cards, now),
        journal=journal,
    )


def _evaluation(course: Course, rec: record.Record, eid: str, done: set[str], now: datetime) -> EvaluationStatus:
    ev = course.evaluation(eid)
    lock = rules.evaluation_lock(course, eid, done)
    mine = rec.of(eid)
    return EvaluationStatus(
        id=ev.id,
        title=ev.title,
        name=ev.name,
        threshold=ev.threshold,
        lock=lock,
        retake=None if (lock or eid in rec.open) else rec.retake_block(course, eid, now),
        best=rec.best(eid),
        attempts=len(mine),
        open=rec.open.get(eid),
        passed_at=next((a.finished_at for a in mine if a.score.passed), None),
    )


def _section(course: Course, rec: record.Record, sid: str, done: set[str], restudy: set[str]) -> SectionStatus:
    sec = course.section(sid)
    read = rec.reads.get(sid)
    return SectionStatus(
        id=sid,
        title=sec.title,
        part=sec.part,
        read=read is not None and read.done,
        opened=read is not None,
        lock=rules.section_lock(course, sid, done),
        last_read_at=read.last_read_at if read else None,
        seconds=read.seconds if read else 0,
        restudy=sid in restudy,
        skimmed=read is not None and read.skimmed,
    )


def module_map(course: Course) -> list[MapItem]:
    """The module map: each part's heading, then its sections and evaluations in order."""
    items: list[MapItem] = []
    current = None
    for entry in course.module_map():
        if entry.part != current:
            current = entry.part
            items.append(MapItem(EntryKind.PART, entry.part, course.part(entry.part).title, entry.part))
        items.append(MapItem(EntryKind(entry.kind), entry.id, entry.title, entry.part))
    return items


def next_step(
    course: Course, sections: dict[str, SectionStatus], evaluations: dict[str, EvaluationStatus], journal: JournalStanding | None = None
) -> NextStep:
    """An open attempt first, then restudy, then the retake that restudy has opened, then (every
    evaluation passed) the journal's revision or next behaviour, then the module map in order:
    the first unread, unlocked section, or the first evaluation not yet passed, whichever comes
    first; then a journal waiting for the coach. An optional retake after a pass, left open,
    comes last."""
    entries = course.module_map()
    first = _unfinished_business(entries, sections, evaluations)
    if first is not None:
        return first
    # The module map in order; the journal's revision or next behaviour before it once every
    # evaluation is passed, and a journal waiting for the coach after it.
    in_order = (_step_at(entry.kind, entry.id, sections, evaluations) for entry in entries)
    found = (journal_step(journal, evaluations, waiting=False), *in_order, journal_step(journal, evaluations, waiting=True))
    step = next(filter(None, found), None)
    return step if step is not None else _optional_retake(evaluations)


def _unfinished_business(entries: list[MapEntry], sections: dict[str, SectionStatus], evaluations: dict[str, EvaluationStatus]) -> NextStep | None:
    """What comes before the module map: an open attempt, restudy, the retake restudy has opened."""
    for ev in evaluations.values():
        if ev.open is not None and ev.lock is None and not ev.passed:
            return NextStep(StepKind.CONTINUE, Target(EntryKind.EVALUATION, ev.id), open=ev.open)
    restudy = [e.id for e in entries if e.kind == EntryKind.SECTION and sections[e.id].restudy]
    if restudy:
        return NextStep(StepKind.RESTUDY, Target(EntryKind.SECTION, restudy[0]))
    for ev in evaluations.values():  # the module's rule: below the threshold, restudy, then retake
        if ev.attempts and not ev.passed and ev.lock is None and ev.retake is None:
            return NextStep(StepKind.RETAKE, Target(EntryKind.EVALUATION, ev.id))
    return None


def _optional_retake(evaluations: dict[str, EvaluationStatus]) -> NextStep:
    """Nothing required is left: the retake the trainee chose to begin after a pass, if any."""
    for ev in evaluations.values():
        if ev.open is not None and ev.lock is None:
            return NextStep(StepKind.CONTINUE, Target(EntryKind.EVALUATION, ev.id), open=ev.open, optional=True)
    return NextStep(StepKind.COMPLETE)


def journal_step(journal: JournalStanding | None, evaluations: dict[str, EvaluationStatus], waiting: bool) -> NextStep | None:
    """The journal's part in the next step, once every evaluation is passed (the habituation
    follows the module): revise first, then the next behaviour; or (``waiting``) wait for the
    coach's review of what is written."""
    if journal is None or journal.complete or not all(ev.passed for ev in evaluations.values()):
        return None
    if waiting:
        return NextStep(StepKind.JOURNAL_WAIT, Target(EntryKind.JOURNAL, ""))
    if journal.revise is not None:
        return NextStep(StepKind.JOURNAL_REVISE, Target(EntryKind.JOURNAL_ENTRY, str(journal.revise)))
    if journal.next_behaviour is not None:
        return NextStep(StepKind.JOURNAL_WRITE, Target(EntryKind.JOURNAL, journal.next_behaviour))
    return None


def _step_at(kind: str, ident: str, sections: dict[str, SectionStatus], evaluations: dict[str, EvaluationStatus]) -> NextStep | None:
    """What one entry of the map asks for, or None when it is done (or locked, for a section)."""
    if kind == EntryKind.SECTION:
        sec = sections[ident]
        return None if sec.read or sec.lock else NextStep(StepKind.READ, Target(EntryKind.SECTION, ident))
    ev = evaluations[ident]
    if ev.passed:
        return None
    if ev.lock:
        return NextStep(StepKind.LOCKED, lock=ev.lock)
    return NextStep(StepKind.TAKE, Target(EntryKind.EVALUATION, ident))
