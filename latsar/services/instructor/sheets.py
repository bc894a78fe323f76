"""Spreadsheets of what an instructor looks at: the item analysis (CSV or XLSX) and the cohort
report (XLSX, one sheet per table). Every table is a column specification (``exchange.tabular``),
like the exports: a column is named, typed and read from its row in one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from msgspec import Struct

from latsar.assessment.items import ItemStat
from latsar.course import Course
from latsar.exchange.tabular import Column, Kind, Table, write_book, write_table
from latsar.services.context import Context
from latsar.services.instructor.export import summary_columns
from latsar.services.instructor.figures import BIN_WIDTH, Attendance, CohortDetail, Distribution, ItemsOf, OpenAttempt, SectionLine, Unfinished
from latsar.services.instructor.items import Items
from latsar.services.learners import require_cohort

UNANSWERED = "-"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class ItemRow(Struct, frozen=True):
    evaluation: str  # the evaluation's id
    name: str
    item: ItemStat


def letters_of(course: Course) -> list[str]:
    return sorted({letter for ev in course.evaluations for q in ev.bank.questions for letter in q.letters})


def item_columns(letters: Sequence[str]) -> list[Column[ItemRow]]:
    def chosen(letter: str) -> Column[ItemRow]:
        key = "tidak_dijawab" if letter == UNANSWERED else f"pilihan_{letter}"
        title = "Tidak dijawab" if letter == UNANSWERED else f"Pilihan {letter}"
        return Column(key, title, Kind.INT, lambda r: r.item.options.get(letter, 0))

    return [
        Column("evaluasi", "Evaluasi", Kind.TEXT, lambda r: r.evaluation),
        Column("nomor", "No", Kind.INT, lambda r: r.item.number),
        Column("soal", "Soal", Kind.TEXT, lambda r: r.item.question_id),
        Column("kunci", "Kunci", Kind.TEXT, lambda r: r.item.key),
        Column("jawaban", "Jawaban", Kind.INT, lambda r: r.item.responses),
        Column("kesukaran_p", "p", Kind.NUMBER, lambda r: _round(r.item.facility)),
        Column("daya_beda_d", "D", Kind.NUMBER, lambda r: _round(r.item.discrimination)),
        Column("korelasi_butir_sisa_r", "r", Kind.NUMBER, lambda r: _round(r.item.point_biserial)),
        *(chosen(letter) for letter in [*letters, UNANSWERED]),
        Column("catatan", "Catatan", Kind.TEXT, lambda r: "; ".join(r.item.flags) or None),
    ]


RELIABILITY_COLUMNS: list[Column[ItemsOf]] = [
    Column("evaluasi", "Evaluasi", Kind.TEXT, lambda r: r.id),
    Column("nama", "Nama", Kind.TEXT, lambda r: r.name),
    Column("peserta", "Peserta (percobaan pertama)", Kind.INT, lambda r: r.analysis.reliability.n),
    Column("soal", "Soal", Kind.INT, lambda r: r.analysis.reliability.k),
    Column("kr20", "KR-20", Kind.NUMBER, lambda r: _round(r.analysis.reliability.kr20)),
    Column("sem_soal", "SEM (soal)", Kind.NUMBER, lambda r: _round(r.analysis.reliability.sem)),
    Column("rata_rata", "Skor rata-rata", Kind.NUMBER, lambda r: _round(r.analysis.reliability.mean)),
    Column("simpangan_baku", "Simpangan baku", Kind.NUMBER, lambda r: _round(r.analysis.reliability.sd)),
    Column("artinya", "Artinya", Kind.TEXT, lambda r: " ".join(r.reading) or None),
]


class Band(Struct, frozen=True):
    distribution: Distribution
    index: int


BAND_COLUMNS: list[Column[Band]] = [
    Column("evaluasi", "Evaluasi", Kind.TEXT, lambda b: b.distribution.id),
    Column("dari_persen", "Dari %", Kind.INT, lambda b: b.index * BIN_WIDTH),
    Column("sampai_persen", "Sampai %", Kind.INT, lambda b: 100 if b.index == 9 else b.index * BIN_WIDTH + BIN_WIDTH - 1),
    Column("peserta", "Peserta", Kind.INT, lambda b: b.distribution.bins[b.index]),
    Column("lulus", "Lulus", Kind.BOOL, lambda b: b.index * BIN_WIDTH >= b.distribution.threshold),
]

PASS_COLUMNS: list[Column[Distribution]] = [
    Column("evaluasi", "Evaluasi", Kind.TEXT, lambda d: d.id),
    Column("nama", "Nama", Kind.TEXT, lambda d: d.name),
    Column("terdaftar", "Terdaftar", Kind.INT, lambda d: d.registered),
    Column("mengerjakan", "Mengerjakan", Kind.INT, lambda d: d.attempted),
    Column("lulus", "Lulus", Kind.INT, lambda d: d.passed),
    Column("tingkat_lulus_persen", "Tingkat lulus %", Kind.INT, lambda d: d.pass_rate),
    Column("tingkat_lulus_yang_mengerjakan_persen", "Dari yang mengerjakan %", Kind.INT, lambda d: d.pass_rate_attempted),
]

SECTION_COLUMNS: list[Column[SectionLine]] = [
    Column("bagian", "Bagian", Kind.TEXT, lambda s: s.id),
    Column("judul", "Judul", Kind.TEXT, lambda s: s.title),
    Column("materi", "Materi", Kind.TEXT, lambda s: s.part),
    Column("dibuka", "Dibuka", Kind.INT, lambda s: s.opened),
    Column("dibaca_sampai_akhir", "Dibaca sampai akhir", Kind.INT, lambda s: s.read),
]

UNFINISHED_COLUMNS: list[Column[Unfinished]] = [
    Column("nama", "Nama", Kind.TEXT, lambda u: u.person.name),
    Column("nip", "NIP", Kind.TEXT, lambda u: u.person.nip),
    Column("id", "Id", Kind.INT, lambda u: u.person.id),
    Column("yang_belum", "Yang belum", Kind.TEXT, lambda u: "; ".join(u.left)),
]

OPEN_COLUMNS: list[Column[OpenAttempt]] = [
    Column("nama", "Nama", Kind.TEXT, lambda o: o.person.name),
    Column("nip", "NIP", Kind.TEXT, lambda o: o.person.nip),
    Column("id", "Id", Kind.INT, lambda o: o.person.id),
    Column("evaluasi", "Evaluasi", Kind.TEXT, lambda o: o.evaluation),
    Column("dijawab", "Dijawab", Kind.INT, lambda o: o.answered),
    Column("jumlah_soal", "Soal", Kind.INT, lambda o: o.total),
]


def attendance_columns(a: Attendance) -> list[Column[Any]]:
    def day(d: date) -> Column[Any]:
        return Column(f"hadir_{d.isoformat()}", d.isoformat(), Kind.BOOL, lambda p: d in a.present.get(p.id, frozenset()))

    return [
        Column("nama", "Nama", Kind.TEXT, lambda p: p.name),
        Column("nip", "NIP", Kind.TEXT, lambda p: p.nip),
        Column("id", "Id", Kind.INT, lambda p: p.id),
        *(day(d) for d in a.days),
        Column("hari_hadir", "Hari hadir", Kind.INT, lambda p: len(a.present.get(p.id, frozenset()))),
    ]


def item_tables(course: Course, analyses: Sequence[ItemsOf]) -> list[Table[Any]]:
    rows = [ItemRow(it.id, it.name, s) for it in analyses for s in it.analysis.items]
    return [
        Table("Analisis butir", item_columns(letters_of(course)), rows),
        Table("Reliabilitas", RELIABILITY_COLUMNS, list(analyses)),
    ]


class Sheets:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def items(self, path: Path, cohort: str | None = None) -> int:
        """The item analysis: CSV (one row per question) or XLSX (and a sheet of reliability).
        The number of questions written."""
        from latsar.errors import UsageError
        from latsar.services.instructor.figures import items_of

        suffix = Path(path).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise UsageError(f"Analisis butir ditulis sebagai .xlsx atau .csv, bukan '{Path(path).name}'.")
        course = self.ctx.course
        report = Items(self.ctx).of_group(require_cohort(self.ctx, cohort))
        tables = item_tables(course, items_of(course, report))
        if suffix == ".csv":
            return write_table("csv", Path(path), tables[0])
        return write_book(Path(path), tables)[0]

    def cohort(self, details: Sequence[CohortDetail], path: Path) -> None:
        """One cohort's report as a workbook, one sheet per table (its tables carry no cohort
        column: a workbook is about one cohort)."""
        from latsar.errors import UsageError

        if len(details) != 1 or details[0].glance.cohort is None:
            names = ", ".join(d.glance.label for d in details if d.glance.cohort is not None)
            if not names:
                raise UsageError("Laporan angkatan sebagai .xlsx memerlukan angkatan, dan belum ada peserta yang punya angkatan: latsar learner edit PESERTA --cohort ANGKATAN.")
            raise UsageError(f"Laporan angkatan sebagai .xlsx: pilih satu angkatan dengan --cohort (ada: {names}).")
        (d,) = details
        course = self.ctx.course
        tables: list[Table[Any]] = [
            Table("Peserta", summary_columns(course), d.rows),
            Table("Tingkat lulus", PASS_COLUMNS, d.distributions),
            Table("Sebaran skor", BAND_COLUMNS, [Band(x, i) for x in d.distributions for i in range(10)]),
            Table("Bacaan per bagian", SECTION_COLUMNS, d.sections),
            Table("Belum selesai", UNFINISHED_COLUMNS, d.unfinished),
            Table("Percobaan terbuka", OPEN_COLUMNS, d.open_attempts),
            Table("Kehadiran", attendance_columns(d.attendance), d.attendance.people),
            *item_tables(course, d.items),
        ]
        write_book(Path(path), tables)
