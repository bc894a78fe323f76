"""Importing trainees' results files: each file all or nothing, re-graded here, credited to the
right person, idempotent, and said for what it proves.

Before anything is written a file must pass the strict schema (``exchange.bundle``) and what
only the course can tell: known evaluations, questions and choices; no more attempts than the
course allows; the gate's order (no attempt at an evaluation before its prerequisites were
passed, judged with this machine's keys). A file is credited by NIP *and* name: a NIP that
belongs to someone else here refuses the file, with the reason; a person who is not on the
roster refuses it too, unless the instructor accepts new learners (``add_new``). An attempt
already here (its uid) must arrive with the same person, evaluation and answers; otherwise
the file is refused as a conflict. What the file's times make doubtful is flagged
(``assessment.plausibility``), never refused.

Files are written in batches: each file inside its own savepoint (a refused file leaves
nothing), a batch committed at once (one durable commit for many files, the write lock held
a fraction of a second); the outcome of a file is reported only after its batch is committed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct, field
from sqlmodel import Session

from latsar.assessment import rules
from latsar.assessment.journal import Content
from latsar.assessment.plausibility import AttemptTrace, Flag, ReadingTrace, doubts
from latsar.assessment.rules import AttemptState
from latsar.course import Course
from latsar.errors import DataError, UsageError
from latsar.exchange.bundle import AttemptIn, JournalEntryIn, Person, SectionIn, read_bundle, refused
from latsar.exchange.bundle import Results as ResultsFile
from latsar.nip import normalize_nip
from latsar.services.context import Context
from latsar.services.instructor.doubts import naive_utc, say
from latsar.services.journal import Draft, clean
from latsar.services.learners import MAX_COHORT, clean_text
from latsar.storage import attempts as attempt_rows
from latsar.storage import journal as journal_rows
from latsar.storage import learners as learner_rows
from latsar.storage import reading as reading_rows
from latsar.storage.attempts import KnownAttempt
from latsar.storage.journal import KnownEntry, NewEntry
from latsar.storage.learners import Known, cohort_key, match_key
from latsar.storage.reading import Record

MAX_PER_EVALUATION = 60  # when the course sets no limit: more than this is not a trainee's record
BATCH_FILES = 200  # files committed together…
BATCH_SECONDS = 0.5  # …or after this long, whichever comes first


class ResultsReport(Struct):
    path: str
    learner: str = ""
    new_learner: bool = False
    attempts_added: int = 0
    attempts_known: int = 0
    attempts_open: int = 0
    sections_merged: int = 0
    journal_added: int = 0  # journal entries new here
    journal_revised: int = 0  # versions of entries already here
    regraded_with_other_keys: bool = False
    flags: list[Flag] = field(default_factory=list)  # what the file's times make doubtful
    doubts: list[str] = field(default_factory=list)  # the same, said


class Outcome(Struct, frozen=True):
    """One file of a batch: its report when accepted, the sentence refusing it otherwise."""

    path: Path
    report: ResultsReport | None = None
    refused: DataError | None = None


def _graded(course: Course, a: AttemptIn) -> rules.Graded:
    ev = course.evaluation(a.quiz)
    return rules.grade(ev.bank.questions, {x.question: x.choice for x in a.answers if x.choice}, ev.threshold)


def check_course(course: Course, data: ResultsFile, path: Path) -> dict[str, rules.Graded]:
    """Refuse what this course cannot hold: another course, unknown evaluations, questions,
    choices or sections, too many attempts, an attempt the gate would not have opened. The
    attempts with a finishing time, graded with this machine's keys, by uid."""
    if data.course.id != course.id:
        raise refused(path, f"untuk kursus '{data.course.id}', bukan '{course.id}'")
    for a in data.attempts:
        _check_attempt(course, a, path)
    for sec in data.sections:
        if not course.has_section(sec.id):
            raise refused(path, f"bagian '{sec.id}' tidak dikenal")
    limit = course.retake.max_attempts or MAX_PER_EVALUATION
    for ev in course.evaluations:
        if sum(1 for a in data.attempts if a.quiz == ev.id and a.state is AttemptState.FINISHED) > limit:
            raise refused(path, f"lebih dari {limit} percobaan {ev.name}")
    graded = {a.uid: _graded(course, a) for a in data.attempts if a.finished_at}
    _check_gate(course, data, path, graded)
    return graded


