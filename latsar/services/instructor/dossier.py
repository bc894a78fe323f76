"""A trainee's record of the module, to print and file: who they are, each evaluation's attempts
with dates, scores and the gate, the sections read and when, practice, time on task, and the
module's own words for the result.

The report is a list of parts. Each part is built from the services by one function of
``TRAINEE_PARTS`` and carries its figures (``data``, what ``report trainee --json`` prints) and
the section printed from the same figures; a new part (the aktualisasi journal, say) is one
more function in that list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from msgspec import Struct

from latsar import __version__
from latsar.assessment.journal import EntryRecord
from latsar.assessment.rules import AttemptState
from latsar.course.model import Evaluation
from latsar.exchange.document import Block, Document, Facts, Grid, Paragraph, Section
from latsar.services import progress as progress_of
from latsar.services.context import Context
from latsar.services.journal import FIELD_WORDS
from latsar.services.journal import section as journal_section
from latsar.services.presentation import Voice, format_duration, format_time
from latsar.services.values import AttemptRow, EvaluationStatus, LearnerInfo, Progress


class TraineeRecord(Struct, frozen=True):
    """What the parts are built from: the learner and their progress, read once."""

    learner: LearnerInfo
    progress: Progress
    made_at: datetime


class Part(Struct, frozen=True):
    key: str  # the part's key in the JSON
    data: object  # its figures, as JSON
    section: Section  # the same figures, printed


PartBuilder = Callable[[Context, TraineeRecord], "Part | None"]


def _iso(value: datetime | None) -> str | None:
    from latsar.exchange.tabular import aware

    return aware(value).isoformat(timespec="seconds") if value else None


def _when(value: datetime | None) -> str:
    return format_time(value) if value else "-"


def _duration(row: AttemptRow) -> int | None:
    return int((row.finished_at - row.started_at).total_seconds()) if row.finished_at else None


# -- the parts -------------------------------------------------------------------------------------


def _attempt_data(i: int, a: AttemptRow) -> dict[str, object]:
    score = a.score
    return {
        "number": i,
        "started_at": _iso(a.started_at),
        "finished_at": _iso(a.finished_at),
        "correct": score.correct if score else None,
        "total": score.total if score else None,
        "percent": score.percent if score else None,
        "passed": a.passed if a.finished else None,
        "seconds": _duration(a),
    }


def _attempt_cells(voice: Voice, i: int, a: AttemptRow) -> list[str]:
    score, seconds = a.score, _duration(a)
    return [
        str(i),
        _when(a.started_at),
        _when(a.finished_at),
        format_duration(seconds) if seconds is not None else "-",
        f"{score.correct}/{score.total}" if score else "-",
        f"{score.percent}%" if score else "-",
        voice.outcome(a),
    ]


def _evaluation_data(voice: Voice, ev: Evaluation, status: EvaluationStatus, rows: list[AttemptRow], finished: bool) -> dict[str, object]:
    best = status.best
    return {
        "name": ev.name,
        "threshold": status.threshold,
        "passed": status.passed,
        "best_percent": best.percent if best else None,
        "best_correct": best.correct if best else None,
        "total": best.total if best else None,
        "passed_at": _iso(status.passed_at),
        "locked": voice.lock(status.lock) if status.lock else None,
        "attempts": [_attempt_data(i, a) for i, a in enumerate(rows, start=1)],
        "feedback": voice.feedback_on(ev.id, status.passed, status.threshold) if finished else None,
    }


def _evaluation_blocks(voice: Voice, ev: Evaluation, status: EvaluationStatus, rows: list[AttemptRow], finished: bool) -> list[Block]:
    blocks: list[Block] = [Paragraph(f"{ev.title} — {voice.evaluation_line(status)} ({voice.pass_line(status.threshold)})", "strong")]
    if status.lock:
        blocks.append(Paragraph(voice.lock(status.lock), "note"))
    if rows:
        blocks.append(
            Grid(
                ["Ke-", "Mulai", "Selesai", "Lama", "Benar", "Skor", "Hasil"],
                [_attempt_cells(voice, i, a) for i, a in enumerate(rows, start=1)],
                ["right", "left", "left", "right", "right", "right", "left"],
                [0.5, 1.6, 1.6, 1, 0.8, 0.8, 1.4],
            )
        )
    else:
        blocks.append(Paragraph("Belum ada percobaan.", "note"))
    if finished:
        blocks.append(Paragraph(f"Umpan balik modul: “{voice.feedback_on(ev.id, status.passed, status.threshold)}”"))
    return blocks


def evaluations_part(ctx: Context, rec: TraineeRecord) -> Part:
    voice, p = ctx.voice, rec.progress
    data: dict[str, object] = {}
    blocks: list[Block] = []
    for ev in ctx.course.evaluations:
        status = p.evaluations[ev.id]
        rows = [a for a in p.history if a.quiz_id == ev.id and a.state is not AttemptState.ABANDONED]
        finished = any(a.finished for a in rows)
        data[ev.id] = _evaluation_data(voice, ev, status, rows, finished)
        blocks.extend(_evaluation_blocks(voice, ev, status, rows, finished))
    return Part("evaluations", data, Section("Hasil evaluasi", blocks))


def reading_part(ctx: Context, rec: TraineeRecord) -> Part:
    voice, p = ctx.voice, rec.progress
    sections = list(p.sections.values())
    data = {
        "read": p.sections_read,
        "total": len(sections),
        "sections": [{"id": s.id, "title": s.title, "read": s.read, "opened": s.opened, "last_read_at": _iso(s.last_read_at), "seconds": s.seconds} for s in sections],
    }
    rows = [
        [voice.section_title(s.id), voice.section(s).label or ("dibuka" if s.opened else "belum dibuka"), _when(s.last_read_at), format_duration(s.seconds) if s.seconds else "-"] for s in sections
    ]
    blocks: list[Block] = [
        Paragraph(voice.sections_read(p) + "."),
        Grid(["Bagian", "Status", "Terakhir dibaca", "Waktu baca"], rows, ["left", "left", "left", "right"], [3.2, 1.4, 1.4, 0.9], small=True),
    ]
    return Part("reading", data, Section("Bacaan modul", blocks))


def practice_part(ctx: Context, rec: TraineeRecord) -> Part | None:
    if not ctx.course.practice:
        return None
    counts = rec.progress.practice
    data = {**counts.to_json(), "new": counts.new}
    facts = Facts(
        [
            ("Soal yang pernah dilatih", str(counts.seen)),
            ("Dikuasai (diulang dengan jarak hari)", str(counts.learned)),
            ("Jatuh tempo untuk diulang", str(counts.due)),
            ("Belum pernah dilatih", str(counts.new)),
        ]
    )
    return Part("practice", data, Section("Latihan (tidak dinilai)", [facts]))


def time_part(ctx: Context, rec: TraineeRecord) -> Part:
    p = rec.progress
    data = {"reading_seconds": p.seconds_reading, "evaluation_seconds": p.seconds_quizzing, "total_seconds": p.seconds_reading + p.seconds_quizzing}
    facts = Facts(
        [
            ("Membaca modul", format_duration(p.seconds_reading)),
            ("Mengerjakan evaluasi (percobaan selesai)", format_duration(p.seconds_quizzing)),
            ("Jumlah", format_duration(p.seconds_reading + p.seconds_quizzing)),
        ]
    )
    note = Paragraph("Waktu baca dihitung aplikasi selama bagian terbuka dan peserta aktif; waktu evaluasi dari mulai sampai dikumpulkan.", "note")
    return Part("time_on_task", data, Section("Waktu belajar", [facts, note]))


def result_part(ctx: Context, rec: TraineeRecord) -> Part:
    voice, p = ctx.voice, rec.progress
    sentence = voice.completion(p) or voice.next_step(p.next_step)
    data = {"module_complete": p.module_complete, "all_sections_read": p.all_read, "said": sentence}
    tone = "good" if p.module_complete else ""
    return Part("result", data, Section("Kesimpulan", [Paragraph(sentence, tone)]))


def _entry_blocks(voice: Voice, e: EntryRecord) -> list[Block]:
    c = e.content
    mark = voice.entry_mark(e.status)
    revised = f", direvisi {e.version - 1}×" if e.version > 1 else ""
    blocks: list[Block] = [Paragraph(f"{voice.day(c.happened_on)} · {mark.symbol} {mark.label}{revised}{' · dibagikan di kelas' if e.shared else ''}", "strong")]
    blocks.append(Facts([(FIELD_WORDS[key], getattr(c, key)) for key in FIELD_WORDS]))
    if e.comment:
        blocks.append(Paragraph(f"Catatan coach: {e.comment}", "note"))
    return blocks


def journal_part(ctx: Context, rec: TraineeRecord) -> Part | None:
    """The habituation journal, when the course has one: where the trainee stands and every
    entry at its current version with the coach's latest verdict and comment."""
    if ctx.course.journal is None:
        return None
    voice, journal = ctx.voice, journal_section(ctx, rec.learner.id)
    blocks: list[Block] = [Paragraph(voice.journal_line(journal.standing) + "."), Paragraph(voice.journal_target(journal.standing), "note")]
    for part in journal.behaviours:
        blocks.append(Paragraph(voice.behaviour_name(part.behaviour.id), "strong"))
        if not part.entries:
            blocks.append(Paragraph("Belum ada entri.", "note"))
        for e in part.entries:
            blocks.extend(_entry_blocks(voice, e))
    return Part("journal", journal.to_json(), Section(journal.title, blocks))


