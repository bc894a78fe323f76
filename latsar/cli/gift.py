"""`latsar gift export|import`: question banks to and from Moodle's GIFT format."""

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("export", help="Ekspor bank soal ke GIFT (Moodle). BANK: kode sebuah evaluasi, praktik, atau semua.")
def export(
    ctx: typer.Context,
    bank: Annotated[str, typer.Argument(help="Kode evaluasi, praktik, atau semua.", metavar="BANK")] = "semua",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Berkas .gift (bawaan: layar).")] = None,
) -> None:
    from latsar.cli import settings
    from latsar.course import load_course
    from latsar.exchange.drafts import exchanged_banks
    from latsar.exchange.gift import export_bank
    from latsar.paths import content_root

    course = load_course(content_root(settings(ctx).content))
    banks = exchanged_banks(course, None if bank == "semua" else bank)
    text = "\n".join(export_bank(course, b) for b in banks)
    if output is None:
        typer.echo(text)
    else:
        from latsar.exchange.files import write_text

        write_text(output, text)
        typer.echo(f"{sum(len(b.questions) for b in banks)} soal ditulis ke {output}.")


@app.command("import", help="Ubah berkas GIFT menjadi bank soal TOML latsar.")
def import_(
    file: Annotated[Path, typer.Argument(help="Berkas .gift.", metavar="BERKAS")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Berkas .toml tujuan.")],
    bank_id: Annotated[str, typer.Option("--bank-id", help="Id bank soal.")] = "imported",
    title: Annotated[str, typer.Option("--title", help="Judul bank soal.")] = "Soal impor GIFT",
    section: Annotated[Optional[str], typer.Option("--section", help="Id bagian untuk soal tanpa komentar '// sections:'.")] = None,
) -> None:
    from latsar.errors import DataError
    from latsar.exchange.files import read_bytes
    from latsar.exchange.gift import import_gift

    try:
        text = read_bytes(file, 4 * 1024 * 1024, "Berkas GIFT").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"Berkas {file} tidak dapat dibaca sebagai teks UTF-8.") from exc
    toml = import_gift(text, bank_id, title, [section] if section else None)
    from latsar.exchange.files import write_text

    write_text(output, toml)
    typer.echo(f"Bank soal ditulis ke {output}. Periksa dengan `latsar content check` setelah ditambahkan ke paket materi.")