def journal_contents(course: Course, data: ResultsFile, path: Path, today: date) -> dict[str, list[Content]]:
    """Every journal entry's versions, checked as a trainee's own writing is checked here (a
    behaviour of this course, the date, the parts written, no personal data), by entry uid."""
    if data.journal and course.journal is None:
        raise refused(path, "memuat jurnal aktualisasi, tetapi kursus di sini tidak memiliki jurnal")
    out: dict[str, list[Content]] = {}
    for entry in data.journal:
        out[entry.uid] = [_content(course, entry, n, path, today) for n in range(len(entry.versions))]
    return out


def _content(course: Course, entry: JournalEntryIn, n: int, path: Path, today: date) -> Content:
    v = entry.versions[n]
    try:
        return clean(course, Draft(v.behaviour, v.date, v.situation, v.action, v.result, v.improvement), today)
    except UsageError as exc:
        raise refused(path, f"entri jurnal {entry.uid[:8]} versi {v.version}: {exc.message.rstrip('.')}") from None


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


def _passed_at(data: ResultsFile, graded: dict[str, rules.Graded]) -> dict[str, datetime]:
    """When each evaluation was first passed (with our keys), for those a finished attempt passed."""
    first: dict[str, datetime] = {}
    for p in data.attempts:
        if p.finished_at and graded[p.uid].score.passed and (p.quiz not in first or p.finished_at < first[p.quiz]):
            first[p.quiz] = p.finished_at
    finished = {a.quiz for a in data.attempts if a.state is AttemptState.FINISHED and a.finished_at and graded[a.uid].score.passed}
    return {quiz: at for quiz, at in first.items() if quiz in finished}


def _check_gate(course: Course, data: ResultsFile, path: Path, graded: dict[str, rules.Graded]) -> None:
    """Every attempt started after the evaluations it requires were passed (with our keys)."""
    passes = _passed_at(data, graded)
    for a in data.attempts:
        lock = rules.evaluation_lock(course, a.quiz, {quiz for quiz, at in passes.items() if at <= a.started_at})
        if lock:  # the gate as the app applies it (``rules``), at the time the attempt started
            names = ", ".join(course.evaluation(r).name for r in sorted(lock.missing))
            raise refused(path, f"ada percobaan {course.evaluation(a.quiz).name} sebelum {names} lulus, padahal aturan modul mengharuskannya")


class _Who(Struct, frozen=True):
    name: str
    nip: str | None
    cohort: str | None
    instansi: str | None


class _File(Struct):
    """A file read, checked against the course, re-graded and judged: all but the database."""

    path: Path
    data: ResultsFile
    who: _Who
    finished: list[AttemptIn]
    graded: dict[str, rules.Graded]
    report: ResultsReport
    journal: dict[str, list[Content]]  # each entry's versions, checked, by uid


def _who(person: Person, path: Path) -> _Who:
    try:
        nip = normalize_nip(person.nip) if person.nip else None
        name = clean_text(person.name, "Nama")
        cohort = clean_text(person.cohort, "Angkatan", MAX_COHORT)
        instansi = clean_text(person.instansi, "Instansi")
    except UsageError as exc:
        raise refused(path, exc.message.rstrip(".")) from None
    if not name:
        raise refused(path, "nama peserta kosong")
    return _Who(name, nip, cohort, instansi)


def _flags(course: Course, data: ResultsFile, finished: list[AttemptIn]) -> list[Flag]:
    attempts = [
        AttemptTrace(
            a.uid, a.quiz, naive_utc(a.started_at), naive_utc(a.finished_at or a.started_at),
            {x.question: x.choice for x in a.answers if x.choice}, tuple(naive_utc(x.answered_at) for x in a.answers if x.answered_at and x.choice),
        )
        for a in finished
    ]
    reading = {
        s.id: ReadingTrace(s.id, naive_utc(s.first_read_at) if s.first_read_at else None, naive_utc(s.last_read_at),
                           naive_utc(s.completed_at) if s.completed_at else None, s.read_count)
        for s in data.sections
    }
    return doubts(course, attempts, reading, naive_utc(data.exported_at))


