"""Use cases: learners, reading, attempts, progress. The CLI and the TUI both call these.

Every answer is committed the moment it is given. An attempt is finished exactly once, even
when two processes race: ``UPDATE … WHERE state = 'in_progress'`` inside ``BEGIN IMMEDIATE``
must touch exactly one row.
"""

from __future__ import annotations

import os
import secrets
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session, select

from latsar.assessment import rules, spaced
from latsar.course import Course, load_course
from latsar.errors import Blocked, NotFound, UsageError
from latsar.nip import normalize_nip
from latsar.services.dto import (
    AttemptResult,
    AttemptRow,
    AttemptView,
    EvaluationStatus,
    LearnerInfo,
    MapItem,
    PracticeCard,
    Progress,
    SectionStatus,
)
from latsar.storage.database import Database, open_database
from latsar.storage.models import Answer, Attempt, Cohort, Learner, PracticeItem, SectionProgress, utcnow

MAX_NAME = 200


def clean_text(value: str | None, what: str, limit: int = MAX_NAME) -> str | None:
    if value is None:
        return None
    text = " ".join("".join(ch for ch in str(value) if ch.isprintable()).split())
    if len(text) > limit:
        raise UsageError(f"{what} terlalu panjang (paling banyak {limit} karakter).")
    return text or None


