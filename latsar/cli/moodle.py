"""`latsar moodle questions|import|grades`: question banks and grades for Moodle."""

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("questions", help="Ekspor bank soal ke Moodle XML (satu kategori per bank).")
def questions(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="Berkas .xml tujuan.")],
    bank: Annotated[Optional[str], typer.Option("--bank", help="Hanya bank ini (kode evaluasi, atau praktik); bawaan: semua.")] = None,
) -> None:
    from latsar.cli import settings
    from latsar.course import load_course
    from latsar.exchange.drafts import exchanged_banks
    from latsar.exchange.moodle import export_questions
    from latsar.paths import content_root

    course = load_course(content_root(settings(ctx).content))
    banks = exchanged_banks(course, bank)
    from latsar.exchange.files import write_text

    write_text(output, export_questions(course, banks))
    n = sum(len(b.questions) for b in banks)
    typer.echo(f"{n} soal dari {len(banks)} bank ditulis ke {output}. Di Moodle: Bank soal > Impor > format Moodle XML.")


@app.command("import", help="Ubah berkas Moodle XML (soal pilihan ganda, satu jawaban benar) menjadi bank soal TOML latsar.")
def import_(
    file: Annotated[Path, typer.Argument(help="Berkas .xml dari Moodle.", metavar="BERKAS")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Berkas .toml tujuan.")],
    bank: Annotated[Optional[str], typer.Option("--bank", help="Bila berkas berisi beberapa kategori: id atau nama kategori yang diambil.")] = None,
    bank_id: Annotated[Optional[str], typer.Option("--bank-id", help="Id bank soal (bawaan: idnumber kategori, atau 'imported').")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Judul bank soal (bawaan: nama kategori).")] = None,
    section: Annotated[Optional[str], typer.Option("--section", help="Id bagian untuk soal tanpa tag.")] = None,
) -> None:
    from latsar.errors import DataError, os_reason
    from latsar.exchange.drafts import bank_toml
    from latsar.exchange.moodle import MAX_BYTES, choose_bank, read_questions

    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise DataError(f"Berkas {file} terlalu besar ({size // 1024 // 1024} MB; paling besar {MAX_BYTES // 1024 // 1024} MB).")
        data = file.read_bytes()
    except OSError as exc:
        raise DataError(f"Berkas {file} tidak dapat dibaca ({os_reason(exc)}).") from exc
    found = choose_bank(read_questions(data, str(file), [section] if section else None), bank, str(file))
    toml = bank_toml(bank_id or found.id or "imported", title or found.title or "Soal impor Moodle", found.drafts, "Moodle XML", found.source, found.instructions)
    from latsar.exchange.files import write_text

    write_text(output, toml)
    typer.echo(f"{len(found.drafts)} soal ditulis ke {output}. Periksa dengan `latsar content check` setelah ditambahkan ke paket materi.")


@app.command("grades", help="Nilai terbaik per evaluasi sebagai CSV impor nilai Moodle, dikenali lewat ID number (NIP).")
def grades(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="Berkas .csv tujuan.")],
    cohort: Annotated[Optional[str], typer.Option("--cohort", help="Hanya angkatan ini.")] = None,
) -> None:
    from latsar.cli.common import instructor

    done = instructor(ctx)[1].moodle.grades(output, cohort)
    typer.echo(f"{done.written} peserta ditulis ke {output}.")
    if done.without_nip:
        typer.echo(f"{done.without_nip} peserta tanpa NIP dilewati: Moodle mencocokkan baris lewat ID number (NIP). Lengkapi dengan `latsar learner edit REF --nip`.")