class Results:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def import_file(self, path: Path, add_new: bool = False) -> ResultsReport:
        """Merge one trainee's results file; DataError (one sentence) when it is refused."""
        (outcome,) = self.import_files([path], add_new)
        if outcome.refused is not None:
            raise outcome.refused
        assert outcome.report is not None
        return outcome.report

    def import_files(self, paths: Iterable[Path], add_new: bool = False) -> Iterator[Outcome]:
        """Merge trainees' results files, each accepted or refused whole; the outcome of each, in
        order, once its batch is committed. Re-graded from the answers; idempotent. A person not
        on the roster is refused unless ``add_new``."""
        batch: list[_File | Outcome] = []
        since = time.monotonic()
        for path in paths:
            path = Path(path)
            try:
                batch.append(self._read(path))
            except DataError as exc:
                batch.append(Outcome(path, refused=exc))
            if len(batch) >= BATCH_FILES or time.monotonic() - since > BATCH_SECONDS:
                yield from self._commit(batch, add_new)
                batch, since = [], time.monotonic()
        yield from self._commit(batch, add_new)

    def _read(self, path: Path) -> _File:
        course = self.ctx.course
        data = read_bundle(path)
        graded = check_course(course, data, path)
        who = _who(data.learner, path)
        finished = [a for a in data.attempts if a.state == AttemptState.FINISHED]
        report = ResultsReport(path=str(path), learner=who.name, attempts_open=len(data.attempts) - len(finished))
        report.regraded_with_other_keys = data.course.keys != course.keys_digest()
        report.flags = _flags(course, data, finished)
        report.doubts = [say(course, f) for f in report.flags]
        journal = journal_contents(course, data, path, self.ctx.clock().astimezone().date())
        return _File(path, data, who, finished, graded, report, journal)

    def _commit(self, batch: list[_File | Outcome], add_new: bool) -> list[Outcome]:
        """One transaction for a batch: each file is judged against what the database and the
        files before it hold, entirely in memory (a refused file writes nothing); what the
        accepted files add is then written in a few statements, and committed at once."""
        files = [f for f in batch if isinstance(f, _File)]
        if not files:
            return [b for b in batch if isinstance(b, Outcome)]
        out: list[Outcome] = []
        with self.ctx.db.write() as s:
            here = _Here(s, files)
            for item in batch:
                if isinstance(item, Outcome):
                    out.append(item)
                    continue
                try:
                    self._merge(s, here, item, add_new)
                except DataError as exc:
                    out.append(Outcome(item.path, refused=exc))
                    continue
                out.append(Outcome(item.path, report=item.report))
            here.write(s)
        return out

    def _merge(self, s: Session, here: _Here, f: _File, add_new: bool) -> None:
        """One file into the batch, or DataError; every check comes before anything is kept."""
        existing = here.learner(f.who, f.path)
        if existing is None and not add_new:
            who = f"NIP {f.who.nip} ({f.who.name})" if f.who.nip else f"{f.who.name} (tanpa NIP, angkatan {f.who.cohort or '-'})"
            raise refused(f.path, f"{who} tidak ada di daftar peserta; impor daftar pesertanya dulu, atau ulangi dengan --tambah-baru bila peserta baru memang diterima")
        new = [a for a in f.finished if not self._known(here, a, f, existing)]
        journal = _JournalPlan.of(here, f, existing)  # every check before anything is kept
        learner_id = existing.id if existing is not None else here.add_learner(s, f.who)
        f.report.new_learner = existing is None
        f.report.attempts_known = len(f.finished) - len(new)
        f.report.attempts_added = len(new)
        self._attempts(here, learner_id, new, f)
        f.report.sections_merged = here.merge_reading(learner_id, f.data.sections)
        journal.keep(here, learner_id, f.report)

    def _known(self, here: _Here, a: AttemptIn, f: _File, learner: Known | None) -> bool:
        """True when the attempt is here already, as the file has it; DataError (a conflict) when
        its uid is here with another person, evaluation or answers."""
        known = here.attempts.get(a.uid)
        if known is None:
            return False
        ev = self.ctx.course.evaluation(a.quiz).name
        answers = {x.question: x.choice for x in a.answers if x.choice}
        why = None
        if learner is None or known.learner_id != learner.id:
            why = "atas nama peserta lain"
        elif known.quiz_id != a.quiz or known.state != AttemptState.FINISHED:
            why = "sebagai percobaan lain" if known.quiz_id != a.quiz else "sebagai percobaan yang belum selesai"
        elif known.answers != answers:
            q = next(q for q in sorted(set(known.answers) | set(answers)) if known.answers.get(q) != answers.get(q))
            why = f"dengan jawaban lain (soal {q}: {known.answers.get(q) or '-'} di sini, {answers.get(q) or '-'} di berkas)"
        if why is None:
            return True
        raise refused(f.path, f"konflik: percobaan {a.uid} ({ev}) sudah tercatat di sini {why}; periksa berkas ini dan berkas yang diimpor sebelumnya")

    def _attempts(self, here: _Here, learner_id: int, new: list[AttemptIn], f: _File) -> None:
        course = self.ctx.course
        for a in new:
            ev = course.evaluation(a.quiz)
            score = f.graded[a.uid].score
            here.new_attempts.append({
                "uid": a.uid, "learner_id": learner_id, "quiz_id": ev.id, "state": AttemptState.FINISHED.value, "seed": a.seed,
                "started_at": a.started_at, "finished_at": a.finished_at, "correct": score.correct, "total": score.total,
                "threshold": ev.threshold, "passed": score.passed, "course_version": a.course_version or f.data.course.version, "origin": "imported",
            })
            finished = a.finished_at or a.started_at
            given = [(x.question, x.choice, x.answered_at or finished) for x in a.answers if x.choice]
            here.new_answers[a.uid] = given
            here.attempts[a.uid] = KnownAttempt(0, a.uid, learner_id, a.quiz, AttemptState.FINISHED.value, {q: c for q, c, _ in given})


