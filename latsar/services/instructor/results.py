"""Importing trainees' results files: each file all or nothing, re-graded here, credited to the
right person, idempotent.

Before anything is written a file must pass the strict schema (``exchange.bundle``) and what
only the course can tell: known evaluations, questions and choices; no more attempts than the
course allows; the gate's order (no attempt at an evaluation before its prerequisites were
passed, judged with this machine's keys). A file is credited by NIP *and* name: a NIP that
belongs to someone else here refuses the file, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from latsar.assessment import rules
from latsar.assessment.rules import AttemptState
from latsar.course import Course
from latsar.errors import UsageError
from latsar.exchange.bundle import AttemptIn, Person, SectionIn, read_bundle, refused
from latsar.exchange.bundle import Results as ResultsFile
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.learners import MAX_COHORT, clean_text
from latsar.storage import attempts as attempt_rows
from latsar.storage import learners as learner_rows
from latsar.storage import reading as reading_rows
from latsar.storage.learners import match_key
from latsar.storage.models import Learner

MAX_PER_EVALUATION = 60  # when the course sets no limit: more than this is not a trainee's record


@dataclass
class ResultsReport:
    path: str
    learner: str = ""
    new_learner: bool = False
    attempts_added: int = 0
    attempts_known: int = 0
    attempts_open: int = 0
    sections_merged: int = 0
    regraded_with_other_keys: bool = False


def _graded(course: Course, a: AttemptIn) -> rules.Graded:
    ev = course.evaluation(a.quiz)
    return rules.grade(ev.bank.questions, {x.question: x.choice for x in a.answers if x.choice}, ev.threshold)


def check_course(course: Course, data: ResultsFile, path: Path) -> None:
    """Refuse what this course cannot hold: another course, unknown evaluations, questions,
    choices or sections, too many attempts, an attempt the gate would not have opened."""
    if data.course.id != course.id:
        raise refused(path, f"untuk kursus '{data.course.id}', bukan '{course.id}'")
    for a in data.attempts:
        _check_attempt(course, a, path)
    for sec in data.sections:
        if not course.has_section(sec.id):
            raise refused(path, f"bagian '{sec.id}' tidak dikenal")
    limit = course.retake.max_attempts or MAX_PER_EVALUATION
    for ev in course.evaluations:
        if sum(1 for a in data.attempts if a.quiz == ev.id and a.state == "finished") > limit:
            raise refused(path, f"lebih dari {limit} percobaan {ev.name}")
    _check_gate(course, data, path)


def _check_attempt(course: Course, a: AttemptIn, path: Path) -> None:
    try:
        bank = course.evaluation(a.quiz).bank
    except KeyError:
        raise refused(path, f"evaluasi '{a.quiz}' tidak dikenal") from None
    questions = {q.id: q for q in bank.questions}
    for x in a.answers:
        q = questions.get(x.question)
        if q is None:
            raise refused(path, f"soal '{x.question}' tidak ada di {a.quiz}")
        if x.choice is not None and x.choice not in q.letters:
            raise refused(path, f"jawaban '{x.choice}' untuk soal {q.id} bukan pilihan yang ada")


def _check_gate(course: Course, data: ResultsFile, path: Path) -> None:
    """Every attempt started after the evaluations it requires were passed (with our keys)."""
    passes = {
        a.quiz: min(p.finished_at for p in data.attempts if p.quiz == a.quiz and p.finished_at and _graded(course, p).score.passed)
        for a in data.attempts
        if a.state == "finished" and a.finished_at and _graded(course, a).score.passed
    }
    for a in data.attempts:
        ev = course.evaluation(a.quiz)
        needs = set(ev.requires) | set(course.part(ev.part).requires)
        missing = [r for r in needs if r not in passes or passes[r] > a.started_at]
        if missing:
            names = ", ".join(course.evaluation(r).name for r in sorted(missing))
            raise refused(path, f"ada percobaan {ev.name} sebelum {names} lulus, padahal aturan modul mengharuskannya")


class Results:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def import_file(self, path: Path) -> ResultsReport:
        """Merge one trainee's results file. Re-graded from the answers; idempotent; all or nothing."""
        data = read_bundle(path)
        check_course(self.ctx.course, data, path)
        if data.learner.nip:
            try:
                normalize_nip(data.learner.nip)
            except UsageError as exc:
                raise refused(path, exc.message.rstrip(".")) from None
        try:  # a control character in a name, cohort or agency: the whole file is refused
            name = clean_text(data.learner.name, "Nama")
            clean_text(data.learner.cohort, "Angkatan", MAX_COHORT)
            clean_text(data.learner.instansi, "Instansi")
        except UsageError as exc:
            raise refused(path, exc.message.rstrip(".")) from None
        if not name:
            raise refused(path, "nama peserta kosong")
        report = ResultsReport(path=str(path), learner=name)
        report.regraded_with_other_keys = data.course.keys != self.ctx.course.keys_digest()
        with self.ctx.db.write() as s:
            learner = self._learner(s, data.learner, name, report, path)
            assert learner.id is not None
            for a in data.attempts:
                self._attempt(s, learner.id, a, data, report)
            report.sections_merged = sum(self._reading(s, learner.id, sec) for sec in data.sections)
        return report

    def _learner(self, s: Session, person: Person, name: str, report: ResultsReport, path: Path) -> Learner:
        """The learner this file belongs to, by NIP and name; a new one when there is none."""
        cohort = clean_text(person.cohort, "Angkatan", MAX_COHORT)
        if person.nip:
            existing = learner_rows.by_nip(s, person.nip)
            if existing is not None and match_key(existing.name) != match_key(name):
                raise refused(path, f"NIP {person.nip} terdaftar di sini atas nama {existing.name}, bukan {name}")
        else:
            existing = learner_rows.without_nip(s, name, learner_rows.cohort_id(s, cohort, create=False))
        if existing is not None:
            return existing
        report.new_learner = True
        return learner_rows.add(s, name, person.nip, learner_rows.cohort_id(s, cohort), clean_text(person.instansi, "Instansi"))

    def _attempt(self, s: Session, learner_id: int, a: AttemptIn, data: ResultsFile, report: ResultsReport) -> None:
        if a.state != AttemptState.FINISHED:
            report.attempts_open += 1
            return
        if attempt_rows.uid_exists(s, a.uid):
            report.attempts_known += 1
            return
        ev = self.ctx.course.evaluation(a.quiz)
        score = _graded(self.ctx.course, a).score
        assert a.finished_at is not None
        attempt = attempt_rows.add(
            s,
            uid=a.uid,
            learner_id=learner_id,
            quiz_id=ev.id,
            state=AttemptState.FINISHED.value,
            seed=a.seed,
            started_at=a.started_at,
            finished_at=a.finished_at,
            correct=score.correct,
            total=score.total,
            threshold=ev.threshold,
            passed=score.passed,
            course_version=a.course_version or data.course.version,
            origin="imported",
        )
        assert attempt.id is not None
        for x in a.answers:
            if x.choice:
                attempt_rows.add_answer(s, attempt.id, x.question, x.choice, x.answered_at or a.finished_at)
        report.attempts_added += 1

    def _reading(self, s: Session, learner_id: int, sec: SectionIn) -> bool:
        first = sec.first_read_at or sec.last_read_at
        # Files from latsar v1 say nothing of completion: v1 counted opening as reading.
        completed = sec.completed_at if "completed_at" in sec.model_fields_set else sec.last_read_at
        return reading_rows.merge(s, learner_id, sec.id, first, sec.last_read_at, sec.read_count, sec.seconds, completed)

