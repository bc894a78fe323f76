"""`latsar report items|cohort|trainee`: item analysis, the cohort at a glance, a trainee's record."""

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command(
    "items",
    help="Analisis butir soal: kesukaran, daya beda, korelasi butir-sisa, sebaran pilihan, reliabilitas KR-20. "
    "-o BERKAS.xlsx atau .csv: sebagai spreadsheet (satu baris per soal).",
)
def items(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Spreadsheet .xlsx atau .csv.")] = None,
) -> None:
    import json

    from latsar.cli.common import instructor

    svc, boss = instructor(ctx)
    if output is not None:
        n = boss.sheets.items(output, cohort)
        typer.echo(f"{n} soal ditulis ke {output}.")
        return
    report = boss.items.report(cohort)
    if as_json:
        typer.echo(json.dumps({eid: analysis.to_json() for eid, analysis in report.items()}, ensure_ascii=False))
        return
    from latsar.plain.report import print_items

    print_items(svc.course, report)


@app.command(
    "cohort",
    help="Laporan angkatan: terdaftar, sudah mulai, lulus tiap evaluasi, sebaran skor, bacaan per bagian, belum mulai dan belum "
    "selesai (siapa), kehadiran kelas, analisis butir dan reliabilitas. -o BERKAS.pdf (dengan grafik, untuk dicetak) atau .xlsx (satu lembar per tabel).",
)
def cohort(
    ctx: typer.Context,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini (bawaan: setiap angkatan).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON (daftar, satu objek per angkatan).")] = False,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Berkas .pdf (laporan dengan grafik) atau .xlsx (satu lembar per tabel; satu angkatan).")] = None,
) -> None:
    import json

    from latsar.cli.common import instructor

    boss = instructor(ctx)[1]
    if output is not None:
        from latsar.cli.common import written_as

        kind = written_as(output, (".pdf", ".xlsx"), "Laporan angkatan ditulis sebagai .pdf atau .xlsx")
        details = boss.documents.cohort(cohort)
        if kind == ".pdf":
            boss.documents.cohort_pdf(details, output)
        else:
            boss.sheets.cohort(details, output)
        typer.echo(f"Laporan {len(details)} angkatan ditulis ke {output}.")
        return
    if as_json:
        typer.echo(json.dumps([d.to_json() for d in boss.documents.cohort(cohort)], ensure_ascii=False))
        return
    from latsar.plain.report import print_cohorts

    print_cohorts(boss.report.cohorts(cohort))


@app.command(
    "trainee",
    help="Catatan seorang peserta untuk dicetak dan diarsipkan (PDF): identitas, setiap percobaan evaluasi dengan tanggal dan skornya, "
    "bagian yang dibaca dan kapan, latihan, waktu belajar, dan kata-kata modul tentang hasilnya. Dengan --cohort: seluruh angkatan, "
    "satu dokumen (-o BERKAS.pdf) atau satu PDF per peserta (-o FOLDER).",
)
def trainee(
    ctx: typer.Context,
    ref: Annotated[Optional[str], typer.Argument(help="NIP atau id peserta.", metavar="PESERTA")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Berkas .pdf, atau folder (dengan --cohort: satu PDF per peserta).")] = None,
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Setiap peserta angkatan ini.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON (angka yang sama dengan PDF-nya).")] = False,
) -> None:
    import json

    from latsar.cli.common import instructor
    from latsar.errors import UsageError

    if (ref is None) == (cohort is None):
        raise UsageError("Pilih satu: PESERTA (NIP atau id) atau --cohort ANGKATAN.")
    if output is None and not as_json:
        raise UsageError("Tulis laporannya ke berkas dengan -o LAPORAN.pdf, atau cetak angkanya dengan --json.")
    docs = instructor(ctx)[1].documents
    reports = [docs.trainee(ref)] if ref is not None else docs.trainees(str(cohort))
    if as_json:
        shown = [r.to_json() for r in reports]
        typer.echo(json.dumps(shown[0] if ref is not None else shown, ensure_ascii=False))
    if output is None:
        return
    if output.is_dir():
        written = docs.trainee_pdfs(reports, output)
        typer.echo(f"{len(written)} PDF ditulis ke folder {output}.", err=as_json)
    else:
        docs.trainee_pdf(reports, output)
        typer.echo(f"Catatan {len(reports)} peserta ditulis ke {output}.", err=as_json)