class Services:
    """The application's use cases over one course and one database."""

    def __init__(self, course: Course, db: Database) -> None:
        self.course = course
        self.db = db

    # -- learners --------------------------------------------------------------------------

    @staticmethod
    def _info(learner: Learner, cohort: str | None) -> LearnerInfo:
        return LearnerInfo(learner.id, learner.name, learner.nip, cohort, learner.instansi, learner.created_at)

    def _cohort_id(self, s: Session, name: str | None) -> int | None:
        if not name:
            return None
        row = s.exec(select(Cohort).where(Cohort.name == name)).first()
        if row is None:
            row = Cohort(name=name)
            s.add(row)
            s.flush()
        return row.id

    def add_learner(self, name: str, nip: str | None = None, cohort: str | None = None, instansi: str | None = None) -> LearnerInfo:
        name = clean_text(name, "Nama")
        if not name:
            raise UsageError("Nama peserta tidak boleh kosong.")
        nip = normalize_nip(nip) if nip and nip.strip() else None
        cohort = clean_text(cohort, "Angkatan", 120)
        instansi = clean_text(instansi, "Instansi")
        with self.db.write() as s:
            if nip:
                other = s.exec(select(Learner).where(Learner.nip == nip)).first()
                if other is not None:
                    raise UsageError(f"NIP {nip} sudah terdaftar atas nama {other.name} (id {other.id}).")
            learner = Learner(name=name, nip=nip, cohort_id=self._cohort_id(s, cohort), instansi=instansi)
            s.add(learner)
            s.flush()
            return self._info(learner, cohort)

    def list_learners(self, cohort: str | None = None) -> list[LearnerInfo]:
        with self.db.read() as s:
            q = select(Learner, Cohort.name).join(Cohort, Learner.cohort_id == Cohort.id, isouter=True)
            if cohort:
                q = q.where(Cohort.name == cohort)
            rows = s.exec(q.order_by(Learner.id)).all()
            return [self._info(l, c) for l, c in rows]

    def get_learner(self, learner_id: int) -> LearnerInfo:
        with self.db.read() as s:
            row = s.exec(
                select(Learner, Cohort.name).join(Cohort, Learner.cohort_id == Cohort.id, isouter=True).where(Learner.id == learner_id)
            ).first()
            if row is None:
                raise NotFound(f"Peserta dengan id {learner_id} tidak ada.")
            return self._info(*row)

    def resolve_learner(self, ref: str | None) -> LearnerInfo:
        """A learner by NIP or id; with a single learner on this machine ``ref`` may be None."""
        if ref is None or not str(ref).strip():
            learners = self.list_learners()
            if not learners:
                raise UsageError('Belum ada peserta di basis data ini. Daftarkan dulu: latsar learner add --name "Nama Anda"')
            if len(learners) > 1:
                raise UsageError(f"Ada {len(learners)} peserta di basis data ini; pilih dengan --learner NIP atau id (lihat `latsar learner list`).")
            return learners[0]
        ref = "".join(str(ref).split())
        with self.db.read() as s:
            learner = s.exec(select(Learner).where(Learner.nip == ref)).first()
            if learner is None and ref.isdigit() and len(ref) < 18:
                learner = s.get(Learner, int(ref))
            if learner is None:
                raise NotFound(f"Tidak ada peserta dengan NIP atau id '{ref}' (lihat `latsar learner list`).")
            learner_id = learner.id
        return self.get_learner(learner_id)

    # -- mastery and the gate -------------------------------------------------------------------

    def _finished(self, s: Session, learner_id: int, quiz_id: str | None = None) -> list[Attempt]:
        q = select(Attempt).where(Attempt.learner_id == learner_id, Attempt.state == "finished")
        if quiz_id:
            q = q.where(Attempt.quiz_id == quiz_id)
        return list(s.exec(q.order_by(Attempt.finished_at, Attempt.id)).all())

    def _best(self, attempts: list[Attempt], quiz_id: str) -> rules.Score | None:
        return rules.best(
            rules.Score(a.correct, a.total, a.threshold) for a in attempts if a.quiz_id == quiz_id and a.total
        )

    def _mastered(self, s: Session, learner_id: int) -> set[str]:
        finished = self._finished(s, learner_id)
        return rules.mastered(self.course, {e.id: self._best(finished, e.id) for e in self.course.evaluations})

    def _last_read(self, s: Session, learner_id: int) -> dict[str, datetime]:
        rows = s.exec(select(SectionProgress).where(SectionProgress.learner_id == learner_id)).all()
        return {r.section_id: r.last_read_at for r in rows}

    def _answers(self, s: Session, attempt_id: int) -> list[Answer]:
        return list(s.exec(select(Answer).where(Answer.attempt_id == attempt_id)).all())

    def _summary(self, attempt: Attempt, answers: list[Answer]) -> rules.FinishedAttempt:
        """What the retake policy needs to know about a finished attempt."""
        bank = self.course.evaluation(attempt.quiz_id).bank
        return rules.FinishedAttempt(attempt.finished_at, bool(attempt.passed), self._graded(attempt, bank, answers).restudy)

    def _graded(self, attempt: Attempt, bank, answers: list[Answer] | None = None) -> rules.Graded:
        if answers is None:
            with self.db.read() as s:
                answers = self._answers(s, attempt.id)
        return rules.grade(bank.questions, {a.question_id: a.choice for a in answers}, attempt.threshold or self.course.evaluation(attempt.quiz_id).threshold)

    # -- reading -------------------------------------------------------------------------------

    def section_lock(self, learner_id: int | None, section_id: str) -> str | None:
        if not self.course.has_section(section_id):
            raise NotFound(f"Bagian '{section_id}' tidak ada. Lihat daftar bagian dengan `latsar read`.")
        if learner_id is None:
            return rules.section_lock(self.course, section_id, set())
        with self.db.read() as s:
            return rules.section_lock(self.course, section_id, self._mastered(s, learner_id))

    def open_section(self, learner_id: int | None, section_id: str):
        """The section, marked read for the learner; Blocked if the gate keeps it closed."""
        lock = self.section_lock(learner_id, section_id)
        if lock:
            raise Blocked(lock)
        section = self.course.section(section_id)
        if learner_id is None:
            return section
        now = utcnow()
        with self.db.write() as s:
            row = s.get(SectionProgress, (learner_id, section_id))
            if row is None:
                s.add(SectionProgress(learner_id=learner_id, section_id=section_id, first_read_at=now, last_read_at=now))
            else:
                row.read_count += 1
                row.last_read_at = now
                s.add(row)
            learner = s.get(Learner, learner_id)
            learner.last_section = section_id
            s.add(learner)
        return section

    def record_reading(self, learner_id: int, section_id: str, seconds: int = 0, position: float | None = None) -> None:
        """Add reading time and remember the scroll position of a section already opened."""
        with self.db.write() as s:
            row = s.get(SectionProgress, (learner_id, section_id))
            if row is None:
                return
            row.seconds += max(0, min(int(seconds), 4 * 3600))
            if position is not None:
                row.position = float(position)
            s.add(row)

    def section_position(self, learner_id: int, section_id: str) -> float:
        with self.db.read() as s:
            row = s.get(SectionProgress, (learner_id, section_id))
            return row.position if row else 0.0

    # -- attempts ------------------------------------------------------------------------------

    def _evaluation(self, quiz_id: str):
        try:
            return self.course.evaluation(quiz_id)
        except KeyError:
            names = ", ".join(e.id for e in self.course.evaluations)
            raise NotFound(f"Evaluasi '{quiz_id}' tidak ada (pilih: {names}).") from None

    def _view(self, attempt: Attempt, answers: list[Answer]) -> AttemptView:
        ev = self.course.evaluation(attempt.quiz_id)
        return AttemptView(
            id=attempt.id,
            quiz_id=attempt.quiz_id,
            title=ev.title,
            threshold=attempt.threshold or ev.threshold,
            presented=rules.present(ev.bank.questions, attempt.seed),
            answers={a.question_id: a.choice for a in answers if a.choice},
            flagged={a.question_id for a in answers if a.flagged},
        )

    def in_progress(self, learner_id: int, quiz_id: str) -> AttemptView | None:
        with self.db.read() as s:
            attempt = s.exec(
                select(Attempt).where(Attempt.learner_id == learner_id, Attempt.quiz_id == quiz_id, Attempt.state == "in_progress")
            ).first()
            return self._view(attempt, self._answers(s, attempt.id)) if attempt else None

    def start_or_resume(self, learner_id: int, quiz_id: str, shuffle: bool = False) -> AttemptView:
        """Resume the open attempt, or start one if the gate and the retake policy allow."""
        ev = self._evaluation(quiz_id)
        with self.db.write() as s:
            lock = rules.evaluation_lock(self.course, quiz_id, self._mastered(s, learner_id))
            if lock:
                raise Blocked(lock)
            attempt = s.exec(
                select(Attempt).where(Attempt.learner_id == learner_id, Attempt.quiz_id == quiz_id, Attempt.state == "in_progress")
            ).first()
            if attempt is None:
                finished = self._finished(s, learner_id, quiz_id)
                summaries = [self._summary(a, self._answers(s, a.id)) for a in finished]
                block = rules.retake_lock(self.course, quiz_id, summaries, self._last_read(s, learner_id))
                if block:
                    raise Blocked(block)
                attempt = Attempt(
                    uid=uuid.uuid4().hex,
                    learner_id=learner_id,
                    quiz_id=quiz_id,
                    seed=secrets.randbelow(2**31) if shuffle else None,
                    threshold=ev.threshold,
                    course_version=self.course.version,
                )
                s.add(attempt)
                s.flush()
            return self._view(attempt, self._answers(s, attempt.id))

    def _open_attempt(self, s: Session, attempt_id: int) -> Attempt:
        attempt = s.get(Attempt, attempt_id)
        if attempt is None:
            raise NotFound(f"Percobaan {attempt_id} tidak ada.")
        if attempt.state != "in_progress":
            raise UsageError("Percobaan ini sudah diselesaikan; jawabannya tidak dapat diubah.")
        return attempt

    def answer(self, attempt_id: int, question_id: str, choice: str) -> None:
        """Record the answer (canonical letter) durably, now."""
        with self.db.write() as s:
            attempt = self._open_attempt(s, attempt_id)
            question = self.course.evaluation(attempt.quiz_id).bank.question(question_id)
            if choice not in question.letters:
                raise UsageError(f"Jawaban '{choice}' tidak sah; pilih {', '.join(question.letters)}.")
            row = s.get(Answer, (attempt_id, question_id))
            if row is None:
                row = Answer(attempt_id=attempt_id, question_id=question_id)
            row.choice = choice
            row.answered_at = utcnow()
            s.add(row)

    def flag(self, attempt_id: int, question_id: str, flagged: bool) -> None:
        with self.db.write() as s:
            attempt = self._open_attempt(s, attempt_id)
            self.course.evaluation(attempt.quiz_id).bank.question(question_id)
            row = s.get(Answer, (attempt_id, question_id)) or Answer(attempt_id=attempt_id, question_id=question_id)
            row.flagged = flagged
            s.add(row)

    def submit(self, attempt_id: int) -> AttemptResult:
        """Finish the attempt exactly once and grade it against the module's key."""
        with self.db.write() as s:
            attempt = s.get(Attempt, attempt_id)
            if attempt is None:
                raise NotFound(f"Percobaan {attempt_id} tidak ada.")
            ev = self.course.evaluation(attempt.quiz_id)
            graded = self._graded(attempt, ev.bank, self._answers(s, attempt_id))
            now = utcnow()
            done = s.connection().execute(
                update(Attempt)
                .where(Attempt.id == attempt_id, Attempt.state == "in_progress")
                .values(
                    state="finished",
                    finished_at=now,
                    correct=graded.score.correct,
                    total=graded.score.total,
                    passed=graded.score.passed,
                )
            )
            if done.rowcount != 1:
                raise UsageError("Percobaan ini sudah diselesaikan sebelumnya; hasilnya tidak berubah.")
        return self.result(attempt_id)

    def result(self, attempt_id: int) -> AttemptResult:
        with self.db.read() as s:
            attempt = s.get(Attempt, attempt_id)
            if attempt is None or attempt.state != "finished":
                raise NotFound(f"Percobaan {attempt_id} belum selesai.")
            answers = self._answers(s, attempt_id)
        ev = self.course.evaluation(attempt.quiz_id)
        graded = self._graded(attempt, ev.bank, answers)
        canon = {a.question_id: a.choice for a in answers}
        presented = rules.present(ev.bank.questions, attempt.seed)
        return AttemptResult(
            attempt_id=attempt.id,
            quiz_id=attempt.quiz_id,
            title=ev.title,
            score=graded.score,
            restudy=graded.restudy,
            restudy_titles=tuple(self.course.section(sid).title for sid in graded.restudy),
            review=rules.review(presented, canon, graded.score.passed),
            finished_at=attempt.finished_at,
        )

    def feedback(self, result: AttemptResult) -> str:
        """The module's own words ("Umpan Balik dan Tindak Lanjut") for a finished attempt."""
        ev = self.course.evaluation(result.quiz_id)
        part = self.course.part(ev.part)
        t = result.score.threshold
        if result.passed:
            text = f"Tingkat penguasaan Anda mencapai {t}% atau lebih: Anda telah memahami {part.name}."
            following = [p for p in self.course.parts if ev.id in p.requires]
            if following:
                text += f" Anda dapat meneruskan untuk mempelajari {following[0].name}."
            return text
        return (
            f"Tingkat penguasaan Anda masih di bawah {t}%: Anda harus mengulangi lagi {part.name}, "
            "terutama bagian yang belum Anda kuasai."
        )

    def history(self, learner_id: int, quiz_id: str | None = None) -> list[AttemptRow]:
        with self.db.read() as s:
            q = select(Attempt).where(Attempt.learner_id == learner_id)
            if quiz_id:
                q = q.where(Attempt.quiz_id == quiz_id)
            rows = s.exec(q.order_by(Attempt.started_at, Attempt.id)).all()
            return [AttemptRow(a.id, a.quiz_id, a.state, a.started_at, a.finished_at, a.correct, a.total, a.passed) for a in rows]

    # -- practice (never counts toward mastery) ---------------------------------------------------

    def _practice_bank(self):
        if self.course.practice is None:
            raise NotFound("Paket materi ini tidak memiliki soal latihan.")
        return self.course.practice

    def _practice_states(self, s: Session, learner_id: int) -> dict[str, spaced.ItemState]:
        rows = s.exec(select(PracticeItem).where(PracticeItem.learner_id == learner_id)).all()
        return {r.question_id: spaced.ItemState(r.question_id, r.box, r.due_at, r.seen, r.right) for r in rows}

    def practice_next(self, learner_id: int, last: str | None = None) -> PracticeCard:
        bank = self._practice_bank()
        with self.db.read() as s:
            states = self._practice_states(s, learner_id)
        qid, why = spaced.pick_next([q.id for q in bank.questions], states, utcnow(), last)
        seen = sum(1 for st in states.values() if st.seen)
        strong = sum(1 for st in states.values() if st.box >= 2)
        return PracticeCard(bank.question(qid), why, seen, strong, len(bank.questions))

    def practice_answer(self, learner_id: int, question_id: str, choice: str) -> bool:
        """Record a practice answer; returns whether it was right. Not an evaluation attempt."""
        question = self._practice_bank().question(question_id)
        if choice not in question.letters:
            raise UsageError(f"Jawaban '{choice}' tidak sah; pilih {', '.join(question.letters)}.")
        correct = choice == question.key
        now = utcnow()
        with self.db.write() as s:
            row = s.get(PracticeItem, (learner_id, question_id))
            old = spaced.ItemState(row.question_id, row.box, row.due_at, row.seen, row.right) if row else None
            new = spaced.after_answer(old, question_id, correct, now)
            row = row or PracticeItem(learner_id=learner_id, question_id=question_id)
            row.box, row.due_at, row.seen, row.right, row.last_at = new.box, new.due_at, new.seen, new.right, now
            s.add(row)
        return correct

    # -- progress --------------------------------------------------------------------------------

    def progress(self, learner_id: int) -> Progress:
        learner = self.get_learner(learner_id)
        course = self.course
        with self.db.read() as s:
            finished = self._finished(s, learner_id)
            reads = {r.section_id: r for r in s.exec(select(SectionProgress).where(SectionProgress.learner_id == learner_id)).all()}
            open_attempts = {
                a.quiz_id: a.id
                for a in s.exec(select(Attempt).where(Attempt.learner_id == learner_id, Attempt.state == "in_progress")).all()
            }
            answers_by_attempt: dict[int, list[Answer]] = {}
            for a in finished:
                answers_by_attempt[a.id] = self._answers(s, a.id)
            last_section = s.get(Learner, learner_id).last_section
        best = {e.id: self._best(finished, e.id) for e in course.evaluations}
        done = rules.mastered(course, best)
        last_read = {sid: r.last_read_at for sid, r in reads.items()}

        restudy_now: set[str] = set()
        evaluations: dict[str, EvaluationStatus] = {}
        for ev in course.evaluations:
            mine = [a for a in finished if a.quiz_id == ev.id]
            summaries = [self._summary(a, answers_by_attempt[a.id]) for a in mine]
            if summaries:
                restudy_now |= set(rules.sections_to_reopen(summaries[-1], last_read))
            passed_at = next((a.finished_at for a in mine if a.passed), None)
            lock = rules.evaluation_lock(course, ev.id, done)
            evaluations[ev.id] = EvaluationStatus(
                id=ev.id,
                title=ev.title,
                name=ev.name,
                threshold=ev.threshold,
                locked=lock,
                retake_blocked=None if (lock or ev.id in open_attempts) else rules.retake_lock(course, ev.id, summaries, last_read),
                best=best[ev.id],
                attempts=len(mine),
                in_progress=open_attempts.get(ev.id),
                passed_at=passed_at,
            )
        sections = {
            sec.id: SectionStatus(
                id=sec.id,
                title=sec.title,
                part=sec.part,
                read=sec.id in reads,
                locked=rules.section_lock(course, sec.id, done),
                last_read_at=reads[sec.id].last_read_at if sec.id in reads else None,
                seconds=reads[sec.id].seconds if sec.id in reads else 0,
                restudy=sec.id in restudy_now,
            )
            for sec in course.sections
        }
        items: list[MapItem] = []
        current_part = None
        for entry in course.module_map():
            if entry.part != current_part:
                current_part = entry.part
                items.append(MapItem("part", entry.part, course.part(entry.part).title, entry.part))
            items.append(MapItem(entry.kind, entry.id, entry.title, entry.part))
        step, target = self._next_step(sections, evaluations)
        quiz_seconds = sum(
            int((a.finished_at - a.started_at).total_seconds()) for a in finished if a.finished_at and a.started_at
        )
        return Progress(
            learner=learner,
            items=items,
            sections=sections,
            evaluations=evaluations,
            history=self.history(learner_id),
            seconds_reading=sum(r.seconds for r in reads.values()),
            seconds_quizzing=quiz_seconds,
            next_step=step,
            next_target=target,
            last_section=last_section,
        )

    def _next_step(self, sections: dict[str, SectionStatus], evaluations: dict[str, EvaluationStatus]):
        """The suggested next step: restudy first, then the module in segments ending at each evaluation."""
        course = self.course
        restudy = [s for s in sections.values() if s.restudy]
        if restudy:
            return f"Pelajari ulang: {restudy[0].title}.", ("section", restudy[0].id)
        segment: list[SectionStatus] = []
        for entry in course.module_map():
            if not course.part(entry.part).graded:
                continue
            if entry.kind == "section":
                segment.append(sections[entry.id])
                continue
            ev = evaluations[entry.id]
            if ev.passed:
                segment = []
                continue
            if ev.locked:
                return ev.locked, None
            unread = [s for s in segment if not s.read and not s.locked]
            if unread:
                return f"Baca: {unread[0].title}.", ("section", unread[0].id)
            if ev.in_progress:
                return f"Lanjutkan {ev.name} yang belum selesai.", ("evaluation", ev.id)
            return f"Kerjakan {ev.name} (lulus bila ≥ {ev.threshold}%).", ("evaluation", ev.id)
        unread = [s for s in segment if not s.read and not s.locked]
        if unread:
            return f"Baca: {unread[0].title}.", ("section", unread[0].id)
        return "Modul selesai. Selamat! Lanjutkan dengan bacaan pengayaan dan latihan kasus.", None


def open_services(db: str | os.PathLike | None = None, content: str | os.PathLike | None = None) -> Services:
    """The factory the CLI, the TUI and the tests share: course + database."""
    from latsar.paths import content_root, db_path

    course = load_course(content_root(content))
    chosen = str(db) if db else os.environ.get("LATSAR_DB", "")
    target = chosen if "://" in chosen else db_path(db)
    return Services(course, open_database(target))


__all__ = ["Services", "open_services", "Path"]
