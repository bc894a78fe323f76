"""Instructor use cases: roster import, cohort export, results files, item analysis, passphrase."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Iterator

from sqlmodel import Session, select

from latsar.assessment import items, rules
from latsar.errors import DataError, UsageError
from latsar.nip import normalize_nip
from latsar.services import Services, clean_text
from latsar.storage import queries
from latsar.storage.models import Answer, Attempt, Cohort, InstructorSecret, Learner, SectionProgress, utcnow

DETAILS = ("summary", "attempts", "answers")

# -- export ---------------------------------------------------------------------------------------


def export_table(svc: Services, detail: str, cohort: str | None = None) -> tuple[list[str], Iterator[tuple]]:
    """The header and a stream of rows for a cohort export."""
    course = svc.course
    if detail == "summary":
        evals = course.evaluations
        header = ["nama", "nip", "angkatan", "instansi"]
        for ev in evals:
            header += [f"{ev.id}_terbaik_persen", f"{ev.id}_percobaan", f"{ev.id}_lulus_pada"]
        header += ["modul_selesai", "bagian_dibaca", "aktivitas_terakhir"]

        def rows() -> Iterator[tuple]:
            k = len(evals)
            local = queries.as_local
            starts = range(4, 4 + 3 * k, 3)
            for r in queries.summary(svc.db, [e.id for e in evals], cohort):
                per_eval = []
                complete = True
                for i in starts:
                    passed_at = r[i + 2]
                    if passed_at is None:
                        complete = False
                    else:
                        passed_at = local(passed_at)
                    per_eval += (r[i], r[i + 1] or 0, passed_at)
                last = r[5 + 3 * k]
                yield (r[0], r[1], r[2], r[3], *per_eval, complete, r[4 + 3 * k] or 0, None if last is None else local(last))

        return header, rows()
    if detail == "attempts":
        header = ["nama", "nip", "angkatan", "instansi", "evaluasi", "percobaan_ke", "mulai", "selesai", "benar", "jumlah_soal", "persen", "lulus", "asal", "uid"]
        return header, (tuple(r) for r in queries.attempts(svc.db, cohort))
    if detail == "answers":
        keys = {(e.id, q.id): (q.number, q.key) for e in course.evaluations for q in e.bank.questions}
        header = ["nama", "nip", "angkatan", "evaluasi", "uid_percobaan", "selesai", "soal", "nomor", "jawaban", "benar", "dijawab_pada"]

        def answer_rows() -> Iterator[tuple]:
            for name, nip, coh, quiz, uid, finished, qid, choice, at in queries.answers(svc.db, cohort):
                number, key = keys.get((quiz, qid), (None, None))
                yield (name, nip, coh, quiz, uid, finished, qid, number, choice, choice is not None and choice == key, at)

        return header, answer_rows()
    raise UsageError(f"Rincian '{detail}' tidak dikenal; pilih {', '.join(DETAILS)}.")


# -- roster ---------------------------------------------------------------------------------------


@dataclass
class RosterReport:
    added: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def _validate_row(number: int, row: dict[str, str]) -> tuple[dict | None, str | None]:
    name = (row.get("name") or "").strip()
    if not name:
        return None, f"baris {number}: nama kosong"
    if row.get("nip_error"):
        return None, f"baris {number}: {row['nip_error']}"
    try:
        nip = normalize_nip(row["nip"]) if row.get("nip", "").strip() else None
        clean = {
            "name": clean_text(name, "Nama"),
            "nip": nip,
            "cohort": clean_text(row.get("cohort"), "Angkatan", 120),
            "instansi": clean_text(row.get("instansi"), "Instansi"),
        }
    except UsageError as exc:
        return None, f"baris {number}: {exc.message.rstrip('.')}"
    return clean, None


def import_roster(svc: Services, rows: Iterable[tuple[int, dict[str, str]]], skip_invalid: bool = False) -> RosterReport:
    """All rows or none: any invalid row stops the import unless ``skip_invalid``."""
    report = RosterReport()
    valid: list[tuple[int, dict]] = []
    problems: list[str] = []
    seen_nips: dict[str, int] = {}
    for number, raw in rows:
        clean, problem = _validate_row(number, raw)
        if clean and clean["nip"]:
            if clean["nip"] in seen_nips:
                clean, problem = None, f"baris {number}: NIP {clean['nip']} sudah ada di baris {seen_nips[clean['nip']]}"
            else:
                seen_nips[clean["nip"]] = number
        if problem:
            problems.append(problem)
        else:
            valid.append((number, clean))
    if problems and not skip_invalid:
        raise DataError(f"Daftar peserta tidak diimpor ({len(problems)} baris salah): " + "; ".join(problems) + ". Perbaiki, atau pakai --skip-invalid.")
    report.skipped = problems
    with svc.db.write() as s:
        for number, row in valid:
            existing = None
            if row["nip"]:
                existing = s.exec(select(Learner).where(Learner.nip == row["nip"])).first()
                if existing is not None and existing.name != row["name"]:
                    raise DataError(f"Daftar peserta tidak diimpor: baris {number}: NIP {row['nip']} sudah terdaftar atas nama {existing.name}, bukan {row['name']}.")
            else:
                cohort_id = _cohort_id(s, row["cohort"], create=False)
                existing = s.exec(select(Learner).where(Learner.name == row["name"], Learner.nip.is_(None), Learner.cohort_id == cohort_id)).first()
            if existing is not None:
                report.unchanged += 1
                continue
            s.add(Learner(name=row["name"], nip=row["nip"], cohort_id=_cohort_id(s, row["cohort"]), instansi=row["instansi"]))
            s.flush()
            report.added += 1
    return report


def _cohort_id(s: Session, name: str | None, create: bool = True) -> int | None:
    if not name:
        return None
    row = s.exec(select(Cohort).where(Cohort.name == name)).first()
    if row is None and create:
        row = Cohort(name=name)
        s.add(row)
        s.flush()
    return row.id if row else None


# -- results files --------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def export_results(svc: Services, learner_id: int) -> dict:
    from latsar.exchange.bundle import FORMAT, VERSION, seal

    learner = svc.get_learner(learner_id)
    with svc.db.read() as s:
        attempts = s.exec(select(Attempt).where(Attempt.learner_id == learner_id).order_by(Attempt.started_at, Attempt.id)).all()
        out_attempts = []
        for a in attempts:
            answers = s.exec(select(Answer).where(Answer.attempt_id == a.id).order_by(Answer.question_id)).all()
            out_attempts.append(
                {
                    "uid": a.uid,
                    "quiz": a.quiz_id,
                    "state": a.state,
                    "seed": a.seed,
                    "started_at": _iso(a.started_at),
                    "finished_at": _iso(a.finished_at),
                    "course_version": a.course_version,
                    "answers": [{"question": x.question_id, "choice": x.choice, "answered_at": _iso(x.answered_at)} for x in answers if x.choice],
                }
            )
        reads = s.exec(select(SectionProgress).where(SectionProgress.learner_id == learner_id).order_by(SectionProgress.section_id)).all()
        sections = [
            {"id": r.section_id, "first_read_at": _iso(r.first_read_at), "last_read_at": _iso(r.last_read_at), "read_count": r.read_count, "seconds": r.seconds}
            for r in reads
        ]
    return seal(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": _iso(utcnow()),
            "course": {"id": svc.course.id, "version": svc.course.version, "keys": svc.course.keys_digest()},
            "learner": {"name": learner.name, "nip": learner.nip, "cohort": learner.cohort, "instansi": learner.instansi},
            "attempts": out_attempts,
            "sections": sections,
        }
    )


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


def _check_against_course(svc: Services, data: dict, path: Path) -> None:
    course = svc.course

    def bad(why: str) -> DataError:
        return DataError(f"Berkas hasil {path} ditolak seluruhnya: {why}; basis data tidak diubah.")

    if data["course"]["id"] != course.id:
        raise bad(f"untuk kursus '{data['course']['id']}', bukan '{course.id}'")
    if data["learner"].get("nip"):
        try:
            normalize_nip(data["learner"]["nip"])
        except UsageError as exc:
            raise bad(exc.message.rstrip(".")) from None
    for a in data["attempts"]:
        try:
            bank = course.evaluation(a["quiz"]).bank
        except KeyError:
            raise bad(f"evaluasi '{a['quiz']}' tidak dikenal") from None
        ids = {q.id: q for q in bank.questions}
        for ans in a["answers"]:
            q = ids.get(ans["question"])
            if q is None:
                raise bad(f"soal '{ans['question']}' tidak ada di {a['quiz']}")
            if ans.get("choice") is not None and ans["choice"] not in q.letters:
                raise bad(f"jawaban '{ans['choice']}' untuk soal {q.id} bukan pilihan yang ada")
    for sec in data.get("sections", []):
        if not course.has_section(sec["id"]):
            raise bad(f"bagian '{sec['id']}' tidak dikenal")


def import_results(svc: Services, path: Path) -> ResultsReport:
    """Merge one trainee's results file. Re-graded from the answers; idempotent; all or nothing."""
    from latsar.exchange.bundle import read_bundle

    data = read_bundle(path)
    _check_against_course(svc, data, path)
    report = ResultsReport(path=str(path), learner=data["learner"]["name"])
    report.regraded_with_other_keys = data["course"].get("keys") != svc.course.keys_digest()
    person = data["learner"]
    with svc.db.write() as s:
        nip = normalize_nip(person["nip"]) if person.get("nip") else None
        learner = None
        if nip:
            learner = s.exec(select(Learner).where(Learner.nip == nip)).first()
        else:
            cohort_id = _cohort_id(s, person.get("cohort"), create=False)
            learner = s.exec(select(Learner).where(Learner.name == person["name"].strip(), Learner.nip.is_(None), Learner.cohort_id == cohort_id)).first()
        if learner is None:
            learner = Learner(
                name=clean_text(person["name"], "Nama"),
                nip=nip,
                cohort_id=_cohort_id(s, clean_text(person.get("cohort"), "Angkatan", 120)),
                instansi=clean_text(person.get("instansi"), "Instansi"),
            )
            s.add(learner)
            s.flush()
            report.new_learner = True
        for a in data["attempts"]:
            if a["state"] != "finished":
                report.attempts_open += 1
                continue
            if s.exec(select(Attempt.id).where(Attempt.uid == a["uid"])).first() is not None:
                report.attempts_known += 1
                continue
            ev = svc.course.evaluation(a["quiz"])
            chosen = {x["question"]: x["choice"] for x in a["answers"] if x.get("choice")}
            graded = rules.grade(ev.bank.questions, chosen, ev.threshold)
            attempt = Attempt(
                uid=a["uid"],
                learner_id=learner.id,
                quiz_id=ev.id,
                state="finished",
                seed=a.get("seed"),
                started_at=datetime.fromisoformat(a["started_at"]),
                finished_at=datetime.fromisoformat(a["finished_at"]),
                correct=graded.score.correct,
                total=graded.score.total,
                threshold=ev.threshold,
                passed=graded.score.passed,
                course_version=str(a.get("course_version") or data["course"].get("version") or ""),
                origin="imported",
            )
            s.add(attempt)
            s.flush()
            for x in a["answers"]:
                if x.get("choice"):
                    at = datetime.fromisoformat(x["answered_at"]) if x.get("answered_at") else attempt.finished_at
                    s.add(Answer(attempt_id=attempt.id, question_id=x["question"], choice=x["choice"], answered_at=at))
            report.attempts_added += 1
        for sec in data.get("sections", []):
            last = datetime.fromisoformat(sec["last_read_at"])
            first = datetime.fromisoformat(sec.get("first_read_at") or sec["last_read_at"])
            row = s.get(SectionProgress, (learner.id, sec["id"]))
            if row is None:
                s.add(SectionProgress(learner_id=learner.id, section_id=sec["id"], first_read_at=first, last_read_at=last, read_count=int(sec.get("read_count", 1)), seconds=int(sec.get("seconds", 0))))
                report.sections_merged += 1
            elif last > row.last_read_at or int(sec.get("seconds", 0)) > row.seconds:
                row.last_read_at = max(row.last_read_at, last)
                row.first_read_at = min(row.first_read_at, first)
                row.read_count = max(row.read_count, int(sec.get("read_count", 1)))
                row.seconds = max(row.seconds, int(sec.get("seconds", 0)))
                s.add(row)
                report.sections_merged += 1
    return report


