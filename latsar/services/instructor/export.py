"""Cohort exports: one column specification per detail level, for every format and the screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from latsar.assessment.journal import EntryRecord
from latsar.assessment.records import AnswerRecord, AttemptRecord, SummaryRow
from latsar.course import Course, Evaluation
from latsar.errors import UsageError
from latsar.exchange.tabular import FORMATS, Column, Kind, Table, write_table
from latsar.services.context import Context
from latsar.services.journal import spec
from latsar.services.learners import require_cohort
from latsar.services.presentation import ENTRY_MARKS
from latsar.storage import journal as journal_rows
from latsar.storage import reports

DETAILS = ("summary", "attempts", "answers", "journal")


def _evaluation_columns(i: int, ev: Evaluation) -> list[Column[SummaryRow]]:
    """The three columns of the ``i``-th evaluation: best percent, attempts, first pass."""
    return [
        Column(f"{ev.id}_terbaik_persen", f"{ev.name} %", Kind.INT, lambda r: r.best_percent[i]),
        Column(f"{ev.id}_percobaan", f"{ev.name} ×", Kind.INT, lambda r: r.attempts[i]),
        Column(f"{ev.id}_lulus_pada", f"{ev.name} lulus", Kind.TIME, lambda r: r.passed_at[i]),
    ]


def person_columns() -> list[Column[Any]]:
    """Who a row is about: the first columns of every export."""
    return [
        Column("nama", "Nama", Kind.TEXT, lambda r: r.name),
        Column("nip", "NIP", Kind.TEXT, lambda r: r.nip),
        Column("angkatan", "Angkatan", Kind.TEXT, lambda r: r.cohort),
    ]


def member_columns() -> list[Column[Any]]:
    return [*person_columns(), Column("instansi", "Instansi", Kind.TEXT, lambda r: r.instansi)]


def summary_columns(course: Course) -> list[Column[SummaryRow]]:
    return [
        *member_columns(),
        *(col for i, ev in enumerate(course.evaluations) for col in _evaluation_columns(i, ev)),
        Column("modul_selesai", "Selesai", Kind.BOOL, lambda r: r.complete),
        Column("bagian_dibaca", "Dibaca", Kind.INT, lambda r: r.sections_read),
        Column("aktivitas_terakhir", "Aktivitas terakhir", Kind.TIME, lambda r: r.last_activity),
        Column("waktu_baca_menit", "Baca (menit)", Kind.INT, lambda r: r.reading_seconds // 60),
        Column("waktu_evaluasi_menit", "Evaluasi (menit)", Kind.INT, lambda r: r.evaluation_seconds // 60),
        Column("percobaan_belum_selesai", "Belum selesai", Kind.INT, lambda r: r.open_attempts),
    ]


ATTEMPT_COLUMNS: list[Column[AttemptRecord]] = [
    *member_columns(),
    Column("evaluasi", "Evaluasi", Kind.TEXT, lambda r: r.quiz_id),
    Column("percobaan_ke", "Ke-", Kind.INT, lambda r: r.number),
    Column("mulai", "Mulai", Kind.TIME, lambda r: r.started_at),
    Column("selesai", "Selesai", Kind.TIME, lambda r: r.finished_at),
    Column("benar", "Benar", Kind.INT, lambda r: r.correct),
    Column("jumlah_soal", "Soal", Kind.INT, lambda r: r.total),
    Column("persen", "%", Kind.INT, lambda r: r.percent),
    Column("lulus", "Lulus", Kind.BOOL, lambda r: r.passed),
    Column("asal", "Asal", Kind.TEXT, lambda r: r.origin),
    Column("uid", "Uid", Kind.TEXT, lambda r: r.uid),
    Column("status", "Status", Kind.TEXT, lambda r: "selesai" if r.finished else "belum selesai"),
    Column("dijawab", "Dijawab", Kind.INT, lambda r: r.answered),
]


def answer_columns(course: Course) -> list[Column[AnswerRecord]]:
    keys = {(e.id, q.id): (q.number, q.key) for e in course.evaluations for q in e.bank.questions}

    def number(r: AnswerRecord) -> int | None:
        return keys.get((r.quiz_id, r.question_id), (None, None))[0]

    def right(r: AnswerRecord) -> bool:
        return r.choice is not None and r.choice == keys.get((r.quiz_id, r.question_id), (None, None))[1]

    return [
        *person_columns(),
        Column("evaluasi", "Evaluasi", Kind.TEXT, lambda r: r.quiz_id),
        Column("uid_percobaan", "Percobaan", Kind.TEXT, lambda r: r.attempt_uid),
        Column("selesai", "Selesai", Kind.TIME, lambda r: r.finished_at),
        Column("soal", "Soal", Kind.TEXT, lambda r: r.question_id),
        Column("nomor", "No", Kind.INT, number),
        Column("jawaban", "Jawaban", Kind.TEXT, lambda r: r.choice),
        Column("benar", "Benar", Kind.BOOL, right),
        Column("dijawab_pada", "Dijawab", Kind.TIME, lambda r: r.answered_at),
    ]


def journal_columns(course: Course) -> list[Column[EntryRecord]]:
    """One row per journal entry, at its current version, with the coach's latest verdict."""
    journal = spec(course)
    titles = {b.id: b.title for b in journal.behaviours}
    return [
        *person_columns(),
        Column("perilaku", "Perilaku", Kind.TEXT, lambda r: r.content.behaviour),
        Column("judul_perilaku", "Judul perilaku", Kind.TEXT, lambda r: titles.get(r.content.behaviour)),
        Column("entri", "Entri", Kind.INT, lambda r: r.id),
        Column("tanggal", "Tanggal", Kind.TEXT, lambda r: r.content.happened_on.isoformat()),
        Column("situasi", "Situasi", Kind.TEXT, lambda r: r.content.situation),
        Column("tindakan", "Yang dilakukan", Kind.TEXT, lambda r: r.content.action),
        Column("hasil", "Hasil", Kind.TEXT, lambda r: r.content.result),
        Column("perbaikan", "Lain kali", Kind.TEXT, lambda r: r.content.improvement),
        Column("versi", "Versi", Kind.INT, lambda r: r.version),
        Column("ditulis_pada", "Ditulis", Kind.TIME, lambda r: r.written_at),
        Column("status", "Status", Kind.TEXT, lambda r: ENTRY_MARKS[r.status].label),
        Column("komentar_coach", "Komentar coach", Kind.TEXT, lambda r: r.comment or None),
        Column("ditinjau_pada", "Ditinjau", Kind.TIME, lambda r: r.reviewed_at),
        Column("dibagikan", "Dibagikan", Kind.BOOL, lambda r: r.shared),
        Column("asal", "Asal", Kind.TEXT, lambda r: r.origin.value),
        Column("uid", "Uid", Kind.TEXT, lambda r: r.uid),
    ]