TRAINEE_PARTS: list[PartBuilder] = [evaluations_part, reading_part, practice_part, time_part, journal_part, result_part]


class TraineeReport(Struct, frozen=True):
    record: TraineeRecord
    parts: tuple[Part, ...]

    def to_json(self) -> dict[str, object]:
        who = self.record.learner
        return {
            "learner": {"id": who.id, "name": who.name, "nip": who.nip, "cohort": who.cohort, "instansi": who.instansi},
            "made_at": _iso(self.record.made_at),
            **{p.key: p.data for p in self.parts},
        }

    def document(self, course_title: str) -> Document:
        who = self.record.learner
        facts = [
            ("NIP", who.nip or "-"),
            ("Angkatan", who.cohort or "-"),
            ("Instansi", who.instansi or "-"),
            ("Id peserta", str(who.id)),
            ("Terdaftar", _when(who.created_at)),
        ]
        footer = f"{who.name} · {course_title} · dibuat {_when(self.record.made_at)} oleh latsar {__version__}"
        return Document(who.name, f"Catatan peserta — Modul {course_title}", facts, [p.section for p in self.parts], footer)


def build(ctx: Context, learner_id: int, parts: list[PartBuilder] | None = None) -> TraineeReport:
    progress = progress_of.build(ctx, learner_id)
    record = TraineeRecord(progress.learner, progress, ctx.clock())
    built = (make(ctx, record) for make in (TRAINEE_PARTS if parts is None else parts))
    return TraineeReport(record, tuple(p for p in built if p is not None))