class _JournalPlan(Struct):
    """What a file's journal adds here, judged against what is here (and the batch's files before
    it): entries new here, versions new here, sharing choices made later than the one here. An
    entry here must belong to the same person, and a version here must hold the same text: a
    revision is matched only by its entry's uid and its version number."""

    entries: list[tuple[JournalEntryIn, list[Content]]] = field(default_factory=list)
    versions: list[tuple[str, int, Content, datetime]] = field(default_factory=list)
    shares: list[tuple[str, bool, datetime]] = field(default_factory=list)

    @classmethod
    def of(cls, here: _Here, f: _File, learner: Known | None) -> _JournalPlan:
        plan = cls()
        for entry in f.data.journal:
            contents = f.journal[entry.uid]
            known = here.journal.get(entry.uid)
            if known is None:
                plan.entries.append((entry, contents))
                continue
            if learner is None or known.learner_id != learner.id:
                raise refused(f.path, f"konflik: entri jurnal {entry.uid[:8]} sudah tercatat di sini atas nama peserta lain")
            for v, content in zip(entry.versions, contents):
                mine = known.versions.get(v.version)
                if mine is None:
                    plan.versions.append((entry.uid, v.version, content, v.written_at))
                elif mine != content:
                    raise refused(f.path, f"konflik: entri jurnal {entry.uid[:8]} versi {v.version} sudah tercatat di sini dengan isi lain")
            if entry.shared_at is not None and (known.shared_at is None or naive_utc(entry.shared_at) > naive_utc(known.shared_at)):
                plan.shares.append((entry.uid, entry.shared, entry.shared_at))
        return plan

    def keep(self, here: _Here, learner_id: int, report: ResultsReport) -> None:
        for entry, contents in self.entries:
            here.new_entries.append(NewEntry(entry.uid, learner_id, entry.created_at, entry.shared, entry.shared_at))
            here.new_versions += [(entry.uid, v.version, c, v.written_at) for v, c in zip(entry.versions, contents)]
            here.journal[entry.uid] = KnownEntry(0, entry.uid, learner_id, {v.version: c for v, c in zip(entry.versions, contents)}, entry.shared_at)
        for uid, version, content, at in self.versions:
            here.new_versions.append((uid, version, content, at))
            here.journal[uid].versions[version] = content
        for uid, shared, at in self.shares:
            here.new_shares.append((uid, shared, at))
            known = here.journal[uid]
            here.journal[uid] = KnownEntry(known.id, uid, known.learner_id, known.versions, at)
        report.journal_added = len(self.entries)
        report.journal_revised = len(self.versions)