class Exports:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def table(self, detail: str, cohort: str | None = None) -> Table[Any]:
        """The header and a stream of rows for a cohort export."""
        course, db = self.ctx.course, self.ctx.db
        cohort = require_cohort(self.ctx, cohort)
        builders: dict[str, Callable[[], Table[Any]]] = {
            "summary": lambda: Table("Ringkasan peserta", summary_columns(course), reports.summary(db, [e.id for e in course.evaluations], cohort)),
            "attempts": lambda: Table("Percobaan", ATTEMPT_COLUMNS, reports.attempts(db, cohort)),
            "answers": lambda: Table("Jawaban", answer_columns(course), reports.answers(db, cohort)),
            "journal": lambda: Table("Jurnal", journal_columns(course), journal_rows.stream(db, cohort)),
        }
        if detail not in builders:
            raise UsageError(f"Rincian '{detail}' tidak dikenal; pilih {', '.join(DETAILS)}.")
        return builders[detail]()

    def write(self, fmt: str, detail: str, path: Path | None, cohort: str | None = None, stdout: IO[str] | None = None) -> int:
        """Write an export to ``path`` (or stdout); the number of rows written."""
        fmt, detail = fmt.lower(), detail.lower()
        if fmt not in FORMATS:
            raise UsageError(f"Format '{fmt}' tidak dikenal; pilih {', '.join(FORMATS)}.")
        if fmt == "xlsx" and path is None:
            raise UsageError("Ekspor xlsx perlu nama berkas: -o hasil.xlsx")
        return write_table(fmt, path, self.table(detail, cohort), stdout=stdout)
