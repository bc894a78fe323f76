"""Importing trainees' results files: re-graded here, idempotent, each file all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from latsar.assessment import rules
from latsar.assessment.rules import AttemptState
from latsar.errors import DataError, UsageError
from latsar.exchange.bundle import read_bundle
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.learners import MAX_COHORT, clean_text
from latsar.storage import attempts as attempt_rows
from latsar.storage import learners as learner_rows
from latsar.storage import reading as reading_rows
from latsar.storage.models import Learner


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


def _refused(path: Path, why: str) -> DataError:
    return DataError(f"Berkas hasil {path} ditolak seluruhnya: {why}; basis data tidak diubah.")


class Results:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def import_file(self, path: Path) -> ResultsReport:
        """Merge one trainee's results file. Re-graded from the answers; idempotent; all or nothing."""
        data = read_bundle(path)
        self._check(data, path)
        report = ResultsReport(path=str(path), learner=data["learner"]["name"])
        report.regraded_with_other_keys = data["course"].get("keys") != self.ctx.course.keys_digest()
        with self.ctx.db.write() as s:
            learner = self._learner(s, data["learner"], report)
            assert learner.id is not None
            for a in data["attempts"]:
                self._attempt(s, learner.id, a, data, report)
            for sec in data.get("sections", []):
                report.sections_merged += self._reading(s, learner.id, sec)
        return report

    def _check(self, data: dict[str, Any], path: Path) -> None:
        """Refuse a file meant for another course, or naming questions or choices that do not exist."""
        course = self.ctx.course
        if data["course"]["id"] != course.id:
            raise _refused(path, f"untuk kursus '{data['course']['id']}', bukan '{course.id}'")
        if data["learner"].get("nip"):
            try:
                normalize_nip(data["learner"]["nip"])
            except UsageError as exc:
                raise _refused(path, exc.message.rstrip(".")) from None
        for a in data["attempts"]:
            self._check_attempt(a, path)
        for sec in data.get("sections", []):
            if not course.has_section(sec["id"]):
                raise _refused(path, f"bagian '{sec['id']}' tidak dikenal")

    def _check_attempt(self, a: dict[str, Any], path: Path) -> None:
        try:
            bank = self.ctx.course.evaluation(a["quiz"]).bank
        except KeyError:
            raise _refused(path, f"evaluasi '{a['quiz']}' tidak dikenal") from None
        ids = {q.id: q for q in bank.questions}
        for ans in a["answers"]:
            q = ids.get(ans["question"])
            if q is None:
                raise _refused(path, f"soal '{ans['question']}' tidak ada di {a['quiz']}")
            if ans.get("choice") is not None and ans["choice"] not in q.letters:
                raise _refused(path, f"jawaban '{ans['choice']}' untuk soal {q.id} bukan pilihan yang ada")

    def _learner(self, s: Session, person: dict[str, Any], report: ResultsReport) -> Learner:
        nip = normalize_nip(person["nip"]) if person.get("nip") else None
        if nip:
            learner = learner_rows.by_nip(s, nip)
        else:
            cohort = learner_rows.cohort_id(s, person.get("cohort"), create=False)
            learner = learner_rows.without_nip(s, person["name"].strip(), cohort)
        if learner is not None:
            return learner
        report.new_learner = True
        name = clean_text(person["name"], "Nama") or person["name"].strip()
        cohort_id = learner_rows.cohort_id(s, clean_text(person.get("cohort"), "Angkatan", MAX_COHORT))
        return learner_rows.add(s, name, nip, cohort_id, clean_text(person.get("instansi"), "Instansi"))

    def _attempt(self, s: Session, learner_id: int, a: dict[str, Any], data: dict[str, Any], report: ResultsReport) -> None:
        if a["state"] != AttemptState.FINISHED:
            report.attempts_open += 1
            return
        if attempt_rows.uid_exists(s, a["uid"]):
            report.attempts_known += 1
            return
        ev = self.ctx.course.evaluation(a["quiz"])
        chosen = {x["question"]: x["choice"] for x in a["answers"] if x.get("choice")}
        score = rules.grade(ev.bank.questions, chosen, ev.threshold).score
        finished_at = datetime.fromisoformat(a["finished_at"])
        attempt = attempt_rows.add(
            s,
            uid=a["uid"],
            learner_id=learner_id,
            quiz_id=ev.id,
            state=AttemptState.FINISHED.value,
            seed=a.get("seed"),
            started_at=datetime.fromisoformat(a["started_at"]),
            finished_at=finished_at,
            correct=score.correct,
            total=score.total,
            threshold=ev.threshold,
            passed=score.passed,
            course_version=str(a.get("course_version") or data["course"].get("version") or ""),
            origin="imported",
        )
        assert attempt.id is not None
        for x in a["answers"]:
            if x.get("choice"):
                at = datetime.fromisoformat(x["answered_at"]) if x.get("answered_at") else finished_at
                attempt_rows.add_answer(s, attempt.id, x["question"], x["choice"], at)
        report.attempts_added += 1

    def _reading(self, s: Session, learner_id: int, sec: dict[str, Any]) -> bool:
        last = datetime.fromisoformat(sec["last_read_at"])
        first = datetime.fromisoformat(sec.get("first_read_at") or sec["last_read_at"])
        return reading_rows.merge(s, learner_id, sec["id"], first, last, int(sec.get("read_count", 1)), int(sec.get("seconds", 0)))
