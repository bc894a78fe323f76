"""A trainee's results file: everything they did, for an instructor to import elsewhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from latsar.assessment.rules import AttemptState
from latsar.exchange.bundle import FORMAT, VERSION, seal
from latsar.exchange.files import write_text
from latsar.services.context import Context
from latsar.services.learners import LearnerDirectory
from latsar.services.values import ResultsWritten
from latsar.storage import attempts as attempt_rows
from latsar.storage import journal as journal_rows
from latsar.storage import reading as reading_rows


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def write(ctx: Context, learner_id: int, path: Path) -> ResultsWritten:
    """Write the results file (0600, atomically); how many attempts it carries."""
    data = build(ctx, learner_id)
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1))
    states = [AttemptState(a["state"]) for a in data["attempts"]]
    return ResultsWritten(len(states), states.count(AttemptState.FINISHED), len(data["journal"]))


def build(ctx: Context, learner_id: int) -> dict[str, Any]:
    learner = LearnerDirectory(ctx).get(learner_id)
    with ctx.db.read() as s:
        attempts = attempt_rows.all_of(s, learner_id)
        answers = attempt_rows.answers_by_attempt(s, [a.id for a in attempts if a.id is not None])
        reads = sorted(reading_rows.reads(s, learner_id).values(), key=lambda r: r.section_id)
        journal = journal_rows.of_learner(s, learner_id)
    out_attempts = [
        {
            "uid": a.uid,
            "quiz": a.quiz_id,
            "state": AttemptState(a.state).value,
            "seed": a.seed,
            "started_at": iso(a.started_at),
            "finished_at": iso(a.finished_at),
            "course_version": a.course_version,
            "answers": [
                {"question": x.question_id, "choice": x.choice, "answered_at": iso(x.answered_at)}
                for x in answers.get(a.id or 0, [])
                if x.choice
            ],
        }
        for a in attempts
    ]
    sections = [
        {
            "id": r.section_id,
            "first_read_at": iso(r.first_read_at),
            "last_read_at": iso(r.last_read_at),
            "completed_at": iso(r.completed_at),
            "read_count": r.read_count,
            "seconds": r.seconds,
        }
        for r in reads
    ]
    entries = [
        {
            "uid": e.uid,
            "created_at": iso(e.created_at),
            "shared": e.shared,
            "shared_at": iso(e.shared_at),
            "versions": [
                {
                    "version": v.version, "behaviour": v.behaviour, "date": v.happened_on.isoformat(), "situation": v.situation,
                    "action": v.action, "result": v.result, "improvement": v.improvement, "written_at": iso(v.written_at),
                }
                for v in versions
            ],
        }
        for e, versions in journal
    ]
    course = ctx.course
    return seal(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": iso(ctx.clock()),
            "course": {"id": course.id, "version": course.version, "keys": course.keys_digest()},
            "learner": {"name": learner.name, "nip": learner.nip, "cohort": learner.cohort, "instansi": learner.instansi},
            "attempts": out_attempts,
            "sections": sections,
            "journal": entries,
        }
    )
