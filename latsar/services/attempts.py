"""Evaluation attempts: start or resume, answer, flag, submit, result, history.

Every answer is committed the moment it is given. An attempt is finished exactly once, even
when two processes race. An attempt belongs to its learner: another learner's attempt id is
treated as not there at all.
"""

from __future__ import annotations

import secrets
import uuid

from sqlmodel import Session

from latsar.assessment import rules
from latsar.assessment.rules import AttemptState
from latsar.errors import AttemptClosed, Blocked, NotFound, UsageError
from latsar.services import record
from latsar.services.context import Context
from latsar.services.values import AttemptResult, AttemptRow, AttemptView
from latsar.storage import attempts as rows
from latsar.storage.models import Answer, Attempt


def check_choice(letters: tuple[str, ...], choice: str) -> None:
    if choice not in letters:
        raise UsageError(f"Jawaban '{choice}' tidak sah; pilih {', '.join(letters)}.")


class Attempts:
    """One learner's evaluation attempts."""

    def __init__(self, ctx: Context, learner_id: int) -> None:
        self.ctx = ctx
        self.learner_id = learner_id

    def _view(self, attempt: Attempt, answers: list[Answer]) -> AttemptView:
        assert attempt.id is not None
        ev = self.ctx.course.evaluation(attempt.quiz_id)
        return AttemptView(
            id=attempt.id,
            quiz_id=attempt.quiz_id,
            title=ev.title,
            threshold=attempt.threshold or ev.threshold,
            presented=rules.present(ev.bank.questions, attempt.seed),
            answers={a.question_id: a.choice for a in answers if a.choice},
            flagged={a.question_id for a in answers if a.flagged},
        )

    def _mine(self, s: Session, attempt_id: int) -> Attempt:
        attempt = rows.get(s, attempt_id)
        if attempt is None or attempt.learner_id != self.learner_id:
            raise NotFound(f"Percobaan {attempt_id} tidak ada.")
        return attempt

    def _open(self, s: Session, attempt_id: int) -> Attempt:
        attempt = self._mine(s, attempt_id)
        if attempt.state != AttemptState.IN_PROGRESS:
            raise AttemptClosed("Percobaan ini sudah diselesaikan; jawabannya tidak dapat diubah.")
        return attempt

    def start_or_resume(self, quiz_id: str, shuffle: bool = False) -> AttemptView:
        """Resume the open attempt, or start one if the gate and the retake policy allow."""
        ev = self.ctx.evaluation(quiz_id)
        course = self.ctx.course
        with self.ctx.db.write() as s:
            rec = record.load(s, course, self.learner_id)
            lock = rules.evaluation_lock(course, quiz_id, rec.mastered(course))
            if lock:
                raise Blocked(self.ctx.voice.lock(lock))
            attempt = rows.open_attempt(s, self.learner_id, quiz_id)
            if attempt is None:
                block = rec.retake_block(course, quiz_id, self.ctx.clock())
                if block:
                    raise Blocked(self.ctx.voice.retake(block))
                attempt = rows.add_open(
                    s,
                    uid=uuid.uuid4().hex,
                    learner_id=self.learner_id,
                    quiz_id=quiz_id,
                    seed=secrets.randbelow(2**31) if shuffle else None,
                    threshold=ev.threshold,
                    course_version=course.version,
                    started_at=self.ctx.clock(),
                )
            assert attempt.id is not None
            return self._view(attempt, rows.answers(s, attempt.id))

    def retake_question(self, quiz_id: str) -> str | None:
        """What to ask before opening ``quiz_id``: after a pass, whether to start a new attempt
        (the rule: ``rules.asks_before_retake``); None when it opens without a question."""
        from latsar.services import progress

        self.ctx.evaluation(quiz_id)
        status = progress.build(self.ctx, self.learner_id).evaluations[quiz_id]
        return self.ctx.voice.retake_after_pass(status) if rules.asks_before_retake(status.standing, status.open is not None) else None

    def answer(self, attempt_id: int, question_id: str, choice: str) -> None:
        """Record the answer (canonical letter) durably, now."""
        with self.ctx.db.write() as s:
            attempt = self._open(s, attempt_id)
            question = self.ctx.course.evaluation(attempt.quiz_id).bank.question(question_id)
            check_choice(question.letters, choice)
            rows.save_choice(s, attempt_id, question_id, choice, self.ctx.clock())

    def flag(self, attempt_id: int, question_id: str, flagged: bool) -> None:
        with self.ctx.db.write() as s:
            attempt = self._open(s, attempt_id)
            self.ctx.course.evaluation(attempt.quiz_id).bank.question(question_id)
            rows.save_flag(s, attempt_id, question_id, flagged, self.ctx.clock())

    def submit(self, attempt_id: int) -> AttemptResult:
        """Finish the attempt exactly once and grade it against the module's key."""
        with self.ctx.db.write() as s:
            attempt = self._mine(s, attempt_id)
            score = record.graded(self.ctx.course, attempt, rows.answers(s, attempt_id)).score
            if not rows.finish(s, attempt_id, score.correct, score.total, score.passed, self.ctx.clock()):
                raise AttemptClosed("Percobaan ini sudah diselesaikan sebelumnya; hasilnya tidak berubah.")
        return self.result(attempt_id)

    def result(self, attempt_id: int) -> AttemptResult:
        with self.ctx.db.read() as s:
            attempt = self._mine(s, attempt_id)
            if attempt.state != AttemptState.FINISHED:
                raise NotFound(f"Percobaan {attempt_id} belum selesai.")
            answers = rows.answers(s, attempt_id)
        course = self.ctx.course
        ev = course.evaluation(attempt.quiz_id)
        graded = record.graded(course, attempt, answers)
        presented = rules.present(ev.bank.questions, attempt.seed)
        restudy = graded.restudy  # in the module's order (``record.graded``)
        return AttemptResult(
            attempt_id=attempt_id,
            quiz_id=attempt.quiz_id,
            title=ev.title,
            score=graded.score,
            restudy=restudy,
            restudy_titles=tuple(course.section(sid).title for sid in restudy),
            review=rules.review(presented, {a.question_id: a.choice for a in answers}, graded.score.passed),
            finished_at=attempt.finished_at,
        )

    def history(self, quiz_id: str | None = None) -> list[AttemptRow]:
        with self.ctx.db.read() as s:
            return [row(a) for a in rows.all_of(s, self.learner_id, quiz_id)]


def row(a: Attempt) -> AttemptRow:
    assert a.id is not None
    score = rules.Score(a.correct, a.total, a.threshold or 0) if a.total and a.correct is not None else None
    return AttemptRow(a.id, a.quiz_id, AttemptState(a.state), a.started_at, a.finished_at, score)
