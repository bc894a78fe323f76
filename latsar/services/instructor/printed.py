"""The cohort report as a document to print: the figures of ``figures.CohortDetail``, with charts.

Every figure printed here is one of ``report cohort --json`` (``CohortDetail.to_json``), written
the way the terminal writes it (percent whole, p/D/r and KR-20/SEM with two decimals).
"""

from __future__ import annotations

from datetime import date, datetime

from latsar import __version__
from latsar.assessment.items import Analysis
from latsar.course import Course
from latsar.exchange.document import Bar, Bars, Block, Columns, Document, Grid, Paragraph, Section, Segment, Split, Splits
from latsar.services.instructor.figures import CohortDetail, Distribution, ItemsOf
from latsar.services.instructor.items import LEGEND
from latsar.services.instructor.report import _num
from latsar.services.presentation import format_time

DAYS_PER_TABLE = 8
INDONESIAN_DAYS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


def _two(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _share(part: int, whole: int) -> str:
    return f"{part} dari {whole}" + (f" ({100 * part // whole}%)" if whole else "")


def summary_section(d: CohortDetail) -> Section:
    g = d.glance
    rows = [
        [e.name, str(e.attempted), str(e.passed), f"{dist.pass_rate}%" if dist.pass_rate is not None else "-", _num(e.mean_best), _num(e.median_best)]
        for e, dist in zip(g.evaluations, d.distributions)
    ]
    blocks: list[Block] = [
        Grid(
            ["Terdaftar", "Sudah mulai", "Belum mulai", "Lulus semua evaluasi", "Bagian dibaca (rata-rata)", "Membaca semua bagian"],
            [[str(g.registered), str(g.started), str(len(g.not_started)), str(g.complete), f"{_num(g.sections_mean)} dari {g.sections_total}", str(g.read_all)]],
            ["center"] * 6,
        ),
        Grid(
            ["Evaluasi", "Mengerjakan", "Lulus", "Tingkat lulus", "Skor terbaik rata-rata", "Median"],
            rows,
            ["left", "right", "right", "right", "right", "right"],
            [2, 1, 0.8, 1, 1.3, 0.8],
        ),
        Paragraph("Tingkat lulus: bagian peserta terdaftar yang lulus evaluasi itu (nilai terbaik), dibulatkan ke bawah.", "note"),
    ]
    return Section("Ringkasan", blocks)


def distribution_blocks(dist: Distribution) -> list[Block]:
    top = max(dist.bins) if any(dist.bins) else 1
    cut = dist.threshold // 10
    tones = ["good" if i >= cut else "bad" for i in range(10)]
    return [
        Columns(
            f"{dist.name}: sebaran skor terbaik ({dist.attempted} peserta mengerjakan)",
            [Distribution.label(i) for i in range(10)],
            [float(n) for n in dist.bins],
            [str(n) for n in dist.bins],
            float(top),
            tones,
            f"Batas lulus {dist.threshold}%: hijau lulus, merah belum. Lulus: {_share(dist.passed, dist.registered)} peserta terdaftar, {_share(dist.passed, dist.attempted)} yang mengerjakan.",
        )
    ]


def scores_section(d: CohortDetail) -> Section:
    blocks: list[Block] = []
    for dist in d.distributions:
        blocks += distribution_blocks(dist)
    blocks.append(
        Bars(
            "Tingkat lulus per evaluasi (dari peserta terdaftar)",
            [Bar(dist.name, float(dist.pass_rate or 0), f"{dist.pass_rate}% ({dist.passed}/{dist.registered})" if dist.pass_rate is not None else "-", "good") for dist in d.distributions],
            100.0,
        )
    )
    return Section("Sebaran skor dan tingkat lulus", blocks)


def reading_section(d: CohortDetail) -> Section:
    n = d.glance.registered
    bars = [Bar(s.title, float(s.read), f"{s.read}/{n} (dibuka {s.opened})", "good" if n and s.read == n else "") for s in d.sections]
    return Section(
        "Kemajuan membaca per bagian",
        [
            Bars("Peserta yang membaca bagian itu sampai akhir", bars, float(max(n, 1))),
            Paragraph("Dibuka: peserta yang pernah membuka bagian itu, sampai akhir atau belum.", "note"),
        ],
    )


def people_section(d: CohortDetail) -> Section:
    g = d.glance
    blocks: list[Block] = []
    if g.not_started:
        blocks.append(Paragraph(f"Belum mulai ({len(g.not_started)}): " + ", ".join(p.label for p in g.not_started) + "."))
    else:
        blocks.append(Paragraph("Semua peserta sudah mulai."))
    if d.unfinished:
        blocks.append(
            Grid(
                ["Peserta", "NIP", "Yang belum"],
                [[u.person.name, u.person.nip or f"id {u.person.id}", "; ".join(u.left)] for u in d.unfinished],
                ["left", "left", "left"],
                [1.6, 1.5, 3.2],
                small=True,
            )
        )
    elif g.started:
        blocks.append(Paragraph("Setiap peserta yang sudah mulai telah lulus semua evaluasi."))
    if d.open_attempts:
        blocks.append(Paragraph(f"Percobaan yang belum selesai ({len(d.open_attempts)}):", "strong"))
        blocks.append(
            Grid(
                ["Peserta", "Evaluasi", "Dijawab"],
                [[o.person.label, o.evaluation, f"{o.answered}/{o.total}"] for o in d.open_attempts],
                ["left", "left", "right"],
                [3, 1.5, 0.8],
                small=True,
            )
        )
    return Section("Belum mulai dan belum selesai", blocks)


def _day(day: date) -> str:
    return f"{INDONESIAN_DAYS[day.weekday()]} {day.strftime('%d-%m')}"


def attendance_section(d: CohortDetail) -> Section:
    a = d.attendance
    if not a.days:
        return Section("Kehadiran kelas", [Paragraph("Belum ada catatan kehadiran: kehadiran dicatat saat peserta masuk ke kelas `latsar serve` (NIP dan PIN).", "note")])
    n = len(a.people)
    blocks: list[Block] = [Bars("Peserta yang hadir per hari kelas", [Bar(_day(day), float(a.count(day)), f"{a.count(day)}/{n}") for day in a.days], float(max(n, 1)))]
    for start in range(0, len(a.days), DAYS_PER_TABLE):
        days = a.days[start : start + DAYS_PER_TABLE]
        rows = [[p.label, *("✓" if day in a.present.get(p.id, frozenset()) else "·" for day in days)] for p in a.people]
        blocks.append(Grid(["Peserta", *(_day(day) for day in days)], rows, ["left", *(["center"] * len(days))], [3.0, *([0.7] * len(days))], small=True))
    blocks.append(Paragraph("Hadir: masuk ke kelas (latsar serve) pada hari itu, waktu setempat. Peserta yang belajar di laptop sendiri tidak tercatat di sini.", "note"))
    return Section("Kehadiran kelas", blocks)


def _option_share(analysis: Analysis, letters: list[str], i: int) -> list[Segment]:
    s = analysis.items[i]
    n = s.responses or 1
    return [Segment(letter, s.options.get(letter, 0) / n, letter == s.key) for letter in letters]


def items_section(course: Course, it: ItemsOf) -> Section:
    a, r = it.analysis, it.analysis.reliability
    blocks: list[Block] = [
        Grid(
            ["Peserta (percobaan pertama)", "Soal", "KR-20", "SEM (soal)", "Skor rata-rata", "Simpangan baku"],
            [[str(r.n), str(r.k), _two(r.kr20), _two(r.sem), _two(r.mean), _two(r.sd)]],
            ["center"] * 6,
        ),
        *(Paragraph(line) for line in it.reading),
        *(Paragraph(f"⚠ {w}", "bad") for w in a.warnings),
    ]
    if a.n:
        ev = course.evaluation(it.id)
        letters = sorted({letter for q in ev.bank.questions for letter in q.letters}) + ["-"]
        blocks.append(
            Splits(
                "Pilihan jawaban per soal (bagian peserta; hijau: kunci)",
                [Split(str(s.number), _option_share(a, letters, i), f"p {_two(s.facility)} · D {_two(s.discrimination)} · r {_two(s.point_biserial)}") for i, s in enumerate(a.items)],
                "Lebar setiap bagian: bagian peserta yang memilih huruf itu (-: tidak dijawab). Pengecoh yang hampir tidak dipilih tidak berfungsi.",
            )
        )
        blocks.append(
            Grid(
                ["No", "Kunci", "p", "D", "r", *letters, "Catatan"],
                [[str(s.number), s.key, _two(s.facility), _two(s.discrimination), _two(s.point_biserial), *(str(s.options.get(x, 0)) for x in letters), "; ".join(s.flags) or "-"] for s in a.items],
                ["right", "center", "right", "right", "right", *(["right"] * len(letters)), "left"],
                [0.4, 0.5, 0.5, 0.5, 0.5, *([0.35] * len(letters)), 2.6],
                small=True,
            )
        )
        blocks.append(Paragraph(LEGEND, "note"))
    return Section(f"Analisis butir soal — {it.name}", blocks, new_page=True)


def doubts_section(d: CohortDetail) -> Section | None:
    if not d.glance.doubts:
        return None
    return Section(
        "Berkas hasil yang meragukan",
        [
            Grid(["Peserta", "Alasan"], [[x.label, "; ".join(x.said)] for x in d.glance.doubts], ["left", "left"], [1.5, 4], small=True),
            Paragraph("Petunjuk untuk ditanyakan kepada peserta, bukan putusan (README: apa yang dibuktikan berkas hasil).", "note"),
        ],
    )


def journal_section(d: CohortDetail) -> Section | None:
    """The habituation journal per behaviour: entries, the coach's verdicts, who reached the target."""
    j = d.glance.journal
    if j is None:
        return None
    rows = [[f"{b.letter}. {b.title}", str(b.entries), str(b.authors), str(b.accepted), str(b.needs_revision), str(b.waiting), str(b.done)] for b in j.behaviours]
    return Section(
        j.title,
        [
            Paragraph(f"Target: {j.target} entri sesuai per perilaku. {j.complete} peserta mencapai target untuk semua perilaku; {j.shared} entri dibagikan di kelas."),
            Grid(
                ["Perilaku", "Entri", "Peserta", "Sesuai", "Perlu diperbaiki", "Menunggu", "Mencapai target"],
                rows,
                ["left", "right", "right", "right", "right", "right", "right"],
                [3, 0.7, 0.8, 0.8, 1.1, 1, 1.1],
                small=True,
            ),
        ],
    )


def cohort_document(course: Course, d: CohortDetail, made_at: datetime) -> Document:
    g = d.glance
    sections = [summary_section(d), scores_section(d), reading_section(d), people_section(d), attendance_section(d)]
    journal = journal_section(d)
    if journal is not None:
        sections.append(journal)
    sections += [items_section(course, it) for it in d.items]
    doubts = doubts_section(d)
    if doubts is not None:
        sections.append(doubts)
    facts = [("Modul", course.title), ("Peserta terdaftar", str(g.registered)), ("Dibuat", format_time(made_at))]
    footer = f"{g.label} · {course.title} · dibuat {format_time(made_at)} oleh latsar {__version__}"
    return Document(f"Laporan angkatan: {g.label}", f"Rekap hasil Modul {course.title}", facts, sections, footer)