# -- item analysis --------------------------------------------------------------------------------


def item_report(svc: Services, cohort: str | None = None) -> dict[str, list[items.ItemStat]]:
    """Per evaluation, item statistics over each learner's first finished attempt."""
    out = {}
    for ev in svc.course.evaluations:
        responses = queries.first_attempt_answers(svc.db, ev.id, cohort)
        out[ev.id] = items.analyse(ev.bank.questions, responses)
    return out


# -- instructor passphrase (scrypt, with lockout) -----------------------------------------------------

SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSPHRASE = 8


def _hash(passphrase: str, salt: bytes) -> str:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **SCRYPT).hex()


def has_passphrase(svc: Services) -> bool:
    with svc.db.read() as s:
        return s.get(InstructorSecret, 1) is not None


def set_passphrase(svc: Services, passphrase: str, current: str | None = None) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError(f"Kata sandi pengampu minimal {MIN_PASSPHRASE} karakter.")
    if has_passphrase(svc):
        if current is None or not check_passphrase(svc, current):
            raise UsageError("Kata sandi pengampu yang sekarang salah; kata sandi tidak diubah.")
    salt = secrets.token_bytes(16)
    with svc.db.write() as s:
        row = s.get(InstructorSecret, 1) or InstructorSecret(id=1, salt="", digest="")
        row.salt, row.digest, row.failures, row.locked_until = salt.hex(), _hash(passphrase, salt), 0, None
        s.add(row)


def check_passphrase(svc: Services, passphrase: str) -> bool:
    """True if right. Raises UsageError while locked out after repeated failures."""
    now = utcnow()
    with svc.db.read() as s:
        row = s.get(InstructorSecret, 1)
    if row is None:
        raise UsageError("Kata sandi pengampu belum dibuat.")
    if row.locked_until is not None and row.locked_until > now:
        minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
        raise UsageError(f"Terlalu banyak percobaan salah; coba lagi dalam {minutes} menit.")
    ok = hmac.compare_digest(_hash(passphrase, bytes.fromhex(row.salt)), row.digest)
    with svc.db.write() as s:
        row = s.get(InstructorSecret, 1)
        if ok:
            row.failures, row.locked_until = 0, None
        else:
            row.failures += 1
            if row.failures >= MAX_FAILURES:
                row.failures, row.locked_until = 0, now + LOCKOUT
        s.add(row)
    return ok