def _entry_uids(files: list[_File]) -> list[str]:
    """The journal entries a batch of files brings, by uid."""
    return [e.uid for f in files for e in f.data.journal]


class _Here:
    """What the database holds about the people and attempts of one batch of files, read in a
    few queries and kept up to date as the batch's files are accepted; what they add, written
    by ``write`` in a few statements."""

    def __init__(self, s: Session, files: list[_File]) -> None:
        self.new_attempts: list[dict[str, object]] = []
        self.new_answers: dict[str, list[tuple[str, str, datetime]]] = {}
        self.new_reading: dict[tuple[int, str], Record] = {}
        self.new_entries: list[NewEntry] = []
        self.new_versions: list[tuple[str, int, Content, datetime]] = []
        self.new_shares: list[tuple[str, bool, datetime]] = []
        self.journal = journal_rows.known_by_uids(s, _entry_uids(files))
        self.changed_reading: dict[tuple[int, str], Record] = {}
        self.by_nip = learner_rows.known_by_nips(s, [f.who.nip for f in files if f.who.nip])
        self.cohorts = learner_rows.cohort_keys(s)
        no_nip = [f.who for f in files if not f.who.nip]
        self.without: dict[tuple[str, str | None], Known] = {}
        if no_nip:
            key_of = {cid: key for key, cid in self.cohorts.items()}
            wanted = {self.cohorts.get(cohort_key(w.cohort), -1) if w.cohort else None for w in no_nip}
            for (name, cid), known in learner_rows.known_without_nip(s, wanted).items():
                self.without[(name, key_of.get(cid) if cid is not None else None)] = known
        self.attempts = attempt_rows.known_by_uids(s, [a.uid for f in files for a in f.finished])
        ids = {k.id for k in self.by_nip.values()} | {k.id for k in self.without.values()}
        self.reading = reading_rows.records_of(s, ids)

    def learner(self, who: _Who, path: Path) -> Known | None:
        """The learner a file belongs to: by NIP (and the same name), else by name and cohort."""
        if who.nip:
            existing = self.by_nip.get(who.nip)
            if existing is not None and match_key(existing.name) != match_key(who.name):
                raise refused(path, f"NIP {who.nip} terdaftar di sini atas nama {existing.name}, bukan {who.name}")
            return existing
        return self.without.get((match_key(who.name), cohort_key(who.cohort) if who.cohort else None))

    def add_learner(self, s: Session, who: _Who) -> int:
        cohort = None
        if who.cohort:
            learner_rows.ensure_cohorts(s, [who.cohort], self.cohorts)
            cohort = self.cohorts[cohort_key(who.cohort)]
        learner_id = learner_rows.insert_one(s, who.name, who.nip, cohort, who.instansi)
        known = Known(learner_id, who.name, who.nip, cohort, who.instansi)
        if who.nip:
            self.by_nip[who.nip] = known
        else:
            self.without[(match_key(who.name), cohort_key(who.cohort) if who.cohort else None)] = known
        return learner_id

    def merge_reading(self, learner_id: int, sections: list[SectionIn]) -> int:
        """Merge the file's reading records into the learner's; how many added anything."""
        merged = 0
        for sec in sections:
            first = sec.first_read_at or sec.last_read_at
            # Files from latsar v1 say nothing of completion: v1 counted opening as reading.
            completed = sec.completed_at if "completed_at" in sec.model_fields_set else sec.last_read_at
            key = (learner_id, sec.id)
            old = self.reading.get(key)
            after = reading_rows.merged(old, Record(first, sec.last_read_at, sec.read_count, sec.seconds, completed))
            if after is None:
                continue
            merged += 1
            self.reading[key] = after
            if key in self.new_reading or old is None:
                self.new_reading[key] = after
            else:
                self.changed_reading[key] = after
        return merged

    def write(self, s: Session) -> None:
        """What the accepted files of the batch add: attempts, answers, reading records."""
        attempt_rows.insert_finished(s, self.new_attempts, self.new_answers)
        journal_rows.insert_imported(s, self.new_entries, self.new_versions, self.new_shares)
        reading_rows.save_records(
            s, [(lid, sid, r) for (lid, sid), r in self.new_reading.items()], [(lid, sid, r) for (lid, sid), r in self.changed_reading.items()]
        )
